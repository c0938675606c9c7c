"""UTF-16 and UTF-32 without a byte-order mark (as Windows tools write them) import, told by their bytes:
a single file, a zip member, a CSV dump streamed row by row; binary files and 8-bit text are read as before."""
import io
import random
import struct
import zipfile
import zlib

import pytest
from django.core.management import call_command

from cables import importing
from cables.importing import decode, import_paths
from cables.models import Cable
from tests.cables.test_importing import RAW_CABLE
from tests.conftest import PAGES

pytestmark = pytest.mark.django_db

DUMP = (PAGES.parent / "csv" / "cables_sample.csv").read_text(encoding="utf-8")
PAGE = (PAGES / "09STATE6423.html").read_text(encoding="utf-8")
CABLE = RAW_CABLE.replace("Ambassador Liliana", "Ambassador Liliána").replace("The MFA told", "The MFA’s minister told")
BINARY = "binary file: not a cable page, cable text or CSV dump"
WIDE = ["utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be"]


def png() -> bytes:
    """A real 64x64 RGB PNG of noise."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    rows = b"".join(b"\x00" + random.Random(7).randbytes(64 * 3) for _ in range(64))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 64, 64, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


@pytest.mark.parametrize("encoding", WIDE)
def test_wide_text_without_a_bom_is_decoded_by_its_bytes(encoding):
    assert decode(CABLE.encode(encoding)) == (CABLE, encoding, 0)


@pytest.mark.parametrize("encoding", WIDE)
def test_a_cable_file_without_a_bom_imports_and_the_report_names_the_encoding(tmp_path, encoding):
    path = tmp_path / "c.txt"
    path.write_bytes(CABLE.encode(encoding))
    report = import_paths([path])
    assert (report.new, report.rejected) == (1, [])
    assert report.notes == [f"{path}: decoded as {encoding}"]
    cable = Cable.objects.get(reference_id="09ASUNCION123")
    assert "Liliána" in cable.classified_by and "The MFA’s minister told" in cable.body


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_a_zip_member_without_a_bom_imports(tmp_path, encoding):
    path = tmp_path / "in.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("page.html", PAGE.encode(encoding))
        archive.writestr("raw.txt", CABLE.encode(encoding))
    report = import_paths([path])
    assert (report.new, report.rejected) == (2, [])
    assert report.notes == [f"{path}:page.html: decoded as {encoding}", f"{path}:raw.txt: decoded as {encoding}"]
    assert set(Cable.objects.values_list("reference_id", flat=True)) == {"09STATE6423", "09ASUNCION123"}


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_a_dump_without_a_bom_streams_row_by_row_through_the_command(tmp_path, monkeypatch, encoding):
    monkeypatch.setattr(importing, "MAX_SINGLE_FILE", 4096)  # streamed as a dump, never read whole
    path = tmp_path / "cables.csv"
    path.write_bytes(DUMP.encode(encoding))
    out = io.StringIO()
    call_command("import_cables", "--no-progress", str(path), stdout=out)
    assert Cable.objects.count() == 12
    assert f"note: {path}: decoded as {encoding}" in out.getvalue()
    raw = Cable.objects.get(reference_id="72TEHRAN1164").sources.get().raw
    assert raw.startswith('"2","') and "\x00" not in raw
    assert importing.dump_ranges(path, 4096) == [(0, None, 1, 1)]  # one share: never cut at UTF-8 row starts


def test_a_utf32_dump_without_a_bom_imports_from_a_zip(tmp_path, monkeypatch):
    monkeypatch.setattr(importing, "MAX_SINGLE_FILE", 4096)
    path = tmp_path / "in.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("cables.csv", DUMP.encode("utf-32-le"))
    report = import_paths([path])
    assert (report.new, report.rejected) == (12, [])
    assert report.notes == [f"{path}:cables.csv: decoded as utf-32-le"]


@pytest.mark.parametrize("name, data", [
    ("noise.png", png()),
    ("random.bin", random.Random(1).randbytes(20000)),
    ("zeros.bin", bytes(20000)),
    # small 16-bit numbers: NUL in every odd byte as in UTF-16 LE text, but they read as control characters
    ("numbers.bin", struct.pack("<5000H", *(random.Random(2).randrange(1, 40) for _ in range(5000)))),
    ("short.txt", "SECRET".encode("utf-16-le")),  # too few bytes to tell: binary, as before
])
def test_binary_files_are_still_refused_as_binary(tmp_path, name, data):
    path = tmp_path / name
    path.write_bytes(data)
    assert import_paths([path]).rejected == [(str(path), "", BINARY)]


def test_a_zip_of_binaries_is_still_read_as_a_zip_and_its_members_refused(tmp_path):
    path = tmp_path / "in.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("a.png", png())
        archive.writestr("b.bin", random.Random(3).randbytes(5000))
        archive.writestr("c.txt", RAW_CABLE)
    report = import_paths([path])
    assert report.new == 1
    assert report.rejected == [(f"{path}:a.png", "", BINARY), (f"{path}:b.bin", "", BINARY)]


def test_windows_1252_and_utf8_files_are_read_as_before(tmp_path):
    cp1252, utf8 = tmp_path / "a.txt", tmp_path / "b.txt"
    cp1252.write_bytes(CABLE.encode("cp1252"))
    utf8.write_bytes(PAGE.encode("utf-8"))
    report = import_paths([cp1252, utf8])
    assert (report.new, report.rejected) == (2, [])
    assert report.notes == [f"{cp1252}: decoded as cp1252"]
    assert decode(CABLE.encode("cp1252")) == (CABLE, "cp1252", 0)
