"""Tasking cable -> requirement set draft: sections, questions and their sentences. Pure: no Django.

Input is a `cables.parsing.ParsedCable` (any input form: viewer page, flattened text, raw, CSV row);
output is an `Extraction`, which `tracker.requirements` turns into rows.

The paragraphs are read as an outline, by their order: numbered paragraphs ("1", "6") at the top,
lettered ones ("A", "6.A") under the last number, numbered items ("A.1", "6.A.1") under the last letter.
Four layouts hold questions:

- addressed sections: a letter whose own text is an audience line ("A. FOR IRAN WATCHERS ...:") over
  numbered question items (09STATE6423); questions are coded "A.1", sections carry the audience;
- lettered questions: letters that are questions themselves, each perhaps with its own audience
  ("A. FOR HAVANA: ARE THERE ...?", 09STATE40419); they stand in one section with letter "" and are
  coded by their letter. Numbered items under a lettered question ("B.1", 09STATE47326) are questions
  of their own, coded "B.1": a question is always one numbered paragraph, so a response can point at it;
- reporting needs: a paragraph introducing needs or requirements ("Reporting and collection needs:")
  over lettered topics and their items (HUMINT collection directives, 08STATE30340); each item is a
  question coded "A.1" in its topic's section, its "-" bullets (or a) b) sub-items) are its sentences,
  a topic without items is one question coded by its letter; "GRPO can provide text" placeholders and
  the bare outline of topics that such cables print first are skipped;
- numbered questions: numbered paragraphs that are questions ("3. (C) What is ...?") in a cable that
  asks for reporting; coded by their number.

A paragraph's own list ("--", "*", "A)", "(a)", "i." ... items on lines of their own) under a heading is
a section of questions, coded by the paragraph and the item's label ("3.1", "1.A"); so is a list that a
request introduces ("Posts should report on:", perhaps after "Please cite ..."), whose items are
requirements whether they ask or name topics ("-- the number of vessels that called at Dalian").

A request whose subject names posts ("Embassy Baku is requested to ascertain ...", "Posts in the Gulf are asked to
...", "USUN should seek ...", "Embassy Baku: Please ...") tasks those posts, as "For Embassy Baku:" would: the question
(or the list, or the numbered questions, it introduces) takes them as its audience. A topic over lettered requests
("On the gas dispute: (a) describe ...; (b) estimate ...") is a section of questions, as it is over questions; a
list laid out as a table, two or three topics to a line parted by runs of spaces, is one question per topic.

A paragraph's list parted by lettered topic lines ("PART II. ..." over "A. Legal/Policy Framework:" over "--"
bullets) is a section per topic, coded by the paragraph's label and the topic's letter ("II.A", "II.A.1"). A
paragraph labelled as a section ("Section 1. Respect for ...:") gives its lettered questions its label ("1.A").

Requests for information made in a paragraph's prose, after background ("we would like to know whether ...",
"Any information on X would be welcome"), are questions, one per sentence ("2", or "2.1", "2.2"), in a cable
that asks for reporting; one that opens its paragraph ahead of the cable's other questions introduces them.
A paragraph that tells how to answer ("Answers should address each lettered question in turn") asks nothing.

Questions the cable labels ("Q1:", "QUESTION 2:") are coded by their labels ("Q2"), unless the labels start
again in each section. Questions the text reports or quotes ("he asked whether ...?") or answers itself
("Why does this matter? Because ...") are not asked of posts. The extraction notes what an analyst should
check, such as a question listed twice.

Talking points and non-papers ("Begin talking points:" ... "End talking points.") are text for posts to
deliver: nothing in them is asked of posts. "All other addressees" are the TO posts no audience before names.

A question without a marking of its own takes the strictest of the markings that enclose it: its
paragraph's (or the cable's), and its topic or audience heading's where that is stricter, never a lower one;
never a sibling's: "Q2) (C/NF) ...?" in a (C) paragraph leaves the unmarked Q1 and Q3 C. A question in a paragraph
written without a marking is held, besides, to the access the importer stores that paragraph's unmarked text at
(cables.markings.paragraph_accesses: the access in force before it, its ancestors'), so that the set shows no
reader a question the cable's page withholds from them.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import datetime
from itertools import pairwise

from cables.flattened import FLAT_MARKINGS
from cables.markings import (
    canonical_classification,
    canonical_marking,
    marking_access,
    paragraph_accesses,
    reaches,
    unmarked_accesses,
)
from cables.parsing import Paragraph, ParsedCable, collection_references, references_by_access
from tracker.posts import PLACE_NAMES_RE, POSTS, audience_posts, is_others


class NoQuestions(ValueError):
    """The cable holds no questions to track; the message says what was looked for."""


@dataclass(frozen=True)
class QuestionDraft:
    code: str  # "A.1" ... "C.7"; "A" where the questions are lettered (09STATE40419)
    marking: str  # canonical marking ("S//NF"), inherited from the enclosing paragraph when it has none
    text: str  # the item's whole text, whitespace normalised, audience prefix kept
    sentences: tuple[str, ...]  # its individual questions
    paragraph: str  # number of the paragraph it came from ("A.1", "6.A.1"), to link to
    audience: str = ""  # its own audience ("For Havana"), where it names one
    posts: tuple[str, ...] = ()  # addressees (as in the TO list) its audience, or its section's, tasks


@dataclass(frozen=True)
class SectionDraft:
    letter: str  # "A"; "" for questions that stand in no lettered section
    audience: str  # "For Iran watchers and the Iran Regional Presence Office (IRPO)", or a topic heading
    posts: tuple[str, ...] = ()  # addressees the audience names; () when it names none
    questions: tuple[QuestionDraft, ...] = ()


@dataclass(frozen=True)
class Extraction:
    reference_id: str
    title: str  # the subject without marking and collection reference, sentence-cased for display
    collection_reference: str  # "C-AL8-02836", or ""
    tasked: datetime | None  # the cable's creation
    issuer: str  # "Secretary of State": the cable's origin
    classifier: str  # "Suzanne McCormick, Dir., INR/I": Classified By
    addressed: tuple[str, ...]  # the TO list
    sections: tuple[SectionDraft, ...] = field(default=())
    notes: tuple[str, ...] = ()  # what an analyst should check in the draft ("Q1 and Q3 ask the same question")

    @property
    def questions(self) -> tuple[QuestionDraft, ...]:
        return tuple(q for s in self.sections for q in s.questions)


# ----------------------------------------------------------------------------- detection

# Who is asked to collect, and the verbs that ask it ("Action addressees are requested to ascertain").
ADDRESSEES = r"(?:posts?|embass(?:y|ies)|missions?|consulates?|addressees)"
COLLECT = r"(?:report|provide|seek|collect|answer|respond|ascertain|assess|describe|identify|obtain|gather|find out)"
# Phrases that ask for reporting; words may be parted by any punctuation, so the flattened form reads
# alike. Strong ones task collection by themselves. Each pattern opens with a literal word, which lets the
# regular expression engine skip through a long cable quickly.
STRONG_PHRASES = {
    "please cite": [r"cite (?:\w+ ){1,4}in (?:the )?subj(?:ect)? line",
                    r"please cite c[\W_]?[a-z]{2}\d[\W_]{0,3}\d{5}",  # "c-ne9-" over "00993": wrapped at its dash
                    r"(?:include|use|reference|insert|put|slug) (?:the )?(?:cal (?:number )?|collection reference )?"
                    r"c[\W_]?[a-z]{2}[\W_]?\d[\W_]+\d{5} in (?:the |their )?subj(?:ect)? line"],
    "in response to the above questions": [r"in response to the (?:above|following|preceding) questions"],
    "reporting and collection needs": [r"reporting and collection needs"],
}
WEAK_PHRASES = {
    "collection requirements": [r"collection requirements"],
    "request for information": [r"requests? for information"],
    "collection directive": [r"collection directive"],
    "would appreciate any information": [r"appreciate (?:any )?information"],
    "would be grateful for information": [rf"grateful for (?:any |{ADDRESSEES}(?: s)? )?(?:information|views"
                                          r"|assessments?|insights?|comments)"],
    "would appreciate posts' views": [rf"appreciate {ADDRESSEES}(?: s)? (?:views|comments|assessments?|insights?"
                                      r"|input)"],
    "as time and resources permit": [r"as time and resources permit"],
    "posts are asked to report": [rf"{who} (?:is|are) (?:requested|asked|tasked|instructed)"
                                  rf"(?: as time and resources permit)? to {COLLECT}"
                                  for who in ("posts?", "embass(?:y|ies)", "missions?", "consulates?", "addressees")]
                                 + [rf"requests? (?:that )?(?:all )?{ADDRESSEES} (?:report|respond|answer|provide"
                                    r"|seek)",
                                    r"posts? (?:should|must|are to|is to) (?:report|respond|answer|provide|seek"
                                    r"|collect)"]
                                 # the posts named: "Embassy Baku is requested to ascertain", "USUN should seek"
                                 + [rf"\b(?:{ADDRESSEES}|us(?:un|nato|eu|osce|oecd|au|int)|unvie)(?: [a-z]+){{0,8}}"
                                    r" (?:(?:is|are) (?:also )?(?:requested|asked|tasked|instructed)"
                                    rf"(?: as time and resources permit)? to|should|must) (?:also )?{COLLECT}"]
                                 # report taskings: "Posts are requested to submit their draft human rights
                                 # reports by October 1. The questions below should guide the drafting"
                                 + [rf"{ADDRESSEES} (?:(?:is|are) (?:requested|asked|tasked|instructed) to|should"
                                    r"|must|are to|is to) submit (?:\w+ ){0,4}(?:reports?|input|drafts?|responses"
                                    r"|answers|submissions)"],
    "action request": [r"action request"],
    "please report": [r"please (?:report|provide (?:any )?(?:information|reporting))"],
    "reporting needs": [r"reporting needs", r"information needs", r"intelligence gaps"],
    "the following questions": [r"(?:answer|respond to|reply to|answers to|responses to|replies to) (?:the )?"
                                r"(?:following questions|questions (?:below|that follow))",
                                r"seeks? information (?:on|about|regarding)"],
}


def _plain_words(pattern: str) -> tuple[str, ...]:
    """The plain words a phrase's pattern always holds (outside any group), longest first: a text without
    one of them cannot match, and substring tests are many times faster than the pattern's search."""
    while "(" in pattern:  # each group, innermost first, becomes a mark that no plain word holds
        pattern = re.sub(r"\([^()]*\)", "\0", pattern)
    return tuple(sorted(dict.fromkeys(w for w in pattern.split(" ") if w.isalpha()), key=len, reverse=True))


PHRASES = [(name, _plain_words(pattern), re.compile(pattern.replace(" ", r"[\W_]+") + r"\b"))
           for name, patterns in [*STRONG_PHRASES.items(), *WEAK_PHRASES.items()] for pattern in patterns]
# A cable that answers a tasking says so; its phrases ("responds to ref A request for information") and
# any questions it restates do not make it one.
RESPONSE_RE = re.compile(
    r"\b(?:in response to|responds? to|responding to|in reply to|answers? to|as requested (?:in|by)|per)"
    r" (?:ref|reftel|refs|reftels|reference|the ref|para|department s|dept s|washington s|inr s)\b"
    r"|\breftel (?:request|questions|tasking)\b"
    r"|\b(?:post|embassy|mission|consulate) s (?:responses?|answers?)\b"
    r"(?! to (?:the )?(?:questions )?(?:below|following))"  # not "Post's responses to the questions below will inform"
    r"|\b(?:this|the following) (?:cable|message|telegram|report) (?:answers|responds|replies)\b"
    r"|\b(?:answers|responds to|replies to) (?:the )?(?:questions|tasking|request)s? (?:in|of|from) (?:ref|reftel)\b"
    r"|\b(?:answers?|responses?|replies) to (?:the )?(?:questions|tasking|request)s? (?:posed |asked |raised )?"
    r"(?:in|by) (?:ref|reftel)\b|\b(?:responses?|answers?) to ref(?:tel)?(?: [a-z])? (?:questions|tasking|request)"
    r"|\bthe following (?:responds|replies) to\b|\bper (?:your|department s|dept s|washington s) request\b"
)
# Who tasks collection: the Department. A post's cable that says it responds is none, whatever it quotes.
HEADQUARTERS = frozenset({"Secretary of State"})


def tasking_signals(cable: ParsedCable) -> tuple[str, ...]:
    """Why a cable looks like it tasks collection ("asks reporting to cite C-AL8-02836", "asks 20
    questions under 3 addressed sections", "'reporting and collection needs'"); () when it does not.

    Cheap for the cables that do not (a few phrase searches). A phrase that asks for citing a collection
    reference, answering "the above questions" or names reporting and collection needs is enough; other
    phrases ("request for information", "Embassy Baku is requested to report") need questions beside them,
    requests without "?" among them where one names the posts it asks (`_named_requests`); questions under
    audience lines ("FOR HAVANA:") are enough alone. A cable that says it responds to a reference is none, whatever
    it quotes: responses cite the collection reference in their subjects."""
    found = _phrases(" ".join([cable.subject, *(p.text for p in cable.paragraphs)]).lower())
    if not found and not any(p.number and len(p.text) < 300 and _is_audience(p.text) for p in cable.paragraphs):
        return ()  # the cheap exit, taken by almost every cable
    response = bool(RESPONSE_RE.search(_words(" ".join([cable.subject, *(p.text for p in cable.paragraphs)]))))
    headquarters = cable.origin in HEADQUARTERS or cable.sender.upper().startswith("SECSTATE")
    if response and not headquarters:
        return ()  # a post's reply, however much of the tasking it quotes
    strong = [p for p in STRONG_PHRASES if p in found]
    weak = [p for p in WEAK_PHRASES if p in found and not response]
    reading = _read(cable, asked=bool(strong or weak))
    if weak and headquarters and len(reading.questions) < 2:
        reading = _named_requests(cable) or reading
    count = len(reading.questions)
    # Weak phrases ("please report any further developments") close many a cable that asks a question
    # in passing: they task collection only from the Department, beside two questions or more. Naming
    # reporting and collection needs is no tasking without them (a note that thanks posts for theirs).
    weakly = bool(weak) and headquarters and count >= 2
    asking = [p for p in strong if p != "reporting and collection needs" or reading.needs or count]
    if headquarters:
        tasked = bool(asking) or (not response and bool(reading.addressed or reading.needs or weakly))
    else:  # a post tasks its constituent posts now and then, in so many words, with questions and a TO list
        # of posts; one that names reporting and collection needs comments on the Department's
        tasked = bool([p for p in asking if p != "reporting and collection needs"]) and count >= 2 and (
            _addresses_posts(cable))
    if not tasked:
        return ()
    reasons = []
    if "please cite" in found:
        cal = requested_reference(cable)
        reasons += [f"asks reporting to cite {cal}"] if cal else []
    if count:
        reasons.append(reading.summary())
    reasons += [f"'{phrase}'" for phrase in [*strong, *weak]]
    return tuple(reasons)


def _named_requests(cable: ParsedCable) -> _Reading | None:
    """The cable as `extract` reads it, requests without "?" among its questions, where it asks two or more and
    names the posts it asks ("Embassy Baku is requested to report on ...", "Posts in the region are asked to
    assess ...", "Embassy Amman: Please describe ..."): the Department tasks collection so without asking a
    question in so many words. Requests of no one named ("Please report any further developments") close many a
    cable that tasks nothing; a demarche's ("Embassy Ankara should report the MFA's reaction") ask how what posts
    delivered was received."""
    if any(DELIVERING_RE.search(p.text) for p in cable.paragraphs):
        return None
    reading = _read(cable, asked=True, imperative=True)
    named = any(q.audience or _names_asked(q.text) for q in reading.questions)
    return reading if named and len(reading.questions) >= 2 else None


def _names_asked(text: str) -> bool:
    """A request whose subject names whom it asks ("Posts are asked to ...", "Both embassies should report ...",
    "Department requests USUN seek ..."); not "Please describe ...", nor a post telling what it was asked."""
    match = REQUEST_RE.match(_clean(text))
    return bool(match and re.search(rf"\b(?:{ADDRESSEES}|{MISSION_CODES})\b", match.group(), re.I))


# Washington's addressees: the Department, and the agencies in Washington ("CIA WASHDC", "NSC WASHINGTON DC").
WASHINGTON_RE = re.compile(r"\bWASH(?:DC|INGTON)\b|^\s*SECSTATE\b", re.I)


