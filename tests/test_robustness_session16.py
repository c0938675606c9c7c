"""Bad input of the sixteenth review: each gets a clear answer naming the file, reference or field, loses nothing,
and never a 500 or a traceback. Unreadable files and empty folders in an import, unknown reference IDs in a
re-parse, a question's sentences through the API, out-of-range numbers in filters and forms, NUL characters in
any parameter (which PostgreSQL refuses), the response form's field errors and its paragraph boxes without
JavaScript."""
import html
import json
import re
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from cables.importing import import_paths
from cables.models import Cable
from tests.conftest import PAGES, SEEDS
from tracker import requirements
from tracker.models import Response, Suggestion

BIG = "99999999999999999999"  # 20 digits: more than any key holds
NUL = "a\x00b"
UNREADABLE = Path("/proc/sys/vm/compact_memory")  # a file that even root may only write


def _import_command(*args, capsys) -> tuple[int, str]:
    """`manage.py import_cables` (or another command) in this process: its exit code and output."""
    try:
        call_command(*args)
        code = 0
    except SystemExit as exit_:
        code = exit_.code
    return code, capsys.readouterr().out


def _unreadable_link(folder: Path) -> Path:
    try:
        UNREADABLE.open("rb").close()
    except PermissionError:
        pass
    except OSError:
        pytest.skip("no /proc/sys/vm/compact_memory here")
    else:
        pytest.skip("/proc/sys/vm/compact_memory is readable here")
    link = folder / "b.txt"
    link.symlink_to(UNREADABLE)
    return link


@pytest.fixture
def mixed_folder(tmp_path) -> Path:
    """Two good pages around an unreadable file and a link to nothing."""
    folder = tmp_path / "pages"
    folder.mkdir()
    (folder / "a.html").write_bytes((PAGES / "09STATE6423.html").read_bytes())
    _unreadable_link(folder)
    (folder / "c.html").write_bytes((PAGES / "09MOSCOW1730.html").read_bytes())
    (folder / "dangling.txt").symlink_to(tmp_path / "nowhere.txt")
    return folder


# ----------------------------------------------------------------------------- 1. unreadable files


@pytest.mark.django_db
def test_an_unreadable_file_and_a_broken_link_are_reported_and_the_good_files_imported(mixed_folder):
    report = import_paths([mixed_folder])
    assert report.new == 2
    assert set(Cable.objects.values_list("reference_id", flat=True)) == {"09STATE6423", "09MOSCOW1730"}
    assert (str(mixed_folder / "b.txt"), "", "unreadable: Permission denied") in report.rejected
    assert (str(mixed_folder / "dangling.txt"), "",
            f"unreadable: a broken link, to {mixed_folder.parent / 'nowhere.txt'}, which does not exist"
            ) in report.rejected
    assert len(report.rejected) == 2


@pytest.mark.django_db
def test_the_command_reports_an_unreadable_file_without_a_traceback(mixed_folder, capsys):
    code, out = _import_command("import_cables", "--no-progress", str(mixed_folder), capsys=capsys)
    assert code == 1
    assert "2 new, 0 updated, 0 unchanged, 2 rejected" in out
    assert f"rejected {mixed_folder / 'b.txt'}: unreadable: Permission denied" in out
    assert f"rejected {mixed_folder / 'dangling.txt'}: unreadable: a broken link" in out


def test_a_queued_import_reports_the_files_it_could_not_copy_and_imports_the_others(mixed_folder, celery_worker,
                                                                                    capsys):
    code, out = _import_command("import_cables", "--queue", "--no-progress", str(mixed_folder), capsys=capsys)
    assert code == 1
    assert "2 new, 0 updated, 0 unchanged, 2 rejected" in out
    assert f"rejected {mixed_folder / 'b.txt'}: unreadable: Permission denied" in out
    assert f"rejected {mixed_folder / 'dangling.txt'}: unreadable: a broken link" in out


@pytest.fixture
def linked_folders(tmp_path) -> Path:
    """A folder holding one page, a link to another folder of one page, and a link back to itself (a loop)."""
    real = tmp_path / "real"
    real.mkdir()
    (real / "m.html").write_bytes((PAGES / "09MOSCOW1730.html").read_bytes())
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.html").write_bytes((PAGES / "09STATE6423.html").read_bytes())
    (folder / "linked").symlink_to(real)
    (folder / "loop").symlink_to(folder)
    return folder


@pytest.mark.django_db
def test_a_linked_folder_is_read_and_a_loop_named_once(linked_folders):
    report = import_paths([linked_folders])
    assert report.new == 2 and set(Cable.objects.values_list("reference_id", flat=True)) == {
        "09STATE6423", "09MOSCOW1730"}
    assert report.rejected == [(str(linked_folders / "loop"), "",
                                f"a link to {linked_folders}, a folder it stands in: a loop, not read again")]


