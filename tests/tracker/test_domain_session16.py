"""Session 16's review of the requirements domain: what a re-import or re-parse keeps (suggestions, question
links, prior reporting), re-ranking when a set reopens or a question comes back, proposals, and counts that
must agree."""
import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from cables.importing import import_paths
from cables.models import Cable
from tests.conftest import PAGES
from tracker import linking, reports, requirements, responses
from tracker.models import Question, Suggestion

pytestmark = pytest.mark.django_db

BRIEF = """\
R {dtg}
FM AMEMBASSY ABUJA
TO SECSTATE WASHDC 0101
BT
C O N F I D E N T I A L ABUJA 000321

E.O. 12958: DECL: 03/12/2019
TAGS: PREL NI
SUBJECT: (U) PIRACY IN THE DELTA

Classified By: Ambassador R. Sanders for reasons 1.4 (b) and (d).

1. (U) Summary follows.

2. (C) Financing: {words}
SANDERS
"""


@pytest.fixture
def iran():
    import_paths([PAGES / "09STATE6423.html"])
    return requirements.create_set(Cable.objects.get(reference_id="09STATE6423"))


def test_a_reimported_cable_keeps_its_suggestions_open_and_rejected(tmp_path, iran, role_user):
    import_paths([PAGES / "08LAPAZ751.html"])
    la_paz = Cable.objects.get(reference_id="08LAPAZ751")
    ana = role_user("ana")
    linking.suggest_for_cables([la_paz.pk])
    shown = Suggestion.objects.visible_to(ana).filter(cable=la_paz)
    before = sorted(shown.values_list("pk", flat=True))
    assert len(before) >= 2
    responses.reject(Suggestion.objects.get(pk=before[0]), ana, "not about Iran")
    page = (PAGES / "08LAPAZ751.html").read_text(encoding="utf-8", errors="replace")
    corrected = tmp_path / "08LAPAZ751.html"
    corrected.write_text(page.replace("Kfir C7s", "Kfir C-7s"), encoding="utf-8")
    assert import_paths([corrected]).updated == 1
    assert sorted(shown.values_list("pk", flat=True)) == before
    assert not Suggestion.objects.filter(cable=la_paz, paragraph=None).exists()
    assert responses.restore_suggestion(Suggestion.objects.get(pk=before[0]), ana) == Suggestion.OPEN


def test_a_reparsed_tasking_cable_keeps_its_questions_paragraph_links(iran):
    linked = sorted(iran.questions.exclude(paragraph=None).values_list("pk", "paragraph_number"))
    assert len(linked) == 20
    Cable.objects.filter(reference_id="09STATE6423").update(fingerprint="x", body="changed")  # parsed anew
    call_command("reparse_cables", "09STATE6423", verbosity=0)
    assert sorted(iran.questions.exclude(paragraph=None).values_list("pk", "paragraph_number")) == linked
    assert all(q.paragraph.cable.reference_id == "09STATE6423" and q.paragraph.number == q.paragraph_number
               for q in iran.questions.select_related("paragraph__cable"))


@pytest.mark.parametrize("first, then, prior", [("121500Z MAR 09", "021500Z JAN 09", True),
                                                ("021500Z JAN 09", "121500Z MAR 09", False)])
def test_a_corrected_date_moves_a_response_across_the_tasking(tmp_path, iran, role_user, first, then, prior):
    ana = role_user("ana")
    (tmp_path / "a.txt").write_text(BRIEF.format(dtg=first, words="Militants take a share of every cargo."))
    import_paths([tmp_path / "a.txt"])
    question = iran.questions.get(code="B.4")
    (response,) = responses.log(ana, Cable.objects.get(reference_id="09ABUJA321"), [question], ["2"], "answers")
    assert response.prior_reporting is not prior
    (tmp_path / "b.txt").write_text(BRIEF.format(dtg=then, words="Militants take a share of every cargo."))
    assert import_paths([tmp_path / "b.txt"]).updated == 1
    response.refresh_from_db()
    assert response.prior_reporting is prior
    assert Question.objects.with_status(ana).get(pk=question.pk).prior_only is prior
    assert reports.coverage(iran, ana)["prior_reporting"] == (1 if prior else 0)


def test_a_reopened_set_and_a_restored_question_are_ranked_again(iran, role_user, monkeypatch):
    from tracker import tasks

    asked: list[list[int]] = []
    monkeypatch.setattr(tasks.suggest_for_questions, "delay_on_commit", lambda ids: asked.append(sorted(ids)))
    ana = role_user("ana")
    requirements.edit_set(iran, ana, status="closed")
    assert asked == []
    retired = iran.questions.get(code="C.1")
    requirements.retire_question(retired, ana)
    requirements.edit_set(iran, ana, status="active")
    assert asked == [sorted(iran.questions.filter(retired=False).values_list("pk", flat=True))]
    requirements.retire_question(retired, ana, retired=False)
    assert asked[-1] == [retired.pk]
    requirements.edit_set(iran, ana, priority="high")
    assert len(asked) == 2


def _reworded_by_extractor(question) -> None:
    """As if an older extractor had read the question otherwise, and an analyst had edited it since."""
    old = "What is Iran doing?"
    Question.objects.filter(pk=question.pk).update(text=old, sentences=[old], edited=True,
                                                   extracted={**question.extracted, "text": old, "sentences": [old]})


