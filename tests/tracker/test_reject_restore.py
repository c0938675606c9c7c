"""A suggestion rejected by mistake can be restored: the rejection may say why, the question's page lists
the rejected ones (who, when, why) with a Restore button, and the API does the same."""
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.tracker.test_ux_fixes import _suggest, cuba, moscow  # noqa: F401 (fixtures)
from tracker.models import AuditEvent, Suggestion

pytestmark = pytest.mark.django_db


def _rejected_part(client, question) -> str:
    page = client.get(reverse("question-detail", args=[question.pk])).content.decode()
    return page[page.index('id="rejected"'):page.index("</details>")] if 'id="rejected"' in page else ""


def test_a_rejection_says_why_and_is_restored_from_the_questions_page(client, analyst, cuba, moscow):  # noqa: F811
    question = cuba.questions.get(code="C")
    suggestion = _suggest(question, moscow, "2")
    assert _rejected_part(client, question) == ""
    done = client.post(reverse("suggestion-decide", args=[suggestion.pk]),
                       {"decision": "reject", "note": " about trade, not Castro "}, follow=True)
    assert "rejected: it will not be suggested again" in done.content.decode()
    assert f'href="/questions/{question.pk}/?restore=1#rejected"' in done.content.decode()
    suggestion.refresh_from_db()
    assert (suggestion.state, suggestion.decision_note, suggestion.decided_by) == (
        Suggestion.REJECTED, "about trade, not Castro", analyst)
    part = _rejected_part(client, question)
    assert "Rejected suggestions (1)" in part and "09MOSCOW1730 ¶2" in part
    assert f"rejected by {analyst.get_username()}" in part and "<q>about trade, not Castro</q>" in part

    client.post(reverse("suggestion-decide", args=[suggestion.pk]), {"decision": "restore"})
    suggestion.refresh_from_db()
    assert (suggestion.state, suggestion.decision_note, suggestion.decided_by, suggestion.decided) == (
        Suggestion.OPEN, "", None, None)
    assert _rejected_part(client, question) == ""
    page = client.get(reverse("question-detail", args=[question.pk])).content.decode()
    assert f'id="s{suggestion.pk}"' in page  # among the open ones again
    assert [e.details["action"] for e in AuditEvent.objects.filter(target=f"suggestion {suggestion.pk}")
            .order_by("pk")] == ["suggestion rejected", "suggestion restored"]


def test_only_a_rejected_suggestion_is_restored(client, analyst, cuba, moscow):  # noqa: F811
    suggestion = _suggest(cuba.questions.get(code="C"), moscow, "2")
    done = client.post(reverse("suggestion-decide", args=[suggestion.pk]), {"decision": "restore"}, follow=True)
    assert "Only a rejected suggestion can be restored: this one is open" in done.content.decode()
    client.post(reverse("suggestion-decide", args=[suggestion.pk]), {"decision": "accept"})
    done = client.post(reverse("suggestion-decide", args=[suggestion.pk]), {"decision": "restore"}, follow=True)
    assert "this one is accepted" in done.content.decode()


def test_the_api_rejects_with_a_note_and_restores(client, analyst, cuba, moscow):  # noqa: F811
    suggestion = _suggest(cuba.questions.get(code="C"), moscow, "2")
    rejected = client.post(reverse("api-suggestion-reject", args=[suggestion.pk]), {"note": "off topic"},
                           content_type="application/json").json()
    assert (rejected["state"], rejected["decision_note"]) == ("rejected", "off topic")
    restored = client.post(reverse("api-suggestion-restore", args=[suggestion.pk]), content_type="application/json")
    assert restored.status_code == 200 and (restored.json()["state"], restored.json()["decision_note"]) == ("open", "")
    again = client.post(reverse("api-suggestion-restore", args=[suggestion.pk]), content_type="application/json")
    assert again.status_code == 400 and "Only a rejected suggestion" in again.content.decode()