def test_a_queued_import_copies_a_linked_folder_and_never_round_a_loop(linked_folders, celery_worker, capsys,
                                                                        settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    code, out = _import_command("import_cables", "--queue", "--no-progress", str(linked_folders), capsys=capsys)
    assert "2 new, 0 updated, 0 unchanged, 1 rejected" in out, out
    assert f"rejected {linked_folders / 'loop'}: a link to" in out
    copied = sorted(p.name for p in (tmp_path / "media").rglob("*") if p.is_file())
    assert copied == ["a.html", "m.html"]


# ----------------------------------------------------------------------------- 7. commands that said nothing


@pytest.mark.django_db
def test_an_empty_folder_is_named_and_the_command_exits_non_zero(tmp_path, capsys):
    empty = tmp_path / "emptydir"
    empty.mkdir()
    code, out = _import_command("import_cables", "--no-progress", str(empty), capsys=capsys)
    assert code == 1
    assert f"rejected {empty}: a folder with no files in it" in out


def test_a_queued_empty_folder_is_named_too(tmp_path, celery_worker, capsys):
    empty = tmp_path / "emptydir"
    empty.mkdir()
    code, out = _import_command("import_cables", "--queue", "--no-progress", str(empty), capsys=capsys)
    assert code == 1
    assert f"rejected {empty}: a folder with no files in it" in out


@pytest.mark.django_db
def test_reparse_names_an_unknown_reference_id_and_exits_non_zero(capsys):
    import_paths([SEEDS])
    code, out = _import_command("reparse_cables", "NOPE", "09state6423", capsys=capsys)
    assert code == 1
    assert "0 updated, 1 unchanged, 1 failed" in out
    assert "NOPE: no cable with this reference ID in the store" in out
    code, out = _import_command("reparse_cables", "09STATE6423", capsys=capsys)
    assert code == 0, out


# ----------------------------------------------------------------------------- fixtures of the pages


@pytest.fixture
def world(client, role_user):
    """The Iran set (from 09STATE6423), 09MOSCOW1730 to answer it, an analyst logged in on the client."""
    import_paths([PAGES / "09STATE6423.html", PAGES / "09MOSCOW1730.html"])
    requirement_set = requirements.create_set(Cable.objects.get(reference_id="09STATE6423"))
    analyst = role_user("ana")
    client.force_login(analyst)
    return requirement_set


def _text(response) -> str:
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode())))


# ----------------------------------------------------------------------------- 2. a question's sentences


@pytest.mark.django_db
@pytest.mark.parametrize("sentences", ["Is it so? Is it not?", 1, [None, 2], [""], [["x"]], {"a": 1}])
def test_the_api_refuses_sentences_that_are_not_a_list_of_strings(client, world, sentences):
    question = world.questions.order_by("order").first()
    before = list(question.sentences)
    answer = client.patch(f"/api/questions/{question.pk}/", json.dumps({"sentences": sentences}),
                          content_type="application/json")
    assert answer.status_code == 400
    assert "sentences" in answer.json()
    question.refresh_from_db()
    assert question.sentences == before
    assert client.get(f"/questions/{question.pk}/edit/").status_code == 200


@pytest.mark.django_db
def test_the_api_stores_sentences_given_as_a_list_of_strings(client, world):
    question = world.questions.order_by("order").first()
    answer = client.patch(f"/api/questions/{question.pk}/", json.dumps({"sentences": ["Who?", " Why? "]}),
                          content_type="application/json")
    assert answer.status_code == 200, answer.content
    question.refresh_from_db()
    assert question.sentences == ["Who?", "Why?"]


# ----------------------------------------------------------------------------- 3. numbers out of range


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["year=0", "year=100000", "year=10000", f"month={BIG}", "month=13", "month=0"])
def test_a_year_or_month_out_of_range_is_shown_as_ignored_on_the_cable_list(client, world, query):
    page = client.get(f"/cables/?{query}")
    assert page.status_code == 200
    value = query.split("=")[1]
    assert f"{value} (not valid: ignored)" in _text(page)
    assert "09MOSCOW1730" in page.content.decode()  # the bad filter is not applied: every cable is listed


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["year=0", "year=10000", "year=100000", f"month={BIG}", "month=13"])
def test_the_cable_api_answers_400_naming_a_year_or_month_out_of_range(client, world, query):
    answer = client.get(f"/api/cables/?{query}")
    assert answer.status_code == 400
    assert query.split("=")[0] in answer.json()
    created = Cable.objects.get(reference_id="09MOSCOW1730").created  # in range, they still filter
    answer = client.get(f"/api/cables/?year={created.year}&month={created.month}")
    assert [c["reference_id"] for c in answer.json()["results"]] == ["09MOSCOW1730"]


