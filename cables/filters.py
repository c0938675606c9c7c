"""The cable filters, shared by the cable pages and the API, and the facet counts beside them."""
from django.core.paginator import Paginator
from django.db import connection
from django.db.models.functions import ExtractMonth, ExtractYear
import django_filters

from cables import markings
from cables.models import Cable, Listing


class Filters(django_filters.FilterSet):
    """The filters of the cable list, over cables (the API) or over their listing rows (the page)."""

    q = django_filters.CharFilter(method="search", label="Search")
    year = django_filters.NumberFilter(field_name="created", lookup_expr="year")
    month = django_filters.NumberFilter(field_name="created", lookup_expr="month")
    origin = django_filters.CharFilter(field_name="origin")
    classification = django_filters.ChoiceFilter(choices=[(c, c) for c in markings.CLASSIFICATIONS])
    reference_id = django_filters.CharFilter(field_name="reference_id", lookup_expr="istartswith")

    def search(self, queryset, name, value):
        return queryset.search(value, getattr(self.request, "user", None))


class CableFilter(Filters):
    tag = django_filters.CharFilter(field_name="tags__name", label="Tag")

    class Meta:
        model = Cable
        fields = ["q", "year", "month", "origin", "tag", "classification", "reference_id"]


class ListingFilter(Filters):
    tag = django_filters.CharFilter(method="tagged", label="Tag")

    class Meta:
        model = Listing
        fields = ["q", "year", "month", "origin", "tag", "classification", "reference_id"]

    def tagged(self, queryset, name, value):
        if connection.vendor == "postgresql":
            return queryset.filter(tags__contains=[value])
        return queryset.filter(cable__tags__name=value)


FACET_LIMIT = 25
FACETS = ("year", "month", "origin", "tag", "classification")


def facets(listings) -> tuple[int, dict[str, list[tuple]]]:
    """(how many, counts by year, month, origin, tag and classification) of the filtered listing rows,
    in one query: the rows are gathered once, then grouped five ways."""
    inner = listings.order_by().annotate(facet_year=ExtractYear("created"), facet_month=ExtractMonth("created"))
    sql, params = inner.values_list("facet_year", "facet_month", "origin", "classification", "tags").query.sql_with_params()
    each_tag = ("CROSS JOIN LATERAL jsonb_array_elements_text(m.tags) AS t(value)" if connection.vendor == "postgresql"
                else "CROSS JOIN json_each(m.tags) AS t")
    grouped = [f"SELECT '{name}', {name}, NULL, COUNT(*) FROM m GROUP BY {name}" for name in ("year", "month")]
    grouped += [f"SELECT '{name}', NULL, {name}, COUNT(*) FROM m GROUP BY {name}" for name in ("origin", "classification")]
    grouped.append(f"SELECT 'tag', NULL, t.value, COUNT(*) FROM m {each_tag} GROUP BY t.value")
    counts: dict[str, list[tuple]] = {name: [] for name in FACETS}
    with connection.cursor() as cursor:
        cursor.execute(f"WITH m(year, month, origin, classification, tags) AS ({sql}) " + " UNION ALL ".join(grouped),
                       params)
        for name, number, text, n in cursor.fetchall():
            counts[name].append((text, n) if name in ("origin", "classification", "tag")
                                else (None if number is None else int(number), n))
    total = sum(n for _, n in counts["classification"])
    return total, {
        "year": sorted(counts["year"], key=lambda item: (item[0] is None, -(item[0] or 0))),
        "month": sorted(counts["month"], key=lambda item: (item[0] is None, item[0] or 0)),
        "origin": sorted(counts["origin"], key=lambda item: (-item[1], item[0]))[:FACET_LIMIT],
        "tag": sorted(counts["tag"], key=lambda item: (-item[1], item[0]))[:FACET_LIMIT],
        "classification": sorted(counts["classification"], key=lambda item: (-item[1], item[0])),
    }


class CountedPaginator(Paginator):
    """A paginator told its count (from the query that counted the facets), so that it does not count again."""

    def __init__(self, object_list, per_page, count: int):
        super().__init__(object_list, per_page)
        self.__dict__["count"] = count
