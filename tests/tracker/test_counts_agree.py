"""The tracker's counts agree everywhere: a set's questions on the list, its page and its matrix (a retired
question is not a question of the set, and is said apart); a matrix row in words; the set report's exports
with the page's numbers and words; the dashboard's heading, filter chips and post names."""
import csv
import io
import re

import pytest
from django.urls import reverse
from django.utils.html import strip_tags

from cables.importing import import_paths
from cables.models import Cable
from tests.conftest import PAGES, TEXT_PAGE_SEED, exported_csv
from tracker import requirements, responses
from tracker.models import Post
from tracker.posts import post_name

pytestmark = pytest.mark.django_db


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", strip_tags(html)).strip()


def _list_cell(client, requirement_set) -> str:
    """The Questions cell of a set's row on the requirement-set list."""
    page = client.get(reverse("requirement-set-list")).content.decode()
    row = next(r for r in page.split("<tr>") if requirement_set.get_absolute_url() in r)
    return _text(re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)[-1])


def _set_page(client, requirement_set) -> dict:
    page = client.get(requirement_set.get_absolute_url()).content.decode()
    return {"questions": _text(re.search(r"<dt>Questions</dt><dd>(.*?)</dd>", page, re.S).group(1)),
            "all": _text(re.search(r'<tr class="total"><th>All</th><th>(.*?)</th>', page).group(1)),
            "matrix": _text(re.search(r"Which posts answered what <small>(.*?)</small>", page).group(1)),
            "page": page}


def test_the_list_the_set_page_and_the_matrix_count_the_same_questions(client, role_user, secret_tasking):
    """Three questions, one withheld from a reader without NOFORN; one of the two the reader sees retired:
    one question everywhere, the retired one said apart, the withheld one too."""
    analyst = role_user("ana")
    requirement_set = requirements.create_set(secret_tasking)
    requirements.retire_question(requirement_set.questions.get(code="B.1"), analyst)
    client.force_login(role_user("foreign", "reader", "SECRET", noforn=False))
    assert _list_cell(client, requirement_set) == "1 · 1 retired (1 withheld)"
    page = _set_page(client, requirement_set)
    assert page["questions"] == "1 · 1 retired · 1 withheld"
    assert page["all"] == "1" and page["matrix"].endswith("× 1 question")
    assert "1 question withheld" in page["page"]
    api = client.get(reverse("api-requirement-set-coverage", args=[requirement_set.pk])).json()
    assert (api["current"], api["retired"], api["withheld"]) == (1, 1, 1)

    # a retired question the reader may not see is no question of the set: not counted as withheld either
    requirements.retire_question(requirement_set.questions.get(code="A.2"), analyst)
    assert _list_cell(client, requirement_set) == "1 · 1 retired"
    page = _set_page(client, requirement_set)
    assert page["questions"] == "1 · 1 retired" and "withheld" not in page["page"]


def test_a_set_without_retired_questions_says_nothing_of_them(client, analyst, secret_tasking):
    requirement_set = requirements.create_set(secret_tasking)
    assert _list_cell(client, requirement_set) == "3"
    page = _set_page(client, requirement_set)
    assert page["questions"] == "3" and page["all"] == "3" and page["matrix"].endswith("× 3 questions")


@pytest.fixture
def iran(db):
    import_paths([PAGES / "09STATE6423.html", PAGES / "09MOSCOW2528.html", PAGES / "08SANTIAGO678.html",
                  TEXT_PAGE_SEED])
    return requirements.create_set(Cable.objects.get(reference_id="09STATE6423"))


@pytest.fixture
def answered(iran, analyst):
    """Santiago (addressed) answers two questions and partly a third; Moscow, not addressed, answers one."""
    santiago, moscow = (Cable.objects.get(reference_id=r) for r in ("08SANTIAGO678", "09MOSCOW2528"))
    responses.log(analyst, santiago, list(iran.questions.filter(code__in=["C.2", "C.3"])), ["8"], "answers")
    responses.log(analyst, santiago, [iran.questions.get(code="C.6")], ["8"], "partly")
    responses.log(analyst, moscow, [iran.questions.get(code="B.2")], [], "answers")
    return iran


def _matrix_rows(page: str) -> dict[str, str]:
    """{post: the matrix row's last column} from a set's page."""
    rows = re.findall(r'<th class="post-name">(.*?)</th>.*?<td class="nowrap answered-of-asked">(.*?)</td>', page,
                      re.S)
    return {_text(name).split(" (")[0].split(" never")[0]: _text(words) for name, words in rows}


