"""Flattened cable-viewer pages (lowercase words, no punctuation, no line breaks) -> ParsedCable. Pure.

The form loses what a line-based parser leans on: line ends, colons, parentheses, capitals and some
short words ("a", "e", "la", "es", "ha"), so "S E C R E T" reads "s c r t", "A. (U)" reads "u" and
"C-AL8-02836" reads "cal802836". Fields are found by their keywords (fm, to, info, tags, subject, ref,
classified by), paragraphs by "<number> <marking>" pairs that continue a numbering sequence.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from cables.markings import CLASSIFICATIONS, canonical_classification, canonical_marking
from cables.parsing import (
    Paragraph,
    ParsedCable,
    ParseError,
    Reference,
    _addressee,
    _unique_numbers,
    collection_references,
    is_damaged,
    origin_from_sender,
    parse_timestamp,
    resolve_reference,
    spelled_out_cals,
)
from tracker.posts import CITY_NAMES, MISSIONS

IDENTITY_WORDS = "reference id created released classification origin".split()
REFERENCE_ID_RE = re.compile(r"^\d{2}[a-z][a-z0-9]*\d$")
DTG_RE = re.compile(r"^\d{6}z$")
MONTHS = set("jan feb mar apr may jun jul aug sep oct nov dec".split())
WEEKDAYS = set("monday tuesday wednesday thursday friday saturday sunday".split())
# Paragraph markings once punctuation is gone: "(S/NF)" -> "snf", "(U//FOUO)" -> "ufouo".
FLAT_MARKINGS = {"u", "sbu", "c", "s", "ts", "snf", "cnf", "sbunf", "tsnf", "ufouo", "cnoforn", "snoforn"}
DROPPED_LETTERS = "ae"  # dropped as words, so sections A and E lose their label
SQUASHED_CLASSIFICATIONS = {re.sub(r"[^a-z]", "", c.lower()): c for c in CLASSIFICATIONS}
# Letter-spaced classification lines, compared without vowels: "s c r t" is "S E C R E T".
SPACED_CLASS_LINES = {"scrt": "SECRET", "cnfdntl": "CONFIDENTIAL", "tpscrt": "TOP SECRET"}
POST_WORDS = ("amembassy", "amconsul", "usmission", "usint", "secstate", "secdef", "usdel", "usoffice", "useu",
              "usnato")
# Addressees' first words that no post word opens, to cut a routing indicator off ("rucnfbfbi": RUCNFB/FBI).
AGENCY_WORDS = {"fbi", "dni", "nctc", "cia", "nsc", "dia", "dea", "dhs", "tsa", "osd", "nsa", "nga", "us", "hq", "cdr",
                "joint", "millennium", "homeland", "treasury", "commerce", "justice", "energy"}
PRECEDENCES = {"immediate", "priority", "routine", "flash", "niact"}
# Missions named by their code alone open an addressee as post words do: "amembassy manama usun new york".
MISSION_CODES = frozenset(m.split()[0].lower() for m in MISSIONS if re.fullmatch(r"U[SN][A-Z]{2,}", m.split()[0]))
DROPPED_WORDS = {"a", "e", "la", "es", "ha"}  # the flattener drops these: "amembassy paz", "dar salaam"
# Known places, as their letters run together, written in full or as the flattener leaves them ("PAZ"); not a
# mission's code alone, which a place may follow ("usnato brussels be", "uscincpac honolulu hi").
KNOWN_PLACES = frozenset(key for name in CITY_NAMES.values() if name.split()[0].lower() not in MISSION_CODES
                         or " " in name for key in (
    re.sub(r"[^A-Z]", "", name), "".join(w for w in name.split() if w.lower() not in DROPPED_WORDS)))
PLACE_FIRST_WORDS = frozenset(name.split()[0].lower() for name in CITY_NAMES.values())
ORIGIN_ACRONYMS = {"us", "usun", "usnato", "useu", "unvie", "rpo", "usosce", "usoecd", "usau", "unesco"}
FIELD_NAMES = {"tags": "tags", "subject": "subject", "subj": "subject", "ref": "ref", "refs": "ref", "reftel": "ref",
               "reftels": "ref", "classified": "classified_by", "derived": "classified_by"}
# Words that end no sentence but often precede a number: no paragraph starts after them.
NOT_BEFORE_ANY = set("para paras paragraph paragraphs section article reftel reftels refs the of in at by than and "
                     "or".split())
# A number with no marking opens a paragraph only where sentences do not put numbers.
NOT_BEFORE_BARE = NOT_BEFORE_ANY | MONTHS | set(
    "to for about some over under from ref number no nearly only least approximately around all phase chapter "
    "resolution page between are were is was had has have be been just total january february march april june "
    "july august september october november december".split())
NOT_AFTER_BARE = set("percent million billion thousand years year days day months month weeks week hours people "
                     "and or of to per times dollars".split())
NOT_SIGNATURES = set("comment summary note end ends text questions question request report reporting posts above "
                     "below thanks regards information department sipdis noforn sensitive unclassified unclas "
                     "confidential secret".split())
FOOTER_PHRASES = ("community resources", "follow us on twitter", "courage is contagious", "browse latest releases",
                  "cable viewer")  # site chrome after the cable


@dataclass
class _Chunk:
    number: str | None
    marking: str
    words: list[str]


def looks_flattened(text: str) -> bool:
    """Is this a flattened viewer page: lowercase words, no punctuation, the identity header words?"""
    sample = text[:50000]
    letters = sum(ch.isalpha() for ch in sample)
    if not letters or "<" in sample or " ".join(IDENTITY_WORDS) not in sample:
        return False
    punctuation = sum(ch in ".,:;()/#'\"" for ch in sample)
    return sum(ch.isupper() for ch in sample) / letters < 0.01 and punctuation / len(sample) < 0.001


def parse_flattened(text: str) -> ParsedCable:
    """Parse a flattened viewer page; raise ParseError when it holds no cable identity."""
    words = _tokens(text)
    reference_id, created, released, classification, i = _identity(words)
    words = _without_duplicate_header(words, i)
    words = words[:i] + _without_page_breaks(words[i:], reference_id)  # the page's title before i may hold one
    after = " ".join(words[i:])
    footers = [hit for hit in (after.find(f" {phrase} ") for phrase in FOOTER_PHRASES) if hit >= 0]
    end = i + after[:min(footers)].count(" ") + 1 if footers else len(words)
    origin, header_start, routing_end, fields_from, class_level = _locate(words, i, end)
    body_start = _first_paragraph(words, fields_from, end)
    fields = _header_fields(words, fields_from, end if body_start is None else body_start)
    body_start = fields.pop("stop")  # earlier than the first paragraph if words no field holds come first
    if not classification and class_level:
        noforn = "noforn" in words[fields_from:body_start]
        classification = canonical_classification(class_level + "//NOFORN" * noforn) or ""
    if not classification:
        raise ParseError(f"{reference_id}: no classification found")
    dtg, sender, to, info = _routing_fields(words[header_start:routing_end])
    body = words[body_start:end]
    chunks = _split_paragraphs(body)
    last = chunks[-1].words  # the signature: a last word that can be a name ("... questions clinton")
    is_name = len(last) > 1 and last[-1].isalpha() and len(last[-1]) > 2 and last[-1] not in NOT_SIGNATURES
    signature = last.pop() if is_name else ""
    subject = fields["subject"][1:] if fields["subject"][:1] in ([m] for m in FLAT_MARKINGS) else fields["subject"]
    cals = spelled_out_cals(" ".join(subject + body))  # "cal802836" -> "C-AL8-02836", as collection_references reads
    return ParsedCable(
        reference_id=reference_id, created=created, released=released, classification=classification,
        origin=_origin_title(origin, reference_id) or origin_from_sender(sender), form="flattened",
        dtg=dtg, sender=sender, to=to, info=info, tags=tuple(dict.fromkeys(w.upper() for w in fields["tags"])),
        subject=" ".join(subject).upper(), references=_references(fields["ref"], reference_id[:2]),
        collection_references=collection_references(cals),
        classified_by=" ".join(fields["classified_by"]).upper(), classification_reason=_reason(fields["reason"]),
        signature=signature.upper(), header=" ".join(words[header_start:body_start]), body=" ".join(body),
        paragraphs=_paragraphs(chunks),
        partial="partial extract of the original cable" in " ".join(words[i:routing_end]),
    )


# ----------------------------------------------------------------------------- identity and layout
def _tokens(text: str) -> list[str]:
    """Lowercase words, undoing glues the form has: "1c" ("1.(C)"), "08162015tags" (a lost line end)."""
    text = re.sub(r"(?<=\d)(tags|sipdis|subject|classified)\b", r" \1", text.lower())
    marks = "|".join(sorted(FLAT_MARKINGS, key=len, reverse=True))
    text = re.sub(rf"\b({marks})(x{{6,}})\b", r"\1 \2", text)  # "(C) XXXXXXXXXXXX": a redaction
    return re.sub(rf"(?<!reason )(?<!reasons )\b(\d{{1,2}})({marks})\b", r"\1 \2", text).split()  # not "14c"


def _identity(words: list[str]) -> tuple[str, datetime | None, datetime | None, str, int]:
    """Reference ID, created, released and classification after the identity header; where they end."""
    start = next((i for i in range(len(words)) if words[i:i + 6] == IDENTITY_WORDS), None)
    if start is None:
        raise ParseError("no 'reference id created released classification origin' header: no cable here")
    i = start + 6
    if i >= len(words) or not REFERENCE_ID_RE.match(words[i]):
        found = words[i] if i < len(words) else "the end of the text"
        raise ParseError(f"no reference ID after the identity header (found {found!r})")
    created, released = parse_timestamp(" ".join(words[i + 1:i + 3])), parse_timestamp(" ".join(words[i + 3:i + 5]))
    for size in range(5, 0, -1):  # "unclassifiedfor official use only" spans four words
        squashed = "".join(words[i + 5:i + 5 + size])
        if squashed in SQUASHED_CLASSIFICATIONS:
            return words[i].upper(), created, released, SQUASHED_CLASSIFICATIONS[squashed], i + 5 + size
    return words[i].upper(), created, released, "", i + 5


def _without_page_breaks(words: list[str], reference_id: str) -> list[str]:
    """Drop page headers that cut sentences: "moscow 00003526 0012 of 003", "page 02 harare 06677 ..."."""
    place = r"\s?".join(re.sub(r"^\d{2}|\d+$", "", reference_id).lower())
    pattern = (rf"(?:\b(?:confidential |secret |unclas |unclassified )?page \d{{2}} {place} \d{{4,8}}"
               rf"(?: \d{{2}} of \d{{2}})? \d{{6}}z|\b{place} \d{{4,8}} \d{{3,4}} of \d{{3}})\b")
    return re.sub(pattern, " ", " ".join(words)).split()


def _without_duplicate_header(words: list[str], i: int) -> list[str]:
    """Drop the "id ... header ... header ends" block some pages print after the routing header."""
    ends = next((k for k in range(i, min(len(words), i + 800)) if words[k:k + 2] == ["header", "ends"]), None)
    begin = ends and next((k for k in range(ends, i, -1) if words[k] == "id" and words[k + 1].isdigit()), None)
    return words if begin is None else words[:begin] + words[ends + 2:]


def _class_line_at(words: list[str], k: int) -> tuple[int, str]:
    """(how many words, level) if the classification line ("s c r t", "unclas") starts at k, else (0, "")."""
    if words[k] in {"unclas", "unclassified"}:
        return 1, "UNCLASSIFIED"
    if words[k:k + 3] == ["limited", "official", "use"]:
        return 3, "UNCLASSIFIED//FOR OFFICIAL USE ONLY"
    j = k
    while j < len(words) and len(words[j]) == 1 and words[j].isalpha():
        j += 1
    spelled = re.sub("[aeiou]", "", "".join(words[k:j]))
    return (j - k, SPACED_CLASS_LINES[spelled]) if j - k >= 3 and spelled in SPACED_CLASS_LINES else (0, "")


def _locate(words: list[str], i: int, end: int) -> tuple[list[str], int, int, int, str]:
    """The origin's words; where the routing header starts and ends; where fields start; the class line."""
    first = _first_paragraph(words, i, end)
    limit = min(next((k for k in range(i, end) if words[k] == "subject"), end), i + 1500,
                end if first is None else first)
    # The classification line follows FM/TO/INFO: an "unclassified" before them is page text.
    fm_at = next((k for k in range(i, limit) if words[k] == "fm"), i)
    class_at = next((k for k in range(fm_at, limit) if _class_line_at(words, k)[0]), None)
    size, level = _class_line_at(words, class_at) if class_at is not None else (0, "")
    header_start = limit if class_at is None else class_at
    for k in range(i, header_start):  # the routing header: "vzczc...", "fm", or a DTG and its precedence
        if words[k].startswith("vzczc") or words[k] == "fm":
            header_start = k
            break
        if DTG_RE.match(words[k]) and words[k + 1:k + 2] and words[k + 1] in MONTHS:
            while k > i and re.fullmatch(r"[oprz]{1,2}", words[k - 1]):  # "r", "o r", "pp"
                k -= 1
            header_start = k
            break
    # "embassy bogota appears in these articles ...", "embassy berlin info log00 ...": not the origin.
    origin_end = next((k for k in range(i, header_start) if words[k] in {"appears", "this", "info", "action"}
                       or re.search(r"\d", words[k])), header_start)
    if class_at is None and header_start == limit:  # no routing header: the fields follow the origin
        header_start = origin_end
    routing_end = class_at if class_at is not None else next(
        (k for k in range(header_start, limit) if words[k] in {"tags", "subject", "eo"}), limit)
    return words[i:min(origin_end, i + 6)], header_start, routing_end, routing_end + size, level


