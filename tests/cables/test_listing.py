"""The cable list's own table (cables.listing): one row per cable and view, written by the importer,
kept right by a re-import, read by the list page, its search and its facets."""
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cables import filters, listing, markings
from cables.importing import import_paths
from cables.models import Cable, Listing
from tests.cables import test_access as access
from tests.conftest import PAGES

pytestmark = pytest.mark.django_db

U, C, S, TS = range(4)


def test_a_cable_marked_at_its_level_has_one_view_for_every_tier_that_may_see_it():
    (only,) = listing.views("CONFIDENTIAL", [(U, False), (C, False), (U, False)])
    bits, visible = only
    assert visible == [0, 1, 2]
    assert bits == sum(listing.tier_bit(level, nf) for level in (C, S, TS) for nf in (False, True))


def test_a_paragraph_above_the_cable_splits_its_views_by_the_rule_of_may_see():
    views = dict((tuple(visible), bits) for bits, visible in listing.views("SECRET", [(S, False), (S, True)]))
    assert set(views) == {(0,), (0, 1)}
    assert views[(0,)] == listing.tier_bit(S, False) | listing.tier_bit(TS, False)
    assert views[(0, 1)] == listing.tier_bit(S, True) | listing.tier_bit(TS, True)
    for (level, noforn) in listing.TIERS:  # each tier that may see the cable finds it exactly once
        holding = [v for v, bits in views.items() if bits & listing.tier_bit(level, noforn)]
        assert len(holding) == (1 if level >= S else 0)


def test_a_noforn_cable_has_no_view_for_a_tier_not_eligible():
    assert all(not bits & listing.tier_bit(level, False)
               for bits, _ in listing.views(markings.SECRET_NOFORN, [(S, True)]) for level in range(4))


def import_cable(tmp_path, serial: int, banner: str, *paragraphs: str, tags: str = "PREL ECON") -> None:
    access.import_cable(tmp_path, serial, banner, *paragraphs, tags=tags, subject="LISTED CABLE")


def test_the_importer_writes_a_row_per_view_with_the_cable_s_fields(tmp_path):
    import_cable(tmp_path, 501, "S E C R E T", "1. (S) Open about soybeans.", "2. (S//NF) Closed about zanzibarite.")
    cable = Cable.objects.get(reference_id="09ASUNCION501")
    rows = list(Listing.objects.filter(cable=cable).order_by("clearances"))
    assert len(rows) == 2
    assert {(r.reference_id, r.classification, r.origin, r.subject, tuple(r.tags)) for r in rows} == {
        ("09ASUNCION501", "SECRET", cable.origin, "LISTED CABLE", ("PREL", "ECON"))}
    assert all(r.created == cable.created for r in rows)


@pytest.mark.parametrize("clearance, noforn, finds", [
    ("SECRET", False, {"soybeans": True, "zanzibarite": False, "soybeans zanzibarite": False}),
    ("SECRET", True, {"soybeans": True, "zanzibarite": True, "soybeans zanzibarite": True}),
    ("CONFIDENTIAL", True, {"soybeans": False, "zanzibarite": False, "soybeans zanzibarite": False}),
])
def test_search_matches_words_anywhere_in_what_the_user_may_read(client, make_user, tmp_path, clearance, noforn,
                                                                   finds):
    import_cable(tmp_path, 502, "S E C R E T", "1. (S) Open about soybeans.", "2. (S//NF) Closed about zanzibarite.")
    client.force_login(make_user("reader", clearance=clearance, noforn=noforn))
    for query, found in finds.items():
        page = client.get(reverse("cable-list"), {"q": query}).context["page"]
        assert [row.reference_id for row in page] == (["09ASUNCION502"] if found else []), query
        api = client.get(reverse("api-cable-list"), {"q": query}).json()["count"]
        assert api == (1 if found else 0), query


def test_words_of_two_paragraphs_find_the_cable_together(analyst_client, tmp_path):
    import_cable(tmp_path, 503, "UNCLAS", "1. (U) The harvest of soybeans.", "2. (U) A new railway.")
    page = analyst_client.get(reverse("cable-list"), {"q": "soybeans railway"}).context["page"]
    assert [row.reference_id for row in page] == ["09ASUNCION503"]


