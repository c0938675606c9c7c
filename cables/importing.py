"""Import cables from files, folders and zips, in any input form: the only module that writes cables.

Records stream from `iter_records` (a CSV dump row by row, a zip member by member) and are written in
batches, one transaction each, so an import killed halfway leaves no half-written cable and memory does
not grow with the file. Re-importing is idempotent: keyed by reference ID, a source already stored
changes nothing, a changed source updates the cable and records the change.
"""
from __future__ import annotations

import codecs
import dataclasses
import hashlib
import io
import json
import multiprocessing
import os
import re
import shutil
import tempfile
import threading
import time
import uuid
import zipfile
import zlib
from collections.abc import Callable, Generator, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from django.conf import settings
from django.db import DataError, IntegrityError, OperationalError, connection, reset_queries, transaction
from django.db.models import F, Field, OuterRef, Subquery, Sum
from django.utils import timezone

from cables import listing
from cables.markings import paragraph_accesses
from cables.models import (Cable, CableChange, CableSource, ImportChunk, ImportJob, ImportRejection, Listing, Paragraph,
                           Tag)
from cables.parsing import ParsedCable, ParseError, references_by_access
from cables.signals import cables_written, import_finished
from cables.sources import detect_form, parse_document, parse_dump_fields, parse_dump_text, read_dump_rows

MAX_SINGLE_FILE = 50 * 1024 * 1024  # a file holding one cable; a CSV dump streams whatever its size
SNIFF = 64 * 1024
# Zip bombs: a member expanding past MAX_ZIP_MEMBER, or more than MAX_ZIP_RATIO times once past RATIO_FLOOR, is
# refused and reported by name, unread; so are members past MAX_ZIP_TOTAL for one input (every depth
# together) and zips nested deeper than MAX_ZIP_DEPTH. Text deflates some 3 to 10 times; zeros, a thousand.
MAX_ZIP_MEMBER = 4 * 2**30
MAX_ZIP_TOTAL = 8 * 2**30
MAX_ZIP_RATIO = 100
RATIO_FLOOR = 2**20
MAX_ZIP_DEPTH = 3
SPOOL_IN_MEMORY = 1 << 20  # a nested zip up to this stays in memory, a larger one goes to a temporary file


@dataclass
class Record:
    """One cable as it arrived, parsed; or why it could not be."""

    name: str  # file, or zip member, and row where it came from a dump
    raw: str
    cable: ParsedCable | None = None
    error: str = ""
    location: str = ""


@dataclass
class ImportReport:
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: list[tuple[str, str, str]] = field(default_factory=list)  # (file, location, reason)
    notes: list[str] = field(default_factory=list)  # e.g. a file decoded as cp1252

    @property
    def total(self) -> int:
        return self.new + self.updated + self.unchanged + len(self.rejected)

    def add(self, other: ImportReport) -> None:
        """Count another part of the same import (a batch, a share) in this report, after what it holds."""
        self.new += other.new
        self.updated += other.updated
        self.unchanged += other.unchanged
        self.rejected += other.rejected
        self.notes += other.notes


Progress = Callable[[int, int], None]  # (bytes done, bytes in all)


# ----------------------------------------------------------------------------- reading


class Decoded(NamedTuple):
    text: str
    encoding: str
    repaired: int = 0  # bytes not in the encoding: in UTF-8 read as Windows-1252, in UTF-16 or -32 as U+FFFD


# UTF-32's marks first: UTF-32 LE's opens with UTF-16 LE's.
_BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF16_LE, "utf-16"),
         (codecs.BOM_UTF16_BE, "utf-16"))


# Wide text without a byte-order mark (Windows tools write UTF-16 LE so): each codec, the bytes of one of its
# characters, and which of them holds a Latin-1 character's code; its other bytes are NUL.
_WIDE_LAYOUTS = (("utf-32-le", 4, 0), ("utf-32-be", 4, 3), ("utf-16-le", 2, 0), ("utf-16-be", 2, 1))
WIDE_SAMPLE = 4096  # the head that tells a wide encoding without its mark...
MIN_WIDE_SAMPLE = 64  # ...and the least of it that may: 16 to 32 characters
_WIDE_ZEROS = 0.75  # share of NULs in each byte a Latin-1 character leaves empty, at least
_WIDE_CODE_ZEROS = 0.05  # share of NULs in the byte that holds its code, at most


def wide_encoding(head: bytes) -> str | None:
    """UTF-16 or UTF-32, as the byte-order mark that opens the file says; else as its bytes show
    (_guess_wide); None when it is neither."""
    return next((encoding for bom, encoding in _BOMS if head.startswith(bom)), None) or _guess_wide(head)


def _guess_wide(head: bytes) -> str | None:
    """The wide encoding of mostly Latin text without a byte-order mark, on clear evidence only. Such text
    in UTF-16 LE has NUL in nearly every odd byte and in next to no even one: a text file in an 8-bit
    encoding holds no NUL, random or compressed bytes one in 256 anywhere. Numbers that happen to fall so
    (a table of 16-bit integers) are told apart by what they decode to: control characters, not text."""
    sample = head[:WIDE_SAMPLE]
    if len(sample) < MIN_WIDE_SAMPLE:
        return None
    for encoding, width, code in _WIDE_LAYOUTS:
        units = sample[:len(sample) - len(sample) % width]
        count = len(units) // width
        empty = all(units[i::width].count(0) >= _WIDE_ZEROS * count for i in range(width) if i != code)
        if empty and units[code::width].count(0) <= _WIDE_CODE_ZEROS * count and _reads_as_text(units, encoding):
            return encoding
    return None


_CONTROL_CHARACTERS = dict.fromkeys([*range(9), *range(14, 32), 0xFFFD])


def _reads_as_text(units: bytes, encoding: str) -> bool:
    """The units decode to text: no more than one character in a hundred a control character or one the
    encoding cannot read (a lone surrogate); a character cut in two at the end is left out, not counted."""
    text = codecs.getincrementaldecoder(encoding)(errors="replace").decode(units, final=False)
    return len(text) - len(text.translate(_CONTROL_CHARACTERS)) <= len(text) // 100


