"""Layout and navigation found in a walk-through, in a real browser at 390px (a phone) and 1280px (a laptop):
charts keep readable labels on a phone (scrolling in their box), the question list is no tall empty box and its
Ctrl hint is hidden where there is no Ctrl, badges stay on one line, the waiting list and "Log a response" are
in the menu (the latter only for those who may log), and a printable page links back to the page it prints."""
import re

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.urls import reverse
from playwright.sync_api import Page, expect

from tests.browser.test_cable_pages import log_in
from tests.browser.test_report_pages import _story
from tests.conftest import ensure_roles
from tracker.models import Question, RequirementSet

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE, LAPTOP = 390, 1280
CHART_LABEL_PX = 11  # the size charts.py draws its labels at, in a chart drawn at its own width


@pytest.fixture
def iran(make_user) -> RequirementSet:
    """The Iran and Cuba sets with the demo's responses (some on prior reporting alone), an analyst who logs
    them and a reader who may not log."""
    ensure_roles()
    analyst = make_user("analyst", clearance="SECRET", noforn=True)
    analyst.groups.add(Group.objects.get(name="analyst"))
    reader = make_user("reader", clearance="SECRET", noforn=True)
    reader.groups.add(Group.objects.get(name="reader"))
    _story(get_user_model().objects.get(pk=analyst.pk))
    return RequirementSet.objects.get(tasking_cable__reference_id="09STATE6423")


def _sideways(page: Page) -> bool:
    return page.evaluate("document.scrollingElement.scrollWidth > window.innerWidth")


def _chart_label_sizes(page: Page) -> list[float]:
    """Each chart's labels as shown, in CSS pixels: their font size times the chart's scale on screen."""
    return page.evaluate("""() => [...document.querySelectorAll('svg.chart')].map(svg => {
        const text = svg.querySelector('text.tick');
        return parseFloat(getComputedStyle(text).fontSize) * svg.getBoundingClientRect().width
               / svg.viewBox.baseVal.width; })""")


def test_on_a_phone_a_chart_keeps_readable_labels_and_scrolls_in_its_box(page: Page, live_server, iran):
    page.set_viewport_size({"width": PHONE, "height": 900})
    log_in(page, live_server, "analyst")
    # (the dashboard's chart is laid out anew to fit a phone instead: tests/browser/test_phone_session14.py)
    for path in (iran.get_absolute_url(),):
        page.goto(live_server.url + path)
        sizes = _chart_label_sizes(page)
        assert sizes and min(sizes) >= CHART_LABEL_PX - 0.1, (path, sizes)  # not shrunk to fit 390px
        assert not _sideways(page), path  # the chart scrolls in its box, not the page
        box = page.locator("figure.chart-box").first
        assert box.evaluate("b => getComputedStyle(b).overflowX") == "auto", path
        assert box.evaluate("b => b.scrollWidth > b.clientWidth"), path
        box.evaluate("b => { b.scrollLeft = b.scrollWidth; }")  # scrolled to its end, the caption stays put
        caption, frame = box.locator("figcaption").bounding_box(), box.bounding_box()
        assert caption["x"] >= frame["x"] - 0.5, path
    page.set_viewport_size({"width": LAPTOP, "height": 900})
    page.goto(live_server.url + iran.get_absolute_url())
    assert min(_chart_label_sizes(page)) >= CHART_LABEL_PX - 0.1
    # on a laptop a chart fits its box: nothing to scroll
    assert page.locator("figure.chart-box").first.evaluate("b => b.scrollWidth <= b.clientWidth")


