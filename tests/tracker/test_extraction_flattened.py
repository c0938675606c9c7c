"""tracker.extraction on the flattened form: invented tasking cables of many layouts, each read as raw text and
as the flattened viewer page of that text (lower case, no punctuation, one line), give the same questions,
section letters and question words wherever the words allow it. Pure: runs without a database."""
import re
from functools import cache

from cables.flattened import parse_flattened
from cables.parsing import ParsedCable, parse_cable_text
from tracker.extraction import NoQuestions, extract

HEAD = """\
R {dtg}Z {month} 09
FM SECSTATE WASHDC
TO {to}
{classification}

E.O. 12958: DECL: 06/01/2034
TAGS: {tags}
SUBJECT: {subject}

Classified By: {by}

"""
MONTHS = "JAN FEB MAR APR MAY JUN JUL AUG SEP OCT NOV DEC".split()

# Each cable: (serial, TO list, classification line, TAGS, SUBJECT, body). The DTG's day and month follow the
# serial, so that every cable has an identity of its own.
CABLES = {
    "inline_lettered": (
        "021876", ["AMEMBASSY DAMASCUS", "AMEMBASSY MOSCOW", "AMEMBASSY ANKARA"], "S E C R E T\n\nNOFORN\n",
        "PINR MARR SY RS", "(S) RUSSIAN NAVAL ACCESS TO TARTUS (C-NE9-00312)",
        """\
1. (S/NF) Washington analysts are following reports that Moscow intends to expand its naval
support facility at Tartus into a permanent base. Posts are requested to report on the following
questions as time and resources permit.

2. (S/NF) Regarding the facility itself: (a) What is the current capacity of the Tartus pier and
its floating repair workshop? (b) How many Russian naval vessels called at Tartus in 2008, and
how long did each stay? (c) Whether the Syrian government has granted Moscow any new rights of
access, and on what terms.

3. (S/NF) Regarding Syrian intentions: (a) Who in the Syrian leadership is pressing for a larger
Russian presence? (b) What does Damascus expect in return, in arms deliveries or in debt relief?

4. (U) Please cite C-NE9-00312 in the subject line of reporting in response to the above questions.
"""),
    "imperative_numbered": (
        "034410", ["AMEMBASSY ADDIS ABABA", "AMEMBASSY ASMARA", "AMEMBASSY KHARTOUM"], "C O N F I D E N T I A L\n",
        "PINR PBTS ET ER SU", "(C) ETHIOPIA-ERITREA BORDER: REPORTING REQUEST (C-AF9-00577)",
        """\
1. (C) The Ethiopia-Eritrea Boundary Commission dissolved itself in November 2007, leaving the
border undemarcated and both armies deployed along it. Washington agencies are reviewing the
risk of renewed fighting. Posts are asked to report on the following, as time and resources permit.

2. (C) Please report on the status of troop deployments on both sides of the border near Badme
and Zalambessa, including any movements of heavy weapons since January.

3. (C) Posts should describe the role of the Eritrean military in the Asmara government's decisions
on the border, and name the commanders who matter.

4. (C) Identify any third countries supplying arms or fuel to either side.

5. (C) We need information on the financing of the Eritrean opposition groups based in Ethiopia.

6. (U) Please cite C-AF9-00577 in the subject line of all reporting.
"""),
    "audience_sections": (
        "045102", ["AMEMBASSY PARIS", "AMEMBASSY BERLIN", "AMEMBASSY ROME", "USEU BRUSSELS"], "S E C R E T\n",
        "PINR PREL ENRG FR GM IT EUN", "(S) EUROPEAN POSITIONS ON GAS SUPPLY DIVERSIFICATION",
        """\
1. (S) Washington analysts would appreciate information from posts on European positions ahead of
the spring energy council. The following questions are addressed to specific posts.

2. (U) FOR EMBASSY PARIS:

A. (S) What is the French government's position on the Nabucco pipeline project?

B. (C) Please describe any contacts between GDF Suez and Gazprom on South Stream.

3. (U) FOR EMBASSY BERLIN AND EMBASSY ROME:

A. (S) How do German and Italian officials view the Commission's proposal to unbundle gas transmission?

B. (S) Which officials in Rome are closest to ENI's management?

4. (U) Please cite C-EU9-01002 in the subject line of any reporting.
"""),
    "prose_requests": (
        "052318", ["AMEMBASSY CARACAS", "AMEMBASSY LA PAZ", "AMEMBASSY QUITO"], "S E C R E T\n",
        "PINR PREL VE BL EC", "(S) ALBA BANK AND REGIONAL FINANCING (C-WH9-00164)",
        """\
1. (S) The ALBA member states agreed in January to capitalize a regional development bank. Its
statutes have not been published, and Washington analysts have little information on its
governance or its lending so far. Posts are asked to report on the bank as time permits.

2. (S) Caracas has pledged most of the initial capital. In particular, we would like to know
whether the Venezuelan contribution has been paid, and in what currency. We would also appreciate
information on who in the Venezuelan Finance Ministry oversees the bank.

3. (S) Bolivia and Ecuador have each announced projects the bank will finance. Any information on
the terms of these loans would be welcome.

4. (U) Please cite C-WH9-00164 in the subject line of reporting in response to this cable.
"""),
    "posts_should_bullets": (
        "061945", ["AMEMBASSY BEIJING", "AMCONSUL SHANGHAI", "AMCONSUL GUANGZHOU"], "C O N F I D E N T I A L\n",
        "PINR ECON EFIN CH", "(C) CHINESE LOCAL GOVERNMENT DEBT (C-EA9-00411)",
        """\
1. (C) Local governments across China have borrowed heavily through investment companies of their
own to finance stimulus projects. Washington agencies assess that these debts are poorly recorded.

2. (C) Posts should report on the following:
-- the total borrowing of local investment companies in the consular district;
-- whether provincial banks have been told to stop lending to them;
-- which projects have stalled for lack of funds.

3. (U) Please cite C-EA9-00411 in the subject line of any reporting.
"""),
    "labelled_questions": (
        "070233", ["AMEMBASSY KABUL", "AMEMBASSY ISLAMABAD"], "S E C R E T\n\nNOFORN\n",
        "PINR PTER AF PK", "(S) TALIBAN FINANCING THROUGH THE HAWALA NETWORK (C-SA9-00721)",
        """\
1. (S/NF) INR seeks information on the hawala networks that move funds to Taliban commanders in the
south. Posts should answer the following questions.

2. (S/NF) Q1: Which hawala dealers in Quetta and Kandahar handle transfers for the Taliban? Q2: How
are the transfers settled between dealers? Q3: Have the Afghan authorities closed any of these
dealers, and with what effect?

3. (U) Please cite C-SA9-00721 in the subject line of reporting in response to the above questions.
"""),
    "lettered_audiences": (
        "081507", ["AMEMBASSY TOKYO", "AMEMBASSY SEOUL", "AMEMBASSY MOSCOW"], "S E C R E T\n",
        "PINR PREL KN JA KS RS", "(S) NORTH KOREAN SHIPPING AFTER THE SANCTIONS (C-EA9-00850)",
        """\
1. (S) Washington analysts are assessing how North Korean shipping has adapted to the new
sanctions. Please provide any information on the questions below.

2. (S) Questions:

A. (S) FOR TOKYO: Have Japanese port authorities inspected any North Korean vessels since June?

B. (S) FOR SEOUL: Which shipping lines still carry cargo between Nampo and Chinese ports?

C. (C) FOR MOSCOW: Does Rajin port remain open to Russian traders, and on what terms?

3. (U) Please cite C-EA9-00850 in the subject line of any response.
"""),
    "numbered_questions": (
        "092260", ["AMEMBASSY NAIROBI", "AMEMBASSY KAMPALA"], "C O N F I D E N T I A L\n",
        "PINR PGOV KE UG", "(C) ELECTORAL VIOLENCE: REPORTING REQUEST (C-AF9-00903)",
        """\
1. (C) Washington analysts are preparing an assessment of the risk of electoral violence in East
Africa. Posts are requested to answer the following questions.

2. (C) Which armed groups have ties to political parties, and who funds them?

3. (C) How have the police prepared for the elections? Have any units been redeployed?

4. (C) Please describe the government's contacts with opposition leaders since the census.

5. (U) Please cite C-AF9-00903 in the subject line of reporting in response to the above questions.
"""),
    "needs_topics": (
        "103318", ["AMEMBASSY HARARE", "AMEMBASSY PRETORIA"], "S E C R E T\n\nNOFORN\n",
        "PINR PGOV ZI SF", "(S) ZIMBABWE TRANSITION: COLLECTION REQUIREMENTS (C-AF9-01012)",
        """\
1. (S/NF) The following reporting needs reflect the priorities of Washington agencies for the
coming year. Posts should report on the topics below.

2. (S/NF) Reporting needs:

A. (S/NF) Security forces:

1) (S/NF) What is the loyalty of the army's senior officers to the unity government?

2) (S/NF) Describe the role of the Joint Operations Command in decisions on land seizures.

B. (S/NF) Economy:

1) (S/NF) How are diamond revenues from the Marange fields accounted for?

2) (C) Identify the banks that handle the proceeds of gold sales.

3. (U) Please cite C-AF9-01012 in the subject line of any reporting.
"""),
    "mixed_requests": (
        "112874", ["AMEMBASSY TBILISI", "AMEMBASSY YEREVAN", "AMEMBASSY BAKU"], "C O N F I D E N T I A L\n",
        "PINR PREL GG AM AJ", "(C) SOUTH CAUCASUS TRANSIT ROUTES (C-EU9-01177)",
        """\
1. (C) Washington is reviewing the transit routes that link the South Caucasus to Turkey and Iran
after the closure of the Upper Lars crossing. Posts are requested to provide the following
information as time and resources permit.

2. (C) Please report on the volume of freight crossing the Georgian-Turkish border at Sarpi since
the closure, and on any new customs procedures there.

3. (C) What is the status of the Kars-Akhalkalaki railway? (a) When will the Georgian section be
finished? (b) Who finances it? (c) Whether Armenia has protested its route.

4. (C) Embassy Baku is requested to ascertain whether Azerbaijan has raised the tariffs on the
Baku-Tbilisi-Ceyhan pipeline.

5. (U) Please cite C-EU9-01177 in the subject line of reporting in response to this cable.
"""),
    "inline_lettered_imperative": (
        "123509", ["AMEMBASSY LIMA", "AMEMBASSY BOGOTA", "AMEMBASSY LA PAZ"], "S E C R E T\n",
        "PINR SNAR PE CO BL", "(S) COCA CULTIVATION IN THE VRAE (C-WH9-01290)",
        """\
1. (S) Washington agencies are assessing the growth of coca cultivation in the Apurimac and Ene
river valleys and the role of the remaining Shining Path columns there. Posts are requested to
report on the following as time and resources permit.

2. (S) On the Shining Path: (a) describe the relationship between its columns and the drug
traffickers in the valley; (b) estimate the number of armed fighters; (c) identify its
commanders and where they are based.

3. (S) On eradication: (a) How many hectares did the government eradicate in 2008? (b) Which units
carried it out?

4. (U) Please cite C-WH9-01290 in the subject line of any reporting.
"""),
    "nested_needs": (
        "132046", ["AMEMBASSY TASHKENT", "AMEMBASSY DUSHANBE", "AMEMBASSY BISHKEK"], "S E C R E T\n\nNOFORN\n",
        "PINR PGOV UZ TI KG", "(S) CENTRAL ASIA: LEADERSHIP AND STABILITY REPORTING NEEDS (C-SC9-00318)",
        """\
1. (S/NF) This cable sets out Washington's reporting and collection needs on leadership and stability in
Central Asia for the coming year. Please cite C-SC9-00318 in the subject line of reporting in
response to these needs.

2. (S/NF) Reporting and collection needs:

A. (S/NF) Leadership dynamics:

1) (S/NF) Succession planning:
-- Who is being groomed to succeed the president, and by whom?
-- What role do the security services play in choosing a successor?

2) (S/NF) Health of the leadership: What is known of the president's health, and who treats him?

B. (S/NF) Regional stability:

1) (S/NF) Water disputes: How close are Tashkent and Dushanbe to an armed clash over the Rogun dam?

2) (C) Border incidents: Describe any incidents on the Fergana Valley borders since January.
"""),
    "audience_prose": (
        "141733", ["AMEMBASSY ANKARA", "AMEMBASSY MOSCOW", "AMEMBASSY ATHENS"], "C O N F I D E N T I A L\n",
        "PINR ENRG TU RS GR", "(C) BLUE STREAM II AND THE SOUTHERN CORRIDOR (C-EU9-01411)",
        """\
1. (C) Gazprom has revived its proposal for a second Blue Stream pipeline under the Black Sea. Washington
analysts would appreciate posts' views on how far each government has committed to it.

2. (C) For Embassy Ankara: Turkish officials have spoken of the project in contradictory terms since
August. We would like to know whether the Ministry of Energy has signed any agreement with Gazprom on
the route.

3. (C) For Embassy Moscow: Please describe the financing Gazprom has arranged for the line across Turkey.

4. (C) For Embassy Athens: Is Athens still negotiating to join the project, and who leads its delegation?

5. (U) Please cite C-EU9-01411 in the subject line of all reporting.
"""),
}


