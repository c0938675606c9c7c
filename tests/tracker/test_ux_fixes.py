"""Usability fixes found by a walkthrough: logging again never silently lowers a response, questions are
listed in the set's order, a question leaves its section, the set's edit errors are in sight, the response
form groups its questions by set, a linked paragraph is not suggested again, sections are validated, the
history reads as text, retraction is confirmed, a response needs a paragraph, a split keeps the audience,
and date filters take dates and say when they do not."""
import re

import pytest
from django.urls import reverse

from cables.importing import import_paths
from cables.models import Cable
from tests.conftest import PAGES
from tracker import requirements, responses
from tracker.models import Question, Response, Suggestion

pytestmark = pytest.mark.django_db


@pytest.fixture
def cuba(db):
    """The Cuba-Russia set (09STATE40419) and 09MOSCOW1730, which cites it."""
    import_paths([PAGES / name for name in ("09STATE40419.html", "09MOSCOW1730.html", "09STATE6423.html",
                                             "08LAPAZ751.html")])
    return requirements.create_set(Cable.objects.get(reference_id="09STATE40419"))


@pytest.fixture
def moscow(cuba):
    return Cable.objects.get(reference_id="09MOSCOW1730")


@pytest.fixture
def answered(cuba, moscow, analyst):
    """D answered by 09MOSCOW1730 ¶1, 4, 5, 6, "answers" with high confidence, as in the demo."""
    d = cuba.questions.get(code="D")
    return responses.log(analyst, moscow, [d], ["1", "4", "5", "6"], "answers", "high", "Russia's priorities")[0]


def _suggest(question, cable, number, score=0.3) -> Suggestion:
    return Suggestion.objects.create(question=question, cable=cable, paragraph=cable.paragraphs.get(number=number),
                                     paragraph_number=number, score=score)


def _codes(html: bytes, codes) -> list[str]:
    """The order in which these question codes' rows appear on a page."""
    text = html.decode()
    found = {code: text.find(f"<strong>{code}</strong>") for code in codes}
    assert all(at >= 0 for at in found.values()), found
    return sorted(codes, key=found.get)


# ----------------------------------------------------------------------------- 1. no silent overwrite


def test_accepting_a_suggestion_for_an_answered_question_keeps_the_response_and_adds_the_paragraph(
        client, answered, moscow):
    seven = _suggest(answered.question, moscow, "7")
    page = client.get(reverse("question-detail", args=[answered.question_id])).content.decode()
    card = page[page.index(f'id="s{seven.pk}"'):]
    assert "already answers this question" in card and "Add to the response" in card
    assert re.search(r'<option value="answers" selected>', card)  # the card starts from the response's own
    result = client.post(reverse("suggestion-decide", args=[seven.pk]),
                         {"decision": "accept", "assessment": "answers", "shown_assessment": "answers"}, follow=True)
    answered.refresh_from_db()
    assert (answered.assessment, answered.confidence) == ("answers", "high")  # was reset to medium
    assert answered.paragraph_numbers == ["1", "4", "5", "6", "7"]
    assert b"added to the existing response" in result.content
    assert Question.objects.with_status(answered.created_by).get(pk=answered.question_id).status == "answered"


def test_accepting_as_partly_does_not_lower_an_answering_response_unasked(client, answered, moscow):
    eight = _suggest(answered.question, moscow, "8")
    result = client.post(reverse("suggestion-decide", args=[eight.pk]),
                         {"decision": "accept", "assessment": "partly", "shown_assessment": "answers"}, follow=True)
    answered.refresh_from_db()
    assert (answered.assessment, answered.confidence) == ("answers", "high")
    assert "8" not in answered.paragraph_numbers and Suggestion.objects.get(pk=eight.pk).state == Suggestion.OPEN
    assert "would lower its assessment from “answers” to “partly answers”" in result.content.decode()
    # raising is an explicit choice, and is taken
    partly = responses.log(answered.created_by, moscow, [answered.question.requirement_set.questions.get(code="C")],
                           ["2"], "partly", "low")[0]
    nine = _suggest(partly.question, moscow, "3")
    client.post(reverse("suggestion-decide", args=[nine.pk]),
                {"decision": "accept", "assessment": "answers", "shown_assessment": "partly"})
    partly.refresh_from_db()
    assert (partly.assessment, partly.confidence, partly.paragraph_numbers) == ("answers", "low", ["2", "3"])