def decode(data: bytes) -> Decoded:
    """Bytes -> text; never fails, whatever the bytes. UTF-16 and UTF-32 by their BOM, or by their bytes
    without one (wide_encoding; a byte short at the end, or a lone surrogate, becomes U+FFFD, counted);
    UTF-8, where a few stray bytes that are not UTF-8 (a Windows-1252 "\x92" pasted into UTF-8 text) are
    read as Windows-1252 and counted; else Windows-1252, Latin-1."""
    if wide := wide_encoding(data):
        return _decode_counting(data, wide)
    if data.startswith(b"\xef\xbb\xbf"):
        return _decode_counting(data[3:], "utf-8")
    try:
        return Decoded(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        pass
    decoded = _decode_counting(data, "utf-8")
    # Whose are the valid UTF-8 sequences? In UTF-8 text with a few stray bytes, they are its characters,
    # at least as many as the strays; in Windows-1252 text nearly every accented letter is a stray, and a
    # valid sequence is the odd accident ("É" then "”" reads as UTF-8 "ɔ").
    non_ascii = len(decoded.text) - len(decoded.text.encode("ascii", "ignore"))
    if non_ascii - decoded.repaired >= decoded.repaired:
        return decoded
    try:
        return Decoded(data.decode("cp1252"), "cp1252")
    except UnicodeDecodeError:
        return Decoded(data.decode("latin-1"), "latin-1")


def _decode_counting(data: bytes, encoding: str) -> Decoded:
    """Decoded with _Repairs: bytes not in the encoding are repaired, one character each, and counted."""
    handler = _repairs()
    before = handler.count
    text = data.decode(encoding, errors=handler.name)
    return Decoded(text, encoding, handler.count - before)


def _head_text(head: bytes) -> str:
    """The text of a file's first 4 KB, for detect_form: cut at a line's end, so that no character is cut
    in two (UTF-16 and UTF-32 whole: a line end there is no single byte)."""
    head = head[:4096]
    if not wide_encoding(head) and b"\n" in head:
        head = head[:head.rindex(b"\n") + 1]
    return decode(head).text


# Control bytes that text holds at most as a stray (a NUL pasted into a dump row): tab, line ends and form
# feed are text. Random or compressed bytes hold one in nine; a text file next to none.
_CONTROL_BYTES = bytes(range(9)) + bytes(range(14, 32))


def looks_binary(head: bytes) -> bool:
    """A file that is no text: more than one byte in a hundred of its head (8 KB) a control character."""
    if wide_encoding(head):
        return False
    sample = head[:8192]
    return len(sample) - len(sample.translate(None, _CONTROL_BYTES)) > len(sample) // 100


def storable(text: str) -> tuple[str, int]:
    """Text PostgreSQL can hold: NUL, the one character a text column cannot, becomes U+FFFD (decoding
    leaves no lone surrogate); and how many were replaced."""
    if "\x00" not in text:
        return text, 0
    return text.replace("\x00", "\ufffd"), text.count("\x00")


def _repair_note(name: str, encoding: str, repaired: int, nuls: int) -> list[str]:
    """What the report says of how a file was read, when it was not plain UTF-8 as written."""
    notes = []
    if repaired and encoding == "utf-8":
        notes.append(f"{name}: {repaired:,} bytes that are not UTF-8 read as Windows-1252")
    elif repaired:
        notes.append(f"{name}: decoded as {encoding}; {repaired:,} bytes that are not {encoding.upper()} "
                     f"replaced by U+FFFD")
    elif encoding != "utf-8":
        notes.append(f"{name}: decoded as {encoding}")
    if nuls:
        notes.append(f"{name}: {nuls:,} NUL characters replaced by U+FFFD (PostgreSQL text cannot hold one)")
    return notes


def total_size(paths: Iterable[str | Path]) -> int:
    size = 0
    for path in paths:
        path = Path(path)
        if path.is_dir():
            size += sum(p.stat().st_size for p in path.rglob("*") if p.is_file())
        elif path.is_file():
            size += path.stat().st_size
    return size


def iter_records(paths: Iterable[str | Path], report: ImportReport, progress: Progress | None = None) -> Iterator[Record]:
    """Every record in the paths: files, folders (recursively) and zips, mixed."""
    paths = [Path(p) for p in paths]
    total = total_size(paths)
    done = 0

    def advance(n: int) -> None:
        nonlocal done
        done += n
        if progress:
            progress(min(done, total), total)

    for path in paths:
        for child in files_of(path):
            yield from _iter_file(child, str(child), report, advance)


def files_of(path: Path) -> list[Path]:
    """What an input holds to import, in order: a folder's every entry but its folders, recursively, through
    links to folders too (a broken link, a pipe as well, for _iter_file to report rather than pass over in
    silence); a link back to a folder being read (a loop) and a folder that cannot be listed, themselves, for
    _iter_file to name; a folder that holds none, itself (reported as empty); anything else, itself."""
    if not path.is_dir():
        return [path]
    found: list[Path] = []

    def walk(folder: Path, above: frozenset) -> None:
        try:
            entries = sorted(folder.iterdir())
        except OSError:
            found.append(folder)
            return
        for entry in entries:
            if not entry.is_dir():
                found.append(entry)
            elif (real := entry.resolve()) in above:
                found.append(entry)  # a loop
            else:
                walk(entry, above | {real})

    walk(path, frozenset({path.resolve()}))
    return sorted(found) or [path]


def _why_folder(path: Path) -> str:
    """Why a folder files_of lists is imported from no further."""
    if path.is_symlink():
        return f"a link to {os.readlink(path)}, a folder it stands in: a loop, not read again"
    if not os.access(path, os.R_OK | os.X_OK):
        return "unreadable: a folder that cannot be listed (Permission denied)"
    return "a folder with no files in it: nothing to import"


def _iter_file(path: Path, name: str, report: ImportReport, advance: Callable[[int], None]) -> Iterator[Record]:
    """One file's records; a file that cannot be read is rejected, saying why, and the import goes on."""
    size = _size(path)
    if path.is_dir():
        report.rejected.append((name, "", _why_folder(path)))
        return
    if path.exists() and not path.is_file():
        report.rejected.append((name, "", NOT_A_FILE))
        return
    try:
        handle = path.open("rb")
    except OSError as error:
        report.rejected.append((name, "", unreadable(path, error)))
        advance(size)
        return
    with handle:
        try:
            yield from _iter_stream(handle, name, size, report, advance)
        except OSError as error:  # a read failing halfway (a disk error): what was read before it is kept
            report.rejected.append((name, "", unreadable(path, error)))


NOT_A_FILE = "not a regular file (a named pipe, socket or device): not read"


def unreadable(path: Path, error: OSError) -> str:
    """Why a file could not be read, for the report: "unreadable: Permission denied"; a link to nothing
    names where it points."""
    if isinstance(error, FileNotFoundError) and path.is_symlink():
        try:
            return f"unreadable: a broken link, to {os.readlink(path)}, which does not exist"
        except OSError:
            pass
    return f"unreadable: {error.strerror or error}"


class _Budget:
    """What the members of one input may still expand to, at every depth of nesting together."""

    def __init__(self):
        self.left = MAX_ZIP_TOTAL


def _megabytes(size: int) -> str:
    return f"{size / 2**20:,.1f} MB" if size >= 2**20 else f"{size / 2**10:,.1f} KB"


def _refusal(member: zipfile.ZipInfo, budget: _Budget) -> str:
    """Why a zip member is not read at all, from its header ("" when it is read). The header's size is a
    hard bound: zipfile never gives more than it, and a member that would is refused as corrupt."""
    size, packed = member.file_size, member.compress_size
    if member.flag_bits & 0x1:
        return "encrypted zip member: not read"
    if size > MAX_ZIP_MEMBER:
        return (f"refused: expands to {_megabytes(size)}, over the {_megabytes(MAX_ZIP_MEMBER)} limit for a "
                f"zip member")
    if size > RATIO_FLOOR and size > MAX_ZIP_RATIO * max(packed, 1):
        return (f"refused: expands {size / max(packed, 1):,.0f} times ({_megabytes(size)} from "
                f"{_megabytes(packed)}), over the {MAX_ZIP_RATIO} times a zip member may: a zip bomb?")
    if size > budget.left:
        return (f"refused: the zip's members expand to more than {_megabytes(MAX_ZIP_TOTAL)} in all, the limit "
                f"for one input")
    return ""


def _iter_zip(archive_file, name: str, report: ImportReport, depth: int = 1,
              budget: _Budget | None = None) -> Iterator[Record]:
    budget = budget or _Budget()
    try:
        archive = zipfile.ZipFile(archive_file)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError) as error:
        report.rejected.append((name, "", f"not a readable zip file: {error}"))
        return
    with archive:
        for member in sorted(archive.infolist(), key=lambda m: m.filename):
            if member.is_dir() or Path(member.filename).name.startswith((".", "__MACOSX")):
                continue
            member_name = f"{name}:{member.filename}"
            refusal = _refusal(member, budget)
            if refusal:
                report.rejected.append((member_name, "", refusal))
                continue
            budget.left -= member.file_size
            try:
                with archive.open(member) as stream:
                    yield from _iter_stream(stream, member_name, member.file_size, report, lambda n: None,
                                            depth=depth, budget=budget)
            except (zipfile.BadZipFile, EOFError, zlib.error, NotImplementedError, OSError) as error:
                report.rejected.append((member_name, "", f"unreadable zip member: {error}"))


