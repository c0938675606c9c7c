"""Cable text -> ParsedCable: header fields, references and numbered paragraphs. Pure: no Django.

`parse_cable_text` reads the text of a cable as it was sent (routing lines, DTG, FM/TO/INFO, the
classification line, E.O., TAGS, SUBJECT, REF, Classified By, numbered paragraphs, signature).
The other input forms (viewer pages, the flattened text, the CSV dump) unwrap to that text plus an
identity (reference ID, dates, classification, origin) and come through here too; see `sources.py`.
"""
from __future__ import annotations

import re
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from itertools import chain, islice, pairwise

from cables.markings import (HeldAccess, canonical_classification, canonical_marking, marking_access,
                             paragraph_accesses, reaches)


class ParseError(ValueError):
    """The text cannot be read as a cable; the message says why."""


@dataclass(frozen=True)
class Paragraph:
    number: str | None  # "1", "A", "A.1"; None for unnumbered text (a preamble, a damaged stretch)
    marking: str  # canonical marking ("S//NF", "SBU"), "" when the paragraph carries none
    heading: str  # the section heading printed above it ("Pragmatic Cooperation"), or ""
    text: str
    damaged: bool = False


@dataclass(frozen=True)
class Reference:
    label: str  # "A", "B" when the REF line letters them, else ""
    text: str  # as written: "STATE 6423"
    reference_id: str | None  # "09STATE6423" where it can be resolved


@dataclass(frozen=True)
class Identity:
    """What a viewer page's table or a CSV row says about a cable, beside its text."""

    reference_id: str = ""
    created: datetime | None = None
    released: datetime | None = None
    classification: str = ""
    origin: str = ""
    references: tuple[str, ...] = ()


@dataclass(frozen=True)
class ParsedCable:
    reference_id: str
    created: datetime | None
    released: datetime | None
    classification: str
    origin: str
    form: str  # viewer-html, viewer-text, flattened, raw, csv
    dtg: str = ""
    sender: str = ""
    to: tuple[str, ...] = ()
    info: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    subject: str = ""
    references: tuple[Reference, ...] = ()
    collection_references: tuple[str, ...] = ()
    classified_by: str = ""
    classification_reason: str = ""
    signature: str = ""
    header: str = ""
    body: str = ""
    paragraphs: tuple[Paragraph, ...] = field(default=())
    partial: bool = False  # the source says it is a partial extract of the original
    # What the parser left out and why, for the import's report ("released 1970-01-01 00:00 dropped: ..."); no
    # part of the cable, so not of its fingerprint either
    notes: tuple[str, ...] = field(default=(), compare=False)

    def __post_init__(self) -> None:
        _fit_store(self)

    @property
    def fullness(self) -> int:
        """How complete the source form is: fields come from the fullest source of a cable."""
        return 1 if self.form == "flattened" else 2 if self.partial else 3


# ----------------------------------------------------------------------------- what the store holds

# The lengths of the store's columns (cables/models.py; this module imports no Django, and a test holds the two
# in step). A reference ID that does not fit is refused: cut, it would name another cable.
REFERENCE_ID_LENGTH = 40
# Free text whose real values come nowhere near their column (an origin is "Embassy Moscow", a sender "AMEMBASSY
# MOSCOW", a signature a name): longer, it is text the parser took for the field, and its start is kept.
CUT_LENGTHS = {"origin": 120, "dtg": 40, "sender": 200, "classified_by": 300, "classification_reason": 300,
               "signature": 120}
TAG_LENGTH = 16
# A paragraph's number is an address ("2.A.1"): one too long for its column is left unnumbered, its text kept.
# A marking too long is refused once its repeated caveats are dropped ("S//NF//NF"): cut, it might lose NOFORN.
# A heading is a short phrase: its column's length is never reached by one.
NUMBER_LENGTH, MARKING_LENGTH, HEADING_LENGTH = 12, 24, 300
# The dates a cable can carry: none from before 1900, nor from after the present (a margin for clocks and
# time zones); nor a release before the cable was written.
EARLIEST_DATE = datetime(1900, 1, 1, tzinfo=UTC)
FUTURE_MARGIN = timedelta(days=1)


def _fit_store(cable: ParsedCable) -> None:
    """Make a parsed cable one the store can hold, or raise ParseError saying which field cannot be stored.

    Every input form's parser builds a ParsedCable, so this is where they all meet. The cuts set the fields
    with object.__setattr__, the way a frozen dataclass sets fields after __init__."""
    if len(cable.reference_id) > REFERENCE_ID_LENGTH:
        raise ParseError(f"reference ID {cable.reference_id[:REFERENCE_ID_LENGTH]}... is {len(cable.reference_id)}"
                         f" characters long: no reference ID is longer than {REFERENCE_ID_LENGTH}")
    _check_dates(cable)
    for name, length in CUT_LENGTHS.items():
        if len(getattr(cable, name)) > length:
            object.__setattr__(cable, name, getattr(cable, name)[:length])
    if any(len(tag) > TAG_LENGTH for tag in cable.tags):
        object.__setattr__(cable, "tags", tuple(dict.fromkeys(tag[:TAG_LENGTH] for tag in cable.tags)))
    if any(len(p.number or "") > NUMBER_LENGTH or len(p.marking) > MARKING_LENGTH or len(p.heading) > HEADING_LENGTH
           for p in cable.paragraphs):
        object.__setattr__(cable, "paragraphs", tuple(_fit_paragraph(p, cable.reference_id) for p in cable.paragraphs))


def _fit_paragraph(paragraph: Paragraph, reference_id: str) -> Paragraph:
    number = paragraph.number if len(paragraph.number or "") <= NUMBER_LENGTH else None
    marking = "//".join(dict.fromkeys(paragraph.marking.split("//")))
    if len(marking) > MARKING_LENGTH:
        which = f"paragraph {paragraph.number}" if paragraph.number else "an unnumbered paragraph"
        raise ParseError(f"{reference_id}: {which} is marked {marking[:40]!r}, longer than any marking"
                         f" ({MARKING_LENGTH} characters)")
    heading = paragraph.heading[:HEADING_LENGTH]
    return replace(paragraph, number=number, marking=marking, heading=heading)


def _check_dates(cable: ParsedCable) -> None:
    """Refuse a creation date no cable can have: in the future, or before 1900. The release is the publisher's
    stamp, not the cable's: one no cable can have (those, or a day before the cable was created; a stamp with
    no time reads as midnight, and time zones differ) is dropped, saying so in `notes`, and the cable kept."""
    latest = datetime.now(UTC) + FUTURE_MARGIN
    created, released = _aware(cable.created), _aware(cable.released)
    if created and created > latest:
        raise ParseError(f"{cable.reference_id}: created {_stamp(created)} is in the future")
    if created and created < EARLIEST_DATE:
        raise ParseError(f"{cable.reference_id}: created {_stamp(created)} is before 1900: no cable is so old")
    why = ("is in the future" if released and released > latest else
           "is before 1900" if released and released < EARLIEST_DATE else
           f"is before created {_stamp(created)}" if released and created and released.date() < created.date() else "")
    if why:
        object.__setattr__(cable, "released", None)
        object.__setattr__(cable, "notes", (*cable.notes, f"released {_stamp(released)} dropped: it {why}"))


def _aware(when: datetime | None) -> datetime | None:
    return when.replace(tzinfo=UTC) if when and when.tzinfo is None else when


def _stamp(when: datetime) -> str:
    return when.replace(tzinfo=None).isoformat(" ", "minutes")  # "0001-01-01 00:00": strftime drops the zeros


# ----------------------------------------------------------------------------- small readers

MONTHS = {m: i for i, m in enumerate("JAN FEB MAR APR MAY JUN JUL AUG SEP OCT NOV DEC".split(), 1)}
DTG_RE = re.compile(r"\b(\d{2})(\d{2})(\d{2})Z\s+([A-Za-z]{3})\s+(\d{2,4})\b")
# "C-AL8-02836", and as typed: "CAL8-02836", "C-AL 8-02836", "C AL8-02836", "C-AL-8-02836", "C-AL8 02836",
# en and em dashes; wrapped at the dash before its serial ("C-AL8-" over "02836"): spaces after the dash, and
# one line break among them.
_CAL_WRAP = r"[ \t]*(?:\n[ \t]*)?"
CAL_RE = re.compile(
    rf"\bC[-\u2013\u2014 ]?([A-Z]{{2}})[-\u2013\u2014 ]?(\d)(?:[-\u2013\u2014]{_CAL_WRAP}| )(\d{{5}})\b", re.I)
# What every CAL number ends with: its serial after a dash ("-02836") or after the year digit and a space
# ("8 02836"). Each pattern opens with one plain character, which the engine finds at the speed of a
# substring search, so a text without a CAL number is passed over without CAL_RE's scan of every position.
CAL_DASH_TAIL_RE = re.compile(rf"-{_CAL_WRAP}\d{{5}}\b")
CAL_SPACE_TAIL_RE = re.compile(r" (?<=\d )\d{5}\b")
CAL_WIDE_DASH_TAIL_RE = re.compile(rf"[\u2013\u2014]{_CAL_WRAP}\d{{5}}\b")  # searched only where an en or em dash is
REFERENCE_ID_RE = re.compile(r"^\d{2}[A-Z0-9]*[A-Z][A-Z0-9]*\d$")  # the dump has "7575LIBREVILLE1895"
# Its post and serial: "09STATE6423" -> "STATE", "6423".
POST_SERIAL_RE = re.compile(r"(?P<post>[A-Z][A-Z0-9]*?)(?P<serial>\d+)$")
# What every page mark holds ("00001054 002 OF 002"): lines without it need no cable's own pattern.
PAGE_MARK_RE = re.compile(r"\d{8}\s+\d{3}(?:\.\d)?\s+OF\s+\d{3}\b")
PRECEDENCE = r"(?:IMMEDIATE|PRIORITY|ROUTINE|FLASH|NIACT|OPERATIONAL)"
ROUTING_PREFIX_RE = re.compile(r"^R[A-Z0-9]{3,7}/")
CLASS_WORDS = r"(?:TOP SECRET|SECRET|CONFIDENTIAL|UNCLASSIFIED|UNCLAS|LIMITED OFFICIAL USE)"
# A line that ends the addressee lists: the classification line and what follows it.
CLASS_LINE_RE = re.compile(
    r"^[\s\",]*(?:S\s?E\s?C\s?R\s?E\s?T|C\s?O\s?N\s?F\s?I\s?D\s?E\s?N\s?T\s?I\s?A\s?L|UNCLAS(?:SIFIED)?"
    r"|T\s?O\s?P\s+S\s?E\s?C\s?R\s?E\s?T|LIMITED\s+OFFICIAL\s+USE|U\s?N\s?C\s?L\s?A\s?S)\b",
    re.I,
)
# "MOSCOW 00003526  002.2 OF 003": where a multi-page cable's pages were joined.
PAGE_BREAK_RE = re.compile(r"^\s*[A-Z][A-Z .'-]{1,30}\s+0*\d{2,8}\s+\d{3}(?:\.\d)?\s+OF\s+\d{3}\s*$")
# An old telegram's page line, "PAGE 02 HARARE 06677 01 OF 03 291400Z", often with the page's first text after it.
# Some print no date-time group: "PAGE 02  STATE  063245".
TELEGRAM_PAGE_RE = re.compile(
    r"^\s*PAGE\s+(?P<page>\d{2})\s+[A-Z][A-Z .'-]*?\s+\d{3,7}(?:\s+\d{2}\s+OF\s+\d{2})?"
    r"(?:\s+\d{6}Z\b(?P<rest>.*)|\s*)$"
)
# The classification banner printed above each telegram page: " CONFIDENTIAL", " CONFIDENTIAL PTQ1865".
PAGE_BANNER_RE = re.compile(rf"^\s*{CLASS_WORDS}(?:\s+[A-Z]{{2,4}}\d{{3,}})?\s*$")
BANNER_SUFFIX_RE = re.compile(rf"\s{{2,}}{CLASS_WORDS}\s*$")
# The same banner in any of its spellings, alone on its line beside a page line or a later section's head, above
# or below it: "SECRET//NOFORN", "SECRET NOFORN", "S E C R E T", "C O N F I D E N T I A L", "SECRET / NOFORN
# / EXDIS"; or the caveat lines under a section's head alone ("NOFORN", "SIPDIS").
_SPELLED_CLASS = (r"(?:T\s?O\s?P\s+)?S\s?E\s?C\s?R\s?E\s?T|C\s?O\s?N\s?F\s?I\s?D\s?E\s?N\s?T\s?I\s?A\s?L"
                  r"|U\s?N\s?C\s?L\s?A\s?S(?:\s?S\s?I\s?F\s?I\s?E\s?D)?|LIMITED\s+OFFICIAL\s+USE")
_BANNER_CAVEAT = r"(?:N\s?O\s?F\s?O\s?R\s?N|SIPDIS|EXDIS|NODIS|LIMDIS|STADIS|ORCON|PROPIN|E\s?F\s?T\s?O)"
CLASSIFICATION_BANNER_RE = re.compile(
    rf"^\s*(?:(?:{_SPELLED_CLASS})(?:[\s/,-]*(?:{_BANNER_CAVEAT}|NF|SENSITIVE|FOUO|REL\s+TO\s+[A-Z][A-Z ,]*"
    rf"|[A-Z]{{2,4}}\d{{3,}}))*|{_BANNER_CAVEAT}(?:[\s/,-]+{_BANNER_CAVEAT})*)\s*$")
SECTION_RE = re.compile(r"\bSECTION\s+\d{1,3}\s+OF\s+\d{1,3}\b", re.I)
# The header line of a later section, left in the joined text: "S E C R E T SECTION 02 OF 03 STATE 006423", with the
# caveats beside it perhaps: "S E C R E T SECTION 02 OF 05 STATE 006423 NOFORN", "SECRET//NOFORN SECTION 02 OF 05".
_SECTION_CAVEATS = rf"(?:[\s/,-]*(?:{_BANNER_CAVEAT}|NF|SENSITIVE|FOUO))*"
SECTION_LINE_RE = re.compile(
    rf"^\s*(?:(?:(?:[A-Z]\s){{4,}}[A-Z]|{CLASS_WORDS}){_SECTION_CAVEATS}\s+)?SECTION\s+\d{{1,3}}\s+OF\s+\d{{1,3}}"
    rf"(?:\s+[A-Z][A-Z .'-]*?\s+\d{{1,7}})?{_SECTION_CAVEATS}\s*$"
)
# A page's number in a printed or web copy, alone on its line: "Page 2 of 5", "-- PAGE 2 OF 5 --".
PAGE_OF_RE = re.compile(r"^\s*[-\u2013\u2014]*\s*PAGE\s+\d{1,3}\s+OF\s+\d{1,3}\s*[-\u2013\u2014]*\s*$", re.I)
FIELD_RE = re.compile(
    r"^\s*(?:\(U\)\s*)?(E\.?\s?O\.?\s*1\d{4}|TAGS\b|SUBJ(?:ECT)?\b|REF(?:S|TEL|TELS)?\b|CLASSIFIED\s+BY\b"
    r"|DERIVED\s+FROM\b|DECLASSIFY\s+ON\b|SIPDIS\b)",
    re.I,
)
# Header fields that reflowed pages run together on one line ("...DECL: 08/16/2015TAGS: EMIN ..."), and a
# marked paragraph glued to the end of a REF line ("REF: STATE 96413 (U) On September 24, ...").
INLINE_FIELD_RE = re.compile(
    r"(?<=\S)\s*(?=E\.O\.\s?1\d{4}:|TAGS:|SUBJECT:|SUBJ:|REFS?:|REFTELS?:"
    r"|[Cc]lassified [Bb]y:|CLASSIFIED BY:|[Dd]erived [Ff]rom:|DERIVED FROM:)"
    r"|(?<=\d)(?=SIPDIS)|(?<=\d)\s+(?=\([A-Z/]{1,8}\)\s+[A-Z][a-z])"
)
# A marking whose caveats commas set off, inside its parentheses: "S/NF, ORCON", "C, REL TO USA, GBR", "S//NF, FGI".
COMMA_MARK = (r"(?:[A-Za-z]{1,3}|SECRET|CONFIDENTIAL|UNCLAS(?:SIFIED)?)(?:\s*/{1,2}\s*[A-Za-z][A-Za-z ]{0,20})*"
              r"\s*,\s*[A-Z][A-Za-z /,-]{0,40}")
