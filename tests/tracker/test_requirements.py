"""Requirement sets in the database: made from stored cables, corrected by analysts with every change
recorded, and re-extracted without silently overwriting an analyst's edit."""
import re

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from cables.importing import import_paths
from cables.models import Cable
from tests.conftest import PAGES, TEXT_PAGE_SEED
from tracker import requirements
from tracker.models import AuditEvent, Post, Proposal, Question, RequirementChange, TaskingCandidate
from tracker.requirements import RequirementError

pytestmark = pytest.mark.django_db


def _codes(requirement_set) -> list[str]:
    return list(requirement_set.questions.order_by("order").values_list("code", flat=True))


@pytest.mark.parametrize("fixture", ["iran_cable", "flattened_iran_cable"])
def test_the_iran_questionnaire_becomes_three_sections_and_twenty_questions(request, fixture):
    cable = request.getfixturevalue(fixture)
    requirement_set = requirements.create_set(cable)
    sections = list(requirement_set.sections.order_by("order"))
    assert [s.letter for s in sections] == ["A", "B", "C"]
    assert [s.questions.count() for s in sections] == [4, 9, 7]
    assert _codes(requirement_set) == [f"A.{n}" for n in range(1, 5)] + [f"B.{n}" for n in range(1, 10)] + [
        f"C.{n}" for n in range(1, 8)]
    markings = dict(requirement_set.questions.values_list("code", "marking"))
    assert markings.pop("C.5") == "C//NF" and set(markings.values()) == {"S//NF"}
    assert requirement_set.collection_reference == "C-AL8-02836"
    assert requirement_set.tasked == cable.created and requirement_set.issuer == "Secretary of State"
    assert requirement_set.title.lower().startswith("iranian outreach to latin america")
    posts = set(requirement_set.addressed_posts.values_list("key", flat=True))
    assert {"ASUNCION", "HAVANA", "MONTERREY", "IRANCOLLECTIVE"} <= posts and len(posts) == len(cable.to)
    c5 = requirement_set.questions.get(code="C.5")
    assert c5.paragraph.cable_id == cable.pk and c5.paragraph.number == "C.5"
    assert len(c5.sentences) == 2 and "HIZBALLAH" in c5.text.upper()
    latin = set(sections[2].posts.values_list("key", flat=True))
    assert "ASUNCION" in latin and "IRANCOLLECTIVE" not in latin
    assert RequirementChange.objects.filter(requirement_set=requirement_set, action="extracted").count() == 1


def test_a_set_per_tasking_cable_and_a_clear_error_for_a_cable_without_questions(iran_cable):
    requirements.create_set(iran_cable)
    with pytest.raises(RequirementError, match="already has its requirement set"):
        requirements.create_set(iran_cable)
    import_paths([TEXT_PAGE_SEED])
    moscow = Cable.objects.get(reference_id="08MOSCOW3526")
    with pytest.raises(RequirementError, match="08MOSCOW3526 holds no questions"):
        requirements.create_set(moscow)
    assert not moscow.__class__.objects.filter(requirement_set__isnull=False, reference_id="08MOSCOW3526").exists()


def test_tasking_cables_are_flagged_on_import_and_responses_are_not(db):
    import_paths([PAGES / name for name in ("09STATE6423.html", "09STATE40419.html", "08STATE30340.html",
                                            "09MOSCOW1730.html", "08BOGOTA4036.html", )] + [TEXT_PAGE_SEED])
    flagged = set(TaskingCandidate.objects.values_list("cable__reference_id", flat=True))
    assert flagged == {"09STATE6423", "09STATE40419", "08STATE30340"}
    signals = TaskingCandidate.objects.get(cable__reference_id="09STATE6423").signals
    assert any("C-AL8-02836" in s for s in signals)


