"""tracker.extraction on real tasking cables (each layout, the viewer page and the flattened form), on
the 285 sample pages (which ones it flags as tasking) and on invented raw cables of other layouts.
Pure: runs without a database; each file is parsed once per module."""
import re
from dataclasses import replace
from functools import cache
from pathlib import Path

import pytest

from cables.parsing import ParsedCable, parse_cable_text
from cables.sources import parse_document
from tests.conftest import FLATTENED_SEED, PAGES, TEXT_PAGE_SEED
from tracker.extraction import NoQuestions, extract, split_sentences, tasking_signals


@pytest.fixture(autouse=True)
def _media_root():
    """These tests touch no files and no settings: stand in for the project's Django-settings fixture."""


@cache
def read(path: Path) -> ParsedCable:
    return parse_document(path.read_text(encoding="utf-8", errors="replace"))


def page(name: str) -> ParsedCable:
    return read(PAGES / f"{name}.html")


def flattened() -> ParsedCable:
    return read(FLATTENED_SEED)


def by_code(extraction):
    return {q.code: q for q in extraction.questions}


# ----------------------------------------------------------------------------- 09STATE6423, both forms

LATIN_AMERICAN_POSTS = 26


@pytest.fixture(scope="module", params=["viewer page", "flattened"])
def iran(request):
    return extract(page("09STATE6423") if request.param == "viewer page" else flattened())


def test_the_iran_questionnaire_has_three_sections_of_twenty_questions(iran):
    assert [s.letter for s in iran.sections] == ["A", "B", "C"]
    assert [len(s.questions) for s in iran.sections] == [4, 9, 7]
    assert [q.code for q in iran.questions] == [f"A.{n}" for n in range(1, 5)] + [
        f"B.{n}" for n in range(1, 10)] + [f"C.{n}" for n in range(1, 8)]
    assert [q.paragraph for q in iran.questions] == [q.code for q in iran.questions]


def test_the_intro_and_the_please_cite_paragraph_are_no_questions(iran):
    assert not {"1", "2"} & {q.paragraph for q in iran.questions}


def test_c5_is_confidential_and_every_other_question_secret(iran):
    assert {q.code: q.marking for q in iran.questions if q.marking != "S//NF"} == {"C.5": "C//NF"}


def test_the_iran_questionnaire_identity(iran):
    assert iran.reference_id == "09STATE6423"
    assert iran.title == "Iranian outreach to Latin America"
    assert iran.collection_reference == "C-AL8-02836"
    assert iran.issuer == "Secretary of State"
    assert iran.classifier.upper().startswith("SUZANNE MCCORMICK")
    assert iran.addressed[0] == "IRAN COLLECTIVE" and len(iran.addressed) == 27
    assert iran.tasked is not None and iran.tasked.year == 2009


def test_section_posts_come_from_their_audiences(iran):
    a, b, c = iran.sections
    assert a.posts == ("IRAN COLLECTIVE",)
    assert b.posts[0] == "IRAN COLLECTIVE" and len(b.posts) == 1 + LATIN_AMERICAN_POSTS
    assert len(c.posts) == LATIN_AMERICAN_POSTS and "IRAN COLLECTIVE" not in c.posts
    assert all(q.posts == s.posts and q.audience == "" for s in iran.sections for q in s.questions)


def test_the_viewer_page_audiences_are_sentence_cased_with_their_acronyms():
    a, b, c = extract(page("09STATE6423")).sections
    assert a.audience == "For Iran watchers and the Iran Regional Presence Office (IRPO)"
    assert b.audience == "For Iran watchers, IRPO and Latin American posts"
    assert c.audience == "For Latin American posts"


def test_the_flattened_audiences_are_sentence_cased():
    a, b, c = extract(flattened()).sections
    assert a.audience == "For Iran watchers and the Iran Regional Presence Office IRPO"
    assert b.audience == "For Iran watchers IRPO and Latin American posts"
    assert c.audience == "For Latin American posts"


def test_the_flattened_questions_split_at_question_openings():
    a2 = by_code(extract(flattened()))["A.2"]
    assert a2.sentences == (
        "who in tehran is pushing irans outreach to latin america",
        "if it is ahmadinejad what is the supreme leaders opinion on irans efforts to expand its presence in the"
        " region",
        "who in tehran is responsible for implementing irans latin america policythe mfa the mois the irgc",
        "who within these organizations is involved in forming irans policy on latin america",
        "how do these organizations coordinate their activities in the region",
    )


def test_both_forms_split_most_questions_into_as_many_sentences():
    written, flat = extract(page("09STATE6423")).questions, extract(flattened()).questions
    agreeing = [w.code for w, f in zip(written, flat, strict=True) if len(w.sentences) == len(f.sentences)]
    assert len(agreeing) >= 18  # all 20 at the time of writing
    assert sum(len(q.sentences) for q in written) == 81


def test_the_viewer_page_questions_split_at_question_marks():
    questions = by_code(extract(page("09STATE6423")))
    assert questions["C.5"].sentences == (
        "WHAT IS THE SIZE OF THE SHIA MUSLIM COMMUNITY?", 'WHICH ARE THE KNOWN HIZBALLAH "CLANS?"')
    assert questions["A.1"].sentences[0].startswith("BEYOND IRAN'S OVERT POLICY")  # the lead stays with its question
    assert questions["A.1"].sentences[0].endswith("OUTREACH TO LATIN AMERICA?")
    assert len(questions["A.1"].sentences) == 7


# ----------------------------------------------------------------------------- other layouts


def test_questions_lettered_with_their_own_audiences():
    extraction = extract(page("09STATE40419"))
    havana, moscow = ("USINT HAVANA",), ("AMEMBASSY MOSCOW",)
    (section,) = extraction.sections
    assert (section.letter, section.audience, section.posts) == ("", "", ())
    assert [(q.code, q.audience, q.posts) for q in section.questions] == [
        ("A", "For Havana", havana),
        ("B", "For Havana", havana),
        ("C", "For Moscow", moscow),
        ("D", "For Moscow", moscow),
        ("E", "For Havana and Moscow", moscow + havana),
        ("F", "For Havana and Moscow", moscow + havana),
    ]
    assert {q.marking for q in section.questions} == {"S//NF"}
    assert section.questions[0].text.startswith("FOR HAVANA: ARE THERE CUBAN OFFICIALS")
    assert section.questions[0].sentences == (
        "ARE THERE CUBAN OFFICIALS WHO ARE SKEPTICAL OF IMPROVING HAVANA'S TIES TO RUSSIA?", "IF SO, WHY?")
    assert extraction.title == "Cuba-Russia relationship"
    assert extraction.collection_reference == "C-AL9-00784"


