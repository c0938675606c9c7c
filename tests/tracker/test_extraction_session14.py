"""tracker.extraction on tasking cables written the ways the Department writes them and the extractor missed: a
request whose subject names the posts it asks ("Embassy Baku is requested to ascertain ...", "USUN should seek
..."), a topic over lettered requests, topics laid out as a table in columns; and more found on invented cables
(audiences without "For", asides, telegraphic requests, lettered topics in the flattened form). Each cable is read
as raw text and as the flattened viewer page of that text. Pure: runs without a database."""
import pytest

from cables.flattened import parse_flattened
from cables.parsing import ParsedCable, parse_cable_text
from cables.sources import parse_document
from tests.tracker.test_extraction_flattened import HEAD, flatten, flattened_page
from tracker.extraction import extract, tasking_signals


@pytest.fixture(autouse=True)
def _media_root():
    """These tests touch no files and no settings: stand in for the project's Django-settings fixture."""


def raw(body: str, to: list[str], classification: str = "S E C R E T", subject: str = "(S) REPORTING REQUEST",
        serial: str = "014321", sender: str = "SECSTATE WASHDC") -> str:
    head = HEAD.replace("FM SECSTATE WASHDC", f"FM {sender}").format(
        dtg="141200", month="MAR", to="\n".join(to), tags="PINR PREL", subject=subject,
        classification=f"{classification} STATE {serial}\n", by="INR/AN Director Anne Lowell. Reason: 1.4(c).")
    return head + body + "\nCLINTON\n"


def both(body: str, to: list[str], **fields) -> tuple[ParsedCable, ParsedCable]:
    """The cable as sent, and its flattened viewer page."""
    text = raw(body, to, **fields)
    written = parse_cable_text(text)
    return written, parse_flattened(flattened_page(text, written.reference_id, written.classification))


def asked(cable: ParsedCable) -> list[tuple[str, str, tuple[str, ...]]]:
    """(code, marking, posts) of each question."""
    return [(q.code, q.marking, q.posts) for q in extract(cable).questions]


def texts(cable: ParsedCable) -> list[str]:
    return [flatten(q.text) for q in extract(cable).questions]


# ----------------------------------------------------------------------------- requests that name their posts

GULF = ["USUN NEW YORK", "AMEMBASSY RIYADH", "AMEMBASSY ABU DHABI", "AMEMBASSY DOHA", "AMEMBASSY KUWAIT",
        "AMEMBASSY MUSCAT", "AMEMBASSY MANAMA"]
GULF_BODY = """\
1. (S) Summary and action request: Washington agencies are preparing an assessment of Gulf states' enforcement
of UNSCR 1929 ahead of the Secretary's travel. Posts are requested to respond by June 30. See paragraph 5 for
a tasking for USUN.

2. (S) Posts in the Gulf are requested to assess host government willingness to inspect Iranian cargo
transiting their ports and free zones.

3. (S) Embassy Abu Dhabi should seek information on the volume of Iranian trade passing through Jebel Ali, and
on any UAE bank that has closed Iranian accounts since June.

4. (S/NF) Embassies Doha and Kuwait are asked to identify any Iranian front companies registered in their host
countries in 2010.

5. (C) USUN should seek the views of the Panel of Experts coordinator on the panel's first report.

6. (U) Please cite C-NE0-00412 in the subject line of all reporting.
"""


@pytest.mark.parametrize("form", [0, 1], ids=["written", "flattened"])
def test_a_request_whose_subject_names_posts_is_a_question_for_those_posts(form):
    """Before, none of the four was a question: the request pattern allowed no place after "Embassy"."""
    cable = both(GULF_BODY, GULF, subject="(S) GULF STATES AND IRANIAN SANCTIONS (C-NE0-00412)")[form]
    assert asked(cable) == [
        ("2", "S", tuple(GULF[1:])),
        ("3", "S", ("AMEMBASSY ABU DHABI",)),
        ("4", "S//NF", ("AMEMBASSY DOHA", "AMEMBASSY KUWAIT")),
        ("5", "C", ("USUN NEW YORK",)),
    ]
    assert [q.audience.lower() for q in extract(cable).questions] == [
        "posts in the gulf", "embassy abu dhabi", "embassies doha and kuwait", "usun"]
    assert extract(cable).questions[1].sentences == (extract(cable).questions[1].text,)  # the request is the question
    reply = parse_cable_text(raw("""\
1. (C) Summary: In response to reftel, Embassy officers met SOCAR officials on March 3. Embassy Baku is
requested in reftel to ascertain the status of the talks; SOCAR told us they are stalled. End summary.

2. (C) Embassy comment: Embassy Baku should report further developments septel.
""", ["SECSTATE WASHDC"], classification="C O N F I D E N T I A L", sender="AMEMBASSY BAKU",
        subject="(C) AZERBAIJAN: SOCAR-GAZPROM TALKS"))
    assert tasking_signals(reply) == ()  # a post's reply quoting such a request tasks nothing