def _iter_nested_zip(buffered, name: str, size: int, report: ImportReport, depth: int,
                     budget: _Budget | None) -> Iterator[Record]:
    """A zip inside a zip: spooled to a temporary file (zipfile needs to seek, and a member seeks slowly),
    in chunks, never whole in memory."""
    if depth >= MAX_ZIP_DEPTH:
        report.rejected.append((name, "", f"refused: a zip nested more than {MAX_ZIP_DEPTH} deep"))
        return
    limit = min(size, MAX_ZIP_MEMBER)
    with tempfile.SpooledTemporaryFile(max_size=SPOOL_IN_MEMORY) as spool:
        copied = 0
        while chunk := buffered.read(1 << 20):
            copied += len(chunk)
            if copied > limit:  # never, as zipfile stops at the header's size; but never trust a header
                report.rejected.append((name, "", f"refused: expands past the {_megabytes(limit)} its zip header "
                                                  f"gives"))
                return
            spool.write(chunk)
        spool.seek(0)
        yield from _iter_zip(spool, name, report, depth + 1, budget)


def _iter_stream(stream, name: str, size: int, report: ImportReport, advance: Callable[[int], None],
                 depth: int = 0, budget: _Budget | None = None) -> Iterator[Record]:
    """One file's records: a CSV dump row by row, anything else as one cable. depth: how many zips it is in."""
    buffered = io.BufferedReader(stream) if not hasattr(stream, "peek") else stream
    head = buffered.peek(SNIFF)[:SNIFF]
    if head.startswith(b"PK\x03\x04"):  # a zip; a zip inside a zip is spooled to a temporary file
        if depth == 0 and isinstance(buffered, io.BufferedReader) and buffered.seekable():
            yield from _iter_zip(buffered, name, report, 1, budget)
        else:
            yield from _iter_nested_zip(buffered, name, size, report, depth, budget)
        advance(size)
        return
    if not head.strip():
        report.rejected.append((name, "", "empty file: no cable in it"))
        advance(size)
        return
    if looks_binary(head):
        report.rejected.append((name, "", "binary file: not a cable page, cable text or CSV dump"))
        advance(size)
        return
    if detect_form(_head_text(head)) == "csv":
        if not (yield from _iter_dump(buffered, name, size, advance, report=report, encoding=wide_encoding(head))):
            report.rejected.append((name, "", "a CSV dump with no rows: no cable in it"))
        return
    data = buffered.read(MAX_SINGLE_FILE + 1)
    advance(size)
    if len(data) > MAX_SINGLE_FILE:
        report.rejected.append((name, "", f"over {MAX_SINGLE_FILE // 2**20} MB and not a CSV dump"))
        return
    text, encoding, repaired = decode(data)
    text, nuls = storable(text)
    report.notes += _repair_note(name, encoding, repaired, nuls)
    try:
        cable = parse_document(text)
    except ParseError as error:
        yield Record(name=name, raw=text, error=str(error))
        return
    yield Record(name=name, raw=text, cable=cable)


class _Repairs:
    """A decoding error handler that repairs bytes not in the encoding, and counts them, so the report can
    say so: in UTF-8 they are read as Windows-1252 (a "\x92" pasted into a UTF-8 dump), rather than
    becoming U+FFFD unnoticed; in UTF-16 or UTF-32 (a byte short, a lone surrogate) they become U+FFFD."""

    def __init__(self):
        self.count = 0
        self.name = f"tracker-repair-{id(self)}"
        codecs.register_error(self.name, self)

    def __call__(self, error: UnicodeDecodeError) -> tuple[str, int]:
        self.count += error.end - error.start
        if error.encoding != "utf-8":
            return "\ufffd", error.end
        return error.object[error.start:error.end].decode("cp1252", errors="replace"), error.end


_repairs_of_thread = threading.local()


def _repairs() -> _Repairs:
    """This thread's handler: registered once (codecs keeps every handler registered for good)."""
    handler = getattr(_repairs_of_thread, "handler", None)
    if handler is None:
        handler = _repairs_of_thread.handler = _Repairs()
    return handler


