"""Editing a set's questions, as the set's page tells it: a split, a merge and a move read in words in the
history (never as a question erased), a move across a section's edge is explicit and keeps the order
section by section, and the messages after each edit are plain sentences."""
import html

import pytest
from django.urls import reverse

from tracker import requirements
from tracker.models import Question, RequirementChange
from tracker.requirements import RequirementError

pytestmark = pytest.mark.django_db


@pytest.fixture
def iran(iran_cable):
    """09STATE6423: sections A (A.1-A.4), B (B.1-B.9) and C (C.1-C.7), every question S//NF but C.5 (C//NF)."""
    return requirements.create_set(iran_cable)


def _post(client, name: str, question: Question, data: dict):
    """POST to a question's action, follow to the set's page: the messages shown, and the page as text."""
    page = client.post(reverse(name, args=[question.pk]), data, follow=True)
    return [str(m) for m in page.context["messages"]], html.unescape(page.content.decode())


def _history(page: str) -> str:
    return page[page.index("<h2>History</h2>"):]


def _layout(requirement_set) -> list[tuple[str, str]]:
    """(section letter, code) of every question in the set's order."""
    return [(q.section.letter if q.section else "", q.code)
            for q in requirement_set.questions.select_related("section").order_by("order", "pk")]


def _page_codes(page: str, codes: list[str]) -> list[str]:
    found = {code: page.find(f"<strong>{code}</strong>") for code in codes}
    assert all(at >= 0 for at in found.values()), found
    return sorted(codes, key=found.get)


# ----------------------------------------------------------------------------- the history


def test_a_split_reads_as_what_each_question_holds_not_as_the_question_erased(client, analyst, iran):
    b1 = iran.questions.get(code="B.1")
    shown, page = _post(client, "question-split", b1, {"at": "2"})
    assert shown == ["B.1 split in two: B.1 keeps sentence 1, and sentences 2–6 became the new question B.1b."]
    history = _history(page)
    assert "B.1: keeps sentence 1 of 6: WHAT IS THE EXTENT OF THE MOIS" in history
    assert "B.1b: new, from sentences 2–6: WHAT HAPPENS TO THE POTENTIAL RECRUITS" in history
    assert "→ (none)" not in history and "kept ·" not in history


def test_a_merge_reads_as_where_the_merged_question_went(client, analyst, iran):
    c4, c5 = iran.questions.get(code="C.4"), iran.questions.get(code="C.5")
    shown, page = _post(client, "question-merge", c4, {"into": c5.pk})
    assert shown == ["C.4 merged into C.5: its sentences now follow C.5's own, and C.4 is retired (kept in the "
                     "history). C.5 takes the stricter marking, S//NF."]
    history = _history(page)
    assert "C.4: merged into C.5 and retired" in history
    assert "C.5: takes C.4's text as its sentence 3: TO WHAT EXTENT ARE HOST GOVERNMENTS" in history
    assert "C.5: marking C//NF → S//NF, the stricter of the two" in history
    assert "into ·" not in history and "merged ·" not in history


def test_a_long_text_changed_at_its_end_shows_the_change(iran, role_user):
    a1 = iran.questions.get(code="A.1")
    requirements.edit_question(a1, role_user("ana"), text=a1.text + " Who funds it?")
    lines = requirements.describe(RequirementChange.objects.get(action="question edited"))
    [line] = [line for line in lines if line.startswith("text:")]  # and its sentences, split anew
    old, new = line.split(" → ")
    assert old != new and new.endswith("LATIN AMERICA? Who funds it?") and old.startswith("text: …")


def test_a_move_recorded_as_the_whole_order_or_with_places_reads_without_them(iran):
    legacy = RequirementChange(action="question moved up", before={"order": ["A.1", "A.2", "A.3"]},
                               after={"order": ["A.2", "A.1", "A.3"]})
    assert requirements.describe(legacy) == ["moved up in the set"]
    placed = RequirementChange(action="question moved down", before={"section": "C", "place": 4},
                               after={"section": "C", "place": 6})
    assert requirements.describe(placed) == ["moved down in section C"]


def test_every_recorded_action_reads_without_raw_structures(client, analyst, iran):
    a2 = iran.questions.get(code="A.2")
    _post(client, "question-move", a2, {"direction": "up"})
    _post(client, "question-retire", a2, {"retired": "1"})
    _, page = _post(client, "question-retire", a2, {"retired": "0"})
    history = _history(page)
    assert "moved up in section A" in history and "retired: no → yes" in history
    assert "retired: yes → no" in history and "order:" not in history
    assert "{" not in history and "[" not in history


# ----------------------------------------------------------------------------- moving across sections


def test_moving_down_from_the_end_of_a_section_enters_the_next_at_its_top(client, analyst, iran):
    a4 = iran.questions.get(code="A.4")
    shown, page = _post(client, "question-move", a4, {"direction": "down"})
    assert shown == ["A.4 moved down into section B, as its first question."]
    a4.refresh_from_db()
    assert a4.section.letter == "B" and a4.edited
    layout = _layout(iran)
    assert layout[2:6] == [("A", "A.3"), ("B", "A.4"), ("B", "B.1"), ("B", "B.2")]
    assert [letter for letter, _ in layout] == sorted(letter for letter, _ in layout)  # section by section
    assert list(iran.questions.order_by("order").values_list("order", flat=True)) == list(range(1, 21))
    assert _page_codes(page, ["A.3", "A.4", "B.1"]) == ["A.3", "A.4", "B.1"]
    assert "moved out of section A into section B, as its first question" in _history(page)


