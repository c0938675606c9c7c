"""Requirement-set and question filters, shared by the pages and the API."""
import django_filters
from django import forms
from django.db.models import Exists, F, OuterRef, Q
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from cables.markings import may_see
from tracker.models import Post, Question, RequirementSet, Response, Section
from tracker.posts import covers, is_collective

YES_NO = forms.Select(choices=[("", "any"), ("true", "yes"), ("false", "no")])


class YesNoField(forms.NullBooleanField):
    """Yes, no or unset ("any"). Anything else is an error naming the value, not left out unsaid: a filter
    that silently matched everything would be an export of everything."""

    TRUE, FALSE = {"true", "yes", "1", "on"}, {"false", "no", "0", "off"}

    def to_python(self, value):
        if value in (None, "") or isinstance(value, bool):
            return value if isinstance(value, bool) else None
        text = str(value).strip().lower()
        if text in self.TRUE | self.FALSE:
            return text in self.TRUE
        raise forms.ValidationError(f"“{value}” is neither yes nor no: use true or false", code="invalid")

    def validate(self, value):
        pass


class YesNoFilter(django_filters.BooleanFilter):
    field_class = YesNoField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", YES_NO)
        super().__init__(*args, **kwargs)


class RequirementSetFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=RequirementSet.STATUS_CHOICES)
    priority = django_filters.ChoiceFilter(choices=RequirementSet.PRIORITY_CHOICES)
    origin = django_filters.CharFilter(field_name="tasking_cable__origin", lookup_expr="iexact", label="Origin")
    tasked_after = django_filters.DateFilter(field_name="tasked", lookup_expr="date__gte", label="Tasked on or after")
    tasked_before = django_filters.DateFilter(field_name="tasked", lookup_expr="date__lte",
                                              label="Tasked on or before")
    collection_reference = django_filters.CharFilter(lookup_expr="iexact", label="Collection reference")
    mine = YesNoFilter(method="filter_mine", label="My sets")

    class Meta:
        model = RequirementSet
        fields = ["status", "priority", "origin", "tasked_after", "tasked_before", "collection_reference", "mine"]

    def filter_mine(self, queryset, name, value):
        """The sets the user follows (yes) or does not (no)."""
        return _mine(self.request, queryset, "owner", value)


def _mine(request, queryset, field: str, value: bool):
    """The sets (or their questions) the user owns, or not; no user owns none."""
    if request is None or not request.user.is_authenticated:
        return queryset.none() if value else queryset
    return queryset.filter(**{field: request.user}) if value else queryset.exclude(**{field: request.user})


class EmptyLastOrdering(django_filters.OrderingFilter):
    """Sorting either way with the empty values last (no response yet, no due date), on every database:
    SQLite puts NULL first going up, PostgreSQL last."""

    def get_ordering_value(self, param):
        value = super().get_ordering_value(param)
        name = value.lstrip("-")
        return F(name).desc(nulls_last=True) if value.startswith("-") else F(name).asc(nulls_last=True)


class QuestionFilter(django_filters.FilterSet):
    requirement_set = django_filters.NumberFilter(field_name="requirement_set_id", label="Requirement set")
    section = django_filters.CharFilter(field_name="section__letter", label="Section letter")
    marking = django_filters.CharFilter(lookup_expr="iexact")
    retired = YesNoFilter()
    status = django_filters.ChoiceFilter(
        choices=[(s, s) for s in ("answered", "partly", "unanswered", "retired")], field_name="derived_status",
        label="Status (needs a queryset annotated with_status)")

    class Meta:
        model = Question
        fields = ["requirement_set", "section", "marking", "retired", "status"]




def _visible_sets(request):
    if request is None:
        return RequirementSet.objects.none()
    return RequirementSet.objects.visible_to(request.user).select_related("tasking_cable").order_by("title")