# "1. (S/NF)", "A. (U)", "2) (C)"; "1, On Monday" (a typo) counts when it continues the numbering.
# Not "1.4 (b) and (d)": a classification reason wrapped onto its own line.
# "PARA 3." and "PARAGRAPH 3." at a line start number paragraph 3, after text that has ended.
PARA_RE = re.compile(
    r"^\s*(?P<word>(?:PARA(?:GRAPH)?|Para(?:graph)?)\s+(?=\d))?"
    r"(?P<label>\d{1,3}|VIII|VII|III|XII|II|IV|VI|IX|XI|[A-Z])(?P<sep>[.)](?!\d)|,(?=\s+[A-Z]))"
    r"\s*(?:\((?P<mark>[A-Za-z /-]{1,20}"
    rf"|[A-Za-z /-]{{1,8}}REL (?:TO )?[A-Za-z ,]{{2,40}}|{COMMA_MARK})\))?\s*"
)
SENTENCE_END_RE = re.compile(r"[.:;!?)\]\"'\u201d]\s*$")
# A numbered, marked paragraph run into the text before it by a reflowed page: "...in 2008. 3. (S/NF) Vladimir".
# Or after a heading the page ran in with two spaces: "End Summary  GOVERNMENT OVERSIGHT  2. (SBU)  The GOL".
# The pattern opens with the number, which the engine finds fast; what stands before it is tested after.
INLINE_PARA_RE = re.compile(
    r"(?<![\d.])(?P<label>\d{1,3})\.\s{0,3}"
    rf"\((?P<mark>[A-Za-z/ -]{{1,16}}|[A-Za-z/ -]{{1,8}}REL (?:TO )?[A-Za-z ,]{{2,40}}|{COMMA_MARK})\)\s"
)
INLINE_PARA_BEFORE_RE = re.compile(r"(?:[.!?:;\"')\]\u201d]\s+|---\s+|\w\s{2,})$")
# A sub-paragraph numbered after its paragraph: "2.A.", "2.a)", "2(a)", "2 (A)", perhaps with a marking after.
SUB_PARA_RE = re.compile(
    r"^\s*(?:(?:PARA(?:GRAPH)?|Para(?:graph)?)\s+)?(?P<parent>\d{1,3})"
    r"(?:\.(?P<dotted>[A-Za-z])[.)]|\s?\((?P<paren>[A-Za-z])\))(?!\w)"
    rf"\s*(?:\((?P<mark>[A-Za-z /-]{{1,20}}|{COMMA_MARK})\))?\s*"
)
# A paragraph number set apart from its marking: "1 (S) Over ..." without its full stop, "1 . (S) Over ..." with a
# space before it, or "1" ("1.") alone on its line with "(S) Over ..." on the next.
NUMBER_APART_RE = re.compile(
    rf"^\s*(?P<label>\d{{1,3}})(?:[.)]?\s*$|\s+(?:\.\s*)?(?=\((?:[A-Za-z /-]{{1,20}}|{COMMA_MARK})\)\s))")
MARK_FIRST_RE = re.compile(rf"^\s*\(([A-Za-z /-]{{1,20}}|{COMMA_MARK})\)\s")
# A paragraph that opens a quotation ("Begin text of letter:", "BEGIN TEXT:", "(Begin text of diplomatic
# note)", "Text follows:", "The text of the statement follows:"), and the quotation's end ("END TEXT.",
# "End text of letter", "(End text of dipnote)", "END QUOTE", "UNQUOTE").
QUOTE_RE = re.compile(
    r"\bBEGIN\s+(?:(?:UNOFFICIAL|INFORMAL|OFFICIAL|EMBASSY|VERBATIM|FULL)\s+)?(?:TEXT|QUOTE|TRANSLATION|EXCERPTS?)\b"
    r"|\bTEXTS?\b(?:\s+OF\b[^.!?:]{0,80}?)?\s+FOLLOWS?\s*(?::|\.?\s*$)",
    re.I,
)
QUOTE_END_RE = re.compile(
    r"\bEND\s+(?:OF\s+)?(?:(?:UNOFFICIAL|INFORMAL|OFFICIAL|EMBASSY|VERBATIM|FULL)\s+)?"
    r"(?:TEXT|QUOTE|TRANSLATION|EXCERPTS?)\b|\bUNQUOTE\b",
    re.I,
)


def parse_dtg(text: str) -> tuple[str, datetime | None]:
    """Find a date-time group ("232151Z JAN 09") in text: (as written, aware UTC datetime)."""
    match = DTG_RE.search(text or "")
    if not match:
        return "", None
    day, hour, minute, month, year = match.groups()
    month_no = MONTHS.get(month.upper())
    if not month_no:
        return "", None
    written = " ".join(match.group(0).upper().split())  # as written, but one space apart: it fits its column
    year_no = int(year)
    if len(year) == 2:  # "09" is 2009; a year still to come is of the century before: "55" is 1955
        year_no += 2000 if 2000 + year_no <= datetime.now(UTC).year else 1900
    try:
        when = datetime(year_no, month_no, int(day), int(hour), int(minute), tzinfo=UTC)
    except ValueError:  # "301200Z FEB 09"
        return written, None
    return written, when


def parse_timestamp(text: str) -> datetime | None:
    """Read the viewer's "2009-01-23 21:09", the dump's "12/28/1966 18:48" or "20090123 2109"."""
    text = (text or "").strip()
    for pattern in ("%Y-%m-%d %H:%M", "%m/%d/%Y %H:%M", "%Y%m%d %H%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d"):
        try:
            return datetime.strptime(text, pattern).replace(tzinfo=UTC)
        except ValueError:
            continue
    return None


def normalize_reference_id(text: str) -> str:
    return re.sub(r"\s+", "", text or "").upper()


def collection_references(*texts: str) -> tuple[str, ...]:
    """Every CAL number ("C-AL8-02836") in the texts, canonical, in order of appearance."""
    found: list[str] = []
    for text in texts:
        if not text or not _may_hold_cal(text):
            continue
        for office, year, serial in CAL_RE.findall(text):
            cal = f"C-{office.upper()}{year}-{serial}"
            if cal not in found:
                found.append(cal)
    return tuple(found)


def _may_hold_cal(text: str) -> bool:
    return bool(CAL_DASH_TAIL_RE.search(text) or CAL_SPACE_TAIL_RE.search(text)
                or ("\u2013" in text or "\u2014" in text) and CAL_WIDE_DASH_TAIL_RE.search(text))


# A CAL number as text flattened to lowercase words without punctuation writes it: "cal802836", "cal8 02836".
FLAT_CAL_RE = re.compile(r"\bc([a-z]{2})(\d) ?(\d{5})\b", re.I)


def spelled_out_cals(text: str) -> str:
    """Flattened text with its CAL numbers written as collection_references() reads them: "C-AL8-02836"."""
    return FLAT_CAL_RE.sub(lambda m: f"C-{m[1].upper()}{m[2]}-{m[3]}", text)


def references_by_access(cable: ParsedCable) -> tuple[list[str], list[list]]:
    """The cable's collection references, parted by who may see them (split_by_access)."""
    if not cable.collection_references:
        return [], []
    return split_by_access(cable.collection_references, cable.classification, cable.form, (cable.subject, cable.header),
                           [(access, p.heading, p.text) for p, access in
                            zip(cable.paragraphs, paragraph_accesses(cable.paragraphs), strict=True)])


def split_by_access(references, classification: str, form: str, open_texts, paragraphs
                    ) -> tuple[list[str], list[list]]:
    """The references that any reader of the cable may see (named in `open_texts`, its subject and header, or
    in text no stricter than the cable), and apart, those only stricter text names, each as [reference,
    level, NOFORN] of one text naming it (a reader of that text may see it). `paragraphs`: ((level, NOFORN),
    heading, text). A reference named in no text as it is read again is held to the cable's strictest text:
    what is not known to be open is not."""
    read = spelled_out_cals if form == "flattened" else str
    limit = marking_access(classification)
    seen = set(collection_references(*map(read, open_texts)))
    stricter: dict[str, tuple[int, bool]] = {}
    strictest = limit
    for access, heading, text in paragraphs:
        named = collection_references(read(heading), read(text))
        if reaches(limit, access):
            seen.update(named)
            continue
        strictest = (max(strictest[0], access[0]), strictest[1] or access[1])
        for reference in named:
            stricter[reference] = min(stricter.get(reference, access), access)
    marked = {reference: stricter.get(reference, strictest) for reference in references
              if reference not in seen and strictest != limit}
    return ([reference for reference in references if reference not in marked],
            [[reference, *marked[reference]] for reference in references if reference in marked])


def origin_from_sender(sender: str) -> str:
    """ "AMEMBASSY MOSCOW" -> "Embassy Moscow", "SECSTATE WASHDC" -> "Secretary of State"."""
    sender = re.sub(rf"\s+{PRECEDENCE}\b.*$", "", sender.upper()).strip()
    if sender.startswith("SECSTATE"):
        return "Secretary of State"
    if re.match(r"^(?:USMISSION\s+)?(?:USUN|USEU)\b", sender):  # "USUN New York", "USEU Brussels"
        return _place_name(re.sub(r"^USMISSION\s+", "", sender))
    for prefix, kind in (("AMEMBASSY", "Embassy"), ("AMCONSUL", "Consulate"), ("USMISSION", "Mission"),
                         ("USINT", "US Interests Section"), ("USOFFICE", "US Office")):
        if sender.startswith(prefix):
            place = sender[len(prefix):].strip()
            return f"{kind} {_place_name(place)}" if place else kind
    return _place_name(sender)


def _place_name(place: str) -> str:
    """ "NEW YORK" -> "New York"; the missions' own names stay as written: "USNATO", "UNVIE", "USOSCE"."""
    return " ".join(w if re.fullmatch(r"US[A-Z]{2,5}", w) and w != "USHUAIA" or w in _MISSION_NAMES else w.title()
                    for w in place.split())


_MISSION_NAMES = frozenset({"UNVIE", "UNESCO", "OECD", "NATO", "ICAO", "IAEA", "FAO", "AIT", "CDR", "AFB"})


# Posts whose reference IDs spell them otherwise than cables cite them ("USUN 6028" is 75USUNNEWYORK6028), by
# the letters of the citation. Where each spelling comes from:
# - USUNNEWYORK: the viewer's own page 09USUNNEWYORK1141 (its classification line reads "USUN NEW YORK");
#   cables cite the mission as "USUN" (the CSV sample's 7575LIBREVILLE1895: "USUN 6028") or "USUN NY".
# - RIODEJANEIRO: the viewer's page 09RIODEJANEIRO440; cables cite it as "RIO" (05SAOPAULO875: "03 Rio 823").
# - USEUBRUSSELS, UNVIEVIENNA, HOCHIMINHCITY, MEXICO, THEHAGUE: how cablemap, a parser of the whole release
#   (github.com/heuer/cablemap, cablemap.core/cablemap/core/c14n.py), canonicalises the citations "USEU",
#   "UNVIE", "HCMC", "HOCHIMINH", "MEXICOCITY", "HAGUE"; its tests read 04USEUBRUSSELS3226 off 04THEHAGUE1919's
#   REF line and name the cable 09UNVIEVIENNA192.
# Others need none: "USNATO 563" is 09USNATO563, and the US Mission in Geneva's cables are GENEVA (cablemap
# names 09GENEVA203), as written; spaced names lose their spaces ("BUENOS AIRES", "SAO PAULO", "HO CHI MINH CITY").
POST_ALIASES = {
    "USUN": "USUNNEWYORK",
    "USUNNY": "USUNNEWYORK",
    "USEU": "USEUBRUSSELS",
    "RIO": "RIODEJANEIRO",
    "UNVIE": "UNVIEVIENNA",
    "HCMC": "HOCHIMINHCITY",
    "HOCHIMINH": "HOCHIMINHCITY",
    "MEXICOCITY": "MEXICO",
    "HAGUE": "THEHAGUE",
}


def post_code(place: str) -> str:
    """The origin part of a reference ID for a place as written: "BUENOS AIRES" -> "BUENOSAIRES", "USUN" ->
    "USUNNEWYORK" (see POST_ALIASES)."""
    place = re.sub(r"^(?:AMEMBASSY|AMCONSUL|USMISSION|AMEMB|EMBASSY|CONSULATE)\s+", "", place.upper())
    if place in {"SECSTATE", "SECSTATE WASHDC", "STATE"}:
        return "STATE"
    code = re.sub(r"[^A-Z]", "", place)
    return POST_ALIASES.get(code, code)


# A month as dates after a cited serial write it: "12 MAY 2008", "3 SEPT. 08".
_MONTH = (r"(?:JAN(?:UARY)?|FEB(?:RUARY)?|MAR(?:CH)?|APR(?:IL)?|MAY|JUNE?|JULY?|AUG(?:UST)?|SEPT?(?:EMBER)?"
          r"|OCT(?:OBER)?|NOV(?:EMBER)?|DEC(?:EMBER)?)\b\.?")
# A cited cable: optional year ("09", "2009"), the post, the serial, and perhaps the year after it
# ("KABUL 5679 06") or its date-time group ("SECSTATE 006423 232151Z JAN 09"). Anything else after the
# serial but words or a note in parentheses ("9/11 TELCON", "TD-314/40895-07", "IIR 6 876 0037 08") is some
# other kind of document. Its date after the serial ("STATE 1234 DATED 12 MAY 2008") gives its year too.
CITED_CABLE_RE = re.compile(
    r"^\s*(?:(?:19|20)?(?P<year>\d{2})\s*)?(?P<place>[A-Z](?:[A-Z .']*[A-Z])?)\s*(?P<dash>-)?\s*0*(?P<serial>\d{1,7})"
    r"(?:\s+(?:DTG\s+)?\d{6}Z?\s+[A-Z]{3}\s+(?:19|20)?(?P<dtg_year>\d{2})"
    # its date: "STATE 1234 12 MAY 2009", "STATE 1234 DATED 12 MAY 09"; the day is no year
    rf"|\s+(?:DATED\s+|DTD\s+|OF\s+)?\d{{1,2}}\s+{_MONTH},?\s+(?:19|20)?(?P<date_year>\d{{2}})\b"
    rf"|\s+(?P<late_year>\d{{2}})(?!\s+{_MONTH}))?"
    rf"(?=\s*$|\s*[(,;]|\s+[A-Z]|\s+-|\s+\d{{1,2}}\s+{_MONTH})"
)
# No post sends more than about a thousand cables a day: the Department, the busiest, sent some 900 a day
# in 2003 (STATE 324347 in late December) and 390 in 2009. A serial cited without a year and beyond that many
# a day of the year so far, plus two months' margin (dates that are off, a busy season), cannot be of the
# citing cable's own year: "STATE 130000" cited in January or February 2010 is 09STATE130000.
SERIALS_PER_DAY = 1000
SERIAL_MARGIN_DAYS = 60


NOT_PLACES = frozenset({"REF", "REFTEL", "PARA", "PARAS", "E", "TAGS", "THE", "AND"})
# Senders of documents that are no State Department cables (the dump holds only those): intelligence reports
# ("09 CIAWASH 542085", "TD-314/40895-07", "IIR 6 876 0037 08"), the military's messages; and words naming a
# document of another kind ("GILLARD-TREMONT LETTER", "KUBISKE-MCMULLEN TELCON", "DIPLOMATIC NOTE 12"): a meeting
# or a call ("JCG MEETING 14", "STATE-LONDON SVTC"), a law, a resolution or a manual ("UNSC RESOLUTION 1701",
# "SECTION 1206", "12 FAM 540", "8 USC 1182"), a guide ("DSCG 05-1", the Department's classification guide).
NOT_CABLE_SENDERS = frozenset({"CIA", "CIAWASH", "DIA", "DIAWASH", "NSA", "FBI", "DHS", "NCTC", "TD", "TDX", "IIR",
                               "DOD", "SECDEF", "JCS", "CJCS", "USDAO", "DAO", "DATT"})
NOT_CABLE_WORDS = frozenset({
    "LETTER", "EMAIL", "EMAILS", "MEMO", "MEMCON", "TELCON", "FAX", "NOTE", "DIPNOTE", "NONPAPER", "REPORT", "AIRGRAM",
    "MEETING", "MEETINGS", "MTG", "SESSION", "PLENARY", "CONFERENCE", "VTC", "SVTC", "DVC", "TELECON", "CALL",
    "CONVERSATION", "BRIEFING", "MINUTES", "AGENDA", "STATEMENT", "SPEECH", "PAPER", "DOC", "DOCUMENT", "DOCUMENTS",
    "RESOLUTION", "RESOLUTIONS", "RES", "UNSCR", "UNSCRS", "INFCIRC", "SECTION", "ARTICLE", "LAW", "ACT", "BILL",
    "DECREE", "DIRECTIVE", "REGULATION", "TREATY", "AGREEMENT", "GUIDE", "DSCG", "FAM", "FAH", "CFR", "USC"})
# How documents other than cables are numbered: numbers joined by a dash or a slash ("DSCG 05-1", "TD-314/40895-07",
# "3/CD/2-10"), or groups of digits ("IIR 6 877 0123 05"). A cable's serial is one number.
DOCUMENT_NUMBER_RE = re.compile(r"\d[-/]\d|\d \d+ \d")
MONTH_NAMES = frozenset(MONTHS) | frozenset(
    "JANUARY FEBRUARY MARCH APRIL JUNE JULY AUGUST SEPTEMBER SEPT OCTOBER NOVEMBER DECEMBER".split()
)


