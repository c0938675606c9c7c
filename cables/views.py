"""Cable pages: the list with facets and search, a cable's page, and an import job's live status."""
import calendar
import re

from django.contrib.auth.decorators import permission_required
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render

from cables.filters import EXACT_UP_TO, CountedPaginator, ListingFilter, facets
from cables.models import Cable, ImportJob, Listing
from cables.parsing import REFERENCE_ID_RE, normalize_reference_id

PAGE_SIZE = 50

# The list's filters as the page names them, in the order their chips are shown.
FILTER_LABELS = {"q": "Search", "year": "Year", "month": "Month", "origin": "Origin", "tag": "Tag",
                 "classification": "Classification", "reference_id": "Reference ID"}


def active_filters(query, invalid=()) -> list[dict]:
    """The filters in force (the page's query without its page number), each with the query that removes
    it alone (the year takes its month with it): the chips above the results. Read from the query string:
    no query to the database."""
    chips = []
    for name, label in FILTER_LABELS.items():
        value = (query.get(name) or "").strip()
        if not value:
            continue
        shown = value
        if name == "month" and value.isdigit() and 1 <= int(value) <= 12:
            shown = calendar.month_name[int(value)]
        rest = query.copy()
        rest.pop(name, None)
        if name == "year":
            rest.pop("month", None)  # a month is a month of its year: removing the year removes it too
        if name in invalid:
            shown = f"{value} (not valid: ignored)"
        chips.append({"name": name, "label": label, "value": value, "shown": shown, "remove": rest.urlencode()})
    return chips


def _labelled(counts: dict) -> dict:
    """Each facet's values as (value, label, count): a month is labelled by its name, as its chip is."""
    def label(name, value):
        if name == "month" and isinstance(value, int) and 1 <= value <= 12:
            return calendar.month_name[value]
        return value

    return {name: [(value, label(name, value), count) for value, count in items] for name, items in counts.items()}


def _cable_named(request) -> Cable | None:
    """A search that is a reference ID ("09STATE6423", "09 state 6423") of a cable the user may see: that cable,
    whose page the search leads to."""
    query = request.GET.get("q", "").strip()
    if not query or len(query) > 40:
        return None
    reference_id = normalize_reference_id(query)
    if not REFERENCE_ID_RE.match(reference_id):
        return None
    return Cable.objects.visible_to(request.user).filter(reference_id=reference_id).first()


def cable_list(request):
    """The cable list reads the listing rows (cables.listing): the page's rows, and the count and
    facets (filters.facets: exact up to a few thousand matches, estimated from a sample beyond), in a
    fixed number of queries whatever the number of cables."""
    if cable := _cable_named(request):
        return redirect(cable)
    listing_filter = ListingFilter(request.GET, queryset=Listing.objects.visible_to(request.user), request=request)
    counted = facets(listing_filter.qs)
    rows = listing_filter.qs.defer("document", "cable_id", "clearances")
    phrase = '"' in (listing_filter.form.cleaned_data.get("q") or "") if listing_filter.is_valid() else False
    page = CountedPaginator(rows, PAGE_SIZE, counted.total, counted.exact, counted.searched_rows,
                            phrase, counted.ids).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    chips = active_filters(query, listing_filter.errors if listing_filter.is_bound else ())
    return render(
        request,
        "cables/cable_list.html",
        {"filter": listing_filter, "page": page, "facets": counted.counts, "facet_items": _labelled(counted.counts),
         "exact": counted.exact,
         "exact_up_to": EXACT_UP_TO, "query": query, "chips": chips,
         "active": {chip["name"]: chip for chip in chips}},
    )


# The input forms a cable arrives in, as its Sources box names them.
SOURCE_FORMS = {"viewer-html": "Cable-viewer page", "viewer-text": "Cable-viewer page saved as text",
                "flattened": "Page flattened to lowercase words", "raw": "Cable text", "csv": "Cablegate CSV dump"}


def source_file_name(name: str) -> str:
    """Where a cable came from, without the server's folders: the file's own name ("09STATE6423.html"), a zip
    member after its zip's ("pages.zip › 09STATE6423.html"), a dump's row kept ("cables.csv row 3 (line 4)")."""
    return " › ".join(re.split(r"[/\\]", part)[-1] for part in re.split(r"(?<=\.zip):", name, flags=re.IGNORECASE))


def _field_label(name: str) -> str:
    """A cable's field as its page calls it ("released", "classification"), not its column's name."""
    try:
        return str(Cable._meta.get_field(name).verbose_name)
    except Exception:  # a field since renamed or removed: its recorded name, readable
        return name.replace("_", " ")


def _sources_shown(cable: Cable, user) -> tuple[list, list]:
    """The cable's sources and latest changes, each with `shown_name`: the whole path it was imported from
    for those who may read the sources in the admin (cables.view_cablesource), the file's name for others."""
    whole = user.has_perm("cables.view_cablesource")
    sources = list(cable.sources.only("form", "name", "imported", "fullness", "cable_id"))
    for source in sources:
        source.shown_name = source.name if whole else source_file_name(source.name)
        source.shown_form = SOURCE_FORMS.get(source.form, source.form)
    changes = list(cable.changes.all()[:20])
    for change in changes:
        change.shown_name = change.source_name if whole else source_file_name(change.source_name)
        change.shown_fields = ", ".join(_field_label(name) for name in change.changes)
    return sources, changes


def cable_detail(request, reference_id: str):
    cable = get_object_or_404(
        Cable.objects.visible_to(request.user).prefetch_related("tags"), reference_id=reference_id.upper()
    )
    paragraphs = list(cable.paragraphs.visible_to(request.user))
    withheld = cable.paragraphs.count() - len(paragraphs)
    sources, changes = _sources_shown(cable, request.user)
    return render(
        request,
        "cables/cable_detail.html",
        {
            "cable": cable,
            "paragraphs": paragraphs,
            "withheld": withheld,
            "sources": sources,
            "changes": changes,
        },
    )


@permission_required("cables.view_importjob", raise_exception=True)
def import_detail(request, pk: int):
    job = get_object_or_404(ImportJob, pk=pk)
    return render(request, "cables/import_detail.html",
                  {"job": job, "rejections": job.rejections.order_by("chunk__number", "pk")})


@permission_required("cables.view_importjob", raise_exception=True)
def import_status(request, pk: int):
    job = get_object_or_404(ImportJob, pk=pk)
    return JsonResponse(
        {
            "status": job.status,
            "percent": job.percent,
            "processed_bytes": job.processed_bytes,
            "total_bytes": job.total_bytes,
            "new": job.new,
            "updated": job.updated_count,
            "unchanged": job.unchanged,
            "rejected": job.rejected,
            "message": job.message,
            "chunks": job.chunks.count(),
            "chunks_done": job.chunks.filter(status=ImportJob.DONE).count(),
        }
    )
