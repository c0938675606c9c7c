"""Import jobs in chunks: a CSV dump cut at row boundaries (a tiny IMPORT_CHUNK_BYTES here) imports whole
through the chunk tasks (a real worker where a broker is configured), counts add up exactly, rejections
of every chunk are reported with file and row, and a chunk run again changes nothing."""
import io
from pathlib import Path

import pytest
from django.db import IntegrityError

from bench.generate import csv_line, iter_rows
from cables import importing
from cables.models import Cable, CableSource, ImportChunk, ImportJob, ImportRejection
from cables.sources import iter_dump_records
from tests.conftest import wait_for

pytestmark = pytest.mark.worker

CHUNK_BYTES = 30_000  # five or six generated rows a chunk


def bad_row(serial: int, refid: str) -> list[str]:
    return [str(serial), "13/45/2009 10:00", refid, "Embassy Nowhere", "SECRET", "", "R 010000Z JAN 09", "1. (S) x"]


def write_dump(path: Path, count: int = 40, bad_at: tuple[int, ...] = (3, 21, 38)) -> Path:
    """`count` generated rows, with a row whose date is no date at each of `bad_at` (0-based)."""
    rows = list(iter_rows(count=count, seed=11))
    for position in sorted(bad_at, reverse=True):
        rows.insert(position, bad_row(900 + position, f"09BAD{position}"))
    with path.open("w", newline="") as out:
        out.writelines(csv_line(row) for row in rows)
    return path


def expected(path: Path) -> tuple[set[str], list[tuple[str, str]]]:
    """The reference IDs and the (location, reason) rejections of reading the whole file in one go."""
    refs, rejected = set(), []
    with path.open(encoding="utf-8", newline="") as text:
        for location, _, cable, rejection in iter_dump_records(text):
            if cable:
                refs.add(cable.reference_id)
            else:
                rejected.append((location, rejection.reason))
    return refs, rejected


def queue_job(path: Path) -> ImportJob:
    from cables.tasks import run_import_job

    stored, names, size = importing.store_files([path])
    job = ImportJob.objects.create(paths=stored, names=["cables.csv"], total_bytes=size)
    run_import_job.delay(job.pk)
    return wait_for(lambda: ImportJob.objects.filter(pk=job.pk, status__in=["done", "failed"]).first(), timeout=120)


@pytest.fixture
def small_chunks(settings):
    settings.IMPORT_CHUNK_BYTES = CHUNK_BYTES


def test_dump_ranges_cover_the_file_at_row_starts_with_its_row_and_line_numbers(tmp_path):
    path = write_dump(tmp_path / "cables.csv")
    ranges = importing.dump_ranges(path, CHUNK_BYTES)
    data = path.read_bytes()
    assert len(ranges) > 4
    assert [r[0] for r in ranges[1:]] == [r[1] for r in ranges[:-1]] and ranges[-1][1] == len(data)
    locations = []
    for start, end, first_row, first_line in ranges:
        assert importing.DUMP_ROW_START_RE.match(data[start:end])
        text = io.TextIOWrapper(io.BytesIO(data[start:end]), encoding="utf-8", newline="")
        locations += [location for location, *_ in iter_dump_records(text, first_row, first_line)]
    with path.open(encoding="utf-8", newline="") as whole:
        assert locations == [location for location, *_ in iter_dump_records(whole)]


def test_a_small_dump_or_another_file_is_one_chunk(tmp_path):
    path = write_dump(tmp_path / "cables.csv", count=3, bad_at=())
    assert importing.dump_ranges(path, 10**9) == [(0, None, 1, 1)]
    page = tmp_path / "page.txt"
    page.write_text("x" * 100_000)
    assert importing.dump_ranges(page, 1000) == [(0, None, 1, 1)]


def test_a_dump_in_many_chunks_imports_whole_and_reports_every_rejection(celery_worker, small_chunks, tmp_path):
    path = write_dump(tmp_path / "cables.csv")
    refs, rejected = expected(path)
    job = queue_job(path)
    assert job.status == "done", job.message
    assert job.chunks.count() > 4 and not job.chunks.exclude(status="done").exists()
    assert set(Cable.objects.values_list("reference_id", flat=True)) == refs
    assert (job.new, job.updated_count, job.unchanged, job.rejected) == (len(refs), 0, 0, 3)
    assert job.processed_bytes == job.total_bytes == path.stat().st_size
    # each bad row is reported from its own chunk, with the file as uploaded and its place in the whole file
    rejections = list(job.rejections.order_by("chunk__number", "pk"))
    assert len({r.chunk_id for r in rejections}) == 3
    assert [(r.file, r.location, r.reason) for r in rejections] == [("cables.csv", loc, why) for loc, why in rejected]
    report = importing.job_report(job)
    assert importing.describe(report).startswith(f"{len(refs)} new, 0 updated, 0 unchanged, 3 rejected")
    assert "rejected cables.csv row 4 (line " in importing.describe(report)


def test_running_a_chunk_again_changes_nothing(celery_worker, small_chunks, tmp_path):
    from cables.tasks import import_chunk

    job = queue_job(write_dump(tmp_path / "cables.csv"))
    before = (job.new, job.unchanged, job.rejected, Cable.objects.count(), CableSource.objects.count(),
              ImportRejection.objects.count())
    for chunk in job.chunks.all()[:3]:
        import_chunk.delay(chunk.pk)  # a re-delivered task
    job.refresh_from_db()
    after = (job.new, job.unchanged, job.rejected, Cable.objects.count(), CableSource.objects.count(),
             ImportRejection.objects.count())
    assert after == before and job.status == "done"


def test_the_same_cable_in_two_chunks_is_counted_once_new(celery_worker, small_chunks, tmp_path):
    path = tmp_path / "twice.csv"
    rows = list(iter_rows(count=12, seed=5))
    with path.open("w", newline="") as out:
        out.writelines(csv_line(row) for row in rows + rows[:2])  # the first two again, in the last chunk
    job = queue_job(path)
    assert job.status == "done", job.message
    assert job.chunks.count() > 1
    assert (job.new, job.unchanged, job.rejected) == (12, 2, 0)


@pytest.mark.django_db
def test_a_batch_that_loses_a_race_for_a_cable_runs_again(tmp_path, monkeypatch):
    """Another writer inserts the cable between this batch's look-up and its insert: the unique key
    refuses the insert, and the batch runs again against what is there."""
    path = write_dump(tmp_path / "cables.csv", count=3, bad_at=())
    real_insert = importing.insert_rows
    attempts = []

    def racing_insert(model, objects, with_ids=False):
        if model is Cable and not attempts:
            attempts.append(1)
            raise IntegrityError("duplicate key value violates unique constraint (simulated)")
        return real_insert(model, objects, with_ids)

    monkeypatch.setattr(importing, "insert_rows", racing_insert)
    report = importing.import_paths([path])
    assert attempts == [1] and (report.new, report.unchanged) == (3, 0)
    assert Cable.objects.count() == 3 and CableSource.objects.count() == 3


@pytest.mark.django_db
def test_a_job_with_no_files_finishes_at_once(settings):
    job = ImportJob.objects.create(paths=[], names=[])
    assert importing.plan_job(job) == []
    job.refresh_from_db()
    assert job.status == "done" and not ImportChunk.objects.exists()
