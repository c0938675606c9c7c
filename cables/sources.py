"""Input forms -> ParsedCable: viewer HTML pages, pages saved as text, flattened text, raw cable text,
and rows of the Cablegate CSV dump. Pure: no Django.

`parse_document` takes the decoded text of one file and returns the cables in it; `iter_dump_rows`
streams the CSV dump row by row, so a 1.7 GB file never sits in memory.
"""
from __future__ import annotations

import csv
import html
import io
import re
from collections.abc import Iterator
from itertools import chain
from dataclasses import dataclass

from cables.markings import CLASSIFICATIONS, canonical_classification
from cables.parsing import Identity, ParsedCable, ParseError, parse_cable_text, parse_timestamp

IDENTITY_HEADER_RE = re.compile(r"Reference\s+ID\s+Created\s+Released\s+Classification\s+Origin", re.I)
STAMP = r"\d{4}-\d{2}-\d{2}\s+\d{2}:\d{2}"


@dataclass(frozen=True)
class Rejection:
    """A record that could not be imported: where it was and why."""

    location: str  # "line 12", "row 3"; "" for the whole file
    reason: str


DUMP_HEADER_ROW = r'"?id"?\s*,\s*"?date"?\s*,\s*"?ref_?id"?[^\r\n]*'
# The dump's shape: every field quoted, so each row opens a line with a quoted id (a number, or nothing
# where the row is broken) and the next field's quote: '"1","12/28/1966 18:48","66BUENOSAIRES2481",...'.
DUMP_ROW_OPENING = r'"\d*","'
_DUMP_START_RE = re.compile(rf"\ufeff?\s*(?:{DUMP_HEADER_ROW}(?:\r?\n|$)|{DUMP_ROW_OPENING})", re.I)
_DUMP_ROWS_RE = re.compile(rf'^{DUMP_ROW_OPENING}[^"\r\n]*","', re.M)  # a line opening three quoted fields


def detect_form(text: str) -> str:
    """Which input form a decoded file holds: viewer-html, viewer-text, flattened, csv or raw.

    A CSV dump is told by its shape, not by its first row being a good one (a row with a bad date or too
    few columns is the dump's to reject, not a reason to read the whole file as one cable): it opens with
    a header row naming its columns or a row in the dump's quoting, or several of its lines open rows."""
    head = text[:4000]
    if _DUMP_START_RE.match(head):
        return "csv"
    if re.search(r"<table[^>]*class=['\"]cable['\"]|<pre>|<html|<!DOCTYPE", head + text[-2000:], re.I):
        return "viewer-html"
    if len(_DUMP_ROWS_RE.findall(head)) >= 2:
        return "csv"  # rows under a first line that is none (cut off, or garbled)
    from cables.flattened import looks_flattened

    if looks_flattened(text):
        return "flattened"
    if IDENTITY_HEADER_RE.search(text):
        return "viewer-text"
    return "raw"


def parse_document(text: str) -> ParsedCable:
    """Parse one file that holds one cable, in whichever form it comes."""
    form = detect_form(text)
    if form == "viewer-html":
        return parse_viewer_html(text)
    if form == "viewer-text":
        return parse_viewer_text(text)
    if form == "flattened":
        from cables.flattened import parse_flattened

        return parse_flattened(text)
    if form == "csv":
        raise ParseError("a CSV dump holds many cables: import it with iter_dump_rows")
    return parse_cable_text(text, form="raw")


# ----------------------------------------------------------------------------- viewer HTML page


