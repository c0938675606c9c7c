"""The "Log a response" form in a real browser keeps what was typed when the cable changes: paragraph
numbers typed while the new cable loads, or before any cable was loaded; the chosen questions, note and
assessment; the old cable's paragraphs are cleared, saying so and offering them back. Without JavaScript,
changing the cable shows the new cable's form rather than logging the old cable's paragraphs."""
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
from tracker import requirements
from tracker.models import Response

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def sets(make_user):
    """The Cuba-Russia set (cited by 09MOSCOW1730) and the Iran set; 08LAPAZ751 cites neither."""
    ensure_roles()
    import_paths([PAGES / name for name in ("09STATE40419.html", "09MOSCOW1730.html", "09STATE6423.html",
                                             "08LAPAZ751.html")])
    make_user("analyst", clearance="SECRET", noforn=True).groups.add(Group.objects.get(name="analyst"))
    return (requirements.create_set(Cable.objects.get(reference_id="09STATE40419")),
            requirements.create_set(Cable.objects.get(reference_id="09STATE6423")))


def _open(page: Page, live_server, cable: str = "") -> None:
    log_in(page, live_server, "analyst")
    page.goto(live_server.url + reverse("response-create") + (f"?cable={cable}" if cable else ""))


def test_paragraphs_typed_while_the_new_cable_loads_are_kept_and_the_old_ones_offered_back(
        page: Page, live_server, sets):
    cuba, iran = sets
    d, c1 = cuba.questions.get(code="D"), iran.questions.get(code="C.1")
    _open(page, live_server, "08LAPAZ751")
    page.locator(".paragraph-choices input[value='2']").check()
    choose_questions(page, [str(d.pk), str(c1.pk)])
    page.select_option("select[name=assessment]", "partly")
    page.fill("textarea[name=note]", "Moscow's view")
    held = []  # the new cable's form is held back, so typing happens while it loads
    page.route(re.compile(r"/responses/new/\?cable=09MOSCOW1730"), lambda route: held.append(route))
    page.fill("input[name=cable]", "09MOSCOW1730")
    page.locator("input[name=cable]").press("Tab")
    page.keyboard.type("7")
    while not held:
        page.wait_for_timeout(20)
    page.keyboard.type(", 8")
    held[0].continue_()

    expect(page.locator("h1")).to_contain_text("09MOSCOW1730")
    expect(page).to_have_url(re.compile(r"/responses/new/\?cable=09MOSCOW1730&"))
    expect(page.locator("input[name=paragraphs]")).to_have_value("7, 8")
    expect(page.locator("input[name=paragraphs]")).to_be_focused()
    page.keyboard.type(", 6")  # typing goes on in the new form
    expect(page.locator("input[name=paragraphs]")).to_have_value("7, 8, 6")
    page.locator("input[name=paragraphs]").press("Tab")
    expect(page.locator(".paragraph-choices input:checked")).to_have_count(3)
    # both chosen questions stay chosen: the cable cites the Cuba set, and may still answer the Iran one
    expect_chosen(page, [str(d.pk), str(c1.pk)])
    expect(page.locator(".dropped-questions")).to_have_count(0)
    expect(page.locator("select[name=assessment]")).to_have_value("partly")
    expect(page.locator("textarea[name=note]")).to_have_value("Moscow's view")
    cleared = page.locator(".cleared-paragraphs")
    expect(cleared).to_contain_text("The paragraphs chosen for 08LAPAZ751 (¶2) were cleared")
    cleared.get_by_role("button", name="Use ¶2 here").click()
    expect(page.locator("input[name=paragraphs]")).to_have_value("7, 8, 6, 2")
    expect(cleared).to_have_count(0)

    page.click("form.response-form button[type=submit]")
    expect(page).to_have_url(re.compile(r"/cables/09MOSCOW1730/$"))  # two responses: the cable's page
    for question in (d, c1):
        response = Response.objects.get(question=question)
        assert (response.cable.reference_id, response.assessment, sorted(response.paragraph_numbers)) == (
            "09MOSCOW1730", "partly", ["2", "6", "7", "8"])


def test_paragraphs_typed_before_any_cable_are_the_cables(page: Page, live_server, sets):
    c1 = sets[1].questions.get(code="C.1")
    log_in(page, live_server, "analyst")
    page.goto(live_server.url + reverse("question-detail", args=[c1.pk]))
    page.fill("input[name=paragraphs]", "3, 5")
    page.fill("input[name=cable]", "09MOSCOW1730")
    page.locator("input[name=cable]").press("Enter")
    expect(page.locator("h1")).to_contain_text("09MOSCOW1730")
    expect(page.locator("input[name=paragraphs]")).to_have_value("3, 5")
    expect(page.locator(".paragraph-choices input:checked")).to_have_count(2)
    expect(page.locator(".cleared-paragraphs")).to_have_count(0)
    expect_chosen(page, [str(c1.pk)])  # the question it was opened for


def test_logging_while_the_new_cable_loads_waits_for_its_form(page: Page, live_server, sets):
    d = sets[0].questions.get(code="D")
    _open(page, live_server, "08LAPAZ751")
    page.locator(".paragraph-choices input[value='2']").check()
    choose_questions(page, [str(d.pk)])
    held = []
    page.route(re.compile(r"/responses/new/\?cable=09MOSCOW1730"), lambda route: held.append(route))
    page.fill("input[name=cable]", "09MOSCOW1730")
    page.click("form.response-form button[type=submit]")  # leaving the cable field reloads the form first
    while not held:
        page.wait_for_timeout(20)
    expect(page.locator("form.response-form button[type=submit]")).to_be_disabled()
    held[0].continue_()
    expect(page.locator(".cleared-paragraphs")).to_contain_text("The paragraphs chosen for 08LAPAZ751 (¶2)")
    expect_chosen(page, [str(d.pk)])
    assert not Response.objects.exists()


def test_ticking_a_paragraph_keeps_the_numbers_typed_that_have_no_box(page: Page, live_server, sets):
    _open(page, live_server, "09MOSCOW1730")
    page.fill("input[name=paragraphs]", "3, 9")
    page.locator(".paragraph-choices input[value='7']").check()
    expect(page.locator("input[name=paragraphs]")).to_have_value("3, 7, 9")


def test_without_javascript_another_cable_shows_its_form_and_does_not_log_the_old_paragraphs(
        browser, live_server, sets):
    d = sets[0].questions.get(code="D")
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    _open(page, live_server, "08LAPAZ751")
    page.fill("input[name=paragraphs]", "2")
    choose_questions(page, [str(d.pk)])
    page.fill("textarea[name=note]", "Moscow's view")
    page.fill("input[name=cable]", "09MOSCOW1730")
    page.locator("input[name=cable]").press("Enter")

    expect(page.locator("h1")).to_contain_text("09MOSCOW1730")
    expect(page.locator(".cleared-paragraphs")).to_contain_text("The paragraphs chosen for 08LAPAZ751 (¶2)")
    expect(page.locator("input[name=paragraphs]")).to_have_value("")
    expect_chosen(page, [str(d.pk)])
    expect(page.locator("textarea[name=note]")).to_have_value("Moscow's view")
    assert not Response.objects.exists()
    page.fill("input[name=paragraphs]", "7")
    page.click("form.response-form button[type=submit]")
    expect(page).to_have_url(re.compile(rf"/questions/{d.pk}/$"))
    assert Response.objects.get(question=d).paragraph_numbers == ["7"]
    context.close()