def _origin_title(words: list[str], reference_id: str) -> str:
    """ "embassy paz" -> "Embassy La Paz": the viewer's casing, with dropped words put back from the ID."""
    if words == ["secretary", "of", "state"]:
        return "Secretary of State"
    place = re.sub(r"^\d{2}|\d+$", "", reference_id).lower()
    match = len(words) > 1 and re.fullmatch("(.{0,3})" + "(.{0,3})".join(words[1:]), place)
    if match and words[0] in {"embassy", "consulate"}:  # "lapaz" is "la" + "paz": "la" was dropped
        words = [words[0]] + [w for gap, word in zip(match.groups(), words[1:], strict=True) for w in (gap, word) if w]
    return " ".join(w.upper() if w in ORIGIN_ACRONYMS else w.title() for w in words)


# ----------------------------------------------------------------------------- header fields
def _routing_fields(words: list[str]) -> tuple[str, str, tuple[str, ...], tuple[str, ...]]:
    """DTG, sender, TO and INFO from the routing header's words."""
    dtg = next((" ".join(words[k:k + 3]).upper() for k in range(len(words) - 2)
                if DTG_RE.match(words[k]) and words[k + 1] in MONTHS), "")
    # Routing indicators glued to addressees ("ruehcsecstate"), with or without the VZCZC lines.
    routed = any(w.startswith("vzczc") or re.match(r"^r[uh][a-z]{3,5}(?:amembassy|amconsul|secstate)", w)
                 for w in words)
    lists: dict[str, list[str]] = {"fm": [], "to": [], "info": []}
    current = None
    for word in words:
        if current and (word in lists and lists[word] or word.startswith("vzczc") or REFERENCE_ID_RE.match(word)):
            break  # a second copy of the header, as some pages print it
        if word in lists:
            current = word
        elif current:
            lists[current].append(word)
    sender = _addressee(" ".join(lists["fm"]).upper())
    return dtg, sender, _addressees(lists["to"], routed), _addressees(lists["info"], routed)


