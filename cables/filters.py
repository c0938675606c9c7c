"""The cable filters, shared by the cable pages and the API, and the facet counts beside them."""
import re
from contextlib import contextmanager
from dataclasses import dataclass

from django import forms
from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import BigIntegerField, Func, Q, Value
from django.db.models.expressions import RawSQL
from django.db.models.functions import ExtractMonth, ExtractYear
import django_filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from cables import markings
from cables.models import Cable, Listing, Paragraph


class RepeatedInput(forms.TextInput):
    """A text input read as every value its parameter is given: ?tag=PREL&tag=IR is ["PREL", "IR"]."""

    def value_from_datadict(self, data, files, name):
        return data.getlist(name) if hasattr(data, "getlist") else data.get(name)

    def format_value(self, value):
        return ", ".join(value) if isinstance(value, (list, tuple)) else super().format_value(value)


class RepeatedField(forms.Field):
    """Every value given, each perhaps a comma-separated list ("PREL, IR", as the TAGS line writes them)."""

    widget = RepeatedInput

    def to_python(self, value) -> list[str]:
        values = [value] if isinstance(value, str) else (value or [])
        return [part.strip() for item in values for part in str(item).split(",") if part.strip()]


@extend_schema_field(OpenApiTypes.STR)  # given once or more: ?tag=PREL&tag=IR
class AllOfFilter(django_filters.Filter):
    """A filter that every value given must pass (AND): ?tag=PREL&tag=IR are the cables tagged both."""

    field_class = RepeatedField


@extend_schema_field(OpenApiTypes.INT)
class WholeNumberFilter(django_filters.NumberFilter):
    """A whole number within the field's bounds (min_value, max_value): anything else is not valid, so the page
    shows it "(not valid: ignored)" and the API answers 400 naming it, as for any other bad filter."""

    field_class = forms.IntegerField


# The years a cable's date may be filtered by: the lookup turns a year into a date range, which Python and the
# database refuse outside 1..9999 (year=0 was a 500); the cables are of 1966 to 2010.
MIN_YEAR, MAX_YEAR = 1900, 2100


class Filters(django_filters.FilterSet):
    """The filters of the cable list, over cables (the API) or over their listing rows (the page)."""

    q = django_filters.CharFilter(method="search", label="Search")
    year = WholeNumberFilter(field_name="created", lookup_expr="year", min_value=MIN_YEAR, max_value=MAX_YEAR)
    month = WholeNumberFilter(field_name="created", lookup_expr="month", min_value=1, max_value=12)
    origin = django_filters.CharFilter(field_name="origin")
    tag = AllOfFilter(method="tagged", label="Tag")
    classification = django_filters.ChoiceFilter(choices=[(c, c) for c in markings.CLASSIFICATIONS])
    reference_id = django_filters.CharFilter(field_name="reference_id", lookup_expr="istartswith")

    def search(self, queryset, name, value):
        """PostgreSQL reads the query as the web does (websearch: words, "a phrase", -not, or). SQLite matches
        each word anywhere, as Cable.search does, and each "quoted phrase" as its words in that order."""
        user = getattr(self.request, "user", None)
        if connection.vendor == "postgresql":
            return queryset.search(value, user)
        words, phrases = quoted_phrases(value)
        queryset = queryset.search(" ".join(words), user)
        for phrase in phrases:
            holding = Cable.objects.filter(phrase_held(phrase, user)).values("pk")
            queryset = queryset.filter(**{"cable_id__in" if queryset.model is Listing else "pk__in": holding})
        return queryset


class CableFilter(Filters):
    class Meta:
        model = Cable
        fields = ["q", "year", "month", "origin", "tag", "classification", "reference_id"]

    def tagged(self, queryset, name, tags: list[str]):
        for tag in tags:  # one join a tag: a cable passes when it holds each of them
            queryset = queryset.filter(tags__name=tag)
        return queryset


