"""The requirements side of a cable's page: the set it is the tasking cable of (or the way to make one),
the sets it cites, its responses and the suggestions for it. An inclusion tag, so the cables app shows it
without importing the requirements domain."""
from django import template
from django.utils.html import format_html

from cables.models import Cable
from tracker.models import Citation, RequirementSet, Response, Suggestion, TaskingCandidate

register = template.Library()


@register.inclusion_tag("cables/_requirements.html", takes_context=True)
def cable_links(context, cable):
    """The cable's place among the requirement sets (cables/_requirements.html): the set it is the tasking
    cable of, or for a cable flagged as tasking the button that makes one; the cited tasking cables that
    are in the store without a set yet; then its citations, responses and suggestions
    (tracker/_cable_links.html)."""
    request = context["request"]
    user = request.user
    perms = context.get("perms")
    tasking_set = RequirementSet.objects.visible_to(user).filter(tasking_cable=cable).first()
    candidate = tasking_set is None and TaskingCandidate.objects.filter(cable=cable).exists()
    # a set the user may not see does not exist for them: its citation shows as one of a reference with no
    # set (waiting, for a collection reference), as the cable's own text would have it
    citations = list(Citation.objects.filter(cable=cable).select_related("requirement_set"))
    cited_sets = {c.requirement_set_id for c in citations if c.requirement_set_id}
    visible_sets = set(RequirementSet.objects.visible_to(user).filter(pk__in=cited_sets).values_list(
        "pk", flat=True)) if cited_sets else set()
    for citation in citations:
        if citation.requirement_set_id not in visible_sets:
            citation.requirement_set = None
    # a cited tasking cable without a set that is in the store already (and the user may see) is named as
    # such, linked; one not in the store, or not visible to the user, is waiting
    unattached = {c.reference.upper() for c in citations if c.requirement_set_id is None}
    in_store = {found.reference_id: found for found in Cable.objects.visible_to(user).filter(
        reference_id__in=unattached).only("reference_id", "classification")} if unattached else {}
    arrived = [(c.reference, in_store[c.reference.upper()]) for c in citations
               if c.requirement_set_id is None and c.reference.upper() in in_store]
    responses = Response.objects.visible_to(user).with_paragraphs(user).filter(cable=cable).select_related(
        "question__requirement_set")
    suggestions = Suggestion.objects.visible_to(user).filter(cable=cable, state=Suggestion.OPEN).still_open(
    ).not_linked().select_related("question__requirement_set")[:30]
    return {
        "cable": cable,
        "request": request,
        "perms": perms,
        "tasking_set": tasking_set,
        "candidate": candidate,
        "arrived": arrived,
        "citations": [c for c in citations if c.requirement_set_id or c.reference.upper() not in in_store],
        "responses": responses,
        "suggestions": suggestions,
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
