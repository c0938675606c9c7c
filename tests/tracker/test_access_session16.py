"""Access, session 16: the admin's "view on site" redirect, restores that named a response the user may not
see, and posts read from a section heading beyond the reader's clearance."""
import re

import pytest
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.contrib.messages import get_messages
from django.test import RequestFactory
from django.urls import reverse

from cables.importing import import_paths
from cables.models import Cable
from tests.tracker.tasking import SECRET_TASKING
from tracker import reports, requirements, responses
from tracker.models import Response, Suggestion

pytestmark = pytest.mark.django_db

REPLY = """\
R 021200Z APR 09
FM AMEMBASSY ABUJA
TO SECSTATE WASHDC 0456
BT
S E C R E T ABUJA 000777

E.O. 12958: DECL: 04/02/2019
TAGS: PINR PREL NI
SUBJECT: (U) BANKING IN LAGOS

Classified By: Ambassador R. Sanders for reasons 1.4 (b) and (d).

1. (S) Bankers describe Lagos exchange houses moving cash for the gangs that attack offshore platforms.

2. (S//NF) Liaison named the financier who funds the attacks through Lagos banks.

3. (U) Post will report further.
SANDERS
"""


@pytest.fixture
def world(tmp_path, role_user):
    """The SECRET tasking (09STATE24680) made a set, a SECRET reply from Abuja with an (S//NF) paragraph, and
    two analysts cleared SECRET: `nf` NOFORN eligible, `plain` not."""
    (tmp_path / "tasking.txt").write_text(SECRET_TASKING)
    (tmp_path / "reply.txt").write_text(REPLY)
    assert import_paths([tmp_path / "tasking.txt", tmp_path / "reply.txt"]).new == 2
    nf, plain = role_user("nf"), role_user("plain", noforn=False)
    made = requirements.create_set(Cable.objects.get(reference_id="09STATE24680"), nf)
    return {"set": made, "question": made.questions.get(code="A.1"), "nf": nf, "plain": plain,
            "reply": Cable.objects.get(reference_id="09ABUJA777")}


def test_view_on_site_in_the_admin_leads_only_to_what_the_user_may_see(client, world, make_user):
    admin = make_user("siteadmin", staff=True, clearance="SECRET", noforn=False)
    admin.is_superuser = False
    admin.save()
    admin.groups.add(Group.objects.get(name="admin"))
    hidden = Cable.objects.create(reference_id="09STATE24999", classification="SECRET//NOFORN",
                                  origin="Secretary of State", body="")
    client.force_login(admin)
    cable_type = ContentType.objects.get_for_model(Cable).pk
    assert client.get(reverse("cable-detail", args=[hidden.reference_id])).status_code == 404
    refused = client.get(f"/admin/r/{cable_type}/{hidden.pk}/")
    assert refused.status_code == 404 and "24999" not in refused.get("Location", "")
    shown = client.get(f"/admin/r/{cable_type}/{world['reply'].pk}/")
    assert shown.status_code == 302 and shown["Location"].endswith(f"/cables/{world['reply'].reference_id}/")
    for bad in (f"/admin/r/{cable_type}/abc/", "/admin/r/99999/1/", "/admin/r/x/1/"):
        assert client.get(bad).status_code == 404, bad
    client.logout()
    assert client.get(f"/admin/r/{cable_type}/{world['reply'].pk}/").status_code == 302  # to the login page
    assert "login" in client.get(f"/admin/r/{cable_type}/{world['reply'].pk}/")["Location"]


def test_restoring_never_names_a_response_the_user_may_not_see(client, world):
    question, reply, nf, plain = world["question"], world["reply"], world["nf"], world["plain"]
    suggestion = Suggestion.objects.create(question=question, cable=reply, paragraph=reply.paragraphs.get(number="1"),
                                           paragraph_number="1", score=0.5)
    responses.reject(suggestion, plain)
    mine = responses.log(plain, reply, [question], ["1"], "partly")[0]
    responses.retract(mine, plain)
    hidden = responses.log(nf, reply, [question], ["1", "2"], "answers")[0]  # links the (S//NF) paragraph
    assert not Response.objects.visible_to(plain).filter(pk=hidden.pk).exists()

    client.force_login(plain)
    said = [str(m) for m in get_messages(client.post(reverse("suggestion-decide", args=[suggestion.pk]),
                                                     {"decision": "restore"}).wsgi_request)]
    suggestion.refresh_from_db()
    assert suggestion.state == Suggestion.OPEN and not any("already links" in m for m in said), said
    page = client.get(reverse("response-edit", args=[mine.pk])).content.decode()
    why = re.search(r"It cannot be restored[^<]*", page).group(0)
    assert "another current response" not in why and "by someone cleared for more of it" in why
    with pytest.raises(responses.ResponseError, match="someone cleared for more of it"):
        responses.restore(mine, plain)
    # Who may see the response is told what it is, as before.
    responses.reject(suggestion, nf)
    assert responses.restore_suggestion(suggestion, nf) == Suggestion.ACCEPTED
    assert "another current response" in responses.why_not_restorable(mine, nf)


