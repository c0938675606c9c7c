"""Markings a post wrote in less usual ways are read, so that no reader below them sees their text: caveats set off
by commas ("(S/NF, ORCON)"), a marking after a paragraph's heading ("2. MILITARY TIES (S/NF): ..."), a full stop set
apart from its number ("2 . (S/NF)"), NOFORN alone ("(NF)"); and two page lines left in the text are removed: a later
section's head with its caveat beside it, and "Page 2 of 5"."""
import pytest
from django.urls import reverse

from cables import markings
from cables.importing import import_paths
from cables.markings import paragraph_accesses
from cables.models import Cable
from cables.parsing import parse_cable_text
from tracker.extraction import extract


def cable(body: str, classification: str = "C O N F I D E N T I A L", serial: str = "000123"):
    return parse_cable_text(
        "R 051423Z MAR 09\nFM AMEMBASSY ASUNCION\nTO RUEHC/SECSTATE WASHDC 1007\n\n"
        f"{classification} ASUNCION {serial}\n\nSIPDIS\n\nE.O. 12958: DECL: 03/05/2019\nTAGS: PREL\nSUBJECT: TEST\n\n"
        f"Classified By: Ambassador J. Doe, reasons 1.4 (b) and (d).\n\n{body}\n\nAYALDE\n")


def rows(parsed):
    """(number, marking, access) of each paragraph."""
    accesses = paragraph_accesses(parsed.paragraphs)
    return [(p.number, p.marking, access) for p, access in zip(parsed.paragraphs, accesses, strict=True)]


def access_of(parsed, words: str) -> tuple[int, bool]:
    """The access of the paragraph that holds `words`."""
    accesses = paragraph_accesses(parsed.paragraphs)
    found = [access for p, access in zip(parsed.paragraphs, accesses, strict=True) if words in p.text]
    assert len(found) == 1, [p.text for p in parsed.paragraphs]
    return found[0]


# ----------------------------------------------------------------------------- 1. caveats set off by commas


def test_caveats_set_off_by_commas_read_as_caveats_set_off_by_slashes():
    assert markings.canonical_marking("S/NF, ORCON") == markings.canonical_marking("S/NF/ORCON") == "S//NF//OC"
    assert markings.canonical_marking("S/NF,ORCON") == "S//NF//OC"
    assert markings.canonical_marking("C, REL TO USA, GBR") == "C//REL"
    assert markings.canonical_marking("S//NF, FGI") == "S//NF"
    assert markings.canonical_marking("S//NF, LES") == "S//NF"  # an unknown caveat beside NOFORN
    assert markings.canonical_marking("S, NF") == "S//NF"
    # words in parentheses are no marking, commas or not
    assert [markings.canonical_marking(text) for text in ("UN, EU", "C, D", "S, LES", "S/CT")] == [None] * 4


def test_an_unread_marking_that_names_noforn_keeps_its_level_whatever_sets_them_apart():
    assert markings.unread_marking_access("(S/NF, X-1) The minister said") == (2, True)
    assert markings.unread_marking_access("(S/NF/X1) The minister said") == (2, True)
    assert markings.unread_marking_access("(S/CT) funds were spent") is None  # the counterterrorism office


def test_a_paragraph_marked_with_caveats_set_off_by_commas_is_held_at_its_level_and_noforn():
    parsed = cable("1. (C) The minister spoke.\n\n2. (S/NF, ORCON) HALCYONWARD pays the gangs.\n\n"
                   "3. (C, REL TO USA, GBR) The weather was fine.\n\n4. (S//NF, FGI) CARDINAL named the bank.\n\n"
                   "5. (C) Comment: none.")
    assert rows(parsed) == [("1", "C", (1, False)), ("2", "S//NF//OC", (2, True)), ("3", "C//REL", (1, False)),
                            ("4", "S//NF", (2, True)), ("5", "C", (1, False))]
    assert parsed.paragraphs[1].text == "HALCYONWARD pays the gangs."
    assert parsed.paragraphs[2].text == "The weather was fine."