def _withheld_headings(user) -> list[str]:
    """The section headings' markings beyond the user's clearance: the posts read from those headings are not
    known to them (Section.posts_for, Question.posts_for). One query."""
    headings = (Section.objects.order_by().exclude(marking="").values_list("marking")
                .union(Question.objects.order_by().exclude(posts_marking="").values_list("posts_marking"))
                .order_by())
    return [marking for (marking,) in headings if user is None or not may_see(user, marking)]


def _visible_posts(request):
    """The posts named by what the user may see: the sets' addressees, their sections' posts, the
    visible questions' own posts and the posts of visible responses (a member of an addressed collective).
    A post named only in a hidden set, question or response is not offered."""
    if request is None:
        return Post.objects.none()
    sets = RequirementSet.objects.visible_to(request.user).values("pk")
    withheld = _withheld_headings(request.user)
    named = (Q(pk__in=RequirementSet.addressed_posts.through.objects.filter(requirementset_id__in=sets)
                .values("post_id"))
             | Q(pk__in=Section.posts.through.objects.filter(section__requirement_set_id__in=sets)
                 .exclude(section__marking__in=withheld).values("post_id"))
             | Q(pk__in=Question.posts.through.objects.filter(
                 question_id__in=Question.objects.visible_to(request.user).values("pk"))
                 .exclude(question__posts_marking__in=withheld).values("post_id"))
             | Q(pk__in=Response.objects.visible_to(request.user).values("post_id")))  # members of collectives
    return Post.objects.filter(named).order_by("name")


