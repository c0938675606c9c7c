"""tracker.extraction on layouts from a second review of real taskings: questions asked in other words and
labelled Q1 / QUESTION 1; demarches and reports whose questions are rhetorical, reported or quoted; a
question listed twice. Pure: invented raw cables, no database."""
import pytest

from cables.parsing import ParsedCable, parse_cable_text
from tracker.extraction import NoQuestions, extract, tasking_signals


@pytest.fixture(autouse=True)
def _media_root():
    """These tests touch no files and no settings: stand in for the project's Django-settings fixture."""


def cable(body: str, *, sender: str = "SECSTATE WASHDC", to: str = "AMEMBASSY CARACAS\nAMEMBASSY BOGOTA",
          class_line: str = "S E C R E T STATE 021436", subject: str = "(S) VENEZUELAN SUPPORT TO THE FARC",
          signature: str = "CLINTON") -> ParsedCable:
    return parse_cable_text(
        f"R 101500Z FEB 10\nFM {sender}\nTO {to}\nBT\n{class_line}\n\nE.O. 12958: DECL: 02/10/2035\n"
        f"TAGS: PINR PTER VE CO\nSUBJECT: {subject}\n\nClassified By: J. Doe, INR/OPS. Reason: 1.4(c).\n\n"
        f"{body}\n{signature}\n")


def codes(extraction) -> list[tuple[str, str]]:
    return [(q.code, q.paragraph) for q in extraction.questions]


# ----------------------------------------------------------------------------- asked in other words, labelled Q1

def test_posts_views_asked_on_questions_labelled_one_to_a_paragraph():
    tasking = cable("""\
1. (S/NF) Washington analysts are assessing Venezuelan support to the FARC. Department would
appreciate posts' views on the following:

2. (S/NF) Q1: What support do senior Venezuelan officials provide to FARC commanders?

3. (C) Q2: How has the Colombian government responded to the weapons transfers? Has it
protested formally?

4. (S/NF) Q3: Who in Caracas authorizes the transfers?
""")
    assert tasking_signals(tasking)[:2] == ("asks 3 questions", "'would appreciate posts' views'")
    extraction = extract(tasking)
    assert codes(extraction) == [("Q1", "2"), ("Q2", "3"), ("Q3", "4")]
    assert [q.marking for q in extraction.questions] == ["S//NF", "C", "S//NF"]
    assert extraction.questions[1].sentences == (
        "How has the Colombian government responded to the weapons transfers?", "Has it protested formally?")
    reply = cable("""\
1. (U) In response to ref, Embassy provides the following input. Post's responses to the questions follow.

2. (U) Q1: Are host country products receiving lower prices? A1: Prices are declining.

3. (U) Q2: Has the host government acted? A2: No.
""", sender="AMEMBASSY SAN JOSE", to="SECSTATE WASHDC", class_line="UNCLAS SAN JOSE 002158",
                 subject="TEXTILE QUOTAS: RESPONSE TO REFTEL")
    assert tasking_signals(reply) == ()  # the same labels in a post's reply


def test_questions_labelled_on_lines_of_one_paragraph():
    tasking = cable("""\
1. (S/NF) Posts' responses to the questions below will inform an assessment for the Deputy
Secretary due in March.

QUESTION 1: What support do senior Venezuelan officials provide to FARC commanders?
QUESTION 2: How has the Colombian government responded to the weapons transfers?
QUESTION 3: Who in Caracas authorizes the transfers?

2. (U) Thank you for your assistance.
""")
    assert "asks 3 questions" in tasking_signals(tasking)
    extraction = extract(tasking)
    assert codes(extraction) == [("Q1", "1"), ("Q2", "1"), ("Q3", "1")]
    assert extraction.questions[2].sentences == ("Who in Caracas authorizes the transfers?",)


def test_questions_labelled_inline_in_one_paragraph():
    tasking = cable("""\
1. (S/NF) Action addressees are requested to report on the following. Q1. What support do senior
Venezuelan officials provide to FARC commanders? Q2. How has the Colombian government responded? Q3.
Who in Caracas authorizes the transfers?
""")
    assert "asks 3 questions" in tasking_signals(tasking)
    extraction = extract(tasking)
    assert codes(extraction) == [("Q1", "1"), ("Q2", "1"), ("Q3", "1")]
    assert [q.sentences for q in extraction.questions][1] == ("How has the Colombian government responded?",)


@pytest.mark.parametrize("intro, label", [
    ("Posts are requested to report on the following questions:", "Q {n}:"),
    ("Posts are requested to report on Venezuelan support to the FARC.", "Q {n}:"),
    ("Embassy is requested to seek answers to the questions below from its contacts.", "QUESTION {n}:"),
    ("Department requests posts report on the questions below.", "Q{n}."),
    ("Action addressees are requested to ascertain the following:", "Question {n}:"),
])
def test_requests_in_other_words_over_labelled_questions(intro, label):
    tasking = cable(f"""\
1. (S/NF) {intro}

2. (S/NF) {label.format(n=1)} What support do senior Venezuelan officials provide to FARC commanders?

3. (S/NF) {label.format(n=2)} How has the Colombian government responded to the weapons transfers?
""")
    assert tasking_signals(tasking)[0] == "asks 2 questions"
    extraction = extract(tasking)  # the introduction is no question, though it reads like a request
    assert codes(extraction) == [("Q1", "2"), ("Q2", "3")]
    assert extraction.questions[0].sentences == (
        "What support do senior Venezuelan officials provide to FARC commanders?",)