def _unrouted(word: str) -> str | None:
    """ "ruehcsecstate" ("RUEHC/SECSTATE" without the slash) -> "secstate"; None if not so glued."""
    if not re.match(r"^r[uh][a-z]{3}", word) or len(word) <= 7:
        return None
    for cut in (5, 6, 7):
        if word[cut:].startswith(POST_WORDS + ("dept", "usdoc", "usdoe", "white", "national")) \
                or word[cut:] in AGENCY_WORDS:
            return word[cut:]
    return word[6:] if word.startswith("rueh") else word[7:]  # RUEHxx/ is six letters, RUEKJCS/ seven


def _addressees(words: list[str], routed: bool) -> tuple[str, ...]:
    """Split an addressee list at post words, routing indicators, and words that close an address."""
    groups: list[list[str]] = []
    closed = True
    for word in words:
        if word in WEEKDAYS:
            break  # "monday 12 october 2009": the date line some pages print after the addressees
        unrouted = _unrouted(word) if routed else None
        word = unrouted or word
        opens = closed and not word.isdigit() and word not in PRECEDENCES
        after_post = groups and groups[-1] in ([w] for w in POST_WORDS)  # "usmission usnato" is one
        post = word in POST_WORDS or word in MISSION_CODES
        if unrouted or post and not after_post or opens or not groups:
            groups.append([])
        closed = (word.endswith("collective") or word in PRECEDENCES or word.isdigit() or word == "washdc"
                  or word == "dc" and groups[-1][-1:] == ["washington"])
        groups[-1].append(word)
    texts = (re.sub(r"(?:\s+\d+)+$", "", " ".join(g)).upper() for g in _split_after_places(groups))
    return tuple(a for a in map(_addressee, texts) if a)


