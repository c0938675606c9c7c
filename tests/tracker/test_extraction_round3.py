"""tracker.extraction on a third round of invented taskings: a labelled question's own marking stays its own,
requests for information made in a paragraph's prose, report taskings (submit a report that answers the
questions below), and instructions on how to answer that ask nothing. Pure: raw cables, no database."""
import pytest

from cables.parsing import ParsedCable, parse_cable_text
from tracker.extraction import NoQuestions, extract, tasking_signals


@pytest.fixture(autouse=True)
def _media_root():
    """These tests touch no files and no settings: stand in for the project's Django-settings fixture."""


def cable(body: str, *, to: str = "AMEMBASSY TBILISI\nAMEMBASSY BAKU",
          class_line: str = "C O N F I D E N T I A L STATE 012987",
          subject: str = "(C) REQUEST FOR INFORMATION: ENERGY (C-EU0-00102)") -> ParsedCable:
    return parse_cable_text(
        f"R 091400Z FEB 10\nFM SECSTATE WASHDC\nTO {to}\n{class_line}\n\nE.O. 12958: DECL: 02/09/2020\n"
        f"TAGS: PREL PGOV\nSUBJECT: {subject}\n\nClassified By: INR/EUR Office Director Jane Roe, Reason 1.4(d).\n\n"
        f"{body}\nCLINTON\n")


def questions(extraction) -> list[tuple[str, str, str]]:
    return [(q.code, q.marking, q.paragraph) for q in extraction.questions]


# ----------------------------------------------------------------------------- a question's own marking

@pytest.mark.parametrize("first, second, codes", [
    ("Q1)", "Q2)", ("Q1", "Q2")), ("Q1:", "Q2:", ("Q1", "Q2")), ("QUESTION 1:", "QUESTION 2:", ("Q1", "Q2"))])
def test_a_labelled_questions_marking_is_its_own_not_its_siblings(first, second, codes):
    tasking = cable(f"""\
1. (C) INR seeks information on the following questions. Please cite C-EU0-00102 in the subject line of responses.

{first} How has the conflict affected investor confidence?

{second} (C/NF) What are the host government's plans for alternative routes?

{first.replace("1", "3")} Who decides on transit fees?
""")
    extraction = extract(tasking)
    third = codes[0][:-1] + "3"
    assert questions(extraction) == [(codes[0], "C", "1"), (codes[1], "C//NF", "1"), (third, "C", "1")]


def test_an_unmarked_paragraph_over_a_marked_question_gives_the_others_the_cables_classification():
    tasking = cable("""\
1. INR seeks information on the following questions. Please cite C-EU0-00102 in the subject line of responses.

Q1) (S/NF) Who funds the new pipeline consortium?

Q2) Has the host government discussed alternative routes?
""", class_line="C O N F I D E N T I A L STATE 012987")
    assert questions(extract(tasking)) == [("Q1", "S//NF", "1"), ("Q2", "C", "1")]


# ----------------------------------------------------------------------------- requests in a paragraph's prose

def test_requests_after_background_in_a_paragraph_are_its_questions():
    tasking = cable("""\
1. (C) Analysts are preparing a paper on the group. In particular, we would like to know whether the police
believe a new commander has been named. We would also appreciate information on the group's finances. Please
cite C-EU0-00102 in the subject line.
""")
    extraction = extract(tasking)
    assert questions(extraction) == [("1.1", "C", "1"), ("1.2", "C", "1")]
    assert [q.sentences for q in extraction.questions] == [
        ("In particular, we would like to know whether the police believe a new commander has been named.",),
        ("We would also appreciate information on the group's finances.",)]
    background = cable("""\
1. (C) Police announced the arrest of several senior figures in March. We would appreciate your cooperation.
Please cite C-EU0-00102 in the subject line.
""")
    with pytest.raises(NoQuestions):
        extract(background)


def test_requests_in_prose_beside_numbered_questions_and_for_all_posts():
    tasking = cable("""\
1. (S) Police announced the arrest of several senior figures in March. Analysts are preparing a paper for
policymakers. Any information on contacts between the group and Philippine groups would be welcome.

2. (C) FOR TBILISI: What is the status of the pipeline? Who decides?

3. (C) FOR ALL POSTS: Any information on the role of the energy minister would be welcome.

4. (U) Please cite C-EU0-00102 in the subject line.
""")
    extraction = extract(tasking)
    assert questions(extraction) == [("1", "S", "1"), ("2", "C", "2"), ("3", "C", "3")]
    last = extraction.questions[-1]
    assert (last.audience, last.posts) == ("For all posts", ("AMEMBASSY TBILISI", "AMEMBASSY BAKU"))
    assert last.sentences == ("Any information on the role of the energy minister would be welcome.",)
    # a request opening the cable ahead of its sections of questions says what they are about
    sections = cable("""\
1. (C) Washington analysts would appreciate posts' views on European positions ahead of the September meeting.
Please cite C-EU0-00102 in the subject line of any responsive reporting.

2. (U) For Embassy Tbilisi:

A. (C) How do officials assess the prospects for new sanctions?

B. (C) Has the host government received any new proposals since June?
""")
    assert [(s.audience, [q.code for q in s.questions]) for s in extract(sections).sections] == [
        ("For Embassy Tbilisi", ["A", "B"])]


