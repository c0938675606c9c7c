"""A set's report: the post x question matrix, the timeline and its charts, the exports (opened and read
back) and the printable page."""
import csv
import io
from datetime import date

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from cables.importing import import_paths
from cables.models import Cable
from tests.conftest import PAGES, TEXT_PAGE_SEED, exported_csv
from tests.tracker.tasking import SECRET_TASKING
from tracker import charts, reports, requirements, responses
from cables.markings import marking_access
from tracker.models import Post, Response

pytestmark = pytest.mark.django_db


@pytest.fixture
def iran(db):
    import_paths([PAGES / "09STATE6423.html", PAGES / "09MOSCOW2528.html", PAGES / "08SANTIAGO678.html",
                  TEXT_PAGE_SEED])
    return requirements.create_set(Cable.objects.get(reference_id="09STATE6423"))


@pytest.fixture
def logged(iran, role_user):
    analyst = role_user("ana")
    santiago, moscow, prior = (Cable.objects.get(reference_id=r)
                               for r in ("08SANTIAGO678", "09MOSCOW2528", "08MOSCOW3526"))
    responses.log(analyst, santiago, [iran.questions.get(code="C.2")], ["8"], "answers", note="=HYPERLINK(\"x\")")
    responses.log(analyst, santiago, [iran.questions.get(code="C.6")], ["8"], "partly")
    responses.log(analyst, moscow, [iran.questions.get(code="A.1")], [], "context")
    responses.log(analyst, prior, [iran.questions.get(code="B.2")], [], "answers")
    return analyst


def _row(matrix, post):
    return next(r for r in matrix["rows"] if r["post"] == post)


def test_matrix_says_which_post_answered_what_and_who_never_responded(iran, logged):
    matrix = reports.matrix(iran, logged)
    codes = [q["code"] for q in matrix["questions"]]
    assert len(codes) == 20 and codes[:2] == ["A.1", "A.2"]
    santiago = _row(matrix, "Santiago")
    assert santiago["addressed"] and not santiago["silent"]
    cells = dict(zip(codes, santiago["cells"], strict=True))
    assert cells["C.2"] == {"asked": True, "state": "answers", "responses": 1}
    assert cells["C.6"]["state"] == "partly" and cells["C.1"] == {"asked": True, "state": "", "responses": 0}
    assert not cells["A.1"]["asked"]  # section A is for Iran watchers and the IRPO, not Latin American posts
    assert (santiago["answered"], santiago["partly"]) == (1, 1)
    asuncion = _row(matrix, "Asuncion")
    assert asuncion["addressed"] and asuncion["silent"] and asuncion["answered"] == 0
    moscow = _row(matrix, "Moscow")  # not addressed, reported anyway: listed after the addressed posts
    assert not moscow["addressed"] and dict(zip(codes, moscow["cells"], strict=True))["A.1"]["state"] == "context"
    assert matrix["rows"].index(moscow) > max(i for i, r in enumerate(matrix["rows"]) if r["addressed"])


def test_matrix_leaves_out_what_the_user_may_not_see(db, tmp_path, role_user):
    path = tmp_path / "gulf.txt"
    path.write_text(SECRET_TASKING)
    import_paths([path])
    requirement_set = requirements.create_set(Cable.objects.get(subject__icontains="GULF OF GUINEA"))
    everyone = reports.matrix(requirement_set, role_user("cleared", "reader", "SECRET", noforn=True))
    fewer = reports.matrix(requirement_set, role_user("foreign", "reader", "SECRET", noforn=False))
    assert len(everyone["questions"]) == len(fewer["questions"]) + 1
    assert reports.matrix(requirement_set, role_user("low", "reader", "CONFIDENTIAL"))["questions"] == []


def test_timeline_counts_responses_by_the_week_the_post_reported(iran, logged):
    timeline = reports.timeline(iran, logged)
    buckets = timeline["buckets"]
    step = timeline["weeks_per_bucket"]  # 08SANTIAGO678 (March 2008) to 09MOSCOW2528 (October 2009)
    assert timeline["questions"] == 20 and len(buckets) <= reports.MAX_BUCKETS
    assert all((b["start"] - buckets[0]["start"]).days == 7 * step * i and b["start"].weekday() == 0
               for i, b in enumerate(buckets))
    assert sum(b["answers"] for b in buckets) == 2 and sum(b["partly"] for b in buckets) == 1
    assert sum(b["context"] for b in buckets) == 1
    santiago = Cable.objects.get(reference_id="08SANTIAGO678").created.date()
    assert buckets[0]["start"] <= santiago < buckets[1]["start"] and buckets[0]["answers"] == 1
    assert buckets[0]["answered"] == 1 and buckets[0]["percent_answered"] == 5.0  # C.2, by prior reporting
    tasked = timeline["tasked_bucket"]
    assert buckets[tasked]["start"] <= iran.tasked.date() < buckets[tasked + 1]["start"]
    assert buckets[-1]["answered"] == 2 and buckets[-1]["covered"] == 3 and buckets[-1]["percent_covered"] == 15.0
    assert [b["covered"] for b in buckets] == sorted(b["covered"] for b in buckets)  # never goes down


