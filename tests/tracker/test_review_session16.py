"""Session 16's review of the pages: the days-since-tasking column sorts the way its arrow points, and the
dashboard's chart says it leaves sets out only where it does."""
import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.tracker import synthetic
from tracker.models import RequirementSet
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
