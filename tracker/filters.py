"""Requirement-set and question filters, shared by the pages and the API."""
import django_filters

from tracker.models import Question, RequirementSet


class RequirementSetFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=RequirementSet.STATUS_CHOICES)
    priority = django_filters.ChoiceFilter(choices=RequirementSet.PRIORITY_CHOICES)
    origin = django_filters.CharFilter(field_name="tasking_cable__origin", lookup_expr="iexact", label="Origin")
    tasked_after = django_filters.DateFilter(field_name="tasked", lookup_expr="date__gte", label="Tasked on or after")
    tasked_before = django_filters.DateFilter(field_name="tasked", lookup_expr="date__lte",
                                              label="Tasked on or before")
    collection_reference = django_filters.CharFilter(lookup_expr="iexact", label="Collection reference")

    class Meta:
        model = RequirementSet
        fields = ["status", "priority", "origin", "tasked_after", "tasked_before", "collection_reference"]


class QuestionFilter(django_filters.FilterSet):
    requirement_set = django_filters.NumberFilter(field_name="requirement_set_id", label="Requirement set")
    section = django_filters.CharFilter(field_name="section__letter", label="Section letter")
    marking = django_filters.CharFilter(lookup_expr="iexact")
    retired = django_filters.BooleanFilter()
    status = django_filters.ChoiceFilter(
        choices=[(s, s) for s in ("answered", "partly", "unanswered", "retired")], field_name="derived_status",
        label="Status (needs a queryset annotated with_status)")

    class Meta:
        model = Question
        fields = ["requirement_set", "section", "marking", "retired", "status"]
