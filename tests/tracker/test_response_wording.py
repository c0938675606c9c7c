"""What the response pages say, found by a browser walk-through: a retracted response says so and offers to
be restored instead of an edit form; a refusal to lower a response is at the top of the form, in words,
naming the set and linking the response (on the form and on a suggestion's card); the history shows
assessments in words; logging against questions whose responses differ says what each now holds; and a
form with no question to offer says why."""
import re

import pytest
from django.urls import reverse

from cables.importing import import_paths
from cables.models import Cable
from tests.conftest import PAGES
from tracker import requirements, responses
from tracker.models import Response, ResponseChange, Suggestion

pytestmark = pytest.mark.django_db


@pytest.fixture
def moscow(sets) -> Cable:
    return Cable.objects.get(reference_id="09MOSCOW1730")


def _text(html: str) -> str:
    """A page's text, tags removed (links within their sentence), entities read and spaces collapsed."""
    text = re.sub(r"<[^>]+>", " ", re.sub(r"</?a\b[^>]*>", "", html))
    return re.sub(r"\s+", " ", text.replace("&#x27;", "'").replace("&quot;", '"').replace("&amp;", "&"))


# ----------------------------------------------------------------------------- a retracted response


@pytest.fixture
def retracted(sets, moscow, analyst) -> Response:
    response = responses.log(analyst, moscow, [sets[0].questions.get(code="D")], ["1"], "partly", "high")[0]
    responses.retract(response, analyst)
    return response


def test_a_retracted_responses_page_says_who_retracted_it_and_offers_to_restore_it_not_to_edit_it(client,
                                                                                                   retracted):
    html = client.get(reverse("response-edit", args=[retracted.pk])).content.decode()
    text = _text(html)
    assert re.search(r"This response is retracted by ana on \d{4}-\d\d-\d\d \d\d:\d\d", text)
    assert "D of “Cuba-Russia relationship”: partly answers, high confidence" in text
    assert 'name="paragraphs"' not in html and ">Save<" not in html  # no edit form
    assert 'name="restore"' in html and "Restore the response" in html
    assert "response retracted" in text  # the history stays


def test_restoring_a_response_counts_it_again_and_records_it_in_its_history(client, analyst, retracted):
    url = reverse("response-edit", args=[retracted.pk])
    restored = client.post(url, {"restore": "1"}, follow=True)
    assert restored.redirect_chain == [(url, 302)]
    retracted.refresh_from_db()
    assert not retracted.retracted
    assert [c.action for c in ResponseChange.objects.filter(response=retracted).order_by("at", "pk")] == [
        "response logged", "response retracted", "response restored"]
    text = _text(restored.content.decode())
    assert ("The response of 09MOSCOW1730 to D of “Cuba-Russia relationship” is restored: it counts again towards "
            "the question's status.") in text
    assert 'name="paragraphs"' in restored.content.decode()  # it can be edited again
    history = text[text.index("History"):]
    assert "response restored" in history and "retracted: yes → no" in history


def test_a_response_the_cable_has_answered_again_since_is_not_restored_the_new_one_is_linked(client, analyst,
                                                                                             retracted, moscow):
    again = responses.log(analyst, moscow, [retracted.question], ["4"], "answers")[0]
    url = reverse("response-edit", args=[retracted.pk])
    html = client.get(url).content.decode()
    assert 'name="restore"' not in html
    assert f'<a href="{reverse("response-edit", args=[again.pk])}">edit that one</a>' in html
    refused = client.post(url, {"restore": "1"})
    assert refused.status_code == 400
    retracted.refresh_from_db()
    assert retracted.retracted and not ResponseChange.objects.filter(action="response restored").exists()


def test_a_response_to_a_retired_question_is_not_restored_saying_why(client, retracted):
    question = retracted.question
    question.retired = True
    question.save()
    url = reverse("response-edit", args=[retracted.pk])
    assert "It cannot be restored. Its question D is retired" in _text(client.get(url).content.decode())
    assert client.post(url, {"restore": "1"}).status_code == 400
    retracted.refresh_from_db()
    assert retracted.retracted