def test_timeline_merges_weeks_when_the_span_is_long(iran, role_user):
    analyst = role_user("ana")
    import_paths([PAGES / "05BRASILIA1044.html"])
    old = Cable.objects.get(reference_id="05BRASILIA1044")
    responses.log(analyst, old, [iran.questions.get(code="C.1")], [], "answers")
    timeline = reports.timeline(iran, analyst)
    assert timeline["weeks_per_bucket"] >= 4 and len(timeline["buckets"]) <= reports.MAX_BUCKETS
    assert timeline["buckets"][0]["answered"] == 1 and timeline["buckets"][-1]["answered"] == 1


def test_charts_are_svg_with_every_label_escaped():
    svg = charts.stacked_bars("Responses <per week>", ["2009-01-05", "<b>"], [("answers", "s-answered", [2, 0])],
                              marker=1, marker_text="tasked")
    assert svg.startswith("<svg") and "<b>" not in svg and "&lt;b&gt;" in svg and "Responses &lt;per week&gt;" in svg
    assert svg.count("<rect") == 2  # one bar, one legend key; a zero makes no bar
    line = charts.lines("Coverage", ["a", "b"], [("answered", "s-answered", [0, 50])])
    assert "<polyline" in line and "50%" in line
    bars = charts.horizontal_bars("Open", [("<script>", [3, 1])], [("unanswered", "s-unanswered"),
                                                                   ("partly", "s-partly")])
    assert "<script>" not in bars and ">4</text>" in bars


def test_set_page_shows_the_matrix_and_the_charts(iran, logged, client):
    client.force_login(logged)
    page = client.get(iran.get_absolute_url()).content.decode()
    assert "Which posts answered what" in page and "never responded" in page
    assert page.count('<svg class="chart"') == 2 and "Coverage over time" in page
    assert "<script" not in page.split("<main>")[1].split("</main>")[0]  # charts need no script


def test_set_report_xlsx_holds_every_table(iran, logged, client):
    client.force_login(logged)
    response = client.get(reverse("requirement-set-export", args=[iran.pk, "xlsx"]))
    assert response.status_code == 200 and "09state6423" in response["Content-Disposition"]
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Questions", "Sections", "Posts", "Matrix", "Timeline", "Responses"]
    questions = list(book["Questions"].values)
    assert len(questions) == 21 and questions[0][4] == "Code"
    status = {row[4]: row[7] for row in questions[1:]}
    assert (status["C.2"], status["C.6"], status["A.1"], status["B.2"]) == ("answered", "partly", "unanswered",
                                                                          "answered")
    sections = list(book["Sections"].values)
    assert sections[-1][:4] == ("All", None, 20, 2)
    matrix = {row[0]: row for row in book["Matrix"].values}
    codes = list(matrix["Post"])
    assert matrix["Santiago"][codes.index("C.2")] == "answers (1)" and matrix["Asuncion"][2] == "yes"
    assert matrix["Asuncion"][codes.index("C.2")] == "silent" and matrix["Asuncion"][codes.index("A.1")] == "not asked"
    timeline = list(book["Timeline"].values)
    assert timeline[0][1:4] == ("Answers", "Partly", "Context") and sum(r[1] for r in timeline[1:]) == 2
    assert book["Timeline"]._charts  # the responses drawn as a chart in the workbook too


def test_set_report_csv_by_table(iran, logged, client):
    client.force_login(logged)
    url = reverse("requirement-set-export", args=[iran.pk, "csv"])
    posts = list(csv.reader(io.StringIO(exported_csv(client.get(url + "?table=posts")))))
    assert posts[0] == ["Post", "Addressed", "Responses", "Answered", "Partly", "Last reported"]
    assert ["Moscow", "no", "2", "1"] == posts[[r[0] for r in posts].index("Moscow")][:4]
    questions = list(csv.DictReader(io.StringIO(exported_csv(client.get(url)))))
    assert len(questions) == 20 and {q["Code"] for q in questions} >= {"A.1", "C.7"}
    assert client.get(url + "?table=nothing").status_code == 404