def test_a_comma_marking_on_a_lettered_section_a_sub_paragraph_and_a_run_in_paragraph():
    parsed = cable("1. (C) The minister spoke:\n\nA. (S/NF, ORCON) HALCYONWARD pays the gangs.\n\n"
                   "2. (C) The mayor spoke.\n\n2(a) (S//NF, FGI) CARDINAL named the bank.\n\n"
                   "3. (C) He left in 2008. 4. (S/NF, ORCON) VALDEZ stayed behind.")
    assert access_of(parsed, "HALCYONWARD") == (2, True)
    assert access_of(parsed, "CARDINAL") == (2, True)
    assert access_of(parsed, "VALDEZ") == (2, True)
    assert [p.number for p in parsed.paragraphs] == ["1", "A", "2", "2.A", "3", "4"]


CABLE = """\
R 021200Z APR 09
FM AMEMBASSY ABUJA
TO SECSTATE WASHDC 0456
BT
C O N F I D E N T I A L ABUJA 000778

E.O. 12958: DECL: 04/02/2019
TAGS: PINR PREL NI
SUBJECT: (U) DELTA FINANCIERS

Classified By: Ambassador R. Sanders for reasons 1.4 (b) and (d).

1. (C) The governor spoke of the patrols.

2. (S/NF, ORCON) HALCYONWARD pays the gangs.

3. MILITARY TIES (S/NF): CARDINAL named the bank.

4. (U) The weather was fine.

SANDERS
"""


def test_a_confidential_noforn_reader_reads_none_of_the_secret_paragraphs(tmp_path, client, make_user):
    path = tmp_path / "abuja.txt"
    path.write_text(CABLE)
    assert import_paths([path]).new == 1
    stored = Cable.objects.get(reference_id="09ABUJA778")
    assert dict(stored.paragraphs.values_list("number", "level")) == {"1": 1, "2": 2, "3": 2, "4": 0}
    assert dict(stored.paragraphs.values_list("number", "noforn")) == {"1": False, "2": True, "3": True, "4": False}
    client.force_login(make_user("conf-noforn", clearance="CONFIDENTIAL", noforn=True))
    page = client.get(reverse("cable-detail", args=["09ABUJA778"])).content.decode()
    assert "patrols" in page and "weather" in page
    assert "HALCYONWARD" not in page and "CARDINAL" not in page
    client.force_login(make_user("secret-noforn", clearance="SECRET", noforn=True))
    page = client.get(reverse("cable-detail", args=["09ABUJA778"])).content.decode()
    assert "HALCYONWARD" in page and "CARDINAL" in page


# ----------------------------------------------------------------------------- 2. a marking after a heading


@pytest.mark.parametrize("written", [
    "2. MILITARY TIES (S/NF): HALCYONWARD pays the gangs.",
    "2. MILITARY TIES (S/NF) HALCYONWARD pays the gangs.",
    "2. MILITARY TIES (S/NF) -- HALCYONWARD pays the gangs.",
    "2. KEY POINTS -- (S/NF):\n-- HALCYONWARD pays the gangs.",
    "2. KEY POINTS (S/NF)\n\n-- HALCYONWARD pays the gangs.",
    "2. Military Ties (S/NF): HALCYONWARD pays the gangs.",
    "2. U.S.-RUSSIA TIES (S//NF, ORCON): HALCYONWARD pays the gangs.",
])
def test_a_marking_after_a_heading_on_the_paragraphs_line_is_its_marking(written):
    parsed = cable(f"1. (C) The minister spoke.\n\n{written}\n\n3. (C) Comment: none.")
    assert access_of(parsed, "HALCYONWARD") == (2, True)
    assert access_of(parsed, "Comment") == (1, False)


