"""No text is lost at parse time: every word of a cable's body (after its header, without the page furniture the
parser drops: page and section lines, banners, SIPDIS, the signature) is in some paragraph's text or heading, in
order; and an item of a list ("A)", "(a)", "1.", "Q1)") is text, never the heading of the paragraph after it.
Checked on the real pages, the seeds and the dump sample, and on small cables of the forms testers found.
Pure: runs without Django (-p no:django)."""
import csv
import io
import re
from difflib import SequenceMatcher
from pathlib import Path

import pytest

from cables.markings import canonical_marking
from cables.parsing import (
    CLASSIFICATION_BANNER_RE, DECLASSIFIED_RE, NOISE_LINE_RE, TRAILER_RE, ParsedCable, parse_cable_text,
)
from cables.sources import parse_document, parse_dump_row

DATA = Path(__file__).parents[1] / "data"


@pytest.fixture(autouse=True)
def _media_root():
    """These tests touch no files and no settings: stand in for the project's Django-settings fixture."""


HEAD = """\
R 091400Z FEB 10
FM SECSTATE WASHDC
TO AMEMBASSY TBILISI
AMEMBASSY BAKU
C O N F I D E N T I A L STATE 012987

E.O. 12958: DECL: 02/09/2020
TAGS: PREL PGOV
SUBJECT: (C) REQUEST FOR INFORMATION: ENERGY (C-EU0-00102)

Classified By: INR/EUR Office Director Jane Roe, Reason 1.4(d).

"""


def parse(body: str) -> ParsedCable:
    return parse_cable_text(HEAD + body + "\nCLINTON\n")


# ----------------------------------------------------------------------------- the check

WORD_RE = re.compile(r"[A-Za-z]{2,}")  # words, not labels ("A)", "1.") or numbers
MARKING_RE = re.compile(r"\(([A-Za-z /-]{1,20}|[A-Za-z /-]{1,8}REL (?:TO )?[A-Za-z ,]{2,40})\)")
# What opens an item of a list: "A)", "(a)", "(iv)", "1.", "1)", "(1)", "Q1)", "Q1:".
ITEM_LABEL_RE = re.compile(r"^\s*(?:\(?(?:[A-Za-z]|[ivx]{1,4}|Q?\d{1,3})\)|Q?\d{1,3}[.:](?!\d))")
LOST_RUN = 3  # words in a row: a phrase, not a label or a stray word


def words(text: str, flattened: bool = False) -> list[str]:
    """The words of a text without its paragraph markings ("(S/NF)"; "snf" in a flattened page) and SIPDIS."""
    text = MARKING_RE.sub(lambda m: " " if canonical_marking(m.group(1)) else m.group(0), text)
    return [w.lower() for w in WORD_RE.findall(text)
            if w.upper() != "SIPDIS" and not (flattened and w.islower() and canonical_marking(w))]


def body_words(cable: ParsedCable) -> list[str]:
    """The body's words, without the banners, noise lines and trailers the parser drops, and the signature."""
    lines = cable.body.split("\n")
    declassified = next((k for k, line in enumerate(lines) if DECLASSIFIED_RE.match(line)), None)
    lines = [line for line in lines[:declassified]
             if not (NOISE_LINE_RE.match(line) or CLASSIFICATION_BANNER_RE.match(line) or TRAILER_RE.match(line))]
    found = words("\n".join(lines), cable.form == "flattened")
    signature = words(cable.signature)
    return found[:-len(signature)] if signature and found[-len(signature):] == signature else found


def paragraph_words(cable: ParsedCable) -> list[str]:
    return [w for p in cable.paragraphs for w in words(p.heading) + words(p.text)]


def lost_runs(cable: ParsedCable) -> tuple[int, list[str]]:
    """(how many body words are in no paragraph, the runs of them), matching the body to the paragraphs in order."""
    body = body_words(cable)
    matcher = SequenceMatcher(None, body, paragraph_words(cable), autojunk=False)
    runs = [body[i1:i2] for tag, i1, i2, _, _ in matcher.get_opcodes() if tag in ("delete", "replace")]
    return sum(len(run) for run in runs), [" ".join(run) for run in runs]


