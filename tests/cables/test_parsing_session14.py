"""parse_cable_text on section headings wrapped over two lines, markings printed before a heading (held by the
paragraph under it, never below the marking in force), and REF lines that cite documents other than cables
(classification guides, intelligence reports, meetings, laws) beside the cables they must not swallow."""
from pathlib import Path

import pytest

from cables.importing import paragraph_accesses
from cables.parsing import parse_cable_text
from cables.sources import parse_viewer_html

PAGES = Path(__file__).parents[1] / "data" / "pages"


def page(reference_id: str):
    return parse_viewer_html((PAGES / f"{reference_id}.html").read_text(encoding="utf-8"))


def minimal_cable(body: str, header: str = "SUBJECT: TEST") -> str:
    """A cable from Embassy Rome around `body`: routing, classification line and E.O., then `header` lines."""
    return (
        "R 051200Z JAN 09\nFM AMEMBASSY ROME\nTO SECSTATE WASHDC 1234\n\n"
        "C O N F I D E N T I A L ROME 000123\n\nSIPDIS\n\nE.O. 12958: DECL: 01/05/2019\n"
        f"{header}\n\n{body}"
    )


def paragraphs(body: str):
    return parse_cable_text(minimal_cable(body)).paragraphs


# ----------------------------------------------------------------------------- headings wrapped over two lines

@pytest.mark.parametrize(("lines", "heading"), [
    ("IRAN-IRAQ RELATIONS --\nECONOMIC TIES", "IRAN-IRAQ RELATIONS -- ECONOMIC TIES"),
    ("Customs, Border Crossings, and\nTransit Fees", "Customs, Border Crossings, and Transit Fees"),
    ("Talks on the border regime resume\nafter long delays", "Talks on the border regime resume after long delays"),
    ("OPPOSITION LEADERS CALL FOR A VOTE\nIN THE SPRING", "OPPOSITION LEADERS CALL FOR A VOTE IN THE SPRING"),
    ("---------------------------\nTRADE ACROSS THE BORDER AND\nTHE NEW CUSTOMS UNION\n---------------------------",
     "TRADE ACROSS THE BORDER AND THE NEW CUSTOMS UNION"),
], ids=["ends-with-dashes", "ends-with-and", "goes-on-in-lower-case", "one-title-in-capitals", "framed"])
def test_a_heading_wrapped_over_two_lines_is_one_heading(lines, heading):
    first, second = paragraphs(f"1. (C) Trade grew in May.\n\n{lines}\n\n2. (C) Exports rose.")
    assert (second.number, second.heading) == ("2", heading)
    assert first.text == "Trade grew in May."


def test_two_short_lines_of_figures_head_nothing_but_a_wrapped_heading_does():
    body = ("1. (C) Seats won:\n\nPRI 45\nPAN 30\n\n2. (C) The PRI leads.\n\n"
            "THE PRI AND THE PAN --\nA NEW COALITION\n\n3. (C) Talks began.")
    assert [p.heading for p in paragraphs(body)] == ["", "", "THE PRI AND THE PAN -- A NEW COALITION"]
    assert paragraphs(body)[0].text == "Seats won:\n\nPRI 45\nPAN 30"


def test_a_name_over_a_title_underlined_is_one_heading_but_a_line_of_text_over_a_heading_is_not():
    body = ("1. (U) Bios follow.\n\nJane Roe\nMinister of Finance\n-------------------\n\n2. (C) Roe was born in 1950."
            "\n\nHer deputy is new\nDEPUTIES\n--------\n\n3. (C) Text.")
    first, second, third = paragraphs(body)
    assert (second.heading, third.heading) == ("Jane Roe, Minister of Finance", "DEPUTIES")
    assert first.text == "Bios follow."
    assert second.text == "Roe was born in 1950.\n\nHer deputy is new"


def test_wrapped_headings_of_real_cables_keep_both_lines():
    buenos_aires = {p.number: p for p in page("07BUENOSAIRES1246").paragraphs}
    assert buenos_aires["2"].heading == "GOA CN initiatives to improve interagency and international cooperation"
    assert not buenos_aires["1"].text.endswith("international")
    assert page("10RIYADH123").paragraphs[8].heading == "FM SAUD: CHINA NEEDS TO MORE ACTIVELY COUNTER IRANIAN NUKES"
    amman = {p.number: p for p in page("07AMMAN4693").paragraphs}
    assert amman["2"].heading == "Nader Dahabi, Prime Minister"
    assert amman["1"].text.endswith("Bios of Dahabi and his cabinet follow.")


def test_a_heading_whose_first_letter_the_page_broke_off_is_whole():
    brasilia = {p.number: p for p in page("09BRASILIA1230").paragraphs}
    assert brasilia["5"].heading == "Other Issues: Visitors, UNESCO"
    assert brasilia["4"].text.endswith("discussion at the meeting.")


# ----------------------------------------------------------------------------- a marking before a heading

