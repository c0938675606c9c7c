"""The reports: the unanswered-requirements dashboard (`/dashboard/`) and a set's coverage report, each as a
page, a CSV and an XLSX download exactly as filtered, and a printable page. Every page runs a fixed number
of queries whatever the data size."""
from __future__ import annotations

from datetime import datetime
from itertools import chain

from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, QueryDict
from django.shortcuts import render
from django.utils import timezone
from django.utils.text import Truncator, slugify

from cables import markings
from tracker import charts, dashboard, exports, reports, views
from tracker.filters import DashboardFilter
from tracker.models import Question, RequirementSet, Response

PER_PAGE = 50
PRINT_LIMIT = 2000
OPEN_SERIES = [("unanswered", "s-unanswered"), ("partly", "s-partly")]
# What the dashboard lists under each status filter: its heading, the questions its chart draws (by set, each
# status a series) and what to call them, and its export's sheet.
STATUS_VIEWS = {
    "open": {"heading": "Unanswered requirements", "questions": "open", "series": OPEN_SERIES,
             "sheet": "Unanswered"},
    "unanswered": {"heading": "Requirements with no answer yet", "questions": "unanswered",
                   "series": [("unanswered", "s-unanswered")], "sheet": "Unanswered"},
    "partly": {"heading": "Partly answered requirements", "questions": "partly answered",
               "series": [("partly", "s-partly")], "sheet": "Partly answered"},
    "answered": {"heading": "Answered requirements", "questions": "answered",
                 "series": [("answered", "s-answered")], "sheet": "Answered"},
    "retired": {"heading": "Retired requirements", "questions": "retired",
                "series": [("retired", "s-context")], "sheet": "Retired"},
    "any": {"heading": "Requirements of every status", "questions": "listed",
            "series": [*OPEN_SERIES, ("answered", "s-answered"), ("retired", "s-context")],
            "sheet": "Requirements"},
}
REVIEW_HEADING = "Requirements with responses to review"
SUMMARY_COLUMNS = {"current": "Questions", "answered": "Answered", "partly": "Partly", "unanswered": "Unanswered",
                   "retired": "Retired", "prior_reporting": "Prior reporting only", "percent_answered": "% answered",
                   "percent_covered": "% at least partly"}  # a coverage summary's keys: their column headers


def _dashboard_filter(request) -> DashboardFilter:
    data = request.GET.copy()
    if not data.get("status"):  # open questions; but a response to review may answer its question: every status
        data["status"] = "any" if _asks_to_review(data) else "open"
    filterset = DashboardFilter(data, queryset=dashboard.questions(request.user), request=request)
    sets = filterset.form.fields["requirement_set"]
    sets.queryset = sets.queryset.filter(status=RequirementSet.ACTIVE)  # the dashboard shows active sets only
    return filterset


def _asks_to_review(data) -> bool:
    """The to_review filter is on, as its own field reads the value ("true", "yes", "1"; a value that is
    neither yes nor no is the filter's error, shown as such)."""
    field = DashboardFilter.base_filters["to_review"].field
    try:
        return field.clean(field.widget.value_from_datadict(data, {}, "to_review")) is True
    except ValidationError:
        return False


def _query_without(request, *names) -> QueryDict:
    query: QueryDict = request.GET.copy()
    for name in names:
        query.pop(name, None)
    return query


def _status_view(filterset: DashboardFilter) -> dict:
    """What the status filter in force lists (STATUS_VIEWS): `open`, the default, when it is not valid; the
    questions of every status with responses to review under their own heading."""
    status = filterset.form.cleaned_data.get("status") if not filterset.errors else None
    listed = STATUS_VIEWS.get(status or "open", STATUS_VIEWS["open"])
    if status == "any" and filterset.form.cleaned_data.get("to_review"):
        listed = {**listed, "heading": REVIEW_HEADING, "sheet": "To review"}
    return listed


