"""Hardening: the login lock-out holds against parallel guesses, exports never carry a live formula (headers
and sheet titles included), and a zip bomb inside an upload is refused without filling memory."""
import csv
import io
import os
import re
import threading
import tracemalloc
import zipfile

import pytest
from django.contrib.auth import authenticate
from django.contrib.auth.hashers import MD5PasswordHasher
from django.contrib.auth.models import Group
from django.db import connection
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from cables import importing
from cables.importing import import_paths
from cables.models import Cable
from tests.conftest import PAGES, SEEDS, TEXT_PAGE_SEED, exported_csv
from tracker import exports, requirements
from tracker.models import AuditEvent, Question

RIGHT = "the-right-password"


def _failures(username: str) -> int:
    return AuditEvent.objects.filter(action=AuditEvent.LOGIN_FAILED, username=username).count()


# ----------------------------------------------------------------------------- 1. the lock-out


@pytest.mark.django_db
def test_an_attempt_counts_before_its_password_is_checked(make_user, settings, monkeypatch):
    """Deterministic, in one thread: while LIMIT wrong guesses are still inside the password hash, the next
    attempt is refused even with the right password, and never reaches the hash."""
    settings.LOGIN_FAILURE_LIMIT = 3
    make_user("erin", password=RIGHT)
    verify, hashed, outcome = MD5PasswordHasher.verify, [], {}

    def slow_verify(self, password, encoded):
        hashed.append(password)
        if len(hashed) < settings.LOGIN_FAILURE_LIMIT:  # another guess starts while this one hashes
            outcome[len(hashed)] = authenticate(None, username="erin", password=f"wrong-{len(hashed)}")
        else:  # LIMIT guesses in flight: now the right password
            outcome["right"] = authenticate(None, username="Erin", password=RIGHT)
        return verify(self, password, encoded)

    monkeypatch.setattr(MD5PasswordHasher, "verify", slow_verify)
    assert authenticate(None, username="erin", password="wrong-0") is None
    assert outcome["right"] is None  # refused: the guesses in flight had counted already
    assert hashed == ["wrong-0", "wrong-1", "wrong-2"]  # the refused attempt never reached the hash
    assert _failures("erin") + _failures("Erin") == 4  # each attempt recorded once, the refused one too
    assert AuditEvent.objects.get(username="Erin").details["locked_out"] is True


@pytest.mark.django_db
def test_a_success_is_not_counted_and_a_locked_account_stays_locked(make_user, settings):
    settings.LOGIN_FAILURE_LIMIT = 2
    make_user("fay", password=RIGHT)
    assert authenticate(None, username="fay", password="wrong") is None
    for _ in range(3):
        assert authenticate(None, username="fay", password=RIGHT) is not None
    assert _failures("fay") == 1  # the successes took their reservations back
    assert authenticate(None, username="fay", password="wrong") is None
    assert authenticate(None, username="fay", password=RIGHT) is None  # two failures: locked
    assert _failures("fay") == 3
    AuditEvent.objects.update(at="2000-01-01T00:00Z")
    assert authenticate(None, username="fay", password=RIGHT) is not None


@pytest.mark.django_db
def test_the_async_path_is_locked_out_too(make_user, settings):
    from asgiref.sync import async_to_sync
    from django.contrib.auth import aauthenticate

    settings.LOGIN_FAILURE_LIMIT = 1
    make_user("gus", password=RIGHT)
    assert async_to_sync(aauthenticate)(None, username="gus", password="wrong") is None
    assert async_to_sync(aauthenticate)(None, username="gus", password=RIGHT) is None
    assert _failures("gus") == 2


@pytest.mark.skipif(connection.vendor == "sqlite", reason="threads on SQLite's shared in-memory test database "
                    "lock whole tables; the test above covers SQLite deterministically")
