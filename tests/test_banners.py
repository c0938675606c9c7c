"""The classification banner, top and bottom of every page showing cables or questions: the highest
classification of what the page shows this user, never of anything withheld from them; on the print pages in
the head and foot of the table that frames them, which repeat on every printed sheet. And a section's audience
kept to a length the set's page can show."""
import re

import pytest
from django.urls import reverse

from cables import markings
from cables.importing import import_paths
from cables.models import Cable
from tests.conftest import PAGES, SEEDS
from tests.tracker.tasking import SECRET_TASKING
from tests.tracker.test_visibility_leaks import SECRET_REPLY
from tracker import forms, requirements, responses, views
from tracker.models import Question, Response, Section

pytestmark = pytest.mark.django_db

BANNER = re.compile(r'<div class="banner banner-([\w-]+)"[^>]*>([^<]*)</div>')


# ----------------------------------------------------------------------------- the vocabulary's rule


@pytest.mark.parametrize("marks, expected", [
    ([], "UNCLASSIFIED"),
    (["", None, "U"], "UNCLASSIFIED"),
    (["U", "SBU"], markings.UNCLASSIFIED_FOUO),
    (["U//FOUO", "UNCLASSIFIED"], markings.UNCLASSIFIED_FOUO),
    (["C", "U//FOUO"], "CONFIDENTIAL"),
    (["CONFIDENTIAL", "S"], "SECRET"),
    (["S", "C//NF"], "SECRET//NOFORN"),  # NOFORN of a lower portion still binds the page
    (["SECRET//NOFORN", "TS"], "TOP SECRET//NOFORN"),
    (["TOP SECRET", "U"], "TOP SECRET"),
])
def test_the_highest_of_several_markings(marks, expected):
    assert markings.highest(marks) == expected
    assert markings.highest(marks) in markings.CLASSIFICATIONS


def test_a_banner_names_its_colour_by_level():
    assert markings.banner(["C//NF"]) == {"text": "CONFIDENTIAL//NOFORN", "colour": "confidential"}
    assert markings.banner([])["colour"] == "unclassified"
    assert markings.banner(["S"])["colour"] == "secret" and markings.banner(["TS"])["colour"] == "top-secret"


# ----------------------------------------------------------------------------- the pages


def _banners(html: str) -> list[tuple[str, str]]:
    return BANNER.findall(html)


def _page_banner(client, url: str) -> str:
    """The banner of a page of base.html, checked to stand once above the menu and once below the content."""
    page = client.get(url)
    assert page.status_code == 200, url
    html = page.content.decode()
    found = _banners(html)
    assert len(found) == 2 and found[0] == found[1], (url, found)
    assert html.index('class="banner') < html.index('<header class="top"'), url
    assert html.rindex('class="banner') > html.index("</main>"), url
    return found[0][1]


def _print_banner(client, url: str) -> str:
    """The banner of a print page, checked to be the head and the foot of the frame around its content (which
    repeat on every printed sheet: tests/browser/test_banners.py)."""
    page = client.get(url)
    assert page.status_code == 200, url
    html = page.content.decode()
    found = _banners(html)
    assert len(found) == 2 and found[0] == found[1], (url, found)
    frame = re.search(r'<table class="print-frame"[^>]*>\s*<thead><tr><td>(.*?)</td></tr></thead>\s*'
                      r"<tfoot><tr><td>(.*?)</td></tr></tfoot>\s*<tbody>", html, re.S)
    assert frame and BANNER.search(frame[1]) and BANNER.search(frame[2]), url
    assert f"handle at the highest marking shown: {found[0][1]}" in html
    return found[0][1]