def test_an_edit_sent_for_a_response_retracted_meanwhile_is_refused_in_words(client, retracted):
    page = client.post(reverse("response-edit", args=[retracted.pk]), {
        "paragraphs": "1, 2", "assessment": "answers", "confidence": "high", "note": "more"})
    assert page.status_code == 400
    assert "Not saved: this response is retracted. Restore it first, then edit it." in page.content.decode()
    retracted.refresh_from_db()
    assert (retracted.paragraph_numbers, retracted.assessment, retracted.note) == (["1"], "partly", "")


def test_the_question_page_links_a_retracted_response_to_restore_it(client, retracted):
    html = client.get(reverse("question-detail", args=[retracted.question_id])).content.decode()
    assert f'<a href="{reverse("response-edit", args=[retracted.pk])}">restore…</a>' in html
    assert f'<a href="{reverse("response-retract", args=[retracted.pk])}">' not in html


def test_retracting_a_retracted_response_again_leads_to_its_page(client, retracted):
    page = client.get(reverse("response-retract", args=[retracted.pk]))
    assert page.status_code == 302 and page.url == reverse("response-edit", args=[retracted.pk])


# ----------------------------------------------------------------------------- lowering, in words


@pytest.fixture
def answered(sets, moscow, analyst) -> Response:
    """D answered by 09MOSCOW1730 ¶1, "answers" with high confidence."""
    return responses.log(analyst, moscow, [sets[0].questions.get(code="D")], ["1"], "answers", "high")[0]


def test_a_refused_lowering_is_at_the_top_of_the_form_in_words_naming_the_set_and_linking_the_response(
        client, answered):
    page = client.post(reverse("response-create"), {
        "cable": "09MOSCOW1730", "paragraphs": "2", "questions": [answered.question_id], "assessment": "context",
        "shown_assessment": "answers", "confidence": "low", "shown_confidence": "high"})
    html = page.content.decode()
    assert page.status_code == 400
    errors = html[html.index('<ul class="errorlist nonfield">'):]
    errors = errors[:errors.index("</ul>")]
    edit = reverse("response-edit", args=[answered.pk])
    assert _text(errors).strip() == (
        "09MOSCOW1730 already has a response to D of “Cuba-Russia relationship” (answers, high confidence): "
        "logging this would lower its assessment from “answers” to “context only” and its confidence from “high” "
        "to “low”. Tick “Lower the existing response” below to do so, or choose its current values.")
    assert f'<a href="{edit}">a response</a>' in errors
    assert html.index("errorlist nonfield") < html.index('name="cable"') < html.index('name="downgrade"')
    answered.refresh_from_db()
    assert (answered.assessment, answered.confidence, answered.paragraph_numbers) == ("answers", "high", ["1"])


def test_accepting_a_suggestion_that_would_lower_a_response_says_so_in_words_and_links_it(client, answered,
                                                                                          moscow):
    seven = Suggestion.objects.create(question=answered.question, cable=moscow, paragraph_number="7", score=0.3,
                                      paragraph=moscow.paragraphs.get(number="7"))
    page = client.post(reverse("suggestion-decide", args=[seven.pk]),
                       {"decision": "accept", "assessment": "partly", "shown_assessment": "answers"}, follow=True)
    html = page.content.decode()
    edit = reverse("response-edit", args=[answered.pk])
    assert ("Nothing changed: 09MOSCOW1730 already has a response to D of “Cuba-Russia relationship” (answers, "
            "high confidence): accepting ¶7 would lower its assessment from “answers” to “partly answers”. To "
            "lower it, edit that response.") in _text(html)
    assert f'<a href="{edit}">edit that response</a>' in html
    assert Suggestion.objects.get(pk=seven.pk).state == Suggestion.OPEN
    accepted = client.post(reverse("suggestion-decide", args=[seven.pk]),
                           {"decision": "accept", "assessment": "answers", "shown_assessment": "answers"}, follow=True)
    assert ("09MOSCOW1730 ¶7 added to the existing response to D of “Cuba-Russia relationship”: answers, high "
            "confidence, ¶1, 7.") in _text(accepted.content.decode())


