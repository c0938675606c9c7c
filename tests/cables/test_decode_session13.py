"""Decoding a file: a UTF-8 file with a stray Windows-1252 byte stays UTF-8, only the stray byte is read as
Windows-1252, and the import says which file and how many bytes; a Windows-1252 file is still read as such."""
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from cables.importing import decode, import_paths
from cables.models import Cable, ImportJob
from tests.cables.test_importing import RAW_CABLE
from tests.conftest import wait_for

# Real UTF-8 characters (é, an em dash) and one Windows-1252 apostrophe (0x92) pasted in.
MIXED = "Ambassador Liliána — the MFA’s view".encode().replace("’".encode(), b"\x92")
MIXED_CABLE = (RAW_CABLE.replace("Ambassador Liliana", "Ambassador Liliána")
               .replace("no agreement was signed", "no agreement was signed — yet")
               .encode()
               .replace(b"The MFA told", b"The MFA\x92s minister told"))


def test_a_stray_windows_1252_byte_in_utf8_text_is_the_only_byte_read_as_windows_1252():
    text, encoding, repaired = decode(MIXED)
    assert text == "Ambassador Liliána — the MFA’s view"
    assert (encoding, repaired) == ("utf-8", 1)


def test_a_windows_1252_file_is_still_read_as_windows_1252_and_says_nothing_was_repaired():
    data = "Ambassador Liliána said “no” – twice".encode("cp1252")
    assert decode(data) == ("Ambassador Liliána said “no” – twice", "cp1252", 0)
    # "É" then "”" (C9 94) happens to be valid UTF-8 ("ɔ"); the file's other accented letters are not.
    data = "« CAFÉ” », said the président of the société, à Genève".encode("cp1252")
    assert decode(data) == ("« CAFÉ” », said the président of the société, à Genève", "cp1252", 0)


def test_a_utf8_file_with_a_bom_repairs_its_stray_bytes_too():
    assert decode(b"\xef\xbb\xbf" + MIXED) == ("Ambassador Liliána — the MFA’s view", "utf-8", 1)


def test_pure_utf8_and_utf16_say_nothing_was_repaired():
    assert decode("Liliána — ok".encode()) == ("Liliána — ok", "utf-8", 0)
    assert decode("Liliána".encode("utf-16")) == ("Liliána", "utf-16", 0)


@pytest.mark.django_db
def test_the_import_command_keeps_utf8_characters_and_notes_the_repaired_bytes(tmp_path):
    path = tmp_path / "mixed.txt"
    path.write_bytes(MIXED_CABLE)
    out = io.StringIO()
    call_command("import_cables", "--no-progress", str(path), stdout=out)
    cable = Cable.objects.get(reference_id="09ASUNCION123")
    assert "Liliána" in cable.classified_by
    assert "no agreement was signed — yet" in cable.body and "The MFA’s minister told" in cable.body
    assert f"note: {path}: 1 bytes that are not UTF-8 read as Windows-1252" in out.getvalue()


@pytest.mark.django_db
def test_import_paths_reports_the_file_and_its_repaired_bytes(tmp_path):
    path = tmp_path / "mixed.txt"
    path.write_bytes(MIXED_CABLE)
    report = import_paths([path])
    assert report.new == 1
    assert report.notes == [f"{path}: 1 bytes that are not UTF-8 read as Windows-1252"]


@pytest.mark.worker
def test_an_uploaded_file_keeps_utf8_characters_and_the_job_notes_the_repair(celery_worker, admin_client):
    upload = SimpleUploadedFile("mixed.txt", MIXED_CABLE, content_type="text/plain")
    response = admin_client.post(reverse("admin:cables_importjob_upload"), {"files": [upload]})
    assert response.status_code == 302
    job = wait_for(lambda: ImportJob.objects.filter(status__in=["done", "failed"]).first())
    assert (job.status, job.new) == ("done", 1), job.message
    assert "mixed.txt: 1 bytes that are not UTF-8 read as Windows-1252" in job.message
    assert "Liliána" in Cable.objects.get().classified_by