def resolve_reference(text: str, year: str | None, created: datetime | None = None) -> str | None:
    """ "STATE 6423" (cited by a 2009 cable) -> "09STATE6423"; "09 STATE 6423", "2009 STATE 6423" -> same.

    `year` is the citing cable's, for a citation without one; `created`, its date, tells a serial it could not
    have reached yet that year, which is of the year before."""
    match = CITED_CABLE_RE.match(text.upper())
    if not match:
        return None
    place = re.sub(r"\s+", " ", match.group("place")).strip(" .")
    if place in {"SECSTATE", "SECSTATE WASHDC", "STATE", "DEPT", "DEPARTMENT", "DEPTEL"}:
        place = "STATE"  # DEPTEL: a Department telegram, as posts cite one
    if len(place) < 3 or place in NOT_PLACES or place.split()[0] in MONTH_NAMES:  # "MAY 1 GILLARD LETTER"
        return None
    if place.split()[0] in NOT_CABLE_SENDERS or NOT_CABLE_WORDS.intersection(place.split()):
        return None
    if match.group("dash") and " " in place:  # "STATE-6423", but not "STATE CA-3400", an airgram
        return None
    if len(match.group("serial")) <= 2 and re.match(rf"\s+{_MONTH}", text[match.end():].upper()):
        return None  # "LETTER ... DATED 12 DEC 08": a day of a month, no serial
    serial = int(match.group("serial"))
    cited_year = match.group("year") or match.group("dtg_year") or match.group("date_year") or match.group("late_year")
    if not cited_year and year and created and f"{created:%y}" == year and (
            serial > SERIALS_PER_DAY * (created.timetuple().tm_yday + SERIAL_MARGIN_DAYS)):
        cited_year = f"{(created.year - 1) % 100:02d}"
    year = cited_year or year
    if not year:
        return None
    return f"{year}{post_code(place)}{serial}"


# ----------------------------------------------------------------------------- damaged text