def test_a_reimport_that_reclassifies_a_cable_rewrites_its_rows(client, make_user, tmp_path):
    import_cable(tmp_path, 504, "UNCLAS", "1. (U) About soybeans.")
    client.force_login(make_user("plain", clearance="UNCLASSIFIED"))
    assert client.get(reverse("cable-list"), {"q": "soybeans"}).context["page"].paginator.count == 1
    import_cable(tmp_path, 504, "S E C R E T", "1. (S) About soybeans and more.", "2. (S) A second paragraph, fuller.")
    assert Listing.objects.filter(cable__reference_id="09ASUNCION504").get().classification == "SECRET"
    assert client.get(reverse("cable-list"), {"q": "soybeans"}).context["page"].paginator.count == 0
    assert client.get(reverse("cable-list")).context["page"].paginator.count == 0


def test_refresh_rebuilds_the_rows_from_what_is_stored(tmp_path):
    import_cable(tmp_path, 505, "S E C R E T", "1. (S) Open.", "2. (S//NF) Closed.")
    cable = Cable.objects.get(reference_id="09ASUNCION505")
    before = sorted(Listing.objects.filter(cable=cable).values_list("clearances", "subject", "tags"))
    Listing.objects.filter(cable=cable).delete()
    listing.refresh([cable.pk])
    assert sorted(Listing.objects.filter(cable=cable).values_list("clearances", "subject", "tags")) == before


def test_facets_count_each_visible_cable_once_and_follow_the_search(client, make_user, tmp_path):
    import_cable(tmp_path, 506, "S E C R E T", "1. (S) Soybeans.", "2. (S//NF) Soybeans again.", tags="PREL ECON")
    import_cable(tmp_path, 507, "UNCLAS", "1. (U) Railway.", tags="ECON")
    client.force_login(make_user("cleared", clearance="SECRET", noforn=True))
    response = client.get(reverse("cable-list"))
    facets = response.context["facets"]
    assert response.context["page"].paginator.count == 2
    assert dict(facets["tag"]) == {"ECON": 2, "PREL": 1}
    assert dict(facets["classification"]) == {"SECRET": 1, "UNCLASSIFIED": 1}
    assert facets["year"] == [(2009, 2)] and facets["month"] == [(3, 2)]
    assert dict(facets["origin"]) == {"Embassy Asuncion": 2}
    searched = client.get(reverse("cable-list"), {"q": "soybeans"}).context
    assert dict(searched["facets"]["tag"]) == {"ECON": 1, "PREL": 1}
    tagged = client.get(reverse("cable-list"), {"tag": "PREL"}).context
    assert [row.reference_id for row in tagged["page"]] == ["09ASUNCION506"]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the GIN index is PostgreSQL's")
def test_postgresql_searches_the_listing_through_its_gin_index(analyst_client, tmp_path):
    import_cable(tmp_path, 508, "UNCLAS", "1. (U) Nuclear talks.")
    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")
        cursor.execute("EXPLAIN SELECT cable_id FROM cables_listing WHERE document @@ websearch_to_tsquery('english', 'nuclear')")
        plan = "\n".join(row[0] for row in cursor.fetchall())
        cursor.execute("RESET enable_seqscan")
    assert "listing_document_gin" in plan