def test_logging_a_paragraph_by_hand_keeps_the_existing_confidence(client, answered):
    # the question page's form does not know the cable yet: it shows the defaults, answers and medium
    posted = client.post(reverse("response-create"), {
        "cable": "09MOSCOW1730", "paragraphs": "2", "questions": [answered.question_id], "assessment": "answers",
        "confidence": "medium", "shown_assessment": "answers", "shown_confidence": "medium", "note": ""})
    assert posted.status_code == 302
    answered.refresh_from_db()
    assert (answered.assessment, answered.confidence) == ("answers", "high")  # was reset to medium
    assert answered.paragraph_numbers == ["1", "4", "5", "6", "2"]


def test_the_form_for_an_existing_response_names_it_and_starts_from_its_values(client, answered):
    page = client.get(reverse("response-create"), {"cable": "09MOSCOW1730", "question": answered.question_id})
    html = page.content.decode()
    assert "This will update the existing response" in html
    assert "09MOSCOW1730</a> to <a" in html and f'{reverse("response-edit", args=[answered.pk])}' in html
    assert re.search(r'<option value="high" selected>', html) and re.search(r'<option value="answers" selected>', html)
    assert 'name="shown_confidence" value="high"' in html and "Update the response" in html


def test_a_downgrade_from_the_form_is_explicit(client, answered):
    typed = {"cable": "09MOSCOW1730", "paragraphs": "2", "questions": [answered.question_id],
             "assessment": "partly", "confidence": "high", "shown_assessment": "answers",
             "shown_confidence": "high", "note": "only partly after all"}
    refused = client.post(reverse("response-create"), typed)
    assert refused.status_code == 400
    assert "would lower its assessment from “answers” to “partly answers”" in refused.content.decode()
    assert b"only partly after all" in refused.content  # what was typed is kept
    answered.refresh_from_db()
    assert (answered.assessment, answered.paragraph_numbers) == ("answers", ["1", "4", "5", "6"])
    assert client.post(reverse("response-create"), typed | {"downgrade": "on"}).status_code == 302
    answered.refresh_from_db()
    assert (answered.assessment, answered.confidence) == ("partly", "high")


# ----------------------------------------------------------------------------- 2. the set's order


def test_moving_a_question_shows_on_the_set_page_the_print_page_and_the_api(client, analyst, cuba):
    b = cuba.questions.get(code="B")
    moved = client.post(reverse("question-move", args=[b.pk]), {"direction": "up"}, follow=True)
    assert b"B moved up." in moved.content
    assert _codes(moved.content, ["A", "B", "C"]) == ["B", "A", "C"]
    printed = client.get(reverse("requirement-set-print", args=[cuba.pk])).content.decode()
    assert printed.index("<td>B</td>") < printed.index("<td>A</td>")
    api = client.get(reverse("api-requirement-set-detail", args=[cuba.pk])).json()
    codes = [q["code"] for section in api["sections"] for q in section["questions"]]
    assert codes[:3] == ["B", "A", "C"]


def test_a_split_question_stays_in_its_place(client, analyst, cuba):
    a = cuba.questions.get(code="A")
    client.post(reverse("question-split", args=[a.pk]), {"at": "2"})
    page = client.get(cuba.get_absolute_url())
    assert _codes(page.content, ["A", "Ab", "B"]) == ["A", "Ab", "B"]


# ----------------------------------------------------------------------------- 3. leaving a section


def test_a_question_can_be_taken_out_of_its_section(client, analyst, cuba):
    a = cuba.questions.get(code="A")
    assert a.section_id is not None
    saved = client.post(reverse("question-edit", args=[a.pk]), {
        "code": "A", "section": "", "marking": a.marking, "text": a.text, "sentences": "\n".join(a.sentences)},
        follow=True)
    assert b"A saved." in saved.content
    a.refresh_from_db()
    assert a.section_id is None
    assert b"Questions outside any section" in saved.content
    history = saved.content.decode()
    assert "section: (unnamed section) → (none)" in history[history.index("<h2>History</h2>"):]


# ----------------------------------------------------------------------------- 4. the set's edit errors


