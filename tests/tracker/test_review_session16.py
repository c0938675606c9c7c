"""Session 16's review of the pages: the days-since-tasking column sorts the way its arrow points, and the
dashboard's chart says it leaves sets out only where it does."""
import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.tracker import synthetic
from tracker.models import Question, RequirementSet
from tracker.report_views import _chart_limit

pytestmark = pytest.mark.django_db


def _days_header(page: str) -> str:
    return re.search(r'<a class="sort" href="([^"]*)">Days since tasking([^<]*)</a>', page).groups()


def test_days_since_tasking_sorts_the_way_its_arrow_points(client, role_user):
    analyst = role_user("ana")
    for n, prefix in enumerate(("OLD", "NEW")):
        made = synthetic.build(1, 2, analyst, prefix=prefix)[0]
        RequirementSet.objects.filter(pk=made.pk).update(tasked=timezone.now() - timedelta(days=400 - 300 * n))
    client.force_login(analyst)
    href, arrow = _days_header(client.get(reverse("dashboard"), {"status": "any"}).content.decode())
    assert href.endswith("sort=-tasked") and arrow == ""  # fewest days first
    response = client.get(reverse("dashboard"), {"status": "any", "sort": "-tasked"})
    days = [q.days_since_tasking for q in response.context["rows"]]
    href, arrow = _days_header(response.content.decode())
    assert days == sorted(days) and days[0] < days[-1] and arrow == " ▲" and href.endswith("sort=tasked")
    response = client.get(reverse("dashboard"), {"status": "any", "sort": "tasked"})
    days = [q.days_since_tasking for q in response.context["rows"]]
    assert days == sorted(days, reverse=True) and _days_header(response.content.decode())[1] == " ▼"


def test_the_dashboard_chart_says_it_leaves_sets_out_only_where_it_does(client, role_user):
    analyst = role_user("ana")
    synthetic.build(2, 2, analyst, prefix="FEW")
    client.force_login(analyst)
    assert client.get(reverse("dashboard")).context["chart_title"] == "Open questions by set"
    series = [("unanswered", ""), ("partly", "")]
    counts = [(n, "unanswered", 2) for n in range(20)] + [(99, "answered", 3)]
    assert _chart_limit(counts, series) == " (the 15 with most, of 20 sets)"
    assert _chart_limit(counts[:15], series) == ""


def test_the_marking_filter_keeps_its_choices_after_the_api_schema_is_read(client, role_user):
    analyst = role_user("ana")
    synthetic.build(1, 3, analyst, prefix="MARK")
    marking = Question.objects.exclude(marking="").values_list("marking", flat=True).first()
    client.force_login(analyst)
    assert client.get(reverse("api-schema")).status_code == 200
    page = client.get(reverse("dashboard"), {"marking": marking})
    assert page.status_code == 200 and not page.context["filter"].errors and page.context["rows"]
    api = client.get(reverse("api-question-list"), {"marking": marking})
    assert api.status_code == 200 and api.json()["count"] > 0


@pytest.mark.parametrize("name", ["mine", "overdue", "to_review", "retired"])
def test_a_yes_no_filter_refuses_what_is_neither(client, role_user, name):
    analyst = role_user("ana")
    synthetic.build(1, 3, analyst, prefix="YN")
    client.force_login(analyst)
    export = client.get("/dashboard/export.csv", {name: "maybe"})
    assert export.status_code == 400 and "“maybe” is neither yes nor no" in export.content.decode()
    api = client.get(reverse("api-question-list"), {name: "maybe"})
    assert api.status_code == 400 and name in api.json()
    page = client.get(reverse("dashboard"), {name: "maybe"})
    assert name in page.context["filter"].errors
    for yes in ("yes", "true", "1"):
        assert client.get(reverse("api-question-list"), {name: yes}).status_code == 200


def test_the_api_schema_says_what_the_actions_answer(client, role_user):
    import yaml

    client.force_login(role_user("ana"))
    schema = yaml.safe_load(client.get(reverse("api-schema")).content)
    paths = schema["paths"]

    def answers(path: str, method: str, code: str) -> str:
        content = paths[path][method]["responses"][code].get("content", {})
        return content.get("application/json", {}).get("schema", {}).get("$ref", "") or str(content)

    assert answers("/api/suggestions/{id}/accept/", "post", "201").endswith("/Response")
    assert answers("/api/suggestions/{id}/reject/", "post", "200").endswith("/Suggestion")
    assert answers("/api/suggestions/{id}/restore/", "post", "200").endswith("/Suggestion")
    assert answers("/api/responses/{id}/retract/", "post", "200").endswith("/Response")
    assert "requestBody" not in paths["/api/responses/{id}/retract/"]["post"]
    assert answers("/api/requirement-sets/", "post", "201").endswith("/RequirementSet")
    assert "RequirementSetList" not in answers("/api/requirement-sets/{id}/coverage/", "get", "200")
    listed = schema["components"]["schemas"]["ListedQuestion"]["properties"]["last_response"]
    assert listed.get("nullable") is True


def test_a_refused_question_edit_names_its_field(client, role_user):
    analyst = role_user("ana", clearance="SECRET", noforn=False)
    made = synthetic.build(1, 3, analyst, prefix="EDIT")[0]
    first, second = made.questions.order_by("order")[:2]
    client.force_login(analyst)

    def patch(**fields):
        return client.patch(reverse("api-question-detail", args=[first.pk]), fields, content_type="application/json")

    assert set(patch(code=second.code).json()) == {"code"}
    assert set(patch(marking="S//NF").json()) == {"marking"}
    assert set(patch(marking="banana").json()) == {"marking"}