LEVANT = ["AMCONSUL JERUSALEM", "AMEMBASSY TEL AVIV", "AMEMBASSY AMMAN"]
LEVANT_BODY = """\
1. (C) This is a request for information. The Department is reviewing the Palestinian Authority's fiscal position
ahead of the donors' conference in September.

2. (C) Consulate Jerusalem is asked to report on the PA's ability to meet its payroll in August and September,
and on which donors have disbursed their pledges.

3. (C) Embassy Tel Aviv is requested, as time and resources permit, to ascertain whether the Government of
Israel intends to transfer clearance revenues on schedule.

4. (C) Embassy Amman: Please describe any Jordanian plans to extend budget support to the PA.

5. (C) The Department would also be grateful for posts' views on the likely effect of a payroll crisis on
security cooperation.

6. (U) Please provide responses by August 15.
"""


@pytest.mark.parametrize("form", [0, 1], ids=["written", "flattened"])
def test_requests_of_a_consulate_with_an_aside_or_an_audience_without_for_are_questions_for_it(form):
    cable = both(LEVANT_BODY, LEVANT, classification="C O N F I D E N T I A L",
                 subject="(C) PALESTINIAN AUTHORITY FINANCES")[form]
    assert asked(cable) == [("2", "C", ("AMCONSUL JERUSALEM",)), ("3", "C", ("AMEMBASSY TEL AVIV",)),
                            ("4", "C", ("AMEMBASSY AMMAN",)), ("5", "C", ())]
    assert texts(cable)[3].startswith("the department would also be grateful for posts views")
    assert extract(cable).questions[2].sentences[0].lower().startswith("please describe")  # "Embassy Amman:" apart


@pytest.mark.parametrize("form", [0, 1], ids=["written", "flattened"])
def test_telegraphic_and_capitalised_requests_name_their_posts(form):
    body = """\
1. (S) SUMMARY AND ACTION REQUEST: WASHINGTON AGENCIES ARE ASSESSING CUBA'S ACCESS TO FOREIGN CREDIT. PLEASE CITE
C-WH0-00444 IN THE SUBJECT LINE OF ALL REPORTING.

2. (S) USINT HAVANA IS REQUESTED TO ASCERTAIN WHETHER THE CUBAN CENTRAL BANK HAS RESUMED PAYMENTS TO FOREIGN
SUPPLIERS.

3. (S) REQUEST EMBASSY CARACAS ASCERTAIN THE TERMS OF ANY VENEZUELAN CREDIT LINE EXTENDED TO CUBA IN 2010.

4. (S) DEPARTMENT REQUESTS EMBASSY MOSCOW SEEK INFORMATION ON RUSSIAN DEBT RELIEF FOR HAVANA.

5. (S) EMBASSY MOSCOW: WHAT CONDITIONS HAS RUSSIA SET FOR NEW LOANS?

6. (S) BOTH EMBASSIES SHOULD REPORT ANY HOST GOVERNMENT PLANS TO RESCHEDULE CUBAN DEBT.

7. (S) CUBA: WHAT IS THE STATE OF ITS FOREIGN RESERVES?
"""
    cable = both(body, ["USINT HAVANA", "AMEMBASSY CARACAS", "AMEMBASSY MOSCOW"],
                 subject="(S) CUBA: FOREIGN CREDIT LINES (C-WH0-00444)")[form]
    assert asked(cable)[:5] == [("2", "S", ("USINT HAVANA",)), ("3", "S", ("AMEMBASSY CARACAS",)),
                                ("4", "S", ("AMEMBASSY MOSCOW",)), ("5", "S", ("AMEMBASSY MOSCOW",)), ("6", "S", ())]
    if not form:  # "CUBA:" is a topic, no audience (flattened, "cuba what is ..." opens like no question)
        assert asked(cable)[5:] == [("7", "S", ())]


