"""parse_cable_text on text cut by a blank line, a page or a later section's head: a sentence that goes on after
the break stays in its paragraph (it heads nothing), and the classification banner printed beside a page line
or a section line ("SECRET//NOFORN", "S E C R E T") is furniture, not text. Pure: runs without Django
(-p no:django)."""
import pytest

from cables.parsing import parse_cable_text


@pytest.fixture(autouse=True)
def _media_root():
    """These tests touch no files and no settings: stand in for the project's Django-settings fixture."""


HEAD = """\
R 121500Z MAR 09
FM SECSTATE WASHDC
TO AMEMBASSY PARIS
{classification} STATE 024680

E.O. 12958: DECL: 03/12/2034
TAGS: PINR PREL
SUBJECT: (S) TEST TASKING

Classified By: Randall Fort, A/S, INR. Reason: 1.4(c).

"""


def paragraphs(body: str, classification: str = "S E C R E T") -> list[tuple[str, str, str]]:
    """(number, heading, text) of each paragraph of a Department cable around `body`."""
    cable = parse_cable_text(HEAD.format(classification=classification) + body + "\nCLINTON\n")
    return [(p.number, p.heading, p.text) for p in cable.paragraphs]


# ----------------------------------------------------------------------------- a sentence goes on after a break

def test_a_sentence_going_on_in_lower_case_after_a_blank_line_stays_in_its_paragraph():
    body = ("1. (S) Please cite C-AL9-01177 in the subject line.\n\n"
            "2. (S) Which officials are responsible for the Iran file, and\n\n"
            "how do they coordinate with the Quai d'Orsay?\n\n"
            "3. (S) Has France changed its position on sanctions?\n")
    assert paragraphs(body)[1:] == [
        ("2", "", "Which officials are responsible for the Iran file, and\n"
                  "how do they coordinate with the Quai d'Orsay?"),
        ("3", "", "Has France changed its position on sanctions?"),
    ]


def test_a_question_ending_an_unfinished_sentence_after_a_blank_line_heads_nothing():
    body = ("1. (S) PLEASE CITE C-AL9-01177 IN THE SUBJECT LINE.\n\n"
            "2. (S) WHICH OFFICIALS IN THE ELYSEE ARE RESPONSIBLE FOR THE\nIRAN FILE, AND HOW\n\n"
            "DO THEY COORDINATE WITH THE QUAI D'ORSAY?\n\n"
            "3. (S) HAS FRANCE CHANGED ITS POSITION ON SANCTIONS?\n")
    assert paragraphs(body)[1:] == [
        ("2", "", "WHICH OFFICIALS IN THE ELYSEE ARE RESPONSIBLE FOR THE\nIRAN FILE, AND HOW\n"
                  "DO THEY COORDINATE WITH THE QUAI D'ORSAY?"),
        ("3", "", "HAS FRANCE CHANGED ITS POSITION ON SANCTIONS?"),
    ]


SPLIT_QUESTION = ("1. (S) Please cite C-AL9-01177 in the subject line.\n\n2. (S) For Paris:\n\n"
                  "A. (S) Which officials in the Elysee are responsible for the\nIran file, and how\n\n"
                  "{break_line}\n\ndo they coordinate with the Quai d'Orsay?\n\n"
                  "B. (S) Has France changed its position on sanctions?\n\n"
                  "{break_line}\n\n"
                  "C. (S) Who advises the President on it?\n")


@pytest.mark.parametrize("section_line", ["S E C R E T SECTION 02 OF 03 STATE 024680",
                                          "SECRET SECTION 02 OF 03 STATE 024680", "SECTION 2 OF 3"])
def test_a_later_sections_head_inside_a_sentence_joins_it_as_a_page_break_does(section_line):
    across_section = paragraphs(SPLIT_QUESTION.format(break_line=section_line))
    assert across_section == paragraphs(SPLIT_QUESTION.format(break_line="STATE 00024680 002 OF 003"))
    assert across_section[2:] == [
        ("A", "", "Which officials in the Elysee are responsible for the\nIran file, and how\n"
                    "do they coordinate with the Quai d'Orsay?"),
        ("B", "", "Has France changed its position on sanctions?"),
        ("C", "", "Who advises the President on it?"),
    ]