def test_a_matrix_row_says_in_words_what_the_post_answered_of_what_it_was_asked(client, answered):
    page = client.get(answered.get_absolute_url()).content.decode()
    rows = _matrix_rows(page)
    asked = rows["Santiago"].rsplit(" of ", 1)[1]
    assert rows["Santiago"] == f"2 answered + 1 partly of {asked}" and re.fullmatch(r"\d+ asked", asked)
    assert rows["Moscow"] == "1 answered, without being asked"  # not addressed: was "1 / 0"
    assert rows["Asuncion"].startswith("0 answered of ")
    assert "Answered of asked" in page and " / 0<" not in page


def _csv(client, url: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(exported_csv(client.get(url)))))


def test_the_report_exports_use_the_pages_numbers_and_words(client, answered):
    url = reverse("requirement-set-export", args=[answered.pk, "csv"])
    posts = _csv(client, url + "?table=posts")
    assert posts[0] == ["Post", "Addressed", "Responses", "Answered", "Partly", "Last reported"]
    by_post = {row[0]: row for row in posts[1:]}
    assert by_post["Santiago"][:5] == ["Santiago", "yes", "3", "2", "1"]  # the page's "2 answered + 1 partly"
    assert by_post["Moscow"][:5] == ["Moscow", "no", "1", "1", "0"]
    assert by_post["Asuncion"] == ["Asuncion", "yes", "0", "0", "0", ""]
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}", by_post["Santiago"][5])  # not an ISO timestamp
    matrix = _csv(client, url + "?table=matrix")
    assert matrix[0][-1] == "Answered of asked"
    words = {row[0]: row for row in matrix[1:]}
    page = _matrix_rows(client.get(answered.get_absolute_url()).content.decode())
    assert {post: row[-1] for post, row in words.items()} == page
    assert words["Moscow"][1:3] == ["no", "no"] and words["Asuncion"][1:3] == ["yes", "yes"]
    dashboard = list(csv.DictReader(io.StringIO(exported_csv(client.get(reverse("dashboard-export", args=["csv"]))
                                                         ))))
    assert {r["Overdue"] for r in dashboard} == {"no"} and {r["Prior reporting only"] for r in dashboard} <= {
        "yes", "no"}


def test_the_sections_export_counts_questions_as_the_page_does(client, analyst, iran):
    requirements.retire_question(iran.questions.get(code="C.7"), analyst)
    sections = _csv(client, reverse("requirement-set-export", args=[iran.pk, "csv"]) + "?table=sections")
    assert sections[-1][:3] == ["All", "", "19"] and sections[-1][6] == "1"  # 19 questions, 1 retired apart
    assert _set_page(client, iran)["all"] == "19"


def test_the_dashboard_heading_follows_the_status_filter(client, answered):
    page = client.get(reverse("dashboard")).content.decode()
    assert re.search(r"<h1>Unanswered requirements <small>\d+ questions", page)
    page = client.get(reverse("dashboard"), {"status": "answered"}).content.decode()
    assert "<h1>Answered requirements <small>3 questions</small></h1>" in page  # C.2, C.3 and B.2
    assert "<title>Answered requirements" in page and "Unanswered requirements" not in page
    assert "Answered questions by set" in page
    printed = client.get(reverse("dashboard-print"), {"status": "partly"}).content.decode()
    assert "<h1>Partly answered requirements" in printed
    export = client.get(reverse("dashboard-export", args=["csv"]), {"status": "answered"})
    assert "answered-requirements-" in export["Content-Disposition"]


def _chips(page: str) -> dict[str, tuple[str, str]]:
    """{filter name: (what the chip says, the query that removes it)}."""
    return {name: (_text(shown), href.replace("&amp;", "&"))
            for href, name, shown in re.findall(r'<a class="chip" href="/dashboard/\?([^"]*)"[^>]*'
                                                r'data-filter="([^"]+)">(.*?)</a>', page, re.S)}