def test_the_remaining_posts_are_those_no_request_before_named():
    body = """\
1. (C) Washington analysts would appreciate Mission China's reporting on labor unrest in the manufacturing
centers. Please cite C-EA0-00321 in the subject line.

2. (C) Consulates Shanghai and Guangzhou are requested to report on the following:

-- Strikes at foreign-invested factories since May;
-- Wage settlements reached after the strikes;
-- Local government responses.

3. (C) The remaining posts are asked to report any unrest in their consular districts.
"""
    to = ["AMEMBASSY BEIJING", "AMCONSUL SHANGHAI", "AMCONSUL GUANGZHOU", "AMCONSUL SHENYANG", "AMCONSUL CHENGDU"]
    written = both(body, to, classification="C O N F I D E N T I A L")[0]
    shanghai = ("AMCONSUL SHANGHAI", "AMCONSUL GUANGZHOU")
    assert asked(written) == [("2.1", "C", shanghai), ("2.2", "C", shanghai), ("2.3", "C", shanghai),
                              ("3", "C", ("AMEMBASSY BEIJING", "AMCONSUL SHENYANG", "AMCONSUL CHENGDU"))]
    assert [(s.letter, s.audience) for s in extract(written).sections] == [
        ("2", "Consulates Shanghai and Guangzhou"), ("", "")]
    assert "asks 3 questions" in tasking_signals(written)  # the list's posts are no audience line's


KABUL = """\
1. (S) Summary: Washington analysts are assessing regional attitudes toward Taliban reconciliation. Embassy
Kabul is requested to report on the following questions:

2. (S) What contacts has the Karzai government had with Quetta Shura representatives since March?

3. (S) Which members of the High Peace Council are most active?

4. (S) For Embassies Islamabad and New Delhi: How do host governments view the reconciliation effort?

5. (U) Please cite C-SC0-00612 in the subject line.
"""


@pytest.mark.parametrize("form", [0, 1], ids=["written", "flattened"])
def test_numbered_questions_after_a_request_naming_a_post_are_that_posts(form):
    cable = both(KABUL, ["AMEMBASSY KABUL", "AMEMBASSY ISLAMABAD", "AMEMBASSY NEW DELHI"])[form]
    assert asked(cable) == [("2", "S", ("AMEMBASSY KABUL",)), ("3", "S", ("AMEMBASSY KABUL",)),
                            ("4", "S", ("AMEMBASSY ISLAMABAD", "AMEMBASSY NEW DELHI"))]
    assert [(s.letter, s.audience) for s in extract(cable).sections][0] == ("1", "Embassy Kabul")


@pytest.mark.parametrize("form", [0, 1], ids=["written", "flattened"])
def test_a_list_a_request_naming_a_post_introduces_is_that_posts(form):
    """Flattened, "Embassy Beijing is requested to ascertain:" lost its colon and item (c) opens like no question:
    the request still introduces the list, and the labels in sequence still part it."""
    body = """\
1. (S) Washington analysts are following indications that Kim Jong-il has designated his third son as
successor. The Department requests that posts report on the following.

2. (S) Embassy Beijing is requested to ascertain:

(a) what Chinese officials have said about the succession;
(b) whether Beijing has increased aid to the DPRK since 2009;
(c) any visits by Kim Jong-un to China.

3. (S) Embassies Tokyo and Seoul should report host government assessments of the succession.

4. (U) Please cite C-EA0-00555 in the subject line.
"""
    cable = both(body, ["AMEMBASSY TOKYO", "AMEMBASSY SEOUL", "AMEMBASSY BEIJING"])[form]
    beijing = ("AMEMBASSY BEIJING",)
    assert asked(cable) == [("2.a", "S", beijing), ("2.b", "S", beijing), ("2.c", "S", beijing),
                            ("3", "S", ("AMEMBASSY TOKYO", "AMEMBASSY SEOUL"))]
    assert texts(cable)[2] == "any visits by kim jongun to china"


@pytest.mark.parametrize("form", [0, 1], ids=["written", "flattened"])
def test_lettered_topics_a_request_naming_posts_introduces_are_questions_for_them(form):
    """Flattened, "(b) The role of charities ..." reads "b the role of charities": after "report on the following"
    the labels in sequence part the list, though no item opens a question."""
    body = """\
1. (S) This is an action request. Embassy Islamabad and Consulates Peshawar, Karachi and Lahore are requested to
report on the following: (a) sources of funding for Tehrik-e-Taliban Pakistan; (b) the role of charities in
moving funds to militant groups; (c) any links between Karachi businessmen and Lashkar-e-Tayyiba.

2. (S) Consulate Peshawar is also asked to assess the effect of military operations in South Waziristan on
militant revenues.

3. (U) Please cite C-SC0-00101 in the subject line of all reporting.
"""
    to = ["AMEMBASSY ISLAMABAD", "AMCONSUL PESHAWAR", "AMCONSUL KARACHI", "AMCONSUL LAHORE"]
    cable = both(body, to)[form]
    assert asked(cable) == [("1.a", "S", tuple(to)), ("1.b", "S", tuple(to)), ("1.c", "S", tuple(to)),
                            ("2", "S", ("AMCONSUL PESHAWAR",))]
    assert texts(cable)[1] == "the role of charities in moving funds to militant groups"