def test_exports_and_print_follow_access(db, tmp_path, role_user, client):
    path = tmp_path / "gulf.txt"
    path.write_text(SECRET_TASKING)
    import_paths([path])
    requirement_set = requirements.create_set(Cable.objects.get(subject__icontains="GULF OF GUINEA"))
    client.force_login(role_user("foreign", "reader", "SECRET", noforn=False))
    book = load_workbook(io.BytesIO(client.get(reverse("requirement-set-export", args=[requirement_set.pk, "xlsx"]))
                                    .content))
    assert len(list(book["Questions"].values)) == 1 + 2  # the C//NF question is withheld
    printed = client.get(reverse("requirement-set-print", args=[requirement_set.pk])).content.decode()
    assert "1 withheld" in printed and "NOFORN" not in printed.split("<h2>Questions</h2>")[1]
    client.force_login(role_user("low", "reader", "CONFIDENTIAL"))
    for name, args in [("requirement-set-export", [requirement_set.pk, "xlsx"]),
                       ("requirement-set-export", [requirement_set.pk, "csv"]),
                       ("requirement-set-print", [requirement_set.pk])]:
        assert client.get(reverse(name, args=args)).status_code == 404


def test_printable_report(iran, logged, client):
    client.force_login(logged)
    page = client.get(reverse("requirement-set-print", args=[iran.pk])).content.decode()
    assert "coverage report" in page and "Printed" in page and "ana" in page
    assert page.count('<svg class="chart"') == 2 and "Which posts answered what" in page
    assert '<header class="top">' not in page  # no navigation on paper


def test_posts_in_the_matrix_are_the_ones_stored(iran, logged):
    assert Post.objects.filter(key="SANTIAGO").exists()
    assert date(2008, 1, 1) < Cable.objects.get(reference_id="08SANTIAGO678").created.date() < iran.tasked.date()


def test_a_cable_reclassified_on_import_takes_its_responses_along(iran, logged, tmp_path):
    """Responses keep their cable's access for counting; a re-import that raises the classification
    updates them, so an analyst below the new level stops counting them."""
    santiago = Cable.objects.get(reference_id="08SANTIAGO678")
    assert set(Response.objects.filter(cable=santiago).values_list("cable_level", "cable_noforn")) == {
        marking_access(santiago.classification)}
    before = reports.coverage(iran, logged)
    changed = tmp_path / "08SANTIAGO678.html"  # the same page, its classification raised to TOP SECRET
    changed.write_text((PAGES / "08SANTIAGO678.html").read_text().replace("CONFIDENTIAL//NOFORN", "TOP SECRET")
                       .replace(">CONFIDENTIAL<", ">TOP SECRET<"))
    import_paths([changed])
    santiago.refresh_from_db()
    assert santiago.classification == "TOP SECRET"
    assert set(Response.objects.filter(cable=santiago).values_list("cable_level", "cable_noforn")) == {(3, False)}
    after = reports.coverage(iran, logged)  # SECRET: Santiago's answer to C.2 and partial answer to C.6 gone
    assert (after["answered"], after["partly"]) == (before["answered"] - 1, before["partly"] - 1)


def test_exports_carry_the_classification_of_what_they_hold(client, role_user, tmp_path):
    from openpyxl import load_workbook

    from cables.importing import import_paths
    from cables.models import Cable
    from tracker import requirements

    (tmp_path / "tasking.txt").write_text(SECRET_TASKING)
    import_paths([tmp_path / "tasking.txt"])
    made = requirements.create_set(Cable.objects.get(reference_id="09STATE24680"))  # A.2 is (C//NF)
    for user, expected in ((role_user("cleared", "analyst", "SECRET", noforn=True), "SECRET//NOFORN"),
                           (role_user("plain", "analyst", "SECRET", noforn=False), "SECRET")):
        client.force_login(user)
        for url in (reverse("dashboard-export", args=["csv"]),
                    reverse("requirement-set-export", args=[made.pk, "csv"])):
            text = b"".join(client.get(url).streaming_content).decode("utf-8-sig").splitlines()
            assert text[0] == text[-1] == expected, url
        for url in (reverse("dashboard-export", args=["xlsx"]),
                    reverse("requirement-set-export", args=[made.pk, "xlsx"])):
            book = load_workbook(io.BytesIO(client.get(url).content))
            assert book.properties.subject == expected
            assert all(s.oddHeader.center.text == s.oddFooter.center.text == expected for s in book.worksheets)


def test_the_workbooks_sheets_filter_every_column_and_an_empty_print_says_why(iran, logged, client, make_user):
    client.force_login(logged)
    book = load_workbook(io.BytesIO(client.get(reverse("requirement-set-export", args=[iran.pk, "xlsx"])).content))
    for sheet in book.worksheets:
        assert sheet.auto_filter.ref and sheet.auto_filter.ref.startswith("A1:"), sheet.title
    client.force_login(make_user("nobody", clearance="UNCLASSIFIED"))
    assert "There is no open question you may see." in client.get(reverse("dashboard-print")).content.decode()
    assert "No open question matches the filters." in client.get(
        reverse("dashboard-print"), {"priority": "high"}).content.decode()