@pytest.mark.django_db(transaction=True)
def test_thirty_parallel_guesses_and_the_right_one_get_no_token(make_user, settings, monkeypatch):
    """The reviewer's race on POST /api/token/, made deterministic: the password hash waits on an Event, so
    all thirty guesses are in flight (LIMIT of them hashing, the rest refused) when the right one comes."""
    settings.LOGIN_FAILURE_LIMIT = 5
    make_user("hal", password=RIGHT)
    verify, release, hashing, lock = MD5PasswordHasher.verify, threading.Event(), [], threading.Lock()

    def slow_verify(self, password, encoded):
        with lock:
            hashing.append(password)
        if password != RIGHT:
            release.wait(10)
        return verify(self, password, encoded)

    monkeypatch.setattr(MD5PasswordHasher, "verify", slow_verify)
    statuses = {}

    def guess(password):
        try:
            response = Client().post(reverse("api-token"), {"username": "hal", "password": password})
            statuses[password] = (response.status_code, response.json())
        finally:
            connection.close()

    wrong = [threading.Thread(target=guess, args=(f"wrong-{i}",)) for i in range(30)]
    for thread in wrong:
        thread.start()
    for _ in range(1000):  # until LIMIT guesses hash and the other 25 have been refused
        if len(hashing) == 5 and len(statuses) == 25:
            break
        threading.Event().wait(0.01)
    assert len(hashing) == 5 and len(statuses) == 25 and all(s == 400 for s, _ in statuses.values())
    right = threading.Thread(target=guess, args=(RIGHT,))
    right.start()
    right.join(10)
    release.set()
    for thread in wrong:
        thread.join(10)
    assert statuses[RIGHT][0] == 400 and "token" not in statuses[RIGHT][1]
    assert len(hashing) == 5 and RIGHT not in hashing
    assert _failures("hal") == 31 and sum(1 for s, _ in statuses.values() if s == 200) == 0


# ----------------------------------------------------------------------------- 2. formula injection

EVIL_CODE = "=cmd|'/c calc'!A1"
EVIL_LINK = '=HYPERLINK("//x.io")'  # a question code holds 20 characters


@pytest.fixture
def evil_set(db, make_user):
    import_paths([PAGES / "09STATE6423.html", PAGES / "08SANTIAGO678.html", TEXT_PAGE_SEED])
    requirement_set = requirements.create_set(Cable.objects.get(reference_id="09STATE6423"))
    questions = list(requirement_set.questions.order_by("order", "pk")[:3])
    Question.objects.filter(pk=questions[0].pk).update(code=EVIL_CODE)
    Question.objects.filter(pk=questions[1].pk).update(code=EVIL_LINK, text="@SUM(1+1)*cmd|' /C calc'!A0")
    Question.objects.filter(pk=questions[2].pk).update(code="+1+1", text="-2+3")
    user = make_user("ana", clearance="TOP SECRET", noforn=True)
    user.groups.add(Group.objects.get(name="analyst"))
    return requirement_set, user


def test_csv_exports_escape_every_cell_headers_included(evil_set, client):
    requirement_set, user = evil_set
    client.force_login(user)
    url = reverse("requirement-set-export", args=[requirement_set.pk, "csv"])
    for table in ("questions", "sections", "posts", "matrix", "timeline"):
        response = client.get(url, {"table": table})
        assert response.status_code == 200
        rows = list(csv.reader(io.StringIO(exported_csv(response))))
        assert all(not exports.is_formula(cell) for row in rows for cell in row), table
        if table == "matrix":
            assert "'" + EVIL_CODE in rows[0] and "'" + EVIL_LINK in rows[0] and "'+1+1" in rows[0]
        if table == "questions":
            assert {"'" + EVIL_CODE, "'" + EVIL_LINK, "'+1+1", "'-2+3"} <= {cell for row in rows for cell in row}
    dashboard = client.get(reverse("dashboard-export", args=["csv"]), {"status": "unanswered"})
    rows = list(csv.reader(io.StringIO(exported_csv(dashboard))))
    assert all(not exports.is_formula(cell) for row in rows for cell in row)