class ListingFilter(Filters):
    class Meta:
        model = Listing
        fields = ["q", "year", "month", "origin", "tag", "classification", "reference_id"]

    def tagged(self, queryset, name, tags: list[str]):
        if connection.vendor == "postgresql":
            return queryset.filter(tags__contains=tags)  # the row's array holds every one
        for tag in tags:
            queryset = queryset.filter(cable__tags__name=tag)
        return queryset


def quoted_phrases(text: str) -> tuple[list[str], list[str]]:
    """A search's loose words and its "quoted phrases" (an unclosed quote runs to the end, as on PostgreSQL):
    'iran "nuclear program"' -> (["iran"], ["nuclear program"])."""
    words, phrases = [], []
    for phrase, word in re.findall(r'"([^"]*)"?|([^\s"]+)', text or ""):
        if word:
            words.append(word)
        elif phrase.split():
            phrases.append(" ".join(phrase.split()))
    return words, phrases


def phrase_held(phrase: str, user) -> Q:
    """Cables whose subject, or a paragraph's heading or text this user may see, holds the phrase's words in
    its order, whatever the space between them (a cable wraps its lines anywhere), any case. SQLite's search."""
    pattern = r"\s+".join(re.escape(word) for word in phrase.split())
    paragraphs = Paragraph.objects.visible_to(user).filter(Q(text__iregex=pattern) | Q(heading__iregex=pattern))
    return Q(subject__iregex=pattern) | Q(pk__in=paragraphs.values("cable_id"))


FACET_LIMIT = 25
FACETS = ("year", "month", "origin", "tag", "classification")
EXACT_UP_TO = 10_000  # matching rows counted and grouped exactly; beyond this, estimated from a sample
SAMPLE_ROWS = 20_000  # about how many listing rows an estimate reads, whatever the size of the store
MAX_SAMPLE_PERCENT = 25.0  # in a smaller store, a sample of a quarter of it: cheaper than counting
# A search's sample: every SAMPLE_EVERY-th listing row by id, which a GIN index of its own (migration 0011)
# finds without reading a vector: 20,940 rows at 251,287 cables. Used while it holds SAMPLE_ROWS / 4 to
# SAMPLE_ROWS * 4 rows (a store of 60,000 to 960,000 rows); outside that, the page sample.
SAMPLE_EVERY = 12
EVERY_NTH = "every nth row"


@dataclass
class Facets:
    """How many listing rows match, and their counts by year, month, origin, tag and classification.
    `exact` is False when over EXACT_UP_TO rows match: then the numbers are estimates from a sample."""

    total: int
    counts: dict[str, list[tuple]]
    exact: bool = True
    searched_rows: float = 0.0  # for a search on PostgreSQL, the listing rows in the store, by its statistics
    ids: list[int] | None = None  # for an exact search on PostgreSQL, the matching rows' ids in the list's order


