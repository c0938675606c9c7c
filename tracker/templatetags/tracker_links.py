"""The requirements side of a cable's page: the sets it cites, its responses and the suggestions for it.
An inclusion tag, so the cables app shows it without importing the requirements domain."""
from django import template
from django.db.models import Q
from django.utils.html import format_html

from tracker.models import Citation, RequirementSet, Response, Suggestion

register = template.Library()


@register.inclusion_tag("tracker/_cable_links.html", takes_context=True)
def cable_links(context, cable):
    request = context["request"]
    user = request.user
    return {
        "cable": cable,
        "request": request,
        "perms": context.get("perms"),
        # a set the user may not see does not exist for them: its citation is left out, not shown as waiting
        "citations": Citation.objects.filter(cable=cable).filter(
            Q(requirement_set__isnull=True) | Q(requirement_set__in=RequirementSet.objects.visible_to(user))
        ).select_related("requirement_set"),
        "responses": Response.objects.visible_to(user).with_paragraphs(user).filter(cable=cable).select_related(
            "question__requirement_set"),
        "suggestions": Suggestion.objects.visible_to(user).filter(cable=cable, state=Suggestion.OPEN).select_related(
            "question__requirement_set")[:30],
        "assessments": Response.ASSESSMENT_CHOICES,
    }


@register.simple_tag(takes_context=True)
def sort_header(context, label: str, key: str):
    """A column header that sorts the page by `key`; clicked again it sorts the other way. The arrow shows
    the current order."""
    current = context.get("sort", "")
    descending = current == key
    target = f"-{key}" if descending else key
    arrow = " ▲" if current == key else " ▼" if current == f"-{key}" else ""
    query = context.get("sort_query", "")
    href = f"?{query}&sort={target}" if query else f"?sort={target}"
    return format_html('<a class="sort" href="{}">{}{}</a>', href, label, arrow)