def assert_nothing_lost(cable: ParsedCable) -> None:
    total = len(body_words(cable))
    lost, runs = lost_runs(cable)
    assert lost <= total / 100, f"{cable.reference_id}: {lost} of {total} body words lost: {runs}"
    assert not [run for run in runs if len(run.split()) >= LOST_RUN], f"{cable.reference_id}: lost {runs}"
    items = [p.heading for p in cable.paragraphs if ITEM_LABEL_RE.match(p.heading)]
    assert not items, f"{cable.reference_id}: items taken for headings: {items}"


# ----------------------------------------------------------------------------- every real cable

def real_cables() -> list:
    """The repository's copy of the real pages, the seeds and the dump sample's rows."""
    files = sorted((DATA / "pages").glob("*.html")) + sorted((DATA / "seeds").glob("*.txt"))
    dump = (DATA / "csv" / "cables_sample.csv").read_text(encoding="utf-8")
    rows = list(csv.reader(io.StringIO(dump), escapechar="\\"))
    return [pytest.param(path, id=path.name) for path in files] + [pytest.param(row, id=f"csv-{row[2]}")
                                                                 for row in rows]


@pytest.mark.parametrize("source", real_cables())
def test_no_text_of_a_real_cable_is_lost(source):
    cable = parse_dump_row(source) if isinstance(source, list) else parse_document(source.read_text(encoding="utf-8"))
    assert_nothing_lost(cable)


def test_the_real_pages_are_all_checked():
    assert len(list((DATA / "pages").glob("*.html"))) == 285


# ----------------------------------------------------------------------------- an item before a marked item

QUESTIONS = """\
1. (C) INR seeks information on the following questions. Please cite C-EU0-00102 in the subject line of responses.

A) How has the conflict affected investor confidence?

B) (C/NF) What are the host government's plans for alternative routes?
"""


@pytest.mark.parametrize("body", [QUESTIONS, QUESTIONS.replace("?\n\nB)", "?\nB)")], ids=["blank lines", "none"])
def test_an_unmarked_lettered_item_before_a_marked_one_is_its_own_section_like_it(body):
    """ "B) (C/NF)" carries a marking, so it starts section B; "A)" before it is its sibling, read alike: section
    A (unmarked: it inherits paragraph 1's access), not the heading of B."""
    paragraphs = parse(body).paragraphs
    assert [(p.number, p.marking, p.heading, p.text) for p in paragraphs[1:]] == [
        ("A", "", "", "How has the conflict affected investor confidence?"),
        ("B", "C//NF", "", "What are the host government's plans for alternative routes?"),
    ]


def test_every_unmarked_letter_before_a_marked_one_and_after_it_is_a_section():
    body = QUESTIONS.replace("B) (C/NF)", "B) Who decides?\n\nC) (C/NF)") + "\nD) Which firms are bidding?\n"
    assert [p.number for p in parse(body).paragraphs] == ["1", "A", "B", "C", "D"]


@pytest.mark.parametrize("first, second", [("(a)", "(b)"), ("a)", "b)"), ("a.", "b."), ("1.", "2."), ("(1)", "(2)"),
                                           ("1)", "2)"), ("Q1)", "Q2)"), ("Q1:", "Q2:"), ("i)", "ii)"), ("(A)", "(B)")])
def test_an_item_before_the_next_paragraph_is_text_not_its_heading(first, second):
    """However its items are labelled, the last one before paragraph 2 stays with the others: no heading."""
    body = (f"1. (C) Posts should report on the following:\n\n{first} Identify officials who question the "
            f"pipeline.\n\n{second} (C/NF) What are the host government's plans for alternative routes?\n\n"
            "2. (U) Please respond by March 1.\n")
    cable = parse(body)
    assert [p.heading for p in cable.paragraphs] == [""] * len(cable.paragraphs)
    text = "\n".join(p.text for p in cable.paragraphs)
    assert "Identify officials who question the pipeline." in text
    assert "What are the host government's plans for alternative routes?" in text
    assert_nothing_lost(cable)