def test_the_rejected_list_costs_the_same_queries_however_many(client, analyst, cuba, moscow):  # noqa: F811
    question = cuba.questions.get(code="C")
    url = reverse("question-detail", args=[question.pk])
    Suggestion.objects.filter(pk=_suggest(question, moscow, "2").pk).update(state=Suggestion.REJECTED,
                                                                           decided_by=analyst)
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for number in ("3", "4", "5"):
        Suggestion.objects.filter(pk=_suggest(question, moscow, number).pk).update(state=Suggestion.REJECTED,
                                                                                  decided_by=analyst)
    with CaptureQueriesContext(connection) as four:
        page = client.get(url).content.decode()
    assert "Rejected suggestions (4)" in page and len(four) == len(one)


def test_the_ticked_suggestions_are_rejected_at_once_with_one_reason(client, analyst, cuba, moscow):  # noqa: F811
    question = cuba.questions.get(code="C")
    two, three, four = (_suggest(question, moscow, number) for number in ("2", "3", "4"))
    other = _suggest(cuba.questions.get(code="D"), moscow, "5")  # another question's: not this form's to reject
    page = client.get(reverse("question-detail", args=[question.pk])).content.decode()
    assert page.count('form="bulk-reject"') == 3 and "Reject the ticked suggestions" in page
    kept = client.post(reverse("suggestions-reject", args=[question.pk]), {"note": "old news, 2007"}, follow=True)
    assert 'value="old news, 2007"' in kept.content.decode() and "2007" not in kept.redirect_chain[-1][0]
    again = client.get(reverse("question-detail", args=[question.pk])).content.decode()
    assert 'value="old news, 2007"' not in again  # given back once
    done = client.post(reverse("suggestions-reject", args=[question.pk]),
                       {"suggestion": [two.pk, four.pk, other.pk, "x"], "note": "trade, not politics"}, follow=True)
    states = {s.pk: (s.state, s.decision_note) for s in Suggestion.objects.all()}
    assert states[two.pk] == states[four.pk] == (Suggestion.REJECTED, "trade, not politics")
    assert states[three.pk][0] == states[other.pk][0] == Suggestion.OPEN
    text = done.content.decode()
    assert "2 suggestions rejected; 2 left out, decided meanwhile or not yours to see: they will not be" in text
    nothing = client.post(reverse("suggestions-reject", args=[question.pk]), {}, follow=True)
    assert "Tick the suggestions to reject first" in nothing.content.decode()


def test_odd_ids_name_no_suggestion(client, analyst, cuba, moscow):  # noqa: F811
    question = cuba.questions.get(code="C")
    two = _suggest(question, moscow, "2")
    done = client.post(reverse("suggestions-reject", args=[question.pk]),
                       {"suggestion": [two.pk, "\u00b2", "9" * 30, "-1"]}, follow=True)
    assert done.status_code == 200 and "1 suggestion rejected; 3 left out" in done.content.decode()


def test_a_suggestion_restored_after_its_paragraph_was_logged_counts_as_accepted(client, analyst, cuba, moscow):  # noqa: F811
    from tracker import responses

    question = cuba.questions.get(code="C")
    two = _suggest(question, moscow, "2")
    client.post(reverse("suggestion-decide", args=[two.pk]), {"decision": "reject", "note": "no"})
    responses.log(analyst, moscow, [question], ["2"], "partly")  # logged by hand since
    done = client.post(reverse("suggestion-decide", args=[two.pk]), {"decision": "restore"}, follow=True)
    assert "a response already links it to the question, so it counts as accepted" in done.content.decode()
    assert Suggestion.objects.get(pk=two.pk).state == Suggestion.ACCEPTED
    restored = AuditEvent.objects.filter(target=f"suggestion {two.pk}").latest("pk").details
    assert (restored["action"], restored["now"], restored["reason rejected"]) == (
        "suggestion restored", "accepted", "no")
