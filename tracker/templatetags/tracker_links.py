"""Template tags of the requirements pages."""
from django import template
from django.utils.html import format_html

register = template.Library()


@register.simple_tag(takes_context=True)
def sort_header(context, label: str, key: str, inverse: bool = False):
    """A column header that sorts the page by `key`; clicked again it sorts the other way. The arrow shows
    the current order. `inverse`: the column shows what runs against its key (days since tasking, sorted by
    the date of tasking): it sorts by `-key` first, and its arrow points the way its own numbers run."""
    current = context.get("sort", "")
    up, down = (f"-{key}", key) if inverse else (key, f"-{key}")
    target = down if current == up else up
    arrow = " ▲" if current == up else " ▼" if current == down else ""
    query = context.get("sort_query", "")
    href = f"?{query}&sort={target}" if query else f"?sort={target}"
    return format_html('<a class="sort" href="{}">{}{}</a>', href, label, arrow)


@register.filter
def audience_for(section, user) -> str:
    """A section's audience as this user may read it (Section.audience_for)."""
    return section.audience_for(user)


@register.filter
def posts_for(section_or_question, user) -> list:
    """The posts a section or question tasks, as this user may know them (Section.posts_for)."""
    return section_or_question.posts_for(user)
