"""A cable the database refuses loses nothing else: not another copy of the same cable in the batch, and a
refusal that is no race with another writer is not tried again as if it were one. A release stamp no cable
can have is dropped, and the import's report says so, naming the file and row."""
import dataclasses

import pytest

from cables import importing
from cables.importing import ImportReport, Record, write_records
from cables.models import Cable
from cables.sources import parse_dump_text
from tests.cables.test_import_robustness import REFERENCE_IDS, ROWS

pytestmark = pytest.mark.django_db


def _row(i, name="d.csv", extra="", **changes) -> Record:
    cable = parse_dump_text(ROWS[i].decode())
    location = f"row {i + 1} (line {i * 10 + 1})"
    return Record(name=f"{name} {location}", raw=ROWS[i].decode() + extra, location=location,
                  cable=dataclasses.replace(cable, **changes))


def test_a_good_copy_is_stored_though_a_fuller_copy_of_the_same_cable_is_refused():
    good = _row(1, name="a.csv")
    refused = _row(1, name="b.csv", extra=" ", classification=None, body=good.cable.body + " more text")
    report = ImportReport()
    write_records([_row(0), good, refused], report)
    assert set(Cable.objects.values_list("reference_id", flat=True)) == {REFERENCE_IDS[0], REFERENCE_IDS[1]}
    assert [(file, where) for file, where, _ in report.rejected] == [("b.csv", "row 2 (line 11)")]
    assert (report.new, report.total) == (2, 3)


def test_an_unchanged_copy_beside_a_refused_one_is_counted_unchanged():
    write_records([_row(1, name="a.csv")], ImportReport())
    report = ImportReport()
    write_records([_row(1, name="a.csv"), _row(1, name="b.csv", extra=" ", classification=None, body="x" * 9999)],
                  report)
    assert [file for file, _, _ in report.rejected] == ["b.csv"] and report.unchanged == 1


def test_a_refusal_that_is_no_race_is_not_written_again_as_if_it_were(monkeypatch):
    calls = []
    original = importing._write_batch_once
    monkeypatch.setattr(importing, "_write_batch_once", lambda *args: (calls.append(len(args[0])), original(*args))[1])
    report = ImportReport()
    write_records([_row(0), _row(1, classification=None), _row(2)], report)
    assert calls == [3, 1, 1, 1]  # the batch, then a cable at a time
    assert report.new == 2 and len(report.rejected) == 1


def test_a_dropped_release_stamp_is_in_the_report_naming_file_and_row():
    kept = _row(0, notes=("released 1970-01-01 00:00 dropped: it is before created 2008-01-01 00:00",))
    report = ImportReport()
    write_records([kept], report)
    assert Cable.objects.filter(reference_id=REFERENCE_IDS[0]).exists()
    assert report.notes == ["d.csv row 1 (line 1): released 1970-01-01 00:00 dropped: it is before created "
                            "2008-01-01 00:00"]


def test_a_dropped_release_stamp_does_not_erase_the_one_stored(tmp_path):
    from cables.importing import import_paths
    from tests.cables.test_parsing_robustness import page_with

    (tmp_path / "a.html").write_text(page_with("2011-03-05 00:12", "2011-03-05 00:12"))
    import_paths([tmp_path / "a.html"])
    stored = Cable.objects.get(reference_id="09STATE6423").released
    assert stored is not None
    (tmp_path / "b.html").write_text(page_with("2011-03-05 00:12", "1970-01-01 00:00").replace(
        "</body>", "<!-- another copy --></body>"))
    report = import_paths([tmp_path / "b.html"])
    assert Cable.objects.get(reference_id="09STATE6423").released == stored
    assert any("released 1970-01-01 00:00 dropped" in note for note in report.notes)


def test_a_reparse_reports_the_release_stamp_it_drops():
    from cables.importing import import_paths
    from cables.models import CableSource
    from cables.reparsing import reparse
    import tempfile
    from pathlib import Path

    from tests.cables.test_parsing_robustness import page_with

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "a.html"
        path.write_text(page_with("2011-03-05 00:12", "2011-03-05 00:12"))
        import_paths([path])
    CableSource.objects.update(raw=page_with("2011-03-05 00:12", "1970-01-01 00:00"))  # as a stored source could be
    report = reparse(["09STATE6423"])
    (note,) = [note for note in report.notes if "dropped" in note]
    assert note.startswith("09STATE6423 (") and note.endswith(
        "a.html): released 1970-01-01 00:00 dropped: it is before created 2009-01-23 21:09")
