"""The requirements API: `/api/requirement-sets/` (list, one set with its sections and questions; create
from a tasking cable, edit the set's fields), `/api/questions/` (list, one, edit), `/api/responses/` (log,
read, edit, retract) and `/api/suggestions/` (read, accept, reject, restore). Reads follow
`visible_to`; writes need the analyst's model permissions and go through tracker.requirements, so each
is recorded like a change made on the pages."""
import django_filters
from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Prefetch
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework.response import Response as Response_

from cables.models import Cable
from tracker import dashboard, reports, requirements, responses
from tracker.filters import DashboardFilter, RequirementSetFilter
from tracker.models import Question, RequirementSet, Response, Section, Suggestion
from tracker.requirements import RequirementError
from tracker.responses import ResponseError


class ModelPermissions(permissions.DjangoModelPermissions):
    """Reads for every signed-in user (visibility is the queryset's business); writes by model permission."""

    perms_map = permissions.DjangoModelPermissions.perms_map | {"GET": [], "HEAD": [], "OPTIONS": []}


class DecisionPermissions(ModelPermissions):
    """Accepting or rejecting a suggestion (a POST) changes it: the change permission, not the add one."""

    perms_map = ModelPermissions.perms_map | {"POST": ["%(app_label)s.change_%(model_name)s"]}


class QuestionSerializer(serializers.ModelSerializer):
    status = serializers.CharField(read_only=True)
    sentences = serializers.ListField(child=serializers.CharField(), required=False,
                                      help_text="The question's sentences, each a non-empty string")
    section = serializers.CharField(source="section.letter", read_only=True, default="")
    posts = serializers.SerializerMethodField()
    requirement_set = serializers.PrimaryKeyRelatedField(read_only=True)

    def get_posts(self, question) -> list[str]:
        return [post.name for post in question.posts_for(self.context["request"].user)]

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
        except RequirementError as error:  # keyed by the field at fault, as the serializer's own errors are
            raise ValidationError({error.field: [str(error)]} if error.field else {"detail": str(error)}) from error
        # read again as the list reads it, for this user: its status and counts from the responses they may
        # see (the model's own status would count every response)
        question = dashboard.questions(user, active_only=False).get(pk=question.pk)
        dashboard.with_posts([question], user)
        return question


class SectionSerializer(serializers.ModelSerializer):
    questions = QuestionSerializer(many=True, read_only=True)
    posts = serializers.SerializerMethodField()
    audience = serializers.SerializerMethodField()

    def get_audience(self, section) -> str:
        return section.audience_for(self.context["request"].user)

    def get_posts(self, section) -> list[str]:
        return [post.name for post in section.posts_for(self.context["request"].user)]

    class Meta:
        model = Section
        fields = ["letter", "audience", "posts", "questions"]


class OwnerField(serializers.SlugRelatedField):
    """A set's owner by username; an unknown name is refused in the words of one who may not follow the set, so
    that the answer tells no one which usernames exist."""

    def to_internal_value(self, data):
        try:
            return super().to_internal_value(data)
        except ValidationError as error:
            raise ValidationError(requirements.not_an_owner(str(data))) from error


class RequirementSetListSerializer(serializers.ModelSerializer):
    tasking_cable = serializers.SlugRelatedField(slug_field="reference_id", read_only=True)
    addressed_posts = serializers.SlugRelatedField(slug_field="name", many=True, read_only=True)
    owner = OwnerField(slug_field="username", queryset=get_user_model().objects.filter(is_active=True),
                       allow_null=True, required=False, style={"base_template": "input.html"},
                       help_text="Username of the analyst who follows the set")

    class Meta:
        model = RequirementSet
        fields = ["id", "title", "collection_reference", "tasking_cable", "tasked", "issuer", "classifier", "status",
                  "priority", "due", "owner", "addressed_posts"]
        read_only_fields = ["id", "collection_reference", "tasking_cable", "tasked", "issuer", "classifier",
                            "addressed_posts"]

    def update(self, requirement_set, validated_data):
        try:
            requirements.edit_set(requirement_set, self.context["request"].user, **validated_data)
        except RequirementError as error:
            raise ValidationError({"owner": [str(error)]}) from error
        return requirement_set


class RequirementSetSerializer(RequirementSetListSerializer):
    sections = SectionSerializer(many=True, read_only=True)
    questions = QuestionSerializer(many=True, read_only=True, source="questions_outside",
                                   help_text="The questions in no section (those in one are under `sections`).")

    class Meta(RequirementSetListSerializer.Meta):
        fields = RequirementSetListSerializer.Meta.fields + ["sections", "questions"]