@pytest.fixture
def withheld_heading(tmp_path, role_user):
    """The SECRET tasking with section A's heading marked (S//NF), the only text that names Accra."""
    text = SECRET_TASKING.replace("A. (U) FOR ABUJA AND ACCRA:", "A. (S//NF) FOR THE HALCYON WATCHERS IN ABUJA AND ACCRA:")
    text = text.replace("AMEMBASSY ACCRA 0202\n", "")
    (tmp_path / "t.txt").write_text(text)
    import_paths([tmp_path / "t.txt"])
    nf = role_user("nf")
    made = requirements.create_set(Cable.objects.get(reference_id="09STATE24680"), nf)
    assert made.sections.get(letter="A").marking == "SECRET//NOFORN"
    return made, nf, role_user("plain", noforn=False)


def test_posts_read_from_a_withheld_heading_are_withheld_with_it(client, withheld_heading):
    made, nf, plain = withheld_heading
    question = made.questions.get(code="A.1")
    accra = question.posts.get(name__icontains="Accra")

    def seen(user) -> dict:
        client.force_login(user)
        page = client.get(made.get_absolute_url()).content.decode()
        section = re.search(r'id="section\d+">.*?</table>', page, re.S).group(0)
        api = client.get(reverse("api-requirement-set-detail", args=[made.pk])).json()["sections"][0]
        coverage = client.get(reverse("api-requirement-set-coverage", args=[made.pk])).json()
        asked = client.get(reverse("api-question-list"), {"requirement_set": made.pk}).json()["results"]
        by_post = client.get(reverse("api-question-list"), {"post": accra.key, "status": "any"}).json()
        by_post = by_post.get("results")  # a post the user does not know is refused as an unknown one
        offered = client.get(reverse("dashboard")).content.decode()
        return {"page": "Accra" in section, "api section": "Accra" in " ".join(api["posts"]),
                "api question": any("Accra" in p for q in api["questions"] for p in q["posts"]),
                "coverage": any("Accra" in row["post"] for row in coverage["by_post"]),
                "addressed": any("Accra" in p for q in asked for p in q["addressed_posts"] + q["silent_posts"]),
                "post filter": bool(by_post), "offered": f'value="{accra.key}"' in offered}

    cleared = seen(nf)
    assert all(cleared.values()), cleared  # who may read the heading knows whom it tasks
    assert not any(seen(plain).values()), seen(plain)


def test_the_post_filter_does_not_match_by_posts_of_a_withheld_heading(rf, withheld_heading):
    from tracker.filters import DashboardFilter

    made, nf, plain = withheld_heading
    accra = made.questions.get(code="A.1").posts.get(name__icontains="Accra")
    matched = {}
    for user in (nf, plain):
        request = rf.get("/")
        request.user = user
        found = DashboardFilter(request=request).filter_post(made.questions.all(), "post", accra)
        matched[user.username] = sorted(found.values_list("code", flat=True))
    assert matched == {"nf": ["A.1", "A.2"], "plain": []}


def test_no_one_deletes_a_cable_in_the_admin(client, world, make_user):
    client.force_login(make_user("root", staff=True, clearance="TOP SECRET", noforn=True))  # a superuser
    reply = world["reply"]
    responses.log(world["nf"], reply, [world["question"]], ["1"], "answers")
    listing = client.get(reverse("admin:cables_cable_changelist")).content.decode()
    assert "delete_selected" not in listing
    client.post(reverse("admin:cables_cable_changelist"), {"action": "delete_selected", "_selected_action": [reply.pk],
                                                            "post": "yes"})
    assert client.get(reverse("admin:cables_cable_delete", args=[reply.pk])).status_code == 403
    assert Cable.objects.filter(pk=reply.pk).exists() and Response.objects.filter(cable=reply).count() == 1


def _admin_banners(page: str) -> list[str]:
    return re.findall(r'<div class="banner banner-[\w-]+" role="note"[^>]*>([^<]*)</div>', page)


