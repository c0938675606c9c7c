"""The unanswered-requirements dashboard: what it lists and in which order, every filter, sorting, the
silent posts, access, its exports and printable page, `GET /api/questions/` with the same filters, and a
query count that does not grow with the data."""
import csv
import io
import re
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from tests.tracker import synthetic
from tracker.models import Post, Question, RequirementSet
from tests.conftest import exported_csv

pytestmark = pytest.mark.django_db


@pytest.fixture
def analyst(role_user):
    return role_user("ana")


@pytest.fixture
def data(analyst):
    """Overdue sets (due 2009), a set due next month, a closed set."""
    overdue = synthetic.build(2, 4, analyst, prefix="LATE")
    later = synthetic.build(1, 4, analyst, prefix="SOON", due=timezone.localdate() + timedelta(days=30))
    closed = synthetic.build(1, 4, analyst, prefix="SHUT")
    RequirementSet.objects.filter(pk=closed[0].pk).update(status=RequirementSet.CLOSED)
    return {"overdue": overdue, "later": later[0], "closed": closed[0]}


def _page(client, **params):
    response = client.get(reverse("dashboard"), params)
    assert response.status_code == 200
    return response


def _listed(response) -> list[tuple[str, str]]:
    return [(q.requirement_set.title, q.code) for q in response.context["rows"]]


def test_lists_open_questions_of_active_sets_overdue_first(client, analyst, data):
    client.force_login(analyst)
    listed = _listed(_page(client))
    # every set: Q.1 answered (left out), Q.2 partly, Q.3 and Q.4 unanswered; the closed set left out
    assert len(listed) == 3 * 3 and not any(title.startswith("SHUT") for title, _ in listed)
    assert ("LATE set 0", "Q.1") not in listed and ("LATE set 0", "Q.2") in listed
    assert [title[:4] for title, _ in listed] == ["LATE"] * 6 + ["SOON"] * 3  # overdue first
    assert [title for title, _ in listed[:6]] == ["LATE set 1"] * 3 + ["LATE set 0"] * 3  # then high priority
    page = _page(client).content.decode()
    assert page.count("overdue</span>") == 6 and "Open questions by set" in page


def test_each_question_names_the_addressed_posts_still_silent(client, analyst, data):
    client.force_login(analyst)
    rows = {(q.requirement_set.title, q.code): q for q in _page(client).context["rows"]}
    partly = rows[("LATE set 0", "Q.2")]
    assert partly.addressed == ["Late Post 0", "Late Post 1", "Late Post 2", "Late Post 3"]
    assert partly.silent == ["Late Post 0", "Late Post 2", "Late Post 3"]  # post 1 partly answered it
    assert partly.response_count == 1 and partly.days_since_tasking == (
        timezone.localdate() - partly.requirement_set.tasked.date()).days
    assert rows[("LATE set 0", "Q.3")].silent == partly.addressed


@pytest.mark.parametrize("params, expected", [
    ({"status": "unanswered"}, 6),
    ({"status": "partly"}, 3),
    ({"status": "answered"}, 3),
    ({"section": "b"}, 6),
    ({"priority": "high"}, 3),
    ({"overdue": "true"}, 6),
    ({"overdue": "false"}, 3),
    ({"tasked_after": "2009-01-16", "tasked_before": "2009-01-16"}, 3),  # LATE set 1 alone: by day
    ({"tasked_after": "2009-01-15"}, 9),
    ({"tag": "prel"}, 9),
    ({"tag": "PGOV"}, 0),
    ({"marking": "S"}, 9),
])
def test_filters(client, analyst, data, params, expected):
    client.force_login(analyst)
    assert _page(client, **params).context["page"].paginator.count == expected


def test_filter_by_set_and_by_post(client, analyst, data):
    client.force_login(analyst)
    first = data["overdue"][0]
    assert {t for t, _ in _listed(_page(client, requirement_set=first.pk))} == {"LATE set 0"}
    assert _page(client, post="LATEPOST2").context["page"].paginator.count == 6  # both LATE sets, by the set's posts
    # a section's own posts, then a question's own posts, override the set's
    section = first.sections.get(letter="A")
    section.posts.set([Post.objects.get(key="SOONPOST0")])
    question = Question.objects.get(requirement_set=first, code="Q.4")
    question.posts.set([Post.objects.get(key="SOONPOST1")])
    assert set(_listed(_page(client, post="SOONPOST0"))) >= {("LATE set 0", "Q.2")}
    assert ("LATE set 0", "Q.2") not in _listed(_page(client, post="LATEPOST2"))
    assert ("LATE set 0", "Q.4") in _listed(_page(client, post="SOONPOST1"))
    assert ("LATE set 0", "Q.3") not in _listed(_page(client, post="SOONPOST1"))
    assert _page(client, requirement_set=data["closed"].pk).context["filter"].errors  # not on the dashboard