def _addresses_posts(cable: ParsedCable) -> bool:
    """A post's cable that could task collection: sent TO posts. Questions a post puts to Washington
    ("Post requests the Department answer the following questions") ask for guidance, whatever
    collection reference they cite. A cable whose TO list is unknown (a page without one) may."""
    return not cable.to or any(not WASHINGTON_RE.search(addressee) for addressee in cable.to)


def _phrases(text: str) -> set[str]:
    """The reporting phrases in lower-cased text."""
    return {name for name, required, pattern in PHRASES
            if all(word in text for word in required) and pattern.search(text)}


def extract(cable: ParsedCable) -> Extraction:
    """The requirement set a tasking cable asks for. Raises NoQuestions when it holds none."""
    asked = bool(_phrases(" ".join(p.text for p in cable.paragraphs).lower()))
    reading = _read(cable, asked=asked, imperative=True)
    if not reading.questions and cable.form == "flattened":
        reading.sections = _flat_needs(cable)  # a collection directive that lost the lines of its outline
    if not reading.questions:
        raise NoQuestions(f"{cable.reference_id} holds no questions: no lettered sections, numbered question"
                          " items or reporting needs were found")
    known = vocabulary(cable)
    sections = tuple(
        SectionDraft(s.letter, display_case(s.audience, known), s.posts,
                     tuple(replace(q, audience=display_case(q.audience, known)) for q in s.questions))
        for s in reading.sections
    )
    return Extraction(
        reference_id=cable.reference_id,
        title=title_of(cable.subject, known),
        collection_reference=requested_reference(cable),
        tasked=cable.created,
        issuer=cable.origin,
        classifier=cable.classified_by,
        addressed=tuple(cable.to),
        sections=sections,
        notes=(*reading.left_out, *_repeated_questions(sections)),
    )


def _repeated_questions(sections: tuple[SectionDraft, ...]) -> tuple[str, ...]:
    """A note for each question that repeats an earlier one word for word, of the same audience (a paragraph
    pasted twice): both are kept, for the analyst to judge."""
    first: dict[tuple[str, str], QuestionDraft] = {}
    notes = []
    for section in sections:
        for question in section.questions:
            asked = _clean(" ".join(question.sentences) or question.text)
            if not asked:
                continue
            key = (_words(question.audience or section.audience), _words(asked))
            if key in first:
                notes.append(f'{first[key].code} and {question.code} ask the same question: "{asked[:120]}"')
            else:
                first[key] = question
    return tuple(notes)


CITE_RE = re.compile(r"\b(?:cite|include|use|reference|quote|insert|put|slug)\b", re.I)
SUBJECT_LINE_RE = re.compile(r"\bsubj(?:ect)?\b", re.I)


def requested_reference(cable: ParsedCable) -> str:
    """The collection reference replies are asked to cite ("please cite C-AL9-01234 in the subject
    line", "please include ...", "... C-AL9-01234 in the subject line"); else the subject's; else the
    first the cable holds. A follow-up tasking may mention the CAL number of the tasking it follows up, in
    its REF line or text, besides its own. Only text any reader of the cable may read is looked at: the set
    shows its reference to them all."""
    limit = marking_access(cable.classification)
    readable = [p.text for p, access in zip(cable.paragraphs, paragraph_accesses(cable.paragraphs), strict=True)
                if reaches(limit, access)]
    asked = ""  # the first CAL number after "cite", "include" ... where no subject line is named
    for k, text in enumerate((cable.subject, *readable)):
        for match in CITE_RE.finditer(text):
            cited = collection_references(text[match.end():match.end() + 80])
            if cited and SUBJECT_LINE_RE.search(text, match.end(), match.end() + 160):
                return cited[0]
            asked = asked or (cited[0] if cited and k else "")
    if asked:
        return asked
    cited = collection_references(cable.subject)
    if cited:
        return cited[0]
    references = references_by_access(cable)[0]
    return references[0] if references else ""


# ----------------------------------------------------------------------------- the outline


@dataclass
class _Node:
    paragraph: Paragraph
    children: list[_Node] = field(default_factory=list)
    parent: _Node | None = None

    @property
    def label(self) -> str:
        """The last part of its number: "A" for "6.A", "1" for "6.A.1"."""
        return re.sub(r"\(\d+\)$", "", self.paragraph.number or "").split(".")[-1]

    @property
    def text(self) -> str:
        return self.paragraph.text

    def marking(self, cable: ParsedCable, headed: bool = False, listing: bool = False) -> str:
        """Its own marking; else the strictest of the markings that enclose it, never a lower one.

        An unmarked question is part of its paragraph, and of the topic or audience heading it stands under:
        it takes its paragraph's marking, or its heading's where that is stricter ("B. (S//NF) Military" over
        "-- Which units are loyal?" in a (C) paragraph gives S//NF), never a heading's lower one ("A. (U)
        Darfur Peace Process" in an (S/NF) paragraph covers the heading line alone: S//NF). Where only
        headings enclose it with a marking, the cable's classification stands for its paragraph's. A marked
        question keeps its own marking. `headed`: the node is a heading whose own text holds the questions
        (a list under "B. (S//NF) Military"), so its marking is a heading's. `listing`: the marking that
        encloses the items of the node's own list, which is the one its paragraph is written with, not a
        sibling item's ("Q2) (C/NF) What ...?" in a (C) paragraph leaves Q1 C)."""
        own = _written_marking(self.paragraph, cable) if listing else self.paragraph.marking
        if own and not headed:
            return own
        body: list[str] = []  # the enclosing paragraphs' markings
        headings: list[str] = []
        node: _Node | None = self if headed else self.parent
        while node is not None:
            marking = own if node is self else node.paragraph.marking
            if marking:
                heading = node is self or _is_heading_line(node.text) or bool(node.children) and _is_title(node.text)
                (headings if heading else body).append(marking)
            node = node.parent
        marking = body[0] if body else self._classification_marking(cable)
        for other in [*body[1:], *headings]:
            marking = _stricter(marking, other)
        if not own:  # written unmarked: no lower than the importer holds its text
            # a question that is the paragraph's whole text is raised by a marking too garbled to read at its head
            # where it is stored (tracker.requirements.question_marking); items of its text are not, so here
            marking = _stricter(marking, _held_marking(cable, self.paragraph, unread=headed or listing))
        return marking

    @staticmethod
    def _classification_marking(cable: ParsedCable) -> str:
        """The cable's classification as a paragraph marking ("SECRET//NOFORN" -> "S//NF")."""
        classification = canonical_classification(cable.classification) or cable.classification
        if marking := canonical_marking(classification):
            return marking
        level, noforn = marking_access(classification)
        if not classification:
            return ""
        return ("SBU" if "OFFICIAL USE" in classification.upper() or "SENSITIVE" in classification.upper() and not level
                else ("U", "C", "S", "TS")[level]) + ("//NF" if noforn else "")


# The last cable read, and its paragraphs' held markings: (with, without) the raise of an unread marking at its head
_HELD: dict[str, tuple[ParsedCable, dict[int, tuple[str, str]]]] = {}


def _held_marking(cable: ParsedCable, paragraph: Paragraph, unread: bool = True) -> str:
    """The marking that unmarked text in the paragraph's place is stored at (cables.markings.unmarked_accesses): the
    access in force before it and its ancestors' ("A. (C)" over "1) (S/NF) ...?" over an unmarked "2) ...?": S//NF),
    raised by a marking too garbled to read at the head of its text (`unread`). "" for one that is no paragraph of the
    cable (the outline's root), or held to nothing (UNCLASSIFIED)."""
    cached = _HELD.get("cable")
    if cached is None or cached[0] is not cable:
        held = {id(p): (_access_marking(raised), _access_marking(plain)) for p, raised, plain in zip(
            cable.paragraphs, unmarked_accesses(cable.paragraphs), unmarked_accesses(cable.paragraphs, unread=False),
            strict=True)}
        cached = _HELD["cable"] = (cable, held)
    return cached[1].get(id(paragraph), ("", ""))[0 if unread else 1]


def _access_marking(access: tuple[int, bool]) -> str:
    """An access as a paragraph marking: (2, True) -> "S//NF"; "" for (0, False), held to nothing."""
    return "" if access == (0, False) else ("U", "C", "S", "TS")[access[0]] + ("//NF" if access[1] else "")


# A marking inside a paragraph's text ("(C/NF) What ...?"), and one closing the text before a paragraph's
# start as the cable is written ("1. (C) "), or a paragraph number alone there ("1. ").
INNER_MARKING_RE = re.compile(r"\(([A-Z][A-Za-z /,-]{0,39})\)\s")
LEAD_RE = re.compile(r"(?:\(([A-Za-z /,-]{1,40})\)|(?:^|\s)\w{1,3}[.)])\s*$")


def _written_marking(paragraph: Paragraph, cable: ParsedCable) -> str:
    """The marking a paragraph is written with at its start ("1. (C) INR seeks ..."). The parser raises a
    paragraph's marking to the strictest inside it, so that no reader sees a block above their clearance;
    what the cable's body shows before the paragraph's text says what the paragraph itself is. Its
    marking as parsed where its text holds no other marking, or the body does not show its start."""
    if not paragraph.marking or not any(canonical_marking(m.group(1)) for m in INNER_MARKING_RE.finditer(
            paragraph.text)):
        return paragraph.marking
    body, start = _clean(cable.body), _clean(paragraph.text)[:60]
    at = body.find(start) if start else -1
    while at >= 0:
        lead = LEAD_RE.search(body, max(0, at - 44), at)
        if lead and lead.group(1) is None:
            return ""  # a paragraph number with no marking after it
        if lead and (marking := canonical_marking(lead.group(1))) is not None:
            return marking
        at = body.find(start, at + 1)
    return paragraph.marking


def _stricter(marking: str, other: str) -> str:
    """The stricter of two markings: the higher level, NOFORN if either is ("S" and "C//NF" give "S//NF");
    at one level, a caveat over none ("SBU" over "U")."""
    if not marking or not other:
        return marking or other

    def rank(mark: str) -> tuple[int, bool, bool]:
        return (*marking_access(mark), mark not in {"U", "C", "S", "TS"})

    stricter = other if rank(other) > rank(marking) else marking
    if (marking_access(marking)[1] or marking_access(other)[1]) and not marking_access(stricter)[1]:
        stricter = stricter.split("//")[0] + "//NF"
    return stricter


def _kind(number: str) -> str:
    parts = re.sub(r"\(\d+\)$", "", number).split(".")
    if parts[-1].isalpha():
        return "letter"
    return "top" if len(parts) == 1 else "item"


def _outline(paragraphs: tuple[Paragraph, ...]) -> list[_Node]:
    """Numbered paragraphs, each with its letters, each with its items; by order, not by prefix."""
    tops: list[_Node] = []
    top: _Node | None = None
    letter: _Node | None = None
    for paragraph in paragraphs:
        if not paragraph.number:
            continue  # unnumbered text: a preamble or a damaged stretch
        node = _Node(paragraph)
        kind = _kind(paragraph.number)
        if kind == "top":
            top, letter = node, None
            tops.append(node)
            continue
        if top is None:  # letters before any number stand under an unnumbered root
            top = _Node(Paragraph(None, "", "", ""))
            tops.append(top)
        parent = top if kind == "letter" or letter is None else letter
        node.parent = parent
        parent.children.append(node)
        if kind == "letter":
            letter = node
    return tops


# ----------------------------------------------------------------------------- reading the layouts

QUESTION_MARK_RE = re.compile(r"\?[\"'\u201d\u2019)\]]*(?=\s|$)")  # not "RUSSIA?S", an apostrophe garbled
AUDIENCE_LINE_RE = re.compile(r"^(?:for|to)\s+\S|\b(?:posts|addressees|embassies|missions|watchers)\s*:?$", re.I)
AUDIENCE_PREFIX_RE = re.compile(r"^\s*(for\s+[^:?.]{2,80}?)\s*:\s*(?=\S)", re.I)
POSTS_PREFIX_RE = re.compile(r"^\s*([^:?.]{2,80}?)\s*:\s*(?=\S)")  # "Embassy Baku: Please ascertain ...", "USUN: ..."
NEEDS_RE = re.compile(
    r"\b(?:(?:reporting|collection|information|intelligence)(?: and (?:collection|reporting))?"
    r" (?:needs|requirements|gaps|priorities)|requirements and tasking|collection tasking)\b", re.I)
AUDIENCE_WORDS_RE = re.compile(r"\b(?:posts?|addressees|watchers|embass(?:y|ies)|consulates?|missions?|all)\b", re.I)
PLACEHOLDER_RE = re.compile(r"\bcan provide (?:the )?(?:full )?text\b|^\W*(?:reserved|deleted|not used"
                            r"|intentionally (?:left )?blank)\W*$", re.I)
BULLET_RE = re.compile(r"^\s*(?:-{1,3}|\u2022|\*)\s*(?=\S)", re.M)
# An aside between a request and what it asks: "Posts are requested, as time and resources permit, to report".
ASIDE = r"(?:\s*,[^,.;:?]{1,60},|\s+as\s+time\s+and\s+resources\s+permit)?"
# Who a request is made of, named as its subject: addressee words or a mission's code, then the words up to the
# request's verb ("Embassy Baku", "Embassies London, Paris and Berlin", "Consulate General St. Petersburg", "Posts in
# the Gulf", "USUN", "All other addressees").
MISSION_CODES = r"(?:us(?:un|nato|eu|osce|oecd|au|unesco|int)|unvie)"
NAMED_POSTS = (r"(?:the\s+|all\s+|both\s+|each\s+)?(?:other\s+|remaining\s+)?"
               r"(?:(?:(?:action|info(?:rmation)?)\s+)?(?:addressees|posts?|embass(?:y|ies)|missions?|consulates?)"
               rf"|{MISSION_CODES})(?:,?\s+(?!(?:is|are|was|were|should|must|will|would|may|can|also|please|to)\b)"
               r"(?:[a-z]{1,3}\.|[a-z][\w'-]*)){0,10}?")
# A request for reporting phrased as an instruction: "Please describe ...", "Posts are asked to report on", "Embassy
# Baku is requested to ascertain", "USUN should seek"; the posts it names as its subject are `who` (or `whom`: "The
# Department requests that Embassy Baku report").
REQUEST_RE = re.compile(
    r"^(?:\([A-Za-z /,-]{1,40}\)\s*)?(?:please\s+(?:also\s+)?"
    r"|(?:(?:action\s+)?addressees|posts?|embass(?:y|ies)|missions?|consulates?)\s+(?:is\s+|are\s+|should\s+)?"
    r"(?:also\s+)?"
    rf"(?:(?:requested|asked|tasked|invited){ASIDE}\s+to\s+(?:please\s+)?)?"
    rf"|(?P<who>{NAMED_POSTS}),?\s+(?:(?:is|are)\s+(?:also\s+)?(?:requested|asked|tasked|invited|instructed){ASIDE}\s+to"
    r"|should|must|(?:is|are)\s+to)\s+(?:also\s+)?(?:please\s+)?"
    r"|(?:(?:the\s+)?(?:department|washington|inr)\s+)?(?:requests?|asks?)\s+(?:that\s+)?"
    rf"(?P<whom>{NAMED_POSTS})\s+(?:also\s+)?)?"
    r"(?:report|describe|provide|identify|assess|explain|detail|confirm|indicate|determine|clarify|estimate"
    # "comment" on what: the flattened form's "comment although ..." is the label "Comment:" that lost its colon
    r"|evaluate|characteri[sz]e|comment(?=\s+(?:on|upon|whether|if)\b)|discuss|outline|list|ascertain|find out"
    r"|seek(?!\s+to\b)|obtain|gather)\b(?!\s*[:.-])",  # not "should seek to persuade": an instruction to act
    re.I)
# Instructions about the replies themselves, not about what to find out.
NOT_REQUEST_RE = re.compile(
    r"\bprovide (?:your |any |the )?(?:responses?|repl(?:y|ies)|answers?|comments?|feedback|points? of contact|pocs?)\b"
    r"|\breport(?:ing)? (?:by|no later)\b|\bconfirm receipt\b"
    r"|\b(?:report|respond|reply|submit|send)\w*\b[^.?]{0,40}\b(?:by|no later than|nlt|before)\s+(?:cob\b|c\.o\.b\."
    r"|close of business|noon|\w+day\b|jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|\d)"
    r"|\b(?:provide|deliver|pass|share)\b[^.?]{0,60}\bto (?:the )?(?:host (?:government|nation)|government"
    r"|officials)\b",
    re.I)
