"""tracker.extraction on lists that a request introduces: "Posts should report on:" over items on lines of
their own, marked "--", "-", "*", "\u2022", "A)", "a)", "(a)", "1)", "(1)" or "i.", whether the items ask
questions or name topics; in the raw form, the dump's CSV row and the cable-viewer page. Pure: invented
cables, no database."""
import pytest

from cables.parsing import ParsedCable, parse_cable_text
from cables.sources import parse_document, parse_dump_row
from tracker.extraction import NoQuestions, extract, tasking_signals


@pytest.fixture(autouse=True)
def _media_root():
    """These tests touch no files and no settings: stand in for the project's Django-settings fixture."""


def codes(extraction) -> list[tuple[str, str]]:
    return [(q.code, q.paragraph) for q in extraction.questions]


def texts(extraction) -> list[str]:
    return [q.text for q in extraction.questions]


# ----------------------------------------------------------------------------- topics after "report on:"

DPRK_HEADER = """\
O 031200Z MAR 10
FM SECSTATE WASHDC
TO AMEMBASSY BEIJING IMMEDIATE
AMCONSUL SHENYANG IMMEDIATE
AMCONSUL DALIAN
"""
DPRK_BODY = """\
S E C R E T STATE 030303

SIPDIS

E.O. 12958: DECL: 03/03/2035
TAGS: PINR MNUC KN CH
SUBJECT: (S) DPRK SANCTIONS EVASION THROUGH CHINESE PORTS: ACTION REQUEST

REF: A. STATE 12345 B. BEIJING 678

Classified By: EAP/K Director S. Kim, Reasons 1.4 (b), (c) and (d).

1. (U) ACTION REQUEST: Embassy Beijing and Consulates Shenyang and Dalian are requested to report on the
following. Please include CAL number C-EA0-01234 in the subject line of responses.

2. (S) Background: Washington has seen indications that DPRK-flagged vessels continue to call at Dalian.

3. (S) Posts should report on:
-- the number of DPRK-flagged vessels that called at Dalian and Dandong in 2009;
-- whether Chinese customs officials inspected any cargo under UNSCR 1874;
-- the identity of Chinese trading firms acting as agents for Korea Mining Development Trading
Corporation (KOMID).

4. (C) For Shenyang only: Has the PRC increased border patrols along the Yalu river since January?

5. (U) Please provide responses by April 30.

CLINTON
"""


def dprk(form: str) -> ParsedCable:
    if form == "raw":
        return parse_cable_text(DPRK_HEADER + DPRK_BODY)
    # the dump writes each line with a trailing space and a CRLF
    content = "".join(f"{line} \r\n" for line in DPRK_BODY.splitlines())
    return parse_dump_row(["910001", "3/3/2010 12:00", "10STATE30303", "Secretary of State", "SECRET",
                           "10STATE12345|10BEIJING678", DPRK_HEADER.replace("\n", "\r\n"), content])


@pytest.mark.parametrize("form", ["dump row", "raw"])
def test_topics_a_request_introduces_with_a_colon_are_one_requirement_each(form):
    cable = dprk(form)
    assert "asks 4 questions addressed to posts" in tasking_signals(cable)
    extraction = extract(cable)
    assert codes(extraction) == [("3.1", "3"), ("3.2", "3"), ("3.3", "3"), ("4", "4")]
    assert texts(extraction)[:3] == [
        "the number of DPRK-flagged vessels that called at Dalian and Dandong in 2009",
        "whether Chinese customs officials inspected any cargo under UNSCR 1874",
        "the identity of Chinese trading firms acting as agents for Korea Mining Development Trading "
        "Corporation (KOMID).",
    ]
    assert [q.marking for q in extraction.questions] == ["S", "S", "S", "C"]
    assert extraction.sections[0].audience == ""  # the request names no topic
    assert extraction.collection_reference == "C-EA0-01234"


# ----------------------------------------------------------------------------- questions after an instruction

ZEPHYRUS = """\
R 011200Z APR 10
FM SECSTATE WASHDC
TO AMEMBASSY BISHKEK
T O P S E C R E T STATE 040404

NOFORN

E.O. 12958: DECL: 04/01/2035
TAGS: PINR KG
SUBJECT: (TS/NF) MANAS TRANSIT CENTER CONTINGENCY ZEPHYRUS

Classified By: Under Secretary W. Burns, Reasons 1.4 (a) and (c).

1. (TS/NF) Please cite C-RE0-00417 in the subject line. Posts should report on the following questions:
A) What are the Kyrgyz leadership's private intentions toward the Manas Transit Center lease ZEPHYRUS?
B) Has Moscow offered Bishkek inducements to close Manas?
"""