def raw_text(name: str) -> str:
    """The cable as sent: routing header, classification line with its serial, fields, body, signature."""
    serial, to, classification, tags, subject, body = CABLES[name]
    day, month = int(serial[-2:]) % 28 + 1, MONTHS[int(serial[:2]) % 12]
    head = HEAD.format(dtg=f"{day:02d}1200", month=month, to="\n".join(to), tags=tags, subject=subject,
                       classification=classification.replace("\n", f" STATE {serial}\n", 1),  # "...STATE 021876"
                       by="INR/AN Director Anne Lowell. Reason: 1.4(c).")
    return head + body + "\nCLINTON\n"


DROPPED = {"a", "e", "la", "es", "ha"}  # short words the flattened form has lost (09STATE6423's seed: "amembassy paz")


def flatten(text: str) -> str:
    """Text as the flattened form writes it: lower case; punctuation deleted, not spaced, so "anti-US" reads
    "antius", "Iran's" "irans", "1.4(c)" "14c", "(S/NF)" "snf"; some short words dropped ("a", and so "S E C R E
    T" reads "s c r t"); every line run into one. Done to 09STATE6423's viewer page, it gives the seed's very words."""
    words = re.sub(r"[^a-z0-9\s]", "", text.lower()).split()
    return " ".join(w for w in words if w not in DROPPED)