_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]|\ufffd{3,}")
# Symbols that line noise scatters through words ("bm+h$\[QQ6DQ--"); "|" is left out for ASCII tables.
_JUNK_RE = re.compile(r"[$\\\[\]{}~^=`@#+<>]")
# The ordinary uses of those symbols: money, numbers, footnotes and editorial brackets, quotes in
# backticks, e-mail addresses and URLs, rules and arrows ("=====", "<<", "==>").
_BENIGN_MONEY_AND_QUOTES = r"\$\d|#\d|\+\d|\d\+|\[[^\]\s]{1,20}\]|`[^`\s]+`"
_BENIGN_RULES = r"([=~+#<>`^-])\1+"
# What stands before an address's "@" and after it, and before a URL's "://", "www." or ".gov", is bounded by the
# lengths the standards allow (64 and 255 characters, RFC 5321; a host name, 255): unbounded, each place in a long
# run of text without spaces (a base64 attachment) would be searched to its end, the square of its length.
_ADDRESS = r"[^\s@]{1,64}@\S{1,255}\.[A-Za-z]{2,}|\S{0,255}?(?:://|www\.|\.(?:aspx?|html?|php|gov|com|org|net)\b)\S*"
_BENIGN_RE = re.compile(f"{_BENIGN_MONEY_AND_QUOTES}|{_ADDRESS}|{_BENIGN_RULES}")
# A word without "@" nor a URL's mark holds no address: the same without that part, many times faster on a long one.
_ADDRESS_MARK_RE = re.compile(r"@|://|www\.|\.(?:aspx?|html?|php|gov|com|org|net)\b")
_BENIGN_NO_ADDRESS_RE = re.compile(f"{_BENIGN_MONEY_AND_QUOTES}|{_BENIGN_RULES}")
# Case flipping inside a word, or a digit wedged between letters: how noise differs from names and codes.
_IRREGULAR_RE = re.compile(r"[a-z][A-Z].*[a-z][A-Z]|[A-Za-z]\d+\W*[A-Za-z]")
_ALNUM_RE = re.compile(r"[A-Za-z0-9]")
# Any character that is_damaged could act on: text without one is not damaged (one fast scan of a chunk).
_SUSPECT_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffd$\\\[\]{}~^=`@#+<>]")


def is_damaged(line: str) -> bool:
    """Does this line hold a corrupted stretch: control bytes, or symbols fused into words?

    One odd symbol in a word ("pi$atas", "long~and") is an encoding slip, not damage: a token counts as
    noise with two junk symbols, or one in a word whose letters flip case or wrap digits.
    """
    if _CONTROL_RE.search(line):
        return True
    if not _JUNK_RE.search(line):
        return False
    for token in line.split():
        token = (_BENIGN_RE if _ADDRESS_MARK_RE.search(token) else _BENIGN_NO_ADDRESS_RE).sub("", token)
        junk = len(_JUNK_RE.findall(token))
        if not junk or not _ALNUM_RE.search(token):
            continue
        if junk >= 2 or _IRREGULAR_RE.search(token):
            return True
    return False


# ----------------------------------------------------------------------------- lines


def _clean_lines(text: str) -> list[str]:
    """Normalise line ends, drop page-break lines and telegram page furniture, keep everything else."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u00b6", "")
    raw = text.split("\n")
    lines: list[str] = []
    seen_first_page = False
    i = 0
    while i < len(raw):
        line = raw[i].rstrip()
        if line.endswith("\\"):  # the dump's escaped line ends: "CARTER \"
            line = line[:-1].rstrip()
        page = TELEGRAM_PAGE_RE.match(line) if "PAGE" in line else None  # a cheap test first: most lines are text
        if "OF" in line and PAGE_BREAK_RE.match(line):
            first_page = bool(re.search(r"\s0*1(?:\.\d)?\s+OF\s", line))  # page 1's mark sits under the header
            i = _join_across_page_break(lines, raw, i + 1, first_page)
            continue
        if ("of" in line or "OF" in line or "Of" in line) and PAGE_OF_RE.match(line):  # "Page 2 of 5"
            first_page = bool(re.match(r"\s*[-\u2013\u2014]*\s*PAGE\s+0*1\s", line, re.I))
            i = _join_across_page_break(lines, raw, i + 1, first_page)
            continue
        if not page:
            lines.append(line)
            i += 1
            continue
        rest = (page.group("rest") or "").strip()
        if page.group("page") != "01":
            seen_first_page = True
            i = _join_across_page_break(lines, raw, i + 1, False, rest)
            continue
        _drop_page_banner(lines)
        if seen_first_page:
            i = _skip_repeated_section_header(raw, i)
            continue
        seen_first_page = True
        if rest:
            lines.append(rest)
        i += 1
    return lines


def _join_across_page_break(lines: list[str], raw: list[str], i: int, first_page: bool, rest: str = "") -> int:
    """Drop the furniture of a page break whose line was just read: the blank lines padding it and, after the
    first page, the classification banner printed above or below it (the first page's mark sits inside the
    header, which reads every line of its own). A sentence cut by the break joins up again, text that ended
    before it keeps one blank line. `i` is the index of the line after the break; `rest`, the text a page line
    carries after its mark. Returns the index of the next line to read."""
    while lines and (not lines[-1].strip() or not first_page and CLASSIFICATION_BANNER_RE.match(lines[-1])):
        lines.pop()
    if lines and not first_page:
        lines[-1] = BANNER_SUFFIX_RE.sub("", lines[-1])
    while not rest and i < len(raw) and (not raw[i].strip() or not first_page and CLASSIFICATION_BANNER_RE.match(
            raw[i])):
        i += 1
    if lines and (first_page or re.search(r"[.!?:\"')\u201d]$", lines[-1])):
        lines.append("")
    if rest:
        lines.append(rest)
    return i


def _drop_page_banner(lines: list[str]) -> None:
    """The classification banner above a telegram's first page line (blank lines between them or not) is
    furniture, not text: the header under it gives the classification."""
    end = len(lines)
    while end and not lines[end - 1].strip():
        end -= 1
    if end and PAGE_BANNER_RE.match(lines[end - 1]):
        del lines[end - 1:]
        last = next((line for line in reversed(lines) if line.strip()), "")
        while lines and not lines[-1].strip() and not SENTENCE_END_RE.search(last):
            lines.pop()  # a sentence the page cut goes on on the next page
    while lines and PAGE_BANNER_RE.match(lines[-1]):
        lines.pop()
    if lines:
        lines[-1] = BANNER_SUFFIX_RE.sub("", lines[-1])


def _skip_repeated_section_header(raw: list[str], i: int) -> int:
    """Each later section of an old telegram repeats the routing and header down to its PAGE 02 line."""
    for j in range(i + 1, min(i + 16, len(raw))):
        if TELEGRAM_PAGE_RE.match(raw[j]):
            return j + 1
    return i + 1


def _starts_body(line: str) -> bool:
    """A paragraph start that ends the header: "1." or any label with a paragraph marking; or a number set apart
    from its marking in capitals: "1 (U) On ...", "1 . (U) On ..." (NUMBER_APART_RE)."""
    match = PARA_RE.match(line)
    if not match:
        apart = NUMBER_APART_RE.match(line) if "(" in line[:12] else None
        mark = MARK_FIRST_RE.match(line[apart.end():]) if apart else None
        return bool(mark and mark.group(1).isupper() and canonical_marking(mark.group(1)))
    return match.group("label") == "1" or bool(match.group("mark") and canonical_marking(match.group("mark")))


def _split_header_fields(lines: list[str]) -> list[str]:
    """Put each header field that a reflowed page ran into the line before it on a line of its own."""
    out: list[str] = []
    for i, line in enumerate(lines):
        if _starts_body(line):
            return out + lines[i:]
        if not line.strip() or ":" not in line and "(" not in line and "SIPDIS" not in line:
            out.append(line)  # INLINE_FIELD_RE cuts only before a colon's field, a marking or SIPDIS
        else:
            out.extend(part for part in INLINE_FIELD_RE.split(line) if part.strip())
    return out


def _strip_page_marks(lines: list[str], reference_id: str) -> list[str]:
    """Remove page breaks ("CAIRO 00001054 002 OF 002") that a reflowed page left inside lines of text."""
    match = POST_SERIAL_RE.search(reference_id[2:])
    if not match:
        return lines
    mark = None  # this cable's own pattern, compiled only for a line that may hold a page mark
    out = []
    for line in lines:
        if " OF " in line and PAGE_MARK_RE.search(line):
            if mark is None:
                post = r"\s?".join(match.group("post"))
                serial = int(match.group("serial"))
                mark = re.compile(rf"\s*(?:{post}\s+)?(?=\d{{8}}\b)0*{serial}\s+\d{{3}}(?:\.\d)?\s+OF\s+\d{{3}}\b\s*")
            cleaned, found = mark.subn(" ", line)
            line = cleaned.strip() if found else line
        out.append(line)
    return out


# ----------------------------------------------------------------------------- header


def _addressee(line: str) -> str:
    line = ROUTING_PREFIX_RE.sub("", line.strip().upper())
    line = re.sub(rf"\s+{PRECEDENCE}(?:\s+{PRECEDENCE})*(?:\s+\d+)?\s*$", "", line)
    line = re.sub(r"\s+\d{1,5}\s*$", "", line)  # the sequence number: "SECSTATE WASHDC 1007"
    return re.sub(r"\s+", " ", line).strip(" ,.")


def _is_addressee_line(line: str) -> bool:
    stripped = line.strip()
    if not stripped or CLASS_LINE_RE.match(stripped) or FIELD_RE.match(stripped):
        return False
    if re.match(r"^(?:BT|XMT|ZEN|ZFR|ACTION|INFO\s+LOG|E\.?O\.?|NNNN|SENSITIVE|NOFORN)\b", stripped, re.I):
        return False
    if re.match(r"^-{3,}", stripped) or _is_distribution_line(stripped):
        return False
    return bool(re.match(r"^[A-Z0-9][A-Z0-9 /&.,'()-]*$", stripped.upper())) and len(stripped) < 80


_DISTRIBUTION_MARK_RE = re.compile(r"^\s*-{5,}[A-Z0-9]+\s+\d{6}Z\s+/\d+\s*$")
_OFFICE_CODE_RE = re.compile(r"^(?:ACTION|INFO|\(?[A-Z0-9]{1,6}-\d{2}\)?|\)|/\d{3}[RW]?|[RW])$")


def _is_distribution_line(line: str) -> bool:
    """The Department's internal distribution ("ACTION AF-00", "INFO LOG-00 NP-00 ...", "/012W"): not addressees."""
    tokens = line.split()
    if _DISTRIBUTION_MARK_RE.match(line):
        return True
    return bool(tokens) and any("-" in t for t in tokens) and all(_OFFICE_CODE_RE.match(t) for t in tokens)


def _read_addressees(lines: list[str], start: int, first: str) -> tuple[list[str], int]:
    """Addressees starting with `first` (the rest of the TO/INFO line), then continuation lines."""
    found = [_addressee(first)] if first.strip() else []
    i = start + 1
    while i < len(lines) and _is_addressee_line(lines[i]) and not re.match(r"^\s*(?:INFO|FM|TO)\s", lines[i]):
        found.append(_addressee(lines[i]))
        i += 1
    return [a for a in found if a], i


def _field_block(lines: list[str], start: int, first: str, lettered: bool = False) -> tuple[str, int]:
    """A header field that may wrap: its first line's rest, then lines until a blank, another field or a
    numbered or marked paragraph ("B. THE HAGUE 1196" and "D)" of a wrapped reason stay in the field).

    `lettered` (a REF) also reads on past a blank line to its next lettered reference.
    """
    parts = [first.strip()]
    i = start + 1
    while i < len(lines) and not parts[-1].endswith("..."):  # "...": the viewer cut the field off
        line = lines[i].strip()
        following = _next_nonblank(lines, i) if lettered and not line else None
        if following is not None and re.match(r"^\(?[B-Z][.)]\s+\S", lines[following].strip()):
            i = following  # "A. STATE 99971", a blank line, "B. SAN JOSE 1399": one REF
            continue
        if not line or FIELD_RE.match(line) or CLASS_LINE_RE.match(line) or _starts_body(line):
            break
        para = PARA_RE.match(line)
        if para and para.group("label").isdigit() and para.group("sep") == ".":
            break
        if re.match(r"^\((?:U|SBU|C|S|TS)(?:/[A-Z/]+)?\)\s", line):  # "(U) Pol/Econ Chief delivered ..."
            break
        parts.append(line)
        i += 1
    return " ".join(p for p in parts if p), i


def _unfuse_tags(tag: str) -> list[str]:
    """ "KFRDCVISCMGTEG" (tags run together) -> four-letter subject tags, then a two-letter country."""
    if len(tag) <= 12 or not tag.isalpha() or len(tag) % 4 not in (0, 2):
        return [tag]
    cut = len(tag) - len(tag) % 4
    return [tag[k:k + 4] for k in range(0, cut, 4)] + ([tag[cut:]] if cut < len(tag) else [])


def _split_tags(text: str) -> tuple[str, ...]:
    tags: list[str] = []
    for word in re.split(r"[\s,;/]+", text.strip()):  # "PREL, PGOV", "PREL PGOV", "PREL/PGOV", "PREL - PGOV"
        for tag in _unfuse_tags(word.strip(".:()").upper()):
            if tag and re.match(r"^(?=.*[A-Z0-9])[A-Z0-9_-]{1,12}$", tag) and tag not in tags:
                tags.append(tag)
    return tuple(tags)


# Between unlabelled references: ";", ":", " AND ", or a comma before another cable or a bare serial that
# ends the list or is followed by another ("STATE 6423, 7777, 8888"; not a year: "09 STATE 6423, 2008").
REF_SEPARATOR_RE = re.compile(
    r";|:(?!\d)|,?\s+AND\s+|,\s*(?=(?:\d{2,4}\s*)?[A-Z]{2,}(?: [A-Z]{2,})*\s*\d"
    r"|(?!(?:19|20)\d\d\s*$)\d+\s*(?:$|[,;(]|AND\b))"
    # "ANKARA 0112 ISTANBUL 0015": a serial, then the next post's name and serial with nothing between; so too after
    # another document's number ("DSCG 05-1 STATE 1234", "IIR 6 877 0123 05 PARIS 345")
    r"|(?:" + "|".join(rf"(?<=[A-Z] \d{{{n}}})|(?<=[-/]\d{{{n}}})|(?<=\d \d{{{n}}})" for n in range(1, 8))
    + r")(?<!AND \d\d)(?<!AND \d{4})\s+"
    r"(?!(?:PARAS?|PARAGRAPHS?|DATED|DTD|OF|ON|SECTION|PAGE|NOTAL|AND|JAN|FEB|MAR|APR|MAY|JUNE?|JULY?|AUG|SEPT?"
    r"|OCT|NOV|DEC|JANUARY|FEBRUARY|MARCH|APRIL|AUGUST|SEPTEMBER|OCTOBER|NOVEMBER|DECEMBER)\b)"
    r"(?=[A-Z]{3,}(?: [A-Z]{2,})*\s+\d{1,7}\b)")


def _lettered(parts: list[str]) -> list[tuple[str, str]]:
    """(label, text) of references lettered A, B, C...: a letter out of that run is part of the text before it,
    as "J." in "B. E-MAIL FROM J. SMITH" or a reference's own marking "(S)" in "A. STATE 6423 (S) B. ...".
    Empty where the first label is not A."""
    found: list[list[str]] = []
    for token, letter, text in zip(parts[1::3], parts[2::3], parts[3::3], strict=True):
        if letter == chr(ord("A") + len(found)):
            found.append([letter, text])
        elif found:
            found[-1][1] += f" {token}{text}"  # the text starts with its space
        else:
            return []
    return [(label, text) for label, text in found]


# A handling caveat that a reflowed page ran onto the REF line ends it: "... DATED 12 DEC 08. Sensitive But
# Unclassified (SBU). Please protect accordingly."
REF_CAVEAT_RE = re.compile(
    r"[\s.;,]*\b(?:SENSITIVE\s+BUT\s+UNCLASSIFIED|PLEASE\s+(?:PROTECT|HANDLE)\s+ACCORDINGLY"
    r"|NOT\s+FOR\s+(?:INTERNET|PUBLIC)\s+DISTRIBUTION|FOR\s+OFFICIAL\s+USE\s+ONLY)\b", re.I)
# Words that stand for other cables without naming one: "STATE 1234 AND PREVIOUS", "VATICAN 25 AND PREVIOUS
# (NOTAL)", "... AND OTHERS", "SEPTEL" (a cable sent separately). They are no references.
REF_FILLER_RE = re.compile(
    r"(?:(?:AND|ALL|THE|OTHERS?|PREVIOUS(?:LY)?|PREV|PRIOR|EARLIER|LATER|RELATED|SUBSEQUENT|FOLLOWING|SEPTELS?"
    r"|REFTELS?|NOTAL|CABLES|MESSAGES)\b[\s,.]*|\((?:ALL\s+)?NOTAL\)[\s,.]*)+", re.I)


def _split_references(text: str, year: str | None, created: datetime | None = None) -> tuple[Reference, ...]:
    """ "A. STATE 1234 B. 08 MOSCOW 567" -> labelled references, resolved where possible."""
    text = re.sub(r"\s+", " ", text).strip()
    caveat = REF_CAVEAT_RE.search(text)
    text = text[: caveat.start()] if caveat else text
    text = re.sub(r"\b([A-Z])[.)] \(?\1[.)] ", r"\1. ", text)  # "A. (A) STATE 1", "A. A. 09 STATE 1"
    lettered = _lettered(re.split(r"(?:^|\s|;)(\(?([A-Z])(?:\.(?=\s)|\)|:(?=\s)))", " " + text))
    numbered = re.split(r"(?:^|\s|;)\(?([1-9])(?:\.\s+|\)\s*)", " " + text)  # "1. STATE 6423 2. MOSCOW 123"
    # Labels run A, B, C... (or 1, 2, 3...); anything else ("(U) On September 24") is not a list of references.
    if lettered:
        pairs = lettered
    elif (digits := numbered[1::2]) and digits[0] == "1" and len(digits) > 1 and all(
            int(b) == int(a) + 1 for a, b in pairwise(digits)):
        pairs = zip(digits, numbered[2::2], strict=True)
    else:  # "TEHRAN 1091: MOSCOW 1603", "STATE 1111, STATE 6423", "STATE 1111 AND 6423"
        return tuple(_cited_cables("", REF_SEPARATOR_RE.split(text), year, created))
    refs: list[Reference] = []
    for label, chunk in pairs:
        # "A. 09 STATE 6423 AND 09 STATE 7777": two cables under one letter, where each piece is a cable, or
        # a cable and another document ("A. IIR 6 877 0123 05 AND 05 PARIS 345")
        split = REF_SEPARATOR_RE.split(chunk)
        pieces = _cited_cables(label, split, year, created) if len(split) > 1 else []
        cables = sum(1 for piece in pieces if piece.reference_id)
        if cables < 2 and not (cables and all(p.reference_id or _cites_other_document(p.text) for p in pieces)):
            pieces = _cited_cables(label, [chunk], year, created)
        refs.extend(pieces)
    return tuple(refs)


def _cites_other_document(text: str) -> bool:
    """Whether a reference that resolves to no cable names a document of another kind by its number: a report of
    another agency ("IIR 6 877 0123 05"), a letter or a meeting ("JCG MEETING 14"), a guide ("DSCG 05-1")."""
    words = re.findall(r"[A-Z]+", text.upper())
    if not words or not re.search(r"\d", text):
        return False
    return (words[0] in NOT_CABLE_SENDERS or bool(NOT_CABLE_WORDS.intersection(words))
            or bool(DOCUMENT_NUMBER_RE.search(text)))


def _cited_cables(label: str, chunks: list[str], year: str | None, created: datetime | None) -> list[Reference]:
    """The references of one label (or of none), resolved; a bare serial is of the post cited before it."""
    refs: list[Reference] = []
    place = ""
    for chunk in chunks:
        truncated = bool(re.search(r"\S\.\.\.\s*$", chunk))  # "SECSTATE 1...": the viewer cut the number off
        chunk = chunk.strip(" ;,./")
        if not chunk or REF_FILLER_RE.fullmatch(chunk):
            continue
        if place and re.fullmatch(r"\d{1,7}(?: \(.*\))?", chunk):
            chunk = f"{place} {chunk}"  # "STATE 1111 AND 6423": the serial of the same post
        resolved = None if truncated else resolve_reference(chunk, year, created)
        refs.append(Reference(label=label, text=chunk, reference_id=resolved))
        cited = CITED_CABLE_RE.match(chunk.upper()) if resolved else None
        place = cited.group("place").strip() if cited else ""
    return refs


def _subject_text(block: str) -> str:
    """The subject, without a sentence a reflowed page ran into it ("... WOES Sensitive but unclassified.")."""
    words = block.split()
    if len(words) > 3 and all(w.upper() == w for w in words[:3]):
        for k in range(3, len(words) - 1):
            if re.search(r"[a-z]", words[k]) and re.fullmatch(r"[a-z,;.]+", words[k + 1]):
                return " ".join(words[:k])
    return " ".join(words)


def _new_header() -> dict:
    return {"to": [], "info": [], "tags": (), "subject": "", "ref_text": "", "dtg": "", "sender": "",
            "classified_by": "", "class_line": "", "created": None}


def parse_header(lines: list[str]) -> tuple[dict, int]:
    """Read the header fields from the top of the cable's lines; return them and where the body starts.

    The body starts after the last header field, not at paragraph 1: text before paragraph 1 (an
    unnumbered "(SBU) SUMMARY:", paragraph 1's heading) belongs to it.
    """
    fields = _new_header()
    i = last_field_end = 0
    while i < len(lines):
        if _starts_body(lines[i]):
            return fields, last_field_end
        end = _read_routing(lines, i, fields) or _read_field(lines, i, fields)
        if end:
            i = last_field_end = end
        else:
            i += 1
    return fields, last_field_end


def _read_routing(lines: list[str], i: int, fields: dict) -> int | None:
    """DTG, FM, TO/INFO and the classification line; the line index after what was read, or None."""
    stripped = lines[i].strip()
    upper = stripped.upper()
    routing_open = not fields["subject"] and not fields["tags"]  # TO/FM lines come before TAGS and SUBJECT
    if not fields["dtg"] and len(stripped) < 60 and not upper.startswith(("DE ", "SUBJ", "REF")):
        dtg, when = parse_dtg(stripped)
        if dtg:
            fields["dtg"], fields["created"] = dtg, when
            return i + 1
    if _is_distribution_line(stripped):
        return i + 1
    match = _FROM_RE.match(stripped)
    if match and routing_open and not fields["sender"]:
        fields["sender"] = _addressee(match.group(1))
        return i + 1
    match = _TO_RE.match(stripped)
    if match and routing_open:
        found, end = _read_addressees(lines, i, match.group(2))
        if not fields[match.group(1).lower()]:  # a second TO or INFO belongs to a repeated routing block
            fields[match.group(1).lower()].extend(found)
        return end
    if not CLASS_LINE_RE.match(stripped) or len(stripped) >= 120:
        return None
    named = _has_serial(fields["class_line"])
    if routing_open or not named:
        # The line with the serial ("C O N F I D E N T I A L SECTION 01 OF 03 HARARE 006677") names the
        # cable; a bare banner ("CONFIDENTIAL PTQ1859") above a distribution list does not.
        if not fields["class_line"] or (_has_serial(stripped) and not named):
            fields["class_line"] = stripped
        return i + 1
    return None


_FROM_RE = re.compile(r"^(?:FM|FROM):?\s+(.+)$", re.I)
_TO_RE = re.compile(r"^(TO|INFO):?\s+(.*)$", re.I)
_SERIAL_END_RE = re.compile(r"[A-Z]\s+0*\d{1,7}\s*$")


def _has_serial(class_line: str) -> bool:
    return bool(_SERIAL_END_RE.search(SECTION_RE.sub("", class_line).strip()))


_EO_RE = re.compile(r"^E\.?\s?O\.?\s*1\d{4}:?\s*(.*)$", re.I)
_EO_TAGS_RE = re.compile(r"\bTAGS:?\s*(.*)$", re.I)
_DECL_RE = re.compile(r"^DECL(?:ASSIFY)?\s+ON\b", re.I)
_TAGS_RE = re.compile(r"^TAGS\b:?\s*(.*)$", re.I)
_SUBJECT_RE = re.compile(r"^SUBJ(?:ECT)?\b:?\s*(.*)$", re.I)
_REF_RE = re.compile(r"^REF(?:S|TEL|TELS)?\b\s*[:.]?\s*(.*)$", re.I)
_CLASSIFIED_BY_RE = re.compile(r"^(?:\(U\)\s*)?(?:CLASSIFIED\s+BY|DERIVED\s+FROM)\s*:?\s*(.*)$", re.I)


def _read_field(lines: list[str], i: int, fields: dict) -> int | None:
    """E.O., TAGS, SUBJECT, REF, Classified By, Declassify On; the line index after the field, or None."""
    stripped = lines[i].strip()
    match = _EO_RE.match(stripped)
    tags = _EO_TAGS_RE.search(match.group(1)) if match else None  # "E.O. ...: DECL ... TAGS: PREL"
    if match and not tags or _DECL_RE.match(stripped):
        return i + 1
    tags = tags or _TAGS_RE.match(stripped)
    if tags:  # a repeated header's TAGS line is read past; the first one counts
        block, end = _field_block(lines, i, tags.group(1))
        fields["tags"] = fields["tags"] or _split_tags(block)
        return end
    match = _SUBJECT_RE.match(stripped)
    if match and _open(fields["subject"]):
        return _read_subject(lines, i, match.group(1), fields)
    match = _REF_RE.match(stripped)
    if match and _open(fields["ref_text"]):
        fields["ref_text"], end = _field_block(lines, i, match.group(1), lettered=True)
        return end
    if match and re.match(r"^\(?[B-Z][.:)]\s", match.group(1)):  # "REF A: STATE 6423", then "REF B: STATE 40419"
        more, end = _field_block(lines, i, match.group(1), lettered=True)
        fields["ref_text"] += " " + more
        return end
    match = _CLASSIFIED_BY_RE.match(stripped)
    if match and _open(fields["classified_by"]):
        fields["classified_by"], end = _field_block(lines, i, match.group(1))
        following = _next_nonblank(lines, end)
        if following is not None and re.match(r"^\s*REASONS?\b", lines[following], re.I):
            reason, end = _field_block(lines, following, lines[following])  # "Reasons: 1.4 (b)" after a blank
            fields["classified_by"] += " " + reason
        return end
    if not fields["subject"] and _is_unlabeled_subject(lines, i):
        return _read_subject(lines, i, stripped, fields)
    return None


def _open(value: str) -> bool:
    """A field is read from its first copy, unless the viewer cut that copy off ("...") and a later,
    repeated header has it whole."""
    return not value or value.endswith("...")


def _read_subject(lines: list[str], i: int, first: str, fields: dict) -> int:
    """The subject; "SUBJECT:" alone on its line has the subject on the next non-blank line."""
    start = i
    if not first.strip():
        following = _next_nonblank(lines, i + 1)
        if following is not None and not FIELD_RE.match(lines[following]) and not _starts_body(lines[following]):
            start, first = following, lines[following]
    block, end = _field_block(lines, start, first)
    fields["subject"] = _subject_text(block)
    return end


def _next_nonblank(lines: list[str], i: int) -> int | None:
    return next((j for j in range(i, len(lines)) if lines[j].strip()), None)


def _is_unlabeled_subject(lines: list[str], i: int) -> bool:
    """A capitalised line between TAGS and REF/Classified By is the subject, even without "SUBJECT:"."""
    line = lines[i].strip()
    if len(line.split()) < 3 or line.upper() != line or not re.search(r"[A-Z]{3}", line):
        return False
    before = next((lines[j] for j in range(i - 1, -1, -1) if lines[j].strip()), "")
    after = _next_nonblank(lines, i + 1)
    return (bool(re.match(r"^\s*(?:TAGS\b|E\.?\s?O\.?\s*1\d{4}.*\bTAGS\b)", before, re.I))
            and after is not None and bool(re.match(r"^\s*(?:REF|CLASSIFIED\s+BY)", lines[after], re.I)))


# "reasons", "reason:", and the word broken across a line end: "for reaso ns 1.4 b and d", "rea sons 1.4 (b)".
REASON_WORD_RE = re.compile(r"\b(?:FOR\s+)?R ?E ?A ?S ?O ?N(?: ?S)?\b\s*:?\s*", re.I)
# A reason without that word, after the name: "... Henifin per 1.4 (d)", "... RUNDELL, 1.4 (b),(d)",
# "... Ragsdale. 1.5 (b) and (d)". Only at the end, as the section of E.O. 12958 and its letters.
REASON_TAIL_RE = re.compile(
    r"(?:[\s,.;:]+(?:(?:PER|UNDER)\s+)?)(?=1\.\s?[45]\b\s*(?:\(?[A-H]\)?(?:\s*(?:,|AND|&|/|OR)?\s*\(?[A-H]\)?)*)?"
    r"[\s.]*$)", re.I)


def _split_classified_by(text: str) -> tuple[str, str]:
    text = re.sub(r"^(?:CLASSIFIED\s+BY\s*:?\s*)+", "", text, flags=re.I)  # "Classified By: Classified By: ..."
    text = re.sub(r"(\d) \.(\d)", r"\1.\2", text)  # "reasons 1\n.4 (b)" wrapped inside the number
    match = REASON_WORD_RE.search(text) or REASON_TAIL_RE.search(text)
    if not match:
        return text.strip(" .,"), ""
    by = text[: match.start()].strip(" .,;")
    by = re.sub(r"(?:\s*,\s*|\s+)(?:FOR|AND|NOR)$", "", by, flags=re.I).strip(" .,")
    by = re.sub(r"[;,]?\s*E\.?\s?O\.?\s*1\d{4}$", "", by).strip(" .,;")  # "CDA Robert Deutsch; E.O. 12958, reasons"
    return by, text[match.end():].strip(" .")


# ----------------------------------------------------------------------------- body

NOISE_LINE_RE = re.compile(r"^\s*(?:SIPDIS|BT|NNNN|#\d+)\s*$")
# The SIPDIS caption that the release moved to the start of a line of text: "SIPDIS SHOULD BE BROAD-BASED".
SIPDIS_PREFIX_RE = re.compile(r"^\s*SIPDIS\s+(?=\S)")
# A handling caveat is no heading: "SENSITIVE BUT UNCLASSIFIED--PLEASE PROTECT ACCORDINGLY".
HANDLING_RE = re.compile(r"\bUNCLASSIFIED\b|\bACCORDINGLY\b", re.I)
DASH_LINE_RE = re.compile(r"^\s*-{2,}[-\s]*$")
# A heading a reflowed page ran onto the end of a paragraph: "...the MFA. OPPOSITION LEADER CALLS ------".
INLINE_HEADING_RE = re.compile(r"(?:^|(?<=[.!?\"')\]\u201d])\s)\s*(?P<heading>[^.!?\s][^.!?]{1,79}?)\s*-{3,}[-\s]*$")


@dataclass
class _Chunk:
    number: str | None
    marking: str
    heading: str = ""
    lines: list[str] = field(default_factory=list)
    heading_marking: str = ""  # the marking printed before the heading: "(C) OUTLOOK"


def _is_title(rest: str) -> bool:
    """A paragraph title standing alone on its line: capitalised words, no sentence end or comma."""
    return bool(_TITLE_RE.fullmatch(rest.strip()))


_TITLE_RE = re.compile(r"[A-Z][A-Za-z'/&-]*(?: [A-Za-z'/&()-]+){0,8}:?")


ROMAN_NEXT = {"I": "II", "II": "III", "III": "IV", "IV": "V", "V": "VI", "VI": "VII", "VII": "VIII", "VIII": "IX",
              "IX": "X", "X": "XI", "XI": "XII"}
LEAD_MARK_RE = re.compile(rf"^\s*(?:\w{{1,3}}[.)]\s*)?\(([A-Za-z /-]{{1,20}}|{COMMA_MARK})\)")
# A line that opens with a lower-case letter in parentheses, after its paragraph number perhaps: "(b) The Dutch ...",
# "39. (b) The Dutch ...": a list's label, or a marking written in lower case ("(c)", "(s)").
LOWER_LABEL_RE = re.compile(r"^\s*(?:\w{1,3}[.)]\s*)?\(([a-z])\)\s")
# An item numbered in parentheses at a line's start: "(1) (S/NF) WHAT ...?", read as "1) (S/NF) WHAT ...?" is.
PAREN_ITEM_RE = re.compile(r"^(\s*)\((\d{1,3})\)(?=\s)")


class _Numbering:
    """Which lines start a paragraph, and its number.

    Numbers ("1.") start one with a paragraph marking, or without when they continue the sequence;
    lettered sections ("A.") with a marking, or the next letter after text that has ended ("A)" too, in a
    cable that marks no text or where a letter of the same list is marked); their items ("1)") with a marking,
    or the next item. Letters start again after each number and items after each letter or number, so
    09STATE6423 runs 1, A, A.1 ... A.4, B, B.1 ..., 2. Sub-paragraphs numbered after their paragraph ("2(a)",
    "2.A.") are "2.A", "2.B".
    """

    def __init__(self, classification: str = "") -> None:
        self.classification = classification  # the cable's, which no marking of its text exceeds
        self.lower_label = ""  # the letter of the last line that opened with one in parentheses: "(b)"
        self.started = False  # whether the line before started a paragraph
        self.paren_item = 0  # the item last read from "(n)", while it is the last item read
        self.last = 0
        self.letter = ""
        self.item = 0
        self.parent: str | None = None
        self.dotted = False  # items numbered "1." under letters, as well as paragraphs
        self.asked = False  # whether the last such item asked a question
        self.paren = False  # paragraphs numbered "1)", in a cable that numbers no other way
        self.marked = False  # a line so far opened with a marking: "(S/NF) Source reporting follows:"
        self.listed = 0  # the last item of a list "1. 2. 3." inside the current paragraph
        self.sub = ""  # the letter of the last sub-paragraph ("2(b)": "B") of the current paragraph
        self.letter_sep = ""  # how the current letter is set off: "A." or "A)"
        self.ceiling = 0  # the highest level of the markings read so far

    def _marking(self, mark: str) -> str | None:
        """A marking as written at a paragraph's start (`_paragraph_marking`); a bare "(NF)" at least at the highest
        level read so far, so that it never stands below the text before it."""
        marking = _paragraph_marking(mark, self.classification, self.ceiling)
        if marking:
            self.ceiling = max(self.ceiling, marking_access(marking)[0])
        return marking

    def start(self, line: str, previous: str, following: Iterable[str] = ()) -> tuple[str, str, int] | None:
        """(number, marking, where the text starts) if the line starts a paragraph. Only after a line that
        ended a sentence (or was blank) is the text `closed`, so "A. RAHMAN" wrapped onto a line is no
        section. `following` are the lines after it, read to tell a letter's items from paragraphs."""
        lower = LOWER_LABEL_RE.match(line) if "(" in line[:12] else None
        found = self._start(line, previous, following)
        if lower:
            self.lower_label = lower.group(1)
        self.started = found is not None
        return found

    def _start(self, line: str, previous: str, following: Iterable[str]) -> tuple[str, str, int] | None:
        # "(1) ..." in a lettered section is read as "1) ..." (the same length, so the offsets hold): an item, and only
        # that
        paren = PAREN_ITEM_RE.match(line) if "(" in line[:8] else None
        probe = f"{paren[1]} {paren[2]}){line[paren.end():]}" if paren else line
        if not self.marked and "(" in probe[:12] and (lead := LEAD_MARK_RE.match(probe)) and self._marking(
                lead.group(1)) and not self._list_letter(lead.group(1), following):
            self.marked = True
        sub = SUB_PARA_RE.match(line)
        if sub and (found := self._sub_paragraph(sub, _has_ended(previous), following)):
            return found
        match = PARA_RE.match(probe)
        if not match:
            return None
        closed = _has_ended(previous)
        if match.group("word") and not closed:  # "... listed in\nPARA 2. They ...": a reference
            return None
        label, sep, mark = match.group("label"), match.group("sep"), match.group("mark")
        marking = self._marking(mark) if mark else ""
        if marking and self._list_letter(mark, following):
            marking = None  # "40. (c) Yes, ..." after "39. (b) ...": the list's label, kept in the text
        offset = match.end() if marking is not None else match.start("mark") - 1  # keep "(SE)" in the text
        if label.isdigit() and sep == "." and self._dotted_item(int(label), marking, closed, line, following):
            self.dotted, self.item = True, int(label)
            return f"{self.parent}.{label}", marking or "", offset
        if label.isdigit() and sep in ".,":
            # A number out of sequence starts a paragraph only with a marking, or as a short title line
            # that jumps ahead after a finished one ("15. Collection requirements and tasking", a typo).
            # Unmarked, the next item of a list run on line by line inside the paragraph is that list's:
            # "3. (C) He raised five points:" over "1. ... 2. ... 3. ... 4. Oil theft." holds them all.
            number = int(label)
            jump = sep == "." and closed and self.last < number <= self.last + 15 and _is_title(line[match.end():])
            listed = not marking and self.listed and number == self.listed + 1 and previous.strip()
            if listed or not (marking and sep == ".") and number != self.last + 1 and not jump:
                self.listed = number if sep == "." and (number == 1 or listed) else 0
                return None
            self.listed, self.sub = 0, ""
            self.last, self.parent, self.letter, self.item = number, label, "", 0
            return label, marking or "", offset
        if marking is None:  # "(PROTECT)", "(NOTAL)": not a marking
            return None
        if label.isalpha():
            expected = ROMAN_NEXT.get(self.letter, "") if len(self.letter) > 1 else (
                chr(ord(self.letter) + 1) if self.letter else "A")
            if len(label) > 1 and not (marking and label == ROMAN_NEXT.get(self.letter)):
                return None  # "II. (U) FOR ...": a roman numeral counts marked, after "I."
            if not marking and not (label == expected and closed and (sep == "." or sep == ")" and self._lettered(
                    label, following))):
                return None
            self.letter, self.parent, self.item, self.letter_sep = label, label, 0, sep
            return label, marking, offset
        if paren and not (self.letter and self.parent == self.letter and (
                marking or self._paren_item(int(label), closed, line[match.end():]))):
            return None  # "(1)" under a numbered paragraph is an item of that paragraph's own list, in its text
        if not marking and not (self.parent and int(label) == self.item + 1):
            if paren or not (closed and self._paren_paragraph(int(label))):
                return None
            self.paren, self.last, self.parent, self.letter, self.item = True, int(label), label, "", 0
            self.sub = ""
            return label, "", offset
        self.item = int(label)
        self.paren_item = self.item if paren else 0
        return (f"{self.parent}.{label}" if self.parent else label), marking, offset

    def _paren_item(self, number: int, closed: bool, rest: str) -> bool:
        """Whether an unmarked "(n)" at a line's start is the next item of its lettered section, as "n)" is: after
        text that has ended, after the item "(n-1)" (a page break may have joined it to the line above), or on the
        line under its section's title ("A. Terrorism and Crime" over "(1) Terrorist Threats"), unless it goes on in
        lower case with a sentence: "... they criticize" over "(1) the U.S. plea bargaining system"."""
        if number != self.item + 1:
            return False
        return closed or bool(self.paren_item and self.paren_item == self.item) or (
            self.started and not LOWER_START_RE.match(rest))

    def _sub_paragraph(self, match: re.Match, closed: bool, following: Iterable[str] = ()
                       ) -> tuple[str, str, int] | None:
        """ "2(b)" after "2(a)" in paragraph 2: sub-paragraph "2.B". Its letter follows on: A first, under the
        current paragraph or opening the next one ("3.A. (C) ..." after paragraph 2). Unmarked, it starts only
        after text that has ended: "... paragraph\n2(a) of the resolution" is a reference wrapped."""
        parent = int(match.group("parent"))
        letter = (match.group("dotted") or match.group("paren")).upper()
        mark = match.group("mark")
        marking = self._marking(mark) if mark else ""
        if marking and self._list_letter(mark, following):
            marking = None
        if parent not in (self.last, self.last + 1):
            return None
        expected = chr(ord(self.sub) + 1) if parent == self.last and self.sub else "A"
        if letter != expected or not (marking or closed):
            return None
        if parent != self.last:
            self.last, self.listed = parent, 0
        self.sub, self.parent, self.letter, self.item = letter, f"{parent}.{letter}", "", 0
        offset = match.end() if marking is not None else match.start("mark") - 1  # keep "(PROTECT)" in the text
        return self.parent, marking or "", offset

    def _list_letter(self, mark: str, following: Iterable[str]) -> bool:
        """Whether a lower-case letter in parentheses that reads as a marking ("(c)", "(s)", "(u)") is a list's label
        instead: the cable's classification cannot hold that marking ("(c)" in an UNCLASSIFIED cable), or the
        letters run in sequence with it: the last line opened by such a letter was the letter before it ("(b)"), or
        the next is the letter after it ("(d)"). A marking written in capitals is a marking."""
        mark = mark.strip()
        if len(mark) != 1 or not mark.islower():
            return False
        if _exceeds(mark, canonical_marking(mark) or "", self.classification):
            return True
        if self.lower_label and ord(self.lower_label) == ord(mark) - 1:
            return True
        return _next_lower_label(following) == chr(ord(mark) + 1)

    def _lettered(self, label: str, following: Iterable[str]) -> bool:
        """ "A) WHAT ...?" without a marking starts section A where no marked text could own it, as with "1)". In
        a cable that marks its text, a list lettered so is that text's, unless one of its letters starts a section
        by its own marking: its siblings are read alike, so that "A)" before "B) (C/NF) ..." is no stray line of
        the paragraph above (nor the heading of B), and "C)" after it is no part of B."""
        if not self.marked or self.letter and self.letter_sep == ")":
            return True
        return _marked_letter_follows(label, following)

    def _paren_paragraph(self, number: int) -> bool:
        """An unmarked cable numbered "1) ... 2) ...": its paragraphs, once it opens with "1)". Not in a
        cable that has marked any text: there "1)" items belong to the marked text before them, and take
        its marking."""
        if self.marked:
            return False
        return number == self.last + 1 and (self.paren or (number == 1 and self.parent is None))

    def _dotted_item(self, number: int, marking: str | None, closed: bool, line: str,
                     following: Iterable[str]) -> bool:
        """ "1. (S//NF) WHAT ...?" under "A. (U) FOR IRAN WATCHERS:": an item numbered like a paragraph.
        It must follow the letter's items in sequence; a number that also continues the paragraphs is
        an item only once the cable has numbered its items so, and only if it reads like them: after
        items that asked, "5. Posts should send responses by April 1." is the paragraph after paragraph 4
        that asked them."""
        if not (self.letter and self.parent == self.letter and number == self.item + 1):
            return False
        restart = number == 1 and self.last != 0  # "1." again under a letter: no paragraph in sequence
        if not (marking or (marking == "" and closed and (self.dotted or restart))):
            return False
        asks = _asks(line, following)
        if number == self.last + 1 and not (self.dotted and (asks or not self.asked)):
            return False
        self.asked = asks
        return True

    def inline_start(self, line: str) -> int | None:
        """Where the next numbered paragraph starts inside this line, if a reflowed page joined them."""
        if "(" not in line:  # every inline start has its marking in parentheses
            return None
        for match in INLINE_PARA_RE.finditer(line):
            # the next number, or one a little further on: a paragraph number skipped ("5. ... 8. (C) COMMENT")
            if (self.last < int(match.group("label")) <= self.last + 3
                    and self._marking(match.group("mark"))
                    and INLINE_PARA_BEFORE_RE.search(line, max(0, match.start() - 12), match.start())):
                return match.start("label")
        return None


# NOFORN written alone as a paragraph's marking, without a level: "(NF)", "(NOFORN)".
BARE_NOFORN_RE = re.compile(r"\s*(?:NF|NOFORN)\s*")


def _paragraph_marking(mark: str, classification: str = "", floor: int = 0) -> str | None:
    """A paragraph's marking as written ("S/NF, ORCON" -> "S//NF//OC", `canonical_marking`), or None. NOFORN written
    alone ("(NF)", "(NOFORN)") names no level: its text may be anything the cable holds, and none of it is for
    foreign readers, so it is read at the cable's classification with NOFORN ("S//NF" in a SECRET cable), or at
    `floor` (the highest level the cable's text was seen marked) where that is higher; without a classification to
    read, it stays unread (None), and raises its paragraph as `unread_marking_access` reads it."""
    marking = canonical_marking(mark)
    if marking is not None or not BARE_NOFORN_RE.fullmatch(mark or ""):
        return marking
    cable = canonical_classification(classification)
    if not cable:
        return None
    return ("U", "C", "S", "TS")[max(marking_access(cable)[0], floor)] + "//NF"


def _next_lower_label(following: Iterable[str]) -> str:
    """The letter of the next line that opens with a lower-case letter in parentheses ("(d) ..."), or ""."""
    for line in islice(following, 200):
        if "(" in line[:12] and (label := LOWER_LABEL_RE.match(line)):
            return label.group(1)
    return ""


def _marked_letter_follows(label: str, following: Iterable[str]) -> bool:
    """Whether a later letter of the list that `label` ("A") opens ("B)", "C)" ...) carries a marking, before
    the next numbered paragraph."""
    letter = label
    for line in islice(following, 200):  # a list's letters are close together
        match = PARA_RE.match(line) if ")" in line[:12] or "." in line[:12] else None
        if not match:
            continue
        found, sep = match.group("label"), match.group("sep")
        if found.isdigit() and sep != ")":
            return False
        if sep == ")" and len(found) == 1 and found == chr(ord(letter) + 1):
            if match.group("mark") and canonical_marking(match.group("mark")):
                return True
            letter = found
    return False


def _has_ended(previous: str) -> bool:
    """Whether the text before a line has ended: a blank line, or a sentence end."""
    return not previous.strip() or bool(SENTENCE_END_RE.search(previous))


def _asks(line: str, following: Iterable[str]) -> bool:
    """Whether the text that opens on this line asks a question before a blank line or the next numbered
    or lettered line."""
    if "?" in line:
        return True
    for text in following:
        if not text.strip() or PARA_RE.match(text):
            return False
        if "?" in text:
            return True
    return False


def split_paragraphs(lines: list[str], classification: str = "") -> tuple[tuple[Paragraph, ...], str]:
    """Split body lines into numbered, marked paragraphs and the signature at the end. `classification`: the
    cable's, which no marking of its text exceeds (a lower-case "(c)" in an UNCLASSIFIED cable is a list's label)."""
    lines = [SIPDIS_PREFIX_RE.sub("", line) if "SIPDIS" in line else line for line in lines
             if not NOISE_LINE_RE.match(line)]
    lines, signature = _take_signature(lines)
    chunks = _chunks(_rejoin_sentences(lines), classification)
    for chunk, following in pairwise(chunks):
        heading, marking, rest = _trailing_heading(chunk.lines, 1 if chunk.number else 0)
        if heading and _asks_on(heading, rest):
            continue  # "IF SO, WHEN?" after a question goes on asking it; it heads nothing
        chunk.lines = rest
        if heading and not following.heading:
            following.heading, following.heading_marking = heading, marking
    found: list[tuple[Paragraph, str]] = []  # each paragraph, and the marking of the heading above it
    ceiling = max((marking_access(chunk.marking)[0] for chunk in chunks if chunk.marking), default=0)
    chunks = [_with_lead_marking(chunk, classification, ceiling) for chunk in chunks]
    ceiling = max((marking_access(chunk.marking)[0] for chunk in chunks if chunk.marking), default=0)
    for chunk in chunks:
        found.extend((_with_inner_marking(p, classification, ceiling), chunk.heading_marking if k == 0 else "")
                     for k, p in enumerate(_with_damage(chunk)))
    paragraphs = _held_to_headings([(p, marking) for p, marking in found if p.text or p.number])
    return _unique_numbers(paragraphs), signature


def _held_to_headings(found: list[tuple[Paragraph, str]]) -> list[Paragraph]:
    """A paragraph under a marked heading ("(C) OUTLOOK") is held at least at the heading's marking: the heading is
    shown with it. Its own marking rises to the heading's where that is stricter; without one, it takes the
    heading's, or the access unmarked text takes in its place where that is stricter (the access in force before
    it, its ancestors'), as the importer holds unmarked text (cables.markings.paragraph_accesses): a heading marked
    lower than the text above lowers nothing under it."""
    paragraphs: list[Paragraph] = []
    held = HeldAccess()
    for paragraph, heading_marking in found:
        if heading_marking:
            marking = (_higher(paragraph.marking, heading_marking) if paragraph.marking
                       else _higher(heading_marking, _access_marking(held.unmarked(paragraph))))
            paragraph = replace(paragraph, marking=marking)
        held.take(paragraph)
        paragraphs.append(paragraph)
    return paragraphs


def _access_marking(access: tuple[int, bool]) -> str:
    """An access (level, NOFORN) as a paragraph marking: (2, True) -> "S//NF"; "" for (0, False), no marking."""
    if access == (0, False):
        return ""
    return ("U", "C", "S", "TS")[access[0]] + ("//NF" if access[1] else "")


# A line that opens with a word in lower case ("how do they ...", "and the"), not with a list label ("a)",
# "e.g.") or a redaction ("xxxxxxxxxxxx, Ministry of the Interior").
LOWER_START_RE = re.compile(r"^\s*(?!x{4})[a-z][a-z'-]*(?:[\s,;]|$)")
# A line that ends its sentence: "... with the Quai d'Orsay?", "... in Dubai."
ENDS_SENTENCE_RE = re.compile(r"[.!?][\"'\u201d)\]]*\s*$")
# What closes a stretch of text without a full stop: "End Summary", "END COMMENT".
CLOSING_RE = re.compile(r"\bEND\s+(?:OF\s+)?(?:SUMMARY|COMMENT|NOTE|TEXT|QUOTE)\s*$", re.I)


def _rejoin_sentences(lines: list[str]) -> list[str]:
    """Blank lines inside a sentence are no paragraph break: a line that goes on in lower case with the
    sentence the text above left unfinished ("... the Iran file, and", "", "how do they ...") joins it."""
    out: list[str] = []
    for line in lines:
        if out and not out[-1].strip() and LOWER_START_RE.match(line):
            last = next((k for k in range(len(out) - 1, -1, -1) if out[k].strip()), None)
            if last is not None and not _has_ended(out[last]):
                del out[last + 1:]
        out.append(line)
    return out


def _goes_on(before: str, line: str) -> bool:
    """Whether `line` goes on with the sentence that `before` left unfinished: it opens in lower case, or it
    ends the sentence ("... AND HOW", "", "DO THEY COORDINATE WITH THE QUAI D'ORSAY?"). "End Summary" without
    its full stop has ended all the same."""
    if _has_ended(before) or CLOSING_RE.search(before):
        return False
    return bool(LOWER_START_RE.match(line) or ENDS_SENTENCE_RE.search(line))


# A marking inside a paragraph's text, opening a line or a sentence, perhaps after an item's label or bullet:
# "(S/NF) Second.", "I. (S/NF) ...", "-- (S/NF) ...", "* (C) ...", "\u2022 (C) ...", "(1) (S/NF) ...", "(a) (C) ...",
# "(iv) (S) ..."; or after a dash set off by spaces, which opens a point as a line's start does: "KEY POINTS \u2014 (C)
# Egypt's bloggers ...". A colon may follow it ("-- (S/NF):"), and it may end the text. The pattern opens with "(",
# which the engine finds fast; what stands before it is tested after, in the INNER_MARK_LOOKBACK characters before it.
INNER_MARK_RE = re.compile(r"\(([A-Z][A-Z /,-]{0,39})\)(?=:?(?:\s|$))")
INNER_MARK_BEFORE_RE = re.compile(
    r"(?:(?:^|\n|[.!?:;\"'\u201d]\s)[ \t]*"
    r"(?:(?:[A-Za-z0-9]{1,3}[.)]|\([A-Za-z0-9]{1,4}\)|-{1,3}|[*o\u2022\u00b7\u2013\u2014>])[ \t]*)?"
    r"|\s(?:-{2,3}|[\u2013\u2014])[ \t]+)$")
INNER_MARK_LOOKBACK = 16
# A marking after a short heading at the head of a paragraph's text, before a colon or a dash, the end of its line or
# the text: "MILITARY TIES (S/NF): The ...", "KEY POINTS -- (S/NF):", "OUTLOOK (C) Russia's ...", "Military Ties
# (S/NF): ...". The heading's words open in capitals, but for a few short words that join them ("of", "and").
_HEADING_WORD = r"(?:[A-Z0-9][A-Za-z0-9'&/.,-]*|of|and|the|in|on|for|to|with|at|by|from|a|an|or)"
_HEADING = (rf"(?P<heading>[A-Z0-9][A-Za-z0-9'&/.,-]*(?:[ \t]+{_HEADING_WORD}){{0,7}})[ \t]*"
            r"(?:(?:-{1,3}|[\u2013\u2014]|:)[ \t]*)?")
HEADING_MARK_RE = re.compile(rf"^[ \t]*{_HEADING}\((?P<mark>[A-Z][A-Z /,-]{{0,39}})\)")
# The same after the number of a paragraph that a reflowed page ran into the text before it: "... in 2008. 3. MILITARY
# TIES (S/NF): Vladimir ...", searched for in the HEADING_LOOKBACK characters before a marking inside the text.
RUN_IN_HEADING_RE = re.compile(rf"(?:^|[.!?:;\"'\u201d)]\s+)\d{{1,3}}[.)][ \t]*{_HEADING}$")
HEADING_LOOKBACK = 90
# What follows such a marking: a colon or a dash that sets it off, and the rest of its line.
AFTER_HEADING_MARK_RE = re.compile(r"(?P<after>[ \t]*(?::|-{1,3}|[\u2013\u2014]))?(?P<rest>[^\n]*)")


def _heading_marking(heading: str, mark: str, following: str, classification: str = "", ceiling: int = 0
                     ) -> str | None:
    """The marking `mark` written after a short heading ("MILITARY TIES (S/NF): The ..." -> "S//NF"), or None;
    `following` is the text after its parenthesis. Only a marking as written (`_paragraph_marking`): "THE UN (UN)
    ...", "(US)" are none. A single letter ("(C)") counts set off by a colon or a dash or at its line's end; after
    a heading in capitals, before text in lower case too. Not before text in capitals ("OPTION (C) IS PREFERRED": a
    list's label, in a telegram all in capitals), nor after words in lower case ("Option (C) would ..."), nor above
    the cable's classification ("UNSCR 1737 (C) requires ..." in an UNCLASSIFIED cable: the resolution's
    paragraph)."""
    if len(heading) > 60 or not re.search(r"[A-Z][A-Za-z]", heading):
        return None
    marking = _paragraph_marking(mark, classification, ceiling)
    if not marking or len(mark.strip()) > 1:
        return marking or None
    cable = canonical_classification(classification)
    if cable and marking_access(marking)[0] > marking_access(cable)[0]:
        return None
    after = AFTER_HEADING_MARK_RE.match(following)
    if after.group("after") or not after.group("rest").strip():
        return marking
    capitals = not re.search(r"[a-z]", heading)
    return marking if capitals and re.search(r"[a-z]", after.group("rest")) else None


# A paragraph opening with a lower-case letter in parentheses that the numbering read as a list's label: "(c) The ..."
LEAD_LOWER_LETTER_RE = re.compile(r"^\(([a-z])\)\s")


def _with_inner_marking(paragraph: Paragraph, classification: str = "", ceiling: int = 0) -> Paragraph:
    """A paragraph is as classified as the most classified text in it: one marked (C) that holds a
    block marked (S/NF) is S//NF, so that no reader cleared for (C) alone sees that block. A marking after a short
    heading that opens a numbered paragraph ("2. MILITARY TIES (S/NF): ...") is that paragraph's, as if written
    before the heading (`_heading_marking`); one after the heading of a numbered paragraph run into the text ("...
    in 2008. 3. MILITARY TIES (S/NF): ...") raises it. NOFORN alone ("-- (NF) ...") raises it to NOFORN at the
    cable's classification, or at `ceiling` (the highest level its paragraphs are marked) where that is higher
    (`_paragraph_marking`)."""
    if "(" not in paragraph.text:
        return paragraph
    text = paragraph.text
    if not paragraph.marking and (label := LEAD_LOWER_LETTER_RE.match(text)) and (
            letter := canonical_marking(label.group(1))) and classification and not _exceeds(
            label.group(1), letter, classification):
        # "2. (c) The minister ..." read as a list's label ("(b)" came before), in a cable that could hold a (C):
        # label or marking, no one can tell; the text is held to the cable's classification, never below it
        paragraph = replace(paragraph, marking=_access_marking(marking_access(classification)) or "U")
    head = HEADING_MARK_RE.match(text) if paragraph.number and "(" in text[:90] else None
    written = head and _heading_marking(head.group("heading"), head.group("mark"), text[head.end():], classification,
                                        ceiling)
    found = [written] if written else []
    for match in INNER_MARK_RE.finditer(text):
        if INNER_MARK_BEFORE_RE.search(text, max(0, match.start() - INNER_MARK_LOOKBACK), match.start()):
            found.append(_paragraph_marking(match.group(1), classification, ceiling))
        elif run := RUN_IN_HEADING_RE.search(text, max(0, match.start() - HEADING_LOOKBACK), match.start()):
            found.append(_heading_marking(run.group("heading"), match.group(1), text[match.end():], classification,
                                          ceiling))
    found = [m for m in found if m]
    if re.search(r"(?:^|\s)\([AB]\)\s", paragraph.text):  # "(A) ... (B) ... (C) ...": list labels, not markings
        found = [m for m in found if len(m) > 1 and m != "TS"]
    marking = paragraph.marking
    if written and written in found and not marking:
        marking = written  # the paragraph's own, as "2. (U) MILITARY TIES: ..." would be: no other raises it
    for inner in found:
        marking = _higher(marking, inner)
    return paragraph if marking == paragraph.marking else replace(paragraph, marking=marking)


def _higher(marking: str, other: str) -> str:
    """The stricter of two paragraph markings: the higher level, NOFORN if either is."""
    level, noforn = marking_access(marking)
    other_level, other_noforn = marking_access(other)
    result = other if other_level > level else marking
    if (noforn or other_noforn) and not marking_access(result)[1]:
        result = (result or "U").split("//")[0] + "//NF"
    return result


def _letters_restart(paragraphs: list[Paragraph]) -> bool:
    """Whether the letters start again under a later numbered paragraph ("2. ... A. B. 3. ... A. B."):
    then every lettered section is qualified by its paragraph, the first ones too, so that "2.A" and
    "3.A" read alike."""
    top, under = None, {}  # letter -> the paragraph it first came under
    for paragraph in paragraphs:
        number = paragraph.number or ""
        if number.isdigit():
            top = number
        elif number.isalpha() and top:
            if under.setdefault(number, top) != top:
                return True
    return False


def _unique_numbers(paragraphs: list[Paragraph]) -> tuple[Paragraph, ...]:
    """Paragraph numbers are addresses (anchors, links to questions), so they must not repeat.

    Lettered sections that restart under each numbered paragraph ("2. ... A. ... B.") are qualified by
    it ("2.A", "2.A.1"); anything still repeated (a page that holds its text twice) gets a counter.
    """
    seen: set[str] = set()
    counted: dict[str, int] = {}  # number -> the counter its next repeat tries first, so repeats cost no search
    top = None
    qualified: dict[str, str] = {}  # section letter -> its qualified number, for its sub-items
    restarts = _letters_restart(paragraphs)
    unique = []
    for paragraph in paragraphs:
        number = paragraph.number
        if number and number.isdigit():
            top = number
        elif number and number.isalpha():
            qualified.pop(number, None)
        head = number.split(".")[0] if number else ""
        if number and "." in number and head in qualified:
            number = qualified[head] + number[len(head):]
        elif number and top and not number.isdigit() and not number.startswith(top + ".") and (
                number in seen or restarts and number.isalpha()):
            number = f"{top}.{number}"
            if paragraph.number.isalpha():
                qualified[paragraph.number] = number
        if number and number in seen:
            count = counted.get(number, 2)
            while f"{number}({count})" in seen:
                count += 1
            counted[number] = count + 1
            number = f"{number}({count})"
        if number:
            seen.add(number)
        unique.append(paragraph if number == paragraph.number else replace(paragraph, number=number))
    return tuple(unique)


def _chunks(lines: list[str], classification: str = "") -> list[_Chunk]:
    """The body cut at paragraph starts; the first chunk holds any unnumbered text before them.

    A quotation that a numbered paragraph opens ("Begin text of letter:") is that paragraph's text, with
    any numbered items in it: they do not take over the cable's own numbers.
    """
    intro = _table_of_contents(lines)
    chunks = [_Chunk(None, "", lines=lines[:intro])]
    numbering = _Numbering(classification)
    queue = deque(lines[intro:])
    previous = ""
    quotation = _Quotation() if _quotes(lines) else None
    while queue:
        line = queue.popleft()
        if quotation and quotation.holds(line, numbering.last, queue):
            chunks[-1].lines.append(_cut_after_quotation(line, numbering, queue))
            previous = line
            continue
        if NUMBER_APART_RE.match(line):
            line = _number_apart(line, previous, queue, numbering.last)
        start = numbering.start(line, previous, queue)
        previous = line
        if start:
            number, marking, offset = start
            chunks.append(_Chunk(number, marking))
            line = line[offset:]
        if quotation and chunks[-1].number and quotation.opens(line, queue):
            chunks[-1].lines.append(_cut_after_quotation(line, numbering, queue))
            continue
        cut = numbering.inline_start(line)
        if cut is not None:
            queue.appendleft(line[cut:])
            line = line[:cut].rstrip()
        chunks[-1].lines.append(line)
    return chunks


# An entry of a list of topics: "1.   Lead Stories Summary", "2.   Outbreak of Swine Flu in Mexico".
TOPIC_RE = re.compile(r"^\s*(?P<label>\d{1,2})(?P<sep>[.)])\s+(?P<title>[^\s(].{0,79})$")


def _table_of_contents(lines: list[str]) -> int:
    """Where a list of topics above the paragraphs ends, or 0. A media reaction lists its topics, one short line
    each ("1. Iran", "2. Afghanistan" ...), then takes them up in paragraphs numbered from 1 again: the list
    belongs to the introduction, and the paragraphs are numbered from where the numbering restarts. The list
    is the body's first numbered lines, at least three, one under the other; the next numbered line is 1."""
    start = next((k for k, line in enumerate(lines) if (para := PARA_RE.match(line)) and para.group("label").isdigit()),
                 None)
    first = TOPIC_RE.match(lines[start]) if start is not None else None
    if not first or first.group("label") != "1":
        return 0
    end = start + 1
    while end < len(lines) and (item := TOPIC_RE.match(lines[end])) and item.group("sep") == first.group(
            "sep") and int(item.group("label")) == end - start + 1:
        end += 1
    if end - start < 3:
        return 0
    following = next((line for line in lines[end:] if PARA_RE.match(line)), "")
    restart = TOPIC_RE.match(following) or PARA_RE.match(following)
    return end if restart and restart.group("label") == "1" and restart.group("sep") == first.group("sep") else 0


def _number_apart(line: str, previous: str, queue: deque[str], last: int) -> str:
    """ "2 (S) Text" or "2" over "(S) Text", after text that has ended and following on from paragraph 1
    (or a number or two further on, one skipped): paragraph 2, rewritten "2. (S) Text" (the next line taken
    from `queue`). A number that a sentence wrapped onto a line of its own ("... on March\n15\n") is not.
    "2 . (S) Text", its full stop set apart, is "2. (S) Text" whatever stands in the parentheses ("2 . (SU)")."""
    match = NUMBER_APART_RE.match(line)
    if not match or not last < int(match.group("label")) <= last + 3:
        return line
    if not _has_ended(previous):
        return line
    alone = match.end() == len(line)
    rest = queue[0] if alone and queue else line[match.end():]
    mark = MARK_FIRST_RE.match(rest)
    dotted = not alone and "." in line[match.end("label"):match.end()]
    if not mark or mark.group(1) != mark.group(1).upper() or not (dotted or canonical_marking(mark.group(1))):
        return line  # "2 (a)": a sub-paragraph's letter, not a marking
    if alone:
        queue.popleft()
    return f"{match.group('label')}. {rest.lstrip()}"


def _quotes(lines: list[str]) -> bool:
    """Whether the body opens a quotation anywhere. Only lines with "begin" or "follow" in them can: a
    substring test finds those fast."""
    text = "\n".join(lines).lower()
    for word in ("begin", "follow"):
        at = text.find(word)
        while at >= 0:
            start, end = text.rfind("\n", 0, at) + 1, text.find("\n", at)
            if QUOTE_RE.search(text, start, len(text) if end < 0 else end):
                return True
            at = text.find(word, at + 1 if end < 0 else end)
    return False


class _Quotation:
    """Whether the body lines are inside a quoted text, which runs from its opening ("BEGIN TEXT:") to its
    end ("END TEXT.") or, without one, to the end of the cable; except that, without one, the cable's next
    marked paragraph ends it, where the quotation's own numbered items do not run on to that number."""

    def __init__(self) -> None:
        self.inside = False
        self.ended = False  # an end follows before another quotation opens
        self.items = 0  # the last numbered item inside the quotation
        self.marked_items = False  # whether its items carry markings, as a quoted cable's paragraphs do

    def opens(self, line: str, following: Iterable[str]) -> bool:
        """Does a quotation open in this line of a numbered paragraph and run on past it?"""
        match = QUOTE_RE.search(line)
        if not match or QUOTE_END_RE.search(line, match.end()):
            return False
        self.inside, self.items, self.marked_items = True, 0, False
        self.ended = self._ends(following)
        return True

    def holds(self, line: str, last: int, following: Iterable[str]) -> bool:
        """Is this line quoted text? `last` is the cable's last paragraph number. The end line is quoted too."""
        if not self.inside:
            return False
        if QUOTE_END_RE.search(line):
            self.inside = False
            return True
        item = PARA_RE.match(line)
        number = int(item.group("label")) if item and item.group("label").isdigit() else None
        marking = canonical_marking(item.group("mark")) if item and item.group("mark") else ""
        if not self.ended and number == last + 1 and marking and item.group("sep") == "." and not (
                self.marked_items and number == self.items + 1):
            self.inside = False  # "3. (C) Comment:" after a quoted text that had no end
            return False
        if not self.ended and (opening := QUOTE_RE.search(line)):  # a second text opens in it
            self.ended = self._ends(chain([line[opening.end():]], following))
        if number is not None:
            self.items, self.marked_items = number, bool(marking)
        return True

    @staticmethod
    def _ends(following: Iterable[str]) -> bool:
        """Whether an end comes in these lines before another quotation opens."""
        for line in following:
            if QUOTE_END_RE.search(line):
                return True
            if QUOTE_RE.search(line):
                return False
        return False


def _cut_after_quotation(line: str, numbering: _Numbering, queue: deque[str]) -> str:
    """A quoted line that ends its quotation ("END TEXT. 3. (C) Comment ..."): a paragraph run on after the
    end goes back on the queue."""
    end = QUOTE_END_RE.search(line) if "END" in line.upper() else None
    if not end or "(" not in line[end.end():]:
        return line
    cut = numbering.inline_start(line[end.end():])
    if cut is None:
        return line
    queue.appendleft(line[end.end() + cut:])
    return line[:end.end() + cut].rstrip()


# A marking that opens unnumbered text: "(U) Pol/Econ Chief delivered ...", "(S//REL TO USA, GBR)", "(S/NF, ORCON)".
LEAD_TEXT_MARK_RE = re.compile(
    rf"^\s*\(([A-Za-z /-]{{1,20}}|[A-Za-z /-]{{1,8}}REL (?:TO )?[A-Za-z ,]{{2,40}}|{COMMA_MARK})\)\s*")


def _with_lead_marking(chunk: _Chunk, classification: str = "", ceiling: int = 0) -> _Chunk:
    """Unnumbered text that opens with a marking ("(U) Pol/Econ Chief delivered ...") carries it; not a lower-case
    letter the cable's classification cannot hold ("(c)" in an UNCLASSIFIED cable): a list's label. NOFORN alone
    ("(NF)") at the cable's classification, or at `ceiling` where higher (`_paragraph_marking`)."""
    first = next((k for k, line in enumerate(chunk.lines) if line.strip()), None)
    if chunk.number or chunk.marking or first is None:
        return chunk
    match = LEAD_TEXT_MARK_RE.match(chunk.lines[first])
    marking = _paragraph_marking(match.group(1), classification, ceiling) if match else None
    if not marking or _exceeds(match.group(1), marking, classification):
        return chunk
    lines = chunk.lines[:first] + [chunk.lines[first][match.end():]] + chunk.lines[first + 1:]
    heading = chunk.heading or _lead_heading(lines, first)
    if heading != chunk.heading:  # "(SBU) Economic Outlook" over its text: the marking heads the text too
        lines = lines[_next_text(lines, first + 1):]
    return replace(chunk, marking=marking, heading=heading, lines=lines)


def _exceeds(written: str, marking: str, classification: str) -> bool:
    """Whether a marking written as a lower-case letter ("c") is one the cable's classification cannot hold."""
    written = written.strip()
    return (len(written) == 1 and written.islower() and bool(canonical_classification(classification))
            and marking_access(marking)[0] > marking_access(classification)[0])


def _lead_heading(lines: list[str], first: int) -> str:
    """The heading that the first line of unnumbered text is, after its marking: a heading set off from the text
    under it by a blank line or an underline of dashes; "" if it is none."""
    after = first + 1
    if after >= len(lines) or lines[after].strip() and not DASH_LINE_RE.match(lines[after]):
        return ""
    if _next_text(lines, after) >= len(lines):
        return ""  # nothing under it
    return _heading_of([lines[first]])


def _next_text(lines: list[str], k: int) -> int:
    """The index of the first line from k on that is neither blank nor a row of dashes."""
    while k < len(lines) and (not lines[k].strip() or DASH_LINE_RE.match(lines[k])):
        k += 1
    return k


def _clean_heading(text: str) -> str:
    text = re.sub(r"^[\s\-=/_*]+|[\s\-=/_*:]+$", "", text)
    text = re.sub(r"^\([^)]{0,60}\)\s*|^\.\s+", "", text)  # a source note before it: "(Berlin 1095) UPDATE"
    if len(text) > 2 and text[0] in "\"'\u201c" and text[-1] in "\"'\u201d":  # "Pragmatic Cooperation" in quotes
        text = text[1:-1]
    return re.sub(r"\s+", " ", text).strip()


# What opens an item of a list: "-- ", "* ", "A)", "(a)", "a.", "(iv)", "iv.", "1.", "1)", "(1)", "Q1)", "Q1:". An
# item is text, and heads nothing. Not "(C) BACKGROUND" (a marking) nor "I. Summary", "A. AMENDING LAWS" (titles).
LIST_ITEM_RE = re.compile(
    r"^\s*(?:-{1,2}\s|[*o\u2022]\s|\((?![UCS]\))[A-Za-z]\)|[A-Za-z]\)|\(?(?:[ivx]{1,4}|Q?\d{1,3})\)"
    r"|(?:[a-z]|[ivx]{1,4})\.\s|Q?\d{1,3}[.:](?!\d))")


def _heading_of(block: list[str]) -> str:
    """A section heading: one short line, perhaps framed or underlined with dashes, not a sentence nor an item."""
    words = [line.strip() for line in block if line.strip() and not DASH_LINE_RE.match(line)]
    if len(words) != 1 or LIST_ITEM_RE.match(words[0]):
        return ""
    heading = _clean_heading(words[0])
    if not heading or len(heading) > 80 or not re.search(r"[A-Za-z]", heading) or HANDLING_RE.search(heading):
        return ""
    if QUOTE_END_RE.match(heading) or QUOTE_RE.search(heading):  # "END TEXT" closes a quotation; it heads nothing
        return ""
    ending = re.sub(r"[\"'\u201d)\]]+$", "", heading)
    return "" if ending.endswith((",", ";")) or ending.endswith(".") and not ending.endswith("...") else heading


def _asks_on(heading: str, before: list[str]) -> bool:
    """A question standing alone after a question: the paragraph's last question, not a heading."""
    last = next((line for line in reversed(before) if line.strip()), "")
    return bool(QUESTION_END_RE.search(heading) and QUESTION_END_RE.search(last))


QUESTION_END_RE = re.compile(r"\?[\"'\u201d)\]]*\s*$")


def _trailing_heading(lines: list[str], keep: int) -> tuple[str, str, list[str]]:
    """A heading after a paragraph's text belongs to the next paragraph: (heading, the marking printed before it,
    the text without it).

    The heading is the last line, or the last two where it wraps (see `_two_line_heading`), set off by a blank
    line or framed or underlined by dashes (blank lines between them or not); `keep` lines at the top are the
    paragraph's own first line, never a heading.
    """
    nonblank = [k for k in range(len(lines) - 1, -1, -1) if lines[k].strip()][:3][::-1]
    if not nonblank:
        return "", "", lines
    wrapped = _two_line_heading(lines, keep)
    if wrapped:
        heading, first, cut = wrapped
        return heading, _marking_before(lines[first]), lines[:cut] + _note_before(lines[first])
    marks = [k for k in nonblank if k >= keep]
    dashed = [bool(DASH_LINE_RE.match(lines[k])) for k in marks]
    if len(marks) == 3 and dashed == [True, False, True] and (heading := _heading_at(lines, marks[1])):
        return heading, _marking_before(lines[marks[1]]), lines[: marks[0]] + _note_before(lines[marks[1]])
    if len(marks) >= 2 and dashed[-2:] == [False, True] and (heading := _heading_at(lines, marks[-2])):
        return heading, _marking_before(lines[marks[-2]]), lines[: marks[-2]] + _note_before(lines[marks[-2]])
    last = nonblank[-1]
    set_off = last > keep and not lines[last - 1].strip() or keep == 0 and len(nonblank) == 1
    if set_off and not dashed[-1] and (heading := _heading_at(lines, last)):
        if len(nonblank) > 1 and _goes_on(lines[nonblank[-2]], lines[last]):
            return "", "", lines[: nonblank[-2] + 1] + lines[last:]  # the end of the sentence above: it heads nothing
        return heading, _marking_before(lines[last]), lines[:last] + _note_before(lines[last])
    inline = INLINE_HEADING_RE.search(lines[last])
    if inline and (heading := _heading_of([inline.group("heading")])):
        rest = lines[last][: inline.start("heading")].rstrip()
        if rest or last >= keep:
            note = _note_before(inline.group("heading"))
            return heading, _marking_before(inline.group("heading")), lines[:last] + [" ".join([rest, *note]).strip()]
    return "", "", lines


# Words that leave a sentence or a title unfinished at a line's end ("... met with the", "REFORM, AND").
JOINING_WORDS = r"(?:AND|OR|OF|THE|A|AN|TO|FOR|BY|WITH|IN|ON|AT|FROM|MR|MRS|MS|DR)"
# The end of a heading's first line that shows it goes on: a dash ("IRAN-IRAQ RELATIONS --") or a joining word
# ("ELECTIONS, CONSTITUTIONAL REFORM, AND").
HEADING_GOES_ON_RE = re.compile(rf"(?:-|\b{JOINING_WORDS})\s*$", re.I)


def _two_line_heading(lines: list[str], keep: int) -> tuple[str, int, int] | None:
    """A heading wrapped onto a second line ("IRAN-IRAQ RELATIONS --" over "ECONOMIC TIES"): the last two lines, one
    under the other, set off by a blank line above or framed by dashes, perhaps underlined. (the heading of both
    lines, the index of its first line, where the text above it ends), or None.

    The first line must show that it goes on: it ends with a dash or a joining word, the second opens in lower
    case, or the two read as one title broken in two (four words or more above, no comma, both in capitals or
    neither): two short lines of text are no heading. Underlined, two lines in the same case that open in capitals
    are two parts of one heading ("Nader Dahabi" over "Prime Minister").
    """
    nonblank = [k for k in range(len(lines) - 1, -1, -1) if lines[k].strip()][:4][::-1]
    underlined = bool(DASH_LINE_RE.match(lines[nonblank[-1]]))
    text = nonblank[:-1] if underlined else nonblank
    if len(text) < 2 or text[-2] < keep or text[-1] != text[-2] + 1:
        return None
    first, second = text[-2], text[-1]
    top, bottom = lines[first].strip(), lines[second].strip()
    if DASH_LINE_RE.match(top) or DASH_LINE_RE.match(bottom):
        return None
    above = text[-3] if len(text) > 2 else None
    framed = underlined and above is not None and above == first - 1 and bool(DASH_LINE_RE.match(lines[above]))
    set_off = framed or first > keep and not lines[first - 1].strip() or keep == 0 and above is None
    if not set_off or not framed and above is not None and _goes_on(lines[above], top):
        return None
    if not _heading_at(lines, first) or not _heading_of([bottom]) or NOTE_BEFORE_HEADING_RE.match(bottom):
        return None
    wraps = _wraps(top, bottom)
    if not wraps and not (underlined and top.isupper() == bottom.isupper() and _clean_heading(top)[:1].isupper()):
        return None  # and not "The talks will resume" over "OUTLOOK", underlined
    if re.fullmatch(r"[A-Za-z]", _clean_heading(top)) and LOWER_START_RE.match(bottom):
        glue = ""  # "O" over "ther Issues": a word the page broke
    elif wraps or re.search(r"[-:;,.]$", top):
        glue = " "
    else:
        glue = ", "  # "Nader Dahabi" over "Prime Minister", underlined: two parts of one heading
    heading = _clean_heading(f"{top}{glue}{bottom}")
    return (heading, first, above if framed else first) if len(heading) <= 160 else None


def _wraps(top: str, bottom: str) -> bool:
    """Whether a heading's line `top` goes on in `bottom`, the line under it (see `_two_line_heading`)."""
    if HEADING_GOES_ON_RE.search(top) or LOWER_START_RE.match(bottom):
        return True
    return len(_clean_heading(top).split()) >= 4 and "," not in top + bottom and top.isupper() == bottom.isupper()


def _marking_before(line: str) -> str:
    """The marking printed before a heading on its line ("(C) OUTLOOK" -> "C"), or ""."""
    match = NOTE_BEFORE_HEADING_RE.match(line)
    return (canonical_marking(match.group("note")) or "") if match else ""


# A letter in parentheses that is also a marking: "(C)" is the item after "(B)", or a heading's marking.
MARKING_LETTER_RE = re.compile(r"^\s*\((?P<letter>[CSU])\)\s")


def _heading_at(lines: list[str], k: int) -> str:
    """The heading that `lines[k]` is, if it is one. "(C) What are ...?" under a line that opens with "(B)" is the
    next item of that list, not a heading marked (C)."""
    label = MARKING_LETTER_RE.match(lines[k])
    sibling = f"({chr(ord(label.group('letter')) - 1)})" if label else ""
    if sibling and any(line.lstrip().startswith(sibling) for line in lines[:k]):
        return ""
    return _heading_of([lines[k]])


# A note in parentheses before a heading on its line: "(Berlin 1095) HUMANITARIAN UPDATE".
NOTE_BEFORE_HEADING_RE = re.compile(r"^[\s\-=/_*]*\((?P<note>[^)]{1,60})\)")


def _note_before(line: str) -> list[str]:
    """The note before a heading on its line, which the heading leaves out: the source of the report it follows
    ("... leave the airport. (TF/Embassy Tbilisi e-mail) DIPLOMATIC EFFORTS"), which stays with that report's
    text. A marking there ("(C) BACKGROUND") is the heading's own, not text."""
    match = NOTE_BEFORE_HEADING_RE.match(line)
    if not match or canonical_marking(match.group("note")) is not None:
        return []
    return [f"({match.group('note')})"]


def _paragraph_text(text: str) -> str:
    """A paragraph's text: runs of blank lines as one, no blank edges."""
    return re.sub(r"\n[ \t]*(?:\n[ \t]*)+", "\n\n", text).strip()


def _with_damage(chunk: _Chunk) -> list[Paragraph]:
    """One chunk as paragraphs: a corrupted stretch inside it becomes its own paragraph, flagged."""
    lines = chunk.lines
    whole = "\n".join(lines)
    suspect = _SUSPECT_RE.search(whole)  # most chunks: no line to look at
    damaged_at = next((i for i, line in enumerate(lines) if is_damaged(line)), None) if suspect else None

    def text_of(part: list[str]) -> str:
        return _paragraph_text("\n".join(part))

    if damaged_at is None:
        return [Paragraph(chunk.number, chunk.marking, chunk.heading, _paragraph_text(whole))]
    if damaged_at == 0 or not text_of(lines[:damaged_at]):
        return [Paragraph(chunk.number, chunk.marking, chunk.heading, _paragraph_text(whole), True)]
    return [
        Paragraph(chunk.number, chunk.marking, chunk.heading, text_of(lines[:damaged_at])),
        Paragraph(None, "", "", text_of(lines[damaged_at:]), True),
    ]


# ----------------------------------------------------------------------------- signature

# What follows the signature in some sources: end-of-message marks, the classification again, viewer
# and dump artifacts ("=====CABLE ENDS=====", a leaked SQL query, "2003ROME05149 - Classification: ..."),
# a redaction, stray quotes.
TRAILER_RE = re.compile(
    rf"^\s*(?:[\"'`,.>\\*=_~\s-]*|N{{3,4}}|BT|(?i:end cable text)|=+\s*CABLE ENDS\s*=+|[XxХ]{{4,}}|{CLASS_WORDS}"
    r"|\d{2,4}[A-Z]+\d+\s+-\s+Classification:.*|SELECT\s.+\sFROM\s.+)\s*$"
)
DECLASSIFIED_RE = re.compile(r"^\s*Declassified/Released\b")
NAME_WORD = r"[A-Z][A-Za-z'-]*[A-Za-z]"
NAME_LINE_RE = re.compile(rf"^(?P<name>{NAME_WORD}(?:\s+{NAME_WORD}){{0,2}})\s*(?:\.\.\.|\u2026)?[\s\"',]*$")
# The word before the name starts after a space (or the line's start): so a long line without one is tried once,
# not from each of its characters.
INLINE_NAME_RE = re.compile(rf"(?<!\S)(?P<before>\S+)\s+(?P<name>{NAME_WORD})[\s\"',]*$")
# Words that end a cable's text without being anybody's name.
NOT_NAMES = frozenset(
    "COMMENT END SUMMARY NOTE TEXT BT NNNN SIPDIS NOFORN UNCLASSIFIED UNCLAS CONFIDENTIAL SECRET SENSITIVE "
    "ACTION REQUEST BACKGROUND THANKS REGARDS MINIMIZE CONSIDERED EXEMPT DECLASSIFIED INFO THE THIS THAT "
    "THESE AND FOR IN ON AT TO OF AS IF BUT HE SHE IT WE THEY POST EMBASSY AMBASSADOR SEPTEL REF REFTEL "
    "BEGIN PARA OK YES NO CABLE ENDS MESSAGE CLEARED APPROVED DEPARTMENT STATE WASHINGTON".split()
)


