"""The cable list's search and tag filter on SQLite: a "quoted phrase" finds the cables holding those words
in that order (across a line wrap too), repeated tag= parameters filter by every tag given, and the page's
chips, facet links, search form and pages keep every tag."""
import re
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from django.urls import reverse

from cables.importing import import_paths
from cables.models import Cable, Paragraph
from tests.conftest import PAGES, SEEDS

pytestmark = pytest.mark.django_db


@pytest.fixture
def store():
    import_paths([SEEDS, PAGES])


def _listed(client, params) -> set[str]:
    page = client.get(reverse("cable-list"), params)
    assert page.status_code == 200
    return {row.reference_id for row in page.context["page"]}


def _api(client, params) -> set[str]:
    found = client.get("/api/cables/?" + urlencode(params)).json()
    assert found["count"] == len(found["results"])  # one page holds them
    return {row["reference_id"] for row in found["results"]}


def _holding(pattern: str) -> set[str]:
    """The cables whose subject, a heading or a paragraph holds the pattern (case aside), read in Python."""
    found = {c.reference_id for c in Cable.objects.all() if re.search(pattern, c.subject, re.I)}
    for paragraph in Paragraph.objects.select_related("cable"):
        if re.search(pattern, f"{paragraph.heading}\n{paragraph.text}", re.I):
            found.add(paragraph.cable.reference_id)
    return found


def test_a_quoted_phrase_finds_the_cables_holding_it_and_no_others(analyst_client, store):
    expected = _holding(r"nuclear\s+program")
    either = _holding("nuclear") & _holding("program")
    assert "08SANJOSE181" in expected  # "its nuclear\nprogram": the phrase wraps at the end of a line
    assert len(expected) > 5 and len(either) > len(expected)  # the words apart are in more cables
    found = _listed(analyst_client, {"q": '"nuclear program"'})
    assert found == expected
    assert _listed(analyst_client, {"q": "nuclear program"}) == either  # unquoted: both words, anywhere
    assert _api(analyst_client, {"q": '"nuclear program"'}) == expected


def test_a_phrase_and_a_word_together_need_both(analyst_client, store):
    expected = _holding(r"nuclear\s+program") & _holding("tehran")
    assert expected and expected != _holding(r"nuclear\s+program")
    assert _listed(analyst_client, {"q": '"nuclear program" tehran'}) == expected
    assert _listed(analyst_client, {"q": 'tehran "NUCLEAR  PROGRAM"'}) == expected  # any case, any spacing


def test_a_phrase_never_finds_a_cable_by_a_paragraph_withheld_from_the_reader(client, make_user, store):
    # 08LAPAZ751 is CONFIDENTIAL, with (S) paragraphs: a CONFIDENTIAL reader sees the cable, not them
    secret = Paragraph.objects.filter(cable__reference_id="08LAPAZ751", level=2).first()
    words = " ".join(secret.text.split()[:4])
    assert not Paragraph.objects.filter(cable__reference_id="08LAPAZ751", level__lt=2,
                                        text__icontains=words).exists()
    client.force_login(make_user("cleared", clearance="SECRET", noforn=True))
    assert "08LAPAZ751" in _listed(client, {"q": f'"{words}"'})
    client.force_login(make_user("confidential", clearance="CONFIDENTIAL"))
    assert "08LAPAZ751" not in _listed(client, {"q": f'"{words}"'})


def _tagged(*tags) -> set[str]:
    return {c.reference_id for c in Cable.objects.prefetch_related("tags")
            if set(tags) <= {tag.name for tag in c.tags.all()}}


def test_repeated_tags_filter_by_every_tag(analyst_client, store):
    both = _tagged("PREL", "IR")
    assert both and both != _tagged("IR") and both != _tagged("PREL")
    assert _listed(analyst_client, [("tag", "PREL"), ("tag", "IR")]) == both
    assert _listed(analyst_client, [("tag", "IR"), ("tag", "PREL")]) == both
    assert _listed(analyst_client, {"tag": "IR"}) == _tagged("IR")
    assert _api(analyst_client, [("tag", "PREL"), ("tag", "IR")]) == both
    page = analyst_client.get(reverse("cable-list"), [("tag", "PREL"), ("tag", "IR")])
    assert page.context["page"].paginator.count == len(both)
    assert dict(page.context["facets"]["tag"])["IR"] == len(both)  # the facets count the rows of both


def _chips(html: str) -> list[tuple[str, str, dict]]:
    block = re.search(r'<ul class="active-filters".*?</ul>', html, re.S)[0]
    return [(name, text, parse_qs(urlsplit(href.replace("&amp;", "&")).query))
            for href, name, text in re.findall(
                r'<a class="chip" href="([^"]*)"[^>]*data-filter="([^"]+)">(.*?)</a>', block, re.S)]


def test_the_chips_facet_links_search_form_and_pages_keep_every_tag(analyst_client, store):
    query = [("tag", "PREL"), ("tag", "IR")]
    html = analyst_client.get(reverse("cable-list"), query).content.decode()
    chips = _chips(html)
    tag_chips = [(text, left) for name, text, left in chips if name == "tag"]
    assert len(tag_chips) == 2  # one chip a tag, each removing its own tag alone
    for text, left in tag_chips:
        shown = "PREL" if "PREL" in text else "IR"
        assert left == {"tag": ["IR" if shown == "PREL" else "PREL"]}, text
    # another facet's link adds its value to both tags
    year_link = re.search(r'<a href="\?([^"]*year=\d{4})"', html)[1].replace("&amp;", "&")
    assert parse_qs(year_link)["tag"] == ["PREL", "IR"]
    # a search from the form keeps both
    form = re.search(r'<form method="get" class="search">.*?</form>', html, re.S)[0]
    assert re.findall(r'<input type="hidden" name="tag" value="([^"]*)"', form) == ["PREL", "IR"]
    # so does a search with them, and its chips
    searched = analyst_client.get(reverse("cable-list"), [*query, ("q", "iran")]).content.decode()
    assert [name for name, _, _ in _chips(searched)].count("tag") == 2
    # and the next page of a longer list
    longer = analyst_client.get(reverse("cable-list"), [("tag", "PREL"), ("tag", "PGOV")]).content.decode()
    assert len(_tagged("PREL", "PGOV")) > 50
    next_page = re.search(r'<a href="\?([^"]*)">Next', longer)[1].replace("&amp;", "&")
    assert parse_qs(next_page) == {"tag": ["PREL", "PGOV"], "page": ["2"]}


def test_the_tag_facet_adds_a_tag_to_those_in_force_and_marks_each_in_force(analyst_client, store):
    html = analyst_client.get(reverse("cable-list"), [("tag", "PREL"), ("tag", "IR")]).content.decode()
    facet = re.search(r"<h2>Tag</h2>.*?</ul>", html, re.S)[0]
    active = dict(re.findall(r'<li class="active"><a href="[^"?]*\?([^"]*)"[^>]*>([^<]+)</a>', facet))
    assert sorted(active.values()) == ["IR", "PREL"]  # both tags in force are marked, each removes itself
    assert {parse_qs(q.replace("&amp;", "&")).get("tag", [""])[0] for q in active} == {"IR", "PREL"}
    other = re.search(r'<li><a href="\?([^"]*)">([^<]+)</a>', facet)
    assert parse_qs(other[1].replace("&amp;", "&"))["tag"] == ["PREL", "IR", other[2]]
