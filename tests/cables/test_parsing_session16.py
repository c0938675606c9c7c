"""Session 16: markings after a bullet or an item's label inside a paragraph raise it; an unmarked sub-paragraph is
held to its ancestors' access as well as to the access in force before it (and a question extracted from it too);
a lower-case letter in parentheses that a list's labels or the cable's classification show to be a label is no
marking; a CAL number wrapped at its dash is found; "(1)" at a line's start is an item as "1)" is."""
import html
import re
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.urls import reverse

from cables.importing import import_paths
from cables.markings import paragraph_accesses
from cables.parsing import collection_references, parse_cable_text
from cables.sources import parse_viewer_html
from tracker.extraction import extract

PAGES = Path(__file__).parents[1] / "data" / "pages"


def page_html(reference_id: str) -> str:
    return (PAGES / f"{reference_id}.html").read_text(encoding="utf-8")


def page_text(reference_id: str) -> str:
    """A viewer page's cable text as it was sent: its <pre> blocks, tags and entities gone."""
    blocks = re.findall(r"<pre[^>]*>(.*?)</pre>", page_html(reference_id), re.S | re.I)
    return "\n\n".join(html.unescape(re.sub(r"<[^>]+>", "", block)) for block in blocks)


def cable(body: str, classification: str = "C O N F I D E N T I A L", serial: str = "000123"):
    return parse_cable_text(
        "R 051423Z MAR 09\nFM AMEMBASSY ASUNCION\nTO RUEHC/SECSTATE WASHDC 1007\n\n"
        f"{classification} ASUNCION {serial}\n\nSIPDIS\n\nE.O. 12958: DECL: 03/05/2019\nTAGS: PREL\nSUBJECT: TEST\n\n"
        f"Classified By: Ambassador J. Doe, reasons 1.4 (b) and (d).\n\n{body}\n\nAYALDE\n")


TASKING = """\
R 082009Z MAY 09
FM SECSTATE WASHDC
TO AMEMBASSY ASUNCION 1111
AMEMBASSY MONTEVIDEO 2222
C O N F I D E N T I A L STATE 041235

SIPDIS

E.O. 12958: DECL: 05/08/2019
TAGS: PINR PREL PA
SUBJECT: (C) REPORTING REQUEST: TRI-BORDER AREA FINANCE (C-AL9-01235)

Classified By: Suzanne McCormick, Dir., INR/OPS. REASON: 1.4(C).

1. (C) Washington analysts would appreciate information on the
following questions.

A. ({a}) WHO ARE THE PRINCIPAL FINANCIERS OF HIZBALLAH IN CIUDAD
DEL ESTE?

1) ({a1}) WHAT IS THE ROLE OF CUSTOMS CHIEF JUAN PEREZ IN
FACILITATING THE TRANSFERS?

2) HOW DO THE FINANCIERS MOVE MONEY TO LEBANON?

B. (C) WHAT IS THE GOVERNMENT DOING ABOUT IT?

2. (U) PLEASE CITE C-AL9-01235 IN THE SUBJECT LINE OF
REPORTING IN RESPONSE TO THE ABOVE QUESTIONS.
CLINTON
"""


# ----------------------------------------------------------------------------- markings after bullets and labels

@pytest.mark.parametrize("leader", ["--", "-", "*", "\u2022", "\u2014", "\u2013", "o", "(1)", "(a)", "(i)", "(iv)"])
def test_a_marking_after_a_bullet_or_an_items_label_raises_its_paragraph(leader):
    found = cable(f"1. (C) Summary: fine.\n\n2. (C) The source told us:\n\n{leader} (C) The arrests began.\n\n"
                  f"{leader} (S/NF) The President ordered the arrests.\n\n3. (C) Comment: fine.").paragraphs
    held = [access for p, access in zip(found, paragraph_accesses(found), strict=True) if "President ordered" in p.text]
    assert held == [(2, True)]
    if not leader.startswith("(1"):  # "(1) (C) ...": items 2.1, 2.2 of their own, as "1) (C) ..." are
        assert [(p.number, p.marking) for p in found] == [("1", "C"), ("2", "S//NF"), ("3", "C")]


def test_letters_after_bullets_are_a_lists_labels_still_but_a_marking_after_a_bullet_counts():
    options, kept = cable("1. (U) The options are:\n-- (A) leave;\n-- (B) stay;\n-- (C) wait.\n\n"
                          "2. (U) Key points:\n-- (U) Talks went well.\n-- (C) The minister is ill.").paragraphs
    assert options.marking == "U"  # "(A) ... (B) ... (C)": labels, not markings
    assert kept.marking == "C"


def test_a_marking_after_a_dash_set_off_by_spaces_raises_its_paragraph_but_one_in_a_sentence_does_not():
    points, prose, comment = cable("1. KEY POINTS \u2014 (S/NF) The arrests were ordered.\n\n"
                                   "2. (C) The options -- (A) leave, (B) stay, (C) wait -- remain open.\n\n"
                                   "3. (C) Comment: fine, (S/NF) he said.").paragraphs
    assert points.marking == "S//NF" and paragraph_accesses([points]) == [(2, True)]
    assert (prose.marking, comment.marking) == ("C", "C")