def _take_signature(lines: list[str]) -> tuple[list[str], str]:
    """The sender's name that closes the cable, on a line of its own or after the last sentence.

    Returns the lines without it (and without the trailers after it) and the name, or the lines and "".
    """
    end = len(lines)
    declassified = next((k for k in range(end - 1, max(end - 8, -1), -1) if DECLASSIFIED_RE.match(lines[k])), None)
    end = declassified if declassified is not None else end
    while end and TRAILER_RE.match(lines[end - 1]):
        end -= 1
    kept = lines[:end]
    if not kept:
        return kept, ""
    last = kept[-1].strip()
    match = NAME_LINE_RE.match(last)
    if match and len(match.group("name")) <= 40 and _is_name(match.group("name")) and _closes_text(kept[:-1]):
        return kept[:-1], match.group("name")
    inline = _inline_signature(last)
    if inline:
        name, at = inline
        return kept[:-1] + [last[:at].rstrip()], name
    return kept, ""


def _is_name(text: str) -> bool:
    words = text.split()
    return all(w.upper() not in NOT_NAMES and (w.isupper() or _is_capitalized(w)) for w in words)


def _is_capitalized(word: str) -> bool:
    return bool(re.fullmatch(r"(?:Mc|Mac|Le|La|De|Di|Van|Von|O')?[A-Z][a-z'-]+", word))


