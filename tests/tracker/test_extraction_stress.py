"""tracker.extraction on taskings written to stress it: markings of topic headings above and below their
paragraph's, collection needs in plain prose, talking points, a topic of one bullet, "all other addressees",
and a post's questions to the Department. Pure: invented raw cables, no database."""
import pytest

from cables.parsing import ParsedCable, parse_cable_text
from tracker.extraction import NoQuestions, extract, tasking_signals


@pytest.fixture(autouse=True)
def _media_root():
    """These tests touch no files and no settings: stand in for the project's Django-settings fixture."""


def cable(body: str, *, sender: str = "SECSTATE WASHDC", to: str = "AMEMBASSY KHARTOUM",
          class_line: str = "S E C R E T STATE 043210", subject: str = "(S) REPORTING AND COLLECTION NEEDS: SUDAN",
          signature: str = "CLINTON") -> ParsedCable:
    return parse_cable_text(
        f"R 281900Z APR 09\nFM {sender}\nTO {to}\n{class_line}\n\nNOFORN\nSIPDIS\n\nE.O. 12958: DECL: 04/28/2034\n"
        f"TAGS: PINR PREL SU\nSUBJECT: {subject}\n\nClassified By: Michael Owens, Acting Dir, INR/OPS. "
        f"Reason: 1.4(c).\n\n{body}\n{signature}\n")


def markings(extraction) -> list[tuple[str, str]]:
    return [(q.code, q.marking) for q in extraction.questions]


NHCD = """\
1. (S/NF) This cable provides the full text of the revised National HUMINT Collection Directive (NHCD)
on Sudan. Please cite C-AL9-01177 in the subject line of reporting in response to this directive.

2. (S/NF) Priority issues:
1) Darfur peace process (FPOL-1)
2) CPA implementation (FPOL-1)

3. (S/NF) Reporting and collection needs:

A. (U) Darfur Peace Process

1) (S/NF) Plans and intentions of the Government of Sudan
regarding the Doha talks. (FPOL-1)
- Positions of Bashir, Taha, and Ghazi Salahuddin on
power-sharing and compensation.

2) Rebel movement cohesion and leadership. (FPOL-1)
- JEM leadership decision-making, including Khalil Ibrahim's
relations with Chad.

3) (U) Names of rebel commanders published in the press. (FPOL-1)
- Lists printed in Khartoum dailies.

B. (U) CPA Implementation

1) (S/NF) Progress toward the 2010 national elections,
including voter registration and census disputes. (DEPS-3)

2) Status of Abyei boundary arbitration and force
deployments in the area. (MCAP-3)

C. (U) Regime Stability
1) Cohesion of the National Congress Party leadership and
the security services' loyalty to Bashir in the event of an
ICC arrest warrant. (LEAD-2)

D. (U) Humanitarian Access
GRPO can provide text.

4. (U) Department thanks posts for their continued reporting.
"""


# ----------------------------------------------------------------------------- markings of topic headings

def test_an_unclassified_topic_heading_does_not_lower_the_unmarked_needs_under_it():
    extraction = extract(cable(NHCD))
    marked = dict(markings(extraction))
    assert marked["A.2"] == "S//NF"  # the paragraph's marking: the heading's (U) covers its own line
    assert marked["A.1"] == "S//NF" and marked["A.3"] == "U"  # a marked need keeps its own marking


def test_a_stricter_topic_heading_raises_the_unmarked_questions_under_it():
    extraction = extract(cable("""\
1. (C) Please cite C-AL9-01177 in the subject line. Post is requested to report on the following topics:

A. (C) Economy

-- What is the inflation rate?

-- Who sets the exchange rate?

B. (S//NF) Military

-- Which units are loyal?

-- (U) Where do they parade?
""", subject="(C) SUDAN: ECONOMY AND MILITARY"))
    assert markings(extraction) == [("A.1", "C"), ("A.2", "C"), ("B.1", "S//NF"), ("B.2", "U")]


# ----------------------------------------------------------------------------- needs written as prose

def test_collection_needs_in_plain_prose_are_questions_of_their_topics():
    extraction = extract(cable(NHCD))
    assert [(s.letter, s.audience, [q.code for q in s.questions]) for s in extraction.sections] == [
        ("A", "Darfur Peace Process", ["A.1", "A.2", "A.3"]),
        ("B", "CPA Implementation", ["B.1", "B.2"]),
        ("C", "Regime Stability", ["C.1"])]
    assert extraction.questions[3].text == (
        "Progress toward the 2010 national elections, including voter registration and census disputes. (DEPS-3)")
    assert "lists 6 reporting needs under 3 topics" in tasking_signals(cable(NHCD))


def test_what_a_tasking_list_leaves_out_is_named_in_the_notes():
    extraction = extract(cable(NHCD))
    assert extraction.notes == ('Paragraph D is not among the questions: "Humanitarian Access GRPO can provide text."',)


# ----------------------------------------------------------------------------- talking points

DEMARCHE = """\
1. (U) This is an action request. Please see paragraph 3.

2. (C) Background: The United States intends to co-sponsor a resolution on Guinea.

3. (C) Action request: Department requests posts deliver the talking points in paragraph 4 to host
government officials and report response. Posts should also seek answers to the questions in paragraph 5.

4. (U) Begin talking points:

-- The United States is deeply concerned about the human rights situation in Guinea.

-- Will your government join us in co-sponsoring a resolution establishing an independent expert? We
believe African leadership on this issue is essential.

-- Can we count on your support in the Africa Group?

End talking points.

5. (C) Questions for host governments:

A. Does the host government intend to co-sponsor or vote for the resolution?

B. What position will the host government take in African Group deliberations?

6. (U) Please report response by January 29.
"""