def _cell_text(cell: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", cell)).strip()


def parse_viewer_html(page: str) -> ParsedCable:
    """A WikiLeaks cable-viewer page: the identity table, then the cable text in <pre> blocks."""
    table = re.search(r"<table[^>]*class=['\"]cable['\"][^>]*>(.*?)</table>", page, re.S | re.I)
    if not table:
        raise ParseError("an HTML page with no cable table (Reference ID, Created, ...) in it")
    cells = [_cell_text(c) for c in re.findall(r"<td[^>]*>(.*?)</td>", table.group(1), re.S | re.I)]
    if len(cells) < 5:
        raise ParseError("the cable table has fewer than the five cells Reference ID ... Origin")
    identity = Identity(
        reference_id=cells[0],
        created=parse_timestamp(cells[1]),
        released=parse_timestamp(cells[2]),
        classification=canonical_classification(cells[3]) or "",
        origin=cells[4],
    )
    blocks = re.findall(r"<pre[^>]*>(.*?)</pre>", page, re.S | re.I)
    if not blocks:
        raise ParseError(f"{identity.reference_id}: the page has no cable text (<pre> blocks)")
    text = "\n\n".join(html.unescape(re.sub(r"<[^>]+>", "", block)) for block in blocks)
    return parse_cable_text(text, identity, form="viewer-html")


# ----------------------------------------------------------------------------- viewer page saved as text


def _split_identity_line(line: str) -> Identity | None:
    match = re.match(rf"^\s*(\d{{2}}[A-Z][A-Z0-9]+\d)\s+({STAMP})\s+({STAMP})\s+(.+?)\s*$", line)
    if not match:
        return None
    reference_id, created, released, rest = match.groups()
    classification, origin = "", rest
    for candidate in sorted(CLASSIFICATIONS, key=len, reverse=True):
        if rest.upper().startswith(candidate):
            classification, origin = candidate, rest[len(candidate):].strip()
            break
    return Identity(reference_id, parse_timestamp(created), parse_timestamp(released), classification, origin)


def parse_viewer_text(text: str) -> ParsedCable:
    """A viewer page saved as text: navigation, the identity header line and values, then the cable."""
    header = IDENTITY_HEADER_RE.search(text)
    if not header:
        raise ParseError("no 'Reference ID Created Released Classification Origin' table in the text")
    rest = text[header.end():].lstrip("\r\n \t")
    first_line, _, cable_text = rest.partition("\n")
    identity = _split_identity_line(first_line)
    if identity is None:
        raise ParseError(f"the line after the identity header is not a cable's identity: {first_line[:80]!r}")
    return parse_cable_text(cable_text, identity, form="viewer-text")


# ----------------------------------------------------------------------------- the CSV dump

DUMP_COLUMNS = ("id", "date", "refid", "origin", "classification", "references", "header", "content")
DUMP_FIELD_LIMIT = 64 * 1024 * 1024


def parse_dump_row(row: list[str]) -> ParsedCable:
    """One row of the Cablegate CSV dump: id, date, refid, origin, classification, references, header, content."""
    if len(row) != len(DUMP_COLUMNS):
        raise ParseError(f"expected {len(DUMP_COLUMNS)} columns (id, date, refid, ...), found {len(row)}")
    _, date, refid, origin, classification, references, header, content = row
    if not refid.strip():  # the dump names every cable: an ID read from the text instead might be another's
        raise ParseError("the refid column is empty: a row of the dump names its cable (09STATE6423)")
    created = parse_timestamp(date)
    if created is None:
        raise ParseError(f"the date column {date[:40]!r} is not a date like 12/28/1966 18:48")
    canonical = canonical_classification(classification)
    if canonical is None:
        raise ParseError(f"the classification column {classification[:40]!r} is not a known classification")
    identity = Identity(
        reference_id=refid,
        created=created,
        classification=canonical,
        origin=origin.strip(),
        references=tuple(r.strip().upper() for r in references.split("|") if r.strip()),
    )
    return parse_cable_text(header.rstrip() + "\n\n" + content, identity, form="csv")


class _RowLines:
    """The lines of a text stream for the csv reader, kept until the row they make is taken.

    The reader is fed the stream's lines a block at a time (`readlines`), so it iterates in C rather than
    through a generator of ours line by line (a tenth of reading a dump went there); its own `line_num`
    says how many it has read, so the lines of each row are known."""

    BLOCK = 1 << 16  # characters of lines read at a time

    def __init__(self, stream):
        self.stream = stream
        self.pending: list[str] = []  # lines read from the stream and not yet taken, from line `first` on
        self.first = 0

    def lines(self) -> Iterator[str]:
        return chain.from_iterable(self._blocks())

    def _blocks(self) -> Iterator[list[str]]:
        while block := self.stream.readlines(self.BLOCK):
            self.pending += block
            yield block

    def take(self, upto: int) -> str:
        """The text of lines from the last one taken up to line `upto` (counted from the stream's start),
        exactly as they came."""
        count = upto - self.first
        text = "".join(self.pending[:count])
        del self.pending[:count]
        self.first = upto
        return text


def _dump_reader(lines):
    """A csv reader in the dump's dialect: `\\"` escapes, and fields as long as real cables run."""
    # The longest cables run past the csv module's 128 KiB field limit; a real cable is never 64 MiB.
    csv.field_size_limit(max(csv.field_size_limit(), DUMP_FIELD_LIMIT))
    return csv.reader(lines, escapechar="\\", strict=False)


def iter_dump_rows(stream) -> Iterator[tuple[str, ParsedCable | None, Rejection | None]]:
    """Stream a CSV dump: (location, cable, None) per good row, (location, None, rejection) per bad one."""
    for location, _, cable, rejection in iter_dump_records(stream):
        yield location, cable, rejection


def parse_dump_text(raw: str) -> ParsedCable:
    """Parse one row of the dump as stored: its CSV text, exactly as it stood in the file."""
    # a row whose last field ends in a backslash was parted from the next where that one starts
    rows = list(_dump_reader(io.StringIO(_RUN_ON_END_RE.sub(r'\\\\"', raw), newline="")))
    if len(rows) != 1:
        raise ParseError(f"a stored dump row holds {len(rows)} rows")
    return parse_dump_row(rows[0])


def iter_dump_records(stream, first_row: int = 1, first_line: int = 1
                      ) -> Iterator[tuple[str, str, ParsedCable | None, Rejection | None]]:
    """Stream a CSV dump: (location, raw row, cable, None) per good row, (location, raw, None, rejection)
    per bad one. The raw row is the row's text exactly as it stood in the file.

    `stream` is a text stream opened with newline="" so CRLF inside fields survives. Locations name the
    row and the line it starts on, so a bad row can be found in a 1.7 GB file; `first_row` and
    `first_line` are their numbers where the stream starts (a chunk cut from the middle of a dump).
    """
    for location, raw, fields, rejection in read_dump_rows(stream, first_row, first_line):
        if rejection is not None:
            yield location, raw, None, rejection
        else:
            yield location, raw, *parse_dump_fields(location, fields)


def read_dump_rows(stream, first_row: int = 1, first_line: int = 1
                   ) -> Iterator[tuple[str, str, list[str] | None, Rejection | None]]:
    """The rows of a CSV dump read but not parsed: (location, raw row, fields, None), or (location, raw,
    None, rejection) for an unreadable one; blank rows are skipped (see iter_dump_records)."""
    lines = _RowLines(stream)
    reader = _dump_reader(lines.lines())
    row_no = first_row - 1
    opening = True  # no row read yet but blank ones: a header row may come
    while True:
        start_line = reader.line_num + first_line
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            row_no += 1
            location = f"row {row_no} (line {start_line})"
            yield location, lines.take(reader.line_num), None, Rejection(location, f"unreadable CSV: {error}")
            continue
        row_no += 1
        location = f"row {row_no} (line {start_line})"
        raw = lines.take(reader.line_num)
        if not row or not any(field.strip() for field in row):
            continue
        if opening and re.fullmatch(DUMP_HEADER_ROW, ",".join(row).lstrip("\ufeff"), re.I):
            row_no -= 1  # a header row naming the columns: no cable, and not counted
            opening = False
            continue
        opening = False
        if len(row) != len(DUMP_COLUMNS) and (parts := _rows_run_together(raw)):
            for k, (offset, part_raw, part, reason) in enumerate(parts):
                location = f"row {row_no + k} (line {start_line + raw.count(chr(10), 0, offset)})"
                yield location, part_raw, part, Rejection(location, reason) if reason else None
            row_no += len(parts) - 1
            continue
        yield location, raw, row, None


# A row that does not close its last field runs on into the next one: a field whose text ends in a
# backslash ("... FARLAND \\", which reads as an escaped quote), or one missing its closing quote. Where the
# next row starts a line, the row ended; a closing quote escaped by a backslash closed the field.
_RUN_ON_END_RE = re.compile(r'\\"(?=\r?\n?$)')
_ROW_START_RE = re.compile(rf'(?<=\n)(?={DUMP_ROW_OPENING})')


def _rows_run_together(raw: str) -> list[tuple[int, str, list[str] | None, str]] | None:
    """The rows that one read as a single row holds, each (offset in raw, its text, its fields, "") or,
    for a part that is no whole row (a field missing its closing quote), (offset, text, None, why not);
    None unless a row starts a line inside it."""
    starts = [0, *(m.start() for m in _ROW_START_RE.finditer(raw))]
    if len(starts) == 1:
        return None
    parts = []
    for start, end in zip(starts, [*starts[1:], len(raw)], strict=True):
        text = raw[start:end]
        if not text.rstrip().endswith('"'):
            parts.append((start, text, None, "unreadable CSV: a quoted field is missing its closing quote, so the "
                                             "row ran on into the next one; it is cut where that one starts"))
            continue
        rows = list(_dump_reader(io.StringIO(_RUN_ON_END_RE.sub(r'\\\\"', text), newline="")))
        if len(rows) == 1:
            parts.append((start, text, rows[0], ""))
        else:
            parts.append((start, text, None, f"unreadable CSV: the text before the next row reads as {len(rows)} rows"))
    return parts


def parse_dump_fields(location: str, fields: list[str]) -> tuple[ParsedCable | None, Rejection | None]:
    """One row's fields parsed: (cable, None), or (None, rejection) saying why not."""
    try:
        return parse_dump_row(fields), None
    except ParseError as error:
        return None, Rejection(location, str(error))
