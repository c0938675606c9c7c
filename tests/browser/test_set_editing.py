"""Editing a set's questions in a real browser: a move across a section's edge says where the question
went, the set's first question says it cannot move up, and a split and a merge read in words in the
set's history."""
import pytest
from django.contrib.auth.models import Group
from playwright.sync_api import Page, expect

from cables.importing import import_paths
from cables.models import Cable
from tests.browser.test_cable_pages import log_in
from tests.conftest import PAGES, ensure_roles
from tracker import requirements

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _row(page: Page, code: str):
    return page.locator("table.questions tbody tr").filter(has=page.locator(f"strong:text-is('{code}')"))


def test_an_analyst_moves_splits_and_merges_and_reads_it_all(page: Page, live_server, make_user):
    import_paths([PAGES / "09STATE6423.html"])
    requirement_set = requirements.create_set(Cable.objects.get(reference_id="09STATE6423"))
    ensure_roles()
    make_user("analyst", clearance="SECRET", noforn=True).groups.add(Group.objects.get(name="analyst"))
    page.set_viewport_size({"width": 1280, "height": 900})
    log_in(page, live_server, "analyst")
    page.goto(live_server.url + requirement_set.get_absolute_url())
    sections = page.locator("section.req-section")

    down = _row(page, "A.4").locator("button[value=down]")
    expect(down).to_have_attribute("title", "Move down into the section below, as its first question")
    down.click()
    expect(page.locator(".messages")).to_have_text("A.4 moved down into section B, as its first question.")
    expect(sections.nth(0).locator("table.questions tbody tr")).to_have_count(3)
    expect(sections.nth(1).locator("table.questions tbody tr").first).to_contain_text("A.4")
    expect(page.locator("section.history tbody tr").first).to_contain_text(
        "moved out of section A into section B, as its first question")

    _row(page, "A.1").locator("button[value=up]").click()
    expect(page.locator(".messages li.error")).to_have_text(
        "A.1 cannot move up: it is already the first question of the set.")

    _row(page, "B.1").locator("text=edit").click()
    page.fill("#id_at", "3")
    page.click("button:text-is('Split')")
    expect(page.locator(".messages")).to_have_text(
        "B.1 split in two: B.1 keeps sentences 1–2, and sentences 3–6 became the new question B.1b.")
    latest = page.locator("section.history tbody tr").first
    expect(latest).to_contain_text("B.1: keeps sentences 1–2 of 6")
    expect(latest).to_contain_text("B.1b: new, from sentences 3–6")
    expect(latest).not_to_contain_text("(none)")

    _row(page, "B.3").locator("text=edit").click()
    page.select_option("#id_into", label=str(requirement_set.questions.get(code="B.2")))
    page.click("button:text-is('Merge B.3 into it')")
    expect(page.locator(".messages")).to_contain_text("B.3 merged into B.2: its sentences now follow B.2's own")
    latest = page.locator("section.history tbody tr").first
    expect(latest).to_contain_text("B.3: merged into B.2 and retired")
    expect(latest).to_contain_text("B.2: takes B.3's text as its sentences 6–8")
    expect(_row(page, "B.3")).to_have_class("retired")