def test_sub_questions_of_a_lettered_question_are_questions_of_their_own():
    extraction = extract(page("09STATE47326"))
    (section,) = extraction.sections
    assert [q.code for q in section.questions] == ["A", "B", "B.1", "B.2", "C", "D", "E", "F", "G"]
    assert {q.marking for q in section.questions} == {"U"}
    questions = by_code(extraction)
    assert questions["B.2"].sentences == ("HOW MANY MURALS WILL BE REPLACED?",)
    assert len(questions["F"].sentences) == 5
    assert extraction.title == "Questions on removal of anti-American slogans and art from Tehran's buildings"


def test_a_single_lettered_question():
    extraction = extract(page("09STATE52774"))
    (question,) = extraction.questions
    assert (question.code, question.marking, question.paragraph) == ("A", "S//NF", "A")
    assert len(question.sentences) == 1
    assert extraction.title == "Kudos on Canada and the Americas"


def test_a_humint_directive_gives_its_reporting_needs_not_its_outline():
    extraction = extract(page("08STATE30340"))
    assert [(s.letter, s.audience, len(s.questions)) for s in extraction.sections] == [
        ("A", "Terrorism and Crime", 5),
        ("B", "Political Dynamics and Democratization", 4),
        ("C", "Economy, Trade, and Investment", 3),
        ("D", "Military and Security Issues", 3),
        ("E", "Information Infrastructure and Telecommunications (INFR-4)", 1),
    ]
    questions = by_code(extraction)
    assert list(questions) == ["A.1", "A.2", "A.3", "A.4", "A.5", "B.1", "B.2", "B.3", "B.4", "C.1", "C.2", "C.3",
                               "D.1", "D.2", "D.4", "E"]  # D.3 only says "GRPO can provide text"
    assert all(q.paragraph.startswith("6.") for q in questions.values())  # not the outline in paragraph 5
    assert questions["E"].paragraph == "6.E"
    assert {q.marking for q in questions.values()} == {"S//NF"}  # from paragraph 6
    a1 = questions["A.1"]
    assert a1.text.startswith("Terrorist Threats and Activities (TERR-2) - Information on the presence")
    assert len(a1.sentences) == 8
    assert a1.sentences[0].startswith("Information on the presence, intentions, plans and activities")
    assert a1.sentences[-1] == ("Plans, intentions, and activities of domestic terrorist groups and regional"
                                " terrorist groups that operate in Paraguay.")
    assert len(questions["E"].sentences) == 7
    assert extraction.title == "Reporting and collection needs: Paraguay"
    assert extraction.collection_reference == ""


def test_a_humint_directive_with_country_lists_and_unmarked_needs():
    extraction = extract(page("09STATE80163"))
    assert [(s.letter, len(s.questions)) for s in extraction.sections] == [
        ("A", 5), ("B", 8), ("C", 3), ("D", 2), ("E", 2), ("F", 1), ("G", 7), ("H", 2)]
    questions = by_code(extraction)
    assert "H.1" not in questions and "H.2" not in questions  # placeholders
    assert questions["F"].paragraph == "15.F"
    assert extraction.sections[5].audience == "UN General Assembly Tactics and Voting Blocs (FPOL-1)"
    assert extraction.sections[2].audience == "UN Peace and Peacebuilding Operations"
    assert {q.marking for q in questions.values()} == {"S//NF"}  # paragraph 15 is unmarked: the cable's
    sentences = [s for q in questions.values() for s in q.sentences]
    assert not [s for s in sentences if "Countries:" in s or "International Organizations:" in s]
    assert questions["A.1"].sentences[-1] == ("Divisions between UN member and UN Secretariat assessments of the"
                                              " situation on the ground as it affects UN action.")
    assert extraction.title == "Reporting and collection needs: the United Nations"


def flatten(cable: ParsedCable) -> ParsedCable:
    """A viewer page's cable as the flattened form writes it: lower case, no punctuation, no "a"."""
    def flat(text: str) -> str:
        return " ".join(w for w in re.sub(r"[^a-z0-9\s]", "", text.lower()).split() if w != "a")

    return replace(cable, form="flattened", paragraphs=tuple(replace(p, text=flat(p.text)) for p in cable.paragraphs))


@pytest.mark.parametrize("name", ["09STATE40419", "09STATE47326", "09STATE52774", "08STATE30340", "09STATE80163"])
def test_every_layout_reads_alike_when_flattened(name):
    written, flat = extract(page(name)), extract(flatten(page(name)))
    assert [q.code for q in flat.questions] == [q.code for q in written.questions]
    assert [q.marking for q in flat.questions] == [q.marking for q in written.questions]
    assert [q.posts for q in flat.questions] == [q.posts for q in written.questions]
    assert [s.letter for s in flat.sections] == [s.letter for s in written.sections]
    assert tasking_signals(flatten(page(name)))[0] == tasking_signals(page(name))[0]


@pytest.mark.parametrize("name", ["09MOSCOW1730", "08BOGOTA4036", "05SOFIA1207", "90BAGHDAD4237"])
def test_an_ordinary_cable_holds_no_questions(name):
    with pytest.raises(NoQuestions) as error:
        extract(page(name))
    assert str(error.value) == (f"{name} holds no questions: no lettered sections, numbered question items or"
                                " reporting needs were found")


# ----------------------------------------------------------------------------- sentences


def test_sentences_split_at_question_marks_and_keep_them():
    assert split_sentences("WHICH RELATIONSHIP DOES RUSSIA VIEW AS A HIGHER PRIORITY?  CUBA OR VENEZUELA?  WHY?") == (
        "WHICH RELATIONSHIP DOES RUSSIA VIEW AS A HIGHER PRIORITY?", "CUBA OR VENEZUELA?", "WHY?")


def test_a_garbled_apostrophe_is_no_question_mark():
    assert split_sentences("WHAT DRIVES MEDVEDEV?S OUTREACH?  WHO PAYS?") == (
        "WHAT DRIVES MEDVEDEV?S OUTREACH?", "WHO PAYS?")


def test_a_question_word_inside_a_punctuated_sentence_does_not_split_it():
    assert split_sentences("Do officials know what the plan costs, and where it is funded?") == (
        "Do officials know what the plan costs, and where it is funded?",)
    assert split_sentences("Please describe how it decides.") == ("Please describe how it decides.",)


def test_a_dash_that_carries_a_sentence_on_is_no_bullet():
    assert split_sentences("WHO IS RESPONSIBLE FOR IRAN'S POLICY\n--THE MFA, THE IRGC? WHO WITHIN THESE?") == (
        "WHO IS RESPONSIBLE FOR IRAN'S POLICY --THE MFA, THE IRGC?", "WHO WITHIN THESE?")


