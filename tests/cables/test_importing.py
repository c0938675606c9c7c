"""Import: every input form and path into the store, idempotence, fullest source wins, bad input."""
import io
import shutil
import zipfile
from datetime import UTC, datetime
from pathlib import Path

import pytest
from django.core.management import call_command

from cables import importing
from cables.importing import import_paths
from cables.models import Cable, CableChange, CableSource, Paragraph
from tests.conftest import FLATTENED_SEED, PAGES, SEEDS, TEXT_PAGE_SEED

pytestmark = pytest.mark.django_db

RAW_CABLE = """R 051423Z MAR 09
FM AMEMBASSY ASUNCION
TO RUEHC/SECSTATE WASHDC 1007
INFO RUEHBU/AMEMBASSY BUENOS AIRES 0456
C O N F I D E N T I A L ASUNCION 000123

E.O. 12958: DECL: 03/05/2019
TAGS: PREL PGOV PA IR
SUBJECT: IRANIAN OUTREACH IN PARAGUAY (C-AL8-02836)

REF: STATE 6423

Classified By: Ambassador Liliana Ayalde for reasons 1.4 (b) and (d)

1. (C) Summary: Iranian diplomats visited Asuncion twice this year.
End summary.

2. (C) The MFA told us no agreement was signed.

AYALDE
"""


def write(tmp_path: Path, name: str, content: bytes | str) -> Path:
    path = tmp_path / name
    path.write_bytes(content.encode() if isinstance(content, str) else content)
    return path


def utc(text: str) -> datetime:
    return datetime.strptime(text, "%Y-%m-%d %H:%M").replace(tzinfo=UTC)


def test_the_flattened_seed_imports_09state6423_with_its_fields():
    report = import_paths([FLATTENED_SEED])
    assert (report.new, report.rejected) == (1, [])
    cable = Cable.objects.get(reference_id="09STATE6423")
    assert cable.created == utc("2009-01-23 21:09")
    assert cable.released == utc("2010-12-01 21:09")
    assert cable.classification == "SECRET//NOFORN"
    assert cable.origin == "Secretary of State"
    assert len(cable.to) == 27
    assert cable.tags.count() == 25
    assert cable.collection_references == ["C-AL8-02836"]
    assert cable.sources.get().form == "flattened"


def test_the_text_page_seed_imports_08moscow3526_with_its_paragraphs_and_damage():
    import_paths([TEXT_PAGE_SEED])
    cable = Cable.objects.get(reference_id="08MOSCOW3526")
    assert cable.classification == "UNCLASSIFIED//FOR OFFICIAL USE ONLY"
    assert cable.origin == "Embassy Moscow"
    assert cable.tags.count() == 10
    assert len(cable.info) == 5
    numbered = list(cable.paragraphs.exclude(number=None).values_list("number", "marking"))
    assert [n for n, _ in numbered] == ["1", "2", "3", "4", "5", "8", "9", "10", "11", "12", "13"]
    assert dict(numbered)["11"] == "U" and dict(numbered)["2"] == "SBU"
    damaged = cable.paragraphs.get(damaged=True)
    assert damaged.number is None
    assert "QQ6DQ" in damaged.text
    positions = list(cable.paragraphs.values_list("number", flat=True))
    assert positions.index(None) == positions.index("5") + 1  # between 5 and 8
    assert not cable.paragraphs.filter(text__contains="002.2 OF 003").exists()


def test_raw_cable_text_imports_with_its_header_fields(tmp_path):
    import_paths([write(tmp_path, "asuncion.txt", RAW_CABLE)])
    cable = Cable.objects.get(reference_id="09ASUNCION123")
    assert cable.classification == "CONFIDENTIAL"
    assert cable.origin == "Embassy Asuncion"
    assert cable.to == ["SECSTATE WASHDC"]
    assert cable.info == ["AMEMBASSY BUENOS AIRES"]
    assert [r["reference_id"] for r in cable.references] == ["09STATE6423"]
    assert cable.collection_references == ["C-AL8-02836"]
    assert cable.signature == "AYALDE"
    assert list(cable.paragraphs.values_list("number", flat=True)) == ["1", "2"]


