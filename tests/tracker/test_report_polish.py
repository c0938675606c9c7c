"""Reports with nothing to draw say so in words, the set report's exports have headers people read, the
printable dashboard names its filters as the form shows them, and a long cable facet offers "Show all"."""
import csv
import io
import re

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from openpyxl import load_workbook

from cables.importing import import_paths
from cables.models import Cable
from tests.conftest import PAGES, exported_csv
from tracker import charts, requirements, responses

pytestmark = pytest.mark.django_db

NO_RESPONSE = "No response yet: the charts fill in as responses are logged."
CONTEXT_ONLY = "No question is answered yet, not even partly"
NOTHING_OPEN = "No open question matches the filters: nothing to chart."


@pytest.fixture
def iran(db):
    """The Iran tasking's set, tasked in January 2009, with no response logged yet."""
    import_paths([PAGES / "09STATE6423.html", PAGES / "09MOSCOW2528.html"])
    return requirements.create_set(Cable.objects.get(reference_id="09STATE6423"))


def _main(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_a_chart_with_every_value_zero_is_nothing_to_draw():
    series = [("answers", "s-answered", [0, 0]), ("partly", "s-partly", [0, 0])]
    assert charts.stacked_bars("Responses", ["a", "b"], series, marker=0, marker_text="tasked") == ""
    assert charts.lines("Coverage", ["a", "b"], series, marker=0, marker_text="tasked") == ""
    assert charts.horizontal_bars("Open", [("Set", [0, 0])], [("unanswered", "s-u"), ("partly", "s-p")]) == ""
    assert charts.horizontal_bars("Open", [], [("unanswered", "s-u")]) == ""
    assert charts.lines("Coverage", ["a", "b"], [("answered", "s-answered", [0, 25])]).startswith("<svg")


def test_a_set_without_responses_says_so_instead_of_empty_charts(client, analyst, iran):
    assert iran.tasked  # the tasked week alone used to draw two charts with nothing in them
    for url in (iran.get_absolute_url(), reverse("requirement-set-print", args=[iran.pk])):
        page = _main(client, url)
        assert NO_RESPONSE in page and '<svg class="chart"' not in page, url
        assert "Which posts answered what" in page  # the matrix still shows who was asked


def test_context_alone_draws_the_responses_and_says_coverage_has_not_started(client, analyst, iran):
    moscow = Cable.objects.get(reference_id="09MOSCOW2528")
    responses.log(analyst, moscow, [iran.questions.get(code="A.1")], [], "context")
    for url in (iran.get_absolute_url(), reverse("requirement-set-print", args=[iran.pk])):
        page = _main(client, url)
        assert page.count('<svg class="chart"') == 1 and "Responses per week" in page, url
        assert CONTEXT_ONLY in page and NO_RESPONSE not in page, url


def test_a_dashboard_filter_that_matches_nothing_says_there_is_nothing_to_chart(client, analyst, iran):
    page = _main(client, reverse("dashboard") + "?tag=NOSUCHTAG")
    assert "0 questions" in page and NOTHING_OPEN in page and '<svg class="chart"' not in page
    page = _main(client, reverse("dashboard"))  # the set's twenty open questions: drawn
    assert NOTHING_OPEN not in page and page.count('<svg class="chart"') == 1


def test_the_printable_dashboard_names_its_filters_as_the_form_shows_them(client, analyst, iran):
    page = _main(client, reverse("dashboard-print") + f"?requirement_set={iran.pk}&sort=-due&overdue=false&tag=IR")
    filters = re.search(r'<p class="filters-used">(.*?)</p>', page, re.S).group(1)
    assert f"Set: {iran.tasking_cable.reference_id}: " in filters and f"Set: {iran.pk}<" not in filters
    assert "Sort by: Due (descending)" in filters and "Overdue: no" in filters
    assert "Tag (of the tasking cable): IR" in filters
    assert "Status: open (unanswered or partly)" in filters and "[" not in filters


def test_the_set_report_exports_have_headers_people_read(client, analyst, iran):
    url = reverse("requirement-set-export", args=[iran.pk, "csv"]) + "?table=sections"
    rows = list(csv.reader(io.StringIO(exported_csv(client.get(url)))))
    assert rows[0] == ["Section", "Audience", "Questions", "Answered", "Partly", "Unanswered", "Retired",
                       "Prior reporting only", "% answered", "% at least partly"]
    assert rows[-1][:3] == ["All", "", "20"]
    book = load_workbook(io.BytesIO(client.get(reverse("requirement-set-export", args=[iran.pk, "xlsx"])).content))
    for sheet in book:
        headers = next(sheet.values)
        assert not [h for h in headers if re.fullmatch(r"[a-z]+(_[a-z]+)+", str(h))], sheet.title
    dashboard = client.get(reverse("dashboard-export", args=["csv"]))
    header = next(csv.reader(io.StringIO(exported_csv(dashboard))))
    assert "Days since tasking" in header and not [h for h in header if "_" in h]


def _facet(items, **extra) -> str:
    # (value, label, count, link, remove), as the list page passes
    items = [(value, value, count, f"year={value}", None) for value, count in items]
    return render_to_string("cables/_facet.html", {"title": "Year", "name": "year", "items": items, "exact": True,
                                                   "query": {}, **extra})


def test_a_long_facet_offers_to_show_all_its_values_and_counts_only_those_listed():
    years = [(2010 - i, 10) for i in range(9)]
    html = _facet(years)
    assert html.count("<li") == 9 and 'class="facet-more"' in html and "Show all 9" in html
    html = _facet([*years, (None, 3)])  # undated cables: counted by the facet, not listed as a value
    assert html.count("<li") == 9 and "Show all 9" in html
    assert "facet-more" not in _facet(years[:7])  # short enough to show whole