@pytest.fixture
def confidential_set(tmp_path):
    """A CONFIDENTIAL tasking cable whose questions are A.1 (C), A.2 (C//NF) and B.1 (C)."""
    text = SECRET_TASKING.replace("S E C R E T STATE 024680", "C O N F I D E N T I A L STATE 024680")
    path = tmp_path / "confidential-tasking.txt"
    path.write_text(text.replace("1) (S)", "1) (C)"))
    assert import_paths([path]).new == 1
    cable = Cable.objects.get(reference_id="09STATE24680")
    assert cable.classification == "CONFIDENTIAL"
    made = requirements.create_set(cable)
    assert dict(made.questions.values_list("code", "marking")) == {"A.1": "C", "A.2": "C//NF", "B.1": "C"}
    return made


def _raise_b1(made) -> None:
    """B.1 marked (S) by an analyst, above its cable, as 08LAPAZ751's paragraphs are."""
    requirements.edit_question(made.questions.get(code="B.1"), None, marking="S")


def _set_pages(made) -> dict[str, str]:
    return {"set": made.get_absolute_url(), "dashboard": reverse("dashboard")}


def _print_pages(made) -> dict[str, str]:
    return {"set print": reverse("requirement-set-print", args=[made.pk]),
            "dashboard print": reverse("dashboard-print")}


def test_a_secret_question_raises_the_set_pages_banner_to_secret(client, role_user, confidential_set):
    client.force_login(role_user("secret-only", "analyst", "SECRET", noforn=False))
    for where, url in _set_pages(confidential_set).items():
        assert _page_banner(client, url) == "CONFIDENTIAL", where  # the cable's, and every question's
    for where, url in _print_pages(confidential_set).items():
        assert _print_banner(client, url) == "CONFIDENTIAL", where
    _raise_b1(confidential_set)
    for where, url in _set_pages(confidential_set).items():
        assert _page_banner(client, url) == "SECRET", where
    for where, url in _print_pages(confidential_set).items():
        assert _print_banner(client, url) == "SECRET", where
    html = client.get(confidential_set.get_absolute_url()).content.decode()
    assert html.count('<div class="banner banner-secret"') == 2


def test_a_reader_cleared_confidential_sees_no_secret_banner(client, role_user, confidential_set):
    _raise_b1(confidential_set)
    client.force_login(role_user("confidential", "analyst", "CONFIDENTIAL", noforn=False))
    pages = {**_set_pages(confidential_set), "cable list": reverse("cable-list"),
             "cable": reverse("cable-detail", args=["09STATE24680"])}
    for where, url in pages.items():
        assert _page_banner(client, url) == "CONFIDENTIAL", where
    for where, url in _print_pages(confidential_set).items():
        assert _print_banner(client, url) == "CONFIDENTIAL", where
    page = client.get(confidential_set.get_absolute_url()).content.decode()
    assert "banner-secret" not in page and "A.1" in page and "B.1" not in page


def test_noforn_shows_in_the_banner_of_an_eligible_reader_only(client, role_user, confidential_set):
    client.force_login(role_user("noforn", "analyst", "SECRET", noforn=True))
    assert _page_banner(client, confidential_set.get_absolute_url()) == "CONFIDENTIAL//NOFORN"  # A.2 shown
    _raise_b1(confidential_set)
    assert _print_banner(client, reverse("dashboard-print")) == "SECRET//NOFORN"
    client.force_login(role_user("secret-only", "analyst", "SECRET", noforn=False))
    assert _page_banner(client, confidential_set.get_absolute_url()) == "SECRET"


def test_a_cables_page_counts_the_paragraphs_shown(client, make_user):
    import_paths([PAGES / "08LAPAZ751.html"])  # CONFIDENTIAL, with (S) and (S//NF) paragraphs
    url = reverse("cable-detail", args=["08LAPAZ751"])
    client.force_login(make_user("confidential", clearance="CONFIDENTIAL"))
    assert _page_banner(client, url) == "CONFIDENTIAL"
    client.force_login(make_user("cleared", clearance="SECRET", noforn=True))
    assert _page_banner(client, url) == "SECRET//NOFORN"