class DashboardFilter(QuestionFilter):
    """The unanswered-requirements dashboard's filters, also served by `GET /api/questions/`. `status`
    takes `open` (unanswered or partly) besides the four statuses; the page defaults to it."""

    STATUS_CHOICES = [("open", "open (unanswered or partly)"), ("unanswered", "unanswered"),
                      ("partly", "partly"), ("answered", "answered"), ("retired", "retired"), ("any", "any status")]
    MAX_WORDS = 10

    q = django_filters.CharFilter(method="filter_words", label="Words",
                                  help_text="Of the question, its code, its set's title or collection reference")
    mine = YesNoFilter(method="filter_mine", label="My sets",
                       help_text="The sets you follow")
    requirement_set = django_filters.ModelChoiceFilter(queryset=_visible_sets, label="Set")
    status = django_filters.ChoiceFilter(choices=STATUS_CHOICES, method="filter_status", label="Status")
    section = django_filters.CharFilter(field_name="section__letter", lookup_expr="iexact", label="Section")
    marking = django_filters.ChoiceFilter(choices=[], lookup_expr="iexact", label="Marking")
    post = django_filters.ModelChoiceFilter(queryset=_visible_posts, to_field_name="key",
                                            method="filter_post", label="Addressed to post")
    priority = django_filters.ChoiceFilter(field_name="requirement_set__priority",
                                           choices=RequirementSet.PRIORITY_CHOICES, label="Priority")
    overdue = YesNoFilter(method="filter_overdue", label="Overdue")
    tasked_after = django_filters.DateFilter(field_name="requirement_set__tasked", lookup_expr="date__gte",
                                             label="Tasked on or after")
    tasked_before = django_filters.DateFilter(field_name="requirement_set__tasked", lookup_expr="date__lte",
                                              label="Tasked on or before")
    tag = django_filters.CharFilter(field_name="requirement_set__tasking_cable__tags__name", lookup_expr="iexact",
                                    label="Tag (of the tasking cable)")
    retired = YesNoFilter()
    to_review = YesNoFilter(method="filter_to_review", label="Responses to review")
    sort = EmptyLastOrdering(
        fields=[("requirement_set__title", "set"), ("code", "code"), ("marking", "marking"),
                ("priority_rank", "priority"), ("requirement_set__due", "due"), ("requirement_set__tasked", "tasked"),
                ("response_count", "responses"), ("last_response", "last_response"), ("derived_status", "status")],
        label="Sort by")

    class Meta:
        model = Question
        fields = ["requirement_set", "section", "marking", "post", "priority", "overdue", "tasked_after",
                  "tasked_before", "tag", "status", "retired", "to_review"]

    def __init__(self, data=None, *args, **kwargs):
        super().__init__(data, *args, **kwargs)
        # the words first, as on the cable list, then the analyst's own sets
        self.filters = {"q": self.filters.pop("q"), "mine": self.filters.pop("mine"), **self.filters}
        markings = (Question.objects.visible_to(self.request.user) if self.request else Question.objects.none())
        marking = self.filters["marking"]
        marking.extra["choices"] = [
            (m, m) for m in markings.order_by("marking").values_list("marking", flat=True).distinct() if m]
        # A field built before (the API schema builds the class's own, without a request, with no choices) is
        # copied with the filter: built again, it takes this user's.
        marking.__dict__.pop("_field", None)

    def filter_mine(self, queryset, name, value):
        return _mine(self.request, queryset, "requirement_set__owner", value)

    def filter_words(self, queryset, name, value):
        """Questions holding every word (any case), each in the question's text, its code, or its set's title or
        collection reference: what an analyst remembers of a requirement ("hezbollah finance", "C-AL8-02836")."""
        for word in value.split()[:self.MAX_WORDS]:
            queryset = queryset.filter(Q(text__icontains=word) | Q(code__iexact=word)
                                       | Q(requirement_set__title__icontains=word)
                                       | Q(requirement_set__collection_reference__iexact=word))
        return queryset

    def filter_status(self, queryset, name, value):
        if value == "open":
            return queryset.filter(derived_status__in=["unanswered", "partly"])
        if value == "any":
            return queryset
        return queryset.filter(derived_status=value)

    def filter_to_review(self, queryset, name, value):
        """Questions with (yes) or without (no) a current response waiting for review (flagged when the
        question was reworded, split or merged), among the responses the user may see."""
        if self.request is None:
            return queryset.none()
        waiting = Exists(Response.objects.visible_to(self.request.user).current()
                         .filter(to_review=True, question_id=OuterRef("pk")))
        return queryset.filter(waiting) if value else queryset.exclude(waiting)

    def filter_overdue(self, queryset, name, value):
        overdue = Q(requirement_set__due__lt=timezone.localdate(), requirement_set__status=RequirementSet.ACTIVE)
        return queryset.filter(overdue) if value else queryset.exclude(overdue)

    @extend_schema_field(OpenApiTypes.STR)  # the post's key, e.g. MOSCOW
    def filter_post(self, queryset, name, post):
        """Questions addressed to the post: by their own posts, else their section's, else their set's; the
        post itself or a collective it belongs to ("ALL DIPLOMATIC AND CONSULAR POSTS COLLECTIVE")."""
        groups = [pk for pk, group in Post.objects.values_list("pk", "name") if is_collective(group)
                  and covers(group, post.name)]
        post = [post.pk, *groups]
        own = Question.posts.through.objects.filter(question_id=OuterRef("pk"))
        section = Section.posts.through.objects.filter(section_id=OuterRef("section_id"))
        whole_set = RequirementSet.addressed_posts.through.objects.filter(
            requirementset_id=OuterRef("requirement_set_id"))
        own_known, section_known = Q(Exists(own)), Q(Exists(section))
        # posts read from a heading withheld from the user are not known, and not guessed from the next in line
        # either (as reports.addressed_posts)
        withheld = _withheld_headings(getattr(self.request, "user", None))
        readable_own = ~Q(posts_marking__in=withheld) if withheld else Q()
        readable_section = ~Q(section__marking__in=withheld) if withheld else Q()
        return queryset.filter(
            own_known & readable_own & Q(Exists(own.filter(post__in=post)))
            | ~own_known & section_known & readable_section & Q(Exists(section.filter(post__in=post)))
            | ~own_known & ~section_known & Q(Exists(whole_set.filter(post__in=post)))
        )