def test_the_questions_are_boxes_to_tick_as_tall_as_their_choices_with_a_filter_when_there_are_many(
        page: Page, live_server, iran):
    question = Question.objects.filter(requirement_set=iran, responses__isnull=True).order_by("pk").first()
    page.set_viewport_size({"width": PHONE, "height": 900})
    log_in(page, live_server, "analyst")
    page.goto(live_server.url + reverse("question-detail", args=[question.pk]))
    choices = page.locator("section.log-response .question-choices")
    expect(choices.locator("input[name=questions]")).to_have_count(1)
    expect(choices.locator("input[name=questions]")).to_be_checked()  # the question of the page
    expect(choices.locator(".question-filter")).to_be_hidden()  # nothing to filter
    assert choices.bounding_box()["height"] < 160  # a set's name and one question, not twelve empty rows

    form = reverse("response-create")  # no cable yet: every open question
    for width in (PHONE, LAPTOP):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(live_server.url + form)
        expect(page.locator(".question-filter input")).to_be_visible()
        expect(page.locator(".questions-field .helptext")).to_contain_text("Tick every question")
        box = page.locator(".question-groups")
        assert 100 < box.bounding_box()["height"] <= 20 * 16 + 2, width  # many questions: it scrolls, within its limit
        assert box.evaluate("b => b.scrollHeight > b.clientHeight"), width
        assert not _sideways(page), width
    page.locator(".question-group label").nth(3).click()  # the whole line ticks its box: no Ctrl to hold
    page.locator(".question-group label").nth(5).click()
    expect(page.locator("input[name=questions]:checked")).to_have_count(2)
    expect(page.locator(".chosen-count")).to_have_text("2 chosen")


def test_badges_stay_on_one_line_at_1280px(page: Page, live_server, iran):
    page.set_viewport_size({"width": LAPTOP, "height": 900})
    log_in(page, live_server, "analyst")
    # (the dashboard's chart is laid out anew to fit a phone instead: tests/browser/test_phone_session14.py)
    for path in (iran.get_absolute_url(),):
        page.goto(live_server.url + path)
        badges = page.locator(".flag.prior")
        assert badges.count() > 0, path
        lines = badges.evaluate_all("els => els.map(e => [e.textContent, e.getClientRects().length])")
        assert all(count == 1 for _, count in lines), (path, lines)
        assert not _sideways(page), path


def _menu_link(page: Page, label: str):
    return page.locator("header.top nav").get_by_role("link", name=label, exact=True)


@pytest.mark.parametrize("width", [PHONE, LAPTOP])
def test_the_menu_leads_to_the_waiting_list_and_the_response_form(page: Page, live_server, iran, width):
    page.set_viewport_size({"width": width, "height": 900})
    log_in(page, live_server, "analyst")
    page.goto(live_server.url + reverse("cable-list"))
    for label in ("Waiting for tasking", "Log a response"):
        link = _menu_link(page, label)
        expect(link).to_be_visible()
        box = link.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= width, (label, box)
    assert not _sideways(page)
    _menu_link(page, "Waiting for tasking").click()
    expect(page).to_have_url(re.compile(r"/responses/waiting/$"))
    expect(page.locator("h1")).to_contain_text("waiting for their tasking cable")
    _menu_link(page, "Log a response").click()
    expect(page).to_have_url(re.compile(r"/responses/new/$"))
    expect(page.locator("form.response-form input[name=cable]")).to_be_visible()


def test_a_reader_sees_the_waiting_list_but_no_link_to_log(page: Page, live_server, iran):
    page.set_viewport_size({"width": LAPTOP, "height": 900})
    log_in(page, live_server, "reader")
    page.goto(live_server.url + reverse("dashboard"))
    expect(_menu_link(page, "Waiting for tasking")).to_be_visible()
    expect(_menu_link(page, "Log a response")).to_have_count(0)
    assert page.request.get(live_server.url + reverse("response-create")).status == 403


def test_a_printable_page_links_back_to_the_page_it_prints_except_on_paper(page: Page, live_server, iran):
    page.set_viewport_size({"width": LAPTOP, "height": 900})
    log_in(page, live_server, "analyst")
    page.goto(live_server.url + reverse("requirement-set-print", args=[iran.pk]))
    back = page.locator(".print-back a")
    expect(back).to_have_text(f"← Back to {iran.title}")
    page.emulate_media(media="print")
    expect(back).to_be_hidden()
    page.emulate_media(media="screen")
    back.click()
    expect(page).to_have_url(live_server.url + iran.get_absolute_url())

    page.goto(live_server.url + reverse("dashboard-print") + "?priority=high")
    expect(page.locator("h1")).to_contain_text("Unanswered requirements")
    back = page.locator(".print-back a")
    expect(back).to_have_text("← Back to unanswered requirements")
    back.click()  # back to the dashboard as filtered
    expect(page).to_have_url(live_server.url + reverse("dashboard") + "?priority=high")
    expect(page.locator("#id_priority")).to_have_value("high")