def test_the_cable_list_is_classified_by_the_rows_it_shows(analyst_client):
    import_paths([SEEDS, PAGES])
    page = analyst_client.get(reverse("cable-list"))
    assert _page_banner(analyst_client, reverse("cable-list")) == markings.highest(
        row.classification for row in page.context["page"])
    unclassified = reverse("cable-list") + "?classification=UNCLASSIFIED"
    assert _page_banner(analyst_client, unclassified) == "UNCLASSIFIED"
    assert _banners(analyst_client.get(unclassified).content.decode())[0][0] == "unclassified"
    nothing = reverse("cable-list") + "?q=nosuchwordanywhere"
    assert _page_banner(analyst_client, nothing) == "UNCLASSIFIED"


def test_the_set_forms_carry_the_sets_banner_and_pages_without_content_none(client, role_user, confidential_set):
    _raise_b1(confidential_set)
    client.force_login(role_user("secret-only", "analyst", "SECRET", noforn=False))
    a1 = confidential_set.questions.get(code="A.1")
    assert _page_banner(client, reverse("question-edit", args=[a1.pk])) == "SECRET"  # B.1 (S) offered to merge
    assert _page_banner(client, reverse("question-add", args=[confidential_set.pk])) == "CONFIDENTIAL"
    section = confidential_set.sections.first()
    assert _page_banner(client, reverse("section-edit", args=[section.pk])) == "CONFIDENTIAL"
    assert _page_banner(client, reverse("candidate-list")) == "UNCLASSIFIED"  # no candidate: nothing shown
    assert _page_banner(client, reverse("requirement-set-list")) == "CONFIDENTIAL"  # the set's title is shown
    client.logout()
    assert not _banners(client.get(reverse("login")).content.decode())


def test_a_questions_banner_counts_only_the_responses_its_reader_sees(tmp_path, role_user, confidential_set):
    path = tmp_path / "reply.txt"
    path.write_text(SECRET_REPLY)
    import_paths([path])
    a1 = confidential_set.questions.get(code="A.1")
    cleared = role_user("cleared", "analyst", "SECRET", noforn=True)
    responses.log(cleared, Cable.objects.get(subject__icontains="PIRACY FINANCING"), [a1], ["2"], "answers")
    for user, expected in ((cleared, "SECRET"), (role_user("confidential", "analyst", "CONFIDENTIAL"), "CONFIDENTIAL")):
        question = Question.objects.visible_to(user).select_related("requirement_set__tasking_cable").get(pk=a1.pk)
        shown = list(Response.objects.visible_to(user).filter(question=question).select_related("cable"))
        assert views.question_banner(question, shown, [], user)["text"] == expected


# ----------------------------------------------------------------------------- a section's audience


def test_a_long_audience_is_refused_with_its_text_kept(client, role_user, confidential_set):
    client.force_login(role_user("ana"))
    section = confidential_set.sections.get(letter="A")
    typed = "For " + "Abuja " * 500
    page = client.post(reverse("section-edit", args=[section.pk]), {"letter": "A", "audience": typed})
    assert page.status_code == 400
    html = page.content.decode()
    assert f"at most {forms.AUDIENCE_LIMIT} characters; this one has {len(typed.strip()):,}" in html
    assert typed.strip() in html  # what was typed is there to shorten
    section.refresh_from_db()
    assert section.audience == "For Abuja and Accra"
    added = client.post(reverse("section-add", args=[confidential_set.pk]), {"letter": "C", "audience": typed})
    assert added.status_code == 400 and not confidential_set.sections.filter(letter="C").exists()
    fits = "For " + "Abuja " * 30
    assert client.post(reverse("section-add", args=[confidential_set.pk]),
                       {"letter": "C", "audience": fits}).status_code == 302
    assert confidential_set.sections.get(letter="C").audience == fits.strip()
    # a long audience already stored (as extracted, before the limit) does not stop other edits
    stored = "For " + "Abuja " * 100
    Section.objects.filter(pk=section.pk).update(audience=stored.strip())
    page = client.post(reverse("section-edit", args=[section.pk]), {"letter": "A1", "audience": stored.strip()})
    assert page.status_code == 302
    section.refresh_from_db()
    assert section.letter == "A1"


