"""Every page on a phone (375px, as a phone lays it out: its viewport tag read): the print pages are no wider than
the screen, their banner in view and their tables scrolling in place; the dashboard's chart shows every bar, total
and set name without scrolling; and no other page (lists, cable, set, question, response form, waiting list,
candidates, imports, login) scrolls sideways or puts text beyond the screen's edge outside a box that scrolls."""
from itertools import pairwise

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.urls import reverse
from playwright.sync_api import Page, expect

from cables.importing import import_paths
from cables.models import Cable, ImportJob
from tests.browser.test_cable_pages import log_in
from tests.browser.test_report_pages import _story
from tests.conftest import PAGES, SEEDS, ensure_roles
from tracker import requirements
from tracker.models import RequirementSet, Response

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = 375
FOUO = "UNCLASSIFIED//FOR OFFICIAL USE ONLY"
LONG_NOTE = ("cablegate-2010-11-28-full-dump-part-0003-of-0012.csv: 1,204 stray Windows-1252 bytes read as such;"
             "a-copy-of-09STATE6423-holding-markedly-less-text-was-kept-as-a-source")

# Text (or a box) past the screen's left or right edge that no box scrolling sideways holds: unreachable, or
# reachable only by scrolling the whole page
SPILLED = """() => {
  const width = document.documentElement.clientWidth;
  const held = node => { for (let e = node.parentElement; e; e = e.parentElement) {
      if (['auto', 'scroll', 'hidden'].includes(getComputedStyle(e).overflowX)) return true; } return false; };
  const out = r => r.width > 0 && (r.right > width + 0.5 || r.left < -0.5);
  const spilled = [];
  for (const e of document.querySelectorAll('body *'))
    if (out(e.getBoundingClientRect()) && !held(e)) spilled.push(e.tagName + '.' + e.className);
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const text = n.textContent.trim(), range = document.createRange();
    range.selectNodeContents(n);
    if (text && out(range.getBoundingClientRect()) && !held(n)) spilled.push(text.slice(0, 60));
  }
  return spilled;
}"""


@pytest.fixture
def browser_context_args(browser_context_args):
    """A phone: 375px wide, laid out by its viewport tag (a page without one is drawn 980px wide, zoomed out)."""
    return {**browser_context_args, "viewport": {"width": PHONE, "height": 800}, "is_mobile": True,
            "has_touch": True}


@pytest.fixture
def store(make_user) -> dict:
    """Every test page; the Iran and Cuba sets with the demo's responses, the UN set (long title, 30 questions) and
    a one-question set (its bar as long as the chart's scale); two tasking cables left without a set; a finished
    import whose note is one long line; and a staff analyst, whose menu is the longest."""
    ensure_roles()
    import_paths([SEEDS, PAGES])
    admin = make_user("admin", staff=True, clearance="TOP SECRET", noforn=True)
    admin.groups.add(Group.objects.get(name="analyst"))
    admin = get_user_model().objects.get(pk=admin.pk)
    _story(admin)
    for reference_id in ("09STATE80163", "09STATE52774"):
        requirements.create_set(Cable.objects.get(reference_id=reference_id), admin)
    job = ImportJob.objects.create(created_by=admin, status=ImportJob.DONE, names=["dump.csv"], message=LONG_NOTE)
    return {
        "iran": RequirementSet.objects.get(tasking_cable__reference_id="09STATE6423"),
        "one question": RequirementSet.objects.get(tasking_cable__reference_id="09STATE52774"),
        "response": Response.objects.order_by("pk").first(),
        "fouo": Cable.objects.filter(classification=FOUO).order_by("reference_id").first(),
        "job": job,
    }


