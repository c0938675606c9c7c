"""The dashboard on a phone opens on its results: the filters fold under a "Filters" heading that says how many
are in force; one in error stays open; on a laptop they show as always."""
import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from playwright.sync_api import Page, expect

from cables.importing import import_paths
from cables.models import Cable
from tests.browser.test_cable_pages import log_in
from tests.conftest import PAGES, ensure_roles
from tracker import requirements

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def analyst(make_user):
    ensure_roles()
    import_paths([PAGES / "09STATE40419.html"])
    user = make_user("analyst", clearance="SECRET", noforn=True)
    user.groups.add(Group.objects.get(name="analyst"))
    requirements.create_set(Cable.objects.get(reference_id="09STATE40419"), user)
    return user


def test_on_a_phone_the_filters_fold_and_the_results_come_first(page: Page, live_server, analyst):
    page.set_viewport_size({"width": 390, "height": 800})
    log_in(page, live_server, "analyst")
    page.goto(live_server.url + reverse("dashboard") + "?mine=true")
    heading = page.locator("details.filter-box > summary")
    expect(heading).to_have_text("Filters (1 in force)")
    expect(page.locator("form.filters select[name=priority]")).to_be_hidden()
    expect(page.locator("table.dashboard-table, .dashboard table").first).to_be_in_viewport()
    heading.click()
    expect(page.locator("form.filters select[name=priority]")).to_be_visible()
    page.goto(live_server.url + reverse("dashboard") + "?tasked_after=not-a-date")
    expect(page.locator("form.filters .errorlist")).to_be_visible()  # what is wrong is in sight

    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(live_server.url + reverse("dashboard"))
    expect(heading).to_be_hidden()
    expect(page.locator("form.filters select[name=priority]")).to_be_visible()


def test_a_phone_turned_sideways_shows_its_filters_again(page: Page, live_server, analyst):
    page.set_viewport_size({"width": 390, "height": 844})
    log_in(page, live_server, "analyst")
    page.goto(live_server.url + reverse("dashboard"))
    expect(page.locator("form.filters select[name=priority]")).to_be_hidden()
    page.set_viewport_size({"width": 844, "height": 390})
    expect(page.locator("form.filters select[name=priority]")).to_be_visible()
