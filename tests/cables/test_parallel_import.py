"""`import_paths(..., processes=N)`: on PostgreSQL a large input is imported by N processes at once, each
taking the next file or range of a CSV dump. What lands is exactly what one process imports: the same
cables, paragraphs, listing rows, tags and sources, the same counts, and every rejection with its file,
row and line, in file order."""
import os
import signal
import threading
import time
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

import pytest
from django.db import connection
from django.db.models import TextField
from django.db.models.functions import Cast

from bench.generate import csv_line, iter_rows
from cables import importing
from cables.models import Cable, CableSource, Listing, Paragraph, Tag
from tests.cables.test_chunked_import import CHUNK_BYTES, expected, write_dump
from tests.conftest import PAGES

ON_POSTGRES = connection.vendor == "postgresql"


def stored() -> dict:
    """Everything an import writes, keyed by reference ID (not by the ids the rows drew)."""
    cables = {c.pk: c.reference_id for c in Cable.objects.only("reference_id")}
    return {
        "cables": sorted(Cable.objects.values_list("reference_id", "created", "classification", "origin", "subject",
                                                   "header", "body", "fingerprint")),
        "paragraphs": sorted((cables[p[0]], *p[1:]) for p in Paragraph.objects.values_list(
            "cable_id", "position", "number", "marking", "heading", "text", "damaged", "level", "noforn")),
        "listing": sorted((cables[row[0]], *row[1:]) for row in Listing.objects.values_list(
            "cable_id", "clearances", "subject", "origin", "tags")),
        "vectors": sorted(Listing.objects.annotate(v=Cast("document", TextField())).values_list("reference_id", "v"))
        if ON_POSTGRES else [],
        "tags": sorted(Cable.tags.through.objects.values_list("cable__reference_id", "tag__name")),
        "sources": sorted(CableSource.objects.values_list("cable__reference_id", "sha256", "raw", "form")),
    }


def wipe() -> None:
    Cable.objects.all().delete()
    Tag.objects.all().delete()


@pytest.fixture
def parallel(settings, monkeypatch):
    settings.IMPORT_CHUNK_BYTES = CHUNK_BYTES
    monkeypatch.setattr(importing, "PARALLEL_MIN_BYTES", 0)


@pytest.mark.skipif(not ON_POSTGRES, reason="processes import side by side on PostgreSQL only")
def test_two_processes_import_exactly_what_one_does(transactional_db, tmp_path, parallel):
    path = write_dump(tmp_path / "cables.csv", count=60, bad_at=(0, 17, 44, 62))
    refs, rejections = expected(path)
    assert len(importing.dump_ranges(path, CHUNK_BYTES)) > 6

    seen = []
    report = importing.import_paths([path], processes=2, progress=lambda done, total: seen.append((done, total)))
    in_processes = stored()
    wipe()
    serial = importing.import_paths([path], processes=1)

    assert (report.new, report.updated, report.unchanged) == (len(refs), 0, 0) == (serial.new, 0, 0)
    assert [(location, reason) for _, location, reason in report.rejected] == rejections
    assert report.rejected == serial.rejected and all(file == str(path) for file, _, _ in report.rejected)
    assert stored() == in_processes
    assert len(in_processes["cables"]) == len(refs) and in_processes["paragraphs"] and in_processes["vectors"]
    assert seen[-1] == (path.stat().st_size, path.stat().st_size)


@pytest.mark.skipif(not ON_POSTGRES, reason="processes import side by side on PostgreSQL only")
def test_the_same_cable_in_two_ranges_is_written_once_and_a_second_import_changes_nothing(
        transactional_db, tmp_path, parallel):
    rows = list(iter_rows(count=30, seed=11))
    twice = tmp_path / "twice.csv"
    with twice.open("w", newline="") as out:
        out.writelines(csv_line(row) for row in rows + rows[:10])  # the first ten rows again, at the end
    assert len(importing.dump_ranges(twice, CHUNK_BYTES)) > 3

    report = importing.import_paths([twice], processes=2)
    assert report.new == 30 and report.updated == 0 and report.unchanged > 0 and not report.rejected
    assert Cable.objects.count() == 30 and CableSource.objects.count() == 30
    before = stored()
    again = importing.import_paths([twice], processes=2)
    assert (again.new, again.updated) == (0, 0) and again.unchanged == report.new + report.unchanged
    assert stored() == before


