"""A question's page in a real browser: open a question, see a suggested paragraph with its evidence,
accept it; then log a response by hand, finding the cable by typing."""
import re
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from playwright.sync_api import Page, expect

from cables.importing import import_paths
from cables.models import Cable
from tests.browser.test_cable_pages import log_in
from tests.conftest import PAGES, ensure_roles
from tracker import linking, requirements
from tracker.models import Response, Suggestion

SCREENSHOTS = Path(__file__).parents[2] / "docs" / "screenshots"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_analyst_accepts_a_suggested_paragraph_and_logs_a_response(page: Page, live_server, make_user):
    ensure_roles()
    import_paths([PAGES / name for name in ("09STATE6423.html", "08LAPAZ751.html", "08BOGOTA4036.html")])
    iran = requirements.create_set(Cable.objects.get(reference_id="09STATE6423"))
    linking.suggest_for_questions(iran.questions.values_list("pk", flat=True))
    best = Suggestion.objects.order_by("-score").first()
    make_user("analyst", clearance="SECRET", noforn=True).groups.add(Group.objects.get(name="analyst"))
    page.set_viewport_size({"width": 1280, "height": 900})
    log_in(page, live_server, "analyst")

    page.goto(live_server.url + iran.get_absolute_url())
    page.locator("table.questions tr", has_text=best.question.code).locator("a", has_text=best.question.code).first.click()
    expect(page).to_have_url(re.compile(rf"/questions/{best.question_id}/$"))
    card = page.locator(f"#s{best.pk}")
    expect(card).to_contain_text(f"{best.cable.reference_id} ¶{best.paragraph_number}")
    expect(card.locator(".evidence")).to_contain_text(best.evidence["terms"][0])
    page.screenshot(path=SCREENSHOTS / "question.png")
    card.locator("select[name=assessment]").select_option("partly")
    card.locator("select[name=confidence]").select_option("high")
    card.locator("input[name=note]").fill("Names the commanders, not the budget")
    card.locator("button", has_text="Accept").click()
    expect(page.locator(".messages")).to_contain_text("logged as a response")
    expect(page.locator("section.responses")).to_contain_text("Names the commanders, not the budget")
    accepted = Response.objects.get(suggestion=best)
    assert (accepted.assessment, accepted.confidence) == ("partly", "high")

    other = iran.questions.exclude(pk=best.question_id).get(code="C.1")
    page.goto(live_server.url + f"/questions/{other.pk}/")
    page.fill("input[name=cable]", "08BOG")
    page.fill("input[name=cable]", "08BOGOTA4036")
    page.locator("input[name=cable]").dispatch_event("change")
    page.locator(".paragraph-choices input[value='2']").check()
    expect(page.locator("input[name=paragraphs]")).to_have_value("2")
    page.select_option("select[name=assessment]", "context")
    page.click("form.response-form button[type=submit]")
    expect(page.locator("section.responses")).to_contain_text("08BOGOTA4036")
    assert Response.objects.get(question=other).paragraph_numbers == ["2"]