def _split_after_places(groups: list[list[str]]) -> list[list[str]]:
    """ "amembassy paris hq usafricom stuttgart ge": a post whose place is complete ends there, so what
    follows is another addressee; not a place that goes on ("usmission usnato brussels be")."""
    out: list[list[str]] = []
    for group in groups:
        out.append([])
        for k, word in enumerate(group):
            if out[-1] and _is_known_post(out[-1]) and word not in PLACE_FIRST_WORDS | PRECEDENCES | MONTHS \
                    and not _code_or_city(word) and not word.isdigit() \
                    and not _is_known_post(out[-1] + group[k:k + 1]):
                out.append([])
            out[-1].append(word)
    return out


def _code_or_city(word: str) -> bool:
    """What goes on after a post's place: a country or state code ("amembassy paris fr"), "city" ("panama
    city"); not an agency's short name ("hq", "us")."""
    return len(word) <= 2 and word not in AGENCY_WORDS or word == "city"


def _is_known_post(group: list[str]) -> bool:
    """ "amembassy manama", "usmission usun new york", "useu brussels": a post word and a known place (a
    country code or "city" after it said too)."""
    while len(group) > 2 and _code_or_city(group[-1]):
        group = group[:-1]
    if not (group[0] in POST_WORDS or group[0] in MISSION_CODES):
        return False
    return "".join(group).upper() in KNOWN_PLACES or "".join(group[1:]).upper() in KNOWN_PLACES