def _assert_fits(page: Page, where: str) -> None:
    scroll_width, client_width = page.evaluate(
        "[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    assert client_width == PHONE, f"{where}: laid out {client_width}px wide on a {PHONE}px phone"
    assert scroll_width <= client_width, f"{where}: the page is {scroll_width}px wide"
    assert page.evaluate(SPILLED) == [], where


def test_a_print_page_fits_a_phone_with_its_banner_in_view_and_its_tables_scrolling_in_place(
        page: Page, live_server, store):
    log_in(page, live_server, "admin")
    for path in (reverse("dashboard-print"), reverse("requirement-set-print", args=[store["iran"].pk])):
        page.goto(live_server.url + path)
        _assert_fits(page, path)
        for banner in (page.locator(".banner").first, page.locator(".banner").last):
            expect(banner).to_have_text("SECRET//NOFORN")
            box = banner.bounding_box()
            assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE, (path, box)  # the marking centred in view
        table = page.locator("table.list").last  # the questions, ten or seven columns: wider than the phone
        assert table.evaluate("t => getComputedStyle(t).overflowX") == "auto", path
        assert table.evaluate("t => t.scrollWidth > t.clientWidth"), path
        box = table.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE, (path, box)


def test_on_a_phone_the_dashboard_chart_shows_every_bar_total_and_set_name(page: Page, live_server, store):
    log_in(page, live_server, "admin")
    filtered = reverse("dashboard") + f"?requirement_set={store['one question'].pk}"  # one bar, the scale's length
    for path, bars in ((reverse("dashboard"), 4), (filtered, 1)):
        page.goto(live_server.url + path)
        _assert_fits(page, path)
        figure = page.locator("figure.chart-box").first
        shapes = figure.evaluate("""f => {
          const box = f.getBoundingClientRect(), svg = f.querySelector('svg.chart');
          const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
          const parts = kind => [...svg.querySelectorAll(':scope > ' + kind)].map(e => {
            const r = e.getBoundingClientRect();
            return {left: r.left, right: r.right, top: r.top, bottom: r.bottom, text: e.textContent,
                    px: parseFloat(getComputedStyle(e).fontSize) * scale}; });
          return {box: {left: box.left, right: box.right}, names: parts('text[text-anchor=end]'),
                  totals: parts('text:not([text-anchor])'), bars: parts('rect')}; }""")
        names, totals, bars_drawn = shapes["names"], shapes["totals"], shapes["bars"]
        assert len(names) == len(totals) == bars, (path, names)
        assert len(bars_drawn) >= bars, path
        for part in names + totals + bars_drawn:  # all in view: none cut off by the box's edges, none to scroll to
            assert shapes["box"]["left"] - 0.5 <= part["left"] and part["right"] <= shapes["box"]["right"] + 0.5, (
                path, part, shapes["box"])
            assert part["right"] <= PHONE, (path, part)
        for name in names:
            assert name["px"] >= 8.5, (path, name)  # readable, not a 720-unit chart shrunk to 5px
            for bar in bars_drawn:  # a name overlaps no bar ...
                assert name["bottom"] <= bar["top"] + 0.5 or name["top"] >= bar["bottom"] - 0.5 or (
                    name["right"] <= bar["left"] or name["left"] >= bar["right"]), (path, name, bar)
        for above, below in pairwise(names):  # ... nor the next name
            assert above["bottom"] <= below["top"] + 0.5, (path, above, below)


def test_no_page_scrolls_sideways_or_puts_text_off_a_phone_screen(page: Page, live_server, store):
    page.goto(live_server.url + reverse("login"))
    _assert_fits(page, "login")
    log_in(page, live_server, "admin")
    iran, fouo = store["iran"], store["fouo"]
    pages = {
        "cable list": reverse("cable-list"),
        "cable list, FOUO": reverse("cable-list") + "?classification=" + FOUO.replace(" ", "+"),
        "cable": reverse("cable-detail", args=["09STATE6423"]),
        "cable, FOUO": fouo.get_absolute_url(),
        "set list": reverse("requirement-set-list"),
        "set": iran.get_absolute_url(),
        "set, editing": reverse("requirement-set-edit", args=[iran.pk]),
        "question": reverse("question-detail", args=[iran.questions.order_by("pk").first().pk]),
        "response form": reverse("response-create") + "?cable=09STATE6423",
        "response edit": reverse("response-edit", args=[store["response"].pk]),
        "waiting list": reverse("waiting-list"),
        "candidate list": reverse("candidate-list"),
        "import": store["job"].get_absolute_url(),
        "import upload": reverse("admin:cables_importjob_upload"),
    }
    for where, path in pages.items():
        page.goto(live_server.url + path)
        page.evaluate("document.querySelectorAll('details').forEach(d => { d.open = true; })")
        _assert_fits(page, where)
    # what was cut off before: a cable's identity (its classification) and an import's note, now in view
    for cable in ("09STATE6423", fouo.reference_id):
        page.goto(live_server.url + reverse("cable-detail", args=[cable]))
        for cell in page.locator("table.identity td").all():
            box = cell.bounding_box()
            assert box["x"] + box["width"] <= PHONE, (cable, cell.inner_text(), box)
        expect(page.locator("table.identity .classification")).to_be_in_viewport()
    page.goto(live_server.url + store["job"].get_absolute_url())
    note = page.locator("#import-message")
    expect(note).to_have_text(LONG_NOTE)
    assert note.evaluate("n => n.scrollWidth <= n.clientWidth")
