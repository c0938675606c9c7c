"""Gaps an analyst's walkthrough found: a section tasked to posts the set's TO list does not name (counted in
per-post coverage, the matrix and the dashboard), responses waiting for review found from the set page and the
dashboard, and the set report's export of which cable answered which question."""
import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from cables.importing import import_paths
from cables.models import Cable
from tests.conftest import PAGES, exported_csv
from tracker import dashboard, reports, requirements, responses
from tracker.models import Post

REPLY = """\
R 011200Z JUL 09
FM AMEMBASSY {post}
TO SECSTATE WASHDC 0101
BT
U N C L A S S I F I E D {post} 000{serial}

E.O. 12958: N/A
TAGS: PINR IR
SUBJECT: (U) TEHRAN MURALS

1. (U) Contacts say the murals on the former embassy's walls will be painted over this summer.

SIGNED
"""


@pytest.fixture
def murals(db, tmp_path):
    """09STATE47326, addressed to the Iran Collective alone, and a reply from Embassy Baku (not yet logged)."""
    (tmp_path / "baku.txt").write_text(REPLY.format(post="BAKU", serial=401))
    import_paths([PAGES / "09STATE47326.html", tmp_path / "baku.txt"])
    requirement_set = requirements.create_set(Cable.objects.get(reference_id="09STATE47326"))
    Post.for_addressees(["IRPO DUBAI", "AMEMBASSY BAKU"])  # known posts, outside the set's TO list
    return requirement_set


def _task_section_to(client, requirement_set, *keys: str):
    section = requirement_set.sections.get()
    posts = [Post.objects.get(key=key).pk for key in keys]
    response = client.post(reverse("section-edit", args=[section.pk]),
                           {"letter": section.letter, "audience": "FOR IRPO DUBAI AND EMBASSY BAKU", "posts": posts})
    assert response.status_code == 302, response.content.decode()
    return section


# ----------------------------------------------------------------------------- 1. sections tasked to any post


def test_the_section_form_offers_every_known_post_the_addressed_ones_first(client, analyst, murals):
    section = murals.sections.get()
    page = client.get(reverse("section-edit", args=[section.pk])).content.decode()
    addressed, others = page.index('<optgroup label="Addressed by this set">'), page.index(
        '<optgroup label="Other known posts">')
    assert addressed < page.index("Iran Collective (addressed)") < others
    assert others < page.index(">Baku<") and others < page.index(">IRPO Dubai<")
    add_page = client.get(reverse("section-add", args=[murals.pk])).content.decode()
    assert ">Baku<" in add_page and "Iran Collective (addressed)" in add_page


def test_a_section_tasked_beyond_the_to_list_counts_its_posts_silent_until_they_report(client, analyst, murals):
    section = _task_section_to(client, murals, "IRPODUBAI", "BAKU")
    assert {p.name for p in section.posts.all()} == {"IRPO Dubai", "Baku"}

    by_post = {row["post"]: row for row in reports.coverage(murals, analyst)["by_post"]}
    assert [row["post"] for row in reports.coverage(murals, analyst)["by_post"]][0] == "Iran Collective"
    for name in ("Baku", "IRPO Dubai"):
        assert by_post[name]["addressed"] and not by_post[name]["to_list"] and by_post[name]["responses"] == 0
    rows = {row["post"]: row for row in reports.matrix(murals, analyst)["rows"]}
    assert rows["Baku"]["addressed"] and rows["Baku"]["silent"] and rows["Baku"]["asked"] == 9
    page = client.get(murals.get_absolute_url()).content.decode()
    assert '<span class="post silent" title="0 responses: 0 answered">Baku</span>' in page
    first = murals.questions.order_by("order").first()
    (row,) = dashboard.with_posts([first], analyst)
    assert row.addressed == ["Baku", "IRPO Dubai"] and row.silent == ["Baku", "IRPO Dubai"]
    board = client.get(reverse("dashboard")).content.decode()
    assert '<span class="post silent">IRPO Dubai</span>' in board

    responses.log(analyst, Cable.objects.get(reference_id="09BAKU401"), [first], ["1"], "answers")
    by_post = {row["post"]: row for row in reports.coverage(murals, analyst)["by_post"]}
    assert by_post["Baku"]["responses"] == 1 and by_post["Baku"]["answered"] == 1
    assert by_post["IRPO Dubai"]["responses"] == 0
    rows = {row["post"]: row for row in reports.matrix(murals, analyst)["rows"]}
    assert not rows["Baku"]["silent"] and rows["IRPO Dubai"]["silent"]
    (row,) = dashboard.with_posts([first], analyst)
    assert row.silent == ["IRPO Dubai"]