def test_a_title_after_text_that_has_not_ended_still_heads_the_next_paragraph():
    """Only a line that goes on with the sentence is taken back: a title stays a heading, and a question
    framed or underlined by dashes is a heading wherever it stands."""
    body = ("1. (C) Summary: the Minister spoke of the file. End Summary\n\nInternal Policy Debate\n\n"
            "2. (C) The Minister said the Quai d'Orsay leads, and\n\n"
            "Who's In Charge? -----\n\n"
            "3. (C) The Elysee decides. END COMMENT\n\n"
            "WHAT NEXT?\n\n"
            "4. (C) The advisers are close to the President, and\n\n"
            "so are the diplomats.\n")
    assert paragraphs(body, "C O N F I D E N T I A L") == [
        ("1", "", "Summary: the Minister spoke of the file. End Summary"),
        ("2", "Internal Policy Debate", "The Minister said the Quai d'Orsay leads, and"),
        ("3", "Who's In Charge?", "The Elysee decides. END COMMENT"),
        ("4", "WHAT NEXT?", "The advisers are close to the President, and\nso are the diplomats."),
    ]


# ----------------------------------------------------------------------------- page and section banners

PAGED = """\
3. (U) For all Gulf posts:

A. (S//NF) Have host authorities detected transshipment of
U.S.-origin items to Iran through their ports?

B. (C) What is the host government's assessment of the

{page}

effectiveness of UNSCR 1803 inspection provisions, and has it
conducted any inspections of Iran-bound cargo?

C. (S//NF) Are IRGC-affiliated companies using host-country
dhows to move cargo across the Gulf?
"""
CUT_SENTENCE = ("What is the host government's assessment of the\neffectiveness of UNSCR 1803 inspection provisions,"
                " and has it\nconducted any inspections of Iran-bound cargo?")


@pytest.mark.parametrize("page", [
    "PAGE 02 STATE 024680\nSECRET//NOFORN",
    "PAGE 02 STATE 024680\n\nSECRET NOFORN",
    "                              S E C R E T\nPAGE 03 STATE 024680 151530Z",
    "SECRET//NOFORN\nPAGE 03 STATE 024680 151530Z",
    "SECRET//NOFORN\n\nPAGE 03 STATE 024680 151530Z\nS E C R E T NOFORN",
    "S E C R E T SECTION 02 OF 03 STATE 024680\nSECRET//NOFORN",
    "SECRET//NOFORN\nS E C R E T SECTION 02 OF 03 STATE 024680\n\nNOFORN",
    "STATE 00024680 002 OF 003\n\nSECRET//NOFORN",
    "SECRET / NOFORN\n\nSTATE 00024680 002 OF 003",
], ids=["nf-below-page", "spaced-nf-below-page", "spaced-above-page", "nf-above-page", "above-and-below-page",
        "nf-below-section", "above-and-below-section", "below-page-break", "above-page-break"])
def test_the_classification_banner_beside_a_page_or_section_line_is_no_text(page):
    found = paragraphs(PAGED.format(page=page))
    assert [number for number, _, _ in found] == ["3", "A", "B", "C"]
    assert found[2] == ("B", "", CUT_SENTENCE)


def test_a_confidential_cables_spaced_banner_under_its_page_line_is_no_text():
    found = paragraphs(PAGED.format(page="PAGE 02 STATE 024680\nC O N F I D E N T I A L"), "C O N F I D E N T I A L")
    assert found[2] == ("B", "", CUT_SENTENCE)


def test_a_classification_word_away_from_page_lines_stays_in_the_text():
    body = ("1. (S) The cover of the report reads:\n\nSECRET\n\nin red letters, as before.\n\n"
            "2. (S) The paper reads: SECRET//NOFORN, as before.\n\n"
            "{page}")
    found = paragraphs(body.format(page="PAGE 02 STATE 024680\nSECRET//NOFORN\n\n3. (S) Third.\n"))
    assert found == [
        ("1", "", "The cover of the report reads:\n\nSECRET\nin red letters, as before."),
        ("2", "", "The paper reads: SECRET//NOFORN, as before."),
        ("3", "", "Third."),
    ]
