"""What the cable pages say and link to: the cable list's active filters as removable chips and its active
facet values marked; a tasking cable's page linking to its requirement set (or, flagged without a set,
offering to create one) and not offering "This answers..."; a cited tasking cable that is in the store
without a set named as such, not as missing."""
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape

from cables.importing import import_paths
from cables.models import Cable
from tests.conftest import PAGES, SEEDS
from tests.tracker.test_linking import TASKING_C_NE8
from tracker import requirements
from tracker.models import RequirementSet, TaskingCandidate

pytestmark = pytest.mark.django_db


def _import(*names):
    import_paths([PAGES / f"{name}.html" for name in names])


def _chips(content: bytes) -> dict[str, dict[str, list[str]]]:
    """The chips of the active filters: their filter's name -> the query their link leaves."""
    html = content.decode()
    block = re.search(r'<ul class="active-filters".*?</ul>', html, re.S)
    if not block:
        return {}
    return {name: parse_qs(urlsplit(href.replace("&amp;", "&")).query)
            for href, name in re.findall(r'<a class="chip" href="([^"]*)"[^>]*data-filter="([^"]+)"', block[0])}


# ----------------------------------------------------------------------------- 3. the list's active filters


def test_each_active_filter_is_a_chip_whose_link_removes_it_alone(analyst_client):
    import_paths([SEEDS, PAGES])
    origin = "Secretary of State"
    query = {"year": "2009", "origin": origin, "q": "iran"}
    page = analyst_client.get(reverse("cable-list"), query)
    assert page.status_code == 200
    chips = _chips(page.content)
    assert set(chips) == {"year", "origin", "q"}
    for name, left in chips.items():  # each link keeps the other filters and drops its own
        assert left == {k: [v] for k, v in query.items() if k != name}, name
    text = page.content.decode()
    assert "Year:</span> 2009" in text and f"Origin:</span> {origin}" in text and "“iran”" in text
    # the active facet values are marked, and their link removes them
    assert '<li class="active"><a href="/cables/?origin=Secretary+of+State&amp;q=iran" aria-current="true"' in text
    assert '<li class="active"><a href="/cables/?year=2009&amp;q=iran" aria-current="true"' in text
    # following a chip lifts that filter alone
    lifted = analyst_client.get(reverse("cable-list"), {"origin": origin, "q": "iran"})
    assert set(_chips(lifted.content)) == {"origin", "q"}
    assert lifted.context["page"].paginator.count >= page.context["page"].paginator.count


def test_a_month_chip_names_the_month_and_no_filter_no_chips(analyst_client):
    import_paths([SEEDS])
    page = analyst_client.get(reverse("cable-list"), {"year": "2009", "month": "1", "page": "1"})
    assert set(_chips(page.content)) == {"year", "month"}  # the page number is no filter
    assert "Month:</span> January" in page.content.decode()
    assert b"active-filters" not in analyst_client.get(reverse("cable-list")).content


def test_the_chips_cost_no_query(analyst_client):
    import_paths([SEEDS, PAGES])

    def count(params):
        with CaptureQueriesContext(connection) as queries:
            assert analyst_client.get(reverse("cable-list"), params).status_code == 200
        return len(queries)

    one = count({"year": "2009"})
    assert count({"year": "2009", "origin": "Secretary of State", "tag": "PREL"}) == one


# ----------------------------------------------------------------------------- 4. a tasking cable's page


def test_a_tasking_cables_page_links_to_its_set_and_offers_no_this_answers(client, role_user):
    _import("09STATE6423")
    made = requirements.create_set(Cable.objects.get(reference_id="09STATE6423"))
    client.force_login(role_user("ana"))
    page = client.get(reverse("cable-detail", args=["09STATE6423"]))
    text = page.content.decode()
    assert f'Requirement set: <a href="{made.get_absolute_url()}">{escape(made.title)}</a>' in text
    assert "This answers" not in text  # the tasking cable cannot answer its own set
    assert "Create requirement set" not in text
    # any other cable still offers it
    _import("08LAPAZ751")
    assert b"This answers" in client.get(reverse("cable-detail", args=["08LAPAZ751"])).content


