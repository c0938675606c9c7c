"""Rejecting a suggestion by mistake, in a real browser: the rejection says why, the message links the
rejected list, and Restore opens it again."""
import re

import pytest
from django.contrib.auth.models import Group
from django.db.models import Count
from playwright.sync_api import Page, expect

from cables.importing import import_paths
from cables.models import Cable
from tests.browser.test_cable_pages import log_in
from tests.conftest import PAGES, ensure_roles
from tracker import linking, requirements
from tracker.models import Suggestion

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_analyst_rejects_a_suggestion_saying_why_then_restores_it(page: Page, live_server, make_user):
    ensure_roles()
    import_paths([PAGES / name for name in ("09STATE6423.html", "08LAPAZ751.html")])
    iran = requirements.create_set(Cable.objects.get(reference_id="09STATE6423"))
    linking.suggest_for_questions(iran.questions.values_list("pk", flat=True))
    best = Suggestion.objects.order_by("-score").first()
    make_user("analyst", clearance="SECRET", noforn=True).groups.add(Group.objects.get(name="analyst"))
    log_in(page, live_server, "analyst")

    page.goto(live_server.url + f"/questions/{best.question_id}/")
    card = page.locator(f"#s{best.pk}")
    card.locator("input[name=note]").fill("Names the embassy, not its staff")
    card.locator("button", has_text="Reject").click()
    expect(page.locator(".messages")).to_contain_text("rejected: it will not be suggested again")
    expect(page.locator(f"#s{best.pk}")).to_have_count(0)
    page.locator(".messages a", has_text="restore it").click()
    expect(page).to_have_url(re.compile(r"\?restore=1#rejected$"))
    rejected = page.locator("#rejected")
    expect(rejected).to_have_attribute("open", "")
    expect(rejected.locator(f"#r{best.pk}")).to_contain_text("Names the embassy, not its staff")
    rejected.locator(f"#r{best.pk}").get_by_role("button", name="Restore").click()
    expect(page.locator(".messages")).to_contain_text("restored: it is open again")
    expect(page.locator(f"#s{best.pk}")).to_be_visible()
    assert Suggestion.objects.get(pk=best.pk).state == Suggestion.OPEN


def test_an_analyst_rejects_the_ticked_suggestions_at_once(page: Page, live_server, make_user):
    ensure_roles()
    import_paths([PAGES / name for name in ("09STATE6423.html", "08LAPAZ751.html", "08BOGOTA4036.html")])
    iran = requirements.create_set(Cable.objects.get(reference_id="09STATE6423"))
    linking.suggest_for_questions(iran.questions.values_list("pk", flat=True))
    question_id = (Suggestion.objects.values("question_id").order_by().annotate(n=Count("pk"))
                   .filter(n__gte=3).values_list("question_id", flat=True).first())
    assert question_id, "a question with three suggestions or more"
    make_user("analyst", clearance="SECRET", noforn=True).groups.add(Group.objects.get(name="analyst"))
    log_in(page, live_server, "analyst")
    page.goto(live_server.url + f"/questions/{question_id}/")
    boxes = page.locator("input[name=suggestion]")
    first, second = boxes.nth(0).get_attribute("value"), boxes.nth(1).get_attribute("value")
    boxes.nth(0).check()
    boxes.nth(1).check()
    page.locator("form.bulk-reject input[name=note]").fill("Neither is about Iran")
    page.get_by_role("button", name="Reject the ticked suggestions").click()
    expect(page.locator(".messages")).to_contain_text("2 suggestions rejected")
    expect(page.locator(f"#s{first}")).to_have_count(0)
    expect(page.locator(f"#s{second}")).to_have_count(0)
    assert set(Suggestion.objects.filter(state=Suggestion.REJECTED).values_list("decision_note", flat=True)) == {
        "Neither is about Iran"}
