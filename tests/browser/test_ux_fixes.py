"""The "Log a response" form in a real browser: choosing another cable reloads the form for that cable (its
heading, paragraphs and questions, and the response it already made), dropping the old cable's ticks and
keeping the chosen questions and the note; the existing response keeps its confidence."""
import re

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from playwright.sync_api import Page, expect

from cables.importing import import_paths
from cables.models import Cable
from tests.browser.questions import choose_questions, expect_chosen
from tests.browser.test_cable_pages import log_in
from tests.conftest import PAGES, ensure_roles
from tracker import requirements, responses
from tracker.models import Response

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def answered(make_user):
    ensure_roles()
    import_paths([PAGES / name for name in ("09STATE40419.html", "09MOSCOW1730.html", "09STATE6423.html",
                                             "08LAPAZ751.html")])
    cuba = requirements.create_set(Cable.objects.get(reference_id="09STATE40419"))
    requirements.create_set(Cable.objects.get(reference_id="09STATE6423"))
    analyst = make_user("analyst", clearance="SECRET", noforn=True)
    analyst.groups.add(Group.objects.get(name="analyst"))
    d = cuba.questions.get(code="D")
    return responses.log(analyst, Cable.objects.get(reference_id="09MOSCOW1730"), [d], ["1", "4"], "answers",
                         "high", "Russia's priorities")[0]


def test_changing_the_cable_reloads_the_form_for_it(page: Page, live_server, answered):
    d = answered.question
    page.set_viewport_size({"width": 1280, "height": 900})
    log_in(page, live_server, "analyst")
    page.goto(live_server.url + reverse("response-create") + "?cable=08LAPAZ751")
    expect(page.locator("h1")).to_contain_text("08LAPAZ751")
    # not limited: every open question, grouped by set, labelled with its text
    groups = page.locator(".question-group")
    expect(groups.locator("legend", has_text="Cuba-Russia relationship (09STATE40419)")).to_have_count(1)
    expect(groups).to_have_count(2)
    expect(page.locator(".question-group label", has_text="D: FOR MOSCOW")).to_have_count(1)
    # many questions: a filter narrows them by words of the question or its set, a ticked one stays in sight
    page.locator(".question-group label", has_text="A: FOR HAVANA").locator("input").check()
    expect(page.locator(".chosen-count")).to_have_text("1 chosen")
    everything = page.locator(".question-group label").count()
    page.fill(".question-filter input", "MOSCOW")
    expect(page.locator(".question-group label:visible", has_text="D: FOR MOSCOW")).to_have_count(1)
    shown = page.locator(".question-group label:visible").all_inner_texts()
    assert 2 < len(shown) < everything
    assert all("moscow" in text.lower() or text.startswith("A: FOR HAVANA") for text in shown), shown
    page.fill(".question-filter input", "cuba-russia moscow")
    expect(page.locator(".question-group:visible")).to_have_count(1)  # the Iran set has no question left shown
    page.fill(".question-filter input", "nothing like this")
    expect(page.locator(".no-match")).to_be_visible()
    page.locator(".question-filter input").press("Enter")  # filters; does not log
    expect(page.locator("h1")).to_contain_text("08LAPAZ751")
    page.fill(".question-filter input", "moscow")  # kept when the form reloads for another cable
    page.locator(".paragraph-choices input[value='2']").check()
    expect(page.locator("input[name=paragraphs]")).to_have_value("2")
    choose_questions(page, [str(d.pk)])
    page.fill("textarea[name=note]", "Moscow's view")

    page.fill("input[name=cable]", "09MOSCOW1730")
    page.locator("input[name=cable]").press("Enter")
    expect(page).to_have_url(re.compile(r"/responses/new/\?cable=09MOSCOW1730"))
    expect(page.locator("h1")).to_contain_text("09MOSCOW1730")
    expect(page.locator("input[name=paragraphs]")).to_have_value("")  # the old cable's ticks are gone
    expect(page.locator(".paragraph-choices input:checked")).to_have_count(0)
    # the Cuba set it cites first, then the Iran set: a citation does not limit what it may answer
    expect(page.locator(".question-group")).to_have_count(2)
    expect(page.locator(".question-group legend").first).to_have_text(
        "Cuba-Russia relationship (09STATE40419) · cited by this cable")
    expect_chosen(page, [str(d.pk)])
    expect(page.locator(".question-filter input")).to_have_value("moscow")
    expect(page.locator(".question-group label", has_text="A: FOR HAVANA")).to_be_hidden()
    expect(page.locator("textarea[name=note]")).to_have_value("Moscow's view")
    expect(page.locator(".existing-response")).to_contain_text("This will update the existing response")
    expect(page.locator("select[name=confidence]")).to_have_value("high")

    page.locator(".paragraph-choices input[value='7']").check()
    page.click("form.response-form button[type=submit]")
    expect(page).to_have_url(re.compile(rf"/questions/{d.pk}/$"))
    response = Response.objects.get(pk=answered.pk)
    assert (response.assessment, response.confidence, response.paragraph_numbers) == ("answers", "high",
                                                                                    ["1", "4", "7"])


def test_typing_a_cable_on_the_question_page_opens_its_form(page: Page, live_server, answered):
    d = answered.question
    log_in(page, live_server, "analyst")
    page.goto(live_server.url + reverse("question-detail", args=[d.pk]))
    page.fill("input[name=cable]", "09MOSCOW1730")
    page.locator("input[name=cable]").dispatch_event("change")
    expect(page).to_have_url(re.compile(rf"/responses/new/\?cable=09MOSCOW1730&question={d.pk}$"))
    expect(page.locator(".existing-response")).to_contain_text("D")
    expect(page.locator("select[name=confidence]")).to_have_value("high")