def dashboard_chips(filterset: DashboardFilter, query: QueryDict) -> list[dict]:
    """The dashboard's filters in force, each with the query that removes it alone (the sort kept): the chips
    above the results, as on the cable list. Shown as the form shows them (a set by its title, a post by its
    name, a status by its words), read from the validated form: no query to the database. The default
    status (open) is no chip; a value that is not valid says so."""
    form, errors = filterset.form, filterset.errors
    chips = []
    for name, field in form.fields.items():
        value = (query.get(name) or "").strip()
        if name == "sort" or not value or (name == "status" and value == "open"):
            continue
        rest = query.copy()
        rest.pop(name, None)
        shown = f"{value} (not valid)" if name in errors else _shown(field, form.cleaned_data.get(name), value)
        chips.append({"name": name, "label": field.label, "shown": shown, "remove": rest.urlencode()})
    return chips


def _shown(field, cleaned, value: str) -> str:
    """A filter's value in the words its form field offers it."""
    if isinstance(cleaned, bool):
        return "yes" if cleaned else "no"
    if hasattr(cleaned, "isoformat"):
        return cleaned.isoformat()
    if cleaned is not None and hasattr(field, "queryset"):
        return str(cleaned)
    choices = {str(key): label for key, label in getattr(field, "choices", ())}
    return str(choices.get(value, value))


def _chart_limit(counts, series, limit: int = 15) -> str:
    """What the dashboard's chart leaves out, in its title: " (the 15 with most, of 40 sets)" where it does."""
    charted = {status for status, _ in series}
    sets = len({set_id for set_id, status, n in counts if status in charted and n})
    return f" (the {limit} with most, of {sets} sets)" if sets > limit else ""


def dashboard_page(request):
    filterset = _dashboard_filter(request)
    ordered = dashboard.ordered_statuses(filterset.qs)  # narrow: the wide rows are read for one page only
    counts = dashboard.status_counts(ordered)
    page = Paginator([pk for pk, _, _ in ordered], PER_PAGE).get_page(request.GET.get("page"))
    listed = _status_view(filterset)
    chart_rows = dashboard.by_set(counts, [status for status, _ in listed["series"]])
    query = _query_without(request, "page")
    rows = dashboard.load(list(page.object_list), request.user)
    return render(request, "tracker/dashboard.html", {
        "filter": filterset,
        "page": page,
        "rows": rows,
        "banner": views.questions_banner(rows),
        "query": query,
        "chips": dashboard_chips(filterset, query),
        "heading": listed["heading"],
        "listed": listed["questions"],
        "sort_query": _query_without(request, "page", "sort").urlencode(),
        "export_query": query.urlencode(),
        "sort": request.GET.get("sort", ""),
        "chart_title": f"{listed['questions'].capitalize()} questions by set" + _chart_limit(counts, listed["series"]),
        "chart": charts.horizontal_bars(f"{listed['questions'].capitalize()} questions by set", chart_rows,
                                        listed["series"]),
    })


def _invalid(filterset: DashboardFilter) -> HttpResponse | None:
    """A 400 naming each invalid filter, where the page would list nothing until it is fixed: an export or
    a print never silently leaves a filter out."""
    if not filterset.errors:
        return None
    fields = filterset.form.fields
    problems = "; ".join(f"{fields[name].label if name in fields else name}: {' '.join(errors)}"
                         for name, errors in filterset.errors.items())
    return HttpResponse(f"A filter is not valid ({problems}): nothing is exported until it is fixed.\n",
                        status=400, content_type="text/plain; charset=utf-8")


def dashboard_export(request, fmt: str):
    filterset = _dashboard_filter(request)
    if refused := _invalid(filterset):
        return refused
    rows = dashboard.rows(filterset.qs, request.user)
    listed = _status_view(filterset)
    name = f"{slugify(listed['heading'])}-{timezone.localdate():%Y-%m-%d}"
    # the file's banner, as the page's (views.questions_banner): each question's marking and its set's cable
    shown = filterset.qs.order_by().values_list("marking", "requirement_set__tasking_cable__classification")
    banner = markings.highest(chain.from_iterable(shown.distinct()))
    if fmt == "csv":
        return exports.csv_response(f"{name}.csv", dashboard.COLUMNS, rows, banner)
    return exports.xlsx_response(f"{name}.xlsx", [{"title": listed["sheet"], "headers": dashboard.COLUMNS,
                                                   "rows": rows}], banner)