def _iter_dump(buffered, name: str, size: int, advance: Callable[[int], None], first_row: int = 1,
               first_line: int = 1, report: ImportReport | None = None, encoding: str | None = None
               ) -> Generator[Record, None, int]:
    """A CSV dump's records, streamed row by row; returns how many rows it held. `encoding`: UTF-16 or
    UTF-32 by the dump's BOM or its bytes (wide_encoding), else UTF-8 (with stray Windows-1252 bytes)."""
    handler = _repairs()
    before, nuls, rows = handler.count, 0, 0
    text = io.TextIOWrapper(buffered, encoding=encoding or "utf-8", errors=handler.name, newline="")
    reported = 0
    for location, raw, fields, rejection in read_dump_rows(text, first_row, first_line):
        rows += 1
        if "\x00" in raw:  # a NUL pasted into a row: PostgreSQL text cannot hold it
            raw, count = storable(raw)
            nuls += count
            fields = fields and [storable(field)[0] for field in fields]
        if rejection is None:
            cable, rejection = parse_dump_fields(location, fields)
        if rejection is not None:
            yield Record(name=name, raw=raw, error=rejection.reason, location=location)
        else:
            yield Record(name=f"{name} {location}", raw=raw, cable=cable, location=location)
        try:
            position = buffered.tell()
        except (OSError, ValueError):
            continue
        if position - reported > 256 * 1024:
            advance(position - reported)
            reported = position
    advance(max(0, size - reported))
    if report is not None:
        report.notes += _repair_note(name, encoding or "utf-8", handler.count - before, nuls)
    return rows


class _Window(io.RawIOBase):
    """`length` bytes of an open file from where it stands: a range of a dump, read as a stream."""

    def __init__(self, handle, length: int):
        self.handle, self.left, self.read_so_far = handle, length, 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        count = self.handle.readinto(memoryview(buffer)[:min(len(buffer), self.left)]) if self.left else 0
        self.left -= count
        self.read_so_far += count
        return count

    def tell(self) -> int:
        return self.read_so_far


def iter_range(path: Path, name: str, start: int, end: int | None, first_row: int, first_line: int, size: int,
               report: ImportReport, advance: Callable[[int], None]) -> Iterator[Record]:
    """The records of one share of an import (file_ranges): a whole file, or a range of a CSV dump."""
    if end is None:
        yield from _iter_file(path, name, report, advance)
        return
    with path.open("rb") as handle:  # a range of a dump that starts a row and ends before one
        handle.seek(start)
        yield from _iter_dump(io.BufferedReader(_Window(handle, end - start), 1 << 20), name, size, advance,
                              first_row=first_row, first_line=first_line, report=report)


def parse_source(raw: str, form: str) -> ParsedCable:
    """Parse a stored source again, by the form it arrived in."""
    return parse_dump_text(raw) if form == "csv" else parse_document(raw)


def fingerprint(cable: ParsedCable) -> str:
    """A hash of everything parsed but the form: the JSON of dataclasses.asdict(cable), made by the JSON
    encoder itself (asdict deep-copies every paragraph first, a tenth of a cable's parsing time)."""
    fields = {name: getattr(cable, name) for name in _FINGERPRINTED}
    return hashlib.sha256(json.dumps(fields, default=_fields_of, sort_keys=True).encode()).hexdigest()


_FINGERPRINTED = tuple(f.name for f in dataclasses.fields(ParsedCable) if f.name not in ("form", "notes"))


def _fields_of(value):
    """For the JSON encoder: a paragraph or reference as the dict asdict makes of it; a date as str()."""
    names = _FIELD_NAMES.get(type(value))
    if names is None and dataclasses.is_dataclass(value):
        names = _FIELD_NAMES[type(value)] = tuple(f.name for f in dataclasses.fields(value))
    return {name: getattr(value, name) for name in names} if names else str(value)


_FIELD_NAMES: dict[type, tuple[str, ...]] = {}


def cable_fields(cable: ParsedCable) -> dict:
    """The model fields of a parsed cable (tags and paragraphs are written separately)."""
    return {
        "reference_id": cable.reference_id,
        "created": cable.created,
        "released": cable.released,
        "classification": cable.classification,
        "origin": cable.origin[:120],
        "dtg": cable.dtg[:40],
        "sender": cable.sender[:200],
        "to": list(cable.to),
        "info": list(cable.info),
        "subject": cable.subject,
        "references": [dataclasses.asdict(r) for r in cable.references],
        **dict(zip(("collection_references", "marked_references"), references_by_access(cable), strict=True)),
        "classified_by": cable.classified_by[:300],
        "classification_reason": cable.classification_reason[:300],
        "signature": cable.signature[:120],
        "header": cable.header,
        "body": cable.body,
        "partial": cable.partial,
        "form": cable.form,
        "fullness": cable.fullness,
        "fingerprint": fingerprint(cable),
    }


TRACKED_FIELDS = ("created", "released", "classification", "origin", "dtg", "sender", "to", "info", "subject",
                  "references", "collection_references", "classified_by", "classification_reason", "signature",
                  "body", "partial")


def import_paths(paths: Iterable[str | Path], job: ImportJob | None = None, progress: Progress | None = None,
                 user=None, processes: int = 0) -> ImportReport:
    """Import every cable in the paths; return counts and every rejected record with its reason.
    `processes`: on PostgreSQL, import a large input in that many processes at once (see
    import_in_processes); under 2, or for a small input, everything is imported in this process."""
    paths = list(paths)
    report = ImportReport()
    if processes >= 2 and connection.vendor == "postgresql" and total_size(paths) >= PARALLEL_MIN_BYTES:
        import_in_processes(paths, report, job, progress, processes)
    else:
        write_records(iter_records(paths, report, progress), report, job)
    refresh_statistics(report.new + report.updated)
    import_finished.send(sender=None, user=user, report=report, paths=paths, job=job)
    return report


PARALLEL_MIN_BYTES = 8 * 1024 * 1024  # below this, starting the processes costs more than they save


