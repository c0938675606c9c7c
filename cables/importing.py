"""Import cables from files, folders and zips, in any input form: the only module that writes cables.

Records stream from `iter_records` (a CSV dump row by row, a zip member by member) and are written in
batches, one transaction each, so an import killed halfway leaves no half-written cable and memory does
not grow with the file. Re-importing is idempotent: keyed by reference ID, a source already stored
changes nothing, a changed source updates the cable and records the change.
"""
from __future__ import annotations

import dataclasses
import hashlib
import io
import json
import os
import time
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.contrib.postgres.search import SearchVector
from django.db import connection, reset_queries, transaction
from django.db.models import F
from django.utils import timezone

from cables.markings import marking_access
from cables.models import Cable, CableChange, CableSource, ImportJob, ImportRejection, Paragraph, Tag
from cables.parsing import ParsedCable, ParseError
from cables.signals import cables_written, import_finished
from cables.sources import detect_form, iter_dump_records, parse_document, parse_dump_text

MAX_SINGLE_FILE = 50 * 1024 * 1024  # a file holding one cable; a CSV dump streams whatever its size
SNIFF = 64 * 1024


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


Progress = Callable[[int, int], None]  # (bytes done, bytes in all)


# ----------------------------------------------------------------------------- reading


def decode(data: bytes) -> tuple[str, str]:
    """Bytes -> (text, encoding). UTF-8 first; UTF-16 by its BOM; then Windows-1252, Latin-1."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16"), "utf-16"
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace"), "utf-8"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        return data.decode("latin-1"), "latin-1"


def looks_binary(head: bytes) -> bool:
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return False
    return b"\x00" in head[:8192]


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
        if path.is_dir():
            for child in sorted(p for p in path.rglob("*") if p.is_file()):
                yield from _iter_file(child, str(child), report, advance)
        else:
            yield from _iter_file(path, str(path), report, advance)


def _iter_file(path: Path, name: str, report: ImportReport, advance: Callable[[int], None]) -> Iterator[Record]:
    with path.open("rb") as handle:
        yield from _iter_stream(handle, name, path.stat().st_size, report, advance)


def _iter_zip(archive_file, name: str, report: ImportReport) -> Iterator[Record]:
    try:
        archive = zipfile.ZipFile(archive_file)
    except zipfile.BadZipFile as error:
        report.rejected.append((name, "", f"not a readable zip file: {error}"))
        return
    with archive:
        for member in sorted(archive.infolist(), key=lambda m: m.filename):
            if member.is_dir() or Path(member.filename).name.startswith((".", "__MACOSX")):
                continue
            with archive.open(member) as stream:
                yield from _iter_stream(stream, f"{name}:{member.filename}", member.file_size, report, lambda n: None)


def _iter_stream(stream, name: str, size: int, report: ImportReport, advance: Callable[[int], None]) -> Iterator[Record]:
    """One file's records: a CSV dump row by row, anything else as one cable."""
    buffered = io.BufferedReader(stream) if not hasattr(stream, "peek") else stream
    head = buffered.peek(SNIFF)[:SNIFF]
    if head.startswith(b"PK\x03\x04"):  # a zip, or a zip inside a zip (read whole: members seek slowly)
        archive = buffered if isinstance(buffered, io.BufferedReader) else io.BytesIO(buffered.read())
        yield from _iter_zip(archive, name, report)
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
    head_text, _ = decode(head[:4096].rsplit(b"\n", 1)[0] if b"\n" in head[:4096] else head[:4096])
    if detect_form(head_text) == "csv":
        yield from _iter_dump(buffered, name, size, advance)
        return
    data = buffered.read(MAX_SINGLE_FILE + 1)
    advance(size)
    if len(data) > MAX_SINGLE_FILE:
        report.rejected.append((name, "", f"over {MAX_SINGLE_FILE // 2**20} MB and not a CSV dump"))
        return
    text, encoding = decode(data)
    if encoding not in ("utf-8",):
        report.notes.append(f"{name}: decoded as {encoding}")
    try:
        cable = parse_document(text)
    except ParseError as error:
        yield Record(name=name, raw=text, error=str(error))
        return
    yield Record(name=name, raw=text, cable=cable)


def _iter_dump(buffered, name: str, size: int, advance: Callable[[int], None]) -> Iterator[Record]:
    text = io.TextIOWrapper(buffered, encoding="utf-8", errors="replace", newline="")
    reported = 0
    for location, raw, cable, rejection in iter_dump_records(text):
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


def parse_source(raw: str, form: str) -> ParsedCable:
    """Parse a stored source again, by the form it arrived in."""
    return parse_dump_text(raw) if form == "csv" else parse_document(raw)


def fingerprint(cable: ParsedCable) -> str:
    fields = dataclasses.asdict(cable)
    fields.pop("form")
    return hashlib.sha256(json.dumps(fields, default=str, sort_keys=True).encode()).hexdigest()


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
        "collection_references": list(cable.collection_references),
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
                 user=None) -> ImportReport:
    """Import every cable in the paths; return counts and every rejected record with its reason."""
    paths = list(paths)
    report = ImportReport()
    batch: list[Record] = []
    size = settings.IMPORT_BATCH_SIZE
    for record in iter_records(paths, report, progress):
        if record.cable is None:
            report.rejected.append((record.name, record.location, record.error))
            continue
        batch.append(record)
        if len(batch) >= size:
            write_batch(batch, report, job)
            batch = []
            reset_queries()  # with DEBUG on, Django keeps every query's SQL: memory would grow with the file
    if batch:
        write_batch(batch, report, job)
    import_finished.send(sender=None, user=user, report=report, paths=paths, job=job)
    return report