class CreateFromCableSerializer(serializers.Serializer):
    tasking_cable = serializers.CharField(help_text="Reference ID of the tasking cable, e.g. 09STATE6423")


class RequirementSetViewSet(mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet):
    filterset_class = RequirementSetFilter
    permission_classes = [permissions.IsAuthenticated, ModelPermissions]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        user = self.request.user
        queryset = RequirementSet.objects.visible_to(user).select_related("tasking_cable", "owner").prefetch_related(
            "addressed_posts")
        if self.action == "retrieve":
            questions = Question.objects.visible_to(user).with_status(user).select_related("section").prefetch_related(
                "posts")
            queryset = queryset.prefetch_related(
                Prefetch("sections", queryset=Section.objects.prefetch_related(
                    "posts", Prefetch("questions", queryset=questions))),
                Prefetch("questions", queryset=questions.filter(section=None), to_attr="questions_outside"))
        return queryset

    @extend_schema(responses=OpenApiTypes.OBJECT)
    @action(detail=True, serializer_class=serializers.Serializer)
    def coverage(self, request, pk=None):
        """`questions`, `answered`, `partly`, `unanswered`, `retired`, `prior_reporting`, `withheld`,
        `by_section` and `by_post` (addressed posts first; `responses` 0 for a post that never answered)."""
        return Response_(reports.coverage(self.get_object(), request.user))

    def get_serializer_class(self):
        if self.action == "create":
            return CreateFromCableSerializer
        return RequirementSetSerializer if self.action == "retrieve" else RequirementSetListSerializer

    @extend_schema(request=CreateFromCableSerializer, responses={201: RequirementSetSerializer})
    def create(self, request, *args, **kwargs):
        serializer = CreateFromCableSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        reference_id = serializer.validated_data["tasking_cable"].strip().upper()
        cable = Cable.objects.visible_to(request.user).filter(reference_id=reference_id).first()
        if cable is None:  # a field error, as for the other fields (and the same for a cable the user may not see)
            raise ValidationError({"tasking_cable": [f"No cable {reference_id} in the store"]})
        try:
            requirement_set = requirements.create_set(cable, request.user)
        except RequirementError as error:
            raise ValidationError({"tasking_cable": [str(error)]}) from error
        self.action = "retrieve"  # the whole set, through the same visibility rules as a GET
        data = RequirementSetSerializer(self.get_queryset().get(pk=requirement_set.pk),
                                        context=self.get_serializer_context()).data
        return Response_(data, status=status.HTTP_201_CREATED)


class ListedQuestionSerializer(QuestionSerializer):
    """A question as the dashboard lists it: with its set's priority and due date, how long since the
    tasking, its responses, and the addressed posts still silent on it."""

    requirement_set_title = serializers.CharField(source="requirement_set.title", read_only=True)
    tasking_cable = serializers.CharField(source="requirement_set.tasking_cable.reference_id", read_only=True)
    priority = serializers.CharField(source="requirement_set.priority", read_only=True)
    due = serializers.DateField(source="requirement_set.due", read_only=True)
    tasked = serializers.DateTimeField(source="requirement_set.tasked", read_only=True)
    overdue = serializers.SerializerMethodField()
    response_count = serializers.IntegerField(read_only=True, default=0)
    last_response = serializers.DateTimeField(read_only=True, default=None, allow_null=True)
    prior_only = serializers.BooleanField(read_only=True, default=False)
    days_since_tasking = serializers.SerializerMethodField()
    addressed_posts = serializers.SerializerMethodField()
    silent_posts = serializers.SerializerMethodField()
    responses_to_review = serializers.SerializerMethodField()

    class Meta(QuestionSerializer.Meta):
        fields = QuestionSerializer.Meta.fields + [
            "requirement_set_title", "tasking_cable", "priority", "due", "overdue", "tasked", "days_since_tasking",
            "response_count", "last_response", "prior_only", "addressed_posts", "silent_posts", "responses_to_review"]

    def get_overdue(self, question) -> bool:
        return bool(getattr(question, "overdue", False))

    def get_days_since_tasking(self, question) -> int | None:
        return getattr(question, "days_since_tasking", None)

    def get_addressed_posts(self, question) -> list[str]:
        return getattr(question, "addressed", [])

    def get_silent_posts(self, question) -> list[str]:
        return getattr(question, "silent", [])

    def get_responses_to_review(self, question) -> int:
        return getattr(question, "to_review", 0)