@pytest.mark.parametrize("estimate, shown", [(0.4, 1), (47.6, 48), (163_412, 160_000), (1_049, 1_000), (99.5, 100)])
def test_an_estimate_is_shown_to_two_significant_figures(estimate, shown):
    assert filters._about(estimate) == shown


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the sample is PostgreSQL's TABLESAMPLE")
def test_over_the_exact_limit_the_count_and_facets_are_estimated_from_a_sample(analyst_client, monkeypatch):
    import_paths([PAGES])
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE cables_listing")
        cursor.execute("SELECT reltuples FROM pg_class WHERE oid = 'cables_listing'::regclass")
        (rows,) = cursor.fetchone()

    def page(query):
        with CaptureQueriesContext(connection) as queries:
            response = analyst_client.get(reverse("cable-list"), query)
        return response, len(queries)

    exact, exact_queries = page({"q": "government"})
    assert exact.context["exact"] and exact.context["page"].paginator.count > 20
    monkeypatch.setattr(filters, "EXACT_UP_TO", 20)
    monkeypatch.setattr(filters, "SAMPLE_ROWS", rows * 0.9999)  # a sample of almost every page: near exact
    monkeypatch.setattr(filters, "MAX_SAMPLE_PERCENT", 100.0)
    estimated, estimated_queries = page({"q": "government"})
    assert not estimated.context["exact"] and estimated_queries == exact_queries
    with connection.cursor() as cursor:  # the count's plan hint does not outlive the count
        cursor.execute("SHOW enable_seqscan")
        assert cursor.fetchone()[0] == "on"

    def close(shown, true):
        return abs(shown - true) <= max(1, 0.06 * true)

    assert close(estimated.context["page"].paginator.count, exact.context["page"].paginator.count)
    for name in ("year", "origin", "classification"):
        true = dict(exact.context["facets"][name])
        shown = dict(estimated.context["facets"][name])
        assert shown.keys() <= true.keys() and all(close(n, true[key]) for key, n in shown.items()), name
    html = estimated.content.decode()
    assert "about " in html and 'class="count">~' in html and "estimated from a sample" in html
    assert "of about " in html or not estimated.context["page"].has_other_pages()
    assert [row.reference_id for row in estimated.context["page"]] == [row.reference_id for row in exact.context["page"]]
    api = analyst_client.get(reverse("api-cable-list"), {"q": "government"}).json()
    assert api["count_exact"] is False and api["count"] == estimated.context["page"].paginator.count
    assert [c["reference_id"] for c in api["results"]][:5] == [row.reference_id for row in exact.context["page"]][:5]
    first = exact.context["page"][0].reference_id
    narrowed = analyst_client.get(reverse("cable-list"), {"q": "government", "reference_id": first}).context
    assert narrowed["exact"] and narrowed["page"].paginator.count == 1


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the sample's index is PostgreSQL's")
def test_a_search_s_estimate_reads_every_nth_row_through_the_sample_s_own_index(analyst_client, monkeypatch):
    import_paths([PAGES])
    with connection.cursor() as cursor:
        # the indexes as a store builds them: earlier tests' rolled-back rows leave them bloated unevenly
        cursor.execute("REINDEX TABLE cables_listing")
        cursor.execute("ANALYZE cables_listing")
        cursor.execute("SELECT reltuples FROM pg_class WHERE oid = 'cables_listing'::regclass")
        (rows,) = cursor.fetchone()
    user = analyst_client.get(reverse("cable-list")).wsgi_request.user
    matching = Listing.objects.visible_to(user).search("government", user)
    every = filters.SAMPLE_EVERY
    sampled = [row for row in matching.values_list("id", "classification") if row[0] % every == 0]
    assert len(sampled) >= 3 and matching.count() > 40
    monkeypatch.setattr(filters, "EXACT_UP_TO", 20)
    monkeypatch.setattr(filters, "SAMPLE_ROWS", rows / every)  # a store of this size takes that sample

    response = analyst_client.get(reverse("cable-list"), {"q": "government"})
    assert not response.context["exact"]
    assert response.context["page"].paginator.count == max(filters._about(len(sampled) * every), 21)
    by_classification = {}
    for _, classification in sampled:
        by_classification[classification] = by_classification.get(classification, 0) + every
    assert dict(response.context["facets"]["classification"]) == {
        name: filters._about(n) for name, n in by_classification.items()}
    assert filters.count(matching) == (max(filters._about(len(sampled) * every), 21), False)  # the API's
    sql, params = filters._facet_rows(filters._every_nth(matching)).query.sql_with_params()
    with connection.cursor() as cursor, filters._index_first(cursor, True):
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(line for (line,) in cursor.fetchall())
    assert "listing_document_sample_gin" in plan, plan  # the index of the sample, not of every row
    monkeypatch.setattr(filters, "SAMPLE_ROWS", rows)  # too few rows in that sample: the page sample
    assert filters._bounded(*filters._facet_rows(matching).query.sql_with_params())[2].startswith("TABLESAMPLE")