def test_labels_that_restart_in_each_section_take_the_sections_letter():
    """QUESTION 1 in each addressed section: codes must tell them apart, so they are "A.1", "B.1"."""
    tasking = cable("""\
1. (S/NF) Department would appreciate posts' views on the following.

A. (U) FOR CARACAS:
QUESTION 1: Who in Caracas authorizes the transfers?
QUESTION 2: Which banks move the money?

B. (U) FOR BOGOTA:
QUESTION 1: How has the Colombian government responded?
QUESTION 2: Has it protested formally?
""")
    assert [q.code for q in extract(tasking).questions] == ["A.1", "A.2", "B.1", "B.2"]


# ----------------------------------------------------------------------------- rhetorical and reported questions

DEMARCHE = """\
1. (C) This is an action request. Embassy is requested to seek host government support for the
resolution and to deliver the points in para 5 to the Foreign Ministry at the highest appropriate level.

2. (C) At the UN General Assembly the Foreign Minister asked whether the U.S. would support a second
resolution on the border dispute? "Will Washington stand by its friends?" he asked the Secretary.

3. (C) Why does this matter? Because the vote in March will set the terms of the border talks for a
decade, and the host government's vote is in doubt.

4. (C) What next? The Department will convene the friends of the talks in Geneva in April.

5. (C) Points: the United States supports the resolution and urges your government to vote for it.

6. (U) Please report the host government's response.
"""


def test_a_demarche_with_rhetorical_and_reported_questions_is_no_tasking():
    demarche = cable(DEMARCHE, subject="(C) BORDER RESOLUTION: DEMARCHE REQUEST",
                     class_line="C O N F I D E N T I A L STATE 021436")
    assert tasking_signals(demarche) == ()
    with pytest.raises(NoQuestions):
        extract(demarche)


def test_a_posts_report_with_rhetorical_and_quoted_questions_yields_no_questions():
    report = cable("""\
1. (C) Summary: the Foreign Minister told the Ambassador that the government will abstain. End summary.

2. (C) The Minister raised three points:

A. (C) He asked whether the U.S. would fund the border commission? The Ambassador said that the
request was under review.

B. (C) "Who gave them the arms?" the Minister asked rhetorically.

C. (C) Why does this matter? Because the rebels hold the border crossings.

3. (C) What next? Embassy will see the Minister again after the vote.
""", sender="AMEMBASSY CARACAS", to="SECSTATE WASHDC", class_line="C O N F I D E N T I A L CARACAS 000412",
                    subject="(C) FOREIGN MINISTER ON THE BORDER RESOLUTION", signature="DUDDY")
    assert tasking_signals(report) == ()
    with pytest.raises(NoQuestions):
        extract(report)


def test_asking_about_what_someone_asked_is_still_a_question():
    tasking = cable("""\
1. (S/NF) Department would appreciate posts' views on the following:

2. (S/NF) Has the Foreign Minister asked whether the U.S. would fund the border commission?

3. (S/NF) What do officials say privately about the vote? Why does it matter to them?

4. (S/NF) Analysts ask: who in the ministry signs the end-user certificates?

5. (S/NF) What do officials mean by "the Bolivarian revolution?"
""")
    assert "asks 4 questions" in tasking_signals(tasking)
    assert codes(extract(tasking)) == [("2", "2"), ("3", "3"), ("4", "4"), ("5", "5")]


# ----------------------------------------------------------------------------- a question listed twice

def test_a_question_listed_twice_is_extracted_with_a_note_naming_both_codes():
    tasking = cable("""\
1. (S/NF) Department would appreciate posts' views on the following:

2. (S/NF) Q1: What support do senior Venezuelan officials provide to FARC commanders?

3. (S/NF) Q2: Who in Caracas authorizes the transfers?

4. (S/NF) Q3: What support do senior Venezuelan officials
provide to FARC commanders?
""")
    extraction = extract(tasking)
    assert [q.code for q in extraction.questions] == ["Q1", "Q2", "Q3"]
    assert extraction.notes == (
        'Q1 and Q3 ask the same question: "What support do senior Venezuelan officials provide to FARC commanders?"',)


def test_the_same_question_to_different_addressees_is_no_repeat():
    tasking = cable("""\
1. (S/NF) Department would appreciate posts' views on the following questions.

A. (U) FOR CARACAS:
1) Who authorizes the transfers?
2) Which banks move the money?

B. (U) FOR BOGOTA:
1) Who authorizes the transfers?
""")
    extraction = extract(tasking)
    assert [q.code for q in extraction.questions] == ["A.1", "A.2", "B.1"]
    assert extraction.notes == ()
