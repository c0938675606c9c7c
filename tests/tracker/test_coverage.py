"""A set's coverage: counts overall, by section and by post, within the user's clearance, in a fixed
number of queries."""
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cables.importing import import_paths
from cables.models import Cable
from tests.conftest import PAGES, TEXT_PAGE_SEED
from tests.tracker.tasking import SECRET_TASKING
from tracker import reports, requirements, responses

pytestmark = pytest.mark.django_db


@pytest.fixture
def iran(db):
    import_paths([PAGES / "09STATE6423.html", PAGES / "09MOSCOW2528.html", TEXT_PAGE_SEED])
    return requirements.create_set(Cable.objects.get(reference_id="09STATE6423"))


def test_coverage_overall_by_section_and_by_post(iran, role_user, client):
    analyst = role_user("ana")
    later, prior = (Cable.objects.get(reference_id=r) for r in ("09MOSCOW2528", "08MOSCOW3526"))
    responses.log(analyst, later, [iran.questions.get(code="A.1")], [], "answers")
    responses.log(analyst, later, [iran.questions.get(code="B.1")], [], "partly")
    responses.log(analyst, prior, [iran.questions.get(code="B.2")], [], "answers")
    requirements.retire_question(iran.questions.get(code="C.7"), analyst)
    result = reports.coverage(iran, analyst)
    assert {k: result[k] for k in ("questions", "answered", "partly", "unanswered", "retired", "prior_reporting",
                                   "withheld")} == {"questions": 20, "answered": 2, "partly": 1, "unanswered": 16,
                                                    "retired": 1, "prior_reporting": 1, "withheld": 0}
    assert result["percent_answered"] == round(100 * 2 / 19, 1)
    assert [(s["letter"], s["questions"], s["answered"], s["partly"]) for s in result["by_section"]] == [
        ("A", 4, 1, 0), ("B", 9, 1, 1), ("C", 7, 0, 0)]
    by_post = {row["post"]: row for row in result["by_post"]}
    assert by_post["Moscow"]["responses"] == 3 and not by_post["Moscow"]["addressed"]
    assert by_post["Asuncion"]["addressed"] and by_post["Asuncion"]["responses"] == 0  # silent
    client.force_login(analyst)
    api = client.get(reverse("api-requirement-set-coverage", args=[iran.pk])).json()
    assert api["answered"] == 2 and api["by_section"][1]["partly"] == 1 and "by_post" in api
    page = client.get(iran.get_absolute_url()).content.decode()
    assert "Coverage" in page and "post silent" in page


def test_coverage_counts_only_what_the_user_may_see(db, tmp_path, role_user):
    path = tmp_path / "gulf.txt"
    path.write_text(SECRET_TASKING)
    import_paths([path])
    requirement_set = requirements.create_set(Cable.objects.get(subject__icontains="GULF OF GUINEA"))
    result = reports.coverage(requirement_set, role_user("s", "reader", "SECRET", noforn=False))
    assert (result["questions"], result["withheld"], result["unanswered"]) == (2, 1, 2)


def test_coverage_takes_the_same_queries_for_a_bigger_set(iran, role_user):
    analyst = role_user("ana")
    later = Cable.objects.get(reference_id="09MOSCOW2528")
    responses.log(analyst, later, [iran.questions.get(code="A.1")], [], "answers")
    with CaptureQueriesContext(connection) as small:
        reports.coverage(iran, analyst)
    responses.log(analyst, later, list(iran.questions.filter(code__startswith="B")), [], "partly")
    import_paths([PAGES / "09STATE80163.html"])
    bigger = requirements.create_set(Cable.objects.get(reference_id="09STATE80163"))
    with CaptureQueriesContext(connection) as large:
        reports.coverage(bigger, analyst)
        reports.coverage(iran, analyst)
    assert 2 * len(small) == len(large)


def test_the_last_report_is_the_responding_cable_s_date_not_the_day_it_was_logged(iran, role_user, tmp_path):
    analyst = role_user("ana")
    later, prior = (Cable.objects.get(reference_id=r) for r in ("09MOSCOW2528", "08MOSCOW3526"))
    a1 = iran.questions.get(code="A.1")
    responses.log(analyst, prior, [a1], [], "partly")
    responses.log(analyst, later, [a1], [], "answers")
    status = iran.questions.with_status(analyst).get(pk=a1.pk)
    assert status.last_response == later.created and later.created.year == 2009
    by_post = {row["post"]: row for row in reports.coverage(iran, analyst)["by_post"]}
    assert by_post["Moscow"]["last_response"] == later.created.isoformat()
    # a cable re-imported with another date: its responses follow its date
    reply = ("R {dtg}\nFM AMEMBASSY CARACAS\nTO SECSTATE WASHDC 0101\nBT\nC O N F I D E N T I A L CARACAS 000401\n\n"
             "E.O. 12958: DECL: 03/12/2019\nTAGS: PREL VE IR\nSUBJECT: IRAN IN VENEZUELA\n\n"
             "1. (C) Iranian ministers visited Caracas.\n\nDUDDY\n")
    (tmp_path / "reply.txt").write_text(reply.format(dtg="011200Z NOV 09"))
    import_paths([tmp_path / "reply.txt"])
    caracas = Cable.objects.get(reference_id="09CARACAS401")
    responses.log(analyst, caracas, [a1], [], "partly")
    assert iran.questions.with_status(analyst).get(pk=a1.pk).last_response.month == 11
    (tmp_path / "reply.txt").write_text(reply.format(dtg="011200Z SEP 09"))
    import_paths([tmp_path / "reply.txt"])
    assert iran.questions.with_status(analyst).get(pk=a1.pk).last_response == later.created  # October's


def test_merging_a_question_takes_its_responses_along_and_closes_its_suggestions(iran, role_user, client):
    from tracker.models import Response, Suggestion

    analyst = role_user("ana")
    later, prior = (Cable.objects.get(reference_id=r) for r in ("09MOSCOW2528", "08MOSCOW3526"))
    a1, a2 = iran.questions.get(code="A.1"), iran.questions.get(code="A.2")
    responses.log(analyst, later, [a2], ["2"], "answers", note="from A.2")
    responses.log(analyst, prior, [a2], [], "partly")
    responses.log(analyst, later, [a1], ["1"], "partly", note="from A.1")
    Suggestion.objects.create(question=a2, cable=prior, paragraph_number="3", score=0.2, evidence={})
    before = reports.coverage(iran, analyst)
    requirements.merge_questions(a2, a1, analyst)
    joined = Response.objects.get(question=a1, cable=later, retracted=False)
    assert joined.paragraph_numbers == ["1", "2"] and joined.assessment == "answers"
    assert "from A.1" in joined.note and "from A.2" in joined.note
    assert Response.objects.filter(question=a1, cable=prior, retracted=False).exists()  # moved whole
    assert not Response.objects.filter(question=a2, retracted=False).exists()
    after = reports.coverage(iran, analyst)
    assert after["answered"] == before["answered"] and after["current"] == before["current"] - 1
    client.force_login(analyst)
    assert "may answer" not in client.get(prior.get_absolute_url()).content.decode()  # A.2's suggestion is gone
    assert client.get("/api/suggestions/", {"question": a2.pk}).json()["count"] == 0
