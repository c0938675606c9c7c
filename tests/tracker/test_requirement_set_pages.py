"""The requirement-set pages: list with filters, tasking candidates and one-click creation, a set's page,
and the analysts' corrections through the forms (errors re-display what was typed)."""
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cables.importing import import_paths
from cables.models import Cable
from tests.conftest import PAGES, TEXT_PAGE_SEED
from tracker import requirements
from tracker.models import Question, RequirementChange, RequirementSet

pytestmark = pytest.mark.django_db


def test_an_analyst_creates_a_set_from_the_candidates_with_one_click(client, analyst, iran_cable):
    page = client.get(reverse("candidate-list"))
    assert b"09STATE6423" in page.content and b"C-AL8-02836" in page.content
    response = client.post(reverse("requirement-set-create"), {"reference_id": "09STATE6423"})
    requirement_set = RequirementSet.objects.get(tasking_cable=iran_cable)
    assert response.status_code == 302 and response.url == requirement_set.get_absolute_url()
    page = client.get(response.url)
    assert b"20 questions in 3 sections" in page.content
    for text in (b"IRANIAN OUTREACH", b"C-AL8-02836", b"FOR LATIN AMERICAN POSTS", b"A.1", b"C.7", b"Asuncion"):
        assert text.lower() in page.content.lower(), text
    assert b"09STATE6423" not in client.get(reverse("candidate-list")).content  # it has its set now


def test_creating_from_a_cable_without_questions_says_so_and_creates_nothing(client, analyst, db):
    import_paths([TEXT_PAGE_SEED])
    response = client.post(reverse("requirement-set-create"), {"reference_id": "08MOSCOW3526"}, follow=True)
    assert b"08MOSCOW3526 holds no questions" in response.content
    assert not RequirementSet.objects.exists()


def test_the_list_filters_and_its_query_count_does_not_grow(client, analyst, db):
    import_paths([PAGES / f"{ref}.html" for ref in ("09STATE6423", "09STATE40419", "08STATE30340")])
    sets = [requirements.create_set(Cable.objects.get(reference_id=ref), analyst)  # each with its owner
            for ref in ("09STATE6423", "09STATE40419")]
    requirements.edit_set(sets[1], analyst, status="closed", priority="high")
    url = reverse("requirement-set-list")
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    requirements.create_set(Cable.objects.get(reference_id="08STATE30340"), analyst)
    with CaptureQueriesContext(connection) as more:
        page = client.get(url)
    assert len(few) == len(more) and page.context["page"].paginator.count == 3
    assert [s.tasking_cable.reference_id for s in client.get(url, {"status": "closed"}).context["page"]] == [
        "09STATE40419"]
    assert client.get(url, {"priority": "high"}).context["page"].paginator.count == 1
    assert client.get(url, {"tasked_before": "2008-12-31"}).context["page"].paginator.count == 1
    assert client.get(url, {"tasked_after": "2009-01-01", "origin": "secretary of state"}).context[
        "page"].paginator.count == 2


def test_the_set_page_withholds_questions_beyond_the_readers_clearance(client, role_user, secret_tasking):
    requirement_set = requirements.create_set(secret_tasking)
    client.force_login(role_user("s", "reader", "SECRET", noforn=False))
    page = client.get(requirement_set.get_absolute_url())
    assert page.status_code == 200
    assert b"1 question withheld" in page.content and b"navy officers" not in page.content
    assert b"Who finances" in page.content
    listing = client.get(reverse("requirement-set-list"))
    assert b"(1 withheld)" in listing.content
    client.force_login(role_user("c", "reader", "CONFIDENTIAL", noforn=True))
    assert client.get(requirement_set.get_absolute_url()).status_code == 404


def test_corrections_through_the_pages_are_recorded_and_bad_input_is_redisplayed(client, analyst, iran_cable):
    requirement_set = requirements.create_set(iran_cable)
    a1 = requirement_set.questions.get(code="A.1")
    url = reverse("question-edit", args=[a1.pk])
    typed = {"code": "A.1", "section": a1.section_id, "marking": "TOP SEKRIT", "text": "My rewording",
             "sentences": "One?\nTwo?"}
    response = client.post(url, typed)
    assert response.status_code == 400
    assert b"not a marking" in response.content and b"My rewording" in response.content and b"TOP SEKRIT" in response.content
    response = client.post(url, typed | {"marking": "S"})
    assert response.status_code == 302
    a1.refresh_from_db()
    assert (a1.text, a1.sentences, a1.marking, a1.edited) == ("My rewording", ["One?", "Two?"], "S", True)

    client.post(reverse("question-split", args=[a1.pk]), {"at": "2"})
    assert requirement_set.questions.get(code="A.1b").text == "Two?"
    b2 = requirement_set.questions.get(code="B.2")
    client.post(reverse("question-merge", args=[b2.pk]), {"into": requirement_set.questions.get(code="B.1").pk})
    assert Question.objects.get(pk=b2.pk).retired
    client.post(reverse("question-move", args=[b2.pk]), {"direction": "up"})
    client.post(reverse("question-retire", args=[a1.pk]), {"retired": "1"})
    add = client.post(reverse("question-add", args=[requirement_set.pk]),
                      {"section": a1.section_id, "marking": "C", "text": "Which banks are involved?", "code": ""})
    assert add.status_code == 302 and requirement_set.questions.filter(code="A.5").exists()
    section = requirement_set.sections.get(letter="B")
    client.post(reverse("section-edit", args=[section.pk]), {"letter": "B", "audience": "For everyone"})
    client.post(reverse("requirement-set-edit", args=[requirement_set.pk]),
                {"title": "Iran in Latin America", "status": "active", "priority": "high", "due": "2009-06-30"})
    requirement_set.refresh_from_db()
    assert (requirement_set.title, requirement_set.priority, str(requirement_set.due)) == (
        "Iran in Latin America", "high", "2009-06-30")
    actions = set(RequirementChange.objects.filter(user=analyst).values_list("action", flat=True))
    assert actions == {"question edited", "question split", "questions merged", "question moved up",
                       "question retired", "question added", "section edited", "set edited"}
    history = client.get(requirement_set.get_absolute_url()).content
    assert b"History" in history and b"set edited" in history and b"ana" in history