def test_a_marking_after_a_heading_reads_as_one_before_it_lower_or_higher():
    parsed = cable("1. (C) The minister spoke.\n\n2. OUTLOOK (U): The weather was fine.\n\n"
                   "3. (C) KEY POINTS (S): HALCYONWARD pays the gangs.", "S E C R E T")
    assert rows(parsed) == [("1", "C", (1, False)), ("2", "U", (0, False)), ("3", "S", (2, False))]


def test_no_abbreviation_nor_list_label_after_a_heading_reads_as_a_marking():
    parsed = cable("1. (C) The minister spoke.\n\n2. MILITARY TIES (S/NF): HALCYONWARD pays the gangs.\n\n"
                   "3. THE UN (UN) SAID: the weather was fine.\n\n4. MEETING WITH (US) AMBASSADOR: He left.\n\n"
                   "5. OPTION (C) IS PREFERRED BY THE MINISTER.\n\n6. Option (S) would be costly.",
                   "U N C L A S S I F I E D")
    assert rows(parsed)[1:] == [("2", "S//NF", (2, True)), ("3", "", (2, True)), ("4", "", (2, True)),
                                ("5", "", (2, True)), ("6", "", (2, True))]
    parsed = cable("1. (U) The minister spoke.\n\n2. UNSCR 1737 (C) requires states to act.\n\n"
                   "3. MILITARY TIES (S/NF): HALCYONWARD pays the gangs.", "U N C L A S S I F I E D")
    assert rows(parsed) == [("1", "U", (0, False)), ("2", "", (0, False)), ("3", "S//NF", (2, True))]


def test_a_marked_heading_of_a_paragraph_run_into_the_text_before_it_raises_that_text():
    parsed = cable("1. (C) The minister spoke in 2008. 2. MILITARY TIES (S/NF): HALCYONWARD pays the gangs.\n\n"
                   "3. (C) Comment: none.")
    assert access_of(parsed, "HALCYONWARD") == (2, True)


# ----------------------------------------------------------------------------- 3. "2 . (S/NF)", "(NF)"


def test_a_full_stop_set_apart_from_its_number_still_numbers_the_paragraph():
    parsed = cable("1 . (C) The minister spoke.\n\n2 . (S/NF) HALCYONWARD pays the gangs.\n\n"
                   "3 .(SU) The mayor spoke.\n\n4. (C) Comment: none.")
    assert rows(parsed) == [("1", "C", (1, False)), ("2", "S//NF", (2, True)), ("3", "", (2, True)),
                            ("4", "C", (1, False))]
    assert parsed.paragraphs[0].text == "The minister spoke."
    assert parsed.paragraphs[2].text == "(SU) The mayor spoke."


def test_noforn_alone_is_read_at_the_cables_classification():
    parsed = cable("1. (C) The minister spoke.\n\n2. (NF) HALCYONWARD pays the gangs.\n\n"
                   "3. (C) The mayor spoke:\n-- (NF) CARDINAL named the bank.\n\n4. Comment:\n-- (NOFORN) VALDEZ left.",
                   "S E C R E T")
    assert rows(parsed) == [("1", "C", (1, False)), ("2", "S//NF", (2, True)), ("3", "S//NF", (2, True)),
                            ("4", "S//NF", (2, True))]
    assert parsed.paragraphs[1].text == "HALCYONWARD pays the gangs."
    # never below the text marked before it: a SECRET cable sent as CONFIDENTIAL
    parsed = cable("1. (S) The minister spoke.\n\n2. (NF) HALCYONWARD pays the gangs.")
    assert access_of(parsed, "HALCYONWARD") == (2, True)


# ----------------------------------------------------------------------------- 4. page lines


def test_a_later_sections_head_with_its_caveat_beside_it_is_no_text():
    parsed = cable("1. (S/NF) The minister said that the\n\nS E C R E T SECTION 02 OF 05 ASUNCION 000123 NOFORN\n\n"
                   "patrols would go on.\n\n2. (S/NF) HALCYONWARD pays the gangs.\n\n"
                   "SECRET//NOFORN SECTION 03 OF 05 ASUNCION 000123\n\n3. (S) Comment: none.", "S E C R E T")
    assert [p.text for p in parsed.paragraphs] == ["The minister said that the\npatrols would go on.",
                                                   "HALCYONWARD pays the gangs.", "Comment: none."]
    assert all(not p.heading for p in parsed.paragraphs)