def test_an_item_lettered_c_after_b_is_no_heading_marked_c():
    """ "(C)" is a marking as well as a letter: after "(B)" it is the next item, not a heading's marking."""
    body = ("1. (C) Posts should report on the following:\n\n(A) Identify officials who question the pipeline.\n\n"
            "(B) Describe the state of the talks.\n\n(C) What are the plans for alternative routes?\n\n"
            "2. (U) Please respond by March 1.\n")
    paragraphs = parse(body).paragraphs
    assert [(p.number, p.heading) for p in paragraphs] == [("1", ""), ("2", "")]
    assert paragraphs[0].text.endswith("(C) What are the plans for alternative routes?")


# ----------------------------------------------------------------------------- a source note before a heading

def test_a_source_note_before_a_heading_stays_with_the_paragraph_it_closes():
    """08STATE86156, a task force's situation report: each item ends with its source in parentheses, and the
    reflowed page ran the next heading onto it. The note is the item's; a marking before a heading is not."""
    body = ("1. (S/NF) The Russian DATT asked that all U.S. aircraft leave the airport. (TF/Embassy Tbilisi e-mail) "
            "DIPLOMATIC EFFORTS INTENSIFY ---------------------------- 2. (SBU) EUR DAS Bryza landed in Tbilisi.\n\n"
            "3. (C) Embassy Berlin confirms Chancellor Merkel plans to travel to Sochi.\n\n(Berlin 1095) "
            "HUMANITARIAN UPDATE\n-------------------\n\n4. (C) Embassy Tbilisi reports 3,000 IDPs.\n\n"
            "(C) OUTLOOK\n\n5. (U) Minimize considered.\n")
    paragraphs = parse(body).paragraphs
    assert [(p.number, p.heading, p.text) for p in paragraphs] == [
        ("1", "", "The Russian DATT asked that all U.S. aircraft leave the airport. (TF/Embassy Tbilisi e-mail)"),
        ("2", "DIPLOMATIC EFFORTS INTENSIFY", "EUR DAS Bryza landed in Tbilisi."),
        ("3", "", "Embassy Berlin confirms Chancellor Merkel plans to travel to Sochi.\n\n(Berlin 1095)"),
        ("4", "HUMANITARIAN UPDATE", "Embassy Tbilisi reports 3,000 IDPs."),
        ("5", "OUTLOOK", "Minimize considered."),
    ]
    assert paragraphs[2].marking == "C"


# ----------------------------------------------------------------------------- cables testers wrote

TESTER_CABLES = {
    "lettered, the second marked": QUESTIONS,
    "Q1) to Q4), the second marked": (
        "1. (C) INR seeks information on the following questions. Please cite C-EU0-00102 in the subject line of "
        "responses.\n\nQ1) How has the August 2008 conflict affected investor confidence in the pipelines?\n\n"
        "Q2) (C/NF) What are the host government's plans for alternative routes should Russia again interrupt "
        "transit?\n\nQ3) Has Azerbaijan discussed increasing gas deliveries to Russia, and if so, on what terms?\n\n"
        "Q4) Identify any host government officials who have questioned the commercial viability of Nabucco.\n\n"
        "2. (U) Please provide responses by March 1.\n"),
    "lettered items under paragraphs, one marked": (
        "1. (S/NF) Summary and action request: Washington agencies seek reporting on succession dynamics. End "
        "summary.\n\n2. (S/NF) FOR BEIJING AND SHENYANG:\na. What do Chinese officials say privately about the "
        "succession?\nb. Has Beijing received any request for additional food or fuel aid since January?\nc. (C) "
        "Describe the current level of cross-border trade at Dandong.\n\n3. (S/NF) FOR TOKYO AND SEOUL:\na. How do "
        "host governments assess the leader's health?\n\n4. (S/NF) FOR ALL POSTS: Any information on the role of "
        "Jang Song-taek would be welcome.\n"),
    "questions a meeting asked, in dashes": (
        "1. (C) Summary: The Secretary met FM Babacan March 7 in Ankara. End summary.\n\n2. (C) The Secretary asked "
        "the following questions:\n-- What are Turkey's plans for the Habur border gate?\n-- Would Turkey host a "
        "regional conference on Iraqi refugees?\n\n3. (C) Babacan answered that the gate would remain open.\n"),
}


@pytest.mark.parametrize("body", TESTER_CABLES.values(), ids=TESTER_CABLES.keys())
def test_no_text_of_a_tester_cable_is_lost(body):
    assert_nothing_lost(parse(body))
