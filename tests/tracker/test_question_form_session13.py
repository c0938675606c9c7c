"""The question form warns when a question's text repeats another current question of the set (ignoring
case, spacing and punctuation), naming it, and saves once the analyst ticks "Save anyway"."""
import re
from html import escape

import pytest
from django.urls import reverse

from tracker import requirements

pytestmark = pytest.mark.django_db


def checkbox_shown(content: bytes) -> bool:
    return bool(re.search(rb'<input type="checkbox" name="save_anyway"', content))


@pytest.fixture
def iran_set(iran_cable):
    return requirements.create_set(iran_cable)


def test_adding_a_question_with_the_text_of_another_names_it_and_saves_once_confirmed(client, analyst, iran_set):
    a1 = iran_set.questions.get(code="A.1")
    url = reverse("question-add", args=[iran_set.pk])
    assert not checkbox_shown(client.get(url).content)  # asked only when there is something to confirm
    typed = {"section": a1.section_id, "marking": "C", "code": "",
             "text": "  " + re.sub(r"[?,.]", "", a1.text.upper()).replace(" ", "   ") + " !"}
    count = iran_set.questions.count()

    response = client.post(url, typed)
    assert response.status_code == 400
    page = response.content.decode()
    assert "A.1" in page and "same text" in page
    assert escape(typed["text"].strip()) in page  # what was typed, re-displayed
    assert checkbox_shown(response.content)
    assert iran_set.questions.count() == count

    saved = client.post(url, typed | {"save_anyway": "on"})
    assert saved.status_code == 302
    assert iran_set.questions.count() == count + 1
    assert client.post(url, typed | {"text": "Which banks are involved?"}).status_code == 302  # a new text


def test_editing_a_question_into_the_text_of_another_asks_once(client, analyst, iran_set):
    a1, a2 = iran_set.questions.get(code="A.1"), iran_set.questions.get(code="A.2")
    url = reverse("question-edit", args=[a2.pk])
    typed = {"code": "A.2", "section": a2.section_id, "marking": a2.marking, "text": a1.text.lower(), "sentences": ""}
    response = client.post(url, typed)
    assert response.status_code == 400 and b"A.1" in response.content and checkbox_shown(response.content)
    a2.refresh_from_db()
    assert a2.text != a1.text.lower()
    assert client.post(url, typed | {"save_anyway": "on"}).status_code == 302
    a2.refresh_from_db()
    assert a2.text == a1.text.lower()
    # Its text kept, another change of it is not asked again.
    assert client.post(url, typed | {"marking": "S"}).status_code == 302


def test_a_retired_question_or_one_the_analyst_may_not_see_is_no_duplicate(client, analyst, iran_set):
    a1, a2, a3 = (iran_set.questions.get(code=code) for code in ("A.1", "A.2", "A.3"))
    a1.retired = True
    a1.save()
    a2.marking = "TS"  # above the analyst's clearance: neither named nor hinted at
    a2.save()
    url = reverse("question-add", args=[iran_set.pk])
    assert client.post(url, {"section": a1.section_id, "marking": "C", "code": "", "text": a1.text}).status_code == 302
    assert client.post(url, {"section": a1.section_id, "marking": "C", "code": "", "text": a2.text}).status_code == 302
    response = client.post(url, {"section": a1.section_id, "marking": "C", "code": "", "text": a3.text})
    assert response.status_code == 400 and b"A.3" in response.content