def test_the_sets_edit_errors_are_in_sight_and_get_on_edit_opens_the_form(client, analyst, cuba):
    url = reverse("requirement-set-edit", args=[cuba.pk])
    bad = client.post(url, {"title": "", "status": "active", "priority": "high", "due": "2009-13-45"})
    assert bad.status_code == 400
    html = bad.content.decode()
    top = html.index("The set was not saved")
    assert top < html.index("<h1>")  # above the page, not only beside the form far below
    assert "Title: This field is required." in html and "Due: Enter a valid date." in html
    assert re.search(r'<details class="edit-set" id="edit-set" open>', html)
    assert re.search(r'<input[^>]*name="title"[^>]*autofocus|<input[^>]*autofocus[^>]*name="title"', html)
    reloaded = client.get(url)
    assert reloaded.status_code == 302 and reloaded.url == f"{cuba.get_absolute_url()}?edit#edit-set"
    opened = client.get(reloaded.url).content.decode()
    assert re.search(r'<details class="edit-set" id="edit-set" open>', opened)
    assert not re.search(r'<details class="edit-set" id="edit-set" open>',
                         client.get(cuba.get_absolute_url()).content.decode())


# ----------------------------------------------------------------------------- 5. the response form


def test_the_response_forms_questions_are_grouped_by_set_and_labelled(client, analyst, cuba):
    requirements.create_set(Cable.objects.get(reference_id="09STATE6423"))
    page = client.get(reverse("response-create"), {"cable": "08LAPAZ751"}).content.decode()
    assert '<legend>Cuba-Russia relationship (09STATE40419)</legend>' in page
    assert re.search(r'<legend>[^<]*\(09STATE6423\)</legend>', page)
    assert re.search(r">\s*A\.1: \S+", page) and "D: FOR MOSCOW: WHICH BILATERAL RELATIONSHIP" in page
    assert "Tick every question the paragraphs answer" in page and "Hold Ctrl" not in page
    # another cable: the form is the new cable's (heading, paragraphs), ticks are not carried over
    other = client.get(reverse("response-create"), {"cable": "09MOSCOW1730", "question": "1", "note": "kept"})
    html = other.content.decode()
    assert "Log a response: 09MOSCOW1730 answers" in html and "kept</textarea>" in html
    # the set it cites first, then the others: a citation does not limit what a cable may answer
    assert re.findall(r'<legend>[^<]*\((09STATE\d+)\)( · cited by this cable)?</legend>', html) == [
        ("09STATE40419", " · cited by this cable"), ("09STATE6423", "")]
    assert 'data-loaded="09MOSCOW1730"' in html


# ----------------------------------------------------------------------------- 6. linked paragraphs


def test_a_paragraph_already_linked_to_the_question_is_not_suggested(client, answered, moscow):
    five = _suggest(answered.question, moscow, "5")  # stored before the response (as the demo's were)
    seven = _suggest(answered.question, moscow, "7")
    page = client.get(reverse("question-detail", args=[answered.question_id])).content.decode()
    assert f'id="s{five.pk}"' not in page and f'id="s{seven.pk}"' in page
    # logging a paragraph takes up its open suggestion: the cable's page no longer offers it
    client.post(reverse("response-create"), {
        "cable": "09MOSCOW1730", "paragraphs": "7", "questions": [answered.question_id], "assessment": "answers",
        "confidence": "high", "shown_assessment": "answers", "shown_confidence": "high"})
    assert Suggestion.objects.get(pk=seven.pk).state == Suggestion.ACCEPTED
    cable_page = client.get(moscow.get_absolute_url()).content.decode()
    assert f'id="s{seven.pk}"' not in cable_page
    question_page = client.get(reverse("question-detail", args=[answered.question_id])).content.decode()
    assert f'id="s{seven.pk}"' not in question_page


# ----------------------------------------------------------------------------- 7. sections


def test_an_empty_or_duplicate_section_is_refused_with_what_was_typed(client, analyst, iran_cable):
    requirement_set = requirements.create_set(iran_cable)
    url = reverse("section-add", args=[requirement_set.pk])
    before = requirement_set.sections.count()
    empty = client.post(url, {"letter": "", "audience": ""})
    assert empty.status_code == 400 and b"needs a letter or an audience" in empty.content
    twice = client.post(url, {"letter": "A", "audience": "For the second A"})
    assert twice.status_code == 400 and b"already has a section A" in twice.content
    assert b"For the second A" in twice.content
    assert requirement_set.sections.count() == before
    added = client.post(url, {"letter": "", "audience": "FOR HAVANA"})
    assert added.status_code == 302
    a1 = requirement_set.questions.get(code="A.1")
    form = client.get(reverse("question-edit", args=[a1.pk])).content.decode()
    assert ">FOR HAVANA</option>" in form and "-: " not in form
    b = requirement_set.sections.get(letter="B")
    assert client.post(reverse("section-edit", args=[b.pk]), {"letter": "A", "audience": b.audience}).status_code == 400


