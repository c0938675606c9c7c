"""The requirements API: sets with their sections and questions, created and edited by analysts."""
import pytest
from django.urls import reverse

from cables.importing import import_paths
from tests.conftest import TEXT_PAGE_SEED
from tracker import requirements
from tracker.models import RequirementChange

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(client, role_user):
    client.force_login(role_user("ana", "analyst", "SECRET", noforn=True))
    return client


def test_an_analyst_creates_a_set_by_reference_id_and_reads_it_whole(api, iran_cable):
    response = api.post(reverse("api-requirement-set-list"), {"tasking_cable": "09state6423"},
                        content_type="application/json")
    assert response.status_code == 201, response.content
    data = response.json()
    assert {"id", "title", "collection_reference", "tasking_cable", "tasked", "status", "priority", "due",
            "addressed_posts", "sections"} <= set(data)
    assert data["tasking_cable"] == "09STATE6423" and data["collection_reference"] == "C-AL8-02836"
    assert [s["letter"] for s in data["sections"]] == ["A", "B", "C"]
    assert [len(s["questions"]) for s in data["sections"]] == [4, 9, 7]
    c5 = data["sections"][2]["questions"][4]
    assert (c5["code"], c5["marking"], c5["status"]) == ("C.5", "C//NF", "unanswered")
    assert {"id", "code", "marking", "text", "sentences", "status"} <= set(c5) and len(c5["sentences"]) == 2
    detail = api.get(reverse("api-requirement-set-detail", args=[data["id"]])).json()
    assert detail["sections"] == data["sections"]
    assert "Asuncion" in detail["addressed_posts"]


def test_creating_from_a_cable_without_questions_is_a_clear_400(api, db):
    import_paths([TEXT_PAGE_SEED])
    response = api.post(reverse("api-requirement-set-list"), {"tasking_cable": "08MOSCOW3526"},
                        content_type="application/json")
    assert response.status_code == 400
    assert "08MOSCOW3526 holds no questions" in response.json()["tasking_cable"][0]
    unknown = api.post(reverse("api-requirement-set-list"), {"tasking_cable": "01nowhere1"},
                       content_type="application/json")
    assert unknown.status_code == 400 and unknown.json() == {"tasking_cable": ["No cable 01NOWHERE1 in the store"]}


def test_edits_through_the_api_are_recorded(api, iran_cable):
    requirement_set = requirements.create_set(iran_cable)
    url = reverse("api-requirement-set-detail", args=[requirement_set.pk])
    assert api.patch(url, {"priority": "high", "due": "2009-05-01"}, content_type="application/json").status_code == 200
    question = requirement_set.questions.get(code="B.3")
    q_url = reverse("api-question-detail", args=[question.pk])
    response = api.patch(q_url, {"text": "Is Iran supporting terrorism in Latin America?", "retired": True},
                         content_type="application/json")
    assert response.status_code == 200 and response.json()["status"] == "retired"
    bad = api.patch(q_url, {"marking": "HUSH"}, content_type="application/json")
    assert bad.status_code == 400 and "not a marking" in bad.content.decode()
    actions = set(RequirementChange.objects.values_list("action", flat=True))
    assert {"set edited", "question edited", "question retired"} <= actions
    listing = api.get(reverse("api-question-list"), {"requirement_set": requirement_set.pk, "retired": "true"}).json()
    assert [q["code"] for q in listing["results"]] == ["B.3"]
    assert api.get(reverse("api-requirement-set-list"), {"priority": "high"}).json()["count"] == 1


def test_questions_beyond_the_users_clearance_are_not_in_the_api(client, role_user, secret_tasking):
    requirement_set = requirements.create_set(secret_tasking)
    client.force_login(role_user("s", "reader", "SECRET", noforn=False))
    data = client.get(reverse("api-requirement-set-detail", args=[requirement_set.pk])).json()
    assert [q["code"] for s in data["sections"] for q in s["questions"]] == ["A.1", "B.1"]
    assert [q["code"] for q in client.get(reverse("api-question-list")).json()["results"]] == ["A.1", "B.1"]


def test_rewording_a_question_through_the_api_splits_its_sentences_anew(api, iran_cable):
    requirement_set = requirements.create_set(iran_cable)
    question = requirement_set.questions.get(code="C.5")
    assert len(question.sentences) == 2
    q_url = reverse("api-question-detail", args=[question.pk])
    data = api.patch(q_url, {"text": "Is Kambarata-1 financed by Russia? When does work resume?"},
                     content_type="application/json").json()
    assert data["sentences"] == ["Is Kambarata-1 financed by Russia?", "When does work resume?"]
    given = api.patch(q_url, {"text": "Who finances the dam?", "sentences": ["Who finances it?"]},
                      content_type="application/json").json()
    assert given["sentences"] == ["Who finances it?"]  # sentences given with the new text are kept
    question.refresh_from_db()
    assert question.sentences == ["Who finances it?"]