def facets(listings) -> Facets:
    """The count and the facets of the filtered listing rows, at a cost that does not grow with the store.

    Up to EXACT_UP_TO matching rows, the rows are gathered once and grouped five ways, exactly. A search
    for a word in most cables matches most of the store, and counting it exactly means reading every
    matching row: there, on PostgreSQL, the same query runs over a fixed sample of the store and its counts
    are scaled up, as a search engine says "about 160,000 results". Narrowing the filters brings back
    exact numbers. Two queries either way; for a search on PostgreSQL, one (`_searched_facets`), which
    tests each row's vector once and, when the count is exact, gives the matching ids (`Facets.ids`), by
    which CountedPaginator reads the page.

    The sample: for a search, every SAMPLE_EVERY-th row, found by a GIN index of those rows alone, so that
    only the matching rows of the sample are read and no search vector is (a vector is read from its
    TOAST table, several pages a row: 130-170 ms for a page sample of 20,000 rows at 251,287 cables,
    against 10-80 ms this way). For other filters, or a store too small or too large for that sample to
    hold about SAMPLE_ROWS rows, a sample of the table's pages (TABLESAMPLE SYSTEM, about SAMPLE_ROWS
    rows, the same sample on every call)."""
    sql, params = _facet_rows(listings).query.sql_with_params()
    if connection.vendor != "postgresql":
        return Facets(*_grouped(sql, params, "CROSS JOIN json_each(m.tags) AS t"))
    each_tag = "CROSS JOIN LATERAL jsonb_array_elements_text(m.tags) AS t(value)"
    searching = "@@" in sql
    if searching and (order := _list_order(listings)):
        return _searched_facets(listings, order, each_tag)
    matching, rows, sample = _bounded(sql, params)
    searched_rows = rows if searching else 0.0
    if sample is None:
        return Facets(*_grouped(sql, params, each_tag), searched_rows=searched_rows)
    if sample == EVERY_NTH:
        sampled, sampled_params = _facet_rows(_every_nth(listings)).query.sql_with_params()
        total, counts = _grouped(sampled, sampled_params, each_tag, scale=SAMPLE_EVERY)
    else:
        total, counts = _grouped(_sampled(sql, sample), params, each_tag, rows, _sample_size(sample))
    return Facets(max(total, _about(matching)), counts, exact=False, searched_rows=searched_rows)


def _facet_rows(listings, *first: str):
    """The filtered rows' year, month, origin, classification and tags: what the facets group; after the
    fields `first`, if any."""
    inner = listings.order_by().annotate(facet_year=ExtractYear("created"), facet_month=ExtractMonth("created"))
    return inner.values_list(*first, "facet_year", "facet_month", "origin", "classification", "tags")


def _list_order(listings) -> list[tuple[str, str]] | None:
    """The listing rows' order as (column, direction) pairs, when it is the model's own (fields, no
    expressions): what `_searched_facets` sorts the matching ids by. None for any other order."""
    if listings.query.order_by or not listings.query.default_ordering:
        return None
    order = []
    for name in Listing._meta.ordering:
        if not isinstance(name, str):
            return None
        field = Listing._meta.get_field(name.lstrip("-"))
        order.append((field.column, "DESC" if name.startswith("-") else "ASC"))
    return order


