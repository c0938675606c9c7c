"""The requirement-set pages in a real browser: an analyst turns a flagged tasking cable into a set with one
click, reads it, corrects a question (a bad marking is refused with what was typed kept), and sees the
change in the set's history."""
import re
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from playwright.sync_api import Page, expect

from cables.importing import import_paths
from tests.browser.test_cable_pages import log_in
from tests.conftest import PAGES, SEEDS, ensure_roles

SCREENSHOTS = Path(__file__).parents[2] / "docs" / "screenshots"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_analyst_makes_and_corrects_a_requirement_set(page: Page, live_server, make_user):
    import_paths([SEEDS, PAGES / "09STATE40419.html"])
    ensure_roles()
    make_user("analyst", clearance="SECRET", noforn=True).groups.add(Group.objects.get(name="analyst"))
    page.set_viewport_size({"width": 1280, "height": 900})
    log_in(page, live_server, "analyst")
    page.click("nav >> text=Requirement sets")
    expect(page.locator("h1")).to_contain_text("Requirement sets")
    page.click("text=Tasking cables without a set: 2")
    row = page.locator("tr", has_text="09STATE6423")
    expect(row).to_contain_text("C-AL8-02836")
    row.locator("button", has_text="Create requirement set").click()
    expect(page).to_have_url(re.compile(r"/requirement-sets/\d+/$"))
    expect(page.locator(".messages")).to_contain_text("20 questions in 3 sections")
    expect(page.locator("section.req-section")).to_have_count(3)
    expect(page.locator("table.questions tbody tr")).to_have_count(20)
    expect(page.locator("section.req-section").nth(2)).to_contain_text(re.compile("for latin american posts", re.I))
    page.screenshot(path=SCREENSHOTS / "requirement-set.png", full_page=False)

    page.locator("table.questions tr", has_text="C.5").locator("text=edit").click()
    page.fill("#id_marking", "EYES ONLY")
    page.fill("#id_text", "How large is the Shia community, and which Hizballah clans are known?")
    page.click("form.stacked button[type=submit]")
    expect(page.locator(".errorlist")).to_contain_text("not a marking")
    expect(page.locator("#id_text")).to_have_value(
        "How large is the Shia community, and which Hizballah clans are known?")
    page.fill("#id_marking", "C//NF")
    page.click("form.stacked button[type=submit]")
    expect(page.locator("table.questions tr", has_text="C.5")).to_contain_text("How large is the Shia community")
    expect(page.locator("section.history")).to_contain_text("question edited")

    page.locator("table.questions tr", has_text="C.6").locator("button", has_text="retire").click()
    expect(page.locator("table.questions tr.retired", has_text="C.6")).to_have_count(1)
    page.click("nav >> text=Requirement sets")
    expect(page.locator("table.list tbody tr")).to_have_count(1)
    page.screenshot(path=SCREENSHOTS / "requirement-sets.png")
