"""Bad input loses nothing: a file no codec reads cleanly, a dump whose first row is bad or whose field
never closes, a NUL byte, a cable the database refuses; each is reported, and every good record imported."""
import dataclasses
import re
import zipfile

import pytest
from django.db import connection
from django.urls import reverse

from cables import importing
from cables.importing import Record, decode, import_paths, write_batch, write_records
from cables.models import Cable, ImportJob
from cables.sources import detect_form, parse_dump_text
from tests.conftest import PAGES, wait_for

pytestmark = pytest.mark.django_db

DUMP = (PAGES.parent / "csv" / "cables_sample.csv").read_bytes()
ROWS = re.split(rb'(?<=\r\n)(?="\d+","\d)', DUMP)  # the sample's twelve rows, each ending in its CRLF
REFERENCE_IDS = ["66BUENOSAIRES2481", "72TEHRAN1164", "72TEHRAN1381", "72TEHRAN4789", "72TEHRAN5055", "73TEHRAN2077",
                 "73TEHRAN7005", "73TEHRAN8233", "75TEHRAN2069", "7575LIBREVILLE1895", "78TEHRAN389", "78KABUL3619"]
# UTF-16 BE "hi\n": cut after its last b"\n" to sniff its form, it was a byte short
UTF16_HI = b"\xfe\xff\x00h\x00i\x00\n"


def stored() -> list[str]:
    return sorted(Cable.objects.values_list("reference_id", flat=True))


def dump(tmp_path, rows, name="cables.csv"):
    path = tmp_path / name
    path.write_bytes(b"".join(rows))
    return path


# ----------------------------------------------------------------------------- 1. decoding never fails


@pytest.mark.parametrize("data, repaired", [
    (UTF16_HI[:-1], 1),
    (b"\xff\xfe" + "SECRET STATE 1".encode("utf-16-le") + b"\x00", 1),  # UTF-16 LE, odd length
    (b"\xff\xfe" + "SECRET".encode("utf-16-le") + b"\x00\xd8" + "STATE".encode("utf-16-le"), 2),  # lone surrogate
    (b"\xff\xfe\x00\x00" + "SECRET".encode("utf-32-le") + b"\x00\xd8\x00\x00", 4),  # UTF-32, a surrogate
])
def test_decoding_never_fails_and_counts_the_bytes_it_replaced(data, repaired):
    text, encoding, count = decode(data)
    assert count == repaired and text.count("\ufffd") == 1
    assert encoding in ("utf-16", "utf-32") and "\ufeff" not in text