# How to answer the questions ("Answers should address each lettered question in turn", "Responses should be
# organized by topic", "Please key responses to the lettered questions"): a request that says so introduces them.
OUTLINE = r"(?:questions?|paragraphs?|items?|topics?|sections?|headings?|outline|in\s+turn)\b"
ANSWERING_RE = re.compile(
    r"\b(?:answers?|responses?|replies|reports?|reporting|submissions?|drafts?)\s+(?:should|must|are\s+to|will"
    r"|need\s+to)\s+(?:\w+\s+){0,2}?(?:address|follow|track|cover|answer|respond\s+to|be\s+(?:organi[sz]ed|keyed"
    rf"|numbered|arranged|structured|broken\s+down|sorted))\b[^.?!]{{0,60}}?\b{OUTLINE}"
    r"|\b(?:key|keyed|number|organi[sz]e|tie|match)\s+(?:\w+\s+){0,2}?(?:responses?|answers?|replies|reporting)"
    rf"\s+to\s+(?:the\s+)?(?:\w+\s+)?{OUTLINE}", re.I)
# A request that points at what follows ("Posts are requested to report on the following questions:") introduces
# the questions; it asks none itself.
INTRODUCES_RE = re.compile(r"(?:\b(?:the following|below|as follows|that follow)\b[^.?!:]*[.:]?|:)\s*$", re.I)
# A request that ends at its verb, whose object is the list after it: the flattened form's "Embassy Beijing is
# requested to ascertain" that lost its colon.
OPEN_REQUEST_RE = re.compile(rf"\b{COLLECT}(?:\s+(?:on|about|regarding))?$", re.I)
# A request introducing a list asks posts to find out, in so many words, though not at its start ("Embassy
# Bishkek is requested to report on", "ACTION REQUEST: ... are requested to seek", "INR would appreciate any
# information on", "Posts should also report on the following questions").
COLLECTING_RE = re.compile(
    rf"\b(?:is|are)\s+(?:also\s+)?(?:requested|asked|tasked|instructed|invited){ASIDE}\s+to\s+(?:please\s+)?{COLLECT}\b"
    rf"|\b(?:please|should|must|are\s+to|is\s+to)\s+(?:also\s+)?{COLLECT}\b"
    r"|\b(?:seeks?|requests?|appreciates?|welcomes?|would\s+(?:appreciate|welcome))\b[^.:;]{0,60}?"
    r"\b(?:information|reporting|answers|responses|views|insights?|assessments?|assistance)\b"
    r"|\b(?:following|these|below)\s+questions\b|\bquestions\s+(?:below|that\s+follow)\b", re.I)
# A list to deliver, not to find out about.
DELIVERING_RE = re.compile(r"\btalking\s*points\b|\bnon-?paper\b|\bdemarche\b|\bdraw\s+on\b", re.I)
# Text for posts to deliver, from where it begins ("Begin talking points:", "Talking points for the host
# government:") or from a request to deliver what follows ("deliver the following points:"), to where it ends.
DELIVERY_OPEN_RE = re.compile(
    r"^\W*(?:begin\s+(?:the\s+)?(?:text\s+of\s+(?:the\s+)?)?(?:suggested\s+|draft\s+|following\s+)?"
    r"(?:talking\s*points|points|non-?paper)\b|(?:suggested\s+|draft\s+)?(?:talking\s*points|non-?paper)\b[^.?!:]{0,80}:)",
    re.I)
DELIVERY_REQUEST_RE = re.compile(r"\b(?:deliver|convey|make|raise|draw\s+on|present)\b[^.?!:]{0,60}"
                                 r"\b(?:points|non-?paper|message)\b[^.?!:]{0,80}:$", re.I)
DELIVERY_END_RE = re.compile(r"\bend\s+(?:of\s+)?(?:suggested\s+|draft\s+)?(?:talking\s*points|points|non-?paper)\b",
                             re.I)
# A demarche's closing: report the outcome of what posts were told to do, not something to find out.
OUTCOME_RE = re.compile(
    r"\breport\w*\s+(?:on\s+)?(?:the\s+|any\s+|its\s+)?(?:host[ -](?:government|nation)(?:'s)?\s+)?"
    r"(?:responses?|results|outcome)(?:\s+(?:of|to)\s+(?:its|this|the|our|these|post's|embassy's)\s+"
    r"(?:efforts?|demarches?|approach(?:es)?|points|message|request|non-paper|meetings?))?"
    r"\s*(?:[.;]|$|as soon as\b|asap\b|by\b|septel\b|promptly\b|immediately\b)", re.I)
# A request for information in the cable's own voice, inside a paragraph's prose: "we would like to know
# whether ...", "We would also appreciate information on ...", "Any information on X would be welcome",
# "Washington is particularly interested in learning ...". Each names what it asks about.
WHO_ASKS = r"(?:we|washington|(?:the\s+)?department|inr|analysts|(?:washington\s+)?agencies|policymakers)"
KINDS = r"(?:information|reporting|details|insights?|views|assessments?|comments|updates?)"
ABOUT = r"(?:on|about|regarding|concerning|as\s+to|of|into)"
EXTENT = r"(?:also\s+|particularly\s+|especially\s+|greatly\s+|most\s+|very\s+|further\s+)*"
WANTED_RE = re.compile(
    rf"\b{WHO_ASKS}\s+(?:(?:would|will|'d)\s+{EXTENT}(?:like|want|wish)|{EXTENT}needs?)\s+to\s+(?:know|learn"
    r"|understand|hear)\s+"
    r"(?:more\s+)?(?:whether|if|what|who|whom|whose|which|when|where|why|how|about|of)\b"
    rf"|\b{WHO_ASKS}\s+(?:would|will|'d)\s+{EXTENT}(?:appreciate|welcome|value|be\s+{EXTENT}grateful\s+for)\s+"
    rf"(?:any\s+|more\s+|further\s+|additional\s+|posts?(?:'s?)?\s+|embassy(?:'s)?\s+)*{KINDS}\s+{ABOUT}\s"
    rf"|\b{WHO_ASKS}\s+{EXTENT}(?:needs?|requires?)\s+(?:more\s+|further\s+|additional\s+|better\s+)?{KINDS}"
    rf"\s+{ABOUT}\s"  # "we need information on ..."
    rf"|\b{KINDS}\s+{ABOUT}\s[^.?!]{{2,200}}\bwould\s+{EXTENT}be\s+{EXTENT}(?:welcome|appreciated|useful|helpful"
    r"|valuable)\b"
    rf"|\b{WHO_ASKS}\s+(?:is|are)\s+{EXTENT}interested\s+in\s+(?:learning|knowing|hearing|understanding"
    rf"|(?:(?:the|any|more|further|additional)\s+)?{KINDS}\b|whether|what|who|which|when|where|why|how)",
    re.I)
# A request that points at a list or at the replies, not at something to find out.
LISTED_THINGS = r"(?:questions|topics|issues|items|points|requirements|areas|subjects)"
NOT_WANTED_RE = re.compile(rf"\b(?:following|below|above|these|those)\s+{LISTED_THINGS}\b|\b{LISTED_THINGS}\s+"
                           r"(?:below|above|that\s+follow|listed)\b|\bthe\s+following\b|:\s*$", re.I)
# What follows a question that answers it: the text asks nothing ("Q: ...? A: ...", "Why ...? Because ...").
ANSWER_RE = re.compile(r"^\W*(?:(?:yes|no|n/a|none|unknown|answer|response|because)\b|a\d*\s*:)", re.I)


@dataclass
class _Reading:
    """The sections a cable's layout holds, and what kind they are (for the detection's reasons)."""

    sections: list[SectionDraft] = field(default_factory=list)
    addressed: int = 0  # sections (or questions) with an audience line
    needs: int = 0  # topics under a reporting-needs paragraph
    left_out: list[str] = field(default_factory=list)  # notes on the paragraphs of a tasking list left out

    @property
    def questions(self) -> list[QuestionDraft]:
        return [q for s in self.sections for q in s.questions]

    def summary(self) -> str:
        count, sections = len(self.questions), len([s for s in self.sections if s.letter and s.audience])
        noun = "question" if count == 1 else "questions"
        if self.needs:
            return f"lists {count} reporting needs under {self.needs} topics"
        if self.addressed and sections:
            return f"asks {count} {noun} under {sections} addressed sections"
        if self.addressed:
            return f"asks {count} {noun} addressed to posts"
        return f"asks {count} {noun}"


@dataclass
class _Context:
    cable: ParsedCable
    flat: bool  # the flattened form: no punctuation, all lower case
    asked: bool  # the cable asks for reporting in so many words
    imperative: bool = False  # requests without "?" ("Describe any arms sales ...") are questions too


def _read(cable: ParsedCable, asked: bool, imperative: bool = False) -> _Reading:
    """The sections of a cable, in the order of its text. Under each numbered paragraph, a letter is an
    addressed section or a topic of needs (`_section`), else a question itself; lettered and numbered
    questions that stand in no section are gathered per paragraph (`_loose_section`). A numbered
    paragraph that asks (in a cable that asks for reporting) is a question, with its letters under it."""
    context = _Context(cable, cable.form == "flattened", asked, imperative)
    reading = _Reading()
    found: list[_Found] = []  # in the order of the text
    numbered: list[QuestionDraft] = []  # numbered paragraphs that are questions, with their sub-questions
    audience: _Heading | None = None  # "2. (U) FOR ABUJA AND ACCRA:" over the numbered questions after it
    heading_over = False  # the numbered questions so far stand under such a heading, which goes on past sections
    own_lists = 0  # paragraphs whose own list is a section, coded by the paragraph ("2.a")
    prose: dict[int, bool] = {}  # requests in prose (by id): whether each opens its paragraph
    tops = _outline(cable.paragraphs)
    delivered = _delivered(tops)
    for top in tops:
        if id(top) in delivered:
            continue  # talking points: text for posts to say, whatever it asks
        needs = bool(top.paragraph.number) and _is_needs_heading(top.text)
        asks = bool(top.paragraph.number) and asked and not any(c.children for c in top.children) and _asks(
            top, context)  # a numbered question; one over sections is their introduction
        if top.paragraph.number and not top.children and not asks and _is_audience(top.text):
            audience = _Heading(top.label, _heading(top.text))
            continue
        listed = _listed(top.text, context, single=True) if top.paragraph.number and not top.children else None
        # "On the gas dispute: (a) describe ...; (b) estimate ...": a topic over requests, which ask with no "?"
        topical = bool(listed) and asked and (not listed[0] or _is_title(listed[0]))
        parted = _topics(top.text) if listed and (asks or topical or _introduces(listed[0])) else None
        if parted:  # "PART II. ..." over "A. Legal/Policy Framework:" over "-- Does ...?": a section per topic
            label = _section_label(_clean(parted[0]))[0] or top.label
            found += [_listed_section(top, f"{label}.{letter}", title, _entries(body, _list_items(body)), context,
                                      reading) for letter, title, body in parted[1] if _list_items(body)]
            continue
        if listed and (asks or topical or _introduces(listed[0])):
            # "3. (C) QUESTIONS FOR ALL POSTS:" over "-- WHAT ...?" bullets, or "Posts should report on:" over
            # "-- the number of ..." topics, or "On X:" over "(a) describe ...": a section of questions
            letter, head = _section_label(_list_title(listed[0], context))  # "SECTION A: FOR ...": its own
            found.append(_listed_section(top, letter or top.label, head, listed[1], context, reading,
                                         introduced=_introduces(listed[0])))
            own_lists += 1
            numbered = numbered if heading_over else []  # numbered questions after it stand after it
            continue
        # "Embassy Baku is requested to report on the following questions:" over numbered questions: as "FOR BAKU:"
        if top.paragraph.number and not top.children and not asks and not listed and _ends_introducing(top.text) and (
                _introduces(top.text) and (who := _asked_of(top.text, context, introduction=True))):
            audience = _Heading(top.label, who, addressed=True)
        requested = [] if asks or top.children or listed else _requested(top, context)
        prose |= {id(question): opens for question, opens in requested}
        loose = [_question(top, top.label, context)] if asks else [question for question, _ in requested]
        # "1. (S) Posts should report on the following:" over "1) Kyrgyz leadership intentions ...": the
        # request makes each item a requirement, a question or not
        introduces = bool(top.paragraph.number) and not asks and _introduces(top.text)
        for child in top.children:
            if _kind(child.paragraph.number) == "item":
                if _asks(child, context) or introduces and _requirement(child.text):
                    loose.append(_question(child, f"{top.label}.{child.label}", context))
                continue
            section = None if asks else _section(child, needs, context, reading)
            if section is not None:
                found.append(section)
                numbered = numbered if heading_over else []
            elif _asks(child, context) or introduces and _requirement(child.text):
                code = f"{top.label}.{child.label}" if asks else child.label
                loose.append(question := _question(child, code, context, parent=loose[0] if asks else None))
                loose += [_question(item, f"{code}.{item.label}", context, parent=question)
                          for item in child.children if not _placeholder(item.text)]
        reading.addressed += sum(1 for q in loose if q.audience)
        if asks or requested:
            heading = _heading_section(top.paragraph.heading) or audience  # "SECTION A: FOR ..." above it
            audience = None
            if heading is not None or not numbered:
                numbered, heading_over = [], heading is not None
                found.append((heading, numbered))
            numbered += loose
        elif loose:
            found.append((top, loose))
    found = _without_openers(found, prose)
    # lettered questions in two paragraphs or more (or beside a paragraph's own list) are coded by their paragraph
    several = own_lists + sum(1 for f in found if isinstance(f, tuple) and isinstance(f[0], _Node)) + any(
        isinstance(f, tuple) and f[0] is None for f in found) > 1
    sections = [f if isinstance(f, SectionDraft) else _headed_section(*f, context, reading)
                if isinstance(f[0], _Heading) else _loose_section(*f, several, context, reading) for f in found]
    reading.sections = _the_others(_unique_codes(_labelled_codes(_after_introduction(sections))), context)
    reading.left_out = _left_out(tops, reading.questions)
    return reading


def _the_others(sections: list[SectionDraft], context: _Context) -> list[SectionDraft]:
    """Sections and questions addressed to "all other addressees" ("the remaining posts") get the posts
    that no audience before them named, in the order of the text; their questions with them."""
    named: list[str] = []
    result = []
    for section in sections:
        posts = section.posts
        if is_others(section.audience):
            posts = _posts(section.audience, context, named)
        questions = []
        for question in section.questions:
            if is_others(question.audience):
                question = replace(question, posts=_posts(question.audience, context, named))
            elif question.posts == section.posts and not question.audience:
                question = replace(question, posts=posts)
            named += question.posts if question.audience else ()
            questions.append(question)
        named += posts
        result.append(replace(section, posts=posts, questions=tuple(questions)))
    return result


def _delivered(tops: list[_Node]) -> set[int]:
    """The numbered paragraphs (by id) that hold talking points or a non-paper: from one that opens them
    ("4. (U) Begin talking points:") or asks to deliver the list it holds ("deliver the following points:")
    to the one that says they end ("End talking points."), or that paragraph alone when none says so
    within ten. Posts say this text to their hosts: a question in it is put to the host government by
    the demarche, not to posts by the Department."""
    delivered: set[int] = set()
    for n, top in enumerate(tops):
        if id(top) in delivered or not _delivers(top.text):
            continue
        end = next((k for k in range(n, min(n + 10, len(tops)))
                    if any(DELIVERY_END_RE.search(node.text) for node in _descendants(tops[k]))), n)
        delivered |= {id(node) for node in tops[n:end + 1]}
    return delivered


def _delivers(text: str) -> bool:
    """A paragraph that opens talking points or a non-paper, or asks to deliver the list it holds."""
    items = _list_items(text)
    head = _clean(text[:items[0].start()] if items else text)
    return bool(DELIVERY_OPEN_RE.match(_clean(text)) or items and DELIVERY_REQUEST_RE.search(head))


def _descendants(node: _Node) -> list[_Node]:
    return [node, *(n for child in node.children for n in _descendants(child))]


def _left_out(tops: list[_Node], questions: list[QuestionDraft]) -> list[str]:
    """A note for each paragraph that a tasking list holds but no question came from: a numbered paragraph
    some of whose letters or items are questions is read as a list, and what of it was skipped (a
    placeholder, a bare title, text cut off at a page break) the analyst should see."""
    asked = {q.paragraph for q in questions}

    def used(node: _Node) -> bool:
        return node.paragraph.number in asked or any(used(child) for child in node.children)

    notes = []
    for top in tops:
        if not any(used(child) for child in top.children):
            continue
        for node in (n for child in top.children for n in (child, *child.children)):
            if not used(node):
                text = _clean(node.text)
                text = text if len(text) <= 100 else text[:97].rstrip() + "..."
                notes.append(f'Paragraph {node.paragraph.number} is not among the questions: "{text}"')
    return notes


