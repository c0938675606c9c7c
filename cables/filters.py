"""The cable filters, shared by the cable pages and the API, and the facet counts beside them."""
import django_filters
from django.db.models import Count
from django.db.models.functions import ExtractMonth, ExtractYear

from cables import markings
from cables.models import Cable


class CableFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label="Search")
    year = django_filters.NumberFilter(field_name="created", lookup_expr="year")
    month = django_filters.NumberFilter(field_name="created", lookup_expr="month")
    origin = django_filters.CharFilter(field_name="origin")
    tag = django_filters.CharFilter(field_name="tags__name", label="Tag")
    classification = django_filters.ChoiceFilter(choices=[(c, c) for c in markings.CLASSIFICATIONS])
    reference_id = django_filters.CharFilter(field_name="reference_id", lookup_expr="istartswith")

    class Meta:
        model = Cable
        fields = ["q", "year", "month", "origin", "tag", "classification", "reference_id"]

    def search(self, queryset, name, value):
        return queryset.search(value, getattr(self.request, "user", None))


FACET_LIMIT = 25


def facets(queryset) -> dict[str, list[tuple]]:
    """Counts of the filtered cables by year, month, origin, tag and classification: five queries."""
    plain = queryset.order_by()
    return {
        "year": list(
            plain.annotate(value=ExtractYear("created")).values_list("value").annotate(n=Count("pk")).order_by("-value")
        ),
        "month": list(
            plain.annotate(value=ExtractMonth("created")).values_list("value").annotate(n=Count("pk")).order_by("value")
        ),
        "origin": list(plain.values_list("origin").annotate(n=Count("pk")).order_by("-n", "origin")[:FACET_LIMIT]),
        "tag": list(
            plain.filter(tags__isnull=False)
            .values_list("tags__name")
            .annotate(n=Count("pk"))
            .order_by("-n", "tags__name")[:FACET_LIMIT]
        ),
        "classification": list(plain.values_list("classification").annotate(n=Count("pk")).order_by("-n")),
    }