def test_the_dashboard_shows_its_filters_as_chips_each_removing_itself(client, answered):
    query = {"requirement_set": answered.pk, "status": "answered", "priority": "medium", "overdue": "false",
             "post": "SANTIAGO", "sort": "-code", "page": "1"}
    page = client.get(reverse("dashboard"), query).content.decode()
    chips = _chips(page)
    assert set(chips) == {"requirement_set", "status", "priority", "overdue", "post"}  # not the sort, nor the page
    assert chips["requirement_set"][0].startswith("Set: 09STATE6423: Iranian outreach")
    assert chips["status"][0] == "Status: answered ×" and chips["overdue"][0] == "Overdue: no ×"
    assert chips["post"][0] == "Addressed to post: Santiago ×"
    removed = dict(pair.split("=") for pair in chips["status"][1].split("&"))
    assert "status" not in removed and removed["post"] == "SANTIAGO" and removed["sort"] == "-code"
    assert "page" not in removed
    assert "Clear all" in page
    assert "<h1>Unanswered requirements" in client.get(reverse("dashboard") + "?" + chips["status"][1]).content.decode()
    assert not _chips(client.get(reverse("dashboard"), {"status": "open"}).content.decode())  # the default


def test_an_invalid_filter_has_a_chip_that_removes_it(client, answered):
    page = client.get(reverse("dashboard"), {"status": "answered", "tasked_after": "not-a-date"}).content.decode()
    chips = _chips(page)
    assert chips["tasked_after"][0] == "Tasked on or after: not-a-date (not valid) ×"
    assert chips["tasked_after"][1] == "status=answered"
    assert "A filter is not valid" in page and "<h1>Unanswered requirements</h1>" in page


@pytest.mark.parametrize("written, name", [
    ("UN ROME", "UN Rome"),
    ("09UNROME12", "UN Rome"),
    ("USUN ROME", "USUN Rome"),
    ("UN SECURITY COUNCIL COLLECTIVE", "UN Security Council Collective"),
    ("EU MEMBER STATES COLLECTIVE", "EU Member States Collective"),
    ("NATO POSTS COLLECTIVE", "NATO Posts Collective"),
    ("USMISSION OSCE VIENNA", "OSCE Vienna"),
    ("IAEA VIENNA", "IAEA Vienna"),
    ("ASEAN COLLECTIVE", "ASEAN Collective"),
    ("AU COLLECTIVE", "AU Collective"),
    ("OAS COLLECTIVE", "OAS Collective"),
    ("AMEMBASSY PORT AU PRINCE", "Port au Prince"),  # a small word inside a name, not the African Union
    ("UNITED ARAB EMIRATES COLLECTIVE", "United Arab Emirates Collective"),  # a word, not a mission code
])
def test_acronyms_stay_upper_case_in_a_posts_name(written, name):
    assert post_name(written) == name


def test_the_dashboard_post_filter_shows_un_missions_by_their_names(client, analyst, iran):
    iran.addressed_posts.add(*Post.for_addressees(["UN SECURITY COUNCIL COLLECTIVE", "USMISSION UN ROME"]))
    page = client.get(reverse("dashboard")).content.decode()
    options = re.search(r'<select name="post"[^>]*>(.*?)</select>', page, re.S).group(1)
    assert ">UN Security Council Collective</option>" in options and ">UN Rome</option>" in options
    assert "Un " not in options


def test_stored_post_names_are_recased_by_the_migration_unless_an_admin_wrote_them_otherwise(db):
    import importlib

    from django.apps import apps

    from tracker.models import Post

    migration = importlib.import_module("tracker.migrations.0011_post_names_keep_acronyms")
    Post.objects.create(key="USUNROMEX", name="Un Rome")
    Post.objects.create(key="UNSCX", name="Un Security Council Collective")
    Post.objects.create(key="ROMEX", name="The Eternal City")
    migration.recase(apps, None)
    names = dict(Post.objects.filter(key__endswith="X").values_list("key", "name"))
    assert names == {"USUNROMEX": "UN Rome", "UNSCX": "UN Security Council Collective", "ROMEX": "The Eternal City"}


def test_questions_outside_any_section_are_named_so_in_the_coverage_tables(client, analyst, iran_cable):
    from django.urls import reverse

    from tracker import requirements

    requirement_set = requirements.create_set(iran_cable)
    requirements.edit_question(requirement_set.questions.get(code="A.1"), analyst, section=None)
    for name in ("requirement-set-detail", "requirement-set-print"):
        page = client.get(reverse(name, args=[requirement_set.pk])).content.decode()
        assert "<td><em>Outside any section</em></td><td>1</td>" in page, name
    printed = client.get(reverse("requirement-set-print", args=[requirement_set.pk])).content.decode()
    assert '<tr class="total"><th>All</th><th>20</th>' in printed