# A section's own label before its audience: "SECTION A:", "PART II -", "I." (roman numerals).
SECTION_LABEL_RE = re.compile(r"^(?:(?:SECTION|PART)\s+([A-Z]|[IVX]{1,5}|\d{1,2})|([IVX]{1,5})\.)\s*[:.\-\u2013]*\s+",
                              re.I)


@dataclass(frozen=True)
class _Heading:
    """A heading above numbered questions that opens a section of them: its label and audience."""

    letter: str
    audience: str
    addressed: bool = False  # an audience, though no audience line: "Embassy Baku is requested to report on:"


# What `_read` finds, in the order of the text: sections, and questions under a heading, a paragraph or none.
_Found = SectionDraft | tuple[_Node | _Heading | None, list[QuestionDraft]]


def _section_label(text: str) -> tuple[str, str]:
    """ "SECTION A: FOR IRAN WATCHERS" -> ("A", "FOR IRAN WATCHERS"); ("", text) without a label."""
    match = SECTION_LABEL_RE.match(text)
    if not match:
        return "", text
    return (match.group(1) or match.group(2)).upper(), text[match.end():].strip()


def _heading_section(heading: str) -> _Heading | None:
    """The section a numbered question's heading opens: one with a label ("PART II - ..."), or an audience
    ("FOR IRAN WATCHERS", underlined); None for any other heading (a topic printed above a paragraph)."""
    letter, rest = _section_label(_clean(heading).rstrip(":"))
    if not heading or not (letter or _is_audience(rest)):
        return None
    return _Heading(letter, rest.rstrip(":. "))


def _headed_section(heading: _Heading | None, questions: list[QuestionDraft], context: _Context,
                    reading: _Reading) -> SectionDraft:
    """Numbered questions under a heading (or, before any, under none): a section with its audience."""
    if heading is None:
        return SectionDraft("", "", (), tuple(questions))
    addressed = heading.addressed or _is_audience(heading.audience)
    posts = _posts(heading.audience, context) if addressed else ()
    if addressed:
        reading.addressed += 0 if heading.addressed else 1  # a request naming posts is no audience line
        questions = [q if q.posts else replace(q, posts=posts) for q in questions]
    return SectionDraft(heading.letter, heading.audience, posts, tuple(questions))


def _after_introduction(sections: list[SectionDraft]) -> list[SectionDraft]:
    """In a cable that labels its questions (Q1, QUESTION 2), a request before the first of them that asks
    nothing with a question mark introduces them ("Posts are requested to report on FARC finances.")."""
    questions = [q for s in sections for q in s.questions]
    first = next((n for n, q in enumerate(questions) if LABEL_CODE_RE.fullmatch(q.code)), None)
    if first is None:
        return sections
    introductions = {id(q) for q in questions[:first] if not QUESTION_MARK_RE.search(q.text)}
    kept = [replace(s, questions=tuple(q for q in s.questions if id(q) not in introductions)) for s in sections]
    return [s for s in kept if s.questions]


def _labelled_codes(sections: list[SectionDraft]) -> list[SectionDraft]:
    """Questions the cable labels (Q1, QUESTION 2) are coded by their labels; where the labels start again
    in each section, by their section's letter and number ("A.2"), or else their paragraph's number."""
    labels = [q.code for s in sections for q in s.questions if LABEL_CODE_RE.fullmatch(q.code)]
    if len(labels) == len(set(labels)):
        return sections
    return [replace(s, questions=tuple(
        replace(q, code=f"{s.letter}.{q.code[1:]}" if s.letter else q.paragraph)
        if LABEL_CODE_RE.fullmatch(q.code) else q for q in s.questions)) for s in sections]


def _unique_codes(sections: list[SectionDraft]) -> list[SectionDraft]:
    """Codes name questions within their set: one that repeats an earlier code takes its paragraph's
    number, which the parser keeps unique."""
    seen: set[str] = set()
    unique = []
    for section in sections:
        questions = []
        for question in section.questions:
            if question.code in seen:
                question = replace(question, code=question.paragraph)
            seen.add(question.code)
            questions.append(question)
        unique.append(replace(section, questions=tuple(questions)))
    return unique


def _asks(node: _Node, context: _Context) -> bool:
    return _is_question(_without_audience(_question_label(node.text)[1], context)[1], context)


def _requested(top: _Node, context: _Context) -> list[tuple[QuestionDraft, bool]]:
    """The requests for information a numbered paragraph makes in its prose, after background ("In particular,
    we would like to know whether ...", "Any information on X would be welcome"), in a cable that asks for
    reporting: one question each, coded by the paragraph ("2"), or "2.1", "2.2" when it makes several; and
    whether each opens its paragraph (`_without_openers`)."""
    if not (context.asked and context.imperative and top.paragraph.number):
        return []
    audience, rest = _without_audience(top.text, context)
    rest = _clean(rest)
    ends = [0, *(m.end() for m in SENTENCE_END_RE.finditer(rest)), len(rest)]
    sentences = _flat_requests(rest) if context.flat else [rest[a:b].strip() for a, b in pairwise(ends)]
    wanted = [sentence for sentence in sentences
              if WANTED_RE.search(sentence) and not (NOT_WANTED_RE.search(sentence) or NOT_REQUEST_RE.search(sentence)
                                                      or OUTCOME_RE.search(sentence) or DELIVERING_RE.search(sentence))]
    posts = _posts(audience, context) if audience else ()
    return [(QuestionDraft(code=top.label if len(wanted) == 1 else f"{top.label}.{n}",
                           marking=top.marking(context.cable),
                           text=f"{audience}: {sentence}" if audience else sentence, sentences=(sentence,),
                           paragraph=top.paragraph.number or "", audience=audience, posts=posts),
             rest.startswith(sentence))
            for n, sentence in enumerate(wanted, 1)]


# Before a request that `WANTED_RE` finds in flattened prose, the words that open its sentence: who asks, in full
# ("Washington analysts would ..."), after any lead-in ("In particular, we would like to know ..."); and those
# before what "... would be welcome" names ("Any information on ...").
ASKERS_RE = re.compile(r"\b(?:the\s+)?(?:washington|department|departments|inr|usg|interagency)\s+$")
LEAD_IN_RE = re.compile(r"(?:\b(?:in particular|in addition|additionally|also|specifically|finally|furthermore"
                        r"|moreover|separately|similarly|lastly|first|second|third|above all|to that end)\s+)+$")
NAMED_LEAD_RE = re.compile(r"(?:\b(?:any|more|further|additional|also)\s+)+$")
WELCOME_WORDS = frozenset({"welcome", "appreciated", "useful", "helpful", "valuable"})


def _flat_requests(text: str) -> list[str]:
    """Flattened prose has no sentence ends: a request for information (`WANTED_RE`) runs from its start, with the
    words that open its sentence ("in particular we would like to know whether ..."), to the next request or
    the paragraph's end; one that ends "... would be welcome" ends there, and starts at the last thing it names
    ("any information on the terms of these loans would be welcome")."""
    spans = []
    for match in WANTED_RE.finditer(text):
        start, end = match.start(), None
        if match.group().split()[-1].lower() in WELCOME_WORDS:
            start += [m.start() for m in re.finditer(rf"\b{KINDS}\s+{ABOUT}\s", match.group(), re.I)][-1]
            end = match.end()
            lead = NAMED_LEAD_RE.search(text[:start])
        else:
            askers = ASKERS_RE.search(text[:start])
            start = askers.start() if askers else start
            lead = LEAD_IN_RE.search(text[:start])
        spans.append((lead.start() if lead else start, end))
    ends = [end if end is not None else following for (_, end), following in
            zip(spans, [start for start, _ in spans[1:]] + [len(text)])]
    return [text[start:end].strip() for (start, _), end in zip(spans, ends)]


def _without_openers(found: list[_Found], prose: dict[int, bool]) -> list[_Found]:
    """A request in prose that opens its paragraph ahead of the cable's first other question states what the
    questions after it are about ("Washington analysts would appreciate posts' views on European positions
    ahead of the meeting." over sections of questions): it introduces them. Where no other question follows,
    it is the cable's question."""
    questions = [q for f in found for q in (f.questions if isinstance(f, SectionDraft) else f[1])]
    first = next((n for n, q in enumerate(questions) if id(q) not in prose), None)
    if first is None:
        return found
    introductions = {id(q) for q in questions[:first] if prose.get(id(q))}
    kept = [f if isinstance(f, SectionDraft) else (f[0], [q for q in f[1] if id(q) not in introductions])
            for f in found]
    return [f for f in kept if isinstance(f, SectionDraft) or f[1]]


def _question_label(text: str) -> tuple[str, str]:
    """A question's own label as its code ("QUESTION 2:" -> "Q2"), and the rest of its text; ("", text)
    without one."""
    match = QUESTION_LABEL_RE.match(text)
    return (f"Q{int(match.group('q'))}", text[match.end():]) if match else ("", text)


def _loose_section(top: _Node | None, questions: list[QuestionDraft], several: bool, context: _Context,
                   reading: _Reading) -> SectionDraft:
    """Lettered or numbered questions: one section "" (or one per paragraph holding them, by its number:
    "2. FOR GULF POSTS:" over "A. ...?" gives section "2" and question "2.A"; by its own label where it
    has one: "2. Section 1. Respect for ...:" over "A. ...?" gives section "1" and question "1.A")."""
    if top is None:  # numbered questions
        return SectionDraft("", "", (), tuple(questions))
    label, head = _section_label(_clean(top.text))  # "Section 1. Respect for ...:" over "A. ...?": 1.A
    who = _asked_of(head, context, introduction=True) if _introduces(head) else ""  # "Embassy X is requested to:"
    addressed = _is_audience(head) or bool(who)
    titled = _is_title(head) and (bool(label) or not INTRO_RE.search(head))  # "3. (S) Oil output" over "A. ...?"
    audience = who or (_heading(head) if addressed or _is_topic(head) or titled else "")
    posts = _posts(audience, context) if addressed else ()
    if addressed:
        reading.addressed += 0 if who else 1
        questions = [q if q.posts else replace(q, posts=posts) for q in questions]
    letter = (label or top.label) if several or label else ""
    if letter:  # labelled questions keep their labels
        questions = [q if LABEL_CODE_RE.fullmatch(q.code) else replace(q, code=f"{letter}.{q.code}")
                     for q in questions]
    return SectionDraft(letter, audience, posts, tuple(questions))


def _section(letter: _Node, needs: bool, context: _Context, reading: _Reading) -> SectionDraft | None:
    """A lettered section: an audience over question items, or a topic of reporting needs."""
    items = [c for c in letter.children if not _placeholder(c.text) and c.text.strip()]
    listed = None if items else _listed(letter.text, context, single=True)
    if listed:  # "B. (U) FOR LATIN AMERICAN POSTS:" over "(1) (S/NF) WHAT ...?" in its own text
        return _listed_section(letter, letter.label, _list_title(listed[0], context), listed[1], context, reading,
                               introduced=_introduces(listed[0]))
    if _is_audience(letter.text) and items:
        audience = _heading(letter.text)
        posts = _posts(audience, context)
        questions = [_question(item, f"{letter.label}.{item.label}", context, posts=posts) for item in items]
        asking = [item for item in items if _is_question(item.text, context) or context.flat]
        reading.addressed += 1 if len(asking) * 2 >= len(items) else 0
        return SectionDraft(letter.label, audience, posts, tuple(questions))
    if _is_question(_without_audience(letter.text, context)[1], context):
        return None  # a lettered question, not a section
    asking = [item for item in items if _asks_or_lists(item.text, context)]
    if needs or (items and len(asking) * 2 > len(items)):
        if items:
            questions = [_question(item, f"{letter.label}.{item.label}", context)
                         for item in (items if needs else asking) if _substantive(item.text, context)]
        elif needs and _substantive(letter.text, context) and not _placeholder(letter.text):
            questions = [_question(letter, letter.label, context)]
        else:
            questions = []
        if questions:
            reading.needs += 1 if needs else 0
            return SectionDraft(letter.label, _heading(letter.text), (), tuple(questions))
    return None


def _question(node: _Node, code: str, context: _Context, posts: tuple[str, ...] = (),
              parent: QuestionDraft | None = None) -> QuestionDraft:
    label, text = _question_label(node.text)
    audience, rest = _without_audience(text, context)
    audience = audience or _asked_of(rest, context)  # "Embassy Baku is requested to ...": as "For Embassy Baku:"
    own_posts = _posts(audience, context) if audience else ()
    inherited = parent.posts if parent else posts
    return QuestionDraft(
        code=label or code,
        marking=node.marking(context.cable),
        text=_clean(node.text),
        sentences=split_sentences(rest),
        paragraph=node.paragraph.number or "",
        audience=audience,
        posts=own_posts or inherited,
    )


# A question's own label: "Q1:", "Q 1:", "Q1.", "QUESTION 1:", "Question 1 -".
QUESTION_LABEL = r"(?i:q(?:uestion)?)[ \t]?(?P<q>\d{1,2})[ \t]*[:.)\-\u2013]"
QUESTION_LABEL_RE = re.compile(rf"^\s*{QUESTION_LABEL}\s+(?=\S)")
LABEL_CODE_RE = re.compile(r"Q\d{1,2}")  # the code of a labelled question

# An item of a list on lines of its own inside one paragraph: "(1)", "1)", "a)", "a.", "(a)", "A)", "(A)", "i.",
# "(ii)", "Q1:", "--", "-", "*", "\u2022"; its own marking may follow ("(1) (S/NF) WHAT ...?").
LIST_ITEM_RE = re.compile(
    rf"^[ \t]*(?:\((?P<paren>\d{{1,2}}|[ivx]{{2,4}}|[a-zA-Z])\)"
    rf"|(?P<closed>\d{{1,2}}|[ivx]{{2,4}}|[a-z]|[A-Z](?=\)))(?P<close>[).])|{QUESTION_LABEL}"
    r"|(?P<bullet>-{1,3}|\u2022|\*))"
    r"[ \t]+(?:\((?P<mark>[A-Za-z /,-]{1,40})\)[ \t]*)?(?=\S)", re.M)
ROMAN = {numeral: n for n, numeral in enumerate(
    "i ii iii iv v vi vii viii ix x xi xii xiii xiv xv xvi xvii xviii xix xx".split(), 1)}


def _listed(text: str, context: _Context, single: bool = False) -> tuple[str, list[tuple[str, str, str]]] | None:
    """A paragraph that is a heading (an audience, a topic) or an introduction over a list of questions in
    its own text: (the heading, [(label, marking, text) per item]); None unless two or more items, and
    most ask or a request introduces them ("Posts should report on:" over "-- the number of ..."). A
    lettered topic (`single`) may hold one item under its title ("C. (C) Security sector" over "-- What is
    ...?"), a section as much as its siblings with more."""
    text = _unfold_columns(text)
    items = _list_items(text)
    matches = items if len(items) >= 2 else _inline_items(text)  # "REQUIREMENTS: (A) WHO ...? (B) WHAT ...?"
    if not matches and single and len(items) == 1 and _is_title(_section_label(_clean(text[:items[0].start()]))[1]):
        matches = items
    flat = _flat_items(text) if context.flat and not matches else None  # "regarding the port what is ... b how ..."
    if matches:
        head, entries = text[:matches[0].start()].strip(), _entries(text, matches)
        asks = "?" in head
    elif flat:
        head, entries = flat
        asks = bool(_openings(head.split()))  # its question marks are gone: it opens a question
    else:
        return None
    if asks or len(head.split()) > 40 and not head.endswith(":"):
        return None  # a question with its sub-questions, or prose before a list it does not introduce
    if sum(_is_question(body, context) for _, _, body in entries) * 2 <= len(entries) and not _introduces(head):
        return None
    return head, entries


# Where the columns of a table part on its line: a tab, or three spaces or more.
COLUMN_GAP_RE = re.compile(r"[ \t]*(?:\t|   )[ \t]*")
ROW_ENTRY_RE = re.compile(r"^(?:-{1,3}|\u2022|\*|\(?\w{1,3}[).])?[ \t]*[A-Z0-9\"(]")  # "- Energy", "(b) Water", "Food"