def test_on_sqlite_or_for_a_small_input_one_process_imports_it(db, tmp_path, settings):
    settings.IMPORT_CHUNK_BYTES = CHUNK_BYTES
    path = write_dump(tmp_path / "cables.csv", count=12, bad_at=(5,))
    report = importing.import_paths([path], processes=4)  # under PARALLEL_MIN_BYTES: no process started
    assert (report.new, len(report.rejected)) == (12, 1)
    assert Cable.objects.count() == 12


def test_small_files_are_gathered_into_shares_and_ranges_of_a_dump_keep_their_place(tmp_path):
    pages = sorted(PAGES.glob("*.html"))[:30]
    dump = write_dump(tmp_path / "cables.csv", count=150, bad_at=())
    chunk = 200_000  # two or three pages, and about 30 dump rows
    shares = importing.plan_shares([*pages[:20], dump, *pages[20:]], chunk)
    files = [entry[0] for share in shares for entry in share]
    ranges = [share for share in shares if share[0][3] is not None]
    assert len(ranges) > 3 and all(len(share) == 1 and share[0][0] == str(dump) for share in ranges)
    assert files == [str(p) for p in pages[:20]] + [str(dump)] * len(ranges) + [str(p) for p in pages[20:]]
    gathered = [share for share in shares if share[0][3] is None]
    assert len(gathered) < 20  # pages go several to a share: full batches, not a transaction a page
    for share in gathered[:-1]:
        if share is not shares[shares.index(ranges[0]) - 1]:  # the group before the dump closes early
            assert sum(entry[6] for entry in share) >= chunk


@pytest.mark.skipif(not ON_POSTGRES, reason="processes import side by side on PostgreSQL only")
def test_a_folder_of_real_pages_imports_in_processes_as_in_one(transactional_db, parallel):
    report = importing.import_paths([PAGES], processes=2)
    in_processes = stored()
    wipe()
    serial = importing.import_paths([PAGES], processes=1)
    assert (report.new, report.updated, report.unchanged, report.rejected) == (
        serial.new, serial.updated, serial.unchanged, serial.rejected)
    assert report.new > 250 and stored() == in_processes


def _spawned_children() -> list[int]:
    """The processes this one started by multiprocessing's spawn (not its resource tracker)."""
    found = []
    for entry in Path("/proc").glob("[0-9]*"):
        try:
            parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            command = (entry / "cmdline").read_bytes()
        except (OSError, IndexError, ValueError):
            continue
        if parent == os.getpid() and b"spawn_main" in command:
            found.append(int(entry.name))
    return found


@pytest.mark.skipif(not ON_POSTGRES, reason="processes import side by side on PostgreSQL only")
def test_an_import_process_that_dies_fails_the_import_instead_of_hanging_it(transactional_db, tmp_path, parallel):
    path = write_dump(tmp_path / "cables.csv", count=400, bad_at=())
    outcome: list = []
    runner = threading.Thread(target=lambda: outcome.append(_run(path)))
    runner.start()
    deadline = time.monotonic() + 30
    while not (children := _spawned_children()) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert children, "no import process started"
    os.kill(children[0], signal.SIGKILL)
    runner.join(timeout=120)
    assert not runner.is_alive(), "the import hung after one of its processes died"
    assert isinstance(outcome[0], BrokenProcessPool)


def _run(path):
    try:
        return importing.import_paths([path], processes=2)
    except BaseException as error:  # handed to the test's thread
        return error