def dashboard_print(request):
    filterset = _dashboard_filter(request)
    if refused := _invalid(filterset):
        return refused
    ids = list(filterset.qs.values_list("pk", flat=True)[:PRINT_LIMIT + 1])
    questions = dashboard.load(ids[:PRINT_LIMIT], request.user)
    return render(request, "tracker/dashboard_print.html", {
        "filter": filterset,
        "heading": _status_view(filterset)["heading"],
        "listed": _status_view(filterset)["questions"],
        "chips": dashboard_chips(filterset, _query_without(request, "page")),  # an empty list says why
        "questions": questions,
        "banner": views.questions_banner(questions),
        "truncated": len(ids) > PRINT_LIMIT,
        "limit": PRINT_LIMIT,
        "now": timezone.now(),
    })


# ----------------------------------------------------------------------------- a set's report


def set_report(requirement_set, user) -> dict:
    """Everything a set's report shows: coverage, matrix, timeline and their charts."""
    timeline = reports.timeline(requirement_set, user)
    buckets = timeline["buckets"]
    step = timeline["weeks_per_bucket"]
    labels = [b["start"].strftime("%Y-%m-%d") for b in buckets]
    unit = "week" if step == 1 else f"{step} weeks"
    tasked_text = "tasked"
    return {
        "coverage": reports.coverage(requirement_set, user),
        "matrix": reports.matrix(requirement_set, user),
        "timeline": timeline,
        "timeline_unit": unit,
        "responses_title": f"Responses per {unit}, by the date of the responding cable",
        "coverage_title": "Coverage over time: share of open questions answered, and at least partly",
        "responses_chart": charts.stacked_bars(
            f"Responses per {unit}, by the date of the responding cable", labels,
            [("answers", "s-answered", [b["answers"] for b in buckets]),
             ("partly", "s-partly", [b["partly"] for b in buckets]),
             ("context", "s-context", [b["context"] for b in buckets])],
            marker=timeline.get("tasked_bucket"), marker_text=tasked_text),
        "coverage_chart": charts.lines(
            "Coverage over time: share of open questions answered, and at least partly", labels,
            [("answered", "s-answered", [b["percent_answered"] for b in buckets]),
             ("at least partly", "s-partly", [b["percent_covered"] for b in buckets])],
            marker=timeline.get("tasked_bucket"), marker_text=tasked_text),
    }


def _report_questions(requirement_set, user) -> list[Question]:
    """The set's questions as the dashboard reads them (status, sort keys, overdue), in the set's order."""
    questions = dashboard.questions(user, active_only=False).filter(requirement_set=requirement_set)
    return dashboard.with_posts(list(questions.order_by("order", "pk")), user)


RESPONSE_COLUMNS = ["Question", "Question text", "Cable", "Paragraphs", "Assessment", "Confidence", "Post",
                    "Cable date", "Logged by", "Logged on", "Note"]


def _report_responses(requirement_set, user) -> list[Response]:
    """The set's current responses the user may see, question by question in the set's order, each question's
    by the date of the responding cable. One query."""
    return list(Response.objects.visible_to(user).current().filter(question__requirement_set=requirement_set)
                .select_related("question", "cable", "post", "created_by")
                .order_by("question__order", "question_id", "cable_created", "pk"))


def _paragraph_order(number: str) -> tuple:
    """A paragraph number's place in its cable: 2 before 10, 3 before A, A before A.1."""
    return tuple((0, int(part), "") if part.isdigit() else (1, 0, part) for part in number.replace(")", ".")
                 .replace("(", ".").split(".") if part)


def _response_rows(logged: list[Response]) -> list[list]:
    """Which cable answered which question: a row of RESPONSE_COLUMNS per response; a retired question's say
    so (the coverage tables count only the questions still asked)."""
    return [[f"{r.question.code} (retired)" if r.question.retired else r.question.code, Truncator(" ".join(r.question.text.split())).chars(120), r.cable.reference_id,
             ", ".join(sorted(r.paragraph_numbers, key=_paragraph_order)) or "whole cable",
             r.get_assessment_display(), r.get_confidence_display(), r.post.name if r.post else "",
             r.cable_created.date() if r.cable_created else None,
             r.created_by.get_username() if r.created_by else "", r.created, r.note]
            for r in logged]