def _unfold_columns(text: str) -> str:
    """A list laid out as a table, two or three entries to a line parted by runs of spaces ("- Energy      - Water
    - Migration"), as a list of one entry to a line, in the order of reading. A table is a run of lines one of which
    has columns, each entry short (six words at most) and opening like a list's item or a title, none a heading
    ("Topics:"); where none has a bullet or label, each gets a bullet, so that the table reads as a list either way."""
    if "   " not in text and "\t" not in text:
        return text
    lines = text.split("\n")
    rows = [[cell for cell in COLUMN_GAP_RE.split(line.strip()) if cell] for line in lines]
    entries = [bool(row) and all(len(cell.split()) <= 6 and ROW_ENTRY_RE.match(cell) and not re.search(r"[.?!:]$", cell)
                                 for cell in row) for row in rows]
    out, n = [], 0
    while n < len(lines):
        end = n
        while end < len(lines) and entries[end]:
            end += 1
        if end == n:
            out.append(lines[n])
            n += 1
            continue
        table = rows[n:end]
        if any(len(row) > 1 for row in table):
            cells = [cell for row in table for cell in row]
            labelled = any(_list_items(cell) for cell in cells)
            out += [cell if labelled else f"- {cell}" for cell in cells]
        else:
            out += lines[n:end]
        n = end
    return "\n".join(out)


def _entries(text: str, matches: list[re.Match]) -> list[tuple[str, str, str]]:
    """(label, marking, text) of each item of a list in a paragraph's text."""
    entries = []
    for n, (match, following) in enumerate(zip(matches, [*matches[1:], None], strict=True), 1):
        q = match.group("q")  # "QUESTION 2:" is Q2
        label = match.group("paren") or match.group("closed") or (f"Q{int(q)}" if q else str(n))
        mark = match.group("mark")
        marking = canonical_marking(mark) if mark else ""
        body = text[match.end() if marking is not None else match.start("mark"):
                    following.start() if following else len(text)]
        if following is None:  # the list's end: what follows a blank line, unless a sub-list, is no item's
            body = re.split(r"\n[ \t]*\n(?![ \t]*(?:\(?\w{1,4}[).]|-|\u2022|\*))", body)[0]
        entries.append((label, marking or "", re.sub(r"\s*[;,](?:\s*(?:and|or))?\s*$", "", body.strip())))
    return entries


# A lettered topic on a line of its own inside a paragraph's list: "A. Legal/Policy Framework:".
TOPIC_LINE_RE = re.compile(r"^[ \t]*([A-Z])\.[ \t]+([^\n?]{2,100}?)[ \t]*$", re.M)


def _topics(text: str) -> tuple[str, list[tuple[str, str, str]]] | None:
    """A paragraph's list parted by lettered topic lines ("PART II. STATUS OF ..." over "A. Legal/Policy
    Framework:" over "-- Does ...?" bullets, then "B. Restrictions ...:" over more): (what stands before the
    first topic, [(letter, title, its text)]); None unless titles in sequence from A part the list."""
    lines = [m for m in TOPIC_LINE_RE.finditer(text) if _is_title(m.group(2)) and not m.group(2).endswith(".")]
    topics: list[re.Match] = []
    for line in lines:
        if line.group(1) == chr(ord("A") + len(topics)):
            topics.append(line)
    if not topics or _list_items(text[:topics[0].start()]):
        return None
    ends = [m.start() for m in topics[1:]] + [len(text)]
    return text[:topics[0].start()], [(m.group(1), m.group(2).rstrip(":").strip(), text[m.end():end])
                                      for m, end in zip(topics, ends, strict=True)]


def _list_items(text: str) -> list[re.Match]:
    """The items of a list on lines of their own, marked one way: bullets like the first ("--"), labels
    in sequence from the first ("(a)" "(b)"; "i." "ii."; "A)" "B)"), or question labels ("Q1:"). A line
    marked another way belongs to the item before it: a sub-list ("(1) ...?" over "(a) ...?"), a line
    that opens with a marking ("(S) ...")."""
    items: list[re.Match] = []
    systems: set[str] = set()  # the numberings the labels so far may follow: "number", "lower", "roman"
    for match in LIST_ITEM_RE.finditer(text):
        style = _list_style(match)
        if match.group("bullet") or match.group("q"):
            if not items or style == _list_style(items[0]):
                items.append(match)
            continue
        ordinals = _ordinals(match.group("paren") or match.group("closed"))
        if not items:
            systems = {system for system, n in ordinals.items() if n == 1}
            if systems:
                items.append(match)
            continue
        if style != _list_style(items[0]):
            continue
        previous = _ordinals(items[-1].group("paren") or items[-1].group("closed"))
        following = {system for system in systems if ordinals.get(system) == previous[system] + 1}
        if following:
            systems = following
            items.append(match)
    return items


def _list_style(match: re.Match) -> str:
    """How a list item is marked: its bullet ("--"), "(x)", "x)" or "x.", or "Q" for question labels."""
    if match.group("bullet"):
        return match.group("bullet")
    if match.group("q"):
        return "Q"
    return "()" if match.group("paren") else match.group("close")


def _ordinals(label: str) -> dict[str, int]:
    """The place a list label stands at in each numbering it may belong to: "3" {"number": 3}, "c" {"lower":
    3}, "i" {"lower": 9, "roman": 1}, "ii" {"roman": 2}, "B" {"upper": 2}."""
    if label.isdigit():
        return {"number": int(label)}
    ordinals = {"roman": ROMAN[label]} if label in ROMAN else {}
    if len(label) == 1:
        ordinals["lower" if label.islower() else "upper"] = ord(label.lower()) - ord("a") + 1
    return ordinals


# An item label inside running text, "(A) ", "(b) ", "(3) ", "Q2. ", after the text's start, a colon or a
# sentence end, with the item's own marking perhaps: the same groups as LIST_ITEM_RE.
INLINE_ITEM_RE = re.compile(
    r"(?:^|(?<=[:?.;]\s)|(?<=[:?.;]))\s*(?:\((?P<paren>[A-Za-z]|\d{1,2})\)|(?P<closed>[a-z]|\d{1,2})\)"
    rf"|{QUESTION_LABEL})(?P<bullet>)\s+(?:\((?P<mark>[A-Za-z /,-]{{1,40}})\)[ \t]*)?(?=\S)")


def _inline_items(text: str) -> list[re.Match]:
    """Items labelled in sequence from (A), (a), (1) or Q1 inside running text; [] unless two or more."""
    def kind(match: re.Match) -> str:
        return next(group for group in ("paren", "closed", "q") if match.group(group))

    items: list[re.Match] = []
    for match in INLINE_ITEM_RE.finditer(text):
        label = match.group(kind(match))
        if items and kind(match) != kind(items[-1]):
            continue  # "(1) ... 2) ...": one list is labelled one way
        last = items[-1].group(kind(items[-1])) if items else None
        if last and last.isdigit() != label.isdigit():
            continue  # "(A) ... (1) ...": a list inside an item
        expected = (chr(ord(last) + 1) if not label.isdigit() else str(int(last) + 1)) if last else None
        if (expected is None and label in {"A", "a", "1"}) or label == expected:
            items.append(match)
    return items if len(items) >= 2 else []


def _listed_section(node: _Node, letter: str, head: str, entries: list[tuple[str, str, str]], context: _Context,
                    reading: _Reading, introduced: bool = False) -> SectionDraft:
    """A paragraph's own list of questions as a section: its heading the audience (and the posts it names)
    or the topic; each item a question coded by the section's letter and its label. The marking of a
    paragraph that a request opens (`introduced`, "FOR BISHKEK: Post should report on:") covers its items."""
    audience = head if _is_audience(head) or introduced else ""  # an introduction's title is whom it asks
    posts = _posts(audience, context) if audience else ()
    named = introduced and not _without_audience(node.text, context)[0]  # "Embassy X is requested to report on:"
    reading.addressed += 1 if _is_audience(head) and not named else 0  # a request naming posts is no audience line
    # a heading's marking is the heading's alone
    inherited = node.marking(context.cable, headed=bool(head) and not introduced, listing=True)
    return SectionDraft(letter, audience or head, posts, tuple(
        _listed_question(node, label if LABEL_CODE_RE.fullmatch(label) else f"{letter}.{label}", marking or inherited,
                         text, context, posts)
        for label, marking, text in entries))


def _listed_question(node: _Node, code: str, marking: str, text: str, context: _Context,
                     posts: tuple[str, ...]) -> QuestionDraft:
    audience, rest = _without_audience(text, context)
    audience = audience or _asked_of(rest, context)
    return QuestionDraft(
        code=code,
        marking=marking,
        text=_clean(text),
        sentences=split_sentences(rest),
        paragraph=node.paragraph.number or "",
        audience=audience,
        posts=(_posts(audience, context) if audience else ()) or posts,
    )


def _posts(audience: str, context: _Context, named_before: list[str] | None = None) -> tuple[str, ...]:
    """The posts an audience names, among the cable's action and information addressees alike (for "all
    other addressees", those the audiences before it did not name: `named_before`)."""
    return audience_posts(audience, context.cable.to, context.cable.info, named_before or ())


def _is_audience(text: str) -> bool:
    """An audience line and nothing else: "FOR IRAN WATCHERS ... (IRPO):", "for latin american posts"
    (flattened), "ALL ADDRESSEES:"; not "For Havana watchers: contacts saw no new credit line."."""
    text = _clean(text)
    if not text or "?" in text or len(text.split()) > 25 or not (
            AUDIENCE_LINE_RE.search(text.rstrip(":")) or _names_posts(text.rstrip(":"))):
        return False
    return text.endswith(":") if ":" in text else len(text.split()) <= 15 and not text.endswith(".")


def _is_heading_line(text: str) -> bool:
    return _is_audience(text) or _is_topic(text)


def _is_topic(text: str) -> bool:
    """A topic over lettered questions and nothing else: "Financing:", "(S) Navy collusion:"."""
    text = _clean(text)
    return text.endswith(":") and "?" not in text and len(text.split()) <= 12 and ". " not in text


def _is_title(text: str) -> bool:
    """A title and nothing else, with or without a colon: "Darfur Peace Process", "(C) Security sector"."""
    text = _clean(text)
    return bool(text) and "?" not in text and len(text.split()) <= 12 and ". " not in text


def _without_audience(text: str, context: _Context) -> tuple[str, str]:
    """A question's own audience ("FOR HAVANA AND MOSCOW") and the rest of its text."""
    match = AUDIENCE_PREFIX_RE.match(text)
    if match and (AUDIENCE_WORDS_RE.search(match.group(1)) or audience_posts(match.group(1), context.cable.to)
                  or _names_places(match.group(1)[4:])):
        return _clean(match.group(1)), text[match.end():]  # not "FOR EXAMPLE: ..."; "FOR HAVANA:" under a collective
    match = POSTS_PREFIX_RE.match(text)
    if match and _names_posts(match.group(1)):  # "Embassy Baku: Please ascertain ...", "USUN: What ...?"
        return _clean(match.group(1)), text[match.end():]
    start = 1 if re.match(r"\s*for\s", text) else 0  # flattened, no colon: the addressees' names that follow
    if context.flat and (start or re.match(rf"\s*(?:{POST_WORDS}|{MISSION_CODES})\s", text, re.I)):
        words = text.split()
        places = {w for post in context.cable.to for w in _words(post).split()} - {"amembassy", "amconsul", "usint"}
        end = start or 1
        while end < len(words) and (words[end] in places or words[end] in AUDIENCE_JOINS):
            end += 1
        while end > start + 1 and words[end - 1] not in places and words[end - 1] != "posts":
            end -= 1  # "for moscow and | ...", "for embassy moscow | embassy officers should ..."
        # not "embassy baku | is requested to ...": the subject of a request, whose sentence goes on
        goes_on = not start and end < len(words) and words[end] in AUX | {"also", "to"}
        if end > 1 and any(w in places for w in words[start:end]) and not goes_on:
            return " ".join(words[:end]), " ".join(words[end:])
    return "", text


# Words an audience joins the addressees' names with: "for embassy paris and embassy berlin", "for all posts".
AUDIENCE_JOINS = frozenset({"and", "or", "all", "posts", "embassy", "embassies", "consulate", "consulates", "mission",
                            "missions", "amembassy", "amconsul", "usint", "other"})


POST_WORDS = r"(?:embass(?:y|ies)|consulates?|missions?|usint)"
POST_JOINS = frozenset({"embassy", "embassies", "consulate", "consulates", "general", "mission", "missions", "usint",
                        "and", "or", "the"})


def _names_posts(text: str) -> bool:
    """ "Embassy Baku", "Consulates Shanghai and Guangzhou", "USUN", "Mission Russia": posts, by the words that
    name posts and their places, and nothing else; not "Embassy comment", nor a place alone ("Iran": a topic)."""
    words = _words(text)
    if not re.match(rf" (?:{POST_WORDS}|{MISSION_CODES}) ", words):
        return False
    rest = re.sub(rf"(?<= ){MISSION_CODES}(?= )", " ", PLACE_NAMES_RE.sub(" ", words))
    return rest != words and not set(rest.split()) - POST_JOINS


def _names_places(text: str) -> bool:
    """ "HAVANA AND MOSCOW", "Caracas, Quito and La Paz": places and nothing else, whoever the TO list names
    (a collective, or none on a partial page)."""
    words = _words(text)
    rest = PLACE_NAMES_RE.sub(" ", words)
    return rest != words and not set(rest.split()) - {"and", "or", "embassy", "consulate", "post", "posts"}


def _is_needs_heading(text: str) -> bool:
    """A paragraph that introduces reporting needs: "Reporting and collection needs:", "Collection
    requirements and tasking" (its first line; a glossary may follow)."""
    head = re.split(r"\n\s*\n|:", text.strip(), maxsplit=1)[0].split()
    return bool(NEEDS_RE.search(" ".join(head[:6])))  # the flattened form runs the heading into its text


def _is_question(text: str, context: _Context) -> bool:
    """A paragraph that asks: it ends in questions (what follows the last "?" is short, not an answer), or
    (`imperative`) it opens with a request ("Please describe ..."); in the flattened form, it opens like a
    question, or holds a lettered list that asks."""
    text = _clean(text)
    if not text:
        return False
    marks = _asked_marks(text)
    if marks:
        tail = text[marks[-1].end():].strip()
        if ANSWER_RE.match(tail):
            return False
        # what follows the last question: a few words, a request ("Please provide numbers ..."), or, in a
        # cable that asks for reporting, background to a question the paragraph opens with
        return (len(tail.split()) <= 30 or bool(REQUEST_RE.match(tail))
                or context.asked and len(text[:marks[0].end()].split()) <= 40)
    request = context.imperative and _is_request(text)  # "Please describe ...", "posts should describe ..."
    if not context.flat:
        return request
    # flattened: a request; or it opens like a question, or with a condition ("if there are plans who ...");
    # or it holds a list of questions whose labels are all that is left of its punctuation ("b how many ...")
    words = text.lower().split()
    return (request or _opens(words, 0, None) or (words[0] == "if" and bool(WH & set(words[1:10])))
            or _flat_list_asks(text, context))


def _is_request(text: str) -> bool:
    """A request for reporting phrased as an instruction ("Please describe ...", "Posts should report on
    arms sales"); not one about the replies, one that introduces a list, or a demarche's closing."""
    return (bool(REQUEST_RE.match(text)) and not NOT_REQUEST_RE.search(text[:120]) and not INTRODUCES_RE.search(text)
            and not OUTCOME_RE.search(text) and not ANSWERING_RE.search(text))


# Questions a text reports rather than asks: an interlocutor's ("he asked whether ...?", "When asked if ...?"),
# quoted ("\"Will Washington stand by us?\" he asked"), or the writer's own heading over what he says next
# ("What next?", "Why does this matter?"). Not "Posts are asked to find out whether ...?": a request.
REPORTING_RE = re.compile(r"\b(?:ask(?:ed|ing|s)?|wonder(?:ed|ing|s)?|inquir(?:ed|ing|es)|quer(?:ied|ying)"
                          r"|demand(?:ed|ing)|want(?:ed|ing) to know)\b(?!\s+to\b)", re.I)
CABLE_VOICE = frozenset({"department", "washington", "analysts", "inr"})  # "Analysts ask: who ...?" asks posts
# A sentence's end: not the full stop of an initial ("U.S. would").
SENTENCE_END_RE = re.compile(r"(?:(?<!\b[A-Za-z])\.|[!?])[\"'\u201d\u2019)]*\s+(?=[\"'\u201c(]?[A-Z0-9])")
QUOTE_RE = re.compile(r"[\"\u201c\u201d]")
SELF_WORDS = frozenset({"this", "that", "it", "next", "now", "here", "so", "we", "us"})  # "Why does this matter?"