def test_moving_up_from_the_top_of_a_section_enters_the_one_above_at_its_end(client, analyst, iran):
    c1 = iran.questions.get(code="C.1")
    shown, page = _post(client, "question-move", c1, {"direction": "up"})
    assert shown == ["C.1 moved up into section B, as its last question."]
    assert _layout(iran)[12:15] == [("B", "B.9"), ("B", "C.1"), ("C", "C.2")]
    assert "moved out of section C into section B, as its last question" in _history(page)


def test_the_first_and_last_questions_of_the_set_say_they_cannot_move(client, analyst, iran):
    before = _layout(iran)
    shown, _ = _post(client, "question-move", iran.questions.get(code="A.1"), {"direction": "up"})
    assert shown == ["A.1 cannot move up: it is already the first question of the set."]
    shown, _ = _post(client, "question-move", iran.questions.get(code="C.7"), {"direction": "down"})
    assert shown == ["C.7 cannot move down: it is already the last question of the set."]
    assert _layout(iran) == before and not RequirementChange.objects.filter(action__startswith="question moved")


def test_a_question_outside_any_section_moves_only_among_those(client, analyst, iran):
    c6, c7 = iran.questions.get(code="C.6"), iran.questions.get(code="C.7")
    a1 = iran.questions.get(code="A.1")
    saved = client.post(reverse("question-edit", args=[a1.pk]), {
        "code": "A.1", "section": "", "marking": a1.marking, "text": a1.text, "sentences": "\n".join(a1.sentences)},
        follow=True)
    assert [str(m) for m in saved.context["messages"]] == [
        "A.1 saved. It is now listed under “Questions outside any section”."]
    requirements.edit_question(c7, analyst, section=None)
    assert _layout(iran)[-3:] == [("C", "C.6"), ("", "A.1"), ("", "C.7")]
    shown, _ = _post(client, "question-move", a1, {"direction": "up"})
    assert shown == ["A.1 cannot move up: it is the first question outside any section. To put it in a section, "
                     "choose the section on its edit page."]
    shown, _ = _post(client, "question-move", c7, {"direction": "down"})
    assert shown == ["C.7 cannot move down: it is already the last question of the set."]
    shown, _ = _post(client, "question-move", c6, {"direction": "down"})
    assert shown == ["C.6 cannot move down: it is the last question of section C. To take it out of its section, "
                     "choose “(no section)” on its edit page."]
    shown, page = _post(client, "question-move", c7, {"direction": "up"})
    assert shown == ["C.7 moved up."] and _layout(iran)[-2:] == [("", "C.7"), ("", "A.1")]
    assert "moved up outside any section" in _history(page)


def test_another_section_chosen_on_the_edit_page_puts_the_question_at_its_end(client, analyst, iran):
    a2 = iran.questions.get(code="A.2")
    section_c = iran.sections.get(letter="C")
    saved = client.post(reverse("question-edit", args=[a2.pk]), {
        "code": "A.2", "section": section_c.pk, "marking": a2.marking, "text": a2.text,
        "sentences": "\n".join(a2.sentences)}, follow=True)
    assert [str(m) for m in saved.context["messages"]] == ["A.2 saved. It is now the last question of section C."]
    layout = _layout(iran)
    assert layout[-2:] == [("C", "C.7"), ("C", "A.2")] and ("A", "A.3") == layout[1]
    assert "section: A → C" in _history(html.unescape(saved.content.decode()))


def test_a_move_passes_a_question_the_user_may_not_see(client, analyst, iran):
    requirements.edit_question(iran.questions.get(code="A.2"), None, marking="TS")
    shown, page = _post(client, "question-move", iran.questions.get(code="A.3"), {"direction": "up"})
    assert shown == ["A.3 moved up."]
    assert [code for _, code in _layout(iran)[:4]] == ["A.3", "A.1", "A.2", "A.4"]  # one place up, as it sees them
    assert _page_codes(page, ["A.1", "A.3", "A.4"]) == ["A.3", "A.1", "A.4"]
    history = _history(page)  # no place that counts the question it passed
    assert "moved up in section A" in history and "→" not in history[:history.index("moved up")]
    assert RequirementChange.objects.get(action="question moved up").after == {"section": "A"}


def test_a_bad_direction_is_refused(iran, role_user):
    with pytest.raises(RequirementError, match="A.2 can move up or down, nothing else"):
        requirements.move_question(iran.questions.get(code="A.2"), role_user("ana"), "sideways")


def test_the_move_buttons_at_a_sections_edge_say_where_they_go(client, analyst, iran):
    page = client.get(iran.get_absolute_url()).content.decode()
    a4_row = page[page.index(f'id="q{iran.questions.get(code="A.4").pk}"'):]
    a4_row = a4_row[:a4_row.index("</tr>")]
    assert 'title="Move down into the section below, as its first question"' in a4_row
    assert 'title="Move up"' in a4_row
    a1_row = page[page.index(f'id="q{iran.questions.get(code="A.1").pk}"'):]
    assert 'title="Move up"' in a1_row[:a1_row.index("</tr>")]


# ----------------------------------------------------------------------------- retire and restore


def test_retire_and_restore_say_what_happened(client, analyst, iran):
    c6 = iran.questions.get(code="C.6")
    shown, _ = _post(client, "question-retire", c6, {"retired": "1"})
    assert shown == ["C.6 retired: it stays on the set's page, marked retired, until you restore it."]
    shown, _ = _post(client, "question-retire", c6, {"retired": "1"})
    assert shown == ["C.6 is already retired: nothing changed."]
    shown, _ = _post(client, "question-retire", c6, {"retired": "0"})
    assert shown == ["C.6 restored."]
    shown, _ = _post(client, "question-retire", c6, {"retired": "0"})
    assert shown == ["C.6 is not retired: nothing changed."]
    assert RequirementChange.objects.filter(question=c6).count() == 2
