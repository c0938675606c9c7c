"""The cable API: `GET /api/cables/` (paginated, the page's filters, `q=` to search) and one cable."""
from django.db.models import Prefetch
from rest_framework import serializers, viewsets
from rest_framework.pagination import PageNumberPagination

from cables import filters
from cables.filters import CableFilter, CountedPaginator, ListingFilter
from cables.models import Cable, Listing, Paragraph, Tag


class ParagraphSerializer(serializers.ModelSerializer):
    class Meta:
        model = Paragraph
        fields = ["number", "marking", "heading", "text", "damaged"]


class CableListSerializer(serializers.ModelSerializer):
    tags = serializers.SlugRelatedField(slug_field="name", many=True, read_only=True)

    class Meta:
        model = Cable
        fields = ["reference_id", "created", "released", "classification", "origin", "subject", "tags"]


class CableSerializer(CableListSerializer):
    paragraphs = ParagraphSerializer(many=True, read_only=True)
    collection_references = serializers.SerializerMethodField()

    class Meta(CableListSerializer.Meta):
        fields = CableListSerializer.Meta.fields + [
            "dtg", "sender", "to", "info", "references", "collection_references", "classified_by",
            "classification_reason", "signature", "partial", "paragraphs",
        ]

    def get_collection_references(self, cable) -> list[str]:
        """The cable's, and those named only in stricter text this user may read (Cable.marked_references)."""
        return cable.collection_references_for(self.context["request"].user)


class CablePagination(PageNumberPagination):
    """Pages of cables whose `count` costs the same whatever the store: counted on the listing rows by
    the cable list's own rule (filters.counted), exact up to 10,000 matches and estimated beyond, which
    `count_exact` says. An exact search gives its cables' ids too, and a page is read by them."""

    def paginate_queryset(self, queryset, request, view=None):
        listings = ListingFilter(request.query_params, queryset=Listing.objects.visible_to(request.user),
                                 request=request).qs
        self.total, self.count_exact, ids = filters.counted(listings, key="cable_id")
        self.django_paginator_class = lambda rows, size: CountedPaginator(rows, size, self.total, self.count_exact,
                                                                           ids=ids)
        return super().paginate_queryset(queryset, request, view)

    def get_paginated_response(self, data):
        response = super().get_paginated_response(data)
        response.data["count_exact"] = self.count_exact
        return response

    def get_paginated_response_schema(self, schema):
        schema = super().get_paginated_response_schema(schema)
        schema["properties"]["count_exact"] = {"type": "boolean"}
        return schema


class CableViewSet(viewsets.ReadOnlyModelViewSet):
    lookup_field = "reference_id"
    filterset_class = CableFilter
    pagination_class = CablePagination

    def get_queryset(self):
        queryset = Cable.objects.visible_to(self.request.user).prefetch_related(
            Prefetch("tags", queryset=Tag.objects.only("name"))
        )
        if self.action == "retrieve":
            return queryset.prefetch_related(
                Prefetch("paragraphs", queryset=Paragraph.objects.visible_to(self.request.user))
            )
        return queryset.defer("header", "body")

    def get_object(self):
        self.kwargs[self.lookup_field] = self.kwargs[self.lookup_field].upper()
        return super().get_object()

    def get_serializer_class(self):
        return CableSerializer if self.action == "retrieve" else CableListSerializer