def test_a_questions_page_carries_its_banner(client, role_user, confidential_set):
    _raise_b1(confidential_set)
    b1 = confidential_set.questions.get(code="B.1")
    client.force_login(role_user("secret-only", "analyst", "SECRET", noforn=False))
    assert _page_banner(client, reverse("question-detail", args=[b1.pk])) == "SECRET"
    a1 = confidential_set.questions.get(code="A.1")
    assert _page_banner(client, reverse("question-detail", args=[a1.pk])) == "CONFIDENTIAL"
    client.force_login(role_user("confidential", "analyst", "CONFIDENTIAL", noforn=False))
    assert _page_banner(client, reverse("question-detail", args=[a1.pk])) == "CONFIDENTIAL"


def test_the_dashboard_counts_each_rows_set_as_well_as_its_question(client, role_user, confidential_set):
    """A CONFIDENTIAL set whose questions are all marked (U): the dashboard shows the set's title and its
    sections' audiences, text of the CONFIDENTIAL tasking cable."""
    confidential_set.questions.update(marking="U", level=0, noforn=False)
    client.force_login(role_user("confidential", "analyst", "CONFIDENTIAL"))
    assert _page_banner(client, reverse("dashboard")) == "CONFIDENTIAL"
    assert _print_banner(client, reverse("dashboard-print")) == "CONFIDENTIAL"


def test_the_response_pages_and_the_waiting_list_carry_a_banner(client, role_user, confidential_set, tmp_path):
    path = tmp_path / "reply.txt"
    path.write_text(SECRET_REPLY)
    import_paths([path])
    reply = Cable.objects.get(subject__icontains="PIRACY FINANCING")
    cleared = role_user("cleared", "analyst", "SECRET", noforn=True)
    client.force_login(cleared)
    assert _page_banner(client, reverse("response-create")) == "CONFIDENTIAL//NOFORN"  # A.2 (C//NF) offered
    assert _page_banner(client, reverse("response-create") + f"?cable={reply.reference_id}").startswith("SECRET")
    [logged] = responses.log(cleared, reply, [confidential_set.questions.get(code="A.1")], ["2"], "answers")
    assert _page_banner(client, reverse("response-edit", args=[logged.pk])).startswith("SECRET")
    assert _page_banner(client, reverse("response-retract", args=[logged.pk])).startswith("SECRET")
    assert _page_banner(client, reverse("waiting-list")) == "UNCLASSIFIED"  # nothing waits


UNCLASSIFIED_REPLY = """\
R 021200Z APR 09
FM AMEMBASSY ACCRA
TO SECSTATE WASHDC 0457
BT
UNCLAS ACCRA 000321

E.O. 12958: N/A
TAGS: PREL GH
SUBJECT: PORT SECURITY IN TEMA (C-AF9-00421)

1. Tema port officials described new patrols of the anchorage and said piracy financing is not discussed.
CLINTON
"""


def test_a_cables_page_counts_the_set_titles_its_requirements_part_shows(client, role_user, confidential_set,
                                                                         tmp_path):
    """An UNCLASSIFIED reply that cites a CONFIDENTIAL tasking names that set by its title, the tasking cable's
    words: the page is CONFIDENTIAL for a reader who sees the set, and stays UNCLASSIFIED for one who may not
    (the citation then reads as a reference with no set)."""
    path = tmp_path / "reply.txt"
    path.write_text(UNCLASSIFIED_REPLY)
    assert import_paths([path]).new == 1
    url = reverse("cable-detail", args=["09ACCRA321"])
    client.force_login(role_user("secret-only", "analyst", "SECRET", noforn=False))
    html = client.get(url).content.decode()
    assert confidential_set.title in html
    assert _page_banner(client, url) == "CONFIDENTIAL"
    client.force_login(role_user("unclassified", "analyst", "UNCLASSIFIED", noforn=False))
    html = client.get(url).content.decode()
    assert confidential_set.title not in html and "C-AF9-00421" in html
    assert _page_banner(client, url) == "UNCLASSIFIED"
