"""The responses and suggestions API."""
import pytest
from django.urls import reverse

from cables.importing import import_paths
from cables.models import Cable
from tests.conftest import PAGES, TEXT_PAGE_SEED
from tracker import linking, requirements
from tracker.models import Suggestion

pytestmark = pytest.mark.django_db


@pytest.fixture
def iran(db):
    import_paths([PAGES / "09STATE6423.html", PAGES / "08LAPAZ751.html", TEXT_PAGE_SEED])
    return requirements.create_set(Cable.objects.get(reference_id="09STATE6423"))


@pytest.fixture
def api(client, role_user):
    client.force_login(role_user("ana"))
    return client


def _post(api, url, data):
    return api.post(url, data, content_type="application/json")


def test_log_and_read_back_a_response(api, iran):
    question = iran.questions.get(code="A.1")
    created = _post(api, reverse("api-response-list"), {
        "question": question.pk, "cable": "08MOSCOW3526", "paragraphs": ["1"], "assessment": "partly",
        "confidence": "low", "note": "Lavrov on Iran"})
    assert created.status_code == 201, created.content
    data = created.json()
    assert {"id", "question", "cable", "paragraphs", "assessment", "confidence", "note", "post", "prior_reporting",
            "created_by", "created"} <= set(data)
    assert (data["cable"], data["paragraphs"], data["post"], data["prior_reporting"], data["created_by"]) == (
        "08MOSCOW3526", ["1"], "Moscow", True, "ana")
    listing = api.get(reverse("api-response-list"), {"question": question.pk, "post": "Embassy Moscow"}).json()
    assert [r["id"] for r in listing["results"]] == [data["id"]]
    assert api.get(reverse("api-response-list"), {"cable": "08lapaz751"}).json()["count"] == 0
    assert api.get(reverse("api-response-list"), {"assessment": "answers"}).json()["count"] == 0
    retracted = _post(api, reverse("api-response-retract", args=[data["id"]]), {})
    assert retracted.json()["retracted"] is True


@pytest.mark.parametrize("change, field", [
    ({"paragraphs": ["42"]}, "paragraphs"),
    ({"assessment": "perhaps"}, "assessment"),
    ({"question": 999999}, "question"),
    ({"cable": "01NOWHERE1"}, "cable"),
])
def test_bad_input_is_a_400_naming_the_field(api, iran, change, field):
    data = {"question": iran.questions.get(code="A.1").pk, "cable": "08MOSCOW3526", "paragraphs": ["1"],
            "assessment": "answers"} | change
    response = _post(api, reverse("api-response-list"), data)
    assert response.status_code == 400 and field in response.json(), response.content


def test_suggestions_best_first_with_evidence_accept_and_reject(api, iran):
    linking.suggest_for_questions(iran.questions.values_list("pk", flat=True))
    listing = api.get(reverse("api-suggestion-list"), {"cable": "08LAPAZ751", "state": "open"}).json()["results"]
    assert listing and [s["score"] for s in listing] == sorted((s["score"] for s in listing), reverse=True)
    first = listing[0]
    assert {"id", "question", "question_code", "cable", "paragraph", "score", "evidence", "state"} <= set(first)
    assert first["cable"] == "08LAPAZ751" and first["evidence"]["terms"]
    accepted = _post(api, reverse("api-suggestion-accept", args=[first["id"]]), {"assessment": "partly"})
    assert accepted.status_code == 201 and accepted.json()["assessment"] == "partly"
    again = _post(api, reverse("api-suggestion-accept", args=[first["id"]]), {})
    assert again.status_code == 400 and "already accepted" in again.content.decode()
    second = listing[1]["id"]
    assert _post(api, reverse("api-suggestion-reject", args=[second]), {}).json()["state"] == "rejected"
    assert Suggestion.objects.get(pk=second).state == Suggestion.REJECTED


def test_accepting_a_suggestion_for_a_cable_that_answers_keeps_what_its_response_says(api, iran):
    """Accepting without an assessment or confidence adds the paragraph to the cable's response and keeps
    what the response says (a high confidence is not lowered to the default)."""
    question = iran.questions.get(code="A.1")
    first = _post(api, reverse("api-response-list"), {
        "question": question.pk, "cable": "08MOSCOW3526", "paragraphs": ["1"], "assessment": "answers",
        "confidence": "high"}).json()
    cable = Cable.objects.get(reference_id="08MOSCOW3526")
    suggestion = Suggestion.objects.create(question=question, cable=cable, paragraph=cable.paragraphs.get(number="3"),
                                           paragraph_number="3", score=0.5)
    accepted = _post(api, reverse("api-suggestion-accept", args=[suggestion.pk]), {})
    assert accepted.status_code == 201, accepted.content
    accepted = accepted.json()
    assert (accepted["id"], accepted["assessment"], accepted["confidence"]) == (first["id"], "answers", "high")
    assert accepted["paragraphs"] == ["1", "3"]


def test_logging_a_cable_again_against_the_same_question_updates_its_response(api, iran):
    question = iran.questions.get(code="A.1")
    url = reverse("api-response-list")
    first = _post(api, url, {"question": question.pk, "cable": "08MOSCOW3526", "paragraphs": ["1"],
                             "assessment": "answers", "confidence": "high", "note": "Lavrov"})
    again = _post(api, url, {"question": question.pk, "cable": "08MOSCOW3526", "paragraphs": ["2"],
                             "assessment": "partly", "note": "and more"})
    assert first.status_code == 201 and again.status_code == 200, again.content  # created, then added to
    data = again.json()
    assert data["id"] == first.json()["id"]
    assert (data["paragraphs"], data["assessment"], data["confidence"]) == (["1", "2"], "answers", "high")
    assert api.get(url, {"question": question.pk}).json()["count"] == 1