def flattened_page(text: str, reference_id: str, classification: str) -> str:
    """A flattened viewer page around a cable's text: a line of the site, the identity table, the cable."""
    classification = flatten(classification).replace(" ", "")  # "secretnoforn", as the identity table has it
    identity = f"{reference_id.lower()} 20090601 1200 20101201 2100 {classification} secretary of state"
    return f"cable viewer browse by origin {flatten('reference id created released classification origin')} " \
           f"{identity} {flatten(text)}"


@cache
def written(name: str) -> ParsedCable:
    return parse_cable_text(raw_text(name))


@cache
def flattened(name: str) -> ParsedCable:
    cable = written(name)
    return parse_flattened(flattened_page(raw_text(name), cable.reference_id, cable.classification))


def asked(cable: ParsedCable) -> list[tuple[str, str, str, str, tuple[str, ...]]]:
    """(section letter, code, marking, the words of its text, posts) of each question; [] when it holds none."""
    try:
        extraction = extract(cable)
    except NoQuestions:
        return []
    return [(s.letter, q.code, q.marking, flatten(q.text), q.posts) for s in extraction.sections for q in s.questions]


def by_code(cable: ParsedCable) -> dict:
    return {q.code: q for q in extract(cable).questions}


# ----------------------------------------------------------------------------- both forms alike