# ----------------------------------------------------------------------------- topics over lettered requests

ELECTIONS = """\
1. (C) Washington agencies are preparing an assessment of political stability in Ukraine ahead of the winter.
Posts are requested to report on the following as time and resources permit.

2. (C) On the gas dispute: (a) describe the state of negotiations between Naftogaz and Gazprom on the 2010
contract; (b) estimate the volume of gas held in Ukrainian storage; (c) identify the officials who lead the talks.

3. (C) Regarding the elections: a) assess the turnout in the eastern oblasts; b) report any fraud observed by
international monitors.

4. (C) Energy security:

A. Assess the state of the transit pipelines.

B. Identify the investors in the new storage sites.

5. (U) Please cite C-EU0-00211 in the subject line of all reporting.
"""


@pytest.mark.parametrize("form", [0, 1], ids=["written", "flattened"])
def test_each_lettered_request_under_a_topic_is_a_question_of_its_section(form):
    cable = both(ELECTIONS, ["AMEMBASSY KYIV"], classification="C O N F I D E N T I A L")[form]
    extraction = extract(cable)
    assert [(s.letter, s.audience.lower()) for s in extraction.sections][:2] == [
        ("2", "on the gas dispute"), ("3", "regarding the elections")]
    assert [q.code for q in extraction.questions][:5] == ["2.a", "2.b", "2.c", "3.a", "3.b"]
    assert texts(cable)[:5] == [
        "describe the state of negotiations between naftogaz and gazprom on the 2010 contract",
        "estimate the volume of gas held in ukrainian storage", "identify the officials who lead the talks",
        "assess the turnout in the eastern oblasts", "report any fraud observed by international monitors"]
    # lettered paragraphs under a topic beside those sections are coded by their paragraph too
    assert [q.code.upper() for q in extraction.questions][5:] == ["4.A", "4.B"]
    assert extraction.sections[2].audience.lower() == "energy security"


def test_a_title_without_a_colon_over_lettered_questions_is_their_topic():
    body = """\
1. (S) Washington analysts are assessing the Niger Delta amnesty. Please cite C-AF0-00233 in the subject line.

2. (S) Reintegration
A. (S) How many former militants have received amnesty payments?
B. (S) Which commanders have refused to disarm?

3. (S) Oil output
A. (C) What is current output from the Delta?
"""
    for cable in both(body, ["AMEMBASSY ABUJA", "AMCONSUL LAGOS"]):
        assert [s.audience for s in extract(cable).sections] == ["Reintegration", "Oil output"]


# ----------------------------------------------------------------------------- topics in columns

COLUMNS = """\
1. (U) This is an action request. Please report on the following topics:

- Energy          - Water          - Migration
- Food prices     - Public health

2. (U) Please cite C-NE0-00111 in the subject line of all reporting.
"""
TOPICS = ["Energy", "Water", "Migration", "Food prices", "Public health"]


def test_a_table_of_topics_in_columns_is_one_question_per_topic():
    written = both(COLUMNS, ["AMEMBASSY AMMAN", "AMEMBASSY BEIRUT"], classification="UNCLAS")[0]
    extraction = extract(written)
    assert [(q.code, q.text) for q in extraction.questions] == [
        (f"1.{n}", topic) for n, topic in enumerate(TOPICS, 1)]
    one_per_line = both(COLUMNS.replace("          - ", "\n- ").replace("     - ", "\n- "), ["AMEMBASSY AMMAN"],
                        classification="UNCLAS")[0]
    assert [q.text for q in extract(one_per_line).questions] == TOPICS  # as the same list one topic to a line