def test_a_short_utf16_file_is_one_rejection_and_the_rest_of_its_folder_imports(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.html").write_bytes((PAGES / "09STATE6423.html").read_bytes())
    (folder / "b.txt").write_bytes(UTF16_HI)
    (folder / "c.html").write_bytes((PAGES / "00HARARE6677.html").read_bytes())
    report = import_paths([folder])
    assert stored() == ["00HARARE6677", "09STATE6423"]
    assert [(file, location) for file, location, _ in report.rejected] == [(str(folder / "b.txt"), "")]


def test_a_utf16_cable_with_a_byte_missing_at_the_end_imports_and_the_report_says_so(tmp_path):
    text = (PAGES / "09STATE6423.html").read_text(encoding="utf-8")
    path = tmp_path / "page.html"
    path.write_bytes((b"\xff\xfe" + text.encode("utf-16-le"))[:-1])
    report = import_paths([path])
    assert (report.new, report.rejected) == (1, [])
    assert report.notes == [f"{path}: decoded as utf-16; 1 bytes that are not UTF-16 replaced by U+FFFD"]


def test_a_utf16_zip_member_a_byte_short_is_rejected_by_name_and_the_other_member_imports(tmp_path):
    path = tmp_path / "in.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("a.html", (PAGES / "09STATE6423.html").read_bytes())
        archive.writestr("z.txt", b"\xfe\xff" + "hello\nworld\n".encode("utf-16-be") + b"\x00")
    report = import_paths([path])
    assert stored() == ["09STATE6423"]
    assert [file for file, _, _ in report.rejected] == [f"{path}:z.txt"]


@pytest.mark.worker
def test_an_uploaded_short_utf16_file_is_reported_and_the_job_finishes(celery_worker, admin_client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    page = SimpleUploadedFile("a.html", (PAGES / "09STATE6423.html").read_bytes(), content_type="text/html")
    short = SimpleUploadedFile("b.txt", UTF16_HI, content_type="text/plain")
    response = admin_client.post(reverse("admin:cables_importjob_upload"), {"files": [page, short]})
    assert response.status_code == 302
    job = wait_for(lambda: ImportJob.objects.filter(status__in=["done", "failed"]).first())
    assert job.status == "done", job.message
    assert (job.new, job.rejected, job.rejections.get().file) == (1, 1, "b.txt")


# ----------------------------------------------------------------------------- 2. a UTF-16 dump


@pytest.mark.parametrize("encoding, bom", [("utf-16-le", b"\xff\xfe"), ("utf-16-be", b"\xfe\xff")])
def test_a_utf16_dump_imports_row_by_row_like_a_utf8_one(tmp_path, monkeypatch, encoding, bom):
    monkeypatch.setattr(importing, "MAX_SINGLE_FILE", 4096)  # streamed as a dump, never read whole
    path = tmp_path / "cables.csv"
    path.write_bytes(bom + DUMP.decode("utf-8").encode(encoding))
    report = import_paths([path])
    assert (report.new, report.rejected) == (12, [])
    assert report.notes == [f"{path}: decoded as utf-16"]
    assert stored() == sorted(REFERENCE_IDS)
    raw = Cable.objects.get(reference_id="72TEHRAN1164").sources.get().raw
    assert raw == ROWS[1].decode("utf-8")  # stored as the row stood, and read back alike
    assert importing.fingerprint(parse_dump_text(raw)) == Cable.objects.get(reference_id="72TEHRAN1164").fingerprint


def test_a_utf16_dump_is_one_share_of_a_parallel_import_not_cut_at_utf8_row_starts(tmp_path):
    path = tmp_path / "cables.csv"
    path.write_bytes(b"\xff\xfe" + DUMP.decode("utf-8").encode("utf-16-le"))
    assert importing.dump_ranges(path, 4096) == [(0, None, 1, 1)]
    assert len(importing.dump_ranges(dump(tmp_path, ROWS, "utf8.csv"), 4096)) > 1


# ----------------------------------------------------------------------------- 3. a dump with a bad first row


@pytest.mark.parametrize("first, reason", [
    (ROWS[0].replace(b'"12/28/1966 18:48"', b'""', 1), "the date column '' is not a date"),
    (b'"1","12/28/1966 18:48"\r\n', "expected 8 columns (id, date, refid, ...), found 2"),
    (ROWS[0].replace(b'"12/28/1966 18:48"', b'"1966-12-28 18:48"', 1), None),  # a date read all the same
    (ROWS[0].replace(b'"1",', b'"",', 1), None),  # no id: the refid names the cable
])
def test_a_dump_is_told_by_its_shape_and_a_bad_first_row_loses_only_itself(tmp_path, monkeypatch, first, reason):
    monkeypatch.setattr(importing, "MAX_SINGLE_FILE", 4096)  # a dump over the limit for one cable is still a dump
    path = dump(tmp_path, [first, *ROWS[1:]])
    report = import_paths([path])
    if reason is None:
        assert (report.new, report.rejected) == (12, [])
        return
    assert report.new == 11 and stored() == sorted(REFERENCE_IDS[1:])
    [(file, location, why)] = report.rejected
    assert (file, location) == (str(path), "row 1 (line 1)") and reason in why


def test_a_dump_under_a_garbled_first_line_is_still_a_dump():
    text = "~~ garbled ~~\r\n" + (ROWS[7] + ROWS[9]).decode()
    assert detect_form(text) == "csv"
    assert detect_form((PAGES / "09STATE6423.html").read_text(encoding="utf-8")) == "viewer-html"
    assert detect_form('He said "1","2" twice.\nP 031530Z MAR 09\nFM AMEMBASSY MOSCOW\n') == "raw"


def test_a_dump_of_only_a_header_row_is_reported_as_holding_no_rows(tmp_path):
    path = dump(tmp_path, [b"id,date,refid,origin,classification,references,header,content\r\n"])
    report = import_paths([path])
    assert report.rejected == [(str(path), "", "a CSV dump with no rows: no cable in it")]


# ----------------------------------------------------------------------------- 4. a field never closed


def test_a_field_missing_its_closing_quote_is_cut_at_the_next_row_which_imports(tmp_path):
    broken = ROWS[1][:-len(b'"\r\n')] + b"\r\n"  # row 2's last field never closes
    path = dump(tmp_path, [ROWS[0], broken, *ROWS[2:4]])
    report = import_paths([path])
    assert stored() == sorted([REFERENCE_IDS[0], *REFERENCE_IDS[2:4]])
    line = 1 + ROWS[0].count(b"\n")
    [(file, location, reason)] = report.rejected
    assert location == f"row 2 (line {line})" and "missing its closing quote" in reason
    third = Cable.objects.get(reference_id="72TEHRAN1381")
    assert third.sources.get().name == f"{path} row 3 (line {line + broken.count(b'\n')})"
    assert importing.fingerprint(parse_dump_text(third.sources.get().raw)) == third.fingerprint


def test_a_row_cut_off_mid_field_loses_neither_itself_unreported_nor_the_next(tmp_path):
    path = dump(tmp_path, [ROWS[0][:40] + b"\r\n", *ROWS[1:3]])
    report = import_paths([path])
    assert stored() == sorted(REFERENCE_IDS[1:3])
    assert [location for _, location, _ in report.rejected] == ["row 1 (line 1)"]


# ----------------------------------------------------------------------------- 5. NUL, and what the database refuses


def test_nul_bytes_in_a_dump_are_replaced_and_counted_and_no_row_is_lost(tmp_path):
    """One in the first 8 KB (once "a binary file"), one far past it (once a failed COPY on PostgreSQL)."""
    rows = [ROWS[0].replace(b"BUENOS AIRES", b"BUENOS\x00AIRES", 1), *ROWS[1:8],
            ROWS[8].replace(b"SPEECH IS VAGUE", b"SPE\x00ECH IS VAGUE", 1), *ROWS[9:]]
    path = dump(tmp_path, rows)
    report = import_paths([path])
    assert (report.new, report.rejected) == (12, [])
    assert report.notes == [f"{path}: 2 NUL characters replaced by U+FFFD (PostgreSQL text cannot hold one)"]
    assert "BUENOS\ufffdAIRES" in Cable.objects.get(reference_id="66BUENOSAIRES2481").sources.get().raw


def test_a_nul_byte_in_a_page_is_replaced_and_the_page_imports(tmp_path):
    page = (PAGES / "09STATE6423.html").read_bytes()
    path = tmp_path / "page.html"
    path.write_bytes(page.replace(b"</pre>", b"\x00</pre>", 1))
    report = import_paths([path])
    assert (report.new, report.rejected) == (1, [])
    assert report.notes == [f"{path}: 1 NUL characters replaced by U+FFFD (PostgreSQL text cannot hold one)"]


def test_a_binary_file_is_still_refused_as_one(tmp_path):
    path = tmp_path / "x.bin"
    path.write_bytes(bytes(range(256)) * 40)
    assert import_paths([path]).rejected == [(str(path), "", "binary file: not a cable page, cable text or CSV dump")]


def _records(refused: dict) -> list[Record]:
    """The sample dump's first three rows as records, the one at each index of `refused` changed so."""
    records = []
    for i, row in enumerate(ROWS[:3]):
        cable = parse_dump_text(row.decode())
        location = f"row {i + 1} (line {i * 10 + 1})"
        records.append(Record(name=f"d.csv {location}", raw=row.decode(), location=location,
                              cable=dataclasses.replace(cable, **refused.get(i, {}))))
    return records


def test_a_cable_the_database_refuses_is_rejected_by_file_and_row_and_its_batch_is_kept():
    report = importing.ImportReport()
    write_records(_records({1: {"classification": None}}), report)  # NOT NULL, refused by every database
    assert stored() == sorted([REFERENCE_IDS[0], REFERENCE_IDS[2]])
    [(file, location, reason)] = report.rejected
    assert (file, location) == ("d.csv", "row 2 (line 11)") and reason.startswith("not stored, the database refused it")
    assert report.new == 2


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite holds any text of any length")
@pytest.mark.parametrize("refused", [{"form": "x" * 21}, {"body": "text\x00"}])  # too long; a NUL
def test_a_value_postgresql_cannot_hold_loses_only_its_own_cable(refused):
    report = importing.ImportReport()
    write_batch(_records({1: refused}), report)
    assert stored() == sorted([REFERENCE_IDS[0], REFERENCE_IDS[2]])
    assert [(file, location) for file, location, _ in report.rejected] == [("d.csv", "row 2 (line 11)")]