def test_sorting_both_ways(client, analyst, data):
    client.force_login(analyst)
    by_responses = [q.response_count for q in _page(client, sort="-responses").context["rows"]]
    assert by_responses == sorted(by_responses, reverse=True) and by_responses[0] == 1
    codes = [q.code for q in _page(client, sort="code").context["rows"]]
    assert codes == sorted(codes)
    page = _page(client, sort="code").content.decode()
    assert "sort=-code" in page  # clicking the sorted column again reverses it
    for sort in ("last_response", "-last_response"):  # questions never reported on come last either way
        reported = [q.last_response for q in _page(client, sort=sort).context["rows"]]
        assert reported[0] is not None and reported[-1] is None
        assert reported.index(None) == sum(1 for r in reported if r is not None)


def test_pages_of_fifty(client, analyst):
    synthetic.build(3, 40, analyst, prefix="MANY")  # 3 x 39 open questions
    client.force_login(analyst)
    first, last = _page(client), _page(client, page=3)
    assert first.context["page"].paginator.count == 117 and len(first.context["page"]) == 50
    assert len(last.context["page"]) == 17 and "Page 3 of 3" in last.content.decode()


def test_access_withholds_what_the_user_may_not_see(client, role_user, data):
    Question.objects.filter(code="Q.3").update(marking="S//NF", noforn=True)
    client.force_login(role_user("foreign", "reader", "SECRET", noforn=False))
    assert {c for _, c in _listed(_page(client))} == {"Q.2", "Q.4"}
    client.force_login(role_user("low", "reader", "CONFIDENTIAL"))
    assert _page(client).context["page"].paginator.count == 0


def test_csv_export_is_exactly_what_is_filtered_on_every_page(client, analyst, data):
    Question.objects.filter(code="Q.3").update(text='=HYPERLINK("http://example.invalid","click")')
    client.force_login(analyst)
    response = client.get(reverse("dashboard-export", args=["csv"]), {"priority": "low", "overdue": "true", "sort": "-code"})
    assert response["Content-Type"].startswith("text/csv") and ".csv" in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(exported_csv(response))))
    assert [(r["Set"], r["Code"]) for r in rows] == [("LATE set 0", "Q.4"), ("LATE set 0", "Q.3"),
                                                     ("LATE set 0", "Q.2")]
    assert rows[2]["Status"] == "partly" and rows[2]["Silent posts"] == "Late Post 0, Late Post 2, Late Post 3"
    assert rows[1]["Question"].startswith("'=HYPERLINK")  # never a formula in a spreadsheet
    assert rows[0]["Overdue"] == "yes" and rows[0]["Due"] == "2009-03-01" and rows[0]["Priority"] == "low"


def test_xlsx_export_opens_with_the_same_rows(client, analyst):
    synthetic.build(2, 40, analyst, prefix="MANY")
    Question.objects.filter(code="Q.3").update(text="=1+1")
    client.force_login(analyst)
    page = _page(client, status="unanswered")
    response = client.get(reverse("dashboard-export", args=["xlsx"]), {"status": "unanswered"})
    sheet = load_workbook(io.BytesIO(response.content))["Unanswered"]
    rows = list(sheet.values)
    assert rows[0][:5] == ("Set", "Tasking cable", "Collection reference", "Section", "Code")
    assert len(rows) - 1 == page.context["page"].paginator.count == 76  # every page, not the first fifty
    formula = next(row for row in rows if row[4] == "Q.3")
    assert formula[6] == "=1+1" and sheet.cell(row=rows.index(formula) + 1, column=7).data_type == "s"
    assert isinstance(rows[1][10], type(rows[1][12])) and rows[1][10].year == 2009  # dates are dates


def test_printable_dashboard(client, analyst, data):
    client.force_login(analyst)
    page = client.get(reverse("dashboard-print"), {"priority": "high"}).content.decode()
    rows = re.search(r'<table class="list.*?</table>', page, re.S).group(0).count("<tr")
    assert "Printed" in page and "Priority: high" in page and rows == 1 + 3
    assert '<header class="top">' not in page