def test_a_page_number_line_is_no_text():
    parsed = cable("1. (C) The minister said that the\nPage 2 of 5\npatrols would go on.\n\n-- Page 3 of 5 --\n\n"
                   "2. (C) Comment: none.")
    assert [p.text for p in parsed.paragraphs] == ["The minister said that the\npatrols would go on.", "Comment: none."]


def test_a_question_marked_with_caveats_set_off_by_commas_keeps_them():
    parsed = parse_cable_text("""\
R 082009Z MAY 09
FM SECSTATE WASHDC
TO AMEMBASSY ASUNCION 1111
C O N F I D E N T I A L STATE 041235

SIPDIS

E.O. 12958: DECL: 05/08/2019
TAGS: PINR PREL PA
SUBJECT: (C) REPORTING REQUEST: TRI-BORDER AREA FINANCE (C-AL9-01235)

Classified By: Suzanne McCormick, Dir., INR/OPS. REASON: 1.4(C).

1. (C) Washington analysts would appreciate information on the
following questions.

A. (C) WHO ARE THE PRINCIPAL FINANCIERS OF HIZBALLAH IN CIUDAD
DEL ESTE?

1) (S/NF, ORCON) WHAT IS THE ROLE OF CUSTOMS CHIEF JUAN PEREZ IN
FACILITATING THE TRANSFERS?

2) (C) HOW DO THE FINANCIERS MOVE MONEY TO LEBANON?

2. (U) PLEASE CITE C-AL9-01235 IN THE SUBJECT LINE OF
REPORTING IN RESPONSE TO THE ABOVE QUESTIONS.
CLINTON
""", form="raw")
    questions = {q.text.split()[3]: q.marking for s in extract(parsed).sections for q in s.questions}
    assert markings.marking_access(questions["ROLE"]) == (2, True)


def test_a_lower_case_letter_after_a_list_in_a_classified_cable_holds_its_paragraph_to_the_cable():
    """"2. (c) ..." after a list lettered "(a)", "(b)": a list's label or a CONFIDENTIAL marking, no one can tell in
    a cable that could hold (C). Read as the label, its text was left at the (U) before it; it is held to the
    cable's classification. In an unclassified cable the letter is the label alone (04THEHAGUE4)."""
    from cables.markings import paragraph_accesses
    from cables.parsing import parse_cable_text

    text = LOWER_AFTER_LIST
    cable = parse_cable_text(text)
    accesses = dict(zip((p.number for p in cable.paragraphs), paragraph_accesses(cable.paragraphs), strict=True))
    assert accesses["2"] == (2, False) and accesses["3"] == (0, False)
    assert "(c) The minister is ill." in next(p.text for p in cable.paragraphs if p.number == "2")
    unclassified = parse_cable_text(text.replace("S E C R E T ASUNCION", "UNCLAS ASUNCION"))
    assert dict(zip((p.number for p in unclassified.paragraphs), paragraph_accesses(unclassified.paragraphs),
                    strict=True))["2"] == (0, False)


LOWER_AFTER_LIST = """R 051423Z MAR 09
FM AMEMBASSY ASUNCION
TO RUEHC/SECSTATE WASHDC 1007
BT
S E C R E T ASUNCION 000123

E.O. 12958: DECL: 03/05/2019
TAGS: PREL PA
SUBJECT: (U) TEST

Classified By: Ambassador L. Ayalde for reasons 1.4 (b) and (d).

1. (u) The minister made two requests:
(a) a visit;
(b) a loan.

2. (c) The minister is ill.

3. (U) Comment follows.
AYALDE
"""