# ----------------------------------------------------------------------------- 2. responses to review


@pytest.fixture
def reworded(murals, tmp_path, role_user):
    """Baku's (unclassified) reply answers A; Dubai's TOP SECRET reply answers A and C; then A and C are
    reworded, which flags all three responses to review. Returns (analyst cleared SECRET, one cleared TOP
    SECRET, questions by code)."""
    (tmp_path / "dubai.txt").write_text(REPLY.format(post="DUBAI", serial=402).replace(
        "U N C L A S S I F I E D", "T O P S E C R E T").replace("1. (U)", "1. (TS)"))
    import_paths([tmp_path / "dubai.txt"])
    dubai = Cable.objects.get(reference_id="09DUBAI402")
    assert dubai.classification == "TOP SECRET"
    ana, boss = role_user("ana"), role_user("boss", clearance="TOP SECRET")
    questions = {q.code: q for q in murals.questions.all()}
    responses.log(boss, Cable.objects.get(reference_id="09BAKU401"), [questions["A"]], ["1"], "answers")
    responses.log(boss, dubai, [questions["A"], questions["C"]], ["1"], "partly")
    for code in ("A", "C"):
        requirements.edit_question(questions[code], boss, text=questions[code].text + " Please be specific.")
    return ana, boss, questions


def _to_review_line(page: str) -> str:
    start = page.index('<dd class="to-review">')
    return page[start:page.index("</dd>", start)]


def test_the_set_page_counts_the_responses_to_review_the_reader_may_see(client, murals, reworded):
    ana, boss, questions = reworded
    client.force_login(ana)
    line = _to_review_line(client.get(murals.get_absolute_url()).content.decode())
    assert '<span class="flag review">1 response to review</span>' in line
    assert f'<a href="{reverse("question-detail", args=[questions["A"].pk])}">A</a>' in line
    assert ">C</a>" not in line  # Dubai's responses: beyond ana's clearance
    assert f"?requirement_set={murals.pk}&amp;to_review=true" in line
    client.force_login(boss)
    line = _to_review_line(client.get(murals.get_absolute_url()).content.decode())
    assert '<span class="flag review">3 responses to review</span>' in line and ">A</a> (2), " in line
    assert line.index(">A</a>") < line.index(">C</a>")

    responses.confirm(questions["A"].responses.get(cable__reference_id="09BAKU401"), ana)
    client.force_login(ana)
    assert "to review" not in client.get(murals.get_absolute_url()).content.decode()


def test_the_dashboard_and_the_api_filter_the_questions_with_responses_to_review(client, murals, reworded):
    ana, boss, questions = reworded
    client.force_login(ana)
    # A is answered (Baku): not open, yet its response waits for review, so the filter shows every status
    response = client.get(reverse("dashboard"), {"to_review": "true"})
    assert [q.code for q in response.context["rows"]] == ["A"]
    page = response.content.decode()
    assert "Requirements with responses to review" in page and "1 to review</a>" in page
    assert "A" not in [q.code for q in client.get(reverse("dashboard")).context["rows"]]
    assert "A" not in [q.code for q in client.get(reverse("dashboard"), {"to_review": "false",
                                                                         "status": "any"}).context["rows"]]
    assert [q.code for q in client.get(reverse("dashboard"), {"to_review": "true", "status": "open"})
            .context["rows"]] == []
    api = client.get(reverse("api-question-list"), {"to_review": "true"}).json()
    assert [(q["code"], q["responses_to_review"]) for q in api["results"]] == [("A", 1)]

    client.force_login(boss)
    api = client.get(reverse("api-question-list"), {"to_review": "true"}).json()
    assert sorted((q["code"], q["responses_to_review"]) for q in api["results"]) == [("A", 2), ("C", 1)]
    rows = client.get(reverse("dashboard"), {"to_review": "true"}).context["rows"]
    assert sorted(q.code for q in rows) == ["A", "C"]