@pytest.mark.django_db
@pytest.mark.parametrize("endpoint", ["responses", "suggestions"])
def test_the_api_answers_400_naming_a_question_id_out_of_range(client, world, endpoint):
    answer = client.get(f"/api/{endpoint}/?question={BIG}")
    assert answer.status_code == 400
    assert "question" in answer.json()
    assert client.get(f"/api/{endpoint}/?question=1").status_code == 200


@pytest.mark.django_db
def test_adding_a_question_ignores_a_section_that_is_no_id(client, world):
    for value in ["", "x", BIG, "²", "-1"]:
        assert client.get(f"/requirement-sets/{world.pk}/questions/add/", {"section": value}).status_code == 200
    section = world.sections.first()  # a section's id still preselects it
    page = client.get(f"/requirement-sets/{world.pk}/questions/add/", {"section": section.pk})
    assert re.search(rf'<option value="{section.pk}" selected>', page.content.decode())


@pytest.mark.django_db
def test_a_section_form_refuses_a_post_id_out_of_range_as_an_invalid_choice(client, world):
    section = world.sections.first()
    for url, data in [(f"/requirement-sets/{world.pk}/sections/add/", {"letter": "Q", "audience": "x",
                                                                       "posts": [BIG]}),
                      (f"/sections/{section.pk}/edit/", {"letter": section.letter, "audience": "y",
                                                         "posts": [BIG]})]:
        page = client.post(url, data)
        assert page.status_code == 400
        assert f"{BIG} is not one of the available choices" in _text(page)


@pytest.mark.django_db
def test_the_response_form_refuses_a_question_id_out_of_range_as_an_invalid_choice(client, world):
    page = client.post("/responses/new/", {"cable": "09MOSCOW1730", "questions": [BIG], "paragraphs": "1",
                                           "assessment": "partly", "confidence": "low", "note": "kept"})
    assert page.status_code == 400
    assert "A chosen question can no longer be answered" in _text(page)
    assert re.search(r">\s*kept</textarea>", page.content.decode())
    assert not Response.objects.exists()


# ----------------------------------------------------------------------------- 4. NUL characters


@pytest.fixture
def suggestion(world) -> Suggestion:
    question = world.questions.order_by("order").first()
    paragraph = Cable.objects.get(reference_id="09MOSCOW1730").paragraphs.exclude(number=None).first()
    return Suggestion.objects.create(question=question, cable=paragraph.cable, paragraph=paragraph,
                                     paragraph_number=paragraph.number, score=0.4)


def _nul_cases(suggestion):
    question = suggestion.question
    return [
        ("get", "/lookup/cables/", {"q": NUL}, "q"),
        ("get", "/responses/new/", {"cable": NUL}, "cable"),
        ("post", "/responses/new/", {"cable": "09MOSCOW1730", "questions": [question.pk], "paragraphs": "1",
                                     "assessment": "partly", "confidence": "low", "note": NUL}, "note"),
        ("post", "/requirement-sets/create/", {"reference_id": NUL}, "reference_id"),
        ("get", "/cables/", {"tag": NUL}, "tag"),
        ("get", "/api/cables/", {"tag": NUL}, "tag"),
        ("get", "/cables/", {"q": "09STATE64\x0023"}, "q"),
        ("post", f"/suggestions/{suggestion.pk}/decide/", {"decision": "reject", "note": NUL}, "note"),
        ("post", f"/questions/{question.pk}/suggestions/reject/", {"suggestion": [suggestion.pk], "note": NUL},
         "note"),
    ]


@pytest.mark.django_db
def test_a_nul_in_any_parameter_is_answered_400_naming_it(client, suggestion):
    for method, url, data, name in _nul_cases(suggestion):
        answer = getattr(client, method)(url, data)
        assert answer.status_code == 400, (url, name)
        assert f"The parameter '{name}' holds a NUL character" in _text(answer), (url, name)
    suggestion.refresh_from_db()
    assert suggestion.state == Suggestion.OPEN and "\x00" not in suggestion.decision_note
    # a JSON body is the API's to check, which refuses a NUL itself, naming the field
    answer = client.post(f"/api/suggestions/{suggestion.pk}/reject/", json.dumps({"note": NUL}),
                         content_type="application/json")
    assert answer.status_code == 400
    assert "note" in answer.json()


