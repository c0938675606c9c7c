"""The layout in a real browser, on a phone (390px) and a laptop (1280px): no page scrolls sideways, every
menu link is on screen and clickable, the filters stack above the results on a phone, and the wide lists
(the cables, the unanswered dashboard) fit at 1280px with none of their columns cut off."""
import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from playwright.sync_api import Page, expect

from cables.importing import import_paths
from cables.models import Cable
from tests.browser.test_cable_pages import log_in
from tests.conftest import PAGES, SEEDS, ensure_roles
from tracker import requirements

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE, LAPTOP = 390, 1280
MENU = ["Unanswered", "Requirement sets", "Cables", "Import", "Admin", "Log out"]
FOUO = "UNCLASSIFIED//FOR OFFICIAL USE ONLY"


@pytest.fixture
def store(make_user):
    """Every test page (FOUO, NOFORN and long origins among them), the Iran tasking's set (so that the
    dashboard has its eleven columns filled), and a staff user, whose menu is the longest."""
    ensure_roles()
    import_paths([SEEDS, PAGES])
    admin = make_user("admin", staff=True, clearance="TOP SECRET", noforn=True)
    admin.groups.add(Group.objects.get(name="analyst"))
    made = requirements.create_set(Cable.objects.get(reference_id="09STATE6423"), admin)
    requirements.edit_set(made, admin, priority="high", due=made.tasked.date().replace(year=2009, month=6))
    assert Cable.objects.filter(classification=FOUO).exists()
    return made


def _pages(requirement_set) -> dict[str, str]:
    return {
        "cable list": reverse("cable-list"),
        "cable list, FOUO": reverse("cable-list") + "?classification=" + FOUO.replace(" ", "+"),
        "dashboard": reverse("dashboard"),
        "cable": reverse("cable-detail", args=["09STATE6423"]),
        "set": requirement_set.get_absolute_url(),
    }


def _overflow(page: Page) -> tuple[int, int]:
    return page.evaluate("[document.scrollingElement.scrollWidth, window.innerWidth]")


def _assert_menu_usable(page: Page, where: str) -> None:
    width = page.evaluate("window.innerWidth")
    for label in MENU:
        link = page.locator("header.top nav").get_by_text(label, exact=True)
        expect(link).to_be_visible()
        box = link.bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= width, (where, label, box, width)
        link.click(trial=True)  # actionable: visible, enabled, not covered by anything
        assert page.evaluate("window.scrollX") == 0, (where, label)


@pytest.mark.parametrize("width", [PHONE, LAPTOP])
def test_no_page_scrolls_sideways_and_the_menu_is_usable(page: Page, live_server, store, width):
    page.set_viewport_size({"width": width, "height": 900})
    log_in(page, live_server, "admin")
    for where, path in _pages(store).items():
        page.goto(live_server.url + path)
        expect(page.locator("h1")).to_be_visible()
        scroll_width, inner_width = _overflow(page)
        assert scroll_width <= inner_width, f"{where} at {width}px: the page is {scroll_width}px wide"
        _assert_menu_usable(page, f"{where} at {width}px")


def test_on_a_phone_the_filters_stack_above_the_results_and_a_wide_table_scrolls_in_place(
        page: Page, live_server, store):
    page.set_viewport_size({"width": PHONE, "height": 800})
    log_in(page, live_server, "admin")
    for path in (reverse("cable-list"), reverse("dashboard")):
        page.goto(live_server.url + path)
        aside, results = page.locator("aside.facets").bounding_box(), page.locator("aside + section").bounding_box()
        assert results["y"] >= aside["y"] + aside["height"] - 1, path  # below the filters, not beside them
        assert results["width"] >= PHONE - 40, path  # the whole width, not squeezed beside the sidebar
        table = page.locator("table.list").first
        overflow_x = table.evaluate("t => getComputedStyle(t).overflowX")
        assert overflow_x == "auto", path
        assert table.bounding_box()["x"] + table.bounding_box()["width"] <= PHONE, path
    page.get_by_text("Log out", exact=True).click()
    expect(page.locator("ul.messages")).to_contain_text("You have logged out.")
    expect(page.locator("#id_username")).to_be_visible()


def test_at_1280px_the_wide_lists_fit_with_every_column_on_screen(page: Page, live_server, store):
    page.set_viewport_size({"width": LAPTOP, "height": 900})
    log_in(page, live_server, "admin")
    pages = _pages(store)
    for where in ("cable list", "cable list, FOUO", "dashboard"):
        page.goto(live_server.url + pages[where])
        headers = page.locator("table.list thead th")
        assert headers.count() >= 6
        for index in range(headers.count()):
            box = headers.nth(index).bounding_box()
            assert box["x"] + box["width"] <= LAPTOP, (where, headers.nth(index).inner_text(), box)
        # nor scrolled inside its column: the table fits it
        fits = page.evaluate("() => { const s = document.querySelector('aside + section');"
                             " return s.scrollWidth <= s.clientWidth; }")
        assert fits, where
        spilled = page.evaluate("() => { const a = document.querySelector('aside.facets');"
                                " const right = a.getBoundingClientRect().right;"
                                " return [...a.querySelectorAll('*')].filter("
                                "e => e.getBoundingClientRect().right > right + 0.5).map(e => e.outerHTML.slice(0, 80)); }")
        assert spilled == [], (where, spilled)  # the filters stay in their column, under nothing
        page.locator("aside.facets button[type=submit]").click(trial=True)
    page.goto(live_server.url + pages["cable list, FOUO"])
    badge = page.locator("table.list tbody abbr.classification").first
    expect(badge).to_have_attribute("title", FOUO)  # abbreviated in the column, whole in the title