def test_the_key_points_of_an_unmarked_paragraph_are_held_to_their_bullets_markings():
    """10CAIRO235 (CONFIDENTIAL) opens with "1. KEY POINTS", unmarked, over bullets marked (U) and (C): the
    paragraph was stored UNCLASSIFIED, its (C) bullets shown to every reader."""
    found = parse_viewer_html(page_html("10CAIRO235")).paragraphs
    assert (found[0].number, found[0].marking) == ("1", "C")
    assert paragraph_accesses(found)[0] == (1, False)


@pytest.mark.django_db
def test_an_snf_bullet_inside_an_unmarked_paragraph_is_withheld_from_a_confidential_reader(client, make_user,
                                                                                           tmp_path):
    page = page_html("10CAIRO235").replace("-- (C) According to Interior Ministry",
                                           "-- (S/NF) According to Interior Ministry")
    assert "(S/NF) According to Interior Ministry" in page
    (tmp_path / "10CAIRO235.html").write_text(page, encoding="utf-8")
    import_paths([tmp_path / "10CAIRO235.html"])
    client.force_login(make_user("c", clearance="CONFIDENTIAL", noforn=False))
    shown = client.get(reverse("cable-detail", args=["10CAIRO235"])).content.decode()
    assert "According to Interior Ministry" not in shown
    assert "three pillars guide" in shown  # paragraph 2, (C), still shown


# ----------------------------------------------------------------------------- unmarked text under its ancestors

def test_an_unmarked_paragraph_is_held_to_its_ancestors_as_well_as_to_the_access_in_force():
    def p(number, marking):
        return SimpleNamespace(number=number, marking=marking, text="Text.")

    assert paragraph_accesses([p("1", "C"), p("A", "S//NF"), p("A.1", "U"), p("A.2", ""), p("B", "C"),
                               p("B.1", ""), p("2", "U"), p("3", "")]) == [
        (1, False), (2, True), (0, False), (2, True), (1, False), (1, False), (0, False), (0, False)]
    # "2.A" under "2", "2.A.1" under "2.A" and "2"; a letter the number does not qualify under the number before it
    assert paragraph_accesses([p("2", "S//NF"), p("2.A", "U"), p("2.B", ""), p("2.B.1", "")]) == [
        (2, True), (0, False), (2, True), (2, True)]
    assert paragraph_accesses([p("1", "S//NF"), p("A", "U"), p("B", ""), p("A.1(2)", "")])[2:] == [
        (2, True), (2, True)]
    # a marked sub-paragraph keeps its own marking; text of no paragraph number takes the access in force only
    assert paragraph_accesses([p("A", "S//NF"), p("A.1", "U"), p(None, "")]) == [(2, True), (0, False), (0, False)]


def test_an_unmarked_paragraph_under_a_marked_heading_is_held_to_its_ancestors_too():
    text = TASKING.format(a="S/NF", a1="U").replace("2) HOW DO", "(C) LOGISTICS\n\n2) HOW DO")
    found = {p.number: p for p in parse_cable_text(text).paragraphs}
    assert (found["A.2"].heading, found["A.2"].marking) == ("LOGISTICS", "S//NF")


@pytest.mark.django_db
def test_an_unmarked_sub_item_of_an_snf_section_is_withheld_from_a_confidential_reader(client, make_user, tmp_path):
    (tmp_path / "tasking.txt").write_text(TASKING.format(a="S/NF", a1="U"), encoding="utf-8")
    import_paths([tmp_path / "tasking.txt"])
    client.force_login(make_user("c", clearance="CONFIDENTIAL", noforn=False))
    shown = client.get(reverse("cable-detail", args=["09STATE41235"])).content.decode()
    assert "CUSTOMS CHIEF JUAN PEREZ" in shown  # A.1, marked (U)
    assert "PRINCIPAL FINANCIERS" not in shown and "MOVE MONEY TO LEBANON" not in shown


def test_a_question_in_an_unmarked_paragraph_is_held_to_the_access_its_paragraph_is_stored_at():
    """A. (C) over "1) (S/NF) ...?" over an unmarked "2) ...?": the importer holds A.2 to the S//NF in force before
    it, and the question A.2 must not show a CONFIDENTIAL reader what the cable's page withholds."""
    parsed = parse_cable_text(TASKING.format(a="C", a1="S/NF"))
    stored = dict(zip((p.number for p in parsed.paragraphs), paragraph_accesses(parsed.paragraphs), strict=True))
    questions = {q.code: q.marking for q in extract(parsed).questions}
    assert stored["A.2"] == (2, True)
    assert questions == {"A": "C", "A.1": "S//NF", "A.2": "S//NF", "B": "C"}


# ----------------------------------------------------------------------------- lower-case letters as labels