def write_batch(records: list[Record], report: ImportReport, job: ImportJob | None = None, reparse: bool = False) -> None:
    """Write one batch of parsed records in one transaction. `reparse`: stored sources parsed anew."""
    by_ref: dict[str, list[Record]] = {}
    for record in records:
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
        fullest_by_ref = {ref: max(group, key=lambda r: r.cable.fullness) for ref, group in by_ref.items()}
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
            takes_fields = reparse or (fresh and fullest.cable.fullness >= cable.fullness)
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
        Cable.objects.bulk_create(new_cables, batch_size=500)
        if changed:
            Cable.objects.bulk_update([c for c, _, _ in changed], update_fields, batch_size=200)
            Paragraph.objects.filter(cable__in=[c for c, _, _ in changed]).delete()
            Cable.tags.through.objects.filter(cable__in=[c for c, _, _ in changed]).delete()
            CableChange.objects.bulk_create(
                [CableChange(cable=c, job=job, source_name=name[:500], changes=diff) for c, diff, name in changed if diff]
            )
        written = {c.reference_id: c for c in new_cables} | {c.reference_id: c for c, _, _ in changed}
        parsed = {ref: record.cable for ref, record in fullest_by_ref.items()}
        _write_paragraphs_and_tags(written, parsed)
        cables_by_ref = existing | {c.reference_id: c for c in new_cables}
        CableSource.objects.bulk_create(
            [
                CableSource(cable=cables_by_ref[ref], form=record.cable.form, fullness=record.cable.fullness,
                            name=record.name[:500], sha256=sha, raw=record.raw, job=job)
                for ref, record, sha in sources
            ],
            batch_size=500,
        )
        if written and connection.vendor == "postgresql":
            ids = [c.pk for c in written.values()]
            Cable.objects.filter(pk__in=ids).update(search_vector=SearchVector("subject", config="english"))
            Paragraph.objects.filter(cable_id__in=ids).update(
                search_vector=SearchVector("heading", "text", config="english")
            )
        if written:
            cables_written.send(sender=None, cables=written, parsed={ref: parsed[ref] for ref in written})


def _write_paragraphs_and_tags(written: dict[str, Cable], parsed: dict[str, ParsedCable]) -> None:
    paragraphs = [
        Paragraph(cable=cable, position=i, number=p.number, marking=p.marking[:24], heading=p.heading[:300],
                  text=p.text, damaged=p.damaged, **_access(p.marking))
        for ref, cable in written.items()
        for i, p in enumerate(parsed[ref].paragraphs, 1)
    ]
    Paragraph.objects.bulk_create(paragraphs, batch_size=1000)
    names = {tag[:16] for ref in written for tag in parsed[ref].tags}
    if not names:
        return
    Tag.objects.bulk_create([Tag(name=n) for n in names], ignore_conflicts=True)
    tag_ids = dict(Tag.objects.filter(name__in=names).values_list("name", "pk"))
    Through = Cable.tags.through
    Through.objects.bulk_create(
        [Through(cable_id=cable.pk, tag_id=tag_ids[tag]) for ref, cable in written.items()
         for tag in dict.fromkeys(t[:16] for t in parsed[ref].tags)],
        batch_size=1000,
        ignore_conflicts=True,
    )


def _access(marking: str) -> dict:
    level, noforn = marking_access(marking)
    return {"level": level, "noforn": noforn}


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


def run_job(job: ImportJob) -> ImportReport:
    """Run an import job over its uploaded files, keeping its progress and report on the job row."""
    if ImportJob.objects.filter(pk=job.pk, status=ImportJob.QUEUED).update(
        status=ImportJob.RUNNING, started=timezone.now()
    ) != 1:
        return ImportReport()  # someone got there first, or it already ran
    paths = [os.path.join(settings.MEDIA_ROOT, p) for p in job.paths]
    last = [0.0]

    def progress(done: int, total: int) -> None:
        now = time.monotonic()
        if now - last[0] > 0.5 or done == total:
            last[0] = now
            ImportJob.objects.filter(pk=job.pk).update(processed_bytes=done, total_bytes=total)

    try:
        report = import_paths(paths, job=job, progress=progress, user=job.created_by)
    except Exception as error:  # the job page must say it failed rather than spin forever
        ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.FAILED, finished=timezone.now(),
                                                   message=f"failed: {error}")
        raise
    uploaded = dict(zip(paths, job.names, strict=False))
    ImportRejection.objects.bulk_create(
        [ImportRejection(job=job, file=_uploaded_name(f, uploaded), location=loc, reason=reason)
         for f, loc, reason in report.rejected]
    )
    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportJob.DONE, finished=timezone.now(), new=report.new, updated_count=report.updated,
        unchanged=report.unchanged, rejected=len(report.rejected), message="\n".join(report.notes),
        processed_bytes=F("total_bytes"),
    )
    return report


def _uploaded_name(name: str, uploaded: dict[str, str]) -> str:
    """A stored upload's path (or "path:zip member") shown with the file's name as it was uploaded."""
    for path, original in uploaded.items():
        if name == path or name.startswith(path + ":"):
            return original + name[len(path):]
    return name