def _asked_marks(text: str) -> list[re.Match]:
    """The question marks of a text that end questions it asks: not those it reports or quotes, nor a
    rhetorical heading it opens with ("What next? The Department will ...")."""
    marks = []
    for mark in QUESTION_MARK_RE.finditer(text):
        before = text[:mark.start()]
        sentence = before[max([0, *(m.end() for m in SENTENCE_END_RE.finditer(before))]):]
        if not _reported(sentence) and not _quoted(text, mark):
            marks.append(mark)
    if marks and _rhetorical_heading(text, marks[0]):
        marks.pop(0)
    return marks


def _reported(sentence: str) -> bool:
    """A sentence that tells of someone asking ("He asked whether ...", "When asked if ..."); not one that
    asks itself ("Has the minister asked whether ...?") or in the cable's own voice ("Analysts ask: ...")."""
    reporting = REPORTING_RE.search(sentence)
    if not reporting:
        return False
    words = re.findall(r"[a-z']+", sentence.lower())
    asks = words[0] in WH | AUX | {"if", "and", "or", "but"} and not (
        len(words) > 1 and REPORTING_RE.fullmatch(words[1]))
    return not asks and not CABLE_VOICE & set(re.findall(r"[a-z]+", sentence[:reporting.start()].lower()))


def _quoted(text: str, mark: re.Match) -> bool:
    """A question that is a quotation, opening like one: someone's words ("\"Who gave them arms?\" he
    asked"), not a term the cable quotes ('the known Hizballah "clans?"')."""
    if not QUOTE_RE.search(text[mark.start() + 1:mark.end()]):
        return False
    opening = [m.end() for m in QUOTE_RE.finditer(text, 0, mark.start())]
    words = re.findall(r"[A-Za-z']+", text[opening[-1]:mark.start()].lower()) if opening else []
    return len(words) >= 2 and words[0] in WH | AUX


def _rhetorical_heading(text: str, first: re.Match) -> bool:
    """A paragraph that opens with a question of a few words about itself ("What next?", "Why does this
    matter?") and goes on in statements, not requests: a heading the writer answers."""
    words = re.findall(r"[A-Za-z']+", text[:first.end()].lower())
    rest = text[first.end():].strip()
    return len(words) <= 5 and bool(SELF_WORDS & set(words)) and bool(rest) and not REQUEST_RE.match(rest)


FACETS_RE = re.compile(r"\b(?:including|includ(?:es|ing) but not limited to|such as|in particular|particularly|"
                       r"especially|for example|e\.g)\W*$", re.I)


def _introduces(head: str) -> bool:
    """An introduction that asks posts to report on the items listed after it: a request, perhaps after
    other instructions, that ends in a colon or points at what follows ("Please cite C-RE0-00417 in the
    subject line. Posts should report on the following questions:"); not talking points to deliver, nor
    a date to reply by."""
    head = _clean(head)
    if not head or not (INTRODUCES_RE.search(head) or OPEN_REQUEST_RE.search(head[-40:])):
        return False
    request = _last_sentence(head)
    if FACETS_RE.search(request):  # "Please describe X, including:": the items are aspects of one question
        return False
    return bool(REQUEST_RE.match(request) or COLLECTING_RE.search(request)) and not (
        NOT_REQUEST_RE.search(request) or DELIVERING_RE.search(request) or OUTCOME_RE.search(request))


ENDS_INTRODUCING_RE = re.compile(rf"\b(?:the\s+following|below|as\s+follows|that\s+follow)(?:\s+{LISTED_THINGS})?\W*$",
                                 re.I)


def _ends_introducing(text: str) -> bool:
    """An introduction that ends its paragraph, the list it introduces after it: "... is requested to report on the
    following questions:"; not the flattened form's "... on the following strikes at factories since May ..."."""
    tail = _clean(text[-120:])
    return tail.endswith(":") or bool(OPEN_REQUEST_RE.search(tail[-40:]) or ENDS_INTRODUCING_RE.search(tail))


def _last_sentence(text: str) -> str:
    ends = [m.end() for m in SENTENCE_END_RE.finditer(text)]
    return text[ends[-1] if ends else 0:].rstrip(" :.")


# A request whose subject names the posts it asks, anywhere in a sentence ("ACTION REQUEST: Embassy Beijing and
# Consulate Shenyang are requested to report on the following").
ASKED_OF_RE = re.compile(
    rf"\b(?P<who>{NAMED_POSTS}),?\s+(?:(?:is|are)\s+(?:also\s+)?(?:requested|asked|tasked|invited|instructed){ASIDE}\s+to"
    rf"|should|must|(?:is|are)\s+to)\s+(?:also\s+)?(?:please\s+)?{COLLECT}\b", re.I)


def _asked_of(text: str, context: _Context, introduction: bool = False) -> str:
    """The posts a request names as its subject, as its audience: "Embassy Baku" for "Embassy Baku is requested
    to ascertain ...", "Posts in the Gulf", "USUN should seek ...", "All other addressees"; "" for a request of
    every addressee ("Posts are requested to ...", "Embassy officers should ..."). A question's request opens its
    text; an `introduction`'s is its last sentence ("... Embassy Bishkek is requested to report on the following:")."""
    text = _clean(text)
    match = ASKED_OF_RE.search(_last_sentence(text)) if introduction else REQUEST_RE.match(text)
    who = match and (match.group("who") or (None if introduction else match.group("whom")))
    if not who or not (is_others(who) or _posts(who, context)):
        return ""
    return who


def _requirement(text: str) -> bool:
    """An item that a request before it makes a requirement: text that is no heading nor placeholder."""
    return bool(_clean(text)) and not _placeholder(text) and not _is_heading_line(text)


def _asks_or_lists(text: str, context: _Context) -> bool:
    return _is_question(text, context) or bool(BULLET_RE.search(text)) or len(_lettered_items(text)) >= 2


def _substantive(text: str, context: _Context) -> bool:
    """A need with content: bullets, sub-items, questions or a sentence ("Status of Abyei boundary arbitration
    and force deployments in the area. (MCAP-3)"), not a bare title ("Trade (TRAD-4)"); the flattened form
    has lost its bullets and full stops, so there any text past a title will do."""
    if _placeholder(text):
        return False
    return _asks_or_lists(text, context) or _is_sentence(text) or (context.flat and len(text.split()) >= 6)


NIPF_CODE_RE = re.compile(r"\(\s*[A-Z]{3,5}\s*-\s*\d{1,2}[A-Z]?\s*\)[.:]?\s*$")  # "(DEPS-3)" closing a need


def _is_sentence(text: str) -> bool:
    """A need written as a sentence: a full stop before its NIPF code ("... census disputes. (DEPS-3)"), or
    ten words or more; a title has neither ("Democratic Practice and the Rule of Law (DEPS-3)")."""
    text = _clean(text)
    words = NIPF_CODE_RE.sub("", text).strip()
    return len(words.split()) >= 10 or words != text and words.endswith(".")


def _placeholder(text: str) -> bool:
    """A placeholder ("GRPO can provide text", "Reserved"), or an instruction to cite the collection reference
    that asks nothing else (the closing paragraph, which the flattened form may number as the last item)."""
    text = _clean(text)
    return bool(PLACEHOLDER_RE.search(text)) or "?" not in text and _cites_only(text)


def _cites_only(text: str) -> bool:
    """ "Please cite C-AF9-01012 in the subject line of any reporting.": one sentence asking to cite it."""
    return (len(text.split()) <= 30 and "please cite" in _phrases(text.lower())
            and not SENTENCE_END_RE.search(text) and not _is_request(text))


def _heading(text: str) -> str:
    """A section's audience or topic: its first line, without the closing colon or full stop. The
    flattened form runs a topic into its needs: there it ends at the topic's code ("infr4") or after
    ten words."""
    head = _clean(re.split(r"\n\s*-|\n\s*\n", text.strip(), maxsplit=1)[0]).rstrip(":.").strip()
    words = head.split()
    if len(words) > 12:
        code = next((i for i, w in enumerate(words[:12]) if re.fullmatch(r"[a-z]{3,5}\d{1,2}[a-z]?", w)), 9)
        head = " ".join(words[:code + 1])
    return head


def _list_title(head: str, context: _Context) -> str:
    """What stands before a paragraph's own list, as its section's audience or topic: a heading line
    ("FOR LATIN AMERICAN POSTS:", "Prevention:"); none for an introduction in sentences ("Washington
    analysts ... would appreciate any information on the following questions:"), but the audience it
    opens with ("FOR BISHKEK: Post should report on:")."""
    if _introduces(head):
        return _without_audience(head, context)[0] or _asked_of(head, context, introduction=True)
    rest = _section_label(_clean(head))[1]  # "Section 1. Respect for ...:" is titled
    titled = _is_audience(head) or len(rest.split()) <= 12 and ". " not in rest and not INTRO_RE.search(head)
    return _heading(head) if titled else ""


INTRO_RE = re.compile(r"\b(?:would|please|should|following|appreciate|requests?|asks?)\b", re.I)


def _clean(text: str) -> str:
    return re.sub(r"\s+", " ", text or "").strip()


def _words(text: str) -> str:
    """Lower-case words separated by single spaces: the written and the flattened forms read alike."""
    return " " + re.sub(r"[^a-z0-9]+", " ", (text or "").lower()).strip() + " "


# ----------------------------------------------------------------------------- flattened directives

TOPIC_CODE_RE = re.compile(r"^[a-z]{3,5}\d{1,2}[a-z]?$")  # "terr2", "infr4": the NIPF code after each issue


def _flat_needs(cable: ParsedCable) -> list[SectionDraft]:
    """A HUMINT collection directive flattened to words has lost the lines its topics ("A. Terrorism and
    Crime") and items ("1) Terrorist Threats and Activities (TERR-2)") stood on; the items are still known
    by their numbers followed, within a few words, by an NIPF code ("1 terrorist threats and activities
    terr2 information on ..."), the topics by the letter before an item 1. One question per item, coded
    "A.1", in its topic's section."""
    sections: list[SectionDraft] = []
    for paragraph in cable.paragraphs:
        match = NEEDS_RE.search(paragraph.text)
        if not match:
            continue
        words = paragraph.text[match.end():].split()
        classified = canonical_marking(canonical_classification(cable.classification) or "") or ""
        marking = paragraph.marking or _stricter(classified, _held_marking(cable, paragraph))
        for letter, topic, items in _flat_outline(words):
            questions = tuple(
                QuestionDraft(code=f"{letter}.{number}", marking=marking, text=text,
                              sentences=(text[text.find(code) + len(code):].strip() or text,),
                              paragraph=paragraph.number or "")
                for number, text, code in items if not _placeholder(text))
            if questions:
                sections.append(SectionDraft(letter, topic, (), questions))
        if sections:
            break
    return sections


def _flat_outline(words: list[str]) -> list[tuple[str, str, list[tuple[int, str, str]]]]:
    """[(topic letter, topic title, [(item number, item text, its code)])] read from flattened words."""
    def item_code(i: int) -> str | None:
        return next((w for w in words[i + 1:i + 13] if TOPIC_CODE_RE.match(w)), None)

    outline: list[tuple[str, str, list[tuple[int, str, str]]]] = []
    starts: list[tuple[int, int, str]] = []  # (word index, item number, code) of each item, in order
    expected, next_letter, i = 1, "a", 0
    while i < len(words):
        word = words[i]
        one = next((k for k in range(i + 1, min(i + 15, len(words))) if words[k] == "1"), None)
        if word == next_letter and one is not None and item_code(one):
            outline.append((word.upper(), " ".join(words[i + 1:one]), []))
            starts.append((i, 0, ""))  # a topic's start ends the item before it
            next_letter, expected, i = chr(ord(word) + 1), 1, one
            continue
        if outline and word == str(expected) and (code := item_code(i)):
            starts.append((i, expected, code))
            expected += 1
        i += 1
    starts.append((len(words), 0, ""))
    topic = -1
    for (start, number, code), (end, _, _) in pairwise(starts):
        if not number:
            topic += 1
            continue
        outline[topic][2].append((number, " ".join(words[start + 1:end]), code))
    return outline


# ----------------------------------------------------------------------------- sentences

WH = frozenset({"what", "who", "whom", "whose", "which", "when", "where", "why", "how"})
AUX = frozenset({"is", "are", "was", "were", "has", "have", "had", "do", "does", "did", "can", "could", "will",
                 "would", "should", "may", "might", "must", "shall"})
PREPOSITIONS = frozenset({"to", "in", "for", "with", "from", "by", "at", "on", "under", "of"})
SUBJECTS = frozenset({"there", "it", "any", "the", "these", "those", "this", "its", "their", "our", "we", "you",
                      "they", "he", "she", "his", "her", "such", "all", "some", "other", "others", "anyone",
                      "anything", "either", "each", "host", "local"})
DETERMINERS = frozenset({"the", "these", "those", "this", "that", "its", "their", "his", "her", "any", "some"})
# After these a question word is inside a clause ("know what", "and where"), not opening a question.
CLAUSE_WORDS = frozenset({
    "and", "or", "but", "nor", "of", "on", "about", "to", "in", "into", "for", "from", "with", "by", "at", "as",
    "than", "that", "whether", "if", "know", "knows", "known", "knowing", "see", "seen", "regarding",
    "concerning", "including", "determine", "explain", "describe", "understand", "show", "shows", "indicate",
    "ask", "asked", "tell", "told", "learn", "learned", "clear", "unclear", "sure", "decide", "matter", "assess",
    "discuss", "upon", "under", "over", "between", "among", "the", "a", "an", "not", "no",
    "exactly", "precisely", *WH, *AUX,
})
CLAUSE_OPENERS = frozenset({"that", "which", "who", "whom", "whether", "if", "because", "since", "although",
                            "while", "where", "when"})


def split_sentences(text: str) -> tuple[str, ...]:
    """A question item's individual questions: split at question marks where the text has them, and at
    question openings (what, who, how, is there, does ...) where it has none (the flattened form).

    An item of reporting needs ("Terrorist Threats (TERR-2)" over "- Information on ..." bullets, or
    a) b) sub-items) gives its bullets, without the title before them or a country list after them."""
    bullets = _bullets(text)
    listed = bullets or _lettered_items(text)
    if listed:
        if bullets:
            lead = _clean(re.split(r"(?m)^\s*(?:-{1,3}|\u2022|\*|\(?[a-z]\))\s", text, maxsplit=1)[0])
        else:  # what precedes a), on a line of its own or in the running text: "WHAT IS ...? (a) WHEN ...?"
            lead = _clean(text[:_lettered_marks(text)[0].start()])
        asks = lead and QUESTION_MARK_RE.search(lead) and lead not in listed[0]
        return tuple([lead, *listed] if asks else listed)  # "WHAT IS ...? (a) HOW MANY ...? (b) ..."
    text = _clean(text)
    if not text:
        return ()
    marks = list(QUESTION_MARK_RE.finditer(text))
    if marks:
        sentences, start = [], 0
        for mark in marks:
            sentences.append(text[start:mark.end()].strip())
            start = mark.end()
        tail = text[start:].strip()
        return tuple(s for s in [*sentences, tail] if s)
    if re.search(r"[.,;:!]", text):
        return (text,)  # punctuated, but asks no question: one sentence
    words = text.split()
    labelled = _flat_labelled(words)
    if labelled:  # "what is the status of the railway when will ... b who finances it c whether ...": its items
        head, items = labelled
        lead = _split_at_openings(" ".join(words[:head])) if _openings(words[:head]) else ()
        return (*lead, *_flat_bodies(words, items))
    return _split_at_openings(text)


def _bullets(text: str) -> list[str]:
    """The "-"/"--" bullets of a need, each with the lines that continue it; a blank line or a label
    line ("Countries: ...") ends the last. A line opening "--THE MFA" after an unfinished line is the
    sentence going on after a dash, not a bullet."""
    if not BULLET_RE.search(text):
        return []
    bullets: list[list[str]] = []
    previous, previous_bullet = "", False
    for line in text.splitlines():
        bullet = bool(BULLET_RE.match(line)) and (
            bool(re.match(r"^\s*(?:-{1,3}|\u2022|\*)\s", line)) or previous_bullet or not previous.strip()
            or bool(re.search(r"[.;:?!)\]]\s*$", previous)))
        previous, previous_bullet = line, bullet
        if bullet:
            bullets.append([BULLET_RE.sub("", line, count=1)])
        elif bullets and line.strip() and not re.match(r"^\s*[A-Z][A-Za-z ]{2,40}:\s", line) and bullets[-1]:
            bullets[-1].append(line)
        elif bullets:
            bullets.append([])  # closed: what follows is no part of a bullet
    return [_clean(" ".join(b)) for b in bullets if b and _clean(" ".join(b))]