def _report_tables(requirement_set, user, logged: list[Response]) -> dict[str, dict]:
    report = set_report(requirement_set, user)
    coverage, matrix, timeline = report["coverage"], report["matrix"], report["timeline"]
    return {
        "questions": {"title": "Questions", "headers": dashboard.COLUMNS,
                      "rows": list(dashboard.as_rows(_report_questions(requirement_set, user)))},
        "sections": {"title": "Sections", "headers": ["Section", "Audience", *SUMMARY_COLUMNS.values()],
                     "rows": [[s["letter"], s["audience"] or ("Outside any section" if s["outside"] else
                                                            "Unnamed section"), *[s[k] for k in SUMMARY_COLUMNS]]
                              for s in coverage["by_section"]]
                     + [["All", "", *[coverage[k] for k in SUMMARY_COLUMNS]]]},
        "posts": {"title": "Posts", "headers": ["Post", "Addressed", "Responses", "Answered", "Partly",
                                                "Last reported"],
                  "rows": [[p["post"], _yes_no(p["addressed"]), p["responses"], p["answered"], p["partly"],
                            datetime.fromisoformat(p["last_response"]) if p["last_response"] else None]
                           for p in coverage["by_post"]]},
        "matrix": {"title": "Matrix", "headers": ["Post", "Addressed", "Silent"]
                   + [q["code"] for q in matrix["questions"]] + ["Answered of asked"],
                   "rows": [[r["post"], _yes_no(r["addressed"]), _yes_no(r["silent"])]
                            + [_matrix_cell(c) for c in r["cells"]] + [r["in_words"]] for r in matrix["rows"]]},
        "timeline": {"title": "Timeline", "headers": [f"{report['timeline_unit'].capitalize()} from", "Answers",
                                                      "Partly", "Context", "Questions answered",
                                                      "Questions at least partly", "% answered",
                                                      "% at least partly"],
                     "rows": [[b["start"], b["answers"], b["partly"], b["context"], b["answered"], b["covered"],
                               b["percent_answered"], b["percent_covered"]] for b in timeline["buckets"]],
                     "chart": {"kind": "bar", "title": "Responses", "columns": ["Answers", "Partly", "Context"]}},
        "responses": {"title": "Responses", "headers": RESPONSE_COLUMNS, "rows": _response_rows(logged)},
    }


def _yes_no(value) -> str:
    return "yes" if value else "no"


def _matrix_cell(cell: dict) -> str:
    if cell["state"]:
        return f"{cell['state']} ({cell['responses']})"
    return "silent" if cell["asked"] else "not asked"


def set_report_export(request, pk: int, fmt: str):
    requirement_set = views._visible_set(request, pk)
    logged = _report_responses(requirement_set, request.user)
    tables = _report_tables(requirement_set, request.user, logged)
    name = f"{slugify(requirement_set.tasking_cable.reference_id)}-coverage-{timezone.localdate():%Y-%m-%d}"
    shown = Question.objects.visible_to(request.user).filter(requirement_set=requirement_set)
    marks = [*shown.values_list("marking", flat=True).distinct(), *views.heading_marks(requirement_set, request.user)]
    cables = [response.cable.classification for response in logged]  # the responses table names their cables
    if fmt == "csv":
        table = request.GET.get("table", "questions")
        if table not in tables:
            raise Http404(f"No table {table!r}: one of {', '.join(tables)}.")
        spec = tables[table]
        banner = views.set_banner(requirement_set, *marks, *(cables if table == "responses" else ()))["text"]
        return exports.csv_response(f"{name}-{table}.csv", spec["headers"], spec["rows"], banner)
    return exports.xlsx_response(f"{name}.xlsx", list(tables.values()), views.set_banner(requirement_set, *marks,
                                                                                         *cables)["text"])


def set_report_print(request, pk: int):
    requirement_set = views._visible_set(request, pk)
    questions = _report_questions(requirement_set, request.user)
    return render(request, "tracker/requirement_set_print.html", {
        "set": requirement_set,
        "questions": questions,
        "banner": views.set_banner(requirement_set, *(question.marking for question in questions),
                                   *views.heading_marks(requirement_set, request.user)),
        "now": timezone.now(),
        **set_report(requirement_set, request.user),
    })
