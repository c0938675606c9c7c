"""The reports in a real browser: an analyst opens the unanswered dashboard, filters and sorts it, downloads
it as CSV and prints it; then opens a set's report with its charts and post x question matrix and
downloads the workbook. Real cables, the responses the demo logs."""
import csv
import io
import json
import re
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from openpyxl import load_workbook
from playwright.sync_api import Page, expect

from cables.importing import import_paths
from cables.models import Cable
from tests.browser.test_cable_pages import log_in
from tests.conftest import PAGES, SEEDS, ensure_roles
from tracker import requirements, responses
from tracker.management.commands.demo import RESPONSES
from tracker.models import Question

SCREENSHOTS = Path(__file__).parents[2] / "docs" / "screenshots"
TASKINGS = ["09STATE6423", "09STATE40419"]

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _story(analyst) -> int:
    """The two sets, with priorities and due dates, and the demo's responses to them."""
    entries = [e for e in json.loads(RESPONSES.read_text()) if e["tasking"] in TASKINGS]
    import_paths([SEEDS] + [PAGES / f"{ref}.html" for ref in TASKINGS + sorted({e["cable"] for e in entries})
                            if (PAGES / f"{ref}.html").exists()])
    for ref, priority in zip(TASKINGS, ["high", "medium"], strict=True):
        made = requirements.create_set(Cable.objects.get(reference_id=ref), analyst)
        requirements.edit_set(made, analyst, priority=priority, due=made.tasked.date().replace(year=2009, month=6))
    for e in entries:
        question = Question.objects.get(requirement_set__tasking_cable__reference_id=e["tasking"], code=e["question"])
        responses.log(analyst, Cable.objects.get(reference_id=e["cable"]), [question], e["paragraphs"],
                      e["assessment"], e["confidence"], e["note"])
    return len(entries)


def test_an_analyst_works_from_the_dashboard_to_a_sets_report(page: Page, live_server, make_user, tmp_path):
    ensure_roles()
    analyst = make_user("analyst", clearance="SECRET", noforn=True)
    analyst.groups.add(Group.objects.get(name="analyst"))
    assert _story(get_user_model().objects.get(pk=analyst.pk)) > 10
    page.set_viewport_size({"width": 1400, "height": 1000})
    log_in(page, live_server, "analyst")

    page.click("nav >> text=Unanswered")
    expect(page.locator("h1")).to_contain_text("Unanswered requirements")
    total = int(re.search(r"(\d+) question", page.locator("h1").inner_text()).group(1))
    assert 0 < total < 26  # 26 questions in the two sets, some answered
    expect(page.locator("figure.chart-box svg")).to_have_count(1)
    expect(page.locator("tbody tr.overdue").first).to_contain_text("overdue")
    page.screenshot(path=SCREENSHOTS / "dashboard.png")

    page.select_option("#id_priority", "high")
    page.click("form.filters button[type=submit]")
    expect(page).to_have_url(re.compile(r"priority=high"))
    rows = page.locator("table.dashboard-table tbody tr")
    high = rows.count()
    assert 0 < high < total
    for i in range(high):
        expect(rows.nth(i)).to_contain_text("Iranian outreach")
    page.click("th >> text=Responses")
    expect(page).to_have_url(re.compile(r"sort=responses"))
    page.click("th >> text=Responses")
    expect(page).to_have_url(re.compile(r"sort=-responses"))
    counts = [int(rows.nth(i).locator("td").nth(9).inner_text().split()[0]) for i in range(high)]
    assert counts == sorted(counts, reverse=True) and counts[0] > 0

    with page.expect_download() as download:
        page.click(".exports >> text=CSV")
    lines = Path(download.value.path()).read_text(encoding="utf-8-sig").splitlines()
    assert lines[0] == lines[-1] == "SECRET//NOFORN"  # the file opens and ends with its classification
    exported = list(csv.DictReader(lines[1:-1]))
    assert len(exported) == high and {r["Priority"] for r in exported} == {"high"}
    assert [int(r["Responses"]) for r in exported] == counts  # exactly as filtered and sorted
    page.click(".exports >> text=Printable page")
    expect(page.locator("p.filters-used")).to_contain_text("Priority: high")
    expect(page.locator("table.list tbody tr")).to_have_count(high)
    page.go_back()

    rows.first.locator("td").first.locator("a").click()
    expect(page.locator("h1")).to_contain_text("Iranian outreach to Latin America")
    report = page.locator("section.report")
    expect(report.locator("svg.chart")).to_have_count(2)
    expect(report.locator("table.matrix tbody tr", has_text="Santiago").locator("td.cell-answers")).not_to_have_count(0)
    expect(report.locator("tr.silent-post").first).to_contain_text("never responded")
    report.scroll_into_view_if_needed()
    report.screenshot(path=SCREENSHOTS / "set-report.png")
    with page.expect_download() as download:
        page.click("text=XLSX (every table)")
    book = load_workbook(io.BytesIO(Path(download.value.path()).read_bytes()))
    assert book.sheetnames == ["Questions", "Sections", "Posts", "Matrix", "Timeline", "Responses"]
    assert len(list(book["Questions"].values)) == 21