def test_the_flattened_form_asks_what_the_written_form_asks():
    """Every question of each written cable, in its section, with its code, marking, words and posts; no other.
    (Before the flattened form read lettered labels and requests, 18 of the written form's 43 were found.)"""
    written_questions = {name: asked(written(name)) for name in CABLES}
    assert all(written_questions.values())
    assert {name: asked(flattened(name)) for name in CABLES} == written_questions


# ----------------------------------------------------------------------------- lettered questions inside a paragraph


def test_inline_lettered_questions_are_questions_of_their_own_though_label_a_was_dropped():
    """ "Regarding the facility itself: (a) What is ...? (b) How many ...? (c) Whether ..." reads "regarding the
    facility itself what is ... b how many ... c whether ...": item (a) opens with its question."""
    questions = by_code(flattened("inline_lettered"))
    assert list(questions) == ["2.a", "2.b", "2.c", "3.a", "3.b"]
    assert questions["2.a"].text == "what is the current capacity of the tartus pier and its floating repair workshop"
    assert questions["2.b"].text.startswith("how many russian naval vessels")  # the label "b" is no question's word
    assert questions["2.c"].text.startswith("whether the syrian government")
    assert extract(flattened("inline_lettered")).sections[0].audience == "Regarding the facility itself"


def test_a_question_before_lettered_sub_questions_stays_the_paragraphs_own_in_both_forms():
    """ "What is the status of the railway? (a) When ...? (b) Who ...? (c) Whether ...": one question, the lead
    question first and each lettered one after it, without the labels."""
    written_question, flat_question = by_code(written("mixed_requests"))["3"], by_code(flattened("mixed_requests"))["3"]
    assert written_question.sentences == ("What is the status of the Kars-Akhalkalaki railway?",
                                          "When will the Georgian section be finished?", "Who finances it?",
                                          "Whether Armenia has protested its route.")
    assert flat_question.sentences == ("what is the status of the karsakhalkalaki railway",
                                       "when will the georgian section be finished", "who finances it",
                                       "whether armenia has protested its route")