def test_talking_points_are_delivered_not_asked():
    tasking = cable(DEMARCHE, to="AMEMBASSY ABUJA\nAMEMBASSY ACCRA", class_line="C O N F I D E N T I A L STATE 006802",
                    subject="DEMARCHE REQUEST: SUPPORT FOR UN HUMAN RIGHTS COUNCIL RESOLUTION ON GUINEA")
    assert [(q.code, q.paragraph) for q in extract(tasking).questions] == [("A", "A"), ("B", "B")]  # of paragraph 5
    assert "asks 2 questions" in tasking_signals(tasking)


def test_a_demarche_of_talking_points_alone_holds_no_questions():
    tasking = cable("""\
1. (C) Action request: Department requests posts deliver the following points to host government officials
and report response.

2. (U) Begin talking points:

-- The United States is concerned about the situation.

-- Will your government co-sponsor the resolution?

-- Can we count on your support?

End talking points.
""", class_line="C O N F I D E N T I A L STATE 006802", subject="DEMARCHE REQUEST: GUINEA")
    with pytest.raises(NoQuestions):
        extract(tasking)


# ----------------------------------------------------------------------------- a topic of one bullet

def test_a_topic_with_a_single_bullet_is_a_section_like_its_siblings():
    extraction = extract(cable("""\
1. (C) INR seeks information on the inclusive government and diamond revenues. Responses should include
"C-RE0-00418" in the subject line. Embassy Harare is requested to report on the following topics:

A. (C) Inclusive government

-- Is ZANU-PF complying with the Global Political Agreement?

-- How are MDC ministers' relations with their ZANU-PF deputy ministers?

B. (C/NF) Diamond revenues

-- Which companies are exporting Marange diamonds?

-- Are diamond revenues diverted to the military?

C. (C) Security sector

-- What is the current disposition of the Fifth Brigade?

2. (U) Department thanks post for its continued reporting.
""", to="AMEMBASSY HARARE", class_line="C O N F I D E N T I A L STATE 033457", subject="(C) ZIMBABWE"))
    assert [(s.letter, s.audience, [q.code for q in s.questions]) for s in extraction.sections] == [
        ("A", "Inclusive government", ["A.1", "A.2"]), ("B", "Diamond revenues", ["B.1", "B.2"]),
        ("C", "Security sector", ["C.1"])]
    assert extraction.questions[-1].sentences == ("What is the current disposition of the Fifth Brigade?",)
    assert [q.marking for q in extraction.questions] == ["C", "C", "C//NF", "C//NF", "C"]


# ----------------------------------------------------------------------------- all other addressees

EUROPE = "\n".join(f"AMEMBASSY {post}" for post in ("PARIS", "LONDON", "BERLIN", "ROME", "MADRID", "WARSAW",
                                                    "THE HAGUE")) + "\nINFO USMISSION USNATO"


@pytest.mark.parametrize("others", ["For all other addressees", "For all other posts", "For remaining addressees",
                                    "For the remaining posts"])
def test_all_other_addressees_are_those_no_earlier_audience_named(others):
    extraction = extract(cable(f"""\
1. (S//NF) Washington analysts would appreciate posts' views on European positions. Please cite
C-AL9-02045 in the subject line of any responsive reporting.

2. (U) For Embassies Paris, London and Berlin:

A. (S//NF) Has the host government received any new Iranian proposals since June?

3. (U) {others}:

A. (C) Would the host government support an EU-level ban on investment in Iran's energy sector?
""", to=EUROPE, subject="(S) EUROPEAN VIEWS ON IRAN SANCTIONS"))
    first, rest = extraction.sections
    assert first.posts == ("AMEMBASSY PARIS", "AMEMBASSY LONDON", "AMEMBASSY BERLIN")
    assert rest.posts == ("AMEMBASSY ROME", "AMEMBASSY MADRID", "AMEMBASSY WARSAW", "AMEMBASSY THE HAGUE")
    assert rest.questions[0].posts == rest.posts


# ----------------------------------------------------------------------------- who tasks

POST_TO_DEPARTMENT = """\
1. (C) Summary and action request: post requests Department guidance on the following questions before
the Ambassador meets President-elect Lobo on December 17. End summary.

2. (C) Post requests the Department answer the following questions:

A. Should the Ambassador characterize the USG position as recognition of the election results?

B. Is the Department prepared to announce resumption of suspended assistance programs?

C. Will the Department support Honduras' return to the OAS?

3. (C) Post would appreciate a response by December 16. Please cite C-AL9-03011 in any response.
"""


def test_a_posts_questions_to_the_department_are_no_tasking():
    asks_washington = cable(POST_TO_DEPARTMENT, sender="AMEMBASSY TEGUCIGALPA", to="SECSTATE WASHDC 1234",
                            class_line="C O N F I D E N T I A L TEGUCIGALPA 001402",
                            subject="HONDURAS: POST REQUESTS GUIDANCE", signature="LLORENS")
    assert tasking_signals(asks_washington) == ()
    tasks_consulates = cable(POST_TO_DEPARTMENT.replace("the Department answer", "Consulates answer").replace(
        "Department guidance", "consulates' views"), sender="AMEMBASSY MEXICO",
        to="AMCONSUL MONTERREY\nAMCONSUL TIJUANA\nINFO SECSTATE WASHDC",
        class_line="C O N F I D E N T I A L MEXICO 001402", subject="MEXICO: CONSULATES' VIEWS", signature="PASCUAL")
    assert "asks reporting to cite C-AL9-03011" in tasking_signals(tasks_consulates)