def test_the_command_extracts_and_says_clearly_when_it_cannot(iran_cable, capsys):
    import_paths([TEXT_PAGE_SEED])
    call_command("extract_requirements", "09state6423")
    assert "3 sections, 20 questions" in capsys.readouterr().out
    with pytest.raises(CommandError) as failure:
        call_command("extract_requirements", "08MOSCOW3526", "09XYZ1")
    err = capsys.readouterr().err
    assert "08MOSCOW3526: 08MOSCOW3526 holds no questions" in err and "09XYZ1: no such cable" in err
    assert failure.value.returncode == 1


# ----------------------------------------------------------------------------- corrections and history


@pytest.fixture
def iran_set(iran_cable, role_user):
    return requirements.create_set(iran_cable, role_user("maker"))


def test_every_correction_is_recorded_with_who_before_and_after(iran_set, role_user):
    analyst = role_user("ana")
    a1 = iran_set.questions.get(code="A.1")
    old_text = a1.text
    requirements.edit_question(a1, analyst, text="What are Tehran's strategic intentions in Latin America?",
                               marking="(S)")
    a1.refresh_from_db()
    assert a1.edited and a1.marking == "S" and (a1.level, a1.noforn) == (2, False)
    change = RequirementChange.objects.filter(question=a1).first()
    assert change.user == analyst and change.action == "question edited"
    assert change.before["text"] == old_text and change.after["marking"] == "S"
    audit = AuditEvent.objects.filter(action=AuditEvent.REQUIREMENTS, user=analyst).first()
    assert audit.target == "09STATE6423 A.1" and audit.details["before"]["marking"] == "S//NF"

    b1 = iran_set.questions.get(code="B.1")
    new = requirements.split_question(b1, analyst, 1)
    b1.refresh_from_db()
    assert new.code == "B.1b" and len(b1.sentences) == 1 and new.sentences and new.order == b1.order + 1
    assert _codes(iran_set).index("B.1b") == _codes(iran_set).index("B.1") + 1

    c5, c4 = iran_set.questions.get(code="C.5"), iran_set.questions.get(code="C.4")
    requirements.merge_questions(c4, c5, analyst)
    c4.refresh_from_db(), c5.refresh_from_db()
    assert c4.retired and c5.text.endswith(c4.text) and c5.marking == "S//NF"  # the stricter marking wins

    requirements.move_question(iran_set.questions.get(code="A.2"), analyst, "up")
    assert _codes(iran_set)[:2] == ["A.2", "A.1"]
    with pytest.raises(RequirementError, match="cannot move up"):
        requirements.move_question(iran_set.questions.get(code="A.2"), analyst, "up")

    added = requirements.add_question(iran_set, analyst, section=iran_set.sections.get(letter="A"),
                                      text="Who in the MOIS runs the program?", marking="S//NF")
    assert added.code == "A.5" and added.origin == Question.ANALYST
    requirements.retire_question(added, analyst)
    requirements.retire_question(added, analyst, retired=False)
    section = iran_set.sections.get(letter="C")
    requirements.edit_section(section, analyst, audience="For posts in South America",
                              posts=list(Post.objects.filter(key__in=["LIMA", "QUITO"])))
    actions = list(RequirementChange.objects.filter(user=analyst).values_list("action", flat=True))
    assert sorted(set(actions)) == sorted({"question edited", "question split", "questions merged",
                                           "question moved up", "question added", "question retired",
                                           "question restored", "section edited"})
    section_change = RequirementChange.objects.get(action="section edited")
    assert section_change.after["posts"] == ["Lima", "Quito"] and "Asuncion" in section_change.before["posts"]
    assert RequirementChange.objects.count() == AuditEvent.objects.filter(action=AuditEvent.REQUIREMENTS).count()


def test_bad_corrections_are_refused_and_change_nothing(iran_set, role_user):
    analyst = role_user("ana")
    a1 = iran_set.questions.get(code="A.1")
    with pytest.raises(RequirementError, match="not a marking"):
        requirements.edit_question(a1, analyst, marking="SUPER SECRET")
    with pytest.raises(RequirementError, match="A.2 is already a question"):
        requirements.edit_question(a1, analyst, code="A.2")
    with pytest.raises(RequirementError, match="one sentence|split before sentence"):
        requirements.split_question(a1, analyst, 0)
    with pytest.raises(RequirementError, match="same set"):
        requirements.merge_questions(a1, a1, analyst)
    a1.refresh_from_db()
    assert not a1.edited and not RequirementChange.objects.filter(user=analyst).exists()