def test_questions_labelled_q1_q2_in_running_text_keep_their_labels_when_flattened():
    assert list(by_code(flattened("labelled_questions"))) == ["Q1", "Q2", "Q3"]
    assert by_code(flattened("labelled_questions"))["Q2"].text == "how are the transfers settled between dealers"


def test_a_list_that_lost_its_bullets_after_the_following_is_cut_where_its_items_open():
    questions = by_code(flattened("posts_should_bullets"))
    assert [q.text for q in questions.values()] == [
        "the total borrowing of local investment companies in the consular district",
        "whether provincial banks have been told to stop lending to them",
        "which projects have stalled for lack of funds"]
    assert list(questions) == ["2.1", "2.2", "2.3"]


# ----------------------------------------------------------------------------- requests that are no questions


def test_flattened_requests_phrased_as_instructions_are_questions():
    assert list(by_code(flattened("imperative_numbered"))) == ["2", "3", "4", "5"]
    assert by_code(flattened("imperative_numbered"))["2"].text.startswith("please report on the status of troop")
    assert by_code(flattened("audience_sections"))["2.B"].text.startswith("please describe any contacts")
    assert by_code(flattened("numbered_questions"))["4"].text.startswith("please describe the governments contacts")


def test_flattened_requests_in_prose_run_from_the_words_that_open_their_sentence():
    """No full stops to end them: a request runs to the next one or the paragraph's end; one that says "would be
    welcome" ends there and starts at what it names."""
    questions = by_code(flattened("prose_requests"))
    assert [(code, q.text) for code, q in questions.items()] == [
        ("2.1", "in particular we would like to know whether the venezuelan contribution has been paid and in what"
                " currency"),
        ("2.2", "we would also appreciate information on who in the venezuelan finance ministry oversees the bank"),
        ("3", "any information on the terms of these loans would be welcome")]
    assert by_code(flattened("audience_prose"))["1"].text.startswith("washington analysts would appreciate")


def test_a_flattened_request_after_its_audience_names_its_posts():
    """ "For Embassy Moscow: Please describe ..." reads "for embassy moscow please describe ..."."""
    question = by_code(flattened("audience_prose"))["3"]
    assert (question.audience, question.posts) == ("For embassy Moscow", ("AMEMBASSY MOSCOW",))
    assert question.sentences == ("please describe the financing gazprom has arranged for the line across turkey",)


def test_we_need_information_on_is_a_request_in_both_forms():
    for cable in (written("imperative_numbered"), flattened("imperative_numbered")):
        assert flatten(by_code(cable)["5"].text) == (
            "we need information on the financing of the eritrean opposition groups based in ethiopia")


def test_a_flattened_request_is_a_question_and_a_label_that_lost_its_colon_is_none():
    from tracker.extraction import _Context, _is_question

    context = _Context(flattened("imperative_numbered"), flat=True, asked=True, imperative=True)
    assert _is_question("comment on the ministers plans for the prison service", context)
    assert _is_question("posts should describe the role of the military in the transition", context)
    assert not _is_question("comment although still steering firm course the minister appears to have assuaged his"
                            " critics", context)  # "Comment: although ..."
    assert not _is_question("please confirm receipt of this message", context)
    assert not _is_question("posts are asked to report on the following as time and resources permit", context)


def test_the_request_to_cite_the_collection_reference_is_no_question_even_numbered_as_an_item():
    """Flattened, the closing "3 u please cite ..." continues the items of section B as well as the paragraphs:
    read as item B.3, it asks nothing, and the analyst is told it was left out."""
    cable = flattened("needs_topics")
    assert [p.number for p in cable.paragraphs][-1] == "B.3"
    extraction = extract(cable)
    assert [q.code for q in extraction.questions] == ["A.1", "A.2", "B.1", "B.2"]
    assert extraction.notes == ('Paragraph B.3 is not among the questions: "please cite caf901012 in the subject line'
                                ' of any reporting"',)