def _closes_text(before: list[str]) -> bool:
    """A name line is a signature only where the text above it has ended, not inside a sentence that
    wraps onto it ("... met with the\nAMBASSADOR"): no joining word or hyphen just before it."""
    previous = before[-1].rstrip() if before else ""
    return not re.search(rf"\b{JOINING_WORDS}$|\w-$", previous, re.I)


def _inline_signature(last: str) -> tuple[str, int] | None:
    """A name run onto the end of the last sentence by a reflowed page: "... End comment. CRETZ"."""
    match = INLINE_NAME_RE.search(last)
    if not match or match.group("name").upper() in NOT_NAMES or len(match.group("name")) > 40:
        return None
    name, before = match.group("name"), match.group("before")
    head = last[: match.start("name")].rstrip()
    sentence_end = bool(re.search(r"[.!?\"')\u201d]$", before)) and not re.search(r"\w\.\w", before)
    if name.isupper():
        # After a sentence, a URL, a redaction or a row of asterisks; never after an ordinary word ("for WTO").
        artifact = bool(re.search(r"[/_*=&:]|^[XxХ]{4,}$", before))
        ended = sentence_end or artifact or bool(re.search(r"\bEND\s+(?:COMMENT|NOTE|SUMMARY)$", head, re.I))
        return (name, match.start("name")) if ended else None
    if _is_capitalized(name) and sentence_end and re.search(r"[a-z]", head):
        return name, match.start("name")
    return None