def test_flattened_text_splits_at_question_openings_but_not_inside_clauses():
    assert split_sentences(
        "is there any indication of trade including materials or technology which could be used for weapons"
        " development by iran") == (
        "is there any indication of trade including materials or technology which could be used for weapons"
        " development by iran",)
    assert split_sentences(
        "are any persons affiliated with the government making preparations to create networks later if so what"
        " sort of activities") == (
        "are any persons affiliated with the government making preparations to create networks later",
        "if so what sort of activities")
    assert split_sentences(
        "to what extent are iran and its allies cooperating against the us in what ways has iran been successful"
        " at fostering antiamericanism") == (
        "to what extent are iran and its allies cooperating against the us",
        "in what ways has iran been successful at fostering antiamericanism")
    assert split_sentences("what statetostate military agreements is iran pursuing in latin america") == (
        "what statetostate military agreements is iran pursuing in latin america",)


def test_a_lead_that_asks_nothing_stays_with_its_question():
    assert split_sentences("specifically regarding the ministry what is the status of the deal who signed it") == (
        "specifically regarding the ministry what is the status of the deal", "who signed it")


def test_bullets_are_the_sentences_of_a_need_without_title_or_country_list():
    need = ("Food Security (FOOD-3).\n-- Status of the framework for action.\n-- WFP proposals on\nfood aid.\n\n"
            "Countries: Austria, China\nInternational Organizations: FAO, UN")
    assert split_sentences(need) == ("Status of the framework for action.", "WFP proposals on food aid.")


def test_lettered_sub_items_are_the_sentences_of_a_need():
    need = "Trade (TRAD-4)\na) Status of trade talks;\nb) Views on tariffs; and\nc) Plans for a free trade zone."
    assert split_sentences(need) == ("Status of trade talks", "Views on tariffs", "Plans for a free trade zone.")


# ----------------------------------------------------------------------------- detection

TASKING = {"09STATE6423", "09STATE40419", "09STATE47326", "09STATE52774", "09STATE80163", "08STATE30340"}


@pytest.fixture(scope="module")
def survey():
    pages = sorted(PAGES.glob("*.html"))
    assert len(pages) == 285
    return {cable.reference_id: tasking_signals(cable) for cable in (page(p.stem) for p in pages)}


def test_only_the_tasking_cables_among_the_285_pages_are_flagged(survey):
    assert {ref for ref, reasons in survey.items() if reasons} == TASKING


@pytest.mark.parametrize("response", ["08BOGOTA4036", "08LAPAZ751", "08SANJOSE710", "08SANTIAGO678", "09MOSCOW1730",
                                      "05SOFIA1207", "09RABAT408", "07MANAMA982"])
def test_a_response_citing_a_collection_reference_is_not_tasking(survey, response):
    assert survey[response] == ()


def test_the_reasons_say_why(survey):
    assert survey["09STATE6423"][:3] == (
        "asks reporting to cite C-AL8-02836", "asks 20 questions under 3 addressed sections", "'please cite'")
    assert "asks 6 questions addressed to posts" in survey["09STATE40419"]
    assert survey["08STATE30340"][:2] == ("lists 16 reporting needs under 5 topics", "'reporting and collection needs'")
    assert survey["09STATE80163"][0] == "lists 30 reporting needs under 8 topics"


def test_the_flattened_form_is_flagged_too():
    assert tasking_signals(flattened())[:2] == (
        "asks reporting to cite C-AL8-02836", "asks 20 questions under 3 addressed sections")
    assert tasking_signals(read(TEXT_PAGE_SEED)) == ()  # 08MOSCOW3526, a page saved as text


# ----------------------------------------------------------------------------- invented cables, other layouts

NUMBERED_QUESTIONS = """\
O 121530Z MAR 09
FM SECSTATE WASHDC
TO AMEMBASSY CAIRO IMMEDIATE
AMEMBASSY AMMAN IMMEDIATE
AMEMBASSY TEL AVIV PRIORITY
BT
C O N F I D E N T I A L STATE 012345

E.O. 12958: DECL: 03/12/2019
TAGS: PREL PINR EG JO IS
SUBJECT: (C) REQUEST FOR INFORMATION: JORDAN RIVER WATER TALKS
(C-NE9-00123)

Classified By: INR/OPS Director Jane Doe for reasons 1.4 (c).

1. (U) This is a request for information. Washington analysts
would appreciate posts' views on the questions below, as time and
resources permit.

2. (C) What is the host government's position on the proposed
water-sharing framework? How firm is it?

3. (C) Who leads the host government's delegation to the talks?
Has the delegation been given authority to sign an agreement?

4. (S//NF) Are there signs that the talks are being used to
delay other negotiations?

5. (U) Please cite C-NE9-00123 in the subject line of any
reporting in response to the above questions.
"""

ADDRESSED_PARAGRAPHS = """\
O 021200Z APR 09
FM SECSTATE WASHDC
TO AMEMBASSY RIYADH
AMEMBASSY KUWAIT
AMEMBASSY DOHA
AMEMBASSY MOSCOW
AMEMBASSY OTTAWA
BT
S E C R E T STATE 054321

E.O. 12958: DECL: 04/02/2019
TAGS: PINR EPET
SUBJECT: (S) GULF OIL OUTPUT AND RUSSIAN PRICING (C-EC9-00456)

Classified By: INR/OPS Director Jane Doe for reasons 1.4 (c).

1. (S) Analysts are preparing an assessment of oil output decisions
and would welcome answers to the questions below.

2. (S) FOR GULF POSTS:

A. (S) How do host government officials expect output quotas to
change this year?

B. (S//NF) Is the host government storing crude at sea? If so, how
much?

3. (C) FOR MOSCOW:

A. (C) Does Gazprom expect to renegotiate its contracts?

4. (U) Please cite C-EC9-00456 in the subject line of reporting.
"""

NEEDS_WITH_LETTERED_ITEMS = """\
R 151200Z MAY 09
FM SECSTATE WASHDC
TO AMEMBASSY ULAANBAATAR
BT
S E C R E T STATE 067890

NOFORN

E.O. 12958: DECL: 05/15/2034
TAGS: PINR KSPR MG
SUBJECT: (S) REPORTING AND COLLECTION NEEDS: MONGOLIA

Classified By: INR/OPS Director Jane Doe for reasons 1.4 (c).

1. (S/NF) This cable lists Washington's priorities for reporting on
Mongolia.

2. (S/NF) Reporting and collection needs:

A. Energy and Mining

1) Mineral Resources Policy (ENER-3)
a) Government plans for the Oyu Tolgoi and Tavan Tolgoi
deposits, including terms offered to foreign investors;
b) Details of disputes among ministries over licensing;
c) Views of parliamentarians on windfall taxes.

2) GRPO can provide text of this issue.

B. Political Stability (DEPS-3)
- Plans and intentions of the ruling party before the elections.
- Details of factional disputes within the opposition.
"""