def test_a_reader_cannot_correct(client, role_user, iran_cable):
    requirement_set = requirements.create_set(iran_cable)
    client.force_login(role_user("r", "reader", "TOP SECRET", noforn=True))
    a1 = requirement_set.questions.get(code="A.1")
    assert client.get(requirement_set.get_absolute_url()).status_code == 200
    assert client.post(reverse("question-retire", args=[a1.pk]), {"retired": "1"}).status_code == 403
    assert client.post(reverse("requirement-set-create"), {"reference_id": "09STATE6423"}).status_code == 403
    assert not Question.objects.get(pk=a1.pk).retired


def test_reextraction_from_the_page_shows_proposals_to_accept(client, analyst, iran_cable):
    requirement_set = requirements.create_set(iran_cable)
    a1 = requirement_set.questions.get(code="A.1")
    requirements.edit_question(a1, analyst, text="Analyst wording.")
    Question.objects.filter(pk=a1.pk).update(extracted={"text": "older"})
    response = client.post(reverse("requirement-set-reextract", args=[requirement_set.pk]), follow=True)
    assert b"1 proposed for your decision" in response.content and b"Proposed by the extractor" in response.content
    proposal = requirement_set.proposals.get()
    client.post(reverse("proposal-decide", args=[proposal.pk]), {"decision": "dismiss"})
    a1.refresh_from_db()
    assert a1.text == "Analyst wording." and requirement_set.proposals.get().state == "dismissed"


def test_a_set_page_names_questions_that_ask_in_the_same_words(client, role_user, tmp_path):
    from cables.importing import import_paths
    from cables.models import Cable
    from tests.tracker.tasking import SECRET_TASKING
    from tracker import requirements

    (tmp_path / "tasking.txt").write_text(SECRET_TASKING)
    import_paths([tmp_path / "tasking.txt"])
    made = requirements.create_set(Cable.objects.get(reference_id="09STATE24680"))
    first, second = made.questions.order_by("order")[:2]
    analyst = role_user("ana", "analyst", "SECRET", noforn=True)
    client.force_login(analyst)
    assert "Same text:" not in client.get(made.get_absolute_url()).content.decode()
    requirements.edit_question(second, analyst, text=first.text.upper() + "  ")
    page = client.get(made.get_absolute_url()).content.decode()
    assert f"Same text: {first.code} and {second.code} ask in the same words: merge or reword them." in page
    requirements.retire_question(second, analyst)
    assert "Same text:" not in client.get(made.get_absolute_url()).content.decode()


def test_creating_a_set_shows_the_extractions_notes_to_a_reader_of_the_whole_cable(client, role_user, tmp_path):
    from cables.importing import import_paths
    from tests.tracker.tasking import SECRET_TASKING

    repeated = SECRET_TASKING.replace(  # the same question pasted twice for the same audience
        "2) (C//NF) What do navy officers say privately about collusion with the gangs?",
        "2) (C//NF) What do navy officers say privately about collusion with the gangs?\n\n"
        "3) (S) Who finances the attacks on offshore platforms? How are the stolen cargoes sold?")
    (tmp_path / "tasking.txt").write_text(repeated)
    import_paths([tmp_path / "tasking.txt"])
    client.force_login(role_user("cleared", "analyst", "SECRET", noforn=True))
    page = client.post(reverse("requirement-set-create"), {"reference_id": "09STATE24680"}, follow=True)
    assert "Check: A.1 and A.3 ask the same question" in page.content.decode()
    RequirementSet.objects.all().delete()
    client.force_login(role_user("uncleared", "analyst", "SECRET", noforn=False))  # A.2 (C//NF) withheld
    page = client.post(reverse("requirement-set-create"), {"reference_id": "09STATE24680"}, follow=True).content
    assert b"The extraction left 1 note" in page and b"Check:" not in page


def test_a_section_without_a_name_is_not_called_outside_any_section(client, role_user, tmp_path):
    from cables.importing import import_paths
    from tests.tracker.tasking import SECRET_TASKING
    from tracker import reports, requirements
    from tracker.models import Question, Section

    (tmp_path / "tasking.txt").write_text(SECRET_TASKING)
    import_paths([tmp_path / "tasking.txt"])
    made = requirements.create_set(Cable.objects.get(reference_id="09STATE24680"))
    unnamed = Section.objects.create(requirement_set=made, letter="", audience="", order=9)
    Question.objects.filter(requirement_set=made, code="A.1").update(section=unnamed)
    Question.objects.filter(requirement_set=made, code="B.1").update(section=None)
    analyst = role_user("ana", "analyst", "SECRET", noforn=True)
    rows = {(r["letter"], r["audience"], r["outside"]): r["current"]
            for r in reports.coverage(made, analyst)["by_section"]}
    assert rows[("", "", False)] == 1 and rows[("", "", True)] == 1
    client.force_login(analyst)
    page = client.get(made.get_absolute_url()).content.decode()
    assert "<em>Unnamed section</em>" in page and "<em>Outside any section</em>" in page
