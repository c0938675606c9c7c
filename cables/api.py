"""The cable API: `GET /api/cables/` (paginated, the page's filters, `q=` to search) and one cable."""
from django.db.models import Prefetch
from rest_framework import serializers, viewsets

from cables.filters import CableFilter
from cables.models import Cable, Paragraph, Tag


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

    class Meta(CableListSerializer.Meta):
        fields = CableListSerializer.Meta.fields + [
            "dtg", "sender", "to", "info", "references", "collection_references", "classified_by",
            "classification_reason", "signature", "partial", "paragraphs",
        ]


class CableViewSet(viewsets.ReadOnlyModelViewSet):
    lookup_field = "reference_id"
    filterset_class = CableFilter

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