def test_lettered_questions_after_a_citing_instruction_leave_the_instruction_out():
    extraction = extract(parse_cable_text(ZEPHYRUS))
    assert codes(extraction) == [("1.A", "1"), ("1.B", "1")]
    assert texts(extraction) == [
        "What are the Kyrgyz leadership's private intentions toward the Manas Transit Center lease ZEPHYRUS?",
        "Has Moscow offered Bishkek inducements to close Manas?",
    ]
    assert not any("cite" in q.text.lower() or "cite" in " ".join(q.sentences).lower()
                   for q in extraction.questions)
    assert [q.marking for q in extraction.questions] == ["TS//NF", "TS//NF"]
    assert extraction.collection_reference == "C-RE0-00417"


# ----------------------------------------------------------------------------- each list style

def manas(*paragraphs: str) -> ParsedCable:
    """A tasking to Bishkek: its background in paragraph 1, `paragraphs` from 2, and a closing one."""
    numbered = "".join(f"{n}. {text}\n\n" for n, text in enumerate(paragraphs, 2))
    return parse_cable_text(f"""\
R 051200Z MAY 10
FM SECSTATE WASHDC
TO AMEMBASSY BISHKEK
INFO AMEMBASSY MOSCOW
S E C R E T STATE 050501

NOFORN
SIPDIS

E.O. 12958: DECL: 05/05/2035
TAGS: PINR PREL KG RS
SUBJECT: (S/NF) REPORTING REQUEST: MANAS TRANSIT CENTER LEASE

Classified By: INR/OPS Director J. Smith, Reasons 1.4 (c) and (d).

1. (S/NF) Washington analysts are preparing an assessment of the future of the Manas Transit
Center after the April events. Please cite C-RE0-00512 in the subject line of all responses.

{numbered}{len(paragraphs) + 2}. (U) Please provide responses by May 20. Thank you for your assistance.
CLINTON
""")


MANAS_ITEMS = [
    "Kyrgyz leadership intentions toward the Manas Transit Center lease",
    "the role of the interim government's security chiefs in decisions on the lease",
    "Has Moscow offered credits or fuel in exchange for closing Manas?",
]
STYLES = {  # marks of the three items, and the codes they take
    "--": (["--", "--", "--"], ["2.1", "2.2", "2.3"]),
    "-": (["-", "-", "-"], ["2.1", "2.2", "2.3"]),
    "*": (["*", "*", "*"], ["2.1", "2.2", "2.3"]),
    "\u2022": (["\u2022", "\u2022", "\u2022"], ["2.1", "2.2", "2.3"]),
    "A)": (["A)", "B)", "C)"], ["2.A", "2.B", "2.C"]),
    "(A)": (["(A)", "(B)", "(C)"], ["2.A", "2.B", "2.C"]),
    "a)": (["a)", "b)", "c)"], ["2.a", "2.b", "2.c"]),
    "a.": (["a.", "b.", "c."], ["2.a", "2.b", "2.c"]),
    "(a)": (["(a)", "(b)", "(c)"], ["2.a", "2.b", "2.c"]),
    "(1)": (["(1)", "(2)", "(3)"], ["2.1", "2.2", "2.3"]),
    "i.": (["i.", "ii.", "iii."], ["2.i", "2.ii", "2.iii"]),
    "(i)": (["(i)", "(ii)", "(iii)"], ["2.i", "2.ii", "2.iii"]),
}


@pytest.mark.parametrize("style", list(STYLES))
@pytest.mark.parametrize("introduction", [
    "Embassy Bishkek is requested to report on the following:",
    "Post should report on:",
    "INR would appreciate any information on:",
])
def test_each_item_of_a_list_a_request_introduces_is_a_question(style, introduction):
    marks, expected = STYLES[style]
    items = "".join(f"\n{mark} {item}{';' if n < 2 else ''}" for n, (mark, item) in enumerate(zip(marks, MANAS_ITEMS)))
    cable = manas("(C) " + introduction + items)
    assert "asks 3 questions" in tasking_signals(cable)
    extraction = extract(cable)
    assert codes(extraction) == [(code, "2") for code in expected]
    assert texts(extraction) == MANAS_ITEMS
    assert {q.marking for q in extraction.questions} == {"C"}  # the introducing paragraph's


