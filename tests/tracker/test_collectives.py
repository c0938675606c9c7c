"""Taskings sent to a collective ("ALL DIPLOMATIC AND CONSULAR POSTS COLLECTIVE", "WESTERN HEMISPHERIC
AFFAIRS DIPL POSTS", "EU MEMBER STATES COLLECTIVE", "IRAN COLLECTIVE"): a post of the collective that
answers was addressed, and asked what the collective is asked; the collective is the group, silent only
while none of its members has answered. Coverage, the matrix and the dashboard alike."""
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cables.importing import import_paths
from cables.models import Cable
from tracker import dashboard, reports, requirements, responses
from tracker.posts import audience_posts, collective_members, covers, is_collective

TASKING = """\
R 121500Z MAR 09
FM SECSTATE WASHDC
TO {collective}
BT
S E C R E T STATE 024680

E.O. 12958: DECL: 03/12/2019
TAGS: PINR PREL MARR
SUBJECT: (U) FOREIGN NAVAL OUTREACH (C-GL9-00421)

Classified By: Director INR/OPS J. Smith for reasons 1.4 (b) and (d).

1. (S) Washington analysts seek information on foreign naval outreach to host governments.

A. (U) FOR ALL ADDRESSEES:

1) (S) Which foreign navies have called at host-country ports since January? Who arranged the visits?

2) (S) What do defense officials say privately about joint exercises with them?

2. (U) Please cite C-GL9-00421 in the subject line of reporting in response to the above questions.
CLINTON
"""

REPLY = """\
R 011200Z APR 09
FM AMEMBASSY {post}
TO SECSTATE WASHDC 0101
BT
S E C R E T {post} 000{serial}

E.O. 12958: DECL: 04/01/2019
TAGS: PINR MARR
SUBJECT: (S) FOREIGN NAVAL VISITS (C-GL9-00421)

1. (S) Defense contacts listed the navies that called at the port this year.

SIGNED
"""

WORLDWIDE = "ALL DIPLOMATIC AND CONSULAR POSTS COLLECTIVE"
WHA = "WESTERN HEMISPHERIC AFFAIRS DIPL POSTS"


# ----------------------------------------------------------------------------- membership, pure


@pytest.mark.parametrize("collective, member, outsider", [
    (WORLDWIDE, "AMEMBASSY CARACAS", "SECSTATE WASHDC"),
    ("ALL DIPLOMATIC AND CONSULAR POSTS", "USMISSION USUN NEW YORK", "Washington"),
    ("ALL POSTS", "Tokyo", "IRAN COLLECTIVE"),
    (WHA, "Caracas", "AMEMBASSY MOSCOW"),
    ("Western Hemispheric Affairs Dipl Posts", "AMCONSUL MONTERREY", "AMEMBASSY MADRID"),
    ("EU MEMBER STATES COLLECTIVE", "AMEMBASSY PARIS", "AMEMBASSY OSLO"),
    ("EU MEMBER STATES COLLECTIVE", "Berlin", "USEU BRUSSELS"),  # a mission, not a member state's embassy
    ("IRAN COLLECTIVE", "AMEMBASSY BAGHDAD", "AMEMBASSY CARACAS"),
    ("WHA CENTRAL AMERICAN COLLECTIVE", "AMEMBASSY MANAGUA", "AMEMBASSY CARACAS"),
    ("ALL SOUTH AND CENTRAL ASIA COLLECTIVE", "AMEMBASSY ISLAMABAD", "AMEMBASSY BEIJING"),
    ("CHINA POSTS COLLECTIVE", "AMCONSUL SHANGHAI", "AMEMBASSY TOKYO"),
    ("ALL US CONSULATES IN MEXICO COLLECTIVE", "AMCONSUL MONTERREY", "AMEMBASSY MEXICO"),
])
def test_a_collective_holds_the_posts_of_its_region(collective, member, outsider):
    assert is_collective(collective) and not is_collective(member)
    assert covers(collective, member) and not covers(collective, outsider)


