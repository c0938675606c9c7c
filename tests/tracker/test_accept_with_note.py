"""A suggestion's card takes the analyst's assessment, confidence and note, on the question's page and on the
cable's: accepting records them, not medium confidence and the ranker's words."""
import re

import pytest
from django.urls import reverse

from tests.tracker.test_ux_fixes import _suggest, answered, cuba, moscow  # noqa: F401 (fixtures)
from tracker.models import Response

pytestmark = pytest.mark.django_db


def _card(html: bytes, suggestion) -> str:
    text = html.decode()
    start = text.index(f'id="s{suggestion.pk}"')
    return text[start:text.index("</form>", start)]


def test_accepting_records_the_confidence_and_note_given_on_the_card(client, analyst, cuba, moscow):  # noqa: F811
    question = cuba.questions.get(code="C")
    suggestion = _suggest(question, moscow, "2")
    for address in (reverse("question-detail", args=[question.pk]), moscow.get_absolute_url()):
        card = _card(client.get(address).content, suggestion)
        assert re.search(r'<select name="confidence"[^>]*>.*<option value="medium" selected>', card, re.S), address
        assert 'name="note"' in card and 'name="shown_confidence" value="medium"' in card, address
    client.post(reverse("suggestion-decide", args=[suggestion.pk]), {
        "decision": "accept", "assessment": "partly", "shown_assessment": "answers", "confidence": "high",
        "shown_confidence": "medium", "note": "  ¶2 names the visit, not the terms  "})
    response = Response.objects.get(suggestion=suggestion)
    assert (response.assessment, response.confidence) == ("partly", "high")
    assert response.note == "¶2 names the visit, not the terms"


def test_without_a_note_the_ranker_evidence_is_the_note(client, analyst, cuba, moscow):  # noqa: F811
    suggestion = _suggest(cuba.questions.get(code="C"), moscow, "2")
    suggestion.evidence = {"terms": ["submarine", "havana"]}
    suggestion.save()
    client.post(reverse("suggestion-decide", args=[suggestion.pk]), {"decision": "accept", "note": " "})
    response = Response.objects.get(suggestion=suggestion)
    assert (response.confidence, response.note) == ("medium", "Accepted suggestion: submarine, havana")


def test_a_card_for_an_answered_question_starts_from_its_response_and_refuses_to_lower_it(client, answered, moscow):  # noqa: F811
    seven = _suggest(answered.question, moscow, "7")
    card = _card(client.get(moscow.get_absolute_url()).content, seven)
    assert '<option value="high" selected>' in card and "Add to the response" in card
    refused = client.post(reverse("suggestion-decide", args=[seven.pk]), {
        "decision": "accept", "assessment": "answers", "shown_assessment": "answers", "confidence": "low",
        "shown_confidence": "high", "note": "weaker"}, follow=True)
    assert "would lower its confidence" in refused.content.decode()
    assert "Your note, not saved: “weaker”" in refused.content.decode()  # to type again on the response's page
    answered.refresh_from_db()
    assert (answered.confidence, answered.paragraph_numbers) == ("high", ["1", "4", "5", "6"])
    # left as shown, the confidence is kept and the note appended
    client.post(reverse("suggestion-decide", args=[seven.pk]), {
        "decision": "accept", "assessment": "answers", "shown_assessment": "answers", "confidence": "high",
        "shown_confidence": "high", "note": "¶7 too"})
    answered.refresh_from_db()
    assert (answered.confidence, answered.paragraph_numbers[-1]) == ("high", "7")
    assert answered.note.endswith("¶7 too")