def _header_fields(words: list[str], k: int, end: int) -> dict:
    """TAGS, SUBJECT, REF, Classified By and reason between the classification line and the body."""
    fields: dict = {"tags": [], "subject": [], "ref": [], "classified_by": [], "reason": []}
    current = None
    while k < end:
        word, name = words[k], FIELD_NAMES.get(words[k])
        if name == "classified_by" and words[k + 1:k + 2] not in (["by"], ["from"]):
            name = None
        if word == "eo" and words[k + 1:k + 2] and words[k + 1].isdigit():
            current = None
        elif name and not fields[name]:
            current, k = name, k + (2 if name == "classified_by" else 1)
            continue
        elif current == "classified_by" and word in {"reason", "reasons"}:
            if fields["classified_by"][-1:] == ["for"]:
                fields["classified_by"].pop()
            current, k = "reason", k + 1
            continue
        elif current == "reason" and not re.fullmatch(r"1?[4-6][a-h]*|1|[a-h]{1,3}|and|or", word):
            break  # the reason code is over: body text before the first paragraph
        elif current == "subject" and len(fields["subject"]) >= 30:
            break  # no paragraph numbers and no field after it: a subject is never this long
        elif current == "ref" and len(fields["ref"]) >= 3 and all(
                len(w) > 2 and w.isalpha() and w not in {"and", "notal"} for w in fields["ref"][-3:] + [word]):
            del fields["ref"][-3:]  # four words and no number: the references are over
            k -= 3
            break
        elif _class_line_at(words, k)[0]:
            current = None  # "tags ... unclas section 01 of 02": a (repeated) classification line
        if current and word != "sipdis":
            fields[current].append(word)
        k += 1
    fields["stop"] = k
    return fields