def _lettered_marks(text: str) -> list[re.Match]:
    """The labels of sub-items lettered a), b), c) in sequence from a)."""
    marks, expected = [], "a"
    for match in re.finditer(r"(?:^|(?<=[\s:;,.]))\(?([a-z])\)\s+", text, re.M):
        if match.group(1) == expected:
            marks.append(match)
            expected = chr(ord(expected) + 1)
    return marks


def _lettered_items(text: str) -> list[str]:
    """Sub-items lettered a), b), c) inside a need, in sequence from a)."""
    marks = _lettered_marks(text)
    if len(marks) < 2:
        return []
    items = []
    for match, following in zip(marks, [*marks[1:], None], strict=True):
        item = text[match.end(): following.start() if following else len(text)]
        item = re.split(r"\n\s*\n|\n\s*[A-Z][A-Za-z ]{2,40}:\s", item)[0]
        items.append(re.sub(r"[;,]?\s*(?:\band|\bor)?$", "", _clean(item)).strip())
    return [i for i in items if i]


def _split_at_openings(text: str) -> tuple[str, ...]:
    """Flattened text: cut before each question opening; what precedes the first stays with it."""
    words = text.split()
    starts = [0, *(i for i in _openings(words) if i)]
    if len(starts) > 1 and not (WH | AUX) & set(words[:starts[1]]):
        starts.pop(1)  # "specifically regarding venezuela what is ...": a lead that asks nothing joins its question
    starts = [a for n, a in enumerate(starts)  # "if there are plans ... | who authorized them": one question
              if not (n and words[starts[n - 1]] == "if" and words[starts[n - 1] + 1] not in {"so", "not"})]
    return tuple(" ".join(words[a:b]) for a, b in zip(starts, [*starts[1:], len(words)], strict=True))


@dataclass
class _Sentence:
    """What the current sentence has seen. A question word fronting it ("what ... is iran pursuing")
    takes the first auxiliary of its first dozen words, which so opens no new question."""

    start: int
    fronted: bool
    aux_seen: bool

    @classmethod
    def at(cls, words: list[str], i: int) -> _Sentence:
        first = words[i] if i < len(words) else ""
        following = words[i + 1] if i + 1 < len(words) else ""
        fronted = first in WH or (first in PREPOSITIONS and following in WH)
        return cls(i, fronted, first in AUX or (first in WH and following in AUX))

    def take(self, word: str, i: int) -> None:
        if word in AUX:
            self.aux_seen = True
        elif word in WH and not self.aux_seen and i - self.start <= 4:
            self.fronted = True  # "if not, under what laws can ...", "if so, what ..."


def _opens(words: list[str], i: int, state: _Sentence | None) -> bool:
    """Whether a question opens at words[i] (state None: at the start of a text, anything question-like)."""
    word = words[i]
    following = words[i + 1] if i + 1 < len(words) else ""
    after = words[i + 2] if i + 2 < len(words) else ""
    if state is None:
        return word in WH or (word in AUX and following not in {"not", ""}) or (
            word == "if" and following in {"so", "not"}) or (word in PREPOSITIONS and following in WH) or (
            word == "and" and following == "if")
    previous = words[i - 1]
    if previous in CLAUSE_WORDS or words[max(0, i - 2):i] == ["if", "so"]:
        return False
    if word == "and":
        return following == "if" and after == "so"
    if word == "if":  # "if so", "if not"; or a condition leading the next question ("if detained, for how long")
        return following in {"so", "not"} or (
            state.aux_seen and i - state.start >= 3 and bool(WH & set(words[i + 2:i + 8])))
    if word in PREPOSITIONS:
        return following in {"what", "which", "whom", "whose"} or (
            following == "how" and after in {"long", "much", "many", "far", "often"})
    if word in {"what", "why", "how"}:
        return True
    if word in {"who", "which", "whose"}:
        return following not in AUX or after in DETERMINERS
    if word in {"where", "when"}:
        return following in AUX
    if word in AUX:
        return _aux_opens(words, i, state)
    return False


def _aux_opens(words: list[str], i: int, state: _Sentence) -> bool:
    """An auxiliary opens a yes/no question ("... region | is there any", "... farc | are iranian
    officials") when its subject follows it, unless it is the verb of the sentence it stands in."""
    following = words[i + 1] if i + 1 < len(words) else ""
    length = i - state.start
    verb = any(re.search(r"(?:ed|ing)$", w) for w in words[state.start + 1:i])
    if (state.fronted and not state.aux_seen and length < 12) or (length < 4 and not verb):
        return False  # "what ... is iran pursuing", "does tehran have" (but "are victims fined | are ...")
    if CLAUSE_OPENERS & set(words[max(0, i - 3):i]):
        return False  # "indications that these efforts have"
    if following in SUBJECTS or _is_place(following.upper()):
        return True
    if re.search(r"(?:ly|ed|ing)$", following) or following in CLAUSE_WORDS:
        return False  # "relationships are developing", "have effectively fostered"
    if words[i] in {"do", "does", "did"} and state.aux_seen:
        return True  # a sentence that has its auxiliary: "do" starts the next one
    return any(re.search(r"(?:ed|ing)$", w) for w in words[i + 2:i + 4])


# ----------------------------------------------------------------------------- flattened lists

# Words after which a single letter or a number names something ("ref b", "plan b", "annex c"), no list item.
NOT_BEFORE_LABEL = frozenset("ref refs reftel reftels para paras paragraph paragraphs section sections part parts "
                             "annex appendix tab plan category class type group tier option article item items point "
                             "points and or vitamin hepatitis grade phase schedule list".split())
DROPPED_LETTERS = "ae"  # the flattened form drops "a" and "e" as words: items (a) and (e) lose their labels
# The end of an introduction to a list: "... report on the following questions", "... as follows".
INTRODUCTION_RE = re.compile(rf"\b(?:the following|below|as follows|that follow)(?: {LISTED_THINGS})?\b")
# An introduction to topics, which open like no question: the flattened form cannot tell where each ends.
TOPICS_RE = re.compile(r"\b(?:topics|issues|areas|subjects|items|points|requirements)$")
# What starts no item of a list, so that what follows an introduction up to the first item is not one:
# "the following as time and resources permit what is ...". Not "the ...", "whether ...", "what ...".
NOT_ITEM_START = CLAUSE_WORDS - DETERMINERS - WH - AUX - {"a", "an", "whether", "if"}


def _flat_items(text: str) -> tuple[str, list[tuple[str, str, str]]] | None:
    """A flattened paragraph's own list, its lines and punctuation gone: (the text before it, [(label, marking,
    text) per item]), as `_listed` gives a written one; None when it holds none. The items are known by labels
    left as words ("q1 ... q2 ...", "b how many ... c whether ..."), or, after an introduction ("posts should
    report on the following ..."), by where questions open."""
    words = text.split()
    found = _flat_labelled(words) or _flat_introduced(words)
    if found is None:
        return None
    head, items = found
    entries = [(label, marking, body) for (_, label, marking, _), body in zip(items, _flat_bodies(words, items),
                                                                                strict=True)]
    return " ".join(words[:head]), [entry for entry in entries if entry[2]]


def _flat_bodies(words: list[str], items: list[tuple[int, str, str, int]]) -> list[str]:
    """The text of each item: from its start to the next item's label."""
    ends = [at for at, *_ in items[1:]] + [len(words)]
    return [" ".join(words[start:end]) for (*_, start), end in zip(items, ends, strict=True)]


def _flat_labelled(words: list[str]) -> tuple[int, list[tuple[int, str, str, int]]] | None:
    """Items labelled "q1", "q2" ("Q1:") or "b", "c" ("(b)", "(c)"), in sequence, each opening a question or a
    request: (where the list starts, [(label's index, label, its marking, where its text starts)]). The label of
    item (a) is lost with the other one-letter words: that item opens with the last question (or else the first
    request) before "b", after any introduction; what precedes it is the paragraph's own."""
    for kind in ("q", "letter"):
        labels = _flat_labels(words, kind)
        if kind == "letter":
            labels = _topic_labels(words, labels) or labels
        if kind == "q" and len(labels) >= 2:
            return labels[0][0], labels
        if kind == "letter" and labels and labels[0][1] == "a" and len(labels) >= 2:
            return labels[0][0], labels
        if kind == "letter" and labels and labels[0][1] == "b":
            start = _first_item_start(words[:labels[0][0]])
            if start is not None:
                return start, [(start, "a", "", start), *labels]
    return _lone_item(words)


def _lone_item(words: list[str]) -> tuple[int, list[tuple[int, str, str, int]]] | None:
    """A topic's one item, whose label "a" the flattened form lost but whose marking it kept: "oil output c what is
    current output" ("Oil output" over "A. (C) What is current output ...?"). The topic is a few words that are no
    clause's; the item opens a question or a request after the marking."""
    for k in range(1, min(5, len(words) - 1)):
        if words[k - 1] in CLAUSE_WORDS | SUBJECTS:
            return None
        if words[k] in FLAT_MARKINGS and _item_opens(words, k + 1):
            return k, [(k, "a", canonical_marking(words[k]) or "", k + 1)]
    return None


def _topic_labels(words: list[str], asking: list[tuple[int, str, str, int]]) -> list[tuple[int, str, str, int]]:
    """Letter labels in sequence from "b" whose items need not open a question or a request (topics: "b the role
    of charities ... c any links ..."), where the list is known to be one: an introduction stands before its
    first label ("report on the following ... b ..."), or the first label opens a question (`asking`, those that
    do). [] unless two or more, each item two words long or more."""
    labels = _flat_labels(words, "letter", topics=True)
    if len(labels) < 2 or labels[0][1] != "b" or any(b - a < 3 for (a, *_), (b, *_) in pairwise(labels)):
        return []
    introduced = bool(INTRODUCTION_RE.search(" ".join(words[:labels[0][0]])))
    return labels if introduced or asking and asking[0][0] == labels[0][0] else []


def _flat_labels(words: list[str], kind: str, topics: bool = False) -> list[tuple[int, str, str, int]]:
    """Labels of one kind in sequence from the first, each followed (after its own marking, perhaps: "b cnf")
    by a question or a request; by anything (`topics`) but "a", which must open a question."""
    labels: list[tuple[int, str, str, int]] = []
    number, letter = 1, "a"
    for i, word in enumerate(words):
        if i and words[i - 1] in NOT_BEFORE_LABEL or labels and i < labels[-1][3]:
            continue  # "ref b"; "b c ...": the marking of label b, not label c
        if kind == "q":
            found = re.fullmatch(r"q(\d{1,2})", word)
            label = f"Q{number}" if found and int(found.group(1)) == number else ""
        else:
            dropped = letter in DROPPED_LETTERS and word == chr(ord(letter) + 1)  # "(e)" lost: "d ... f ..."
            label = word if word == letter or dropped else ""
        if not label:
            continue
        marking = canonical_marking(words[i + 1]) if i + 1 < len(words) and words[i + 1] in FLAT_MARKINGS else ""
        start = i + 1 + bool(marking)
        # an "a" kept as a word is an article far more often than a label: it must open a question itself
        if start < len(words) and (_opens(words, start, None) if label == "a" else topics or _item_opens(words, start)):
            labels.append((i, label, marking or "", start))
            number, letter = number + 1, chr(ord(label) + 1) if kind == "letter" else letter
    return labels


def _item_opens(words: list[str], i: int) -> bool:
    """A question or a request opens at words[i] ("how many ...", "whether ...", "describe ...")."""
    return _opens(words, i, None) or words[i] == "whether" or bool(REQUEST_RE.match(" ".join(words[i:i + 8])))


def _first_item_start(words: list[str]) -> int | None:
    """Where item (a), whose label the flattened form lost, starts in the words before item (b): at the last
    question opening after any introduction ("regarding the port | what is its capacity"; "what is the status
    of the railway | when will it be finished": the question before the list is the paragraph's own), or
    else at its first request ("on the shining path | describe ..."), or else right after the introduction."""
    joined = " ".join(words)
    after = max((len(joined[:m.end()].split()) for m in INTRODUCTION_RE.finditer(joined)), default=0)
    openings = [i for i in _openings(words) if i >= after]
    if openings:
        return openings[-1]
    requests = [i for i in range(after, len(words)) if REQUEST_RE.match(" ".join(words[i:i + 8]))
                and (i == after or words[i - 1] not in DETERMINERS | PREPOSITIONS)]
    if requests:
        return requests[0]
    return after if 0 < after < len(words) else None


def _flat_introduced(words: list[str]) -> tuple[int, list[tuple[int, str, str, int]]] | None:
    """The items an introduction at its end lists ("posts should report on the following | the total borrowing
    ... | whether provincial banks ... | which projects ..."), their bullets lost: cut where a question
    opens or "whether" does. Two items or more; numbered as a written list's bullets are. Topics ("the following
    topics energy water migration"), which nothing tells apart, are one item rather than none."""
    joined = " ".join(words)
    introductions = list(INTRODUCTION_RE.finditer(joined))
    if not introductions:
        return None
    head = len(joined[:introductions[-1].end()].split())
    head += 5 if words[head:head + 5] == "as time and resources permit".split() else 0
    rest = words[head:]
    if not rest:
        return None
    starts = [i for i in _openings(rest) if i] + [
        i for i in range(1, len(rest)) if rest[i] == "whether" and rest[i - 1] not in CLAUSE_WORDS]
    starts = sorted({0, *starts}) if rest[0] not in NOT_ITEM_START else sorted(starts)
    if starts == [0] and len(rest) >= 2 and TOPICS_RE.search(introductions[-1].group()):
        return head, [(head, "1", "", head)]  # "the following topics energy water migration": one item, not none
    if len(starts) < 2:
        return None
    return head + starts[0], [(head + s, str(n), "", head + s) for n, s in enumerate(starts, 1)]


def _openings(words: list[str]) -> list[int]:
    """Where questions open in flattened words (`_opens`)."""
    found = [0] if words and _opens(words, 0, None) else []
    state = _Sentence.at(words, 0)
    for i in range(1, len(words)):
        if _opens(words, i, state):
            found.append(i)
            state = _Sentence.at(words, i)
        else:
            state.take(words[i], i)
    return found


def _flat_list_asks(text: str, context: _Context) -> bool:
    """A flattened paragraph holding a labelled list ("b how many ...") that asks as a written one does, ending
    in questions: an item opens like a question, and what follows the last such item is short (a request to
    describe something, whose written form ends in no question mark, is not enough)."""
    found = _flat_labelled(text.split())
    if found is None:
        return False
    asking = replace(context, imperative=False)
    bodies = _flat_bodies(text.split(), found[1])
    asked = [n for n, body in enumerate(bodies) if _is_question(body, asking)]
    return bool(asked) and sum(len(body.split()) for body in bodies[asked[-1] + 1:]) <= 30


# ----------------------------------------------------------------------------- display case