def import_in_processes(paths: list[Path], report: ImportReport, job: ImportJob | None, progress: Progress | None,
                        processes: int) -> None:
    """Import the paths in `processes` processes, each taking the next share as it finishes one
    (plan_shares), parsing it and writing it over its own connection. So parsing, the writer's own work
    and the database's run on every core at once. The same cable in two shares is settled as between two
    workers of a job (write_batch). Reports add up in the order of the shares, so rejections read in
    file order."""
    from cables import import_processes

    total = total_size(paths)
    shares = plan_shares(paths, min(settings.IMPORT_CHUNK_BYTES, max(1 << 20, total // (processes * 4))))
    context = multiprocessing.get_context("spawn")  # no forked copy of this process's connection
    done = context.Value("q", 0)
    # An executor rather than a Pool: a process that dies (killed, out of memory) fails the import with
    # BrokenProcessPool instead of leaving it waiting forever for that process's share.
    with ProcessPoolExecutor(min(processes, len(shares)), mp_context=context, initializer=import_processes.start,
                             initargs=(connection.settings_dict["NAME"], done, job.pk if job else None)) as pool:
        pending = [pool.submit(import_processes.import_share, share) for share in shares]
        try:
            while wait(pending, timeout=0.5).not_done:
                if progress:
                    progress(min(done.value, total), total)
            reports = [future.result() for future in pending]  # the first failure, if any, raised here
        except BaseException:
            pool.shutdown(wait=True, cancel_futures=True)
            raise
    for share_report in reports:
        report.add(share_report)
    if progress:
        progress(total, total)


def plan_shares(paths: list[Path], chunk_bytes: int) -> list[list[tuple]]:
    """The shares of a parallel import, in file order: each range of a large CSV dump (file_ranges) alone,
    and whole files gathered until they hold about `chunk_bytes`, so that a folder of small pages is
    written in full batches rather than a transaction a page. A share is a list of file_ranges' tuples."""
    shares: list[list[tuple]] = []
    gathered: list[tuple] = []
    size = 0
    for path in paths:
        for share in file_ranges(Path(path), str(path), chunk_bytes):
            share = tuple(map(_plain, share))
            if share[3] is not None:  # a range of a dump: a share of its own, after the files before it
                shares.append([share])
                gathered, size = [], 0
                continue
            if not gathered:
                shares.append(gathered)
            gathered.append(share)
            size += share[6]
            if size >= chunk_bytes:
                gathered, size = [], 0
    return shares


def _plain(value):
    return str(value) if isinstance(value, Path) else value


def import_share(share: list[tuple], job: ImportJob | None, advance: Callable[[int], None]) -> ImportReport:
    """Import one share (plan_shares) in this process; what each of import_in_processes' processes runs."""
    report = ImportReport()
    records = (record for path, name, start, end, first_row, first_line, size in share
               for record in iter_range(Path(path), name, start, end, first_row, first_line, size, report, advance))
    write_records(records, report, job)
    return report


ANALYZE_AFTER = 5_000  # cables written by one import, after which the store is vacuumed and analysed
STORE_TABLES = ("cables_cable", "cables_paragraph", "cables_cablesource", "cables_cable_tags", "cables_listing")


def refresh_statistics(written: int, tables: Iterable[str] = STORE_TABLES) -> None:
    """After a bulk load, VACUUM ANALYZE the store's tables (PostgreSQL), as its manual advises: the
    queries that follow are planned for the rows now there, not for the table as autovacuum last saw
    it, and the first reader of each new page no longer pays for marking its rows committed (hint bits)
    and dirtying it. That cost had fallen on the ranking that follows an import: 0.75 s against 0.38 s
    to read 2,000 cables' paragraphs at full size. VACUUM also merges the GIN index's pending entries and
    marks pages all-visible; it skips pages already so, so each import pays for its own rows (about 4%
    of its time). Inside a transaction, where VACUUM cannot run, ANALYZE alone. Other apps that write
    beside the import (cables_written) pass their own tables, from import_finished."""
    if written < ANALYZE_AFTER or connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute(f"{'ANALYZE' if connection.in_atomic_block else 'VACUUM (ANALYZE)'} {', '.join(tables)}")


def write_records(records: Iterable[Record], report: ImportReport, job: ImportJob | None = None) -> None:
    """Write the records in batches of IMPORT_BATCH_SIZE; count the rejected ones."""
    batch: list[Record] = []
    size = settings.IMPORT_BATCH_SIZE
    for record in records:
        if record.cable is None:
            report.rejected.append((_file_of(record), record.location, record.error))
            continue
        report.notes += [f"{' '.join(filter(None, (_file_of(record), record.location)))}: {note}"
                         for note in record.cable.notes]
        batch.append(record)
        if len(batch) >= size:
            write_batch(batch, report, job)
            batch = []
            reset_queries()  # with DEBUG on, Django keeps every query's SQL: memory would grow with the file
    if batch:
        write_batch(batch, report, job)


def _file_of(record: Record) -> str:
    """The file (or zip member) a record came from: a good dump row's name also names its row."""
    return record.name.removesuffix(f" {record.location}") if record.location else record.name


def write_batch(records: list[Record], report: ImportReport, job: ImportJob | None = None,
                reparse: bool = False) -> None:
    """Write one batch of parsed records in one transaction. `reparse`: stored sources parsed anew.

    A record the database refuses (a value it cannot hold) must not lose the others: the batch is then
    written again a cable at a time, and only the cables refused are rejected, naming file and row.
    """
    try:
        _write_batch_racing(records, report, job, reparse)
    except (DataError, IntegrityError) as error:
        by_ref: dict[str, list[Record]] = {}
        for record in records:
            by_ref.setdefault(record.cable.reference_id, []).append(record)
        if len(by_ref) > 1:
            for group in by_ref.values():
                write_batch(group, report, job, reparse)
            return
        if len(records) > 1:  # copies of one cable: the one refused must not take the others with it
            for record in records:
                write_batch([record], report, job, reparse)
            return
        why = str(error).strip().partition("\n")[0] or type(error).__name__  # PostgreSQL's CONTEXT: lines follow
        reason = f"not stored, the database refused it: {why}"
        report.rejected += [(_file_of(record), record.location, reason) for record in records]


def _write_batch_racing(records: list[Record], report: ImportReport, job: ImportJob | None, reparse: bool) -> None:
    """Write one batch. Another import (a chunk of the same job on another worker) may write the same
    cables at the same time: the loser of that race gets an IntegrityError, and the batch runs again
    against what the winner wrote, so nothing is lost and nothing counted twice."""
    for attempt in range(WRITE_ATTEMPTS):
        counts = ImportReport()
        try:
            _write_batch_once(records, counts, job, reparse)
        except (IntegrityError, OperationalError) as error:
            if attempt + 1 == WRITE_ATTEMPTS or not _is_a_race(error):
                raise
            continue
        report.add(counts)
        return


WRITE_ATTEMPTS = 5


def _is_a_race(error: Exception) -> bool:
    """A unique key taken, or a deadlock, by a concurrent writer: the batch may simply run again."""
    state = getattr(error.__cause__, "sqlstate", None)
    if isinstance(error, IntegrityError):  # a unique key, not a value no row may hold (NOT NULL, a check)
        return state == "23505" if state else "UNIQUE constraint" in str(error)  # PostgreSQL; SQLite says so
    return state in ("40P01", "40001")  # deadlock, serialization


def _write_batch_once(records: list[Record], report: ImportReport, job: ImportJob | None, reparse: bool) -> None:
    by_ref: dict[str, list[Record]] = {}
    for record in sorted(records, key=lambda r: r.cable.reference_id):  # one lock order for every writer
        by_ref.setdefault(record.cable.reference_id, []).append(record)
    with transaction.atomic():
        existing = {c.reference_id: c for c in Cable.objects.filter(reference_id__in=by_ref)}
        known = set(
            CableSource.objects.filter(cable__in=existing.values()).values_list("cable__reference_id", "sha256")
        )
        new_cables: list[Cable] = []
        changed: list[tuple[Cable, dict, str]] = []
        sources: list[tuple[str, Record, str]] = []
        update_fields: list[str] = []  # the keys of cable_fields(), once a cable has changed
        fullest_by_ref = {ref: max(group, key=lambda r: (r.cable.fullness, len(r.cable.body)))
                          for ref, group in by_ref.items()}
        for ref, group in by_ref.items():
            fullest = fullest_by_ref[ref]
            fresh = []
            for record in group:
                sha = hashlib.sha256(record.raw.encode("utf-8", errors="replace")).hexdigest()
                if (ref, sha) not in known:
                    known.add((ref, sha))
                    fresh.append((record, sha))
                    sources.append((ref, record, sha))
            cable = existing.get(ref)
            if cable is None:
                new_cables.append(Cable(**cable_fields(fullest.cable)))
                report.new += 1
                report.unchanged += len(group) - 1
                continue
            fields = cable_fields(fullest.cable)
            if fields["released"] is None and cable.released:  # a stamp dropped (ParsedCable.notes): keep the known
                fields["released"] = cable.released
            takes_fields = reparse or (fresh and fullest.cable.fullness >= cable.fullness)
            if takes_fields and not reparse and _cut_short(fullest.cable, cable):
                takes_fields = False
                report.notes.append(
                    f"{ref}: kept the stored text; {fullest.name} holds less of it ({len(fullest.cable.body):,} of"
                    f" {len(cable.body):,} characters): a copy cut off? Its source is kept beside the others")
            if takes_fields and fields["fingerprint"] != cable.fingerprint:
                diff = {
                    name: [_jsonable(getattr(cable, name)), _jsonable(fields[name])]
                    for name in TRACKED_FIELDS
                    if _jsonable(getattr(cable, name)) != _jsonable(fields[name])
                }
                for name, value in fields.items():
                    setattr(cable, name, value)
                changed.append((cable, diff, fullest.name))
                update_fields = list(fields)
                report.updated += 1
                report.unchanged += len(group) - 1
            else:
                report.unchanged += len(group)
        insert_rows(Cable, new_cables, with_ids=True)
        if changed:
            Cable.objects.bulk_update([c for c, _, _ in changed], update_fields, batch_size=200)
            Paragraph.objects.filter(cable__in=[c for c, _, _ in changed]).delete()
            Cable.tags.through.objects.filter(cable__in=[c for c, _, _ in changed]).delete()
            Listing.objects.filter(cable__in=[c for c, _, _ in changed]).delete()
            CableChange.objects.bulk_create(
                [CableChange(cable=c, job=job, source_name=name[:500], changes=diff) for c, diff, name in changed if diff]
            )
        written = {c.reference_id: c for c in new_cables} | {c.reference_id: c for c, _, _ in changed}
        parsed = {ref: record.cable for ref, record in fullest_by_ref.items()}
        _write_paragraphs_and_tags(written, parsed)
        cables_by_ref = existing | {c.reference_id: c for c in new_cables}
        insert_rows(CableSource, [
            CableSource(cable=cables_by_ref[ref], form=record.cable.form, fullness=record.cable.fullness,
                        name=record.name[:500], sha256=sha, raw=record.raw, job=job)
            for ref, record, sha in sources
        ])
        if written:
            cables_written.send(sender=None, cables=written, parsed={ref: parsed[ref] for ref in written})


def _cut_short(parsed: ParsedCable, stored: Cable) -> bool:
    """A source of the same form holding markedly less of the cable's text than the stored one (a file
    cut off in transfer, a page saved half-loaded): the fuller text stays."""
    return parsed.fullness == stored.fullness and len(parsed.body) < 0.9 * len(stored.body or "")


def insert_rows(model, objects: list, with_ids: bool = False) -> None:
    """Insert new rows in bulk: COPY on PostgreSQL (no SQL to build, nothing sent back), bulk_create
    elsewhere. `with_ids`: the objects get their primary keys, drawn from the table's sequence."""
    if not objects:
        return
    if connection.vendor != "postgresql":
        model.objects.bulk_create(objects, batch_size=500)
        return
    meta = model._meta
    fields = [f for f in meta.concrete_fields if not f.generated and (with_ids or not f.primary_key)]
    if with_ids:
        with connection.cursor() as cursor:
            cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                           [meta.db_table, meta.pk.column, len(objects)])
            for obj, (pk,) in zip(objects, cursor.fetchall(), strict=True):
                obj.pk = pk
    prepare = [_preparer(f) for f in fields]
    copy_rows(model, tuple(f.column for f in fields),
              [tuple(p(obj) for p in prepare) for obj in objects])
    for obj in objects:
        obj._state.adding, obj._state.db = False, connection.alias


# Fields whose database value is the attribute itself when it is None or of this type: what Django's
# conversion would give back unchanged, so it is skipped (a cable has twenty such fields; the conversion was
# a tenth of the import's own work). Numbers are not among them: PostgreSQL's backend wraps them in types.
_PLAIN_TYPES = {"CharField": str, "TextField": str, "BooleanField": bool}


def _preparer(field) -> Callable:
    """A field's value of an object as insert_rows writes it: Django's own conversion, unless it is plain."""
    def converted(obj):
        return field.get_db_prep_save(field.pre_save(obj, True), connection)

    plain = _PLAIN_TYPES.get(field.get_internal_type())
    if plain is None or type(field).pre_save is not Field.pre_save:
        return converted
    attname = field.attname

    def value(obj):
        value = getattr(obj, attname)
        return value if value is None or type(value) is plain else converted(obj)

    return value


PARAGRAPH_COLUMNS = ("cable_id", "position", "number", "marking", "heading", "text", "damaged", "level", "noforn")


def _write_paragraphs_and_tags(written: dict[str, Cable], parsed: dict[str, ParsedCable]) -> None:
    paragraphs = [
        (cable.pk, i, p.number, p.marking[:24], p.heading[:300], p.text, p.damaged, *access)
        for ref, cable in written.items()
        for i, (p, access) in enumerate(zip(parsed[ref].paragraphs, paragraph_accesses(parsed[ref].paragraphs),
                                            strict=True), 1)
    ]
    copy_rows(Paragraph, PARAGRAPH_COLUMNS, paragraphs)
    by_cable: dict[int, list[tuple]] = {}
    for row in paragraphs:
        by_cable.setdefault(row[0], []).append((row[7], row[8], row[4], row[5]))
    listing.write([row for ref, cable in written.items()
                   for row in listing.rows_for(cable, by_cable.get(cable.pk, []), (t[:16] for t in parsed[ref].tags))])
    names = sorted({tag[:16] for ref in written for tag in parsed[ref].tags})
    if not names:
        return
    Tag.objects.bulk_create([Tag(name=n) for n in names], ignore_conflicts=True)
    tag_ids = dict(Tag.objects.filter(name__in=names).values_list("name", "pk"))
    # The written cables have no tag rows: new ones never had, changed ones lost theirs above.
    copy_rows(Cable.tags.through, ("cable_id", "tag_id"), [
        (cable.pk, tag_ids[tag]) for ref, cable in written.items() for tag in dict.fromkeys(t[:16] for t in parsed[ref].tags)
    ])


def copy_rows(model, columns: tuple[str, ...], rows: list[tuple]) -> None:
    """Insert rows given as tuples of column values, ready for the database (no model instances, no
    per-field conversion: for the paragraphs, a dozen or more a cable). COPY on PostgreSQL."""
    if not rows:
        return
    if connection.vendor != "postgresql":
        model.objects.bulk_create([model(**dict(zip(columns, row, strict=True))) for row in rows], batch_size=500)
        return
    quote = connection.ops.quote_name
    with connection.cursor() as cursor, connection.wrap_database_errors:
        with cursor.cursor.copy(f"COPY {quote(model._meta.db_table)} ({', '.join(map(quote, columns))}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)


def _jsonable(value):
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def describe(report: ImportReport) -> str:
    """The closing summary of an import, as the command and the job page show it."""
    lines = [f"{report.new} new, {report.updated} updated, {report.unchanged} unchanged, {len(report.rejected)} rejected"]
    for file, location, reason in report.rejected:
        lines.append(f"  rejected {file}{' ' + location if location else ''}: {reason}")
    lines.extend(f"  note: {note}" for note in report.notes)
    return "\n".join(lines)


# ----------------------------------------------------------------------------- import jobs, in chunks

# A chunk starts at a good row; rows are counted as read_dump_rows counts them, bad ones too (sources.DUMP_ROW_OPENING).
DUMP_ROW_START_RE = re.compile(rb'"\d+","\d{1,2}/\d{1,2}/\d{4} \d{1,2}:\d{2}","')
DUMP_ROW_STARTS_RE = re.compile(rb'(?m)^"\d*","')


ERRNO_RE = re.compile(r"^\[Errno \d+\] (.*?)(: '.*')?$")  # "[Errno 40] Too many levels of symbolic links: 'x'"


def store_files(paths: Iterable[str | Path], rejected: list | None = None) -> tuple[list[str], list[str], int]:
    """Files and folders for an import job, where the workers find them: referenced where they already
    are under MEDIA_ROOT, else copied to MEDIA_ROOT/imports/<uuid>/. Their relative paths, names, size.
    A file that cannot be read (or copied) is left out and added to `rejected`, as a report's rejection,
    saying why; the others are stored."""
    media = Path(settings.MEDIA_ROOT).resolve()
    folder = Path("imports") / uuid.uuid4().hex
    stored, names = [], []
    refused = rejected if rejected is not None else []

    def copy(source, target):
        if Path(source).exists() and not Path(source).is_file():
            refused.append((str(source), "", NOT_A_FILE))
            return target
        try:
            return shutil.copy2(source, target)
        except OSError as error:
            refused.append((str(source), "", unreadable(Path(source), error)))
            return target

    for i, path in enumerate(Path(p) for p in paths):
        if path.resolve().is_relative_to(media):
            relative = path.resolve().relative_to(media)
        else:
            relative = folder / f"{i:04d}-{path.name}"
            (media / folder).mkdir(parents=True, exist_ok=True)
            try:
                if path.is_dir():  # file by file as an import reads it: through links, never round a loop
                    (media / relative).mkdir(parents=True, exist_ok=True)
                    for source in files_of(path):
                        if source.is_dir():
                            if source != path:  # an empty folder given is named by the job, which reads it
                                refused.append((str(source), "", _why_folder(source)))
                            continue
                        target = media / relative / source.relative_to(path)
                        target.parent.mkdir(parents=True, exist_ok=True)
                        copy(source, target)
                elif path.exists() and not path.is_file():
                    refused.append((str(path), "", NOT_A_FILE))
                    continue
                else:
                    shutil.copyfile(path, media / relative)
            except shutil.Error as error:  # entries it could not read (a sub-folder, a link loop): the rest is stored
                refused.extend((str(source), "", "unreadable: " + ERRNO_RE.sub(r"\1", str(why)))
                               for source, _, why in error.args[0])
            except OSError as error:
                refused.append((str(path), "", unreadable(path, error)))
                continue
        stored.append(str(relative))
        names.append(str(path))
    return stored, names, total_size(media / p for p in stored)


def plan_job(job: ImportJob) -> list[int]:
    """Split a queued job into chunks, one task each: a file apiece, and a CSV dump over IMPORT_CHUNK_BYTES
    cut at row boundaries. Returns the chunks' ids; none when the job was no longer queued (it ran)."""
    if ImportJob.objects.filter(pk=job.pk, status=ImportJob.QUEUED).update(
        status=ImportJob.RUNNING, started=timezone.now()
    ) != 1:
        return []  # someone got there first, or it already ran
    media = Path(settings.MEDIA_ROOT)
    chunks: list[ImportChunk] = []
    for relative, name in zip(job.paths, job.names, strict=False):
        for file, shown, start, end, first_row, first_line, size in file_ranges(media / relative, name,
                                                                                settings.IMPORT_CHUNK_BYTES):
            chunks.append(ImportChunk(job=job, number=len(chunks), path=str(file.relative_to(media)), name=shown,
                                      start=start, end=end, first_row=first_row, first_line=first_line, size=size))
    with transaction.atomic():
        ImportChunk.objects.bulk_create(chunks)
        ImportJob.objects.filter(pk=job.pk).update(total_bytes=sum(c.size for c in chunks))
    if not chunks:
        _finish_job(job)
    return list(ImportChunk.objects.filter(job=job).values_list("pk", flat=True))


def file_ranges(path: Path, name: str, chunk_bytes: int) -> Iterator[tuple[Path, str, int, int | None, int, int, int]]:
    """The shares of one path for an import split among processes or workers: every file (a folder's,
    recursively), and a CSV dump over `chunk_bytes` cut at row boundaries (dump_ranges). Each share is
    (file, name as shown, start, end or None for the whole file, first row, first line, size)."""
    for file in files_of(path):
        shown = name + str(file)[len(str(path)):]
        for start, end, first_row, first_line in dump_ranges(file, chunk_bytes):
            yield file, shown, start, end, first_row, first_line, (end if end is not None else _size(file)) - start


def _size(path: Path) -> int:
    return path.stat().st_size if path.is_file() else 0


def dump_ranges(path: Path, chunk_bytes: int) -> list[tuple[int, int | None, int, int]]:
    """(start, end, first row, first line) of byte ranges that cut a CSV dump at rows that start a line,
    about `chunk_bytes` each; [(0, None, 1, 1)], the whole file, for anything else or a smaller dump.
    Row numbers count the rows that start a line, as they stand in a well-formed dump."""
    size = _size(path)
    if size <= chunk_bytes or not _is_dump(path):
        return [(0, None, 1, 1)]
    cuts = [0]
    with path.open("rb") as handle:
        while cuts[-1] + chunk_bytes < size:
            handle.seek(cuts[-1] + chunk_bytes)
            handle.readline()  # the rest of the line the target falls in
            while (line := handle.readline()) and not DUMP_ROW_START_RE.match(line):
                pass
            if not line:
                break
            cuts.append(handle.tell() - len(line))
        ranges, row, line_no = [], 1, 1
        for start, end in zip(cuts, [*cuts[1:], size], strict=True):
            handle.seek(start)
            data = handle.read(end - start)
            ranges.append((start, end, row, line_no))
            row += len(DUMP_ROW_STARTS_RE.findall(data))
            line_no += data.count(b"\n") + data.count(b"\r") - data.count(b"\r\n")  # as the reader counts them
    return ranges


def _is_dump(path: Path) -> bool:
    """A CSV dump in UTF-8, whose rows dump_ranges may cut at their bytes; a UTF-16 or UTF-32 dump is read
    whole, as a file."""
    try:
        with path.open("rb") as handle:
            head = handle.read(4096)
    except OSError:  # read whole, as a file, which reports why it cannot be
        return False
    if head.startswith(b"PK\x03\x04") or looks_binary(head) or wide_encoding(head):
        return False
    return detect_form(_head_text(head)) == "csv"


def import_chunk(chunk: ImportChunk) -> ImportReport:
    """Import one chunk of a job and count it in the job; the last chunk to finish finishes the job.
    Safe to run twice: the import is idempotent, and a chunk is counted once, by the run that ends first."""
    if chunk.status == ImportChunk.DONE:
        return ImportReport()
    ImportChunk.objects.filter(pk=chunk.pk, status=ImportChunk.QUEUED).update(status=ImportChunk.RUNNING)
    report = ImportReport()
    last = [0.0]
    done = [0]

    def advance(n: int) -> None:
        done[0] += n
        now = time.monotonic()
        if now - last[0] > 0.5:
            last[0] = now
            _record_progress(chunk, min(done[0], chunk.size))

    try:
        write_records(_iter_chunk(chunk, report, advance), report, chunk.job)
    except Exception as error:  # the job page must say it failed rather than spin forever
        ImportChunk.objects.filter(pk=chunk.pk).update(status=ImportChunk.FAILED, message=f"failed: {error}")
        ImportJob.objects.filter(pk=chunk.job_id).update(status=ImportJob.FAILED, finished=timezone.now(),
                                                         message=f"failed: {chunk.name}: {error}")
        raise
    _finish_chunk(chunk, report)
    return report


def _iter_chunk(chunk: ImportChunk, report: ImportReport, advance: Callable[[int], None]) -> Iterator[Record]:
    yield from iter_range(Path(settings.MEDIA_ROOT) / chunk.path, chunk.name, chunk.start, chunk.end, chunk.first_row,
                          chunk.first_line, chunk.size, report, advance)


def _record_progress(chunk: ImportChunk, done: int) -> None:
    ImportChunk.objects.filter(pk=chunk.pk).update(processed_bytes=done)
    ImportJob.objects.filter(pk=chunk.job_id).update(processed_bytes=Subquery(
        ImportChunk.objects.filter(job=OuterRef("pk")).values("job").annotate(total=Sum("processed_bytes")).values("total")
    ))


def _finish_chunk(chunk: ImportChunk, report: ImportReport) -> None:
    with transaction.atomic():
        job = ImportJob.objects.select_for_update().get(pk=chunk.job_id)  # finishing chunks take turns
        counted = ImportChunk.objects.filter(pk=chunk.pk).exclude(status=ImportChunk.DONE).update(
            status=ImportChunk.DONE, finished=timezone.now(), new=report.new, updated_count=report.updated,
            unchanged=report.unchanged, rejected=len(report.rejected), message="\n".join(report.notes),
            processed_bytes=F("size"),
        )
        if not counted:
            return  # a second delivery of a chunk already counted
        ImportRejection.objects.bulk_create(
            [ImportRejection(job=job, chunk=chunk, file=file[:500], location=location[:100], reason=reason)
             for file, location, reason in report.rejected]
        )
        ImportJob.objects.filter(pk=job.pk).update(**job.totals())
        last = not job.chunks.exclude(status=ImportChunk.DONE).exists()
    if last:
        _finish_job(job)


def _finish_job(job: ImportJob) -> None:
    with transaction.atomic():
        notes = [m for m in job.chunks.order_by("number").values_list("message", flat=True) if m]
        if ImportJob.objects.filter(pk=job.pk, status=ImportJob.RUNNING).update(
            status=ImportJob.DONE, finished=timezone.now(), message="\n".join(notes), **job.totals()
        ) != 1:
            return
    job.refresh_from_db()
    refresh_statistics(job.new + job.updated_count)
    import_finished.send(sender=None, user=job.created_by, report=job_report(job), paths=job.paths, job=job)


def job_report(job: ImportJob) -> ImportReport:
    """A job's report as an import returns it: its counts, rejections in file order, notes."""
    return ImportReport(
        new=job.new, updated=job.updated_count, unchanged=job.unchanged,
        rejected=[(r.file, r.location, r.reason) for r in job.rejections.order_by("chunk__number", "pk")],
        notes=[line for line in job.message.splitlines() if line] if job.status == ImportJob.DONE else [],
    )