def test_a_collective_named_for_a_topic_holds_no_post_and_audiences_read_as_before():
    assert collective_members("ENVIRONMENT SCIENCE AND TECHNOLOGY COLLECTIVE", ["Paris", "Caracas"]) == ()
    assert collective_members(WHA, ["Caracas", "Moscow", "Lima", "Washington"]) == ("Caracas", "Lima")
    assert not covers("AMEMBASSY CARACAS", "AMEMBASSY CARACAS")  # a post is no collective
    to = ["EU MEMBER STATES COLLECTIVE", "AMEMBASSY PARIS", "AMEMBASSY CARACAS"]
    assert audience_posts("For EU posts", to) == ("EU MEMBER STATES COLLECTIVE", "AMEMBASSY PARIS")


# ----------------------------------------------------------------------------- a set sent to a collective


def _set_to(tmp_path, collective: str, *replies: str):
    (tmp_path / "tasking.txt").write_text(TASKING.format(collective=collective))
    for n, post in enumerate(replies):
        (tmp_path / f"reply{n}.txt").write_text(REPLY.format(post=post, serial=401 + n))
    import_paths([tmp_path / "tasking.txt", *(tmp_path / f"reply{n}.txt" for n in range(len(replies)))])
    return requirements.create_set(Cable.objects.get(reference_id="09STATE24680"))


def _reply(post: str, n: int = 0) -> Cable:
    return Cable.objects.get(reference_id=f"09{post.replace(' ', '')}{401 + n}")


@pytest.fixture(params=["section", "set"])
def level(request):
    """Questions addressed through their section's posts (the collective), or through the set's alone."""
    return request.param


@pytest.mark.parametrize("collective, member, outsider", [
    (WORLDWIDE, "CARACAS", None),
    (WHA, "CARACAS", "MOSCOW"),
    ("EU MEMBER STATES COLLECTIVE", "PARIS", "CARACAS"),
    ("IRAN COLLECTIVE", "BAGHDAD", "CARACAS"),
])
def test_a_member_of_an_addressed_collective_is_addressed_and_answered(
        db, tmp_path, role_user, client, level, collective, member, outsider):
    analyst = role_user("ana")
    requirement_set = _set_to(tmp_path, collective, *filter(None, [member, outsider]))
    group = requirement_set.addressed_posts.get()
    assert is_collective(group.name)
    if level == "set":
        requirement_set.sections.get().posts.clear()
    else:
        assert list(requirement_set.sections.get().posts.all()) == [group]
    first, second = requirement_set.questions.order_by("order")
    responses.log(analyst, _reply(member), [first], ["1"], "answers")
    if outsider:
        responses.log(analyst, _reply(outsider, 1), [first], ["1"], "partly")
    name = _reply(member).responses.get().post.name
    outsider_name = _reply(outsider, 1).responses.get().post.name if outsider else None

    # Coverage by post: the member is addressed; the collective shows its members' responses.
    by_post = {row["post"]: row for row in reports.coverage(requirement_set, analyst)["by_post"]}
    assert by_post[name]["addressed"] and by_post[name]["responses"] == 1 and by_post[name]["via"] == [group.name]
    assert by_post[group.name]["collective"] and by_post[group.name]["members"] == [name]
    assert by_post[group.name]["responses"] == 1 and by_post[group.name]["questions_answered"] == 1
    if outsider:
        assert not by_post[outsider_name]["addressed"]

    # The matrix: the member asked both questions, answered one; the collective's row is the group.
    matrix = reports.matrix(requirement_set, analyst)
    rows = {row["post"]: row for row in matrix["rows"]}
    assert rows[name]["addressed"] and not rows[name]["silent"]
    assert (rows[name]["asked"], rows[name]["answered"]) == (2, 1)
    assert [c["asked"] for c in rows[name]["cells"]] == [True, True]
    assert rows[group.name]["collective"] and not rows[group.name]["silent"]
    assert rows[group.name]["members"] == [name] and rows[group.name]["cells"][0]["state"] == "answers"
    if outsider:
        assert not rows[outsider_name]["addressed"] and rows[outsider_name]["asked"] == 0
        assert [r["post"] for r in matrix["rows"]][-1] == outsider_name  # after the addressed posts

    # The dashboard: the member answered the first question; the collective is silent on the second only.
    first_row, second_row = dashboard.with_posts([first, second], analyst)
    assert name in first_row.addressed and first_row.silent == []
    assert second_row.addressed == [group.name] and second_row.silent == [group.name]
    client.force_login(analyst)
    api = client.get(reverse("api-question-detail", args=[first.pk])).json()
    assert name in api["addressed_posts"] and api["silent_posts"] == []
    open_page = client.get(reverse("dashboard")).content.decode()  # the second question, silent
    assert f'<span class="post silent">{group.name}</span>' in open_page and "1 of 1" in open_page
    answered_page = client.get(reverse("dashboard"), {"status": "answered"}).content.decode()
    assert "all 2 reported" in answered_page  # the collective and its member
    report = client.get(requirement_set.get_absolute_url()).content.decode()
    assert "(collective: 1 member reported)" in report and f"(in {group.name})" in report