# ----------------------------------------------------------------------------- the whole cable


def parse_cable_text(text: str, identity: Identity | None = None, form: str = "raw") -> ParsedCable:
    """Parse a cable's text (header and body); `identity` fills or overrides what the text lacks."""
    identity = identity or Identity()
    if not text or not text.strip():
        raise ParseError("the cable text is empty")
    partial = "partial extract of the original cable" in text[:400].lower()
    lines = _split_header_fields(_clean_lines(text))
    if not identity.reference_id:
        _check_has_text(lines)
    reference_id = _reference_id(identity, lines)
    lines = _strip_page_marks(lines, reference_id)
    fields, body_start = parse_header(lines)
    classification = _classification(identity, fields["class_line"], lines[: body_start + 1])
    if not classification:
        raise ParseError(f"{reference_id}: no classification found")
    created = identity.created or fields["created"]
    references = _references(fields["ref_text"], identity.references, reference_id[:2], created)
    classified_by, reason = _split_classified_by(fields["classified_by"])
    body_lines = _without_repeated_subject(_without_section_heads(lines[body_start:]), fields["subject"])
    paragraphs, signature = split_paragraphs(body_lines, classification)
    body = "\n".join(body_lines).strip("\n")
    return ParsedCable(
        reference_id=reference_id,
        created=created,
        released=identity.released,
        classification=classification,
        origin=identity.origin or origin_from_sender(fields["sender"]) or _origin_from_post(fields["class_line"],
                                                                                             reference_id),
        form=form,
        dtg=fields["dtg"],
        sender=fields["sender"],
        to=tuple(fields["to"]),
        info=tuple(fields["info"]),
        tags=fields["tags"],
        subject=re.sub(r"\s+", " ", fields["subject"]).strip(),
        references=references,
        collection_references=collection_references(fields["subject"], fields["ref_text"], body),
        classified_by=classified_by,
        classification_reason=reason,
        signature=signature,
        header="\n".join(lines[:body_start]).strip("\n"),
        body=body,
        paragraphs=paragraphs,
        partial=partial,
    )