def test_xlsx_exports_hold_no_formula_anywhere(evil_set, client):
    requirement_set, user = evil_set
    client.force_login(user)
    for response in (client.get(reverse("requirement-set-export", args=[requirement_set.pk, "xlsx"])),
                     client.get(reverse("dashboard-export", args=["xlsx"]), {"status": "unanswered"})):
        assert response.status_code == 200
        with zipfile.ZipFile(io.BytesIO(response.content)) as package:
            for name in package.namelist():
                if name.startswith("xl/worksheets/"):
                    assert not re.search(rb"<f[ >]", package.read(name)), name  # no formula element at all
        book = load_workbook(io.BytesIO(response.content))
        for sheet in book.worksheets:
            for row in sheet.iter_rows():
                for cell in row:
                    assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
                    if exports.is_formula(cell.value):
                        assert cell.data_type == "s" and cell.quotePrefix, (sheet.title, cell.coordinate)
    matrix = load_workbook(io.BytesIO(client.get(reverse("requirement-set-export",
                                                         args=[requirement_set.pk, "xlsx"])).content))["Matrix"]
    headers = {cell.value: cell for cell in matrix[1]}
    assert EVIL_CODE in headers and headers[EVIL_CODE].data_type == "s" and headers[EVIL_CODE].quotePrefix
    assert headers[EVIL_LINK].data_type == "s" and headers["Post"].font.bold


def test_one_rule_for_cells_headers_and_sheet_titles():
    rows = [[EVIL_LINK, "-1", 3, None], ["plain", "\tx", -4, "\uff1d1+1"]]
    response = exports.csv_response("x.csv", [EVIL_CODE, "b", "@c", "d"], rows, "UNCLASSIFIED")
    read = list(csv.reader(io.StringIO(exported_csv(response))))
    assert read == [["'" + EVIL_CODE, "b", "'@c", "d"], ["'" + EVIL_LINK, "'-1", "3", ""],
                    ["plain", "'\tx", "-4", "'\uff1d1+1"]]
    book = exports.workbook([{"title": "=HYPERLINK(\"x\")[evil]:*?/\\", "headers": [EVIL_CODE, "b", "c", "d"],
                              "rows": rows}], "UNCLASSIFIED")
    sheet = book.worksheets[0]
    assert not exports.is_formula(sheet.title) and not re.search(r"[\[\]:*?/\\]", sheet.title)
    assert sheet["A1"].value == EVIL_CODE and sheet["A1"].data_type == "s" and sheet["A1"].quotePrefix
    assert sheet["C3"].value == -4 and sheet["C3"].data_type == "n" and not sheet["C3"].quotePrefix
    assert sheet["B1"].value == "b" and not sheet["B1"].quotePrefix


# ----------------------------------------------------------------------------- 3. zips in zips


def _noise(size: int) -> bytes:
    """Binary junk, a NUL first (a zip member is sniffed by its first 512 bytes only)."""
    return b"\x00" + os.urandom(size - 1)


def _zip(path, members: dict, compression=zipfile.ZIP_DEFLATED):
    with zipfile.ZipFile(path, "w", compression) as archive:
        for name, content in members.items():
            if isinstance(content, bytes):
                archive.writestr(name, content)
            else:
                archive.write(content, name)
    return path