# ----------------------------------------------------------------------------- re-extraction


def test_reextraction_proposes_beside_an_analysts_edit_and_never_overwrites_it(iran_set, role_user):
    analyst = role_user("ana")
    a1, a2 = iran_set.questions.get(code="A.1"), iran_set.questions.get(code="A.2")
    requirements.edit_question(a1, analyst, text="Reworded by an analyst.")
    # Nothing new from the extractor: nothing changes, nothing is proposed.
    assert requirements.reextract(iran_set) == {"updated": 0, "added": 0, "proposed": 0, "unchanged": 20,
                                                "withheld": 0}

    # The extractor says something else now (a parser fix, say): simulate by changing what it said before.
    Question.objects.filter(pk__in=[a1.pk, a2.pk]).update(extracted={"text": "what an older parser said"})
    counts = requirements.reextract(iran_set, analyst)
    assert counts == {"updated": 1, "added": 0, "proposed": 1, "unchanged": 18, "withheld": 0}
    a1.refresh_from_db(), a2.refresh_from_db()
    assert a1.text == "Reworded by an analyst."  # the analyst's edit stands
    proposal = Proposal.objects.get(question=a1)
    assert proposal.state == Proposal.PENDING and "TEHRAN" in proposal.proposed["text"].upper()
    assert RequirementChange.objects.filter(question=a2, action="re-extracted").exists()  # untouched: updated
    # Running it again files no second copy of the same proposal.
    Question.objects.filter(pk=a1.pk).update(extracted={"text": "what an older parser said"})
    assert requirements.reextract(iran_set)["proposed"] == 0

    requirements.decide(proposal, analyst, accept=True)
    a1.refresh_from_db()
    assert "TEHRAN" in a1.text.upper() and proposal.state == Proposal.ACCEPTED
    assert RequirementChange.objects.filter(question=a1, action="proposal accepted (change)", user=analyst).exists()
    with pytest.raises(RequirementError, match="already accepted"):
        requirements.decide(proposal, analyst, accept=False)


def test_a_question_the_extractor_no_longer_finds_is_proposed_for_retirement(iran_set):
    a3 = iran_set.questions.get(code="A.3")
    Question.objects.filter(pk=a3.pk).update(code="A.99", paragraph_number="")
    counts = requirements.reextract(iran_set)
    assert counts["added"] == 1  # A.3 again, as the extractor finds it
    retire = Proposal.objects.get(kind=Proposal.RETIRE)
    assert retire.question_id == a3.pk and not Question.objects.get(pk=a3.pk).retired


def test_questions_are_visible_by_their_own_marking(secret_tasking, role_user):
    requirement_set = requirements.create_set(secret_tasking)
    assert _codes(requirement_set) == ["A.1", "A.2", "B.1"]
    without_noforn = role_user("s", clearance="SECRET", noforn=False)
    with_noforn = role_user("snf", clearance="SECRET", noforn=True)
    confidential = role_user("c", clearance="CONFIDENTIAL", noforn=True)
    assert list(Question.objects.visible_to(without_noforn).values_list("code", flat=True)) == ["A.1", "B.1"]
    assert Question.objects.visible_to(with_noforn).count() == 3
    assert not Question.objects.visible_to(confidential).exists()  # the set's cable is SECRET
    a = requirement_set.sections.get(letter="A")
    assert set(a.posts.values_list("key", flat=True)) == {"ABUJA", "ACCRA"}


def test_a_split_out_of_range_names_the_sentences_it_may_split_before(iran_set, role_user):
    analyst = role_user("ana")
    two = next(q for q in iran_set.questions.all() if len(q.sentences) == 2)
    with pytest.raises(RequirementError, match=rf"^{re.escape(two.code)} has 2 sentences: split before sentence 2$"):
        requirements.split_question(two, analyst, 5)