# ----------------------------------------------------------------------------- the history, in words


def test_the_response_history_shows_assessments_in_words(client, analyst, sets, moscow):
    response = responses.log(analyst, moscow, [sets[0].questions.get(code="C")], ["2"], "partly", "low")[0]
    saved = client.post(reverse("response-edit", args=[response.pk]), {
        "paragraphs": "2", "assessment": "context", "confidence": "medium", "note": ""})
    assert saved.status_code == 302
    text = _text(client.get(reverse("response-edit", args=[response.pk])).content.decode())
    history = text[text.index("History"):]
    assert "assessment: partly answers → context only" in history and "confidence: low → medium" in history
    assert "assessment: partly answers" in history  # as logged
    assert not re.search(r"→ context(?! only)", history) and "partly →" not in history
    # the generic description is left as it is for its other callers
    assert requirements.describe_change({"assessment": "partly"}, {"assessment": "context"}) == [
        "assessment: partly → context"]


# ----------------------------------------------------------------------------- several questions at once


@pytest.fixture
def differing(sets, moscow, analyst):
    """D (answers, low) and C (answers, high) answered by 09MOSCOW1730; A.1 of the Iran set not."""
    cuba, iran = sets
    d, c, a1 = cuba.questions.get(code="D"), cuba.questions.get(code="C"), iran.questions.get(code="A.1")
    responses.log(analyst, moscow, [d], ["1"], "answers", "low")
    responses.log(analyst, moscow, [c], ["2"], "answers", "high")
    return d, c, a1


def _current(question) -> tuple:
    response = Response.objects.get(question=question, retracted=False)
    return response.assessment, response.confidence, response.paragraph_numbers


def test_where_the_responses_differ_the_form_shows_each_keeps_its_own_not_a_value_it_would_not_apply(
        client, differing):
    d, c, a1 = differing
    html = client.get(reverse("response-create"), {"cable": "09MOSCOW1730",
                                                   "question": [d.pk, c.pk, a1.pk]}).content.decode()
    confidence = html[html.index('name="confidence"'):]
    confidence = confidence[:confidence.index("</select>")]
    assert re.search(r'<option value="" selected>each response keeps its own \(a new one: medium\)</option>',
                     confidence)
    assert not re.search(r'<option value="medium" selected>', confidence)
    assert re.search(r'<option value="answers" selected>', html)  # they agree on the assessment
    assert "These responses differ in their confidence" in html


def test_logging_against_several_questions_says_what_each_now_holds_naming_the_sets(client, differing):
    d, c, a1 = differing
    typed = {"cable": "09MOSCOW1730", "loaded": "09MOSCOW1730", "paragraphs": "3", "questions": [d.pk, c.pk, a1.pk],
             "assessment": "answers", "shown_assessment": "answers", "confidence": "", "shown_confidence": ""}
    page = client.post(reverse("response-create"), typed, follow=True)
    text = _text(page.content.decode())
    assert _current(d) == ("answers", "low", ["1", "3"]) and _current(c) == ("answers", "high", ["2", "3"])
    assert _current(a1) == ("answers", "medium", ["3"])
    assert "09MOSCOW1730 logged against C, D of “Cuba-Russia relationship” and A.1 of “Iranian outreach to Latin " \
           "America”:" in text
    assert "D of “Cuba-Russia relationship” now answers, low confidence, ¶1, 3 (existing response updated)" in text
    assert "C of “Cuba-Russia relationship” now answers, high confidence, ¶2, 3 (existing response updated)" in text
    assert "A.1 of “Iranian outreach to Latin America” now answers, medium confidence, ¶3 (new response)." in text