@pytest.mark.django_db
def test_a_nul_in_the_address_is_answered_400(client, world):
    for url, json_ in [("/cables/09STATE64%0023/", False), ("/api/cables/09STATE64%0023/", True)]:
        answer = client.get(url)
        assert answer.status_code == 400
        message = answer.json()["detail"] if json_ else _text(answer)
        assert "The address holds a NUL character" in message


@pytest.mark.django_db
def test_a_nul_in_a_form_is_refused_but_not_in_an_uploaded_file(client, make_user):
    """The login form (before any login) is refused; a file's content may hold any byte: only form values and
    the address are checked, and the upload goes on."""
    answer = client.post("/login/", {"username": NUL, "password": "x"})
    assert answer.status_code == 400
    assert "The parameter 'username' holds a NUL character" in _text(answer)
    client.force_login(make_user("admin", staff=True))
    content = b"\x00" * 64 + (PAGES / "09MOSCOW1730.html").read_bytes()
    answer = client.post("/admin/cables/importjob/upload/", {"files": [SimpleUploadedFile("nuls.html", content)]})
    assert answer.status_code == 302, answer.content[:500]


# ----------------------------------------------------------------------------- 5. the response form's errors


def _response_data(world, **changes) -> dict:
    question = world.questions.order_by("order").first()
    return {"cable": "09MOSCOW1730", "loaded": "09MOSCOW1730", "questions": [question.pk], "paragraphs": "1",
            "assessment": "partly", "confidence": "low", "note": "My kept note", **changes}


@pytest.mark.django_db
@pytest.mark.parametrize("field", ["assessment", "confidence"])
def test_the_response_form_shows_a_bad_choice_beside_its_field(client, world, field):
    page = client.post("/responses/new/", _response_data(world, **{field: "bogus"}))
    assert page.status_code == 400
    body = page.content.decode()
    assert re.search(rf'<ul class="errorlist"[^>]*><li>Select a valid choice\. bogus is not one of the available '
                     rf'choices\.</li></ul><p><label for="id_{field}">', body), body
    assert re.search(r">\s*My kept note</textarea>", body)
    assert not Response.objects.exists()


# ----------------------------------------------------------------------------- 6. the set's edit form


@pytest.mark.django_db
def test_the_set_edit_error_names_the_owner_field(client, world):
    page = client.post(f"/requirement-sets/{world.pk}/edit/", {"title": world.title, "status": world.status,
                                                                "priority": world.priority, "owner": "999999"})
    assert page.status_code == 400
    text = _text(page)
    assert "The set was not saved. Owner: Select a valid choice" in text
    assert "None:" not in text


# ----------------------------------------------------------------------------- 9. paragraph boxes without the script


@pytest.mark.django_db
def test_a_ticked_paragraph_counts_without_the_script_and_joins_the_typed_ones(client, world):
    question = world.questions.order_by("order").first()
    page = client.post("/responses/new/", _response_data(world, paragraphs="5, 3", ticked_paragraphs=["3", "2"]))
    assert page.status_code == 302, _text(page)
    assert Response.objects.get(question=question).paragraph_numbers == ["5", "3", "2"]  # typed, then ticked


@pytest.mark.django_db
def test_a_ticked_paragraph_alone_logs_the_response(client, world):
    question = world.questions.order_by("order").first()
    page = client.post("/responses/new/", _response_data(world, paragraphs="", ticked_paragraphs=["2"]))
    assert page.status_code == 302, _text(page)
    assert Response.objects.get(question=question).paragraph_numbers == ["2"]


@pytest.mark.django_db
def test_the_ticked_paragraphs_are_ticked_again_when_the_form_is_shown_with_an_error(client, world):
    page = client.post("/responses/new/", _response_data(world, paragraphs="", ticked_paragraphs=["2"],
                                                         questions=[]))
    assert page.status_code == 400
    body = page.content.decode()
    assert re.search(r'<input type="checkbox" name="ticked_paragraphs" value="2" checked>', body)
    assert not re.search(r'<input type="checkbox" name="ticked_paragraphs" value="3" checked>', body)
    assert "Tick or type at least one paragraph" not in body


@pytest.mark.django_db
def test_paragraphs_ticked_for_the_old_cable_are_said_cleared_when_the_cable_changes_without_the_script(
        client, world):
    page = client.post("/responses/new/", _response_data(world, cable="09STATE6423", paragraphs="4",
                                                         ticked_paragraphs=["2"]))
    assert page.status_code == 200
    assert "The paragraphs chosen for 09MOSCOW1730 (¶2, 4) were cleared" in _text(page)
    assert not Response.objects.exists()