def _searched_facets(listings, order: list[tuple[str, str]], each_tag: str, key: str = "pk",
                     group: bool = True) -> Facets:
    """`facets` of a search, in one statement. A search is tested against each candidate row's vector:
    for a phrase, every row holding its words ("government said": 108,000 rows of 251,287 cables for 230
    matches, 0.5 s there), and counting, grouping and reading the page each did that. Here the matching
    rows are gathered once, up to EXACT_UP_TO + 1, and then one grouping runs, which one-time filters
    choose: of the rows gathered when they are all the matches, with their ids in the list's order (by
    which CountedPaginator reads the page); of every SAMPLE_EVERY-th row, or of a sample of the table's
    pages, when more match (`_bounded`'s rule, in SQL); of every match when the table has no statistics
    yet. A search page makes the same statements whichever way its count goes.

    `key`: the ids to give, the rows' own ("pk") or their cables' ("cable_id"); without `group`, the
    total alone (the API's count)."""
    columns = [column for column, _ in order]
    fields = (key, *(Listing._meta.get_field(c).name for c in columns))
    gathered, gathered_params = _facet_rows(listings, *fields).query.sql_with_params()
    whole, whole_params = _facet_rows(listings).query.sql_with_params()
    nth, nth_params = _facet_rows(_every_nth(listings)).query.sql_with_params()
    percent = f"(SELECT LEAST(100.0 * {SAMPLE_ROWS} / GREATEST(rows, 1), {MAX_SAMPLE_PERCENT}) FROM r)"
    pages = f"TABLESAMPLE SYSTEM ({percent}) REPEATABLE (2010)"
    quote = connection.ops.quote_name
    keys = ", ".join(quote(f"key_{c}") for c in columns)
    by = ", ".join(f"{quote(f'key_{c}')} {direction}" for c, direction in order)
    facet_columns = "year, month, origin, classification, tags"
    exact, estimated = f"(SELECT n FROM n) <= {EXACT_UP_TO}", f"(SELECT n FROM n) > {EXACT_UP_TO}"
    no_statistics = f"(SELECT rows FROM r) <= {EXACT_UP_TO}"
    every_nth = (f"(SELECT rows FROM r) / {SAMPLE_EVERY} BETWEEN {SAMPLE_ROWS / 4} AND {SAMPLE_ROWS * 4}")
    kinds = (f"CASE WHEN {exact} OR {no_statistics} THEN 'exact' WHEN {every_nth} THEN 'nth' ELSE 'pages' END")
    grouped = (_groupings(each_tag, ", NULL") if group
               else ["SELECT 'classification', NULL, NULL, COUNT(*), NULL FROM m"])
    statement = (
        f"WITH f(id, {keys}, {facet_columns}) AS MATERIALIZED ({gathered} LIMIT {EXACT_UP_TO + 1}), "
        f"n(n) AS (SELECT COUNT(*) FROM f), r(rows) AS ({_table_rows()}), k(kind) AS (SELECT {kinds}), "
        f"m({facet_columns}) AS ("
        f"SELECT {facet_columns} FROM f WHERE {exact} "
        f"UNION ALL SELECT * FROM ({whole}) AS w WHERE {estimated} AND {no_statistics} "
        f"UNION ALL SELECT * FROM ({nth}) AS s WHERE (SELECT kind FROM k) = 'nth' "
        f"UNION ALL SELECT * FROM ({_sampled(whole, pages)}) AS p WHERE (SELECT kind FROM k) = 'pages') "
        f"SELECT (SELECT kind FROM k), (SELECT rows FROM r)::numeric, NULL::text, (SELECT n FROM n), NULL::bigint[] "
        f"UNION ALL SELECT 'ids', NULL, NULL, NULL, (SELECT array_agg(id ORDER BY {by}) FROM f) WHERE {exact} "
        f"UNION ALL SELECT 'sampled', NULL, NULL, (SELECT COUNT(*) FROM {_table()} {pages}), NULL "
        f"WHERE (SELECT kind FROM k) = 'pages'" + "".join(f" UNION ALL {g}" for g in grouped))
    with connection.cursor() as cursor, _index_first(cursor, True):
        cursor.execute(statement, (*gathered_params, *whole_params, *nth_params, *whole_params))
        results = cursor.fetchall()
    head = {name: row for name, *row in results if name in ("exact", "nth", "pages", "ids", "sampled")}
    kind = next(name for name in ("exact", "nth", "pages") if name in head)
    rows, _, matching, _ = head[kind]
    rows = float(rows)
    scale = None if kind == "exact" else SAMPLE_EVERY if kind == "nth" else rows / max(1, head["sampled"][2])
    total, counts = _counts([row[:4] for row in results if row[0] not in head], scale)
    if kind == "exact" and matching <= EXACT_UP_TO:
        return Facets(total, counts, searched_rows=rows, ids=head["ids"][3] or [])
    if kind == "exact":  # no statistics yet: every match grouped
        return Facets(total, counts, searched_rows=rows)
    return Facets(max(total, _about(matching)), counts, exact=False, searched_rows=rows)


def _by_id(queryset, ids: list[int]):
    """The rows of `queryset` among these ids: one array parameter, whatever their number."""
    return queryset.filter(pk__in=RawSQL("SELECT unnest(%s::bigint[])", (ids,)))


def _every_nth(listings):
    """The filtered rows of a search's sample: those whose id is a multiple of SAMPLE_EVERY, as the
    predicate of their GIN index is written (MOD(id, 12) = 0), for the planner to see it applies."""
    slot = Func("id", Value(SAMPLE_EVERY), function="MOD", output_field=BigIntegerField())  # not Mod: numeric
    return listings.alias(sample_slot=slot).filter(sample_slot=0)