def test_a_confidence_chosen_for_all_applies_to_all_and_lowering_one_is_refused_unless_ticked(client, differing):
    d, c, _ = differing
    typed = {"cable": "09MOSCOW1730", "loaded": "09MOSCOW1730", "paragraphs": "3", "questions": [d.pk, c.pk],
             "assessment": "answers", "shown_assessment": "answers", "confidence": "medium", "shown_confidence": ""}
    refused = client.post(reverse("response-create"), typed)
    assert refused.status_code == 400
    assert ("already has a response to C of “Cuba-Russia relationship” (answers, high confidence): logging this "
            "would lower its confidence from “high” to “medium”.") in _text(refused.content.decode())
    assert _current(d) == ("answers", "low", ["1"])  # nothing logged
    assert client.post(reverse("response-create"), typed | {"downgrade": "on"}).status_code == 302
    assert _current(d)[1] == "medium" and _current(c)[1] == "medium"


# ----------------------------------------------------------------------------- no question to offer


def test_a_form_with_no_question_the_user_may_see_says_why_without_counting_them(client, role_user, sets):
    client.force_login(role_user("sam", clearance="SECRET", noforn=False))  # every question is S//NF or C//NF
    html = client.get(reverse("response-create"), {"cable": "08LAPAZ751"}).content.decode()
    assert "There is no open question you may see that 08LAPAZ751 could answer, so it cannot be logged here." in html
    assert "<optgroup" not in html and re.search(r'<button type="submit" disabled>', html)
    assert "withheld" not in html
    html = client.get(reverse("response-create")).content.decode()
    assert "There is no open question you may see, so there is nothing to log a response against." in html


def test_nothing_is_logged_against_a_retired_question_or_a_closed_set_by_any_path(client, analyst, iran_cable):
    from cables.models import Cable as CableModel
    from tracker import requirements
    from tracker.models import RequirementSet as Set, Response as Logged, Suggestion as Suggested

    requirement_set = requirements.create_set(iran_cable)
    retired = requirement_set.questions.get(code="A.1")
    requirements.retire_question(retired, analyst)
    import_paths([PAGES / "08LAPAZ751.html"])
    reply = CableModel.objects.get(reference_id="08LAPAZ751")
    paragraph = reply.paragraphs.exclude(number=None).first()
    with pytest.raises(responses.ResponseError, match="A.1 is retired"):
        responses.log(analyst, reply, [retired], [paragraph.number], "answers", "medium", "")
    suggestion = Suggested.objects.create(question=retired, cable=reply, paragraph=paragraph,
                                          paragraph_number=paragraph.number, score=0.5, evidence={})
    with pytest.raises(responses.ResponseError, match="retired"):
        responses.accept(suggestion, analyst)
    page = client.get(reverse("question-detail", args=[retired.pk])).content.decode()
    assert f"suggestion{suggestion.pk}" not in page and "Accept" not in page[page.index("<main"):]
    Set.objects.filter(pk=requirement_set.pk).update(status=Set.CLOSED)
    open_one = requirement_set.questions.get(code="A.2")
    api = client.post(reverse("api-response-list"), {"question": open_one.pk, "cable": reply.reference_id,
                                          "paragraphs": [paragraph.number], "assessment": "answers"},
                      content_type="application/json")
    assert api.status_code == 400 and "closed" in api.content.decode()
    assert not Logged.objects.exists()


def test_an_unknown_cable_is_said_once(client, analyst, iran_cable):
    page = client.post(reverse("response-create"), {"cable": "01NOWHERE1", "questions": [], "paragraphs": "1",
                                                    "assessment": "answers", "confidence": "medium"})
    assert page.content.decode().count("01NOWHERE1 in the store") == 1
