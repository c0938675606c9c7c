"""The response pages: a question's page with its responses and suggestions, logging from a question or a
cable ("this answers..."), the cable lookup, the waiting list, and forms that keep what was typed."""
import re

import pytest
from django.urls import reverse
from django.utils.html import escape

from cables.importing import import_paths
from cables.models import Cable
from tests.conftest import PAGES
from tracker import linking, requirements, responses
from tracker.models import Response, Suggestion

pytestmark = pytest.mark.django_db


@pytest.fixture
def iran(db):
    import_paths([PAGES / name for name in ("09STATE6423.html", "08LAPAZ751.html", "08BOGOTA4036.html")])
    return requirements.create_set(Cable.objects.get(reference_id="09STATE6423"))


def test_log_a_response_from_the_questions_page(client, analyst, iran):
    question = iran.questions.get(code="B.3")
    page = client.get(reverse("question-detail", args=[question.pk]))
    assert page.status_code == 200 and b"Log a response" in page.content and b"No response yet" in page.content
    response = client.post(reverse("response-create"), {
        "cable": "08lapaz751", "paragraphs": "2, 3.", "questions": [question.pk], "assessment": "answers",
        "confidence": "high", "note": "TBA financing"})
    assert response.status_code == 302 and response.url == reverse("question-detail", args=[question.pk])
    logged = Response.objects.get()
    assert (logged.cable.reference_id, logged.paragraph_numbers, logged.created_by) == ("08LAPAZ751", ["2", "3"],
                                                                                        analyst)
    page = client.get(response.url).content
    assert b"08LAPAZ751" in page and b"TBA financing" in page and b"La Paz" in page


def test_a_bad_paragraph_is_refused_and_the_form_keeps_what_was_typed(client, analyst, iran):
    question = iran.questions.get(code="B.3")
    response = client.post(reverse("response-create"), {
        "cable": "08LAPAZ751", "paragraphs": "2, 77", "questions": [question.pk], "assessment": "answers",
        "confidence": "high", "note": "my careful note"})
    assert response.status_code == 400
    assert b"08LAPAZ751 has no paragraph 77" in response.content
    assert b"my careful note" in response.content and b'value="2, 77"' in response.content
    unknown = client.post(reverse("response-create"), {"cable": "99NOWHERE1", "paragraphs": "",
                                                       "questions": [question.pk], "assessment": "answers",
                                                       "confidence": "low"})
    assert unknown.status_code == 400 and b"No cable 99NOWHERE1" in unknown.content
    assert not Response.objects.exists()


def test_this_answers_from_a_cables_page(client, analyst, iran):
    page = client.get(reverse("cable-detail", args=["08LAPAZ751"]))
    assert b"This answers" in page.content
    form = client.get(reverse("response-create"), {"cable": "08LAPAZ751"})
    assert b"Iranian outreach" in form.content or b"B.3" in form.content
    assert b"\xc2\xb62" in form.content  # its paragraphs to tick


def test_suggestions_on_the_question_and_cable_pages_accept_and_reject(client, analyst, iran):
    linking.suggest_for_questions(iran.questions.values_list("pk", flat=True))
    suggestion = Suggestion.objects.filter(cable__reference_id="08LAPAZ751").order_by("-score").first()
    assert suggestion is not None
    question_page = client.get(reverse("question-detail", args=[suggestion.question_id])).content
    assert f"s{suggestion.pk}".encode() in question_page and suggestion.evidence["terms"][0].encode() in question_page
    cable_page = client.get(reverse("cable-detail", args=["08LAPAZ751"])).content
    assert f"s{suggestion.pk}".encode() in cable_page
    client.post(reverse("suggestion-decide", args=[suggestion.pk]), {"decision": "accept", "assessment": "partly"})
    response = Response.objects.get(suggestion=suggestion)
    assert response.assessment == "partly"
    other = Suggestion.objects.filter(state=Suggestion.OPEN).first()
    back = client.post(reverse("suggestion-decide", args=[other.pk]), {"decision": "reject",
                                                                       "next": "/cables/08LAPAZ751/"})
    other.refresh_from_db()
    assert other.state == Suggestion.REJECTED and back["Location"] == "/cables/08LAPAZ751/"
    # a `next` that a browser reads as another site ("/\\evil.example") leads back to the question instead
    for elsewhere in ("//evil.example/", "/\\evil.example/", "https://evil.example/"):
        third = Suggestion.objects.filter(state=Suggestion.OPEN).first()
        back = client.post(reverse("suggestion-decide", args=[third.pk]), {"decision": "reject", "next": elsewhere})
        assert back["Location"] == reverse("question-detail", args=[third.question_id]) + "#suggestions", elsewhere