@pytest.mark.parametrize("introduction", [
    "Please describe the interim government's plans for the Manas Transit Center, including:",
    "Post should report on Moscow's pressure on Bishkek, in particular:",
    "Please assess the lease's prospects, such as:",
])
def test_a_list_of_aspects_of_one_request_stays_one_question_with_its_aspects_as_sentences(introduction):
    items = "".join(f"\n-- {item}{';' if n < 2 else ''}" for n, item in enumerate(MANAS_ITEMS))
    [question] = extract(manas("(C) " + introduction + items)).questions
    assert question.code == "2" and question.text.startswith(introduction)
    assert [s.rstrip(";") for s in question.sentences] == MANAS_ITEMS


def test_items_the_parser_numbers_or_letters_are_questions_under_a_request():
    numbered = extract(manas("(C) Post should report on the following:\n"
                             + "".join(f"{n}) {item}\n" for n, item in enumerate(MANAS_ITEMS, 1))))
    assert codes(numbered) == [("2.1", "2.1"), ("2.2", "2.2"), ("2.3", "2.3")]
    assert texts(numbered) == MANAS_ITEMS
    lettered = extract(manas("(C) Post should report on the following:\n\n"
                             + "".join(f"{letter}. {item}\n\n" for letter, item in zip("ABC", MANAS_ITEMS))))
    assert codes(lettered) == [("A", "A"), ("B", "B"), ("C", "C")]
    assert texts(lettered) == MANAS_ITEMS


# ----------------------------------------------------------------------------- wrapped lines, pages, limits

def test_wrapped_bullets_apart_from_the_closing_remark_and_talking_points():
    cable = manas("""\
(C) Please cite C-RE0-00512 in the subject line. Embassy Bishkek is requested
to report on the following:

-- Kyrgyz leadership intentions toward the Manas Transit Center
lease after the April events;

-- the role of the interim government's security chiefs in
decisions on the lease.

Post's reporting will inform an assessment for the Deputy Secretary.""", """\
(U) Embassy Moscow should draw on the following talking points:

-- The Transit Center supports the international effort in Afghanistan.

-- We welcome Russian cooperation on transit.""")
    extraction = extract(cable)
    assert codes(extraction) == [("2.1", "2"), ("2.2", "2")]
    assert texts(extraction) == [
        "Kyrgyz leadership intentions toward the Manas Transit Center lease after the April events",
        "the role of the interim government's security chiefs in decisions on the lease.",
    ]


def test_sub_items_stay_with_their_item():
    extraction = extract(manas("""\
(C) Post should report on the following questions:
(1) What are the interim government's intentions toward the lease? Specifically:
(a) Who in the interim government decides on the lease?
(b) Has the lease fee been discussed?
(2) Has Moscow offered credits or fuel in exchange for closing Manas?"""))
    assert codes(extraction) == [("2.1", "2"), ("2.2", "2")]
    assert extraction.questions[0].sentences == (
        "What are the interim government's intentions toward the lease? Specifically:",
        "Who in the interim government decides on the lease?", "Has the lease fee been discussed?")