def test_every_sample_page_imports_without_rejection():
    report = import_paths([PAGES])
    assert report.rejected == []
    assert report.new == len(list(PAGES.glob("*.html"))) == Cable.objects.count()


def test_the_csv_sample_imports_every_row_with_its_references():
    report = import_paths([PAGES.parent / "csv" / "cables_sample.csv"])
    assert (report.new, report.rejected) == (12, [])
    cable = Cable.objects.get(reference_id="72TEHRAN1164")
    assert {"72MOSCOW1603", "72TEHRAN1091", "72TEHRAN263"} <= {r["reference_id"] for r in cable.references}
    assert cable.created == utc("1972-02-25 09:30")


def test_reimporting_changes_nothing_and_duplicates_nothing():
    import_paths([SEEDS])
    report = import_paths([SEEDS])
    assert (report.new, report.updated, report.unchanged) == (0, 0, 2)
    assert Cable.objects.count() == 2
    assert CableSource.objects.count() == 2
    assert CableChange.objects.count() == 0


def test_a_changed_source_updates_the_cable_and_records_the_change(tmp_path):
    import_paths([write(tmp_path, "a.txt", RAW_CABLE)])
    changed = RAW_CABLE.replace("no agreement was signed", "an agreement was signed")
    report = import_paths([write(tmp_path, "b.txt", changed)])
    assert report.updated == 1
    cable = Cable.objects.get(reference_id="09ASUNCION123")
    assert "an agreement was signed" in cable.paragraphs.get(number="2").text
    assert cable.paragraphs.count() == 2
    change = cable.changes.get()
    assert "body" in change.changes
    assert cable.sources.count() == 2


@pytest.mark.parametrize("order", ["full first", "cut first"])
def test_a_copy_cut_off_never_replaces_the_fuller_text(tmp_path, order):
    """A file cut off in transfer is kept as a source and named in a note; the cable keeps its full text."""
    cut = RAW_CABLE[:RAW_CABLE.index("no agreement was signed")]
    files = [write(tmp_path, "full.txt", RAW_CABLE), write(tmp_path, "cut.txt", cut)]
    if order == "cut first":
        files.reverse()
    reports = [import_paths([path]) for path in files]
    cable = Cable.objects.get(reference_id="09ASUNCION123")
    assert "no agreement was signed" in cable.paragraphs.get(number="2").text
    assert cable.signature == "AYALDE"
    assert cable.sources.count() == 2
    if order == "full first":
        assert (reports[1].updated, reports[1].unchanged) == (0, 1)
        (note,) = reports[1].notes
        assert note.startswith("09ASUNCION123: kept the stored text;") and "cut.txt" in note


@pytest.mark.parametrize("order", ["flattened first", "page first"])
def test_fields_come_from_the_fullest_source_whatever_the_order(order):
    sources = [FLATTENED_SEED, PAGES / "09STATE6423.html"]
    if order == "page first":
        sources.reverse()
    for source in sources:
        import_paths([source])
    cable = Cable.objects.get(reference_id="09STATE6423")
    assert cable.form == "viewer-html"
    assert cable.released == utc("2011-03-05 00:12")  # the page's, not the flattened text's
    assert cable.tags.count() == 27
    assert sorted(cable.sources.values_list("form", flat=True)) == ["flattened", "viewer-html"]


def test_a_zip_of_mixed_forms_imports_every_member(tmp_path):
    archive = tmp_path / "mixed.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.write(FLATTENED_SEED, "seeds/flat.txt")
        zf.write(PAGES / "09MOSCOW1730.html", "pages/09MOSCOW1730.html")
        zf.writestr("raw/asuncion.txt", RAW_CABLE)
        zf.write(PAGES.parent / "csv" / "cables_sample.csv", "dump.csv")
    report = import_paths([archive])
    assert report.rejected == []
    assert report.new == 15
    assert Cable.objects.filter(reference_id__in=["09STATE6423", "09MOSCOW1730", "09ASUNCION123", "78KABUL3619"]).count() == 4


