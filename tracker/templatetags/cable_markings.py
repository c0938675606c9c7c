"""How a cable's classification is shown in a list: short enough to sit in a column at 1280px."""
from django import template
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe

register = template.Library()

# Long classifications as a list column shows them; the full form is the badge's title.
ABBREVIATIONS = {"UNCLASSIFIED//FOR OFFICIAL USE ONLY": "UNCLASSIFIED//FOUO"}


@register.filter
def classification_badge(value: str):
    """The classification as a badge that may wrap after each "//", abbreviated where it is long (the
    whole of it in the title)."""
    value = value or ""
    short = ABBREVIATIONS.get(value, value)
    text = mark_safe("//<wbr>".join(conditional_escape(part) for part in short.split("//")))
    if short != value:
        return format_html('<abbr class="classification" title="{}">{}</abbr>', value, text)
    return format_html('<span class="classification">{}</span>', text)