def _reason(words: list[str]) -> str:
    """ "14c" -> "1.4(C)", "14 b and d" -> "1.4 (B) AND (D)": the E.O. reason as the cable prints it."""
    text = " ".join(words).upper()
    text = re.sub(r"\b1 ?([4-6])([A-H]*)\b", lambda m: f"1.{m[1]}" + "".join(f"({c})" for c in m[2]), text)
    return re.sub(r"(?<= )([A-H]{1,3})\b", lambda m: "".join(f"({c})" for c in m[1]), text)


def _references(words: list[str], year: str) -> tuple[Reference, ...]:
    """ "state 6423", or "state 6210 b 08 rabat 569" (label A was dropped) -> resolved references."""
    chunks: list[tuple[str, list[str]]] = [("", [])]
    for word in words:
        if len(word) == 1 and word.isalpha() and chunks[-1][1]:
            chunks.append((word.upper(), []))
        else:
            chunks[-1][1].append(word)
    if len(chunks) > 1 and chunks[1][0] == "B":
        chunks[0] = ("A", chunks[0][1])
    return tuple(Reference(label, " ".join(ws).upper(), resolve_reference(" ".join(ws).upper(), year))
                 for label, ws in chunks if ws)


# ----------------------------------------------------------------------------- body
def _marking(word: str) -> str:
    """ "snf" -> "S//NF"; "crel" ("(C/REL UK)") -> "C//REL"; "" for a word that is no marking."""
    rel = word.endswith("rel") and word[:-3] in FLAT_MARKINGS
    marking = canonical_marking(word[:-3] if rel else word) if rel or word in FLAT_MARKINGS else None
    return (marking + "//REL" if rel else marking) if marking else ""


def _can_start(words: list[str], k: int, bare: bool) -> bool:
    """A label at k opens a paragraph only where a sentence would not hold it ("in 16 countries")."""
    before = words[k - 1] if k else ""
    after = words[k + 1] if k + 1 < len(words) else ""
    if before in (NOT_BEFORE_BARE if bare else NOT_BEFORE_ANY):
        return False
    return not bare or after[:1].isalpha() and after not in NOT_AFTER_BARE


def _first_paragraph(words: list[str], k: int, end: int) -> int | None:
    """Where the body starts: "1 <marking>" if the cable marks its paragraphs, else a bare "1 <word>"."""
    marked = [j for j in range(k, end - 1)
              if words[j] in {"1", "2"} and _marking(words[j + 1]) and _can_start(words, j, False)]
    first_marked = next((j for j in marked if words[j] == "1"), None)
    bare = next((j for j in range(k, end - 1) if words[j] == "1" and _can_start(words, j, True)), None)
    if first_marked is not None and (bare is None or first_marked < bare
                                     or any(words[j] == "2" and j > first_marked for j in marked)):
        return first_marked
    return bare


def _split_paragraphs(words: list[str]) -> list[_Chunk]:
    """Split body words at labels that continue the numbering: 1, A, A.1, A.2, B, B.1, ..., 2."""
    chunks = [_Chunk(None, "", [])]
    top, sub, section, parent, skip = 0, 0, "", "", -1
    bare = _bare_openings(words)
    for k, word in enumerate(words):
        if k == skip:
            continue  # the marking of the paragraph just opened
        mark = _marking(words[k + 1]) if k + 1 < len(words) else ""
        label = None
        if bare is not None:
            if k in bare:
                label, top = word, int(word)
        elif word.isdigit() and len(word) <= 3 and _can_start(words, k, not mark):
            n = int(word)
            if mark and parent and n == sub + 1:  # continues the sub-list ("1)" under "A." or "3.")
                label, sub = f"{parent}.{n}", n
            elif n == top + 1 or mark and top + 1 < n <= top + 3:  # the next top-level paragraph
                label, top, sub, section, parent = str(n), n, 0, "", str(n)
            elif mark and n == 1 and section and _next_letter(section) in DROPPED_LETTERS:
                # A list restarts with no letter before it: section E lost its label.
                if _infer_section(chunks, _next_letter(section), len(chunks) - 1, ""):
                    section = _next_letter(section)
                    label, sub, parent = f"{section.upper()}.1", 1, section.upper()
        elif len(word) == 1 and word.isalpha() and mark and _can_start(words, k, False):
            expected = _next_letter(section)
            if word != expected and expected in DROPPED_LETTERS and word == _next_letter(expected):
                # "b u ..." and no section A before: A's marking hides in the text before it, and
                # when A had sub-items they were read as sub-items of the paragraph before A.
                host = next((j for j, c in enumerate(chunks) if c.number == parent), len(chunks) - 1)
                _infer_section(chunks, expected, len(chunks) - 1 if sub == 0 or section else host,
                               "" if section else parent)
                expected = word
            if word == expected:
                label, section, parent, sub = word.upper(), word, word.upper(), 0
        if label is None:
            if word != "sipdis":
                chunks[-1].words.append(word)
            continue
        chunks.append(_Chunk(label, mark, []))
        skip = k + 1 if mark else -1
    return chunks


