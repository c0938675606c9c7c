"""parse_cable_text on lettered sections and their items: where the items end and the paragraphs go on, and
sections lettered "A)" in unmarked telegrams. Pure: runs without Django (-p no:django)."""
import pytest

from cables.parsing import parse_cable_text


@pytest.fixture(autouse=True)
def _media_root():
    """These tests touch no files and no settings: stand in for the project's Django-settings fixture."""


def cable(class_line: str, body: str) -> str:
    return (
        "R 021400Z MAR 09\nFM SECSTATE WASHDC\nTO ALL DIPLOMATIC AND CONSULAR POSTS COLLECTIVE\nBT\n"
        f"{class_line}\n\nE.O. 12958: N/A\nTAGS: KCOR\nSUBJECT: TEST\n\n{body}\nCLINTON\n"
    )


QUESTIONNAIRE = """\
1. This is an action request. Please see paragraph 4.

2. The Department is preparing a report to Congress on
host government efforts to combat corruption.

3. Posts need not conduct new research.

4. Posts are requested to answer the following questions:

A. Legal framework

1. Has the host government ratified the UN Convention against
Corruption?

2. Does the host country criminalize bribery of foreign public
officials?

B. Enforcement

1. How many officials were prosecuted for corruption in 2008?

2. Is there an independent anti-corruption agency?

3. Does the agency have authority to prosecute?

4. Has the agency's head been dismissed in the last two years?

5. Posts should send responses by April 1, slugged for
INL/C and the regional bureau.

6. Minimize considered.
"""


def test_paragraphs_that_follow_the_last_sections_questions_are_paragraphs_again():
    """B's questions reach 4, the number of the paragraph that asked them: "5. Posts should send ..." asks
    nothing, so it is the cable's paragraph 5, not question B.5, and "6." follows it."""
    paragraphs = parse_cable_text(cable("UNCLAS STATE 019876", QUESTIONNAIRE)).paragraphs
    assert [p.number for p in paragraphs] == [
        "1", "2", "3", "4", "A", "A.1", "A.2", "B", "B.1", "B.2", "B.3", "B.4", "5", "6"]
    assert paragraphs[-2].text == "Posts should send responses by April 1, slugged for\nINL/C and the regional bureau."
    assert paragraphs[-1].text == "Minimize considered."


def test_a_marked_paragraph_after_a_sections_one_question_is_the_next_paragraph():
    body = "1. (U) Questions follow.\n\nA. (U) FOR ALL POSTS:\n\n1. (S/NF) WHO?\n\n2. (U) Please cite C-AL9-01234."
    paragraphs = parse_cable_text(cable("S E C R E T STATE 001730", body)).paragraphs
    assert [(p.number, p.marking) for p in paragraphs] == [("1", "U"), ("A", "U"), ("A.1", "S//NF"), ("2", "U")]


def test_a_question_that_continues_both_the_questions_and_the_paragraphs_is_a_question():
    """ "2. HOW LARGE IS IT?" could be paragraph 2 or question A.2: it asks, as A.1 did, so it is A.2; its
    question mark may stand on a later line of it."""
    body = ("1. Analysts would appreciate any information.\n\nA. FOR LATIN AMERICAN POSTS:\n\n"
            "1. WHAT DO THEY WANT?\n\n2. HOW LARGE IS THE\nCOMMUNITY?\n\n2. Please cite C-AL9-01234.")
    paragraphs = parse_cable_text(cable("UNCLAS STATE 001730", body)).paragraphs
    assert [p.number for p in paragraphs] == ["1", "A", "A.1", "A.2", "2"]


def test_topics_that_ask_nothing_go_on_as_items():
    body = "1. Reporting needs follow:\n\nA. Terrorism\n\n1. Threats to US persons\n\n2. Financing\n\n3. Recruitment"
    paragraphs = parse_cable_text(cable("UNCLAS STATE 001730", body)).paragraphs
    assert [p.number for p in paragraphs] == ["1", "A", "A.1", "A.2", "A.3"]


OLD_TELEGRAM = """\
1. CONFIDENTIAL - ENTIRE TEXT.

2. INR IS PREPARING A STUDY OF COCAINE TRAFFICKING ROUTES IN
THE ANDEAN REGION. REQUEST EMBASSIES RESPOND TO FOLLOWING
QUESTIONS BY MARCH 10:

A) WHAT IS THE EXTENT OF TRAFFICKER INFLUENCE IN THE
PROVINCIAL GOVERNMENTS?

B) WHICH TRAFFICKING ORGANIZATIONS HAVE TIES TO THE
INSURGENTS?

C) HOW EFFECTIVE HAS THE GOVERNMENT'S CROP SUBSTITUTION
PROGRAM BEEN?

3. FOR LIMA: WHAT IS THE STATUS OF THE UPPER HUALLAGA
VALLEY BASE?
"""


def test_an_unmarked_telegrams_sections_lettered_with_a_parenthesis_are_sections():
    paragraphs = parse_cable_text(cable("C O N F I D E N T I A L STATE 045678", OLD_TELEGRAM)).paragraphs
    assert [(p.number, p.text.split("\n")[0]) for p in paragraphs] == [
        ("1", "CONFIDENTIAL - ENTIRE TEXT."),
        ("2", "INR IS PREPARING A STUDY OF COCAINE TRAFFICKING ROUTES IN"),
        ("A", "WHAT IS THE EXTENT OF TRAFFICKER INFLUENCE IN THE"),
        ("B", "WHICH TRAFFICKING ORGANIZATIONS HAVE TIES TO THE"),
        ("C", "HOW EFFECTIVE HAS THE GOVERNMENT'S CROP SUBSTITUTION"),
        ("3", "FOR LIMA: WHAT IS THE STATUS OF THE UPPER HUALLAGA"),
    ]


@pytest.mark.parametrize("body", [
    "1. THE MINISTER SAW TWO WAYS OUT, EITHER\nA) TO WAIT OR B) TO ACT.",  # a line wrapped in a sentence
    "1. THE MINISTER SAW TWO WAYS OUT.\n\nB) IS THE LETTER OF NO SECTION.",  # not the next letter
    "1. (C) The minister saw two ways out:\n\nA) To wait.\n\nB) To act.",  # items of marked text: keep its marking
])
def test_a_letter_and_parenthesis_starts_no_section_inside_a_paragraph(body):
    paragraphs = parse_cable_text(cable("C O N F I D E N T I A L STATE 045678", body)).paragraphs
    assert [p.number for p in paragraphs] == ["1"]
    assert paragraphs[0].text.endswith(body.split("\n")[-1])