def test_an_accepted_rewording_flags_the_responses_and_ranks_again(iran, role_user, monkeypatch):
    from tracker import tasks
    from tracker.models import Proposal

    asked: list[list[int]] = []
    monkeypatch.setattr(tasks.suggest_for_questions, "delay_on_commit", lambda ids: asked.append(sorted(ids)))
    import_paths([PAGES / "08SANTIAGO678.html"])
    ana = role_user("ana")
    question = iran.questions.get(code="C.1")
    (response,) = responses.log(ana, Cable.objects.get(reference_id="08SANTIAGO678"), [question], ["9"], "answers")
    _reworded_by_extractor(question)
    requirements.reextract(iran, ana)
    proposal = Proposal.objects.get(question=question, state=Proposal.PENDING)
    requirements.decide(proposal, ana, accept=True)
    response.refresh_from_db()
    assert response.to_review and asked[-1] == [question.pk]


def test_a_dismissed_proposal_is_not_filed_again(iran, role_user):
    from tracker.models import Proposal

    ana = role_user("ana")
    question = iran.questions.get(code="C.1")
    _reworded_by_extractor(question)
    assert requirements.reextract(iran, ana)["proposed"] == 1
    requirements.decide(Proposal.objects.get(question=question, state=Proposal.PENDING), ana, accept=False)
    assert requirements.reextract(iran, ana)["proposed"] == 0
    assert list(Proposal.objects.filter(question=question).values_list("state", flat=True)) == [Proposal.DISMISSED]


def test_a_post_answering_only_a_retired_question_counts_alike_in_coverage_and_matrix(iran, role_user):
    import_paths([PAGES / "09MEXICO3061.html"])
    ana = role_user("ana")
    question = iran.questions.get(code="B.2")
    responses.log(ana, Cable.objects.get(reference_id="09MEXICO3061"), [question], ["4"], "partly")
    requirements.retire_question(question, ana)
    (posted,) = [row for row in reports.coverage(iran, ana)["by_post"] if "Mexico" in row["post"]]
    (row,) = [row for row in reports.matrix(iran, ana)["rows"] if "Mexico" in row["post"]]
    assert (posted["responses"], posted["last_response"], posted["partly"]) == (0, None, 0)
    assert row["silent"] and row["partly"] == 0


def test_an_answer_resting_on_prior_reporting_is_prior_only_beside_a_fresh_partly(iran, role_user):
    import_paths([PAGES / "08SANTIAGO678.html", PAGES / "09BRASILIA1230.html"])
    ana = role_user("ana")
    question = iran.questions.get(code="C.1")
    old, new = (Cable.objects.get(reference_id=r) for r in ("08SANTIAGO678", "09BRASILIA1230"))
    assert old.created < iran.tasked < new.created
    (prior,) = responses.log(ana, old, [question], ["9"], "answers")
    (fresh,) = responses.log(ana, new, [question], ["4"], "partly")
    assert prior.prior_reporting and not fresh.prior_reporting
    row = Question.objects.with_status(ana).get(pk=question.pk)
    assert (row.derived_status, row.prior_only) == ("answered", True)
    responses.log(ana, new, [question], ["4"], "answers")  # now fresh reporting answers it too
    row = Question.objects.with_status(ana).get(pk=question.pk)
    assert (row.derived_status, row.prior_only) == ("answered", False)


def test_suggest_ranks_a_bulk_load_made_without_ranking(iran, settings, capsys):
    settings.SUGGEST_ON_IMPORT = False
    import_paths([PAGES / "08LAPAZ751.html", PAGES / "08SANTIAGO678.html"])
    assert not Suggestion.objects.exists()
    call_command("suggest", "08LAPAZ751", "--no-progress")
    assert set(Suggestion.objects.values_list("cable__reference_id", flat=True)) == {"08LAPAZ751"}
    call_command("suggest", "--no-progress")
    assert "cables ranked" in capsys.readouterr().out
    ranked = Suggestion.objects.count()
    assert {"08LAPAZ751", "08SANTIAGO678"} <= set(Suggestion.objects.values_list("cable__reference_id", flat=True))
    call_command("suggest", "--no-progress", "--batch", "1")
    assert Suggestion.objects.count() == ranked  # nothing suggested twice
    with pytest.raises(CommandError, match="no such cable in the store: 99NOWHERE1"):
        call_command("suggest", "99NOWHERE1", "--no-progress")
    with pytest.raises(CommandError, match="--batch"):
        call_command("suggest", "--batch", "0")


def test_the_set_api_lists_the_questions_outside_any_section(client, iran, role_user):
    ana = role_user("ana")
    requirements.add_question(iran, ana, section=None, marking="S", text="Who else funds the IRGC abroad?")
    client.force_login(ana)
    detail = client.get(reverse("api-requirement-set-detail", args=[iran.pk])).json()
    codes = [q["code"] for section in detail["sections"] for q in section["questions"]]
    loose = [q["text"] for q in detail["questions"]]
    assert loose == ["Who else funds the IRGC abroad?"]
    coverage = client.get(reverse("api-requirement-set-coverage", args=[iran.pk])).json()
    assert len(codes) + len(loose) == coverage["questions"] == 21


def test_a_section_added_is_recorded_with_its_posts(client, iran, role_user):
    from tracker.models import RequirementChange, Section

    ana = role_user("ana")
    post = iran.addressed_posts.order_by("name").first()
    client.force_login(ana)
    added = client.post(reverse("section-add", args=[iran.pk]), {"letter": "D", "audience": "FOR CARACAS",
                                                                 "posts": [post.pk]})
    assert added.status_code == 302
    section = Section.objects.get(requirement_set=iran, letter="D")
    change = RequirementChange.objects.get(section=section, action="section added")
    assert change.after["posts"] == [post.name] == [p.name for p in section.posts.all()]