def test_a_folder_is_read_recursively(tmp_path):
    (tmp_path / "a" / "b").mkdir(parents=True)
    shutil.copy(TEXT_PAGE_SEED, tmp_path / "a" / "b" / "moscow.txt")
    write(tmp_path / "a", "asuncion.txt", RAW_CABLE)
    report = import_paths([tmp_path / "a"])
    assert report.new == 2


def test_bad_files_are_rejected_with_their_reason_and_the_good_ones_kept(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    write(folder, "1-empty.txt", "")
    write(folder, "2-binary.bin", bytes(range(256)) * 10)
    write(folder, "3-nocable.html", "<html><body><p>Nothing here</p></body></html>")
    write(folder, "4-truncated.txt", "R 051423Z MAR 09\nFM AMEMBASSY ASUNCION\nTO RUEHC/SECSTATE WASHDC")
    write(folder, "5-good.txt", RAW_CABLE)
    report = import_paths([folder])
    reasons = {Path(name).name: reason for name, _, reason in report.rejected}
    assert "empty file" in reasons["1-empty.txt"]
    assert "binary file" in reasons["2-binary.bin"]
    assert "no cable table" in reasons["3-nocable.html"]
    assert "4-truncated.txt" in reasons
    assert report.new == 1 and Cable.objects.filter(reference_id="09ASUNCION123").exists()


def test_a_csv_with_a_broken_row_keeps_the_good_rows_and_names_the_bad_one(tmp_path):
    good = (PAGES.parent / "csv" / "cables_sample.csv").read_bytes().split(b"\n")
    rows = b"\n".join(good[:200])  # a cut inside the sample: whatever rows it holds whole
    broken = b'"99","not a date","09XXX1","Embassy X","SECRET","","",""\n'
    sample = (PAGES.parent / "csv" / "cables_sample.csv").read_bytes()
    path = write(tmp_path, "dump.csv", sample + broken + b'"100","1/2/2009 10:00","09ABC1","Embassy X","SECRET"\n')
    report = import_paths([path])
    assert report.new == 12
    locations = [location for _, location, _ in report.rejected]
    assert locations[0].startswith("row 13 (line ")
    assert "date" in report.rejected[0][2]
    assert "columns" in report.rejected[1][2]
    assert rows  # the sample has content


@pytest.mark.parametrize("encoding", ["cp1252", "utf-16"])
def test_a_file_in_another_encoding_imports_and_says_how_it_was_read(tmp_path, encoding):
    text = RAW_CABLE.replace("Ambassador Liliana", "Ambassador Liliána")
    report = import_paths([write(tmp_path, "c.txt", text.encode(encoding))])
    assert report.new == 1
    assert report.notes == [f"{tmp_path / 'c.txt'}: decoded as {encoding}"]
    assert "Liliána" in Cable.objects.get().classified_by


def test_an_import_killed_halfway_leaves_no_half_written_cable(tmp_path, settings, monkeypatch):
    settings.IMPORT_BATCH_SIZE = 100
    calls = {"n": 0}
    real = importing.copy_rows

    def fail_on_second_batch(model, *args, **kwargs):
        if model is Paragraph:
            calls["n"] += 1
            if calls["n"] == 2:
                raise RuntimeError("killed")
        return real(model, *args, **kwargs)

    monkeypatch.setattr(importing, "copy_rows", fail_on_second_batch)
    with pytest.raises(RuntimeError):
        import_paths([PAGES])
    assert Cable.objects.count() == 100
    assert not Cable.objects.filter(paragraphs=None).exclude(body="").exists()


def test_reparse_restores_fields_from_the_stored_sources_and_records_it():
    import_paths([TEXT_PAGE_SEED])
    Cable.objects.filter(reference_id="08MOSCOW3526").update(subject="WRONG", fingerprint="stale")
    out = io.StringIO()
    call_command("reparse_cables", stdout=out)
    cable = Cable.objects.get(reference_id="08MOSCOW3526")
    assert cable.subject.startswith("MEDVEDEV BOLSTERS")
    assert cable.changes.get().changes["subject"] == ["WRONG", cable.subject]
    assert "1 updated" in out.getvalue()


def test_reparse_reads_a_dump_row_back_from_its_stored_source():
    import_paths([PAGES.parent / "csv" / "cables_sample.csv"])
    before = Cable.objects.get(reference_id="72TEHRAN1164")
    source = before.sources.get()
    again = importing.parse_source(source.raw, source.form)
    assert importing.fingerprint(again) == before.fingerprint


def test_a_dump_row_is_stored_exactly_as_it_stood_in_the_file():
    dump = PAGES.parent / "csv" / "cables_sample.csv"
    import_paths([dump])
    raw = Cable.objects.get(reference_id="66BUENOSAIRES2481").sources.get().raw
    assert raw.startswith('"1","12/28/1966 18:48","66BUENOSAIRES2481"') and "\r\n" in raw and '\\"' in raw
    assert raw in dump.read_bytes().decode("utf-8")


def test_the_fingerprint_is_the_hash_it_always_was():
    """Fingerprints are stored: if their making changed, every re-import would find every cable changed.
    It is the SHA-256 of the JSON of dataclasses.asdict(cable), form and the parser's notes left out, whatever
    the way it is made."""
    import dataclasses
    import hashlib
    import json

    from cables.sources import parse_document

    for page in sorted(PAGES.glob("*.html"))[:40]:
        cable = parse_document(page.read_text())
        fields = dataclasses.asdict(cable)
        fields.pop("form"), fields.pop("notes")
        expected = hashlib.sha256(json.dumps(fields, default=str, sort_keys=True).encode()).hexdigest()
        assert importing.fingerprint(cable) == expected, page.name
    assert any(parse_document(p.read_text()).references for p in sorted(PAGES.glob("*.html"))[:40])


SAMPLE_DUMP = (PAGES.parent / "csv" / "cables_sample.csv").read_bytes()


@pytest.mark.parametrize("header", [b"id,date,refid,origin,classification,references,header,content\r\n",
                                    b'"id","date","refid","origin","classification","references","header","content"\n'])
def test_a_dump_with_a_header_row_imports_every_row(tmp_path, header):
    path = tmp_path / "cables.csv"
    path.write_bytes(header + SAMPLE_DUMP)
    report = import_paths([path])
    assert (report.new, report.rejected) == (12, [])


def test_a_field_ending_in_a_backslash_does_not_swallow_the_next_row(tmp_path):
    """ "... FARLAND \\" then the row's closing quote reads as an escaped quote: the next row must still
    import on its own, and this one keep its text."""
    end = SAMPLE_DUMP.index(b'\r\n"2","')
    path = tmp_path / "cables.csv"
    path.write_bytes(SAMPLE_DUMP[:end - 1] + b' FARLAND \\"' + SAMPLE_DUMP[end:])
    report = import_paths([path])
    assert (report.new, report.rejected) == (12, [])
    first = Cable.objects.get(reference_id="66BUENOSAIRES2481")
    assert first.body.rstrip().endswith("FARLAND") and first.signature == "FARLAND"
    assert Cable.objects.filter(reference_id="72TEHRAN1164").exists()


def test_windows_1252_bytes_in_a_utf8_dump_are_read_as_such_and_reported(tmp_path):
    path = tmp_path / "cables.csv"
    path.write_bytes(SAMPLE_DUMP.replace(b"TO SECSTATE WASHDC PRIORITY", b"TO SECSTATE WASHDC PRIORITY \x92", 1))
    report = import_paths([path])
    assert report.new == 12
    assert report.notes == [f"{path}: 1 bytes that are not UTF-8 read as Windows-1252"]
    assert "\u2019" in Cable.objects.get(reference_id="66BUENOSAIRES2481").header
