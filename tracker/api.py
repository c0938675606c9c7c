"""The requirements API: `/api/requirement-sets/` (list, one set with its sections and questions; create
from a tasking cable, edit the set's fields) and `/api/questions/` (list, one, edit). Reads follow
`visible_to`; writes need the analyst's model permissions and go through tracker.requirements, so each
is recorded like a change made on the pages."""
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from cables.models import Cable
from tracker import requirements
from tracker.filters import QuestionFilter, RequirementSetFilter
from tracker.models import Question, RequirementSet, Section
from tracker.requirements import RequirementError


class ModelPermissions(permissions.DjangoModelPermissions):
    """Reads for every signed-in user (visibility is the queryset's business); writes by model permission."""

    perms_map = permissions.DjangoModelPermissions.perms_map | {"GET": [], "HEAD": [], "OPTIONS": []}


class QuestionSerializer(serializers.ModelSerializer):
    status = serializers.CharField(read_only=True)
    section = serializers.CharField(source="section.letter", read_only=True, default="")
    posts = serializers.SlugRelatedField(slug_field="name", many=True, read_only=True)
    requirement_set = serializers.PrimaryKeyRelatedField(read_only=True)

    class Meta:
        model = Question
        fields = ["id", "requirement_set", "section", "code", "marking", "text", "sentences", "status", "retired",
                  "posts", "paragraph_number", "origin", "edited"]
        read_only_fields = ["id", "requirement_set", "section", "status", "posts", "paragraph_number", "origin",
                            "edited"]

    def update(self, question, validated_data):
        user = self.context["request"].user
        try:
            if "retired" in validated_data:
                requirements.retire_question(question, user, retired=validated_data.pop("retired"))
            if validated_data:
                requirements.edit_question(question, user, **validated_data)
        except RequirementError as error:
            raise ValidationError({"detail": str(error)}) from error
        return question


class SectionSerializer(serializers.ModelSerializer):
    questions = QuestionSerializer(many=True, read_only=True)
    posts = serializers.SlugRelatedField(slug_field="name", many=True, read_only=True)

    class Meta:
        model = Section
        fields = ["letter", "audience", "posts", "questions"]


class RequirementSetListSerializer(serializers.ModelSerializer):
    tasking_cable = serializers.SlugRelatedField(slug_field="reference_id", read_only=True)
    addressed_posts = serializers.SlugRelatedField(slug_field="name", many=True, read_only=True)

    class Meta:
        model = RequirementSet
        fields = ["id", "title", "collection_reference", "tasking_cable", "tasked", "issuer", "classifier", "status",
                  "priority", "due", "addressed_posts"]
        read_only_fields = ["id", "collection_reference", "tasking_cable", "tasked", "issuer", "classifier",
                            "addressed_posts"]

    def update(self, requirement_set, validated_data):
        requirements.edit_set(requirement_set, self.context["request"].user, **validated_data)
        return requirement_set


class RequirementSetSerializer(RequirementSetListSerializer):
    sections = SectionSerializer(many=True, read_only=True)

    class Meta(RequirementSetListSerializer.Meta):
        fields = RequirementSetListSerializer.Meta.fields + ["sections"]


class CreateFromCableSerializer(serializers.Serializer):
    tasking_cable = serializers.CharField(help_text="Reference ID of the tasking cable, e.g. 09STATE6423")


class RequirementSetViewSet(mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet):
    filterset_class = RequirementSetFilter
    permission_classes = [permissions.IsAuthenticated, ModelPermissions]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        user = self.request.user
        queryset = RequirementSet.objects.visible_to(user).select_related("tasking_cable").prefetch_related(
            "addressed_posts")
        if self.action == "retrieve":
            questions = Question.objects.visible_to(user).select_related("section").prefetch_related("posts")
            queryset = queryset.prefetch_related(
                Prefetch("sections", queryset=Section.objects.prefetch_related(
                    "posts", Prefetch("questions", queryset=questions))))
        return queryset

    def get_serializer_class(self):
        if self.action == "create":
            return CreateFromCableSerializer
        return RequirementSetSerializer if self.action == "retrieve" else RequirementSetListSerializer

    def create(self, request, *args, **kwargs):
        serializer = CreateFromCableSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        reference_id = serializer.validated_data["tasking_cable"].strip().upper()
        cable = get_object_or_404(Cable.objects.visible_to(request.user), reference_id=reference_id)
        try:
            requirement_set = requirements.create_set(cable, request.user)
        except RequirementError as error:
            raise ValidationError({"tasking_cable": [str(error)]}) from error
        self.action = "retrieve"  # the whole set, through the same visibility rules as a GET
        data = RequirementSetSerializer(self.get_queryset().get(pk=requirement_set.pk),
                                        context=self.get_serializer_context()).data
        return Response(data, status=status.HTTP_201_CREATED)


class QuestionViewSet(mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = QuestionSerializer
    filterset_class = QuestionFilter
    permission_classes = [permissions.IsAuthenticated, ModelPermissions]
    http_method_names = ["get", "patch", "head", "options"]

    def get_queryset(self):
        return Question.objects.visible_to(self.request.user).select_related("section").prefetch_related("posts")