class QuestionViewSet(mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Questions with the dashboard's filters (`status=open` for unanswered or partly, `post`, `priority`,
    `overdue`, `tasked_after`, `tasked_before`, `tag`, `to_review`, `sort`) and its columns. Closed sets are
    included."""

    serializer_class = ListedQuestionSerializer
    filterset_class = DashboardFilter
    permission_classes = [permissions.IsAuthenticated, ModelPermissions]
    http_method_names = ["get", "patch", "head", "options"]

    def get_queryset(self):
        return dashboard.questions(self.request.user, active_only=False).prefetch_related("posts")

    def paginate_queryset(self, queryset):
        """A page of ids from the narrow, filtered query; then the wide rows of that page alone."""
        if self.action != "list":
            return super().paginate_queryset(queryset)
        ids = super().paginate_queryset(queryset.values_list("pk", flat=True))
        return dashboard.load(list(ids), self.request.user) if ids is not None else None

    def get_object(self):
        question = super().get_object()
        dashboard.with_posts([question], self.request.user)
        return question


# ----------------------------------------------------------------------------- responses and suggestions


class ResponseSerializer(serializers.ModelSerializer):
    question = serializers.PrimaryKeyRelatedField(queryset=Question.objects.none())
    cable = serializers.CharField(help_text="Reference ID of the responding cable")
    paragraphs = serializers.ListField(child=serializers.CharField(), source="paragraph_numbers", required=False,
                                       help_text="Paragraph numbers: ['3', 'A.1']")
    assessment = serializers.CharField(help_text="answers, partly or context")
    confidence = serializers.CharField(required=False, help_text="low, medium or high; left out: medium for a new"
                                       " response, unchanged for one this cable already gives the question")
    post = serializers.SlugRelatedField(slug_field="name", read_only=True)
    created_by = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = Response
        fields = ["id", "question", "cable", "paragraphs", "assessment", "confidence", "note", "post",
                  "prior_reporting", "to_review", "retracted", "origin", "created_by", "created"]
        read_only_fields = ["id", "post", "prior_reporting", "to_review", "retracted", "origin", "created_by",
                            "created"]
        # Logging a cable against a question it already answers updates that response (responses.log), as
        # the page does: not a uniqueness error.
        validators: list = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["question"].queryset = Question.objects.visible_to(request.user)

    def to_representation(self, response):
        data = super().to_representation(response)
        data["cable"] = response.cable.reference_id
        return data

    def validate_cable(self, value):
        cable = Cable.objects.visible_to(self.context["request"].user).filter(reference_id=value.strip().upper()).first()
        if cable is None:
            raise serializers.ValidationError(f"No cable {value} in the store")
        return cable

    def create(self, validated_data):
        try:
            return responses.log(self.context["request"].user, validated_data["cable"], [validated_data["question"]],
                                 validated_data.get("paragraph_numbers", []), validated_data["assessment"],
                                 validated_data.get("confidence", Response.MEDIUM), validated_data.get("note", ""),
                                 keep=() if "confidence" in validated_data else ("confidence",),
                                 downgrade=False)[0]  # a lower value is kept: PATCH the response to lower it
        except ResponseError as error:
            raise ValidationError({error.field: [str(error)]}) from error

    def update(self, response, validated_data):
        try:
            return responses.edit(response, self.context["request"].user,
                                  assessment=validated_data.get("assessment"),
                                  confidence=validated_data.get("confidence"), note=validated_data.get("note"),
                                  paragraph_numbers=validated_data.get("paragraph_numbers"))
        except ResponseError as error:
            raise ValidationError({error.field: [str(error)]}) from error


MAX_ID = 2**63 - 1  # a database's largest key


@extend_schema_field(OpenApiTypes.INT)
class IdFilter(django_filters.NumberFilter):
    """A row's id: a whole number a key can hold; a longer one (20 digits) is answered 400, naming the filter."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        super().__init__(*args, min_value=1, max_value=MAX_ID, **kwargs)


class ResponseFilter(django_filters.FilterSet):
    question = IdFilter(field_name="question_id")
    cable = django_filters.CharFilter(field_name="cable__reference_id", lookup_expr="iexact")
    post = django_filters.CharFilter(method="filter_post", label="Post (name or any spelling)")
    assessment = django_filters.ChoiceFilter(choices=Response.ASSESSMENT_CHOICES)
    retracted = django_filters.BooleanFilter()

    class Meta:
        model = Response
        fields = ["question", "cable", "post", "assessment", "retracted"]

    def filter_post(self, queryset, name, value):
        from tracker.posts import post_key

        return queryset.filter(post__key=post_key(value))


