"""A set has an owner, the analyst who follows it: whoever made it, handed over on the set's page or by the
API to another analyst cleared for it; "My sets" on the dashboard and the set list."""
import json
from importlib import import_module

import pytest
from django.apps import apps
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cables.importing import import_paths
from cables.models import Cable
from tests.conftest import PAGES
from tracker import requirements
from tracker.models import RequirementChange, RequirementSet

pytestmark = pytest.mark.django_db


@pytest.fixture
def sets(role_user):
    """Cuba (09STATE40419) made by ana, Iran (09STATE6423) by bob; both SECRET//NOFORN."""
    import_paths([PAGES / "09STATE40419.html", PAGES / "09STATE6423.html"])
    ana, bob = role_user("ana"), role_user("bob")
    return (requirements.create_set(Cable.objects.get(reference_id="09STATE40419"), ana),
            requirements.create_set(Cable.objects.get(reference_id="09STATE6423"), bob), ana, bob)


def test_whoever_makes_a_set_owns_it_and_its_page_says_so(client, sets):
    cuba, iran, ana, bob = sets
    assert (cuba.owner, iran.owner) == (ana, bob)
    client.force_login(ana)
    page = client.get(cuba.get_absolute_url()).content.decode()
    assert '<dd class="owner">ana (you)</dd>' in page
    assert '<dd class="owner">bob</dd>' in client.get(iran.get_absolute_url()).content.decode()


def test_a_set_is_handed_only_to_an_analyst_cleared_for_it(client, sets, role_user):
    cuba, iran, ana, bob = sets
    role_user("reader", role="reader")  # may not edit sets
    role_user("cora", clearance="CONFIDENTIAL", noforn=False)  # may not see these
    client.force_login(ana)
    page = client.get(cuba.get_absolute_url()).content.decode()
    offered = page[page.index('name="owner"'):page.index("</select>", page.index('name="owner"'))]
    assert ">ana<" in offered and ">bob<" in offered and "reader" not in offered and "cora" not in offered
    form = {"title": cuba.title, "status": "active", "priority": "high", "due": "", "owner": bob.pk}
    assert client.post(reverse("requirement-set-edit", args=[cuba.pk]), form).status_code == 302
    cuba.refresh_from_db()
    assert cuba.owner == bob
    change = RequirementChange.objects.filter(requirement_set=cuba, action="set edited").latest("pk")
    assert (change.before["owner"], change.after["owner"]) == ("ana", "bob")
    cora = cuba.owner.__class__.objects.get(username="cora")
    refused = client.post(reverse("requirement-set-edit", args=[cuba.pk]), form | {"owner": cora.pk})
    assert refused.status_code == 400 and "Select a valid choice" in refused.content.decode()
    with pytest.raises(requirements.RequirementError, match="cora may not follow this set"):
        requirements.edit_set(cuba, ana, owner=cora)


def test_my_sets_on_the_dashboard_the_set_list_and_the_api(client, sets, role_user):
    cuba, iran, ana, bob = sets
    client.force_login(ana)
    listed = client.get(reverse("dashboard"), {"mine": "true"}).context["rows"]
    assert listed and {q.requirement_set_id for q in listed} == {cuba.pk}
    others = client.get(reverse("dashboard"), {"mine": "false"}).context["rows"]
    assert {q.requirement_set_id for q in others} == {iran.pk}
    page = client.get(reverse("requirement-set-list"), {"mine": "true"}).content.decode()
    assert cuba.title in page and iran.title not in page
    api = client.get(reverse("api-requirement-set-list"), {"mine": "true"}).json()
    assert [(row["id"], row["owner"]) for row in api["results"]] == [(cuba.pk, "ana")]
    patched = client.patch(reverse("api-requirement-set-detail", args=[iran.pk]), {"owner": "ana"},
                           content_type="application/json")
    assert patched.status_code == 200 and patched.json()["owner"] == "ana"
    role_user("cora", clearance="CONFIDENTIAL", noforn=False)
    refused = client.patch(reverse("api-requirement-set-detail", args=[iran.pk]), {"owner": "cora"},
                           content_type="application/json")
    assert refused.status_code == 400 and "cora may not follow this set" in refused.json()["owner"][0]


def test_the_migration_gives_a_set_made_before_owners_to_its_maker(sets):
    cuba, iran, ana, bob = sets
    RequirementSet.objects.update(owner=None)
    import_module("tracker.migrations.0016_set_owner").owners_are_makers(apps, None)
    assert list(RequirementSet.objects.order_by("pk").values_list("owner__username", flat=True)) == ["ana", "bob"]


def test_saving_a_set_keeps_an_owner_who_may_no_longer_follow_it(client, sets):
    from django.contrib.auth.models import Group

    cuba, iran, ana, bob = sets
    ana.groups.set([Group.objects.get(name="reader")])  # ana moves to reading
    client.force_login(bob)
    page = client.get(cuba.get_absolute_url()).content.decode()
    assert ">ana (may no longer follow it)<" in page
    form = {"title": "Cuba and Russia", "status": "active", "priority": "high", "due": "", "owner": ana.pk}
    assert client.post(reverse("requirement-set-edit", args=[cuba.pk]), form).status_code == 302
    cuba.refresh_from_db()
    assert (cuba.title, cuba.owner) == ("Cuba and Russia", ana)


def test_the_api_refuses_an_unknown_owner_as_it_refuses_one_not_cleared(client, sets, role_user):
    cuba, iran, ana, bob = sets
    role_user("cora", clearance="CONFIDENTIAL", noforn=False)
    client.force_login(ana)
    answers = [client.patch(reverse("api-requirement-set-detail", args=[cuba.pk]), {"owner": name},
                            content_type="application/json").json()["owner"][0] for name in ("cora", "nobody")]
    assert [answer.replace("cora", "X").replace("nobody", "X") for answer in answers] == [
        "X may not follow this set: only an active analyst cleared for its tasking cable may"] * 2


def test_who_may_follow_a_set_by_role_by_grant_or_as_superuser(sets, role_user, make_user,
                                                              django_assert_num_queries):
    cuba, iran, ana, bob = sets
    granted = make_user("gil", clearance="SECRET", noforn=True)  # no role: the permission given to him alone
    granted.user_permissions.add(Permission.objects.get(codename="change_requirementset"))
    boss = make_user("boss", staff=True, clearance="TOP SECRET", noforn=True)
    gone = role_user("gone")
    gone.is_active = False
    gone.save()
    role_user("reader", role="reader")
    role_user("cora", clearance="CONFIDENTIAL", noforn=False)
    with django_assert_num_queries(1):
        ids = requirements.owners_for(cuba)
    assert ids == {ana.pk, bob.pk, granted.pk, boss.pk}


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the planner's estimate is PostgreSQL's")
def test_the_owners_query_stays_below_postgresqls_jit_threshold(sets, role_user):
    """Written as joins over groups and grants, the query was estimated at millions of rows whatever the
    data, crossed PostgreSQL's JIT threshold and spent 0.8 s compiling on every set page."""
    cuba = sets[0]
    with CaptureQueriesContext(connection) as captured:
        requirements.owners_for(cuba)
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit_above_cost")
        threshold = float(cursor.fetchone()[0])
        cursor.execute("EXPLAIN (FORMAT JSON) " + captured.captured_queries[-1]["sql"])
        plan = cursor.fetchone()[0]
    plan = json.loads(plan) if isinstance(plan, str) else plan
    assert plan[0]["Plan"]["Total Cost"] < min(threshold, 100_000)