def _check_has_text(lines: list[str]) -> None:
    """A raw cable is its text: one that ends after its header (cut off in transfer) is no record. A viewer page
    or dump row whose text was cut is kept: its table or columns name a real cable (09MADRID604)."""
    _, body_start = parse_header(lines)
    if not any(line.strip() for line in lines[body_start:]):
        raise ParseError("the cable ends after its header: no text")


def _without_section_heads(lines: list[str]) -> list[str]:
    """The body without each later section's head ("S E C R E T SECTION 02 OF 03 STATE 006423"): a page break,
    with the classification banner and caveats beside it, and a sentence it cut joins up again."""
    out: list[str] = []
    i = 0
    while i < len(lines):
        if "SECTION" in lines[i] and SECTION_LINE_RE.match(lines[i]):
            i = _join_across_page_break(out, lines, i + 1, False)
        else:
            out.append(lines[i])
            i += 1
    return out


# "SUBJECT: NUCLEAR ..." opening a line of the body: perhaps a continuation page's repeated header.
REPEATED_SUBJECT_RE = re.compile(r"^\s*SUBJ(?:ECT)?\s*:\s*", re.I)


def _without_repeated_subject(lines: list[str], subject: str) -> list[str]:
    """The body without the cable's own SUBJECT line that a continuation page repeats between its lines, often
    cut and with the page's text run on after it ("keep us from taking\nSUBJECT: NUCLEAR ... AND GERMA credit
    for"): page furniture, dropped, so that the sentence joins up again. A SUBJECT line that repeats another
    subject (a quoted cable's) stays."""
    words = subject.split()
    if len(words) > 1 and words[-1].endswith("..."):  # "... TO FUND...": the viewer cut the subject off
        words[-1] = words[-1][:-3]
    words = [w for w in words if w]
    if not words or not any("SUBJ" in line[:12].upper() for line in lines):
        return lines
    out: list[str] = []
    i = 0
    while i < len(lines):
        match = REPEATED_SUBJECT_RE.match(lines[i]) if "SUBJ" in lines[i][:12].upper() else None
        repeat = _repeated_subject(lines, i, match.end(), words) if match else None
        if repeat is None:
            out.append(lines[i])
            i += 1
            continue
        rest, i = repeat
        if rest:
            out.append(rest)
    return out


def _repeated_subject(lines: list[str], i: int, start: int, words: list[str]) -> tuple[str, int] | None:
    """Where `lines[i]` from `start` repeats the subject `words` (wrapped onto the lines after it, or cut, perhaps
    inside a word): (the text run on after it, the index of the next line). None unless it repeats at least three
    of its words, or all of a shorter subject."""
    matched = 0
    text = lines[i][start:]
    line_words = text.split()
    while True:
        k = 0
        while k < len(line_words) and matched < len(words) and line_words[k] == words[matched]:
            k, matched = k + 1, matched + 1
        cut = k < len(line_words) and matched < len(words) and len(line_words[k]) > 1 and words[matched].startswith(
            line_words[k])  # "GERMA" of "GERMANY", then the page's text
        if cut:
            k, matched = k + 1, matched + 1
        wraps = k == len(line_words) and matched < len(words) and i + 1 < len(lines) and (
            lines[i + 1].split()[:1] == [words[matched]])
        if not wraps:
            break
        i += 1
        text = lines[i]
        line_words = text.split()
    if matched < min(3, len(words)):
        return None
    return text[re.match(rf"(?:\s*\S+){{{k}}}\s*", text).end():], i + 1


def _reference_id(identity: Identity, lines: list[str]) -> str:
    """The identity's reference ID, else one made from the classification line's serial and the DTG's year."""
    reference_id = normalize_reference_id(identity.reference_id)
    if not reference_id:
        fields, _ = parse_header(lines)
        created = identity.created or fields["created"]
        reference_id = _reference_id_from_text(fields["class_line"], fields["dtg"], created)
    if not reference_id:
        if fields["class_line"] and _has_serial(fields["class_line"]) and fields["dtg"] and not created:
            raise ParseError(f"no reference ID found: the classification line {fields['class_line'].strip()!r} has a"
                             f" serial, but its date-time group {fields['dtg']!r} is no real date and time")
        if fields["class_line"] and _has_serial(fields["class_line"]) and not _class_line_post(fields["class_line"])[1]:
            raise ParseError(f"no reference ID found: the classification line {fields['class_line'].strip()!r} has a"
                             " serial of 0")
        if fields["class_line"] and _has_serial(fields["class_line"]) and not created:
            raise ParseError(f"no reference ID found: the classification line {fields['class_line'].strip()!r} has a"
                             " serial, but no date-time group (\"232151Z JAN 09\") gives its year")
        raise ParseError("no reference ID found (no viewer table, and no classification line with a serial)")
    if not REFERENCE_ID_RE.match(reference_id):
        raise ParseError(f"reference ID {reference_id!r} is not of the form 09STATE6423")
    return reference_id


def _references(ref_text: str, listed: tuple[str, ...], year: str, created: datetime | None) -> tuple[Reference, ...]:
    """The REF line's references, then those a source lists beside the text (the dump's column) not among them."""
    references = _split_references(ref_text, year, created) if ref_text else ()
    resolved = {r.reference_id for r in references}
    return references + tuple(Reference("", ref, ref) for ref in listed if ref not in resolved)


def _classification(identity: Identity, class_line: str, header_lines: list[str]) -> str:
    """The identity's classification, else the classification line's (with NOFORN from the line below)."""
    classification = identity.classification and canonical_classification(identity.classification)
    if classification or not class_line:
        return classification or ""
    head = re.split(r"\s{2,}|\bSECTION\b|\s(?=[A-Z]{3,}\s+0*\d)", class_line)[0]
    classification = canonical_classification(head) or canonical_classification(
        re.sub(r"(?<=\b\w) (?=\w\b)", "", head)
    ) or ""
    caveats = set()  # the caveat lines under it: "NOFORN", "SENSITIVE", "SENSITIVE, SIPDIS", "EXDIS NOFORN"
    for line in header_lines:
        words = [w for w in CAVEAT_SPLIT_RE.split(line.strip().upper()) if w]
        if words and (words[0].startswith("NOFORN") or all(w in CAVEAT_WORDS for w in words)):
            caveats.update(words)
            caveats.update({"NOFORN"} if any(w.startswith("NOFORN") for w in words) else ())
    if classification == "UNCLASSIFIED" and "SENSITIVE" in caveats:
        return canonical_classification("UNCLASSIFIED//FOUO") or classification
    if classification not in ("", "UNCLASSIFIED") and "NOFORN" in caveats:
        classification = canonical_classification(classification + "//NOFORN") or classification
    return classification


# Handling caveats written beside or under the classification line.
CAVEAT_WORDS = frozenset({"NOFORN", "SENSITIVE", "BUT", "UNCLASSIFIED", "SIPDIS", "EXDIS", "NODIS", "LIMDIS",
                          "STADIS", "ORCON", "EFTO", "E", "F", "T", "O", "FOUO", "SBU", "CHEROKEE"})
CAVEAT_SPLIT_RE = re.compile(r"[\s,;/.:-]+")
# Caveat words between the classification and the post ("SECRET//NOFORN MOSCOW 001730", "UNCLAS E F T O
# MOSCOW 001730") or after the serial ("MOSCOW 001730 EXDIS"), and a travelling Secretary's second series
# ("STATE 076000 TOSEC 030047").
PLACE_CAVEATS_RE = re.compile(
    r"^(?:(?:NOFORN|SENSITIVE|EFTO|E F T O|SIPDIS|EXDIS|NODIS|LIMDIS|STADIS|ORCON)\b[\s/,]*)+")
TRAILING_CAVEATS_RE = re.compile(
    r"(?:\s+(?:NOFORN|SENSITIVE|EFTO|SIPDIS|EXDIS|NODIS|LIMDIS|STADIS|ORCON)\b)+\s*$|\s+(?:TOSEC|SECTO)\s+\d+\s*$")


def _reference_id_from_text(class_line: str, dtg: str, created: datetime | None) -> str:
    """ "S E C R E T STATE 006423" with DTG "232151Z JAN 09" -> "09STATE6423"."""
    place, serial = _class_line_post(class_line)
    if not place or not serial or created is None:  # "ROME 000": a serial of 0 numbers no cable
        return ""
    return f"{created:%y}{post_code(place)}{serial}"


def _class_line_post(class_line: str) -> tuple[str, int]:
    """ "C O N F I D E N T I A L SECTION 01 OF 03 THE HAGUE 000484" -> ("THE HAGUE", 484); ("", 0) if none."""
    line = TRAILING_CAVEATS_RE.sub("", SECTION_RE.sub("", class_line or "").strip())
    match = re.search(r"([A-Z][A-Z .'/-]*?)\s+0*(\d{1,7})\s*$", line)
    if not match:
        return "", 0
    place = match.group(1).strip()
    place = re.sub(r"^(?:UNCLAS(?:SIFIED)?|CONFIDENTIAL|SECRET|LIMITED OFFICIAL USE|(?:\w ){4,}\w)(?:\s+|/+)", "",
                   place)
    return PLACE_CAVEATS_RE.sub("", place.lstrip("/ ")).strip(), int(match.group(2))


def _origin_from_post(class_line: str, reference_id: str) -> str:
    """The origin of a cable that names no sender, from its post: "MOSCOW" -> "Embassy Moscow" (a post is taken
    for an embassy: its reference ID does not tell a consulate), "STATE" -> "Secretary of State", "USUN NEW
    YORK" -> "USUN New York". The place as the classification line writes it ("THE HAGUE"), where it is this
    cable's post; else the reference ID's post ("BUENOSAIRES", its spaces lost)."""
    post = POST_SERIAL_RE.search(reference_id[2:])
    if not post:
        return ""
    place, _ = _class_line_post(class_line)
    if post_code(place) != post.group("post"):
        place = post.group("post")
    if place == "STATE":
        return origin_from_sender("SECSTATE")
    if re.match(r"^(?:US[A-Z]{2,5}|UNVIE)\b", place):  # "USUN NEW YORK", "USNATO": a mission
        return origin_from_sender(f"USMISSION {place}")
    return origin_from_sender(f"AMEMBASSY {place}")


def with_identity(cable: ParsedCable, **changes) -> ParsedCable:
    return replace(cable, **changes)
