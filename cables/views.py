"""Cable pages: the list with facets and search, a cable's page, and an import job's live status."""
import calendar
import re
from collections.abc import Callable

from django.contrib.auth.decorators import permission_required
from django.http import HttpRequest, JsonResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render

from cables import markings
from cables.filters import EXACT_UP_TO, CountedPaginator, ListingFilter, facets
from cables.models import Cable, ImportJob, Listing
from cables.parsing import REFERENCE_ID_RE, normalize_reference_id

PAGE_SIZE = 50

# What another app shows on a cable's page below its text: a function of the request and the cable that returns
# that part rendered and the markings of what it shows, which raise the page's banner. The requirements domain
# adds its part when it loads (tracker.apps), so that this app shows it without importing that domain.
CABLE_PAGE_PARTS: list[Callable[[HttpRequest, Cable], tuple[str, list[str]]]] = []
# What another app says beside each paragraph shown (the questions it answers, a link to log it): a function of
# the request, the cable and the paragraphs shown that returns {paragraph id: HTML}. Registered as the parts are.
CABLE_PARAGRAPH_NOTES: list[Callable[[HttpRequest, Cable, list], dict[int, str]]] = []

# The list's filters as the page names them, in the order their chips are shown.
FILTER_LABELS = {"q": "Search", "year": "Year", "month": "Month", "origin": "Origin", "tag": "Tag",
                 "classification": "Classification", "reference_id": "Reference ID"}


class PageQuery(QueryDict):
    """The list's query as its links and forms repeat it: `items()` gives every value of a repeated parameter
    (?tag=PREL&tag=IR), where a QueryDict's gives only the last, so that a facet link or the search form
    keeps every tag."""

    def items(self):
        for name, values in self.lists():
            for value in values:
                yield name, value


def active_filters(query, invalid=()) -> list[dict]:
    """The filters in force (the page's query without its page number), each with the query that removes
    it alone (the year takes its month with it): the chips above the results; one chip a tag, as tags
    filter together. Read from the query string: no query to the database."""
    chips = []
    for name, label in FILTER_LABELS.items():
        values = query.getlist(name) if name == "tag" else [query.get(name)]
        for value in (v.strip() for v in values if v and v.strip()):
            shown = value
            if name == "month" and value.isdigit() and 1 <= int(value) <= 12:
                shown = calendar.month_name[int(value)]
            rest = query.copy()
            rest.setlist(name, [v for v in rest.getlist(name) if v.strip() != value] if name == "tag" else [])
            if name == "year":
                rest.pop("month", None)  # a month is a month of its year: removing the year removes it too
            if name in invalid:
                shown = f"{value} (not valid: ignored)"
            chips.append({"name": name, "label": label, "value": value, "shown": shown,
                          "remove": rest.urlencode()})
    return chips


def _labelled(counts: dict, query: QueryDict, chips: list[dict]) -> dict:
    """Each facet's values as (value, label, count, link, remove): a month labelled by its name, as its chip
    is; `link` the query that filters by the value too (a tag joins the tags in force, as tags filter
    together; any other value takes its filter's place), or for a value in force `remove`, its chip's query
    without it."""
    def label(name, value):
        if name == "month" and isinstance(value, int) and 1 <= value <= 12:
            return calendar.month_name[value]
        return value

    def link(name, value) -> str:
        chosen = query.copy()
        chosen.setlist(name, [*chosen.getlist(name), value] if name == "tag" else [value])
        return chosen.urlencode()

    labelled = {}
    for name, items in counts.items():
        active = {chip["value"]: chip["remove"] for chip in chips if chip["name"] == name}
        labelled[name] = [(value, label(name, value), count, None if str(value) in active else link(name, str(value)),
                           active.get(str(value))) for value, count in items]
    return labelled


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
    query = PageQuery(request.GET.urlencode(), mutable=True)
    query.pop("page", None)
    chips = active_filters(query, listing_filter.errors if listing_filter.is_bound else ())
    return render(
        request,
        "cables/cable_list.html",
        {"filter": listing_filter, "page": page, "facets": counted.counts,
         "facet_items": _labelled(counted.counts, query, chips), "exact": counted.exact,
         "exact_up_to": EXACT_UP_TO, "query": query, "chips": chips,
         "active": {chip["name"]: chip for chip in chips},
         "banner": markings.banner(row.classification for row in page)},  # the rows shown, their subjects
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
    parts = [part(request, cable) for part in CABLE_PAGE_PARTS]
    notes = [notes_of(request, cable, paragraphs) for notes_of in CABLE_PARAGRAPH_NOTES]
    for paragraph in paragraphs:
        paragraph.notes = [said[paragraph.pk] for said in notes if paragraph.pk in said]
    return render(
        request,
        "cables/cable_detail.html",
        {
            "cable": cable,
            "paragraphs": paragraphs,
            "collection_references": cable.collection_references_for(request.user),
            "withheld": withheld,
            "sources": sources,
            "changes": changes,
            "parts": [shown for shown, _ in parts],
            # the cable as shown: its own classification, the access of each paragraph shown, and what the other
            # parts show (a requirement set's title, a suggestion's shared words)
            "banner": markings.banner([cable.classification, *(markings.stored_access(p.level, p.noforn)
                                                                for p in paragraphs),
                                       *(mark for _, marks in parts for mark in marks)]),
        },
    )


@permission_required("cables.view_importjob", raise_exception=True)
def import_detail(request, pk: int):
    job = get_object_or_404(ImportJob.objects.visible_to(request.user), pk=pk)
    return render(request, "cables/import_detail.html",
                  {"job": job, "rejections": job.rejections.order_by("chunk__number", "pk")})


@permission_required("cables.view_importjob", raise_exception=True)
def import_status(request, pk: int):
    job = get_object_or_404(ImportJob.objects.visible_to(request.user), pk=pk)
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