RESPONSE_WITH_AN_AUDIENCE = """\
P 031530Z MAR 09
FM AMEMBASSY MOSCOW
TO SECSTATE WASHDC PRIORITY
BT
S E C R E T MOSCOW 000412

E.O. 12958: DECL: 03/03/2019
TAGS: PREL PINR RS CU
SUBJECT: (C) RUSSIA AND CUBA: RESPONSE TO INR QUESTIONS (C-AL9-00784)

REF: STATE 40419

Classified By: Political Minister Counselor Alice Wells for reasons 1.4 (b).

1. (S/NF) This cable answers the questions in ref. Please cite
the contacts below with care.

A. (C) For Havana watchers: contacts saw no new credit line.

1) (S/NF) The MFA said the credit talks stalled in February.

2) (C) A think-tank expert disagreed: is Moscow still paying? Yes.
"""


@cache
def raw(text: str) -> ParsedCable:
    return parse_cable_text(text)


def test_numbered_paragraphs_that_ask_are_questions_coded_by_their_number():
    cable = raw(NUMBERED_QUESTIONS)
    assert "asks 3 questions" in tasking_signals(cable)
    extraction = extract(cable)
    (section,) = extraction.sections
    assert [(q.code, q.marking, len(q.sentences)) for q in section.questions] == [
        ("2", "C", 2), ("3", "C", 2), ("4", "S//NF", 1)]
    assert extraction.title == "Request for information: Jordan river water talks"
    assert extraction.collection_reference == "C-NE9-00123"


def test_numbered_audience_paragraphs_over_lettered_questions():
    cable = raw(ADDRESSED_PARAGRAPHS)
    assert "asks 3 questions under 2 addressed sections" in tasking_signals(cable)
    gulf, moscow = extract(cable).sections
    assert (gulf.letter, gulf.audience, gulf.posts) == (
        "2", "For Gulf posts", ("AMEMBASSY RIYADH", "AMEMBASSY KUWAIT", "AMEMBASSY DOHA"))
    assert [(q.code, q.marking, q.posts) for q in gulf.questions] == [
        ("2.A", "S", gulf.posts), ("2.B", "S//NF", gulf.posts)]
    assert (moscow.letter, moscow.audience, moscow.posts) == ("3", "For Moscow", ("AMEMBASSY MOSCOW",))
    assert [q.code for q in moscow.questions] == ["3.A"]


def test_needs_with_lettered_sub_items_and_a_topic_without_items():
    cable = raw(NEEDS_WITH_LETTERED_ITEMS)
    assert tasking_signals(cable)[0] == "lists 2 reporting needs under 2 topics"
    energy, politics = extract(cable).sections
    (minerals,) = energy.questions
    assert (energy.letter, energy.audience, minerals.code, minerals.marking) == (
        "A", "Energy and Mining", "A.1", "S//NF")
    assert minerals.sentences == (
        "Government plans for the Oyu Tolgoi and Tavan Tolgoi deposits, including terms offered to foreign investors",
        "Details of disputes among ministries over licensing",
        "Views of parliamentarians on windfall taxes.")
    assert (politics.letter, politics.audience, [q.code for q in politics.questions]) == (
        "B", "Political Stability (DEPS-3)", ["B"])
    assert len(politics.questions[0].sentences) == 2


def test_a_response_with_an_audience_line_and_a_collection_reference_is_not_tasking():
    cable = raw(RESPONSE_WITH_AN_AUDIENCE)
    assert cable.collection_references == ("C-AL9-00784",)
    assert tasking_signals(cable) == ()
    with pytest.raises(NoQuestions, match="09MOSCOW412 holds no questions"):
        extract(cable)


# ----------------------------------------------------------------------------- layouts seen on other taskings

TASKING_HEAD = """\
R 232151Z JAN 09
FM SECSTATE WASHDC
TO AMEMBASSY CARACAS
AMEMBASSY LA PAZ
AMEMBASSY MOSCOW
BT
S E C R E T STATE 012345

NOFORN

E.O. 12958: DECL: 01/23/2034
TAGS: PINR PREL
SUBJECT: (C) IRANIAN OUTREACH TO LATIN AMERICA{subject_cal}
{ref}
Classified By: INR/I Director Jane Doe. Reason: 1.4(c).

1. (S/NF) Washington analysts would appreciate any information on the following
questions, as time and resources permit.

"""
TASKING_END = """
2. (U) Please cite {cal} in the subject line of reporting in response to the above questions.

CLINTON
"""
SECTIONS_WITH_ITEMS = """\
A. (U) FOR IRAN WATCHERS:

{one} (S/NF) WHO IN TEHRAN IS PUSHING THE OUTREACH? WHO IS RESPONSIBLE?

{two} (C/NF) DOES TEHRAN INTEND TO USE THE REGION AS A STAGING GROUND?

B. (U) FOR LATIN AMERICAN POSTS:

{one} (S//REL TO USA, GBR) WHAT DO LATIN AMERICAN COUNTRIES WANT FROM IRAN?

{two} (S/NF) HOW LARGE IS THE SHIA COMMUNITY?
IF GROWING, HOW FAST?

IS IT ORGANISED?
"""


def tasking(body: str, cal: str = "C-AL9-01234", subject_cal: str = " (C-AL9-01234)", ref: str = "") -> ParsedCable:
    return parse_cable_text(TASKING_HEAD.format(subject_cal=subject_cal, ref=ref) + body + TASKING_END.format(cal=cal))


@pytest.mark.parametrize("one, two, codes", [
    ("1)", "2)", ["A.1", "A.2", "B.1", "B.2"]),
    ("1.", "2.", ["A.1", "A.2", "B.1", "B.2"]),  # items numbered like paragraphs
    ("(1)", "(2)", ["A.1", "A.2", "B.1", "B.2"]),  # items inside the section's own paragraph
    ("a)", "b)", ["A.a", "A.b", "B.a", "B.b"]),
    ("--", "--", ["A.1", "A.2", "B.1", "B.2"]),
    ("Q1:", "Q2:", ["A.1", "A.2", "B.1", "B.2"]),
])
def test_question_items_of_every_numbering_keep_their_sections_audiences_and_markings(one, two, codes):
    extraction = extract(tasking(SECTIONS_WITH_ITEMS.format(one=one, two=two)))
    iran, latin = extraction.sections
    assert (iran.letter, iran.audience, latin.letter, latin.audience) == (
        "A", "For Iran watchers", "B", "For Latin American posts")
    assert latin.posts == ("AMEMBASSY CARACAS", "AMEMBASSY LA PAZ")
    assert [q.code for q in extraction.questions] == codes
    assert [q.marking for q in extraction.questions] == ["S//NF", "C//NF", "S//REL", "S//NF"]
    assert not any("(S/NF)" in s for q in extraction.questions for s in q.sentences)