# ----------------------------------------------------------------------------- 3. which cable answered what


def _csv_rows(response) -> list[dict]:
    return list(csv.DictReader(io.StringIO(exported_csv(response))))


def test_the_set_report_exports_which_cable_answered_which_question(client, murals, reworded):
    ana, boss, questions = reworded
    url = reverse("requirement-set-export", args=[murals.pk, "csv"])
    client.force_login(ana)
    response = client.get(url, {"table": "responses"})
    assert response.status_code == 200 and "-responses.csv" in response["Content-Disposition"]
    (row,) = _csv_rows(response)  # Dubai's TOP SECRET responses are beyond ana
    assert list(row) == ["Question", "Question text", "Cable", "Paragraphs", "Assessment", "Confidence", "Post",
                         "Cable date", "Logged by", "Logged on", "Note"]
    assert (row["Question"], row["Cable"], row["Paragraphs"], row["Assessment"], row["Confidence"], row["Post"],
            row["Cable date"], row["Logged by"]) == ("A", "09BAKU401", "1", "answers", "medium", "Baku",
                                                     "2009-07-01", "boss")
    assert row["Question text"].startswith("WHAT, IF ANY, ANTI-AMERICAN") and len(row["Question text"]) <= 120
    assert b"".join(client.get(url, {"table": "responses"}).streaming_content).decode("utf-8-sig").startswith(
        "SECRET//NOFORN")

    client.force_login(boss)
    response = client.get(url, {"table": "responses"})
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    assert text.splitlines()[0] == text.splitlines()[-1] == "TOP SECRET//NOFORN"  # it names a TOP SECRET cable
    rows = _csv_rows(client.get(url, {"table": "responses"}))
    assert [(r["Question"], r["Cable"], r["Assessment"]) for r in rows] == [
        ("A", "09BAKU401", "answers"), ("A", "09DUBAI402", "partly answers"), ("C", "09DUBAI402", "partly answers")]
    questions_csv = b"".join(client.get(url).streaming_content).decode("utf-8-sig")
    assert questions_csv.splitlines()[0] == "SECRET//NOFORN"  # no cable there: the set's banner
    book = load_workbook(io.BytesIO(client.get(reverse("requirement-set-export", args=[murals.pk, "xlsx"])).content))
    sheet = list(book["Responses"].values)
    assert sheet[0][:3] == ("Question", "Question text", "Cable") and len(sheet) == 4
    assert book.properties.subject == "TOP SECRET//NOFORN"


def test_a_retracted_response_is_not_exported(client, murals, reworded):
    ana, boss, questions = reworded
    responses.retract(questions["A"].responses.get(cable__reference_id="09BAKU401"), boss)
    client.force_login(boss)
    rows = _csv_rows(client.get(reverse("requirement-set-export", args=[murals.pk, "csv"]), {"table": "responses"}))
    assert [r["Cable"] for r in rows] == ["09DUBAI402", "09DUBAI402"]


def test_an_empty_dashboard_without_filters_says_there_is_no_open_question_to_see(client, role_user, murals):
    client.force_login(role_user("foreign", "reader", "SECRET", noforn=False))  # the set is SECRET//NOFORN
    page = client.get(reverse("dashboard")).content.decode()
    assert "There is no open question you may see." in page and "matches the filters" not in page
    page = client.get(reverse("dashboard"), {"tag": "PINR"}).content.decode()
    assert "No open question matches the filters." in page and "you may see" not in page