def test_an_unmarked_paragraph_under_a_marked_heading_takes_its_marking():
    body = "1. (U) Trade grew.\n\n(C) OUTLOOK\n\n2. The outlook is grim.\n\n3. Talks go on."
    found = paragraphs(body)
    assert [(p.number, p.marking, p.heading) for p in found] == [
        ("1", "U", ""), ("2", "C", "OUTLOOK"), ("3", "", "")]
    assert paragraph_accesses(found) == [(0, False), (1, False), (1, False)]


def test_a_marked_heading_above_the_first_paragraph_marks_it():
    (first,) = paragraphs("(C) OUTLOOK\n\n1. The outlook is grim.")
    assert (first.number, first.marking, first.heading, first.text) == ("1", "C", "OUTLOOK", "The outlook is grim.")


@pytest.mark.parametrize(("in_force", "heading", "expected"), [
    ("S", "C", "S"),
    ("C//NF", "S", "S//NF"),
    ("U", "SBU", "SBU"),
])
def test_a_heading_marked_lower_than_the_text_before_lowers_nothing(in_force, heading, expected):
    found = paragraphs(f"1. ({in_force}) Trade grew.\n\n({heading}) OUTLOOK\n\n2. The outlook is grim.")
    assert found[1].marking == expected


def test_a_paragraph_marked_lower_than_its_heading_is_held_at_the_headings_marking():
    found = paragraphs("1. (U) Trade grew.\n\n(S) OUTLOOK\n\n2. (C) The outlook is grim.\n\n3. (U) Talks go on.")
    assert [(p.marking, p.heading) for p in found] == [("U", ""), ("S", "OUTLOOK"), ("U", "")]


def test_a_marked_heading_wrapped_over_two_lines_marks_the_paragraph_under_it():
    found = paragraphs("1. (U) Trade grew.\n\n(C) IRAN-IRAQ RELATIONS --\nECONOMIC TIES\n\n2. Trade grew again.")
    assert (found[1].marking, found[1].heading) == ("C", "IRAN-IRAQ RELATIONS -- ECONOMIC TIES")
    assert found[0].text == "Trade grew."


def test_a_marked_heading_over_unnumbered_text_heads_it():
    (only,) = paragraphs("(SBU) Economic Outlook\n\nThe economy grew five percent.")
    assert (only.number, only.marking, only.heading, only.text) == (
        None, "SBU", "Economic Outlook", "The economy grew five percent.")


# ----------------------------------------------------------------------------- REF lines with other documents

@pytest.mark.parametrize(("ref", "expected"), [
    ("DSCG 05-1 STATE 1234", [("", "DSCG 05-1", None), ("", "STATE 1234", "09STATE1234")]),
    ("USDAO ANKARA IIR 6 877 0123 05 ANKARA 345",
     [("", "USDAO ANKARA IIR 6 877 0123 05", None), ("", "ANKARA 345", "09ANKARA345")]),
    ("A. STATE 1234 B. DSCG 05-1 C. JCG MEETING 14 D. 05 PARIS 345",
     [("A", "STATE 1234", "09STATE1234"), ("B", "DSCG 05-1", None), ("C", "JCG MEETING 14", None),
      ("D", "05 PARIS 345", "05PARIS345")]),
    ("A. USDAO PARIS IIR 6 877 0123 05 AND 05 PARIS 345 B. STATE 12",
     [("A", "USDAO PARIS IIR 6 877 0123 05", None), ("A", "05 PARIS 345", "05PARIS345"),
      ("B", "STATE 12", "09STATE12")]),
    ("A. UNSC RESOLUTION 1701 B. 12 FAM 540 C. SECTION 1206 D. MADRID 18",
     [("A", "UNSC RESOLUTION 1701", None), ("B", "12 FAM 540", None), ("C", "SECTION 1206", None),
      ("D", "MADRID 18", "09MADRID18")]),
    ("A. LETTER FROM THE MINISTER DATED 12 DEC 08 AND STATE 1234",
     [("A", "LETTER FROM THE MINISTER DATED 12 DEC 08", None), ("A", "STATE 1234", "09STATE1234")]),
    ("STATE 1234 DATED 12 MAY 2008", [("", "STATE 1234 DATED 12 MAY 2008", "08STATE1234")]),
], ids=["guide-before-cable", "intelligence-report-before-cable", "lettered-guide-and-meeting",
        "report-and-cable-under-one-letter", "resolution-manual-and-law", "letter-and-cable-under-one-letter",
        "cable-with-its-date"])
def test_other_documents_on_the_ref_line_are_no_cables_and_swallow_none(ref, expected):
    cable = parse_cable_text(minimal_cable("1. (C) Text.", header=f"SUBJECT: TEST\nREF: {ref}"))
    assert [(r.label, r.text, r.reference_id) for r in cable.references] == expected


def test_a_lettered_ref_block_of_cables_and_documents_on_several_lines():
    ref = "REF: A. STATE 1234\n     B. DSCG 05-1\n     C. JCG MEETING 14\n     D. 05 PARIS 345"
    cable = parse_cable_text(minimal_cable("1. (C) Text.", header=f"SUBJECT: TEST\n{ref}"))
    assert [r.reference_id for r in cable.references] == ["09STATE1234", None, None, "05PARIS345"]