# ----------------------------------------------------------------------------- 8. history as text


def test_history_reads_as_field_old_to_new(client, analyst, answered):
    requirement_set = answered.question.requirement_set
    client.post(reverse("requirement-set-edit", args=[requirement_set.pk]),
                {"title": "Cuba and Russia", "status": "active", "priority": "high"})
    page = client.get(requirement_set.get_absolute_url()).content.decode()
    history = page[page.index("<h2>History</h2>"):]
    assert "title: Cuba-Russia relationship → Cuba and Russia" in history
    assert "{&#x27;" not in history and "{'" not in history
    responses.edit(answered, analyst, assessment="partly")
    edit = client.get(reverse("response-edit", args=[answered.pk])).content.decode()
    edit_history = edit[edit.index("<h2>History</h2>"):]
    assert "assessment: answers → partly answers" in edit_history and "paragraphs: 1, 4, 5, 6" in edit_history
    assert "{}" not in edit_history and "{&#x27;" not in edit_history


def test_describe_change_flattens_nested_states():
    lines = requirements.describe_change({}, {"kept": {"code": "A", "text": "One?"}, "new": {"code": "Ab"}})
    assert lines == ["kept · code: A", "kept · text: One?", "new · code: Ab"]
    assert requirements.describe_change({"retracted": False}, {"retracted": True}) == ["retracted: no → yes"]


# ----------------------------------------------------------------------------- 9. the smaller ones


def test_retracting_asks_first(client, answered):
    url = reverse("response-retract", args=[answered.pk])
    question_page = client.get(reverse("question-detail", args=[answered.question_id])).content.decode()
    assert f'<a href="{url}">retract' in question_page
    confirm = client.get(url)
    assert confirm.status_code == 200 and b"Retract this response?" in confirm.content
    assert b"09MOSCOW1730" in confirm.content and b'name="confirm"' in confirm.content
    unconfirmed = client.post(url)
    assert unconfirmed.status_code == 302 and unconfirmed.url == url
    answered.refresh_from_db()
    assert not answered.retracted
    client.post(url, {"confirm": "1"})
    answered.refresh_from_db()
    assert answered.retracted


def test_a_response_needs_a_paragraph(client, analyst, cuba):
    d = cuba.questions.get(code="D")
    refused = client.post(reverse("response-create"), {
        "cable": "09MOSCOW1730", "paragraphs": " , ", "questions": [d.pk], "assessment": "answers",
        "confidence": "medium", "note": "no paragraph"})
    assert refused.status_code == 400 and b"at least one paragraph" in refused.content
    assert not Response.objects.exists()


def test_a_split_keeps_the_audience_before_the_sentences(cuba, analyst):
    a = cuba.questions.get(code="A")
    assert a.text.startswith("FOR HAVANA: ") and not a.sentences[0].startswith("FOR HAVANA")
    new = requirements.split_question(a, analyst, 1)
    a.refresh_from_db()
    assert a.text == "FOR HAVANA: " + a.sentences[0]
    assert new.text == "FOR HAVANA: " + " ".join(new.sentences)


def test_date_filters_are_dates_and_an_invalid_one_lists_nothing(client, analyst, cuba):
    sets = client.get(reverse("requirement-set-list"))
    assert b'type="date" name="tasked_after"' in sets.content
    bad = client.get(reverse("requirement-set-list"), {"tasked_after": "last spring"})
    assert bad.context["page"].paginator.count == 0
    assert b"Enter a valid date" in bad.content and b"nothing is listed until it is fixed" in bad.content
    dashboard = client.get(reverse("dashboard"))
    assert b'type="date" name="tasked_after"' in dashboard.content
    bad = client.get(reverse("dashboard"), {"tasked_before": "31/31/2009"})
    assert b"nothing is listed until it is fixed" in bad.content and b"Enter a valid date" in bad.content
    assert b"<strong>D</strong>" not in bad.content
    assert b"<strong>D</strong>" in client.get(reverse("dashboard")).content
