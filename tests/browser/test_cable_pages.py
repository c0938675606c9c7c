"""The cable pages in a real browser: log in, browse with facets and search, read a cable, follow an
import job live; untrusted cable text never runs as script."""
import re
from pathlib import Path

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from cables.importing import import_paths
from cables.models import ImportJob
from tests.conftest import SEEDS

SCREENSHOTS = Path(__file__).parents[2] / "docs" / "screenshots"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HOSTILE = """R 051423Z MAR 09
FM AMEMBASSY ASUNCION
TO RUEHC/SECSTATE WASHDC 1007
UNCLAS ASUNCION 000999

TAGS: PREL
SUBJECT: <script>alert('subject')</script> <img src=x onerror=alert(3)>

1. (U) <script>alert(1)</script> <a href="javascript:alert(2)">click me</a> <b>not bold</b>

SMITH
"""


def log_in(page: Page, live_server, username: str, password: str = "a-long-test-password") -> None:
    page.goto(live_server.url + reverse("login"))
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")


def test_an_analyst_finds_and_reads_a_cable(page: Page, live_server, make_user):
    import_paths([SEEDS])
    make_user("analyst", clearance="SECRET", noforn=True)
    log_in(page, live_server, "analyst")
    expect(page.locator("h1")).to_contain_text("Cables")
    expect(page.locator("table.list")).to_contain_text("09STATE6423")
    page.click("text=Embassy Moscow")
    expect(page.locator("table.list tbody tr")).to_have_count(1)
    page.click("text=Clear all filters")
    page.fill("input[name=q]", "hizballah")
    page.click("form.search button")
    expect(page.locator("table.list tbody tr")).to_have_count(1)
    expect(page.locator("table.list")).to_contain_text("09STATE6423")
    page.click("text=Clear all filters")
    page.click("text=08MOSCOW3526")
    expect(page).to_have_url(re.compile(r"/cables/08MOSCOW3526/$"))
    expect(page.locator("#par13")).to_contain_text("(SBU)")
    expect(page.locator(".paragraph.damaged")).to_have_count(1)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.screenshot(path=SCREENSHOTS / "cable.png")
    page.goto(live_server.url + reverse("cable-list"))
    page.screenshot(path=SCREENSHOTS / "cable-list.png")


def test_hostile_cable_text_is_shown_as_text_and_never_runs(page: Page, live_server, make_user, tmp_path):
    (tmp_path / "hostile.txt").write_text(HOSTILE)
    import_paths([tmp_path / "hostile.txt"])
    make_user("analyst")
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    log_in(page, live_server, "analyst")
    page.goto(live_server.url + reverse("cable-detail", args=["09ASUNCION999"]))
    expect(page.locator("#par1")).to_contain_text("<script>alert(1)</script>")
    expect(page.locator("#par1")).to_contain_text('<a href="javascript:alert(2)">click me</a>')
    assert page.locator("#par1 a[href^=javascript]").count() == 0
    assert page.locator("#par1 b").count() == 0
    page.goto(live_server.url + reverse("cable-list"))
    expect(page.locator("table.list")).to_contain_text("<script>alert('subject')</script>")
    page.wait_for_timeout(300)
    assert dialogs == []


def test_an_admin_uploads_cables_and_watches_the_job_finish(page: Page, live_server, make_user, celery_worker):
    make_user("boss", staff=True)
    log_in(page, live_server, "boss")
    page.goto(live_server.url + reverse("admin:cables_importjob_upload"))
    page.set_input_files("input[type=file]", [str(p) for p in sorted(SEEDS.glob("*.txt"))])
    page.click("input[type=submit]")
    expect(page.locator("#import-status")).to_have_text("done", timeout=60_000)
    expect(page.locator("#count-new")).to_have_text("2")
    expect(page.locator("body")).to_contain_text("None: every record imported.")
    assert ImportJob.objects.get().status == "done"