# ----------------------------------------------------------------------------- report taskings

HR_REPORT = """\
1. (U) Posts are requested to submit their draft human rights reports by October 1. The questions below should
guide the drafting of each section.

2. (U) SECTION 1. RESPECT FOR THE INTEGRITY OF THE PERSON:
A. ARBITRARY DEPRIVATION OF LIFE. WERE THERE ANY POLITICALLY MOTIVATED KILLINGS BY THE GOVERNMENT?
B. DISAPPEARANCE. WERE THERE REPORTS OF POLITICALLY MOTIVATED DISAPPEARANCES?

3. (U) THANK YOU FOR YOUR HARD WORK ON THE REPORTS.
"""


def test_asking_posts_to_submit_reports_that_answer_the_questions_below_is_a_tasking():
    tasking = cable(HR_REPORT, to="ALL DIPLOMATIC AND CONSULAR POSTS", class_line="UNCLAS STATE 117788",
                    subject="2007 COUNTRY REPORTS ON HUMAN RIGHTS PRACTICES: INSTRUCTIONS")
    assert "'posts are asked to report'" in tasking_signals(tasking)


def test_a_paragraph_telling_how_to_answer_asks_nothing():
    tasking = cable("""\
1. (U) This is an action request. Embassies are requested to submit their input no later than February 13.

2. (U) Posts are asked to report on the host government's efforts during the reporting period. Answers should
address each lettered question in turn. Where information is not available, posts should say so.

3. (U) Prevention:
A. Does the government acknowledge that trafficking is a problem?
B. Which government agencies are involved in anti-trafficking efforts?
""", class_line="UNCLAS STATE 122334", subject="TRAFFICKING IN PERSONS REPORT: INSTRUCTIONS")
    assert [q.code for q in extract(tasking).questions] == ["A", "B"]


# ----------------------------------------------------------------------------- report outlines

def report(body: str) -> ParsedCable:
    return cable(body, to="ALL DIPLOMATIC AND CONSULAR POSTS", class_line="UNCLAS STATE 117788",
                 subject="COUNTRY REPORTS ON HUMAN RIGHTS PRACTICES: INSTRUCTIONS")


def sections(extraction) -> list[tuple[str, str, list[str]]]:
    return [(s.letter, s.audience, [q.code for q in s.questions]) for s in extraction.sections]


def test_lettered_questions_under_a_labelled_section_take_its_label_and_title():
    extraction = extract(report(HR_REPORT))
    assert sections(extraction) == [("1", "Respect for the integrity of the person", ["1.A", "1.B"])]
    assert extraction.questions[1].sentences == (
        "DISAPPEARANCE. WERE THERE REPORTS OF POLITICALLY MOTIVATED DISAPPEARANCES?",)


def test_a_section_with_a_single_lettered_question_is_a_section():
    extraction = extract(report("""\
1. This is an action request. Posts are requested to answer the following questions in their draft reports.

2. Section 1. Respect for the Integrity of the Person:

a. Arbitrary Deprivation of Life: Were there any politically motivated killings by the government?

b. Disappearance: Were there any reports of politically motivated disappearances?

3. Section 2. Respect for Civil Liberties:

a. Freedom of Speech and Press: Does the law provide for freedom of speech and of the press?
"""))
    assert sections(extraction) == [("1", "Respect for the Integrity of the Person", ["1.a", "1.b"]),
                                    ("2", "Respect for Civil Liberties", ["2.a"])]
    assert extraction.questions[-1].text == (
        "Freedom of Speech and Press: Does the law provide for freedom of speech and of the press?")


def test_lettered_topic_lines_inside_a_list_open_sections_of_their_own():
    extraction = extract(report("""\
1. (U) Action request. Posts should submit their drafts by May 15. Each report should answer the questions
under each heading.

2. (U) PART II. STATUS OF GOVERNMENT RESPECT FOR RELIGIOUS FREEDOM
A. Legal/Policy Framework:
-- Does the constitution provide for freedom of religion?
-- Are religious groups required to register with the government? What are the consequences?
B. Restrictions on Religious Freedom:
-- Describe any government policies or practices that restrict religious practice.
-- Were there religious prisoners or detainees in the country?

3. (U) PART III. STATUS OF SOCIETAL RESPECT FOR RELIGIOUS FREEDOM
-- Were there acts of societal violence or discrimination based on religious affiliation?
"""))
    assert sections(extraction) == [
        ("II.A", "Legal/Policy Framework", ["II.A.1", "II.A.2"]),
        ("II.B", "Restrictions on Religious Freedom", ["II.B.1", "II.B.2"]),
        ("III", "Status of societal respect for religious freedom", ["III.1"])]
    assert extraction.questions[1].text == (
        "Are religious groups required to register with the government? What are the consequences?")