def test_a_question_standing_alone_after_a_question_stays_in_it():
    """ "IS IT ORGANISED?" on its own line (a page break often leaves one so) is the item's last question,
    not a heading of what follows."""
    last = extract(tasking(SECTIONS_WITH_ITEMS.format(one="1)", two="2)"))).questions[-1]
    assert last.sentences == ("HOW LARGE IS THE SHIA COMMUNITY?", "IF GROWING, HOW FAST?", "IS IT ORGANISED?")


def test_requests_without_question_marks_are_questions():
    body = """\
A. (U) FOR LATIN AMERICAN POSTS:

1) (S/NF) Please describe who in the host government handles relations with Tehran.

2) (C) Identify any arms sales or military training Iran offers.

3) (C) What do officials say about it?

"""
    questions = extract(tasking(body)).questions
    assert [q.code for q in questions] == ["A.1", "A.2", "A.3"]
    assert "Please provide your responses by" not in " ".join(q.text for q in questions)


def test_the_collection_reference_is_the_one_replies_are_asked_to_cite():
    """A follow-up tasking mentions the tasking it follows up, CAL number and all, before its own."""
    body = """\
A. (U) FOR LATIN AMERICAN POSTS:

1) (S/NF) WHAT IS NEW IN IRAN'S TIES TO VENEZUELA SINCE REF A, SENT UNDER C-AL8-02836?

"""
    cable = tasking(body, cal="C-AL9-01234", subject_cal="", ref="REF: A. STATE 6423, B. STATE 7777")
    assert cable.collection_references == ("C-AL8-02836", "C-AL9-01234")
    assert extract(cable).collection_reference == "C-AL9-01234"
    assert "asks reporting to cite C-AL9-01234" in tasking_signals(cable)
    assert "asks reporting to cite C-AL8-02836" not in tasking_signals(cable)


@pytest.mark.parametrize("written", ["C-AL9-01234", "CAL9-01234", "CAL 9-01234", "C AL9-01234", "C-AL-9-01234",
                                     "C\u2013AL9\u201301234", "c-al9-01234"])
def test_collection_references_as_they_are_typed(written):
    cable = tasking(SECTIONS_WITH_ITEMS.format(one="1)", two="2)"), cal=written, subject_cal="")
    assert extract(cable).collection_reference == "C-AL9-01234"


def test_a_label_that_reads_like_a_request_is_no_question():
    body = "2. (C) Describe the government's course.\n\n3. (C) Comment: the government is steering a firm course.\n"
    cable = tasking(body, cal="C-AL9-01234").paragraphs
    questions = extract(replace(tasking(body), paragraphs=cable[:-1])).questions  # without the closing request
    assert [q.code for q in questions] == ["2"]


@pytest.mark.parametrize("sub", ["(a) ", "a) ", "-- "])
def test_a_question_over_sub_questions_keeps_its_lead_question(sub):
    second = sub.replace("a", "b")
    text = f"WHAT IS THE EXTENT OF IRANIAN PRESENCE?\n{sub}HOW MANY OFFICERS ARE POSTED?\n{second}WHAT COVER?"
    assert split_sentences(text) == ("WHAT IS THE EXTENT OF IRANIAN PRESENCE?", "HOW MANY OFFICERS ARE POSTED?",
                                     "WHAT COVER?")


@pytest.mark.parametrize("verb", ["include", "use", "reference"])
def test_the_collection_reference_replies_are_asked_to_put_in_their_subject_line(verb):
    body = """\
A. (U) FOR LATIN AMERICAN POSTS:

1) (S/NF) WHAT IS NEW SINCE THE REPORTING UNDER (C-AL8-02836)?

"""
    text = (TASKING_HEAD.format(subject_cal="", ref="") + body
            + f"\n2. (U) Please {verb} C-AL9-01234 in the subject line of any reply.\n\nCLINTON\n")
    assert extract(parse_cable_text(text)).collection_reference == "C-AL9-01234"


NUMBERED_ONLY = "\n2. (S/NF) WHAT IRANIAN BANKS OPERATE IN THE REGION?\n\n3. (S/NF) WHO FINANCES THEIR OPERATIONS?\n"


@pytest.mark.parametrize("intro", [
    "Posts are requested to answer the following questions.", "Please provide answers to the following questions.",
    "Department requests that posts respond to the following questions.", "INR seeks information on Iranian banks."])
def test_numbered_questions_asked_in_other_words_are_a_tasking(intro):
    cable = parse_cable_text(TASKING_HEAD.format(subject_cal="", ref="").replace(
        "1. (S/NF) Washington analysts would appreciate any information on the following\nquestions, as time and "
        "resources permit.", f"1. (U) {intro}") + NUMBERED_ONLY + "\nCLINTON\n")
    assert "asks 2 questions" in tasking_signals(cable)
    assert [q.code for q in extract(cable).questions] == ["2", "3"]


def test_a_posts_reply_quoting_the_questions_it_answers_is_no_tasking():
    reply = ("R 011200Z FEB 09\nFM AMEMBASSY CARACAS\nTO SECSTATE WASHDC 0101\nBT\nS E C R E T CARACAS 000210\n\n"
             "E.O. 12958: DECL: 02/01/2019\nTAGS: PINR VE IR\nSUBJECT: (S) RESPONSE TO INR REQUEST FOR INFORMATION"
             " (C-AL8-02836)\nREF: STATE 6423\n\n1. (U) Embassy Caracas' answers to the questions posed in ref A"
             " follow."
             " As requested, we cite C-AL8-02836 in the subject line.\n\n"
             "2. (S/NF) WHAT IRANIAN BANKS OPERATE IN THE REGION? Only one, the BID.\n\n"
             "3. (S/NF) WHO FINANCES THEM? The central bank.\n\nDUDDY\n")
    assert tasking_signals(parse_cable_text(reply)) == ()