def test_a_search_s_rows_are_read_by_walking_the_list_s_order_when_matches_are_dense():
    store = 251_287
    dense = filters.CountedPaginator([], 50, 40_000, exact=False, searched_rows=store)  # a word in 16%
    assert dense.walks(51) and dense.walks(101) and not dense.walks(5_001)  # not deep into the pages
    assert not filters.CountedPaginator([], 50, 13_000, searched_rows=store).walks(51)  # 5%: the bitmap
    assert filters.CountedPaginator([], 50, 4_500, searched_rows=store, phrase=True).walks(51)
    assert not filters.CountedPaginator([], 50, 4_500, searched_rows=store).walks(51)
    assert not filters.CountedPaginator([], 50, 200_000, searched_rows=0.0).walks(51)  # no search, or SQLite


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the planner is PostgreSQL's")
def test_walking_or_not_a_search_page_has_the_same_rows_and_queries(analyst_client, monkeypatch):
    import_paths([PAGES])

    def page(query):
        with CaptureQueriesContext(connection) as queries:
            response = analyst_client.get(reverse("cable-list"), query)
        steered = [q["sql"] for q in queries.captured_queries if "set_config(" in q["sql"] and "'off'" in q["sql"]]
        return [row.reference_id for row in response.context["page"]], len(queries), steered

    monkeypatch.setattr(filters, "EXACT_UP_TO", 5)  # estimated counts: an exact search reads its page by id
    for query in ({"q": "government"}, {"q": "government", "page": 2}, {"q": '"foreign minister"'}):
        monkeypatch.setattr(filters, "VECTOR_READ", 10 ** -9)  # every word search walks
        walked, walked_queries, walked_steer = page(query)
        monkeypatch.setattr(filters, "VECTOR_READ", 10 ** 9)  # none does
        fetched, fetched_queries, fetched_steer = page(query)
        assert walked == fetched and len(walked) > 1
        assert walked_queries == fetched_queries
        if '"' not in query["q"]:  # a phrase here is rare enough to take the bitmap whatever VECTOR_READ
            assert "enable_bitmapscan" in walked_steer[-1] and "enable_bitmapscan" not in fetched_steer[-1]
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('enable_bitmapscan'), current_setting('enable_seqscan')")
        assert cursor.fetchone() == ("on", "on")


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the one-pass search is PostgreSQL's")
def test_an_exact_search_is_tested_once_and_its_pages_are_read_by_id(analyst_client, monkeypatch):
    """Counting, grouping and finding a page's rows each tested every candidate row's vector: a phrase of
    common words three times over. A search's count and facets are now one statement, which tests each row
    once and, when the count is exact, gives the matching ids in the list's order; the page's rows are read
    by them, under every filter still."""
    from cables import views

    import_paths([PAGES])
    with connection.cursor() as cursor:  # statistics, as a store has them: else a count goes on exactly
        cursor.execute("ANALYZE cables_listing")
    monkeypatch.setattr(views, "PAGE_SIZE", 10)
    user = analyst_client.get(reverse("cable-list")).wsgi_request.user
    each_tag = "CROSS JOIN LATERAL jsonb_array_elements_text(m.tags) AS t(value)"
    page_queries = set()
    for q in ("government", '"foreign minister"', "iran -nuclear", "zzzunknownword"):
        matching = Listing.objects.visible_to(user).search(q, user)
        expected_ids = list(matching.values_list("id", flat=True))  # the list's own order
        counted = filters.facets(matching)
        assert counted.exact and counted.ids == expected_ids, q
        assert counted.total == len(expected_ids)
        sql, params = filters._facet_rows(matching).query.sql_with_params()
        assert (counted.total, counted.counts) == filters._grouped(sql, params, each_tag), q  # the two-pass way
        pages = -(-len(expected_ids) // 10)
        for number in range(1, min(max(pages, 1), 3) + 1):
            with CaptureQueriesContext(connection) as queries:
                response = analyst_client.get(reverse("cable-list"), {"q": q, "page": number})
            shown = [row.reference_id for row in response.context["page"]]
            bottom = (number - 1) * 10
            assert shown == list(matching.values_list("reference_id", flat=True)[bottom:bottom + 10]), (q, number)
            searched = [query["sql"] for query in queries.captured_queries if "@@" in query["sql"]]
            assert "LIMIT 10001" in searched[0] and len(searched) == 2, searched  # one search, then the page
            assert '"cables_listing"."id" IN (SELECT unnest(' in searched[1]  # by id, under every filter still
            page_queries.add(len(queries))
        assert response.context["page"].paginator.count == len(expected_ids)
        with CaptureQueriesContext(connection) as queries:  # the API: the same statement gives its cables' ids
            api = analyst_client.get(reverse("api-cable-list"), {"q": q}).json()
        assert api["count"] == len(expected_ids) and api["count_exact"] is True
        assert [c["reference_id"] for c in api["results"]] == list(matching.values_list("reference_id", flat=True)[:50])
        searched = [query["sql"] for query in queries.captured_queries if "@@" in query["sql"]]
        assert "LIMIT 10001" in searched[0] and len(searched) == 2, searched
        assert '"cables_cable"."id" IN (SELECT unnest(' in searched[1]
        assert filters.counted(matching, key="cable_id")[2] == list(matching.values_list("cable_id", flat=True))
    assert len(filters.facets(Listing.objects.visible_to(user).search("government", user)).ids) > 10  # pages

    def api_queries():
        with CaptureQueriesContext(connection) as queries:
            api = analyst_client.get(reverse("api-cable-list"), {"q": "government"}).json()
        return api["count_exact"], len(queries)

    exact_api = api_queries()
    monkeypatch.setattr(filters, "EXACT_UP_TO", 5)  # more matches than that: no ids, estimated
    estimated_api = api_queries()
    assert exact_api[0] and not estimated_api[0] and exact_api[1] == estimated_api[1]  # the API's too
    assert filters.facets(Listing.objects.visible_to(user).search("government", user)).ids is None
    with CaptureQueriesContext(connection) as queries:
        assert not analyst_client.get(reverse("cable-list"), {"q": "government"}).context["exact"]
    assert page_queries == {len(queries)}  # exact or estimated, empty or not: the same statements, each steered
    assert filters.counted(Listing.objects.visible_to(user).search("government", user))[1:] == (False, None)
    assert filters.facets(Listing.objects.visible_to(user)).ids is None  # no search: the list's order index


def test_an_estimated_result_offers_next_only_while_rows_follow(analyst_client, monkeypatch):
    """An estimate can overshoot: "Next" is offered from the rows themselves, never past the last one,
    and a page past the estimate is still served when the estimate fell short."""
    from django.conf import settings

    from cables import views

    import_paths([PAGES])
    user = analyst_client.get(reverse("cable-list")).wsgi_request.user
    visible = Listing.objects.visible_to(user)
    real = visible.count()
    monkeypatch.setattr(views, "PAGE_SIZE", 10)
    counted = filters.facets(visible)
    monkeypatch.setattr(views, "facets", lambda rows: filters.Facets(real * 3, counted.counts, exact=False))
    last = -(-real // 10)

    def page(number):
        return analyst_client.get(reverse("cable-list"), {"page": number}).context["page"]

    assert page(1).has_next() and len(page(1)) == 10
    end = page(last)
    assert not end.has_next() and len(end) == real - 10 * (last - 1) and end.paginator.num_pages >= last
    assert f"page={last + 1}" not in analyst_client.get(reverse("cable-list"), {"page": last}).content.decode()
    monkeypatch.setattr(views, "facets", lambda rows: filters.Facets(5, counted.counts, exact=False))  # far too low
    short = page(3)
    assert short.number == 3 and short.has_next() and short.paginator.num_pages >= 4
    assert [row.reference_id for row in short] == [row.reference_id for row in visible[20:30]]
    monkeypatch.setattr(filters, "counted", lambda rows, key: (real * 3, False, None))  # the API's, overshooting
    cables = Cable.objects.visible_to(user).count()
    api_last = -(-cables // settings.REST_FRAMEWORK["PAGE_SIZE"])
    api = analyst_client.get(reverse("api-cable-list"), {"page": api_last}).json()
    assert api["count_exact"] is False and api["count"] == real * 3 and api["results"] and api["next"] is None
    assert analyst_client.get(reverse("api-cable-list"), {"page": api_last - 1}).json()["next"]