def count(listings) -> tuple[int, bool]:
    """(how many, exact) of the filtered listing rows, by facets' rule but without the grouping: exact up
    to EXACT_UP_TO, else estimated from the same sample. One query, or two."""
    total, exact, _ = counted(listings)
    return total, exact


def counted(listings, key: str = "pk") -> tuple[int, bool, list[int] | None]:
    """`count`'s (how many, exact), and for an exact search on PostgreSQL the matching rows' `key`s in the
    list's order ("pk", or their cables' "cable_id"), gathered by the same statement; None otherwise. A
    search's count is one statement either way (`_searched_facets`, without the grouping)."""
    if connection.vendor != "postgresql":
        return listings.count(), True, None
    sql, params = listings.order_by().values("pk").query.sql_with_params()
    if "@@" in sql and (order := _list_order(listings)):
        found = _searched_facets(listings, order, "", key=key, group=False)
        return found.total, found.exact, found.ids
    matching, rows, sample = _bounded(sql, params)
    if sample is None:
        return matching, True, None
    with connection.cursor() as cursor:
        if sample == EVERY_NTH:
            sampled, sampled_params = _every_nth(listings).order_by().values("pk").query.sql_with_params()
            with _index_first(cursor, True):
                cursor.execute(f"SELECT COUNT(*) FROM ({sampled}) AS s", sampled_params)
                hits = cursor.fetchone()[0]
            return max(_about(hits * SAMPLE_EVERY), _about(matching)), False, None
        cursor.execute(f"SELECT (SELECT COUNT(*) FROM ({_sampled(sql, sample)}) AS s), ({_sample_size(sample)})",
                       params)
        hits, sampled = cursor.fetchone()
    return max(_about(hits * rows / max(1, sampled)), _about(matching)), False, None


def _table() -> str:
    return connection.ops.quote_name(Listing._meta.db_table)


def _table_rows() -> str:
    """SQL of the table's rows as the planner reckons them: its last ANALYZE's rows per page times its pages now."""
    return ("SELECT CASE WHEN relpages > 0 THEN reltuples / relpages * (pg_relation_size(oid) / "
            f"current_setting('block_size')::int) ELSE 0 END FROM pg_class WHERE oid = '{_table()}'::regclass")


def _bounded(sql: str, params) -> tuple[int, float, str | None]:
    """(matching rows counted up to EXACT_UP_TO + 1, rows in the table by the planner's statistics, the
    sample to estimate from: EVERY_NTH, a TABLESAMPLE clause, or None when the count is exact)."""
    with connection.cursor() as cursor, _index_first(cursor, "@@" in sql):
        cursor.execute(f"SELECT (SELECT COUNT(*) FROM ({sql} LIMIT {EXACT_UP_TO + 1}) AS f), ({_table_rows()})",
                       params)
        matching, rows = cursor.fetchone()
    if matching <= EXACT_UP_TO or rows <= EXACT_UP_TO:  # no statistics yet: count on
        return matching, rows, None
    if "@@" in sql and SAMPLE_ROWS / 4 <= rows / SAMPLE_EVERY <= SAMPLE_ROWS * 4:
        return matching, rows, EVERY_NTH
    percent = min(100.0 * SAMPLE_ROWS / rows, MAX_SAMPLE_PERCENT)
    return matching, rows, f"TABLESAMPLE SYSTEM ({percent:.6f}) REPEATABLE (2010)"


@contextmanager
def _index_first(cursor, searching: bool, walk: bool = False):
    """For a search, steer the planner for the statements inside: off sequential scans, and with `walk`
    off bitmap scans too, which leaves it the list's order index (see CountedPaginator.walks). It prices
    `@@` on a vector like a cheap comparison, so to count a common word's first 10,001 matches it would
    rather scan the table and read every vector it meets (250 ms at 251,287 cables) than take the GIN
    index's bitmap, which needs no vector for plain words (40 ms). One statement to steer, one to put
    the settings back, whichever they are: a search's pages make the same number of queries."""
    if not searching:
        yield
        return
    names = ["enable_seqscan", "enable_bitmapscan"] if walk else ["enable_seqscan"]
    cursor.execute("SELECT " + ", ".join(f"set_config('{name}', 'off', false)" for name in names))
    try:
        yield
    finally:
        cursor.execute("SELECT set_config(name, reset_val, false) FROM pg_settings WHERE name = ANY(%s)", [names])