def test_a_lower_case_list_letter_c_in_an_unclassified_cable_is_no_marking():
    """04THEHAGUE4 (UNCLASSIFIED) answers a list "(a)" ... "(g)" in paragraphs 37-44: "40. (c) Yes, ..." is the
    list's label, kept in the text; nothing after it is held CONFIDENTIAL."""
    parsed = parse_viewer_html(page_html("04THEHAGUE4"))
    accesses = paragraph_accesses(parsed.paragraphs)
    found = {p.number: (p, access) for p, access in zip(parsed.paragraphs, accesses, strict=True)}
    paragraph, access = found["40"]
    assert (paragraph.marking, access) == ("", (0, False))
    assert paragraph.text.startswith("(c) Yes, the Netherlands")
    assert all(found[str(n)][1] == (0, False) for n in range(37, 48))
    assert all(p.marking in ("", "U", "SBU") for p in parsed.paragraphs)


def test_a_lower_case_letter_is_a_label_among_its_siblings_and_a_marking_elsewhere():
    found = cable("1. (s) The minister said.\n\n2. (c) Two points:\n\n3. (a) The first.\n\n4. (b) The second.\n\n"
                  "5. (c) The third.\n\n6. (u) Open.", classification="S E C R E T").paragraphs
    # "5. (c)" runs on the list: its label, kept in the text; label or marking, it is held to the SECRET cable
    assert [(p.number, p.marking) for p in found] == [
        ("1", "S"), ("2", "C"), ("3", ""), ("4", ""), ("5", "S"), ("6", "U")]
    assert found[4].text == "(c) The third."
    # the cable's classification cannot hold a lower-case "(s)": CONFIDENTIAL, it is a label
    lower = cable("1. (c) The minister said.\n\n2. (s) The second.").paragraphs
    assert [(p.number, p.marking) for p in lower] == [("1", "C"), ("2", "")]
    assert paragraph_accesses(lower) == [(1, False), (1, False)]


# ----------------------------------------------------------------------------- CAL numbers wrapped at the dash

def test_a_cal_number_wrapped_at_its_dash_is_found():
    assert collection_references("PLEASE CITE C-AL8-\n02836 IN") == ("C-AL8-02836",)
    assert collection_references("PLEASE CITE C-AL8-  \n   02836 IN") == ("C-AL8-02836",)
    assert collection_references("cite C-AL8\u2013\n02836") == ("C-AL8-02836",)
    assert collection_references("ends C-AL8-\n\n02836 starts") == ()  # a paragraph break is no wrap


def test_a_tasking_whose_cal_number_wraps_at_its_dash_asks_replies_to_cite_it():
    text = page_text("09STATE47326")
    assert "PLEASE CITE C-NE9-00993 IN" in text and "BUILDINGS (C-NE9-00993)" in text
    text = text.replace("PLEASE CITE C-NE9-00993 IN", "PLEASE CITE C-NE9-\n00993 IN").replace(
        "BUILDINGS (C-NE9-00993)", "BUILDINGS")
    parsed = parse_cable_text(text)
    assert parsed.collection_references == ("C-NE9-00993",)
    assert extract(parsed).collection_reference == "C-NE9-00993"


# ----------------------------------------------------------------------------- "(1)" items

def test_items_numbered_in_parentheses_are_items_as_those_numbered_with_a_parenthesis():
    """09STATE47326 numbers two items under its lettered question B "1)", "2)"; written "(1)", "(2)" they are the
    same questions B.1 and B.2, not text of B."""
    original = parse_cable_text(page_text("09STATE47326"))
    text = re.sub(r"(?m)^(\s*)(\d)\)", r"\1(\2)", page_text("09STATE47326"))
    assert text != page_text("09STATE47326")
    parsed = parse_cable_text(text)
    assert [(p.number, p.marking) for p in parsed.paragraphs] == [(p.number, p.marking) for p in original.paragraphs]
    assert [q.code for q in extract(parsed).questions] == [q.code for q in extract(original).questions]
    assert len(extract(parsed).questions) == 9


def test_an_item_in_parentheses_is_one_of_a_lettered_section_that_is_not_in_a_sentence():
    """Under a lettered section, "(1)" starts an item after text that has ended, after the item before it, or under
    the section's title line; not "... attack" over "(1) the plea bargaining ...", a sentence going on. Under a
    numbered paragraph it is an item of the paragraph's own list, in its text, as before."""
    found = cable("1. (C) The talks:\n\nA. (C) Two points:\n(1) (S/NF) The first.\n(2) The second.\n\n"
                  "B. (C) Critics attack\n(1) the plea bargaining system and (2) delays.\n\n"
                  "C. Terrorism and Crime\n(1) Threats and Activities\n(2) Government Response\n\n"
                  "2. (C) Post should report on:\n(1) the lease;\n(2) the fuel.").paragraphs
    assert [(p.number, p.marking) for p in found] == [
        ("1", "C"), ("A", "C"), ("A.1", "S//NF"), ("A.2", ""), ("B", "C"), ("C", ""), ("C.1", ""), ("C.2", ""),
        ("2", "C")]
    assert paragraph_accesses(found)[3] == (2, True)
    assert found[-1].text == "Post should report on:\n(1) the lease;\n(2) the fuel."