VIEWER_PAGE = """\
<html><head><title>Cable Viewer</title></head><body>
<h3>Viewing cable 10STATE50503, KAZAKHSTAN: URANIUM EXPORTS</h3>
<table class='cable'>
<tr><th>Reference ID</th><th>Created</th><th>Released</th><th>Classification</th><th>Origin</th></tr>
<tr><td><a href='/cable/2010/05/10STATE50503.html'>10STATE50503</a></td>
<td><a href='/date/2010-05_0.html'>2010-05-07 15:00</a></td>
<td><a href='/reldate/2011-08-30_0.html'>2011-08-30 01:44</a></td>
<td><a href='/classification/4_0.html' title='secret'>SECRET</a></td>
<td><a href='/origin/32_0.html'>Secretary of State</a></td></tr>
</table>
<code><pre>R 071500Z MAY 10&#x000A;FM SECSTATE WASHDC&#x000A;TO RUEHTA/AMEMBASSY ASTANA 0301</pre></code>
<code><pre>S E C R E T STATE 050503 &#x000A; &#x000A;SIPDIS &#x000A; &#x000A;E.O. 12958: DECL: 05/07/2035 &#x000A;\
TAGS: <a href='/tag/PINR_0.html'>PINR</a> <a href='/tag/KZ_0.html'>KZ</a>&#x000A;\
SUBJECT: (S) KAZAKHSTAN: URANIUM EXPORTS (C-EN0-00233) &#x000A; &#x000A;\
Classified By: INR/OPS Director J. Smith, Reasons 1.4 (c) and (d). &#x000A; &#x000A;\
<a id='par1' href='#par1'>\u00b6</a>1.  (C)  Washington seeks Embassy Astana's help on Kazakhstan's uranium \
exports. Please cite C-EN0-00233 in the subject line. &#x000A; &#x000A;\
<a id='par2' href='#par2'>\u00b6</a>2.  (S)  Post is requested to provide the following information: &#x000A;\
* the tonnage of natural uranium Kazatomprom shipped to China &#x000A;in 2009; &#x000A;\
* any Iranian approaches to Kazatomprom or its subsidiaries &#x000A;since 2008; &#x000A;\
* Kazakhstan's plans for a nuclear fuel bank under IAEA auspices. &#x000A; &#x000A;\
<a id='par3' href='#par3'>\u00b6</a>3.  (U)  Thank you for your assistance. &#x000A;CLINTON</pre></code>
</body></html>
"""


def test_a_viewer_page_list_of_topics_is_one_question_each():
    extraction = extract(parse_document(VIEWER_PAGE))
    assert codes(extraction) == [("2.1", "2"), ("2.2", "2"), ("2.3", "2")]
    assert texts(extraction) == [
        "the tonnage of natural uranium Kazatomprom shipped to China in 2009",
        "any Iranian approaches to Kazatomprom or its subsidiaries since 2008",
        "Kazakhstan's plans for a nuclear fuel bank under IAEA auspices.",
    ]
    assert extraction.collection_reference == "C-EN0-00233"


def test_a_departments_list_of_topics_tasks_collection_alone_and_a_list_to_deliver_does_not():
    weak = parse_cable_text(f"""\
R 051200Z MAY 10
FM SECSTATE WASHDC
TO AMEMBASSY BISHKEK
S E C R E T STATE 050506

E.O. 12958: DECL: 05/05/2035
TAGS: PINR KG
SUBJECT: (S) MANAS TRANSIT CENTER LEASE

Classified By: INR/OPS Director J. Smith, Reasons 1.4 (c) and (d).

1. (S) Posts should report on:
-- {MANAS_ITEMS[0]};
-- {MANAS_ITEMS[1]}.
CLINTON
""")
    assert tasking_signals(weak)[0] == "asks 2 questions"
    delivered = parse_cable_text("""\
R 051200Z MAY 10
FM SECSTATE WASHDC
TO AMEMBASSY BISHKEK
C O N F I D E N T I A L STATE 050507

E.O. 12958: DECL: 05/05/2035
TAGS: PREL KG
SUBJECT: (C) MANAS TRANSIT CENTER: DEMARCHE

Classified By: EUR/CARC Director J. Smith, Reasons 1.4 (b) and (d).

1. (C) Drawing on the talking points below, Embassy Bishkek is requested to seek the interim
government's views on the lease:
-- The Transit Center supports the international effort in Afghanistan.
-- We welcome Russian cooperation on transit.
CLINTON
""")
    assert tasking_signals(delivered) == ()
    with pytest.raises(NoQuestions):
        extract(delivered)


def test_an_audience_before_the_request_addresses_its_list():
    cable = manas("(S) FOR MOSCOW: Embassy should also report on:\n"
                  "-- Russian officials' private statements on the Manas lease;\n"
                  "-- the status of the USD 2 billion credit promised to Bishkek in 2009.")
    (section,) = extract(cable).sections
    assert (section.letter, section.audience) == ("2", "For Moscow")
    assert [post for post in section.posts if "MOSCOW" in post] == list(section.posts) != []
    assert [(q.code, q.marking, q.posts) for q in section.questions] == [
        ("2.1", "S", section.posts), ("2.2", "S", section.posts)]
    assert tasking_signals(cable)[1] == "asks 2 questions under 1 addressed sections"