def test_admin_pages_showing_cables_and_questions_carry_the_banner(client, world, make_user):
    reply = world["reply"]
    plain = make_user("plainadmin", staff=True, clearance="SECRET", noforn=False)
    plain.is_superuser = False
    plain.save()
    plain.groups.add(Group.objects.get(name="admin"))
    root = make_user("root", staff=True, clearance="TOP SECRET", noforn=True)
    requirements.edit_question(world["question"], world["nf"], marking="S//NF")
    change = world["set"].changes.filter(question=world["question"]).latest("pk")
    expected = {
        root: {reverse("admin:cables_cable_change", args=[reply.pk]): "SECRET//NOFORN",
               reverse("admin:cables_cable_changelist"): "SECRET",
               reverse("admin:tracker_requirementset_changelist"): "SECRET",
               reverse("admin:tracker_requirementchange_change", args=[change.pk]): "SECRET//NOFORN"},
        plain: {reverse("admin:cables_cable_change", args=[reply.pk]): "SECRET",  # its (S//NF) paragraph withheld
                reverse("admin:cables_cable_changelist"): "SECRET",
                reverse("admin:tracker_requirementset_change", args=[world["set"].pk]): "SECRET"},
    }
    for user, pages in expected.items():
        client.force_login(user)
        for url, banner in pages.items():
            page = client.get(url)
            assert page.status_code == 200, (user, url)
            assert _admin_banners(page.content.decode()) == [banner, banner], (user.username, url)
    assert _admin_banners(client.get(reverse("admin:index")).content.decode()) == []  # nothing of a cable


@pytest.fixture
def own_audience(tmp_path, role_user):
    """As `withheld_heading`, A.1 opening with an audience of its own that names no post ("FOR THE WATCHERS:"):
    it takes its section's posts all the same."""
    text = SECRET_TASKING.replace("A. (U) FOR ABUJA AND ACCRA:", "A. (S//NF) FOR THE HALCYON WATCHERS IN ABUJA AND ACCRA:")
    text = text.replace("AMEMBASSY ACCRA 0202\n", "").replace("1) (S) Who finances", "1) (S) FOR THE WATCHERS: Who finances")
    (tmp_path / "t.txt").write_text(text)
    import_paths([tmp_path / "t.txt"])
    nf = role_user("nf")
    made = requirements.create_set(Cable.objects.get(reference_id="09STATE24680"), nf)
    question = made.questions.get(code="A.1")
    assert question.audience and {"Abuja", "Accra"} <= {p.name for p in question.posts.all()}
    return made, question, nf, role_user("plain", noforn=False)


def _known(made, question, user) -> dict:
    from tracker.filters import DashboardFilter

    accra = question.posts.get(name__icontains="Accra")
    request = RequestFactory().get("/")
    request.user = user
    (row,) = [r for r in reports.matrix(made, user)["rows"] if r["post"] == "Paris"]
    return {"posts": [p.name for p in question.posts_for(user)],
            "asked": sorted(reports.addressed_posts([(question.pk, question.section_id, made.pk)], user)[question.pk]),
            "coverage": sorted(r["post"] for r in reports.coverage(made, user)["by_post"]),
            "filter": list(DashboardFilter(request=request).filter_post(made.questions.filter(pk=question.pk), "post",
                                                                         accra).values_list("code", flat=True)),
            "paris asked": row["asked"]}


def test_posts_of_a_withheld_heading_stay_withheld_under_an_own_audience_and_after_a_move(own_audience):
    made, question, nf, plain = own_audience
    assert "Accra" in " ".join(_known(made, question, nf)["posts"])
    hidden = _known(made, question, plain)
    assert hidden["posts"] == [] and hidden["asked"] == [] and hidden["filter"] == []
    assert not any("Accra" in post for post in hidden["coverage"])
    assert hidden["paris asked"] == 1  # B.1 only: A.1 is asked of no post this reader knows, not of the TO list
    requirements.edit_question(question, nf, section=made.sections.get(letter="B"))  # moved out of section A
    question.refresh_from_db()
    moved = _known(made, question, plain)
    assert moved["posts"] == [] and moved["filter"] == [] and not any("Accra" in p for p in moved["coverage"])


def test_the_migration_marks_the_posts_a_question_took_from_a_heading(own_audience):
    from django.apps import apps
    from importlib import import_module

    made, question, nf, plain = own_audience
    from tracker.models import Question

    Question.objects.filter(requirement_set=made).update(posts_marking="")  # as made before the field
    assert "Accra" in " ".join(p.name for p in Question.objects.get(pk=question.pk).posts_for(plain))
    import_module("tracker.migrations.0017_question_posts_marking").mark_inherited_posts(apps, None)
    assert Question.objects.get(pk=question.pk).posts_for(plain) == []
    assert Question.objects.get(requirement_set=made, code="B.1").posts_marking == ""  # its own section's, unmarked
