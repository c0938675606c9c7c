"""Listing and report polish in a real browser: on a phone (390px) a long cable facet shows its first values
and a "Show all" toggle instead of a box clipped with no sign that it scrolls, while at 1280px the facets
are as before; a set with no response, and a dashboard filter matching nothing, say so where a chart would be."""
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
SHOWN_ON_A_PHONE = 6


@pytest.fixture
def store(make_user):
    """Every test page (dozens of origins and tags, ten years) and the Iran tasking's set, no response yet."""
    ensure_roles()
    import_paths([SEEDS, PAGES])
    analyst = make_user("analyst", clearance="TOP SECRET", noforn=True)
    analyst.groups.add(Group.objects.get(name="analyst"))
    return requirements.create_set(Cable.objects.get(reference_id="09STATE6423"), analyst)


def _facets(page: Page) -> dict[str, int]:
    """Each facet's title and how many values it lists."""
    return {facet.locator("h2").inner_text(): facet.locator("li").count() for facet in page.locator(".facet").all()}


def test_on_a_phone_a_long_facet_shows_its_first_values_and_a_toggle_for_all(page: Page, live_server, store):
    page.set_viewport_size({"width": PHONE, "height": 800})
    log_in(page, live_server, "analyst")
    page.goto(live_server.url + reverse("cable-list"))
    counts = _facets(page)
    assert sum(n > SHOWN_ON_A_PHONE + 1 for n in counts.values()) >= 3, counts  # year, origin and tag are long
    for index, (title, count) in enumerate(counts.items()):
        facet = page.locator(".facet").nth(index)
        clipped = facet.locator("ul").evaluate("ul => ul.scrollHeight > ul.clientHeight + 1")
        assert not clipped, title  # nothing hidden in a box that scrolls
        toggle = facet.locator("details.facet-more summary")
        if count <= SHOWN_ON_A_PHONE + 1:
            expect(facet.locator("li:visible")).to_have_count(count)
            expect(toggle).to_have_count(0)
            continue
        expect(facet.locator("li:visible")).to_have_count(SHOWN_ON_A_PHONE)
        expect(toggle).to_have_text(f"Show all {count}", use_inner_text=True)
        box = toggle.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE and box["height"] >= 24, (title, box)
        toggle.click()
        expect(facet.locator("li:visible")).to_have_count(count)
        expect(toggle).to_have_text("Show fewer", use_inner_text=True)
        facet.locator("li").last.locator("a").click(trial=True)  # the last value is on screen and clickable
        toggle.click()
        expect(facet.locator("li:visible")).to_have_count(SHOWN_ON_A_PHONE)
    assert page.evaluate("document.scrollingElement.scrollWidth") <= PHONE


def test_at_1280px_the_facets_list_every_value_as_before(page: Page, live_server, store):
    page.set_viewport_size({"width": LAPTOP, "height": 900})
    log_in(page, live_server, "analyst")
    page.goto(live_server.url + reverse("cable-list"))
    expect(page.locator("details.facet-more").first).to_be_hidden()
    for index, (title, count) in enumerate(_facets(page).items()):
        listed = page.locator(".facet").nth(index).locator("ul")
        shown = listed.evaluate("ul => [...ul.children].filter(li => getComputedStyle(li).display !== 'none').length")
        assert shown == count, title
        assert listed.evaluate("ul => getComputedStyle(ul).maxHeight") == "288px", title  # 18rem, scrolling


@pytest.mark.parametrize("width", [PHONE, LAPTOP])
def test_where_there_is_nothing_to_chart_the_page_says_so(page: Page, live_server, store, width):
    page.set_viewport_size({"width": width, "height": 900})
    log_in(page, live_server, "analyst")
    for path in (store.get_absolute_url(), reverse("requirement-set-print", args=[store.pk])):
        page.goto(live_server.url + path)
        expect(page.locator("#report .chart-empty")).to_have_text(
            "No response yet: the charts fill in as responses are logged.")
        expect(page.locator("svg.chart")).to_have_count(0)
    page.goto(live_server.url + reverse("dashboard") + "?tag=NOSUCHTAG")
    expect(page.locator("h1")).to_contain_text("0 questions")
    expect(page.locator("figure.chart-box .chart-empty")).to_have_text(
        "No open question matches the filters: nothing to chart.")
    expect(page.locator("figure.chart-box .chart-empty")).to_be_in_viewport()
    page.goto(live_server.url + reverse("dashboard"))  # the set's open questions: drawn, no such text
    expect(page.locator("figure.chart-box svg.chart")).to_have_count(1)
    expect(page.locator(".chart-empty")).to_have_count(0)
