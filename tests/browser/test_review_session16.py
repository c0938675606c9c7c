"""Session 16's review, in a real browser: the banners follow a response form loaded in place, and without
JavaScript ticked paragraphs are sent."""
import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from playwright.sync_api import Page, expect

from cables.importing import import_paths
from cables.models import Cable
from tests.browser.test_cable_pages import log_in
from tests.conftest import ensure_roles
from tests.tracker.tasking import SECRET_TASKING
from tests.tracker.test_access_session16 import REPLY
from tracker import requirements
from tracker.models import Suggestion

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def store(tmp_path, make_user):
    """A CONFIDENTIAL tasking cable, a SECRET reply with an (S//NF) paragraph, an analyst cleared SECRET without NOFORN."""
    ensure_roles()
    text = SECRET_TASKING.replace("S E C R E T STATE 024680", "C O N F I D E N T I A L STATE 024680")
    (tmp_path / "tasking.txt").write_text(text.replace("1) (S)", "1) (C)"))
    (tmp_path / "reply.txt").write_text(REPLY)
    import_paths([tmp_path / "tasking.txt", tmp_path / "reply.txt"])
    made = requirements.create_set(Cable.objects.get(reference_id="09STATE24680"))
    Suggestion.objects.all().delete()  # their cards would quote the SECRET reply on the question's page
    make_user("sec", clearance="SECRET", noforn=False).groups.add(Group.objects.get(name="analyst"))
    return made


def _banners(page: Page) -> list[str]:
    return page.eval_on_selector_all("body > .banner", "els => els.map(e => e.textContent)")


def test_a_cable_loaded_into_the_form_in_place_raises_the_banners_with_it(page: Page, live_server, store):
    log_in(page, live_server, "sec")
    page.goto(live_server.url + reverse("question-detail", args=[store.questions.get(code="A.1").pk]))
    assert _banners(page) == ["CONFIDENTIAL", "CONFIDENTIAL"]
    page.fill("input[name=cable]", "09ABUJA777")
    page.press("input[name=cable]", "Enter")
    expect(page.locator("main")).to_contain_text("Lagos exchange houses")  # the reply's (S) paragraph, in place
    assert _banners(page) == ["SECRET", "SECRET"]
    page.reload()
    assert _banners(page) == ["SECRET", "SECRET"]  # as the page itself says
