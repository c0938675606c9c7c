"""Beside each paragraph of a cable's page: the questions it answers, and for an analyst a link that opens the
response form with that cable and paragraph chosen; nothing of a response the reader may not see."""
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.tracker.test_ux_fixes import answered, cuba, moscow  # noqa: F401 (fixtures)
from cables.models import Cable
from tracker import requirements, responses

pytestmark = pytest.mark.django_db


def _paragraph(page: str, number: str) -> str:
    start = page.index(f'<span class="number">{number}.</span>')
    return page[start:page.index('<div class="paragraph', start) if '<div class="paragraph' in page[start:] else None]


def test_a_paragraph_names_the_questions_it_answers_and_offers_to_log_it(client, answered, moscow):  # noqa: F811
    page = client.get(moscow.get_absolute_url()).content.decode()
    one = _paragraph(page, "1")
    assert re.search(rf'Answers <a href="/questions/{answered.question_id}/" title="Cuba-Russia relationship">D</a>',
                     one)
    assert 'href="/responses/new/?cable=09MOSCOW1730&amp;paragraphs=1">This answers…</a>' in one
    two = _paragraph(page, "2")
    assert "Answers" not in two and "paragraphs=2" in two
    form = client.get(reverse("response-create"), {"cable": "09MOSCOW1730", "paragraphs": "2"}).content.decode()
    assert 'name="paragraphs" value="2"' in form


def test_a_partial_answer_says_so_and_a_reader_gets_no_link_to_log(client, answered, moscow, role_user):  # noqa: F811
    c = answered.question.requirement_set.questions.get(code="C")
    responses.log(answered.created_by, moscow, [c], ["2"], "partly")
    reader = role_user("reader", role="reader")
    client.force_login(reader)
    page = client.get(moscow.get_absolute_url()).content.decode()
    assert re.search(r">C</a> \(partly answers\)", _paragraph(page, "2"))
    assert "This answers…" not in page[page.index('class="box body"'):]


def test_a_response_beyond_the_reader_is_not_named(client, answered, moscow, role_user):  # noqa: F811
    from tracker.models import Question

    Question.objects.filter(pk=answered.question_id).update(marking="TS//NF", level=3)  # D beyond a SECRET reader
    client.force_login(role_user("secret", clearance="SECRET", noforn=True))
    page = client.get(moscow.get_absolute_url())
    assert page.status_code == 200 and 'class="paragraph-links"' in page.content.decode()
    assert "Answers <a" not in page.content.decode()


def test_the_tasking_cable_offers_no_paragraph_to_log_and_queries_do_not_grow(client, answered, moscow):  # noqa: F811
    tasking = answered.question.requirement_set.tasking_cable
    assert "This answers…" not in client.get(tasking.get_absolute_url()).content.decode()
    with CaptureQueriesContext(connection) as before:
        client.get(moscow.get_absolute_url())
    questions = answered.question.requirement_set.questions.exclude(pk=answered.question_id)
    responses.log(answered.created_by, moscow, list(questions), ["2", "3", "7"], "partly")
    with CaptureQueriesContext(connection) as after:
        page = client.get(moscow.get_absolute_url()).content.decode()
    assert page.count("Answers <a") >= 3 and len(after) == len(before)


def test_a_paragraph_answering_two_sets_names_each_sets_tasking_cable(client, answered, moscow):  # noqa: F811
    iran = requirements.create_set(Cable.objects.get(reference_id="09STATE6423"))
    responses.log(answered.created_by, moscow, [iran.questions.get(code="A.1")], ["1"], "context")
    one = _paragraph(client.get(moscow.get_absolute_url()).content.decode(), "1")
    assert re.search(r">D</a> of 09STATE40419, <a [^>]*>A.1</a> of 09STATE6423 \(context only\)", one), one