def _sampled(sql: str, sample: str) -> str:
    """The listing query `sql` reading only the sample of the table's pages."""
    source = re.compile(rf"FROM {re.escape(_table())}(?!\.)")  # the table itself, not EXTRACT(... FROM "t"."col")
    assert len(source.findall(sql)) == 1, sql
    return source.sub(lambda m: f"{m[0]} {sample}", sql)


def _sample_size(sample: str) -> str:
    """SQL counting the rows the sample takes, matching or not: the denominator of the ratio estimate."""
    return f"SELECT COUNT(*) FROM {_table()} {sample}"


def _grouped(sql: str, params, each_tag: str, rows: float | None = None, sampled: str = "",
             scale: float | None = None) -> tuple[int, dict[str, list[tuple]]]:
    """(total, counts) of the rows of `sql` (year, month, origin, classification, tags), grouped five
    ways in one query. For a sample of pages, `sampled` counts the rows of the sample, matching or not,
    and each count is scaled by the table's `rows` over that, and rounded (a ratio estimate: it does not
    care how many rows the sample happened to take). For a sample of every nth row, `scale` is n."""
    grouped = _groupings(each_tag)
    if sampled:
        grouped.append(f"SELECT 'sampled', NULL, NULL, ({sampled})")
    with connection.cursor() as cursor, _index_first(cursor, "@@" in sql):
        cursor.execute(f"WITH m(year, month, origin, classification, tags) AS ({sql}) " + " UNION ALL ".join(grouped),
                       params)
        results = cursor.fetchall()
    if sampled:
        scale = rows / max(1, next(n for name, *_, n in results if name == "sampled"))
    return _counts([row for row in results if row[0] != "sampled"], scale)


def _groupings(each_tag: str, tail: str = "") -> list[str]:
    """The five groupings of the rows `m` (year, month, origin, classification, tags) as SELECTs of
    (facet, number, text, count), each followed by `tail` (more columns of a larger UNION)."""
    grouped = [f"SELECT '{name}', {name}, NULL, COUNT(*){tail} FROM m GROUP BY {name}" for name in ("year", "month")]
    grouped += [f"SELECT '{name}', NULL, {name}, COUNT(*){tail} FROM m GROUP BY {name}"
                for name in ("origin", "classification")]
    grouped.append(f"SELECT 'tag', NULL, t.value, COUNT(*){tail} FROM m {each_tag} GROUP BY t.value")
    return grouped


def _counts(results, scale: float | None = None) -> tuple[int, dict[str, list[tuple]]]:
    """(total, counts) from the grouping's rows (facet, number, text, count), scaled by `scale` if any."""
    counts: dict[str, list[tuple]] = {name: [] for name in FACETS}
    for name, number, text, n in results:
        counts[name].append((text, n) if name in ("origin", "classification", "tag")
                            else (None if number is None else int(number), n))
    total = sum(n for _, n in counts["classification"])
    if scale is not None:
        total = _about(total * scale)
        counts = {name: [(value, _about(n * scale)) for value, n in items] for name, items in counts.items()}
    return total, {
        "year": sorted(counts["year"], key=lambda item: (item[0] is None, -(item[0] or 0))),
        "month": sorted(counts["month"], key=lambda item: (item[0] is None, item[0] or 0)),
        "origin": sorted(counts["origin"], key=lambda item: (-item[1], item[0]))[:FACET_LIMIT],
        "tag": sorted(counts["tag"], key=lambda item: (-item[1], item[0]))[:FACET_LIMIT],
        "classification": sorted(counts["classification"], key=lambda item: (-item[1], item[0])),
    }


