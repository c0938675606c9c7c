"""The classification banner in a real browser: the first and last thing on a page, in its level's colour
with readable contrast; on a print page kept on paper and repeated at the top and bottom of every sheet; and a
section audience of 3,000 characters wrapping within the set's page."""
import shutil
import subprocess

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from playwright.sync_api import Page

from cables.importing import import_paths
from cables.models import Cable
from tests.browser.test_cable_pages import log_in
from tests.conftest import ensure_roles
from tests.tracker.tasking import SECRET_TASKING
from tracker import requirements
from tracker.models import Section

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

COLOURS = {"UNCLASSIFIED": "rgb(0, 122, 51)", "CONFIDENTIAL": "rgb(0, 51, 160)", "SECRET": "rgb(200, 16, 46)",
           "TOP SECRET": "rgb(255, 140, 0)"}


@pytest.fixture
def store(tmp_path, make_user):
    """A CONFIDENTIAL tasking cable of three questions, A.1 (C), A.2 (C//NF) and B.1 (C), and users cleared
    CONFIDENTIAL, SECRET and TOP SECRET."""
    ensure_roles()
    text = SECRET_TASKING.replace("S E C R E T STATE 024680", "C O N F I D E N T I A L STATE 024680")
    path = tmp_path / "tasking.txt"
    path.write_text(text.replace("1) (S)", "1) (C)"))
    import_paths([path])
    made = requirements.create_set(Cable.objects.get(reference_id="09STATE24680"))
    for name, level in (("conf", "CONFIDENTIAL"), ("sec", "SECRET"), ("top", "TOP SECRET")):
        make_user(name, clearance=level).groups.add(Group.objects.get(name="analyst"))
    return made


def _luminance(rgb: str) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (int(part) for part in rgb[rgb.index("(") + 1:rgb.index(")")].split(",")[:3])
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def _contrast(one: str, other: str) -> float:
    light, dark = sorted((_luminance(one), _luminance(other)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def _banners(page: Page) -> list[dict]:
    return page.eval_on_selector_all(".banner", """els => els.map(e => {
        const box = e.getBoundingClientRect(), style = getComputedStyle(e);
        return {text: e.textContent, top: box.top + scrollY, bottom: box.bottom + scrollY,
                background: style.backgroundColor, color: style.color, display: style.display};
    })""")


def _check_banner(page: Page, live_server, user: str, url: str, expected: str) -> None:
    page.context.clear_cookies()
    log_in(page, live_server, user)
    page.goto(live_server.url + url)
    top, bottom = _banners(page)
    height = page.evaluate("document.documentElement.scrollHeight")
    assert top["text"] == bottom["text"] == expected, user
    assert top["top"] == 0 and bottom["bottom"] >= height - 1, (user, top, bottom, height)  # first and last
    assert top["background"] == COLOURS[expected], user
    assert _contrast(top["background"], top["color"]) >= 4.5, (user, top)


def test_the_banner_heads_and_foots_the_page_in_its_levels_colour(page: Page, live_server, store):
    requirements.edit_question(store.questions.get(code="B.1"), None, marking="S")
    url = store.get_absolute_url()
    _check_banner(page, live_server, "conf", url, "CONFIDENTIAL")
    _check_banner(page, live_server, "sec", url, "SECRET")
    _check_banner(page, live_server, "sec", reverse("cable-list") + "?classification=UNCLASSIFIED", "UNCLASSIFIED")
    requirements.edit_question(store.questions.get(code="B.1"), None, marking="TS")
    _check_banner(page, live_server, "top", url, "TOP SECRET")
    _check_banner(page, live_server, "sec", url, "CONFIDENTIAL")  # neither B.1 nor its history shown


def _many_questions(made, count: int) -> None:
    """Enough questions to fill several printed sheets."""
    for n in range(count):
        requirements.add_question(made, None, section=None, marking="C",
                                  text=f"Question {n}: what do local officials say about the patrols? " * 3)


@pytest.mark.parametrize("which", ["set", "dashboard"])
def test_a_print_page_keeps_its_banner_on_paper(page: Page, live_server, store, which):
    _many_questions(store, 60)
    requirements.edit_question(store.questions.get(code="B.1"), None, marking="S")
    log_in(page, live_server, "sec")
    url = reverse("requirement-set-print", args=[store.pk]) if which == "set" else reverse("dashboard-print")
    page.goto(live_server.url + url)
    page.emulate_media(media="print")
    top, bottom = _banners(page)
    assert top["text"] == bottom["text"] == "SECRET"
    assert top["display"] != "none" and top["background"] == COLOURS["SECRET"]  # printed in its colour
    parents = page.eval_on_selector_all(".banner", "els => els.map(e => e.closest('thead, tfoot').tagName)")
    assert parents == ["THEAD", "TFOOT"]  # the frame's head and foot: repeated on every sheet
    assert page.evaluate("getComputedStyle(document.querySelector('.print-back')).display") == "none"
    if shutil.which("pdftotext"):  # where poppler is installed, read every printed sheet
        pdf = page.pdf(format="A4", print_background=True)
        text = subprocess.run(["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True).stdout
        sheets = [sheet for sheet in text.decode().split("\f") if sheet.strip()]
        assert len(sheets) > 1
        for number, sheet in enumerate(sheets, 1):
            lines = [line.strip() for line in sheet.splitlines() if line.strip()]
            assert lines[0] == lines[-1] == "SECRET", (number, lines[:2], lines[-2:])


def test_a_long_audience_wraps_within_the_sets_page(page: Page, live_server, store):
    sections = Section.objects.filter(requirement_set=store).order_by("pk")
    sections.filter(pk=sections[0].pk).update(audience="FOR" + "ABUJA" * 600)  # one word of 3,003 letters
    sections.filter(pk=sections[1].pk).update(audience="For " + "Accra and Abuja " * 190)
    log_in(page, live_server, "sec")
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        for url in (store.get_absolute_url(), reverse("question-detail", args=[store.questions.get(code="A.1").pk])):
            page.goto(live_server.url + url)
            scroll_width, inner_width = page.evaluate("[document.scrollingElement.scrollWidth, innerWidth]")
            assert scroll_width <= inner_width, (url, width, scroll_width)