@pytest.mark.parametrize("table", [
    "-- Food prices              -- Livestock deaths\n-- Population movements     -- Humanitarian access\n"
    "-- Host government response",
    "   Food prices        Livestock deaths\n   Population movements\tHumanitarian access\n   Host government response",
    "(a) Food prices   (b) Livestock deaths   (c) Population movements\n(d) Humanitarian access   (e) Host government"
    " response",
], ids=["double-dash", "no bullets", "lettered"])
def test_a_table_is_read_row_by_row_whatever_marks_its_topics(table):
    body = f"""\
1. (C) Washington agencies are monitoring the drought in the Horn of Africa. Posts are requested to report on
the following topics, as time and resources permit:

{table}

Posts' reporting will inform an assessment for the Deputy Secretary.

2. (U) Please cite C-AF0-00454 in the subject line.
"""
    written = both(body, ["AMEMBASSY NAIROBI"], classification="C O N F I D E N T I A L")[0]
    assert [q.text for q in extract(written).questions] == [
        "Food prices", "Livestock deaths", "Population movements", "Humanitarian access", "Host government response"]


def test_a_viewer_page_keeps_the_columns_of_its_table():
    page = f"""\
<html><body><h3>Viewing cable 10STATE31234, LEVANT: REFUGEE FLOWS</h3>
<table class='cable'><tr><td><a href='/cable/2010/03/10STATE31234.html'>10STATE31234</a></td>
<td><a href='/date/2010-03_0.html'>2010-03-14 12:00</a></td><td><a href='/reldate/2011-08-30_0.html'>2011-08-30
01:44</a></td><td><a href='/classification/1_0.html'>UNCLASSIFIED</a></td>
<td><a href='/origin/32_0.html'>Secretary of State</a></td></tr></table>
<code><pre>R 141200Z MAR 10&#x000A;FM SECSTATE WASHDC&#x000A;TO AMEMBASSY AMMAN</pre></code>
<code><pre>UNCLAS STATE 031234 &#x000A; &#x000A;SUBJECT: LEVANT: REFUGEE FLOWS &#x000A; &#x000A;\
<a id='par1' href='#par1'>\u00b6</a>1. {COLUMNS.split("1. (U) ")[1].split("2. (U)")[0].replace(chr(10), " &#x000A;")}\
<a id='par2' href='#par2'>\u00b6</a>2. Please cite C-NE0-00111 in the subject line. &#x000A;CLINTON</pre></code>
</body></html>"""
    assert [q.text for q in extract(parse_document(page)).questions] == TOPICS


def test_flattened_topics_that_nothing_tells_apart_are_one_question_not_none():
    """The flattened form of a table and of a one-per-line list alike: "... the following topics energy water
    migration food prices public health". Before, no question at all."""
    flat = both(COLUMNS, ["AMEMBASSY AMMAN"], classification="UNCLAS")[1]
    assert [(q.code, q.text) for q in extract(flat).questions] == [
        ("1.1", "energy water migration food prices public health")]


def test_a_table_beside_a_list_whose_lines_part_words_by_chance():
    """Three spaces inside a bullet's sentence make no table: its parts are no short titles."""
    body = COLUMNS.replace("2. (U) Please cite", """\
2. (U) Posts should also report on the following:

-- the number of vessels   that called at Aqaba in 2009, and the cargo each carried to or from Iraq;
-- whether customs officials inspected any cargo.

3. (U) Please cite""")
    written = both(body, ["AMEMBASSY AMMAN"], classification="UNCLAS")[0]
    assert [q.code for q in extract(written).questions] == ["1.1", "1.2", "1.3", "1.4", "1.5", "2.1", "2.2"]


# ----------------------------------------------------------------------------- what stays no question

@pytest.mark.parametrize("form", [0, 1], ids=["written", "flattened"])
def test_in_a_demarche_only_the_request_to_find_out_is_a_question(form):
    """Talking points, a request to report the response and instructions to act ("should seek to persuade") ask
    nothing of posts; "Embassy Ankara should also report any indication ..." does. Before, "Embassy should seek to
    convince ..." was a question and the request naming Embassy Ankara none."""
    body = """\
1. (C) This is an action request. Embassy Ankara is requested to deliver the following points to the MFA and
report the response.

2. (C) Begin talking points:
-- The United States supports a bizonal, bicommunal federation.
-- What steps will Turkey take to support the talks?
End talking points.

3. (C) Embassy Athens should seek to persuade the Greek government to support the UN-led process.

4. (C) Embassy should seek to convince the MFA that an early settlement serves Turkey's EU candidacy.

5. (C) Embassy Ankara should also report any indication that Turkey intends to open its ports to Cypriot vessels.
"""
    cable = both(body, ["AMEMBASSY ANKARA", "AMEMBASSY ATHENS"], classification="C O N F I D E N T I A L",
                 subject="(C) CYPRUS: DEMARCHE ON SETTLEMENT TALKS")[form]
    assert tasking_signals(cable) == ()  # a demarche, not a tasking
    assert asked(cable) == [("5", "C", ("AMEMBASSY ANKARA",))]