def test_a_demarche_asking_one_question_in_passing_is_no_tasking():
    body = ("2. (U) Embassy should deliver the points below.\n\n3. (U) Points: the U.S. is concerned. Can you share"
            " the results of your investigation?\n\n4. (U) Please report any further developments.\n")
    cable = parse_cable_text(TASKING_HEAD.format(subject_cal="", ref="").split("1. (S/NF)")[0] + body + "\nCLINTON\n")
    assert tasking_signals(cable) == ()


@pytest.mark.parametrize("text, asks", [
    ("Posts should report on arms sales.", True), ("Post is requested to please report on any reaction.", True),
    ("Please also report on the minister's health.", True), ("Department requests that posts report on X.", True),
    ("Request that Embassy describe the succession.", True), ("Please confirm receipt of this message.", False),
    ("Please provide the following information to the host government.", False),
    ("Embassy should deliver the points below.", False), ("Comment: nothing new.", False)])
def test_requests_without_question_marks_and_instructions_that_are_none(text, asks):
    from tracker.extraction import _Context, _is_question

    assert _is_question(text, _Context(raw(NUMBERED_QUESTIONS), flat=False, asked=True, imperative=True)) is asks


@pytest.mark.parametrize("first, second, letters", [
    ("SECTION A: FOR IRAN WATCHERS:", "SECTION B: FOR LATIN AMERICAN POSTS:", ["A", "B"]),
    ("PART I - FOR IRAN WATCHERS:", "PART II - FOR LATIN AMERICAN POSTS:", ["I", "II"]),
    ("FOR IRAN WATCHERS\n-----------------", "FOR LATIN AMERICAN POSTS\n------------------------", ["", ""]),
])
def test_headings_above_numbered_questions_open_addressed_sections(first, second, letters):
    body = f"""\
{first}

2. (S/NF) WHO IN TEHRAN IS PUSHING THE OUTREACH?

3. (C) DOES TEHRAN INTEND TO USE THE REGION?

{second}

4. (S/NF) WHAT DO THE COUNTRIES WANT FROM IRAN?

"""
    head = TASKING_HEAD.format(subject_cal="", ref="").replace("1. (S/NF) Washington analysts would appreciate",
                                                                "1. (S/NF) Analysts would appreciate")
    cable = parse_cable_text(head + body + TASKING_END.format(cal="C-AL9-01234").replace("2. (U)", "5. (U)"))
    iran, latin = extract(cable).sections
    assert [iran.letter, latin.letter] == letters
    assert (iran.audience, [q.code for q in iran.questions]) == ("For Iran watchers", ["2", "3"])
    assert (latin.audience, [q.code for q in latin.questions]) == ("For Latin American posts", ["4"])
    assert latin.posts == ("AMEMBASSY CARACAS", "AMEMBASSY LA PAZ")


def test_questions_labelled_in_running_text_are_questions_of_their_own():
    body = ("2. (S/NF) REPORTING REQUIREMENTS FOR LATIN AMERICAN POSTS: (A) WHO IN TEHRAN IS PUSHING THE OUTREACH?"
            " (B) (C/NF) DOES TEHRAN\nINTEND TO USE THE REGION? (C) WHAT DO THE COUNTRIES WANT?\n")
    head = TASKING_HEAD.format(subject_cal="", ref="")
    cable = parse_cable_text(head + body + TASKING_END.format(cal="C-AL9-01234").replace("2. (U)", "3. (U)"))
    (section,) = extract(cable).sections
    assert (section.letter, section.posts) == ("2", ("AMEMBASSY CARACAS", "AMEMBASSY LA PAZ"))
    assert [(q.code, q.marking) for q in section.questions] == [("2.A", "S//NF"), ("2.B", "C//NF"), ("2.C", "S//NF")]


def _flattened_page(cable: ParsedCable) -> str:
    """A viewer page flattened as the seed was: identity and cable text, lower case, no punctuation."""
    from cables.flattened import parse_flattened

    identity = (f"{cable.reference_id.lower()} {cable.created:%Y%m%d %H%M} {cable.released:%Y%m%d %H%M} "
                f"{re.sub('[^a-z]', '', cable.classification.lower())} {cable.origin.lower()}")
    words = re.sub(r"[^a-z0-9\s]", "", (cable.header + "\n" + cable.body).lower())
    return parse_flattened(f"cable viewer reference id created released classification origin {identity} {words}")


def test_a_flattened_collection_directive_gives_its_needs_by_their_numbers_and_codes():
    """Flattened, 08STATE30340's topics and items have lost their lines; its items are still found by
    their numbers and NIPF codes, in their topics' sections."""
    cable = _flattened_page(page("08STATE30340"))
    assert cable.form == "flattened"
    extraction = extract(cable)
    assert [(s.letter, s.audience) for s in extraction.sections][:2] == [
        ("A", "Terrorism and crime"), ("B", "Political dynamics and democratization")]
    terrorism = extraction.sections[0]
    assert [q.code for q in terrorism.questions] == ["A.1", "A.2", "A.3", "A.4", "A.5"]
    assert terrorism.questions[0].text.startswith("terrorist threats and activities terr2 information on the presence")
    assert terrorism.questions[0].sentences[0].startswith("information on the presence")
    assert {q.marking for q in extraction.questions} == {"S//NF"}


# ----------------------------------------------------------------------------- numbered topics and audiences

GULF_HEAD = """\
R 121500Z MAR 09
FM SECSTATE WASHDC
TO AMEMBASSY ABUJA
AMEMBASSY ACCRA
AMEMBASSY PARIS
BT
S E C R E T STATE 024680

E.O. 12958: DECL: 03/12/2019
TAGS: PINR PREL NI GH
SUBJECT: (U) MARITIME SECURITY IN THE GULF OF GUINEA (C-AF9-00421)

Classified By: Director INR/OPS J. Smith for reasons 1.4 (b) and (d).

1. (S) Washington analysts seek information on piracy in the Gulf of Guinea. Please cite C-AF9-00421
in the subject line of any reply.

"""


def test_lettered_questions_under_numbered_topics_keep_their_topics_and_numbers():
    """Letters that start again under each numbered topic are numbered by it, the first topic's too."""
    cable = parse_cable_text(GULF_HEAD + """\
2. (S) Financing:
A) (S/NF) Who finances the attacks on offshore platforms?
B) (C) How are the stolen cargoes sold?

3. (S) Navy collusion:
A) (S/NF) What do navy officers say privately about the gangs?

4. (U) Embassy assistance is appreciated.
CLINTON
""")
    assert [p.number for p in cable.paragraphs] == ["1", "2", "2.A", "2.B", "3", "3.A", "4"]
    extraction = extract(cable)
    assert [(s.letter, s.audience) for s in extraction.sections] == [("2", "Financing"), ("3", "Navy collusion")]
    assert [(q.code, q.paragraph, q.marking) for q in extraction.questions] == [
        ("2.A", "2.A", "S//NF"), ("2.B", "2.B", "C"), ("3.A", "3.A", "S//NF")]