def _zeros_zip(path, size: int, compression=zipfile.ZIP_STORED):
    """A zip whose one member is `size` zero bytes, written in chunks."""
    with zipfile.ZipFile(path, "w", compression) as archive, archive.open("zeros.bin", "w", force_zip64=True) as out:
        chunk = bytes(1 << 20)
        for _ in range(size // len(chunk)):
            out.write(chunk)
    return path


@pytest.mark.django_db
def test_zips_nested_three_deep_import_and_a_fourth_is_refused(tmp_path):
    seeds = sorted(SEEDS.iterdir())
    third = _zip(tmp_path / "third.zip", {"c.html": (PAGES / "08SANTIAGO678.html").read_bytes()})
    second = _zip(tmp_path / "second.zip", {"b.txt": seeds[1].read_bytes(), "third.zip": third})
    first = _zip(tmp_path / "first.zip", {"a.txt": seeds[0].read_bytes(), "second.zip": second})
    report = import_paths([first])
    assert report.rejected == [] and report.new == 3
    fourth = _zip(tmp_path / "fourth.zip", {"first.zip": first})
    report = import_paths([fourth])
    assert report.rejected == [(f"{fourth}:first.zip:second.zip:third.zip", "",
                                "refused: a zip nested more than 3 deep")]
    assert report.unchanged == 2  # all that sits above the refused zip is read


def _import_measured(path):
    """Import a file; (its report, the peak of Python's allocations meanwhile)."""
    tracemalloc.start()
    try:
        report = import_paths([path])
        return report, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


@pytest.mark.django_db
def test_a_large_nested_zip_is_spooled_not_read_into_memory(tmp_path):
    inner = _zip(tmp_path / "inner.zip", {"noise.bin": _noise(24 << 20), "cable.html":
                                          (PAGES / "09STATE6423.html").read_bytes()}, zipfile.ZIP_STORED)
    outer = _zip(tmp_path / "outer.zip", {"inner.zip": inner}, zipfile.ZIP_STORED)
    report, peak = _import_measured(outer)
    assert report.new == 1 and [r[0] for r in report.rejected] == [f"{outer}:inner.zip:noise.bin"]
    assert peak < 8 * 2**20, f"peak {peak / 2**20:.0f} MB for a 24 MB nested zip"


@pytest.mark.django_db
def test_a_zip_bomb_inside_a_zip_is_refused_by_name_without_using_memory(tmp_path):
    inner = _zeros_zip(tmp_path / "inner.zip", 200 << 20)  # 200 MB, stored: deflates a thousand times
    outer = _zip(tmp_path / "bomb.zip", {"a.txt": sorted(SEEDS.iterdir())[0].read_bytes(), "inner.zip": inner,
                                         "zeros.zip": _zeros_zip(tmp_path / "z.zip", 64 << 20,
                                                                 zipfile.ZIP_DEFLATED)})
    inner.unlink()
    assert outer.stat().st_size < 2 << 20
    report, peak = _import_measured(outer)
    assert peak < 50 * 2**20, f"peak {peak / 2**20:.0f} MB"
    assert report.new == 1  # the good record is kept
    rejected = dict((name, reason) for name, _, reason in report.rejected)
    assert set(rejected) == {f"{outer}:inner.zip", f"{outer}:zeros.zip:zeros.bin"}
    assert re.fullmatch(r"refused: expands [\d,]+ times \(200\.0 MB from [\d.,]+ KB\), over the 100 times a zip "
                        r"member may: a zip bomb\?", rejected[f"{outer}:inner.zip"])
    assert "64.0 MB" in rejected[f"{outer}:zeros.zip:zeros.bin"]


def test_members_past_the_size_limits_are_refused_unread(tmp_path, monkeypatch, db):
    monkeypatch.setattr(importing, "MAX_ZIP_MEMBER", 2 << 20)
    monkeypatch.setattr(importing, "MAX_ZIP_TOTAL", 3 << 20)
    archive = _zip(tmp_path / "big.zip", {"a.bin": _noise(1 << 20), "b.bin": _noise(3 << 20),
                                          "c.bin": _noise(1 << 20), "d.bin": _noise(1 << 20),
                                          "e.bin": _noise(1 << 20)}, zipfile.ZIP_STORED)
    report = import_paths([archive])
    reasons = {name.rsplit(":", 1)[1]: reason for name, _, reason in report.rejected}
    assert reasons["b.bin"].startswith("refused: expands to 3.0 MB, over the 2.0 MB limit")
    assert reasons["e.bin"].startswith("refused: the zip's members expand to more than 3.0 MB in all")
    assert reasons["a.bin"].startswith("binary file") and reasons["d.bin"].startswith("binary file")
