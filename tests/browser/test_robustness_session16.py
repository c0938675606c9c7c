"""The response form's paragraph boxes count without JavaScript: ticking one (and a question) logs the response
with that paragraph, and a form shown again with an error keeps it ticked. With JavaScript, which mirrors the
ticks into the "Paragraphs" field, a paragraph both ticked and written there is logged once."""
import re

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from playwright.sync_api import expect

from cables.importing import import_paths
from cables.models import Cable
from tests.browser.questions import choose_questions
from tests.browser.test_cable_pages import log_in
from tests.conftest import PAGES, ensure_roles
from tracker import requirements
from tracker.models import Response

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def question(make_user):
    """Question D of the Cuba-Russia set, which 09MOSCOW1730 cites; an analyst to log a response to it."""
    ensure_roles()
    import_paths([PAGES / name for name in ("09STATE40419.html", "09MOSCOW1730.html")])
    make_user("analyst", clearance="SECRET", noforn=True).groups.add(Group.objects.get(name="analyst"))
    return requirements.create_set(Cable.objects.get(reference_id="09STATE40419")).questions.get(code="D")


def _open(page, live_server) -> None:
    log_in(page, live_server, "analyst")
    page.goto(live_server.url + reverse("response-create") + "?cable=09MOSCOW1730")


def test_ticking_a_paragraph_and_a_question_logs_the_response_with_javascript_or_without(browser, live_server,
                                                                                         question):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    _open(page, live_server)
    page.locator(".paragraph-choices input[value='7']").check()
    page.click("form.response-form button[type=submit]")  # no question yet: the form comes back, 7 still ticked
    expect(page.locator(".questions-field .errorlist")).to_be_visible()
    expect(page.locator(".paragraph-choices input[value='7']")).to_be_checked()
    expect(page.locator(".paragraph-choices input:checked")).to_have_count(1)
    expect(page.get_by_text("Tick or type at least one paragraph")).to_have_count(0)
    assert not Response.objects.exists()

    choose_questions(page, [str(question.pk)])
    page.locator(".paragraph-choices input[value='8']").check()
    page.click("form.response-form button[type=submit]")
    expect(page).to_have_url(re.compile(rf"/questions/{question.pk}/$"))
    assert Response.objects.get(question=question).paragraph_numbers == ["7", "8"]
    context.close()
    Response.objects.all().delete()

    # With JavaScript, which writes the ticks into the field: sent both ticked and typed, each counts once
    context = browser.new_context()
    page = context.new_page()
    _open(page, live_server)
    page.locator(".paragraph-choices input[value='7']").check()
    expect(page.locator("input[name=paragraphs]")).to_have_value("7")
    page.fill("input[name=paragraphs]", "7, 6")
    choose_questions(page, [str(question.pk)])
    page.click("form.response-form button[type=submit]")
    expect(page).to_have_url(re.compile(rf"/questions/{question.pk}/$"))
    assert Response.objects.get(question=question).paragraph_numbers == ["7", "6"]  # as the field shows them
    context.close()