def test_a_numbered_audience_paragraph_addresses_the_numbered_questions_after_it():
    cable = parse_cable_text(GULF_HEAD + """\
2. (U) FOR ABUJA AND ACCRA:

3. (S) Who finances the attacks on offshore platforms?
A) (S/NF) Are politicians involved?

4. (S) How are the stolen cargoes sold?

5. (U) FOR PARIS:

6. (S) How does France view a joint patrol?
CLINTON
""")
    extraction = extract(cable)
    west_africa, paris = extraction.sections
    assert (west_africa.letter, west_africa.audience, paris.letter, paris.audience) == (
        "2", "For Abuja and Accra", "5", "For Paris")
    assert [q.code for q in west_africa.questions] == ["3", "3.A", "4"]
    assert {q.posts for q in west_africa.questions} == {("AMEMBASSY ABUJA", "AMEMBASSY ACCRA")}
    assert [(q.code, q.posts) for q in paris.questions] == [("6", ("AMEMBASSY PARIS",))]


TIP_TASKING = """\
R 051200Z JAN 09
FM SECSTATE WASHDC
TO ALL DIPLOMATIC AND CONSULAR POSTS
BT
UNCLAS STATE 001234

SENSITIVE
SIPDIS

E.O. 12958: N/A
TAGS: KTIP PHUM KCRM PREL SMIG ELAB
SUBJECT: NINTH ANNUAL TRAFFICKING IN PERSONS (TIP) REPORT - PREPARATION AND SUBMISSION

1. (U) This is an action request. All posts should respond by February 13, 2009.

2. (SBU) The report is mandated by the Trafficking Victims Protection Act.

3. (SBU) Overview of the country's trafficking situation:
A. Is the country a country of origin, transit, or destination for
trafficked men, women, or children? To where are they trafficked?
B. Are there any reports of forced labor in the country? Please describe them.

4. (SBU) Prevention:
A. Does the government acknowledge that trafficking is a problem?
B. Which government agencies are involved in anti-trafficking efforts?

5. (U) Minimize considered.
CLINTON
"""


def test_an_action_request_for_a_yearly_report_is_a_tasking_of_topics():
    cable = parse_cable_text(TIP_TASKING)
    assert tasking_signals(cable) == ("asks 4 questions", "'posts are asked to report'", "'action request'")
    extraction = extract(cable)
    assert [(s.letter, s.audience, [q.code for q in s.questions]) for s in extraction.sections] == [
        ("3", "Overview of the country's trafficking situation", ["3.A", "3.B"]),
        ("4", "Prevention", ["4.A", "4.B"])]
    assert extraction.questions[0].sentences == (
        "Is the country a country of origin, transit, or destination for trafficked men, women, or children?",
        "To where are they trafficked?")


def test_an_action_request_from_a_post_with_questions_is_no_tasking():
    """Weak phrases task only from the Department: an embassy's action request to Washington asks for
    guidance, not collection."""
    cable = parse_cable_text(TIP_TASKING.replace("FM SECSTATE WASHDC", "FM AMEMBASSY PARIS").replace(
        "TO ALL DIPLOMATIC AND CONSULAR POSTS", "TO SECSTATE WASHDC").replace("STATE 001234", "PARIS 001234"))
    assert tasking_signals(cable) == ()


# ----------------------------------------------------------------------------- layouts from a review of real taskings

def _cable(body: str, *, sender: str = "SECSTATE WASHDC", to: str = "AMEMBASSY CARACAS\nAMEMBASSY BOGOTA",
           class_line: str = "S E C R E T STATE 013579", subject: str = "(S) VENEZUELA-FARC TIES") -> ParsedCable:
    return parse_cable_text(
        f"R 101500Z FEB 10\nFM {sender}\nTO {to}\nBT\n{class_line}\n\nE.O. 12958: DECL: 02/10/2035\n"
        f"TAGS: PINR PTER VE CO\nSUBJECT: {subject}\n\nClassified By: J. Doe, INR/OPS. Reason: 1.4(c).\n\n"
        f"{body}\nCLINTON\n")


def test_bullet_questions_after_a_long_introduction_are_questions_of_their_own():
    cable = _cable("""\
1. (S/NF) WASHINGTON ANALYSTS ARE PREPARING AN ASSESSMENT OF VENEZUELAN GOVERNMENT SUPPORT TO THE FARC
IN LIGHT OF RECENT PRESS REPORTING ON WEAPONS TRANSFERS ACROSS THE BORDER. AS TIME AND RESOURCES PERMIT,
ANALYSTS WOULD APPRECIATE ANY INFORMATION POSTS COULD PROVIDE ON THE FOLLOWING QUESTIONS:

-- (S/NF) WHAT SUPPORT DO SENIOR OFFICIALS PROVIDE TO FARC COMMANDERS?

-- (C) HOW HAS THE COLOMBIAN GOVERNMENT RESPONDED? WHO DECIDED?

2. (U) PLEASE CITE C-AL0-00156 IN THE SUBJECT LINE OF REPORTING IN RESPONSE TO THE ABOVE QUESTIONS.
""")
    (section,) = extract(cable).sections
    assert section.audience == ""  # the introduction is no heading
    assert [(q.code, q.marking, q.sentences) for q in section.questions] == [
        ("1.1", "S//NF", ("WHAT SUPPORT DO SENIOR OFFICIALS PROVIDE TO FARC COMMANDERS?",)),
        ("1.2", "C", ("HOW HAS THE COLOMBIAN GOVERNMENT RESPONDED?", "WHO DECIDED?"))]


def test_a_question_followed_by_a_request_or_background_is_still_a_question():
    long = " ".join(["estimates of the numbers involved, broken down by sex, age and nationality"] * 3)
    cable = _cable(f"""\
1. (S) Washington analysts would appreciate any information on the following questions.

2. (S) What are the remaining obstacles to the agreement? Press reports in August said the ministers had
settled the transit fees, but officials later told the embassy that the fees, the route and the share of
gas reserved for the domestic market were all still open, and that the talks might not resume before the
elections in the spring, which the opposition is expected to win.

3. (S) Is the country a destination for trafficked persons? Please provide, where available, {long}.
""")
    assert [q.code for q in extract(cable).questions] == ["2", "3"]