# Short words a title may hold that are not acronyms; an all-caps word of 2-5 letters not here (nor a
# place) is kept upper case: it may be an acronym this module cannot judge.
COMMON_WORDS = frozenset("""
or from did shall even eve amid since first third fifth sixth ninth tenth
a able about above act acts add adds after again age agent ago agree ahead aid aide aides aids aim aims air
alert all allow ally alone along also am among an and anger angry anti any apart apply are area areas arm arms
army art as aside ask asks at avoid away back bad bail ban band bank banks bar base based basic basis be bear
beat bed been began begin being below best bid bids big bill bills bit black blame blast bloc block blocs blow
blue board boat body bomb bombs bond bonds book boom boost born both box boy brain brief bring broad brown
build built bulk burn bus but buy buys by call calls calm came camp camps can cap car card care cargo carry
case cases cash catch cause cell cells chain chair chaos charm cheap check chief child china civil claim class
clean clear climb close club co coal coast code cold come comes cool cope copy core corps cost costs could
count court cover crash crazy cross crowd crude cuts cycle daily dam dance data date day days dead deal deals
dear death debt debts debut delay deny depth desk die diet dire dirty do does doing done door doors doubt down
draft drama draw dream dress drift drill drink drive drop drove drug drugs dry due duty each eager early earn
earth ease east easy eat edge edges elite else emir empty end ends enemy enjoy enter entry equal error event
ever every evil ex exact exam exile exit extra eye eyes face faces fact facts fail fails faith fall falls
false fame far farm farms fast fate fear fears feed feel fees fell few field fifth fifty fight file fill film
final find fine fire firm firms first fish fit five fix flag flags flat fled flee fleet flew flies flight
floor flow flows fly focus folk food foods foot for force forge form forms forth forum found four frame free
fresh front fruit fuel fuels full fully fund funds gain gains game games gang gap gaps gas gate gave get gets
gift girl give given glad glass goal goals goes going gold gone good goods got grab grain grand grant grave
great green grew gross group grow grows guard guess guest guide guilt gun guns had half hall halt hand hands
hang happy hard harm has hate have he head heads heal hear heard heart heat heavy held hell help her here hero
hide high hill him hire his hit hits hold holds hole holy home homes hope hopes horse host hosts hot hotel
hour hours house how huge human hurt idea ideas if ill image in inner input inter into iron is issue it item
items its jail job jobs join joins joint judge jump just keen keep keeps kept key keys kick kill kills kind
kinds king knew know known kudos labor lack lacks lady laid land lands large last late later laugh law laws
lay lead leads leak leaks lean learn lease least leave led left legal less let level lie lies life lift light
like limit line lines link links list lists live lives load loan loans local lock long look looks loom loose
lose loss lost lot loud love low lower loyal lucky lunch made main major make makes male man many map march
mark marks mass match may mayor me meal mean means meat media meet meets member men mere mess met metal mid
might mild mile miles mind mine mines minor miss mixed mode model money month mood moral more most motor mount
mouth move moves much multi music must my naval navy near nearly neck need needs net never new news next nice
night nine no noise non none nor north not note notes novel now nurse oath occur ocean odd odds of off offer
often oil old on once one ones only onto open opens opera order other ought our out outer over owe own owner
owns pace pact page paid pain paint pair panel paper park part parts party pass past path pause pay pays peace
peak per phase phone pick piece pilot place plain plan plane plans plant plate play plays plea plot plus point
poll polls pool poor pope port ports pose post posts pound power pre press price pride prime print prior prize
pro probe proof proud prove pull pulse pump push put quick quiet quit quite quota race radio raid raids rail
rain raise rally ran range rank rapid rare rate rates ratio re reach react read ready real rebel red reply
rest rich ride rifle right riot riots rise rises risk risks rival river road roads rock role roles room root
rose rough round route row royal rule rules run runs rural rush safe said sale sales same save saw say says
scale scene scope score sea seat seats second see seek seeks seem seen sees seize self sell semi send sense
sent set sets seven shape share shares sharp she shed shift ship ships shock shoot shop short shot shots
should show shown shows shut sick side sides sight sign signs site sites six size skill sky slip slow small
smart smile smoke so soft soil sold solid solve some son songs soon sort sound south space speak speed spend
spent spite split spoke sport spot spread spy squad staff stage stake stand star stars start state stay steal
steel step steps stick still stock stone stood stop store storm story strip study style sub such sugar suit
sum sun super sure sweep swing table take taken takes talk talks tank tanks tape task tax taxes team teams
tell ten tend term terms test tests text than thank that the theft their them theme then there these they
thick thin thing think third this those three threw throw tie tied ties tight time times tiny tip title to
today told tone too took tool tools top topic total touch tough tour tower town toxic trace track trade trail
train trap treat trend trial tribe trick tried trip troop truce truck true trust truth try turn turns twice
two type under union unit units until up upon upper upset urban urge urged urges us use used uses usual vague
valid value van vast very veto via video view views visa visas visit vital voice vote voted voter votes vs
wage wages wait wake walk wall walls want wants war warm warn warns wars was waste watch water wave way ways
we weak wear week weeks weigh well went were west wet what wheat when where which while white who whole whom
whose why wide wife will win wind wins wise wish with woman women won word words work works world worry worse
worst worth would wound write wrong wrote yard year years yes yet you young your youth zero zone zones
""".split())
MONTHS_AND_DAYS = ("JANUARY FEBRUARY MARCH APRIL MAY JUNE JULY AUGUST SEPTEMBER OCTOBER NOVEMBER DECEMBER JAN FEB MAR"
                   " APR JUN JUL AUG SEP SEPT OCT NOV DEC MONDAY TUESDAY WEDNESDAY THURSDAY FRIDAY SATURDAY SUNDAY")
PROPER_WORDS = (frozenset(MONTHS_AND_DAYS.split()) - {"MAY", "MARCH"}) | frozenset({
    "AMERICA", "AMERICAS", "AMERICAN", "AMERICANS", "LATIN", "EUROPE", "EUROPEAN", "AFRICA", "AFRICAN", "ASIA", "ASIAN",
    "ISLAMIC", "MUSLIM", "MUSLIMS", "SHIA", "SHIITE", "SUNNI", "ARAB", "ARABS", "PERSIAN", "KURDISH", "CHRISTIAN",
    "JEWISH", "WASHINGTON", "TEHRAN", "CARIBBEAN", "PACIFIC", "ATLANTIC", "GULF", "HIZBALLAH", "HAMAS",
    # regions and peoples no post is named after
    "ANDES", "ANDEAN", "BALKAN", "BALKANS", "CAUCASUS", "SAHEL", "MAGHREB", "ABKHAZIA", "ABKHAZ", "OSSETIA",
    "OSSETIAN", "DARFUR", "KASHMIR", "KASHMIRI", "KURDISTAN", "KURDS", "CHECHNYA", "CHECHEN", "TIBET", "TIBETAN",
    "XINJIANG", "UIGHUR", "UYGHUR", "BALOCHISTAN", "BALUCHISTAN", "PASHTUN", "TALIBAN", "GAZA", "SINAI", "PUNTLAND",
    "SOMALILAND", "TRANSNISTRIA", "CRIMEA", "KOSOVAR", "SAHRAWI", "SHABAAB", "QAIDA", "HEZBOLLAH", "FATAH",
    "PALESTINIAN", "PALESTINIANS", "ISRAELI", "ISRAELIS", "SCANDINAVIAN", "NORDIC", "BALTIC", "MEKONG", "AMAZON",
})
PROPER_PHRASES = ("UNITED NATIONS", "UNITED STATES", "MIDDLE EAST", "NEAR EAST", "WESTERN HEMISPHERE",
                  "EUROPEAN UNION", "SUPREME LEADER", "LATIN AMERICA", "SOUTH AMERICA", "CENTRAL AMERICA",
                  "NORTH AMERICA", "SOUTH ASIA", "EAST ASIA", "CENTRAL ASIA", "NORTH AFRICA", "WEST AFRICA",
                  "EAST AFRICA", "HORN OF AFRICA", "SOUTH OSSETIA", "NAGORNO KARABAKH", "WEST BANK", "GAZA STRIP",
                  "SOUTHEAST ASIA", "SUB SAHARAN AFRICA", "PERSIAN GULF", "RED SEA", "BLACK SEA", "CASPIAN SEA",
                  "TRI BORDER AREA")
PLACE_WORDS = frozenset(
    {name for c in POSTS.values() for name in (c.name, *c.cities) if " " not in name} | PROPER_WORDS
    | {word for c in POSTS.values() for name in (c.name, *c.cities) if " " in name for word in name.split()
       if len(word) >= 4 and word.lower() not in COMMON_WORDS})  # "KOREA", "RICA" ("COSTA RICAN")
PLACE_PHRASES = tuple(sorted({n for c in POSTS.values() for n in (c.name, *c.cities) if " " in n}
                             | set(PROPER_PHRASES), key=len, reverse=True))
SMALL = frozenset({"of", "and", "the", "for", "on", "in", "to", "de", "la"})
CAL_TEXT_RE = re.compile(r"\(?\bC[-\u2013 ]?[A-Z]{2}[-\u2013 ]?\d[-\u2013]? ?\d{5}\b\)?:?", re.I)
LEAD_MARKING_RE = re.compile(r"^\s*\((?:[A-Z]{1,4}(?:\s*/{1,2}\s*[A-Z]{1,6})*)\)\s*")


@dataclass(frozen=True)
class Vocabulary:
    """What a cable teaches about writing its words: the acronyms it defines, and the case its
    mixed-case text gives each word ("Qadhafi", "GOCR", "ambassador")."""

    acronyms: frozenset[str] = frozenset()
    forms: dict[str, str] = field(default_factory=dict)  # upper-case word -> "title", "upper" or "lower"


def title_of(subject: str, known: Vocabulary | None = None) -> str:
    """The subject for display: no leading marking "(C)", no collection reference ("(C-AL8-02836)",
    flattened "CAL802836"), sentence-cased when it is all capitals or all lower case."""
    text = LEAD_MARKING_RE.sub("", subject or "")
    text = CAL_TEXT_RE.sub(" ", text)
    text = _clean(text).strip(" :;,-")
    return display_case(text, known)


def display_case(text: str, known: Vocabulary | None = None) -> str:
    """Sentence case for a line written all in capitals (or all lower case, the flattened form): words
    as the cable's own mixed-case text writes them; places and their peoples capitalised ("Iran",
    "Latin American"); acronyms kept ("(IRPO)", and the words an acronym spells capitalised: "Iran
    Regional Presence Office (IRPO)"); all-caps words of 2-5 letters that are no common word kept (an
    acronym or a name this module cannot judge); the rest lower case."""
    known = known or Vocabulary()
    text = _clean(text)
    if re.search(r"[a-z]", text) and re.search(r"[A-Z]", text):
        return text  # already mixed case: written for reading
    upper = not re.search(r"[a-z]", text)
    tokens = re.split(r"([A-Za-z]+(?:['\u2019][A-Za-z]+)?)", text)
    words = [(k, t) for k, t in enumerate(tokens) if k % 2]
    proper, small = _phrase_words(words)
    proper |= _expansions(words, known.acronyms)
    out = list(tokens)
    for n, (k, token) in enumerate(words):
        out[k] = token.lower() if k in small else _case_word(
            token, tokens[k - 1], tokens[k + 1] if k + 1 < len(tokens) else "", k in proper, upper, known)
        if (n == 0 or re.search(r"[?!]\s*$", tokens[k - 1])) and not out[k].isupper():
            out[k] = out[k][:1].upper() + out[k][1:]
    return "".join(out)


def _case_word(token: str, before: str, after: str, proper: bool, upper: bool, known: Vocabulary) -> str:
    word, apostrophe, possessive = token.replace("\u2019", "'").partition("'")
    suffix = f"{token[len(word)]}{possessive.lower()}" if apostrophe else ""
    key = word.upper()
    if len(word) == 1:  # "U.S.", "S/GC"; "a" the article
        return "a" if key == "A" and not after.startswith(".") else (key if upper else word)
    if key in {"AL", "EL"} and after.startswith("-"):  # the article of "al-Shabaab", "al-Qaida"
        return word.lower()
    if (before.endswith("(") and upper and len(word) <= 6) or key in known.acronyms:
        return key + suffix
    if key.endswith("S") and key[:-1] in known.acronyms:
        return key[:-1] + "s" + suffix  # "NGOs"
    form = known.forms.get(key)
    if form:
        return (word.capitalize() if form == "title" else key if form == "upper" else word.lower()) + suffix
    if proper or _is_place(key):
        return word.capitalize() + suffix
    plural = key.endswith("S") and key[:-1].lower() in COMMON_WORDS  # "BASES", "TALKS"
    if word.lower() in COMMON_WORDS or plural or not upper or not 2 <= len(word) <= 5:
        return word.lower() + suffix
    return word + suffix


def _is_place(word: str) -> bool:
    """A place or its people: "IRAN", "IRANIAN", "IRANS" (flattened possessive), "CUBAN", "MEXICAN"."""
    if word in PLACE_WORDS or (word.endswith("S") and word[:-1] in PLACE_WORDS):
        return True
    if word.endswith("S") and len(word) > 5:
        word = word[:-1]  # "RUSSIANS", "CUBANS"
    for suffix, stem_end in (("S", ""), ("IAN", ""), ("AN", ""), ("N", ""), ("I", ""), ("ESE", "A"),
                             ("ANS", ""), ("AN", "O"), ("IAN", "IA"), ("ESE", "ON"), ("ISH", "")):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3 and word[: -len(suffix)] + stem_end in PLACE_WORDS:
            return True
    return False


def _phrase_words(words: list[tuple[int, str]]) -> tuple[set[int], set[int]]:
    """Token positions inside multi-word proper names ("UNITED NATIONS", "COSTA RICA", "LA PAZ"), and those
    of the small words inside them, which stay lower case ("HORN OF AFRICA", "RIO DE JANEIRO")."""
    upper = [w.upper() for _, w in words]
    marked, small = set(), set()
    for phrase in PLACE_PHRASES:
        parts = phrase.split()
        for i in range(len(upper) - len(parts) + 1):
            if upper[i:i + len(parts)] == parts:
                marked |= {words[i + j][0] for j, part in enumerate(parts) if j == 0 or part.lower() not in SMALL}
                small |= {words[i + j][0] for j, part in enumerate(parts) if j and part.lower() in SMALL}
    return marked, small


def _expansions(words: list[tuple[int, str]], acronyms: frozenset[str]) -> set[int]:
    """Token positions of the words an acronym stands for, where they precede it."""
    marked = set()
    for n, (_, word) in enumerate(words):
        key = word.upper()
        if key not in acronyms and not (key.endswith("S") and key[:-1] in acronyms):
            continue
        spelled = _spelled_by(words[:n], key if key in acronyms else key[:-1])
        marked |= spelled
    return marked


def _spelled_by(before: list[tuple[int, str]], acronym: str) -> set[int]:
    """The words just before an acronym whose initials spell it ("IRAN REGIONAL PRESENCE OFFICE" IRPO)."""
    marked, i = set(), len(acronym) - 1
    for position, word in reversed(before):
        if i < 0:
            break
        if word[0].upper() == acronym[i]:
            marked.add(position)
            i -= 1
        elif word.lower() not in SMALL:
            return set()
    return marked if i < 0 else set()


def vocabulary(cable: ParsedCable) -> Vocabulary:
    """The acronyms a cable defines and the case its mixed-case paragraphs give its words."""
    texts = [cable.subject, *(p.text for p in cable.paragraphs)]
    mixed = [t for t in texts if re.search(r"[a-z]{2}", t) and re.search(r"[A-Z]", t)]  # not just "a)" labels
    return Vocabulary(_acronyms(texts), _forms(mixed))


def _acronyms(texts: list[str]) -> frozenset[str]:
    """Acronyms defined: in parentheses ("(IRPO)"), or after the words they spell, as the flattened
    form writes them ("iran regional presence office irpo", "unmanned aerial vehicles uavs")."""
    found = set()
    for text in texts:
        for acronym in re.findall(r"\(([A-Z]{2,6})\)", text):
            found.add(acronym[:-1] if acronym.endswith("S") and len(acronym) > 3 else acronym)
        words = re.findall(r"[A-Za-z]+", text)
        pairs = list(enumerate(words))
        for n, word in enumerate(words):
            if not 2 <= len(word) <= 6 or word.lower() in COMMON_WORDS:
                continue
            for candidate in {word.upper(), word.upper()[:-1] if word.upper().endswith("S") else word.upper()}:
                if len(candidate) >= 2 and _spelled_by(pairs[max(0, n - 8):n], candidate):
                    found.add(candidate)
    return frozenset(found)


CAPITALS_RE = re.compile(r"\b[A-Z][A-Z'-]*(?:[ \t,/&-]+[A-Z][A-Z'-]*){3,}\b")  # four words in capitals or more


def _forms(texts: list[str]) -> dict[str, str]:
    """How mixed-case text writes each word, where it always writes it one way: "Qadhafi" (never at a
    sentence start only), "GOCR" (twice or more), "ambassador"."""
    seen: dict[str, set[str]] = {}
    counts: dict[str, int] = {}
    for text in texts:
        text = CAPITALS_RE.sub(" ", text)  # a heading in capitals says nothing of how its words are written
        for match in re.finditer(r"[A-Za-z]+", text):
            word = match.group(0)
            if len(word) < 2:
                continue
            if word.isupper():
                form = "upper"
            elif word.islower():
                form = "lower"
            elif word[0].isupper() and word[1:].islower():
                if re.search(r"(?:^|[.!?:\]\n\"]\s*|\(\s*)$", text[:match.start()]):
                    continue  # a sentence's first word says nothing about its case
                form = "title"
            else:
                continue
            key = word.upper()
            seen.setdefault(key, set()).add(form)
            counts[key] = counts.get(key, 0) + 1
    return {key: forms.pop() for key, forms in seen.items()
            if len(forms) == 1 and (forms != {"upper"} or counts[key] >= 2)}