def _about(estimate: float) -> int:
    """An estimate to two significant figures: 163,412 -> 160,000; 47.6 -> 48."""
    if estimate < 100:
        return max(1, round(estimate))
    magnitude = 10 ** (len(str(int(estimate))) - 2)
    return int(round(estimate / magnitude) * magnitude)


# Reading a row's search vector (from its TOAST table) costs about as much as fetching this many matching
# rows through the GIN index's bitmap, which needs no vector for plain words: 40 against 1.5 µs a row.
VECTOR_READ = 25


class CountedPaginator(Paginator):
    """A paginator told its count (from the query that counted the facets), so that it does not count again.

    When the count is an estimate (`exact` False), the pages do not trust it for where the rows end: a
    page reads one row more than it shows, and offers "Next" only when that row exists, so "Next" never
    leads past the last real row, and any page number is served (an estimate may also fall short)."""

    def __init__(self, object_list, per_page, count: int, exact: bool = True, searched_rows: float = 0.0,
                 phrase: bool = False, ids: list[int] | None = None):
        """`searched_rows`: for a search on PostgreSQL, the listing rows in the store (Facets.searched_rows),
        to choose how a page's rows are read; `phrase`: the search has a "quoted phrase"; `ids`: all the
        matching rows' ids in the list's order (Facets.ids), to read a page's rows by."""
        super().__init__(object_list, per_page)
        self.__dict__["count"] = count
        self.exact = exact
        self.searched_rows = searched_rows
        self.phrase = phrase
        self.ids = ids

    def walks(self, top: int) -> bool:
        """Whether the rows up to `top` of a search are read faster by walking the list's order and testing
        each row's vector (about top * store / matches vectors read) than through the GIN index's bitmap:
        - for words, the bitmap fetches every match, without their vectors, and sorts them: the walk wins
          for a word in more than a few percent of the cables, on the first pages (a word in 16% of
          251,287 cables: 13 ms against 70);
        - for a phrase, the bitmap reads the vector of every row holding its words, to check their order,
          at least as many as match: the walk wins sooner ("security cooperation": 38 ms against 700)."""
        if not self.searched_rows:
            return False
        vectors_walked = top * self.searched_rows / max(self.count, 1)
        return vectors_walked < (self.count if self.phrase else self.count / VECTOR_READ)

    def rows(self, bottom: int, top: int) -> list:
        """The rows [bottom:top]; for a search, read as `walks` chooses, the planner steered accordingly:
        it cannot tell, as it prices the test of a vector as a cheap comparison and misjudges how many
        rows a clearance sees (`clearances & bit`). Given the matching ids, the page's rows are those ids,
        still under every filter (the clearance among them), each tested once."""
        with connection.cursor() as cursor, _index_first(cursor, bool(self.searched_rows),
                                                         self.ids is None and self.walks(top)):
            if self.ids is not None:
                return list(_by_id(self.object_list, self.ids[bottom:top]))
            return list(self.object_list[bottom:top])

    def validate_number(self, number):
        if self.exact:
            return super().validate_number(number)
        try:
            return max(1, int(number))
        except (TypeError, ValueError):
            return 1

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        if self.exact:
            return self._get_page(self.rows(bottom, bottom + self.per_page), number, self)
        rows = self.rows(bottom, bottom + self.per_page + 1)
        self.__dict__["num_pages"] = max(self.num_pages, number + (len(rows) > self.per_page))
        return EstimatedPage(rows[:self.per_page], number, self, more=len(rows) > self.per_page)


class EstimatedPage(Page):
    """A page of an estimated result: it knows whether rows follow it from the rows themselves."""

    def __init__(self, object_list, number, paginator, more: bool):
        super().__init__(object_list, number, paginator)
        self.more = more

    def has_next(self) -> bool:
        return self.more
