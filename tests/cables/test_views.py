"""Cable pages and API: list with facets and search, a cable's page, escaping, query counts, auth."""
import calendar
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cables.importing import import_paths
from cables.models import Cable
from tests.conftest import PAGES, SEEDS

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeds():
    import_paths([SEEDS])


def test_pages_ask_for_a_login_first(client, seeds):
    response = client.get(reverse("cable-list"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert client.get(reverse("cable-detail", args=["08MOSCOW3526"])).status_code == 302


def test_the_cable_list_shows_cables_and_facets(analyst_client, seeds):
    response = analyst_client.get(reverse("cable-list"))
    page = response.content.decode()
    assert "09STATE6423" in page and "08MOSCOW3526" in page
    assert ">2009<" in page and ">Embassy Moscow<" in page and ">PINR<" in page
    assert "SECRET//NOFORN" in page


@pytest.mark.parametrize(
    "query, expected",
    [
        ("year=2008", {"08MOSCOW3526"}),
        ("origin=Secretary+of+State", {"09STATE6423"}),
        ("tag=PINR", {"09STATE6423"}),
        ("classification=UNCLASSIFIED%2F%2FFOR+OFFICIAL+USE+ONLY", {"08MOSCOW3526"}),
        ("q=Medvedev", {"08MOSCOW3526"}),
        ("q=hizballah", {"09STATE6423"}),
        ("q=nosuchwordanywhere", set()),
    ],
)
def test_filters_and_search_narrow_the_list(analyst_client, seeds, query, expected):
    response = analyst_client.get(reverse("cable-list") + "?" + query)
    assert {c.reference_id for c in response.context["page"]} == expected


def test_facet_counts_follow_the_filter(analyst_client, seeds):
    response = analyst_client.get(reverse("cable-list") + "?year=2009")
    facets = response.context["facets"]
    assert facets["year"] == [(2009, 1)]
    assert dict(facets["classification"]) == {"SECRET//NOFORN": 1}


def test_a_cable_page_has_its_three_boxes_and_paragraph_anchors(analyst_client, seeds):
    response = analyst_client.get(reverse("cable-detail", args=["08moscow3526"]))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Embassy Moscow" in page and "MEDVEDEV BOLSTERS" in page
    assert 'id="par13"' in page and "(SBU)" in page
    assert 'class="paragraph damaged"' in page


def test_an_unknown_cable_is_404(analyst_client):
    assert analyst_client.get(reverse("cable-detail", args=["99NOWHERE1"])).status_code == 404


def test_cable_text_is_shown_escaped(analyst_client, tmp_path):
    raw = (
        "R 051423Z MAR 09\nFM AMEMBASSY ASUNCION\nTO RUEHC/SECSTATE WASHDC 1007\n"
        "UNCLAS ASUNCION 000999\n\nTAGS: PREL\nSUBJECT: <script>alert('subject')</script>\n\n"
        "1. (U) <script>alert(1)</script> <a href=\"javascript:alert(2)\">click</a> <b>bold</b>\n\nSMITH\n"
    )
    (tmp_path / "x.txt").write_text(raw)
    import_paths([tmp_path / "x.txt"])
    page = analyst_client.get(reverse("cable-detail", args=["09ASUNCION999"])).content.decode()
    assert "<script>alert(1)" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert 'href="javascript:' not in page
    listing = analyst_client.get(reverse("cable-list")).content.decode()
    assert "<script>alert('subject')" not in listing


def test_the_list_runs_the_same_number_of_queries_whatever_the_data(analyst_client, seeds):
    def count(url):
        with CaptureQueriesContext(connection) as queries:
            assert analyst_client.get(url).status_code == 200
        return len(queries)

    url = reverse("cable-list") + "?q=the"
    small = count(url)
    import_paths([PAGES])
    assert Cable.objects.count() > 100
    assert count(url) == small
    assert count(reverse("api-cable-list")) == count(reverse("api-cable-list") + "?year=2009")


# ----------------------------------------------------------------------------- API


def test_the_api_lists_cables_with_the_page_filters(analyst_client, seeds):
    data = analyst_client.get(reverse("api-cable-list") + "?q=Medvedev").json()
    assert data["count"] == 1 and data["count_exact"] is True
    assert data["results"][0]["reference_id"] == "08MOSCOW3526"
    assert set(data["results"][0]) >= {"reference_id", "created", "classification", "origin", "subject", "tags"}


def test_the_api_gives_a_cable_with_its_fields_and_paragraphs(analyst_client, seeds):
    data = analyst_client.get(reverse("api-cable-detail", args=["09STATE6423"])).json()
    assert set(data) >= {
        "reference_id", "created", "released", "classification", "origin", "subject", "tags", "sender", "to",
        "info", "references", "collection_references", "paragraphs",
    }
    assert data["collection_references"] == ["C-AL8-02836"]
    assert len(data["to"]) == 27
    assert set(data["paragraphs"][0]) == {"number", "marking", "heading", "text", "damaged"}


def test_the_api_refuses_anonymous_requests_and_accepts_a_token(client, make_user, seeds):
    assert client.get(reverse("api-cable-list")).status_code in (401, 403)
    make_user("tokenuser", password="a-long-test-password", clearance="SECRET", noforn=True)
    token = client.post(reverse("api-token"), {"username": "tokenuser", "password": "a-long-test-password"}).json()
    response = client.get(reverse("api-cable-list"), HTTP_AUTHORIZATION=f"Token {token['token']}")
    assert response.status_code == 200 and response.json()["count"] == 2


def test_the_openapi_schema_describes_the_cable_endpoints(analyst_client):
    response = analyst_client.get(reverse("api-schema"))
    assert response.status_code == 200
    assert b"/api/cables/{reference_id}/" in response.content


def test_the_month_facet_names_its_months_as_its_chip_does(analyst_client, seeds):
    page = analyst_client.get(reverse("cable-list") + "?year=2009").content.decode()
    facet = page[page.index("<h2>Month</h2>"):]
    facet = facet[:facet.index("</div>")]
    [(number, label)] = re.findall(r"month=(\d+)\">([^<]+)</a>", facet)
    assert label == calendar.month_name[int(number)]
    chosen = analyst_client.get(reverse("cable-list") + f"?year=2009&month={number}").content.decode()
    facet = chosen[chosen.index("<h2>Month</h2>"):]
    assert f'title="Active filter: click to remove it">{label}</a>' in facet


def test_searching_a_reference_id_leads_to_that_cable(analyst_client, seeds, client, make_user):
    for typed in ("09STATE6423", "09 state 6423"):
        response = analyst_client.get(reverse("cable-list"), {"q": typed})
        assert response.status_code == 302 and response["Location"] == reverse("cable-detail", args=["09STATE6423"])
    assert analyst_client.get(reverse("cable-list"), {"q": "09STATE9999999"}).status_code == 200  # none: a search
    client.force_login(make_user("low", clearance="UNCLASSIFIED"))  # a cable the user may not see: a search
    assert client.get(reverse("cable-list"), {"q": "09STATE6423"}).status_code == 200