def _bare_openings(words: list[str]) -> set[int] | None:
    """Where the paragraphs of a cable that marks none open: None if it marks them.

    With no markings, only the numbers' order tells paragraph numbers from numbers in the prose. Each
    number that may open one is a candidate; strong where the words around it read like no sentence
    ("met 3 officials" is one, "in december 10" and "4 to demonstrate" are weak). The openings are the
    longest run 1, 2, 3 ... of candidates in order, with the most strong ones; a weak one only inside it,
    where a later number bears it out, so that a date in the last paragraph opens none."""
    if any(w.isdigit() and len(w) <= 3 and _marking(after) and _can_start(words, k, False)
           for k, (w, after) in enumerate(zip(words, words[1:]))):
        return None
    best: dict[int, tuple[int, int, int]] = {}  # number -> (length, strong ones, position) of the best run to it
    back: dict[int, int | None] = {}  # position -> the position before it in its run
    final: tuple[int, int, int] | None = None
    for k, word in enumerate(words):
        if not (word.isdigit() and word[0] != "0" and len(word) <= 2 and _can_start(words, k, False)
                and words[k + 1:k + 2] and words[k + 1][0].isalpha()):
            continue
        n, strong = int(word), _can_start(words, k, True)
        before = best.get(n - 1) if n > 1 else (0, 0, -1)
        if before is None or (n == 1 and not strong):
            continue
        run = (before[0] + 1, before[1] + strong, k)
        if n not in best or run[:2] > best[n][:2]:
            best[n], back[k] = run, before[2] if n > 1 else None
        if strong and (final is None or run[:2] > final[:2]):
            final = run
    openings: set[int] = set()
    at = final[2] if final else None
    while at is not None:
        openings.add(at)
        at = back[at]
    return openings


def _next_letter(letter: str) -> str:
    return chr(ord(letter) + 1) if letter else "a"


def _infer_section(chunks: list[_Chunk], letter: str, host: int, renamed: str) -> bool:
    """Split the lost section's marking out of chunks[host]; sub-items "<renamed>.n" become "X.n"."""
    words = chunks[host].words
    at = next((j for j in range(len(words) - 2, -1, -1) if _marking(words[j]) and words[j + 1].isalpha()), None)
    if at is None:
        return False
    chunks.insert(host + 1, _Chunk(letter.upper(), _marking(words[at]), words[at + 1:]))
    del words[at:]
    for chunk in chunks[host + 2:]:
        if renamed and chunk.number and chunk.number.startswith(renamed + "."):
            chunk.number = letter.upper() + chunk.number[len(renamed):]
    return True


def _paragraphs(chunks: list[_Chunk]) -> tuple[Paragraph, ...]:
    """The chunks as Paragraphs; a few words before the first paragraph ("summary") are its heading."""
    heading = ""
    if len(chunks) > 1 and chunks[0].number is None and 0 < len(chunks[0].words) <= 6:
        heading, chunks = " ".join(chunks[0].words), chunks[1:]
    texts = [" ".join(chunk.words) for chunk in chunks]
    # Numbered as the punctuated parser numbers them: letters that restart under each paragraph are "2.A".
    return _unique_numbers([Paragraph(c.number, c.marking, heading if n == 0 else "", text, is_damaged(text))
                            for n, (c, text) in enumerate(zip(chunks, texts, strict=True)) if text or c.number])