class ResponseViewSet(mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Responses: log (POST), read, edit (PATCH); `POST .../retract/` retracts (kept, never deleted)."""

    serializer_class = ResponseSerializer
    filterset_class = ResponseFilter
    permission_classes = [permissions.IsAuthenticated, ModelPermissions]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        return Response.objects.visible_to(self.request.user).select_related("cable", "post", "created_by")

    def create(self, request, *args, **kwargs):
        """201 for a new response; 200 where the cable's current response to the question took it in (its
        paragraphs added, its note appended), as a PATCH would answer."""
        answer = super().create(request, *args, **kwargs)
        if getattr(self, "added_to_existing", False):
            answer.status_code = status.HTTP_200_OK
        return answer

    def perform_create(self, serializer):
        given = serializer.validated_data
        self.added_to_existing = Response.objects.current().filter(question=given["question"],
                                                                   cable=given["cable"]).exists()
        serializer.save()

    @extend_schema(request=None, responses=ResponseSerializer)
    @action(detail=True, methods=["post"])
    def retract(self, request, pk=None):
        response = self.get_object()
        responses.retract(response, request.user)
        response.refresh_from_db()
        return Response_(self.get_serializer(response).data)


class SuggestionSerializer(serializers.ModelSerializer):
    question_code = serializers.CharField(source="question.code", read_only=True)
    cable = serializers.SlugRelatedField(slug_field="reference_id", read_only=True)
    paragraph = serializers.CharField(source="paragraph_number", read_only=True)

    class Meta:
        model = Suggestion
        fields = ["id", "question", "question_code", "cable", "paragraph", "score", "evidence", "cited", "state",
                  "decided", "decision_note"]
        read_only_fields = fields


class SuggestionFilter(django_filters.FilterSet):
    question = IdFilter(field_name="question_id")
    cable = django_filters.CharFilter(field_name="cable__reference_id", lookup_expr="iexact")
    state = django_filters.ChoiceFilter(choices=Suggestion.STATE_CHOICES)

    class Meta:
        model = Suggestion
        fields = ["question", "cable", "state"]


class DecideSerializer(serializers.Serializer):
    # Left out: "answers" and "medium" for a new response; unchanged where the cable already answers.
    assessment = serializers.ChoiceField(choices=Response.ASSESSMENT_CHOICES, required=False)
    confidence = serializers.ChoiceField(choices=Response.CONFIDENCE_CHOICES, required=False)
    note = serializers.CharField(required=False, allow_blank=True, default="")


class RejectSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, default="", help_text="Why it is rejected")


class RestoreSerializer(serializers.Serializer):
    """Restoring takes no input."""


class SuggestionViewSet(viewsets.ReadOnlyModelViewSet):
    """Suggestions, best first; `POST .../accept/` makes one a response, `POST .../reject/` buries it (`note`:
    why), `POST .../restore/` opens a rejected one again."""

    serializer_class = SuggestionSerializer
    filterset_class = SuggestionFilter
    permission_classes = [permissions.IsAuthenticated, DecisionPermissions]

    def get_queryset(self):
        return (Suggestion.objects.visible_to(self.request.user).still_open().select_related("question", "cable")
                .order_by("-score", "pk"))

    @extend_schema(request=DecideSerializer, responses={201: ResponseSerializer})
    @action(detail=True, methods=["post"], serializer_class=DecideSerializer)
    def accept(self, request, pk=None):
        suggestion = self.get_object()
        if not request.user.has_perm("tracker.add_response"):
            raise PermissionDenied("You may not log responses")
        decision = DecideSerializer(data=request.data)
        decision.is_valid(raise_exception=True)
        try:
            given = decision.validated_data
            response = responses.accept(
                suggestion, request.user, given.get("assessment", Response.ANSWERS),
                given.get("confidence", Response.MEDIUM), given.get("note", ""),
                keep=[name for name in ("assessment", "confidence") if name not in given])
        except ResponseError as error:
            raise ValidationError({error.field: [str(error)]}) from error
        return Response_(ResponseSerializer(response, context=self.get_serializer_context()).data,
                         status=status.HTTP_201_CREATED)

    @extend_schema(request=RejectSerializer, responses=SuggestionSerializer)
    @action(detail=True, methods=["post"], serializer_class=RejectSerializer)
    def reject(self, request, pk=None):
        suggestion = self.get_object()
        given = RejectSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        try:
            responses.reject(suggestion, request.user, given.validated_data["note"])
        except ResponseError as error:
            raise ValidationError({error.field: [str(error)]}) from error
        suggestion.refresh_from_db()
        return Response_(SuggestionSerializer(suggestion).data)

    @extend_schema(request=None, responses=SuggestionSerializer)
    @action(detail=True, methods=["post"], serializer_class=RestoreSerializer)
    def restore(self, request, pk=None):
        suggestion = self.get_object()
        try:
            responses.restore_suggestion(suggestion, request.user)
        except ResponseError as error:
            raise ValidationError({error.field: [str(error)]}) from error
        suggestion.refresh_from_db()
        return Response_(SuggestionSerializer(suggestion).data)