def test_a_flagged_tasking_cable_without_a_set_offers_to_create_one_to_analysts(client, role_user):
    _import("09STATE40419")
    assert TaskingCandidate.objects.filter(cable__reference_id="09STATE40419").exists()
    url = reverse("cable-detail", args=["09STATE40419"])
    client.force_login(role_user("reader", role="reader"))
    page = client.get(url).content.decode()
    assert "no requirement set yet" in page and "Create requirement set" not in page

    client.force_login(role_user("ana"))
    page = client.get(url).content.decode()
    assert f'action="{reverse("requirement-set-create")}"' in page and "Create requirement set" in page
    assert 'name="reference_id" value="09STATE40419"' in page
    created = client.post(reverse("requirement-set-create"), {"reference_id": "09STATE40419"})
    made = RequirementSet.objects.get(tasking_cable__reference_id="09STATE40419")
    assert created.status_code == 302 and created.url == made.get_absolute_url()
    page = client.get(url).content.decode()
    assert "Requirement set:" in page and made.get_absolute_url() in page and "Create requirement set" not in page


# ----------------------------------------------------------------------------- 5. a cited tasking in the store


def test_a_cited_tasking_cable_in_the_store_without_a_set_is_not_called_missing(client, role_user):
    _import("09STATE40419", "09MOSCOW1730")  # the tasking arrives; no set is made from it yet
    client.force_login(role_user("ana"))
    text = client.get(reverse("cable-detail", args=["09MOSCOW1730"])).content.decode()
    assert "not in the store" not in text
    assert "no requirement set yet" in text
    assert f'<a href="{reverse("cable-detail", args=["09STATE40419"])}">09STATE40419</a>' in text
    # once the set exists, the citation leads to it
    made = requirements.create_set(Cable.objects.get(reference_id="09STATE40419"))
    text = client.get(reverse("cable-detail", args=["09MOSCOW1730"])).content.decode()
    assert made.get_absolute_url() in text and "no requirement set yet" not in text


def test_a_cited_tasking_cable_the_reader_may_not_see_is_still_waiting(client, role_user, tmp_path):
    (tmp_path / "tasking.txt").write_text(TASKING_C_NE8)  # SECRET
    import_paths([tmp_path / "tasking.txt"])
    _import("08LAPAZ751")  # CONFIDENTIAL, citing it
    tasking_url = reverse("cable-detail", args=["08STATE64659"])
    url = reverse("cable-detail", args=["08LAPAZ751"])

    client.force_login(role_user("conf", role="reader", clearance="CONFIDENTIAL", noforn=False))
    text = client.get(url).content.decode()
    assert "tasking not in the store yet" in text and "no requirement set yet" not in text
    assert f'<a href="{tasking_url}">08STATE64659</a>' not in text

    client.force_login(role_user("ana"))
    text = client.get(url).content.decode()
    assert f'<a href="{tasking_url}">08STATE64659</a>' in text and "no requirement set yet" in text


# ----------------------------------------------------------------------------- 6. logging out


def test_logging_out_says_so(client, role_user):
    client.force_login(role_user("ana"))
    page = client.get(reverse("cable-list")).content.decode()
    assert f'name="next" value="{reverse("login")}?logged_out=1"' in page  # the menu's Log out form
    out = client.post(reverse("logout"), {"next": f'{reverse("login")}?logged_out=1'}, follow=True)
    assert out.redirect_chain[-1][0] == f'{reverse("login")}?logged_out=1'
    assert b"You have logged out." in out.content


def test_a_cited_cable_that_is_not_a_known_tasking_is_not_called_a_waiting_tasking(client, role_user):
    _import("09CAIRO305")
    client.force_login(role_user("ana"))
    text = client.get(reverse("cable-detail", args=["09CAIRO305"])).content.decode()
    assert "Cites: 09STATE4730" in text and "(no requirement set)" in text
    assert "tasking not in the store yet" not in text


def test_a_cables_page_makes_as_many_queries_whatever_its_responses_and_suggestions(client, role_user):
    """The requirements part reads each set title's tasking cable with its response or suggestion: one more
    response, citation or suggestion costs no query."""
    from tracker import linking, responses
    from tracker.models import Suggestion

    _import("09STATE6423", "08LAPAZ751")
    made = requirements.create_set(Cable.objects.get(reference_id="09STATE6423"))
    cable = Cable.objects.get(reference_id="08LAPAZ751")
    analyst = role_user("ana")
    client.force_login(analyst)
    url = reverse("cable-detail", args=["08LAPAZ751"])

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    questions = list(made.questions.order_by("order"))
    responses.log(analyst, cable, questions[:1], ["1"], "partly", "medium", "")
    Suggestion.objects.filter(cable=cable).delete()
    linking.suggest_for_questions([questions[5].pk])
    few = count()
    responses.log(analyst, cable, questions[1:4], ["2"], "partly", "medium", "")
    linking.suggest_for_questions([q.pk for q in questions[6:12]])
    assert Suggestion.objects.filter(cable=cable).count() > 1
    assert count() == few