def test_a_collective_no_member_answered_is_silent(db, tmp_path, role_user):
    analyst = role_user("ana")
    requirement_set = _set_to(tmp_path, WHA, "MOSCOW")
    responses.log(analyst, _reply("MOSCOW"), [requirement_set.questions.order_by("order")[0]], ["1"], "answers")
    rows = {row["post"]: row for row in reports.matrix(requirement_set, analyst)["rows"]}
    group = rows["Western Hemispheric Affairs Dipl Posts"]
    assert group["collective"] and group["addressed"] and group["silent"] and group["members"] == []
    assert not rows["Moscow"]["addressed"]
    by_post = {row["post"]: row for row in reports.coverage(requirement_set, analyst)["by_post"]}
    assert by_post["Western Hemispheric Affairs Dipl Posts"]["responses"] == 0


def test_collectives_cost_no_query_more_with_more_members(db, tmp_path, role_user):
    analyst = role_user("ana")
    members = ["CARACAS", "LIMA", "BOGOTA", "QUITO", "SANTIAGO"]
    requirement_set = _set_to(tmp_path, WORLDWIDE, *members)
    first, second = requirement_set.questions.order_by("order")

    def count():
        with CaptureQueriesContext(connection) as queries:
            reports.coverage(requirement_set, analyst)
            reports.matrix(requirement_set, analyst)
            dashboard.with_posts([first, second], analyst)
        return len(queries)

    responses.log(analyst, _reply(members[0]), [first], ["1"], "answers")
    one = count()
    for n, post in enumerate(members[1:], 1):
        responses.log(analyst, _reply(post, n), [first, second], ["1"], "partly")
    assert count() == one
    matrix = reports.matrix(requirement_set, analyst)
    assert sum(1 for row in matrix["rows"] if row["addressed"] and not row["collective"]) == len(members)


def test_the_dashboards_post_filter_finds_questions_sent_to_a_collective_the_post_belongs_to(
        db, tmp_path, role_user, client):
    from tracker.models import Post

    requirement_set = _set_to(tmp_path, WHA, "CARACAS", "MOSCOW")
    analyst = role_user("ana")
    first = requirement_set.questions.order_by("order")[0]
    responses.log(analyst, _reply("CARACAS"), [first], ["1"], "partly")
    responses.log(analyst, _reply("MOSCOW", 1), [first], ["1"], "partly")
    client.force_login(analyst)
    codes = {}
    for key in ("CARACAS", "MOSCOW"):
        assert Post.objects.filter(key=key).exists()
        response = client.get(reverse("dashboard"), {"post": key, "status": "open"})
        assert not response.context["filter"].errors
        codes[key] = sorted(q.code for q in response.context["rows"])
    assert codes["CARACAS"] == sorted(q.code for q in requirement_set.questions.all())
    assert codes["MOSCOW"] == []
