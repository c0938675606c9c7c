"""The demo (the README's first command) tells the whole story: the sets of the six tasking cables with
priorities and due dates, the responses an analyst logged, a populated dashboard; twice over it changes
nothing."""
import pytest
from django.core.management import call_command
from django.urls import reverse

from tracker.models import RequirementSet, Response

pytestmark = pytest.mark.django_db


def test_demo_with_pages_populates_the_dashboard_and_the_reports(capsys, client, django_user_model):
    call_command("demo", "--with-pages")
    out = capsys.readouterr().out
    assert RequirementSet.objects.count() == 6 and "53 responses logged (53 in all)" in out
    iran = RequirementSet.objects.get(tasking_cable__reference_id="09STATE6423")
    assert (iran.priority, iran.due.isoformat()) == ("high", "2009-04-23")  # tasked 2009-01-23, due 90 days later
    assert RequirementSet.objects.filter(status="closed").count() == 1
    assert Response.objects.filter(prior_reporting=True).exists()  # (suggestions are queued on commit: not here)
    analyst = django_user_model.objects.get(username="analyst")
    assert set(Response.objects.values_list("created_by", flat=True)) == {analyst.pk}
    client.force_login(analyst)
    dashboard = client.get(reverse("dashboard"))
    assert 40 < dashboard.context["page"].paginator.count < 82
    report = client.get(iran.get_absolute_url()).content.decode()
    assert "never responded" in report and report.count('<svg class="chart"') == 2
    call_command("demo", "--with-pages")
    assert "0 responses logged (53 in all)" in capsys.readouterr().out