def test_press_guidance_answers_and_a_deadline_are_no_questions():
    cable = _cable("""\
1. (U) Posts may draw on the following press guidance. Please report any reaction by January 29.

2. (U) Q: When will the facility close? A: Within one year, as the President ordered last week.

3. (U) Q: Where will the detainees go? A: Some will be tried; others transferred to third countries.

4. (U) Please report results by January 29.
""", class_line="UNCLAS STATE 013579", subject="PRESS GUIDANCE")
    assert tasking_signals(cable) == ()
    with pytest.raises(NoQuestions):
        extract(cable)


def test_a_questions_own_place_is_its_audience_under_a_collective():
    cable = _cable("""\
1. (S/NF) Washington analysts would appreciate answers to the following questions.

A. (S/NF) FOR HAVANA: ARE CUBAN ADVISERS WORKING IN VENEZUELAN MINISTRIES?

B. (S/NF) FOR CARACAS AND HAVANA: WHO PAYS THEM?

2. (U) Please cite C-AL9-01022 in the subject line of reporting in response to the above questions.
""", to="WESTERN HEMISPHERIC AFFAIRS DIPL POSTS")
    assert [(q.code, q.audience, q.sentences) for q in extract(cable).questions] == [
        ("A", "For Havana", ("ARE CUBAN ADVISERS WORKING IN VENEZUELAN MINISTRIES?",)),
        ("B", "For Caracas and Havana", ("WHO PAYS THEM?",))]


def test_questions_numbered_inside_one_paragraph_are_split():
    cable = _cable("""\
1. (C) Washington analysts would appreciate any information on the following questions, as time and
resources permit: 1) How many troops are based there? 2) Has the host government protested? 3) When
will the new base open?

2. (U) Please cite C-EU9-02455 in the subject line of reporting in response to the above questions.
""")
    (section,) = extract(cable).sections
    assert section.audience == ""
    assert [q.sentences for q in section.questions] == [
        ("How many troops are based there?",), ("Has the host government protested?",),
        ("When will the new base open?",)]


def test_a_list_inside_an_item_does_not_break_the_reading():
    from tracker.extraction import _inline_items
    assert _inline_items("Points: (A) who pays? (1) the ministry (B) what for?") == []


def test_a_posts_cable_is_a_tasking_only_when_it_asks_so_in_so_many_words():
    post = {"sender": "AMEMBASSY ASUNCION", "to": "SECSTATE WASHDC", "class_line": "S E C R E T ASUNCION 000123"}
    comments = _cable("""\
1. (S/NF) Embassy Asuncion comments on the reporting and collection needs for Paraguay (ref).

2. (S/NF) Why is the tri-border area not a priority? Who decided?

3. (S/NF) Should the embassy add a political officer? When?
""", **post)
    assert tasking_signals(comments) == ()
    guidance = _cable("""\
1. (SBU) Embassy requests guidance.

2. (SBU) FOR L/LEI AND WHA/CEN:
A. (SBU) Does the treaty cover the charges?
B. (SBU) Must the request be translated?
""", **post)
    assert tasking_signals(guidance) == ()


def test_unmarked_items_under_an_unclassified_heading_take_the_cables_classification():
    cable = _cable("""\
1. (S/NF) Washington analysts would appreciate answers to the following questions.

A. (U) FOR CARACAS:
1) WHICH BANKS MOVE THE MONEY?
2) WHO AUTHORIZES THE TRANSFERS?

2. (U) Please cite C-AL0-00156 in the subject line of reporting in response to the above questions.
""", class_line="S E C R E T STATE 013579\n\nNOFORN")
    assert [q.marking for q in extract(cable).questions] == ["S//NF", "S//NF"]
    fouo = _cable("""\
1. This is an action request. All posts should respond by February 13.

2. Prevention:
A. Does the government acknowledge that trafficking is a problem?
B. Which agencies are involved?
""", class_line="UNCLAS SENSITIVE STATE 013579")
    assert [q.marking for q in extract(fouo).questions] == ["SBU", "SBU"]


def test_include_the_cal_number_in_the_subject_line_is_a_tasking():
    cable = _cable("""\
1. (S/NF) Posts' time and resources permitting, analysts seek answers to these questions.

A. (S/NF) Who recruits for al-Shabaab in the region?

B. (S/NF) How are recruits moved to Somalia?

2. (U) Please include CAL number C-AF9-02307 in the subject line of any reporting.
""")
    signals = tasking_signals(cable)
    assert signals[0] == "asks reporting to cite C-AF9-02307" and "'please cite'" in signals


def test_a_department_note_that_only_names_reporting_and_collection_needs_is_no_tasking():
    cable = _cable("""\
1. (U) The Department thanks posts for their comments on the reporting and collection needs sent in
reftel. Revised needs will follow in the spring.
""", class_line="UNCLAS STATE 013579")
    assert tasking_signals(cable) == ()


@pytest.mark.parametrize("written, shown", [
    ("FOR LA PAZ", "For La Paz"),
    ("FOR RIO DE JANEIRO AND SAO PAULO", "For Rio de Janeiro and Sao Paulo"),
    ("NINTH ANNUAL REPORT", "Ninth annual report"),
    ("AL-SHABAAB RECRUITMENT IN THE REGION", "Al-Shabaab recruitment in the region"),
    ("NARCOTICS FLOWS THROUGH THE ANDEAN REGION", "Narcotics flows through the Andean region"),
    ("RUSSIAN BASES IN ABKHAZIA AND SOUTH OSSETIA", "Russian bases in Abkhazia and South Ossetia"),
])
def test_places_peoples_ordinals_and_plurals_are_cased_for_reading(written, shown):
    from tracker.extraction import display_case
    assert display_case(written) == shown


def test_a_report_tasking_with_numbered_sections_of_lower_case_lettered_questions():
    cable = _cable("""\
1. This is an action request. Posts are requested to answer the following questions in their draft
reports, due to DRL by October 1.

2. Section 1. Respect for the Integrity of the Person:

a. Arbitrary Deprivation of Life: Were there any politically motivated killings by the government?

b. Disappearance: Were there any reports of politically motivated disappearances?

3. Section 2. Respect for Civil Liberties:

a. Freedom of Speech and Press: Does the law provide for freedom of speech and of the press?

b. Internet Freedom: Were there government restrictions on access to the Internet?
""", class_line="UNCLASSIFIED STATE 013579", subject="2009 COUNTRY REPORTS ON HUMAN RIGHTS PRACTICES")
    assert tasking_signals(cable)[0] == "asks 4 questions"
    assert [(s.letter, s.audience, [q.code for q in s.questions]) for s in extract(cable).sections] == [
        ("1", "Respect for the Integrity of the Person", ["1.a", "1.b"]),
        ("2", "Respect for Civil Liberties", ["2.a", "2.b"])]