def test_the_cable_lookup_finds_by_reference_id_and_subject_within_clearance(client, role_user, iran):
    client.force_login(role_user("u", "reader", "UNCLASSIFIED", noforn=False))
    found = client.get(reverse("cable-lookup"), {"q": "08LA"}).json()["results"]
    assert [c["reference_id"] for c in found] == ["08LAPAZ751"] or all(
        c["reference_id"] != "09STATE6423" for c in found)
    assert client.get(reverse("cable-lookup"), {"q": "iranian outreach"}).json()["results"] == []  # S//NF
    client.force_login(role_user("s", "analyst", "SECRET", noforn=True))
    assert [c["reference_id"] for c in client.get(reverse("cable-lookup"), {"q": "iranian outreach"}).json()[
        "results"]] == ["09STATE6423"]


def test_the_waiting_list_groups_responses_by_the_absent_tasking(client, analyst, iran):
    page = client.get(reverse("waiting-list")).content
    assert b"C-NE8-00834" in page and b"08LAPAZ751" in page and b"08BOGOTA4036" in page


def test_a_page_refused_or_not_found_keeps_the_menu_and_says_why(client, role_user):
    """A reader opening the response form is told why, on a page with the menu, not a bare "403 Forbidden";
    an address of nothing they may see says so too, without telling withheld from missing."""
    client.force_login(role_user("reader", "reader", "UNCLASSIFIED", noforn=False))
    refused = client.get(reverse("response-create"))
    assert refused.status_code == 403
    page = refused.content.decode()
    assert '<header class="top"' in page and "may not do this" in page and "reader" in page
    missing = client.get(reverse("cable-detail", args=["09STATE6423"]))
    assert missing.status_code == 404
    assert '<header class="top"' in missing.content.decode() and "nothing here that you may see" in (
        missing.content.decode())


def test_the_response_form_lists_the_sets_of_its_suggestions_first_and_marks_suggested_and_answered_questions(
        client, role_user):
    import_paths([PAGES / "09STATE6423.html", PAGES / "08STATE30340.html", PAGES / "08LAPAZ751.html"])
    first = requirements.create_set(Cable.objects.get(reference_id="09STATE6423"))
    second = requirements.create_set(Cable.objects.get(reference_id="08STATE30340"))
    cable = Cable.objects.get(reference_id="08LAPAZ751")
    Suggestion.objects.filter(cable=cable).delete()
    suggested, answered = second.questions.order_by("order")[:2]
    Suggestion.objects.create(question=suggested, cable=cable, paragraph_number="2",
                              paragraph=cable.paragraphs.get(number="2"), score=0.5, evidence={})
    analyst = role_user("ana")
    responses.log(analyst, cable, [answered], ["3"], "partly")
    client.force_login(analyst)
    page = client.get(reverse("response-create"), {"cable": "08LAPAZ751"}).content.decode()
    groups = re.findall(r'<fieldset class="question-group"><legend>([^<]*)</legend>', page)
    assert groups[0].startswith(escape(second.title)) and groups[0].endswith("suggested for this cable")
    assert any(g.startswith(escape(first.title)) for g in groups[1:])
    assert re.search(rf'value="{suggested.pk}"[^>]*>\s*{re.escape(suggested.code)}: [^<]* · suggested</label>', page)
    assert re.search(rf'value="{answered.pk}"[^>]*>\s*{re.escape(answered.code)}: [^<]* · logged for this cable: '
                     r"partly answers</label>", page)