def test_api_questions_takes_the_dashboard_filters(client, analyst, data):
    client.force_login(analyst)
    url = reverse("api-question-list")
    everything = client.get(url).json()
    assert everything["count"] == 16  # the API lists closed sets' questions and answered ones too
    open_ones = client.get(url, {"status": "open", "overdue": "true", "sort": "-responses"}).json()
    assert open_ones["count"] == 6
    first = open_ones["results"][0]
    assert first["code"] == "Q.2" and first["status"] == "partly" and first["overdue"] is True
    assert first["silent_posts"] == ["Late Post 0", "Late Post 2", "Late Post 3"]
    assert first["priority"] in ("high", "low") and first["due"] == "2009-03-01" and first["response_count"] == 1
    assert client.get(url, {"post": "SOONPOST0", "status": "open"}).json()["count"] == 3
    assert client.get(url, {"status": "bogus"}).status_code == 400
    one = client.get(reverse("api-question-detail", args=[first["id"]])).json()
    assert one["silent_posts"] == first["silent_posts"]


def _counts(client, urls) -> list[int]:
    counts = []
    for url in urls:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
            assert response.status_code == 200, url
            if response.streaming:
                b"".join(response.streaming_content)
        counts.append(len(queries))
    return counts


def test_query_counts_do_not_grow_with_ten_times_the_data(client, analyst):
    small = synthetic.build(2, 6, analyst, prefix="SMALL")
    client.force_login(analyst)
    urls = [reverse("dashboard"), reverse("dashboard") + "?sort=-responses&post=SMALLPOST1",
            reverse("dashboard-export", args=["csv"]), reverse("dashboard-export", args=["xlsx"]),
            reverse("dashboard-print"), reverse("api-question-list") + "?status=open",
            reverse("requirement-set-detail", args=[small[0].pk]),
            reverse("requirement-set-export", args=[small[0].pk, "xlsx"]),
            reverse("requirement-set-print", args=[small[0].pk]),
            reverse("api-requirement-set-coverage", args=[small[0].pk])]
    before = _counts(client, urls)
    synthetic.build(18, 6, analyst, prefix="MORE", posts=12)
    bigger = synthetic.build(2, 60, analyst, prefix="BIG", posts=12)  # ten times the questions in all
    assert Question.objects.count() == 2 * 6 + 18 * 6 + 2 * 60 == 10 * 2 * 6 * 2
    assert Question.objects.filter(requirement_set__due__lt=date.today()).count() == 240
    after = _counts(client, urls)
    bigger_set = [u.replace(f"/{small[0].pk}/", f"/{bigger[0].pk}/") for u in urls[6:]]  # ten times the set
    assert before == after and before[6:] == _counts(client, bigger_set)


def test_the_dashboard_aggregates_every_response_once_a_request(client, analyst):
    """One narrow query gives the page its ids, total and chart; only the page's own rows aggregate again
    (for its 50 questions at most). A second pass over every response cost 50 ms at Cablegate scale."""
    synthetic.build(3, 30, analyst, prefix="AGG")
    client.force_login(analyst)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("dashboard"), {"page": 2})
    assert response.status_code == 200
    aggregating = [q["sql"] for q in queries if 'COUNT("tracker_response"."id")' in q["sql"]]
    assert len(aggregating) == 2
    assert sum('"tracker_question"."id" IN (' in sql for sql in aggregating) == 1  # the page's rows, by id
    page = response.context["page"]
    assert 50 < page.paginator.count <= Question.objects.count()  # open questions only, by default
    assert len(page.object_list) == page.paginator.count - 50  # the last page holds the rest
    assert [q.pk for q in response.context["rows"]] == list(page.object_list)


def test_words_find_questions_by_their_text_code_set_title_or_collection_reference(client, analyst, data):
    client.force_login(analyst)
    assert _listed(_page(client, q="question 3")) == [("LATE set 1", "Q.3"), ("LATE set 0", "Q.3"),
                                                      ("SOON set 0", "Q.3")]
    assert _listed(_page(client, q="soon q.4")) == [("SOON set 0", "Q.4")]  # a set's title and a code
    assert {title for title, _ in _listed(_page(client, q="c-sy9-00001"))} == {"LATE set 1"}
    page = _page(client, q="nothing-like-this")
    assert _listed(page) == [] and "Words:</span> nothing-like-this" in page.content.decode()
    form = page.content.decode()
    assert form.index('name="q"') < form.index('name="requirement_set"')  # the words come first
    api = client.get(reverse("api-question-list"), {"q": "SOON question 4", "status": "open"}).json()
    assert [row["code"] for row in api["results"]] == ["Q.4"]
