"""A question's status, derived in the database from its current responses on cables the user may see."""
import pytest
from django.urls import reverse

from cables.importing import import_paths
from cables.models import Cable
from tests.conftest import PAGES, TEXT_PAGE_SEED
from tracker import requirements, responses
from tracker.models import Question

pytestmark = pytest.mark.django_db


@pytest.fixture
def iran(db):
    import_paths([PAGES / "09STATE6423.html", PAGES / "09MOSCOW2528.html", PAGES / "09RABAT408.html",
                  TEXT_PAGE_SEED])
    return requirements.create_set(Cable.objects.get(reference_id="09STATE6423"))


def _statuses(user, requirement_set):
    rows = Question.objects.visible_to(user).with_status(user).filter(requirement_set=requirement_set)
    return {q.code: (q.status, q.prior_only, q.response_count) for q in rows}


def test_status_rules(iran, role_user):
    analyst = role_user("ana", clearance="TOP SECRET")
    later = Cable.objects.get(reference_id="09MOSCOW2528")  # October 2009, after the tasking
    prior = Cable.objects.get(reference_id="08MOSCOW3526")  # December 2008, before it
    q = {code: iran.questions.get(code=code) for code in ("A.1", "A.2", "A.3", "A.4", "B.1", "B.2", "B.3")}
    responses.log(analyst, later, [q["A.1"]], [], "answers")
    responses.log(analyst, later, [q["A.2"]], [], "partly")
    responses.log(analyst, later, [q["A.3"]], [], "context")  # context only: still unanswered
    responses.log(analyst, prior, [q["A.4"]], [], "answers")  # prior reporting alone
    responses.log(analyst, prior, [q["B.1"]], [], "partly")
    responses.log(analyst, later, [q["B.1"]], [], "partly")  # prior and fresh: not prior-only
    retracted = responses.log(analyst, later, [q["B.2"]], [], "answers")[0]
    responses.retract(retracted, analyst)  # a retracted response does not count
    requirements.retire_question(q["B.3"], analyst)
    statuses = _statuses(analyst, iran)
    assert statuses["A.1"] == ("answered", False, 1)
    assert statuses["A.2"] == ("partly", False, 1)
    assert statuses["A.3"] == ("unanswered", False, 1)
    assert statuses["A.4"] == ("answered", True, 1)
    assert statuses["B.1"] == ("partly", False, 2)
    assert statuses["B.2"] == ("unanswered", False, 0)
    assert statuses["B.3"][0] == "retired"
    assert statuses["C.1"] == ("unanswered", False, 0)
    assert q["A.1"].status == "answered"  # the same rule without the annotation


def test_responses_on_cables_beyond_the_users_clearance_do_not_count(iran, role_user):
    analyst = role_user("ana", clearance="TOP SECRET")
    rabat = Cable.objects.get(reference_id="09RABAT408")  # SECRET//NOFORN
    responses.log(analyst, rabat, [iran.questions.get(code="C.2")], [], "answers")
    assert _statuses(analyst, iran)["C.2"][0] == "answered"
    # counted for a CONFIDENTIAL reader, the SECRET//NOFORN cable's response does not exist
    reader = role_user("c", "reader", "CONFIDENTIAL", noforn=True)
    rows = Question.objects.with_status(reader).filter(requirement_set=iran, code="C.2")
    assert rows.get().status == "unanswered"


def test_status_on_the_page_and_in_the_api(client, iran, role_user):
    analyst = role_user("ana")
    client.force_login(analyst)
    responses.log(analyst, Cable.objects.get(reference_id="09MOSCOW2528"), [iran.questions.get(code="A.1")], [],
                  "answers")
    page = client.get(iran.get_absolute_url()).content.decode()
    assert page.count('status-answered">answered') == 1 and page.count('status-unanswered">unanswered') == 19
    answered = client.get(reverse("api-question-list"), {"status": "answered"}).json()["results"]
    assert [q["code"] for q in answered] == ["A.1"]
    assert client.get(reverse("api-question-list"), {"status": "unanswered"}).json()["count"] == 19
