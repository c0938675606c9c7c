"""parse_cable_text on what an audit of the real cables found: a raw cable cut off after its header, the
cable's own SUBJECT repeated on a continuation page inside the body, REF lines that name no cable ("AND
PREVIOUS", a handling caveat run on), posts whose reference-ID spelling differs from how cables cite them,
a media reaction's list of topics above its paragraphs, and a classification reason without "reasons"."""
from pathlib import Path

import pytest

from cables.importing import decode, import_paths
from cables.models import Cable
from cables.parsing import ParseError, Reference, parse_cable_text, resolve_reference
from cables.sources import iter_dump_rows, parse_document, parse_viewer_html

DATA = Path(__file__).parents[1] / "data"
PAGES = DATA / "pages"
DUMP_SAMPLE = DATA / "csv" / "cables_sample.csv"


def page(reference_id: str):
    return parse_viewer_html((PAGES / f"{reference_id}.html").read_text(encoding="utf-8"))


def minimal_cable(body: str, header: str = "SUBJECT: TEST", class_line: str = "C O N F I D E N T I A L ROME 000123"
                  ) -> str:
    """A cable from Embassy Rome around `body`: routing, classification line and E.O., then `header` lines."""
    return (
        "R 051200Z JAN 09\nFM AMEMBASSY ROME\nTO SECSTATE WASHDC 1234\n\n"
        f"{class_line}\n\nSIPDIS\n\nE.O. 12958: DECL: 01/05/2019\n{header}\n\n{body}"
    )


# ----------------------------------------------------------------------------- a cable cut off after its header

TRUNCATED = "R 011000Z MAR 10\nFM AMEMBASSY ROME\nTO SECSTATE WASHDC\nC O N F I D E N T I A L ROME 000"


def test_a_raw_cable_that_ends_after_its_classification_line_is_no_cable():
    with pytest.raises(ParseError, match="the cable ends after its header: no text"):
        parse_document(decode(TRUNCATED.encode()).text)


def test_a_raw_cable_that_ends_after_its_subject_is_no_cable():
    with pytest.raises(ParseError, match="ends after its header"):
        parse_cable_text(minimal_cable("", header="TAGS: PREL\nSUBJECT: CUT OFF IN TRANSFER"))


def test_a_serial_of_zero_is_no_reference_id():
    with pytest.raises(ParseError, match="serial"):
        parse_cable_text(minimal_cable("1. (C) Text.", class_line="C O N F I D E N T I A L ROME 000000"))


def test_a_viewer_page_whose_text_the_viewer_cut_off_keeps_its_table_identity():
    cable = page("09MADRID604")  # the header and its subject "SPAIN: S/GC DAN FRIED ...", no body
    assert (cable.reference_id, cable.paragraphs) == ("09MADRID604", ())


@pytest.mark.django_db
def test_the_import_reports_the_truncated_cable_by_file_and_keeps_the_others(tmp_path):
    (tmp_path / "truncated.txt").write_text(TRUNCATED)
    (tmp_path / "good.txt").write_text(minimal_cable("1. (C) Text."))
    report = import_paths([tmp_path])
    reasons = {Path(name).name: reason for name, _, reason in report.rejected}
    assert "ends after its header" in reasons["truncated.txt"]
    assert report.new == 1 and list(Cable.objects.values_list("reference_id", flat=True)) == ["09ROME123"]


# ----------------------------------------------------------------------------- the subject repeated in the body


def test_the_subject_a_continuation_page_repeats_mid_sentence_is_dropped_and_the_sentence_joined():
    cable = page("09STATE82013")
    assert not any("SUBJECT:" in p.text for p in cable.paragraphs)
    paragraph = next(p for p in cable.paragraphs if p.number == "6")
    assert "keep us from taking\ncredit for our disarmament initiatives" in paragraph.text


def test_a_repeated_subject_cut_after_its_last_words_is_dropped():
    cable = page("08STATE86156")  # "SUBJECT: TFGG01: ... SITUATION REPORT NO. media. The French MFA"
    paragraph = next(p for p in cable.paragraphs if p.number == "8")
    assert "according to\nmedia. The French MFA" in paragraph.text


def test_a_repeated_subject_alone_and_wrapped_between_body_lines_is_dropped():
    body = ("1. (C) The minister said the talks would\nSUBJECT: IRAN: TALKS ON THE\nNUCLEAR FILE\n"
            "resume in May.\n\n2. (C) Second.")
    cable = parse_cable_text(minimal_cable(body, header="SUBJECT: IRAN: TALKS ON THE NUCLEAR FILE"))
    assert cable.paragraphs[0].text == "The minister said the talks would\nresume in May."


def test_a_body_line_with_another_subject_is_kept():
    body = "1. (C) The cable quoted:\nSUBJECT: SOMETHING ELSE ENTIRELY\nend of quote.\n\n2. (C) Second."
    cable = parse_cable_text(minimal_cable(body, header="SUBJECT: IRAN: TALKS ON THE NUCLEAR FILE"))
    assert "SUBJECT: SOMETHING ELSE ENTIRELY" in cable.paragraphs[0].text


# ----------------------------------------------------------------------------- references that name no cable


@pytest.mark.parametrize(("reference_id", "kept"), [
    ("06BRASILIA882", (Reference("", "BRASILIA 861", "06BRASILIA861"),)),
    ("07MADRID1285", (Reference("", "MADRID 1191", "07MADRID1191"),)),
    ("07NAIROBI4429", (Reference("", "NAIROBI 4411", "07NAIROBI4411"),)),
    ("09VATICAN28", (Reference("", "VATICAN 25", "09VATICAN25"),)),
])
def test_and_previous_is_no_reference(reference_id, kept):
    assert page(reference_id).references == kept


@pytest.mark.parametrize("ref", ["STATE 1234 AND OTHERS", "STATE 1234; SEPTEL", "STATE 1234 AND ALL",
                                 "STATE 1234, NOTAL", "STATE 1234 AND PREVIOUS (NOTAL)"])
def test_words_for_other_cables_are_no_references(ref):
    cable = parse_cable_text(minimal_cable("1. (C) Text.", header=f"SUBJECT: TEST\nREF: {ref}"))
    assert [r.reference_id for r in cable.references] == ["09STATE1234"]


def test_a_handling_caveat_ends_the_ref_block():
    reference = page("09CAIRO1802").references[0]
    assert reference.text == ("EGYPTIAN MINISTRY OF DEFENSE LETTER OF REQUEST (08-184) FOR PRICE AND "
                              "AVAILABILITY DATED 12 DEC 08")


# ----------------------------------------------------------------------------- posts spelled otherwise in IDs


@pytest.mark.parametrize(("cited", "year", "expected"), [
    ("USUN 6028", "75", "75USUNNEWYORK6028"),
    ("USUN NEW YORK 1141", "09", "09USUNNEWYORK1141"),
    ("USEU 133", "10", "10USEUBRUSSELS133"),
    ("03 Rio 823", "05", "03RIODEJANEIRO823"),
    ("UNVIE 478", "09", "09UNVIEVIENNA478"),
    ("UNVIE VIENNA 478", "09", "09UNVIEVIENNA478"),
    ("HO CHI MINH CITY 45", "08", "08HOCHIMINHCITY45"),
    ("HCMC 45", "08", "08HOCHIMINHCITY45"),
    ("SAO PAULO 496", "07", "07SAOPAULO496"),
    ("BUENOS AIRES 123", "09", "09BUENOSAIRES123"),
    ("USNATO 563", "09", "09USNATO563"),
    ("GENEVA 203", "09", "09GENEVA203"),
])
def test_a_cited_post_resolves_to_its_spelling_in_reference_ids(cited, year, expected):
    assert resolve_reference(cited, year) == expected


@pytest.mark.parametrize("cited", ["09 CIAWASH 542085 - ALLEGED THREAT", "CIA 12345", "DIA 4521", "TD 314/40895",
                                   "FBI 2231", "IIR 6817018"])
def test_reports_of_other_agencies_are_no_cables(cited):
    assert resolve_reference(cited, "09") is None


def test_the_libreville_dump_row_cites_the_mission_to_the_un_by_its_id():
    with DUMP_SAMPLE.open(newline="", encoding="utf-8") as stream:
        cable = next(c for _, c, _ in iter_dump_rows(stream) if c and c.reference_id == "7575LIBREVILLE1895")
    assert "75USUNNEWYORK6028" in [r.reference_id for r in cable.references]


def test_pages_cite_the_eu_mission_and_no_cia_report_as_cables():
    assert page("10STATE13969").references == (Reference("", "USEU 133", "10USEUBRUSSELS133"),)
    tripoli = page("09TRIPOLI190").references
    assert [r.reference_id for r in tripoli[:3]] == [None, None, "08TRIPOLI120"]


# ----------------------------------------------------------------------------- a list of topics above the paragraphs


def test_a_media_reactions_list_of_topics_is_introduction_and_the_paragraphs_restart_at_one():
    cable = page("09BERLIN485")
    assert cable.paragraphs[0].number is None
    assert "1.   Lead Stories Summary\n2.   Outbreak of Swine Flu" in cable.paragraphs[0].text
    numbered = [p for p in cable.paragraphs if p.number]
    assert [p.number for p in numbered] == [str(n) for n in range(1, 11)]
    assert numbered[0].text.startswith("Lead Stories Summary\n\nEditorials focused")
    assert numbered[9].text.startswith("Iceland Elections")
    assert max(len(p.text) for p in numbered) < 5000


def test_a_short_numbered_list_without_a_restart_stays_paragraphs():
    body = "1. Iran\n2. Iraq\n3. Syria\n\n4. (C) The minister spoke of all three."
    assert [p.number for p in parse_cable_text(minimal_cable(body)).paragraphs] == ["1", "2", "3", "4"]


def test_a_list_of_topics_then_paragraphs_from_one_in_a_raw_cable():
    body = ("Topics:\n1. Iran\n2. Iraq\n3. Syria\n\n1. Iran\n\nThe press wrote at length.\n\n2. Iraq\n\n"
            "Few papers wrote.\n\n3. Syria\n\nNone did.")
    paragraphs = parse_cable_text(minimal_cable(body)).paragraphs
    assert [p.number for p in paragraphs] == [None, "1", "2", "3"]
    assert paragraphs[0].text == "Topics:\n1. Iran\n2. Iraq\n3. Syria"


# ----------------------------------------------------------------------------- classified by, and the reason


@pytest.mark.parametrize(("reference_id", "by", "reason"), [
    ("07PARIS4722", "Political Minister-Counselor Josiah Rosenblatt", "1.4 b and d"),
    ("09LONDON1851", "Minister-Counselor for Political Affairs Greg Berry", "1.4 (b) and (d)"),
    ("08SANJOSE133", "ADCM David E. Henifin", "1.4 (d)"),
    ("09RIYADH716", "CDA DAVID RUNDELL", "1.4 (b),(d)"),
    ("09STATE82013", "Amb. Marguerita Ragsdale", "1.5 (b) and (d)"),
])
def test_the_reason_is_split_from_the_name(reference_id, by, reason):
    cable = page(reference_id)
    assert (cable.classified_by, cable.classification_reason) == (by, reason)


@pytest.mark.parametrize("ref, expected", [
    ("ANKARA 0112 ISTANBUL 0015", ["09ANKARA112", "09ISTANBUL15"]),  # 07ANKARA747: two posts, nothing between
    ("RIO DE JANEIRO 353 RIO DE JANEIRO 311", ["09RIODEJANEIRO353", "09RIODEJANEIRO311"]),
    ("07 LONDON 4471", ["07LONDON4471"]),  # a year before the post is no serial
    ("MOSCOW 123 PARA 4", ["09MOSCOW123"]),  # a paragraph of it, not another cable
    ("STATE 1234 DATED 12 MARCH 2009", ["09STATE1234"]),
])
def test_references_run_together_without_a_separator_are_each_read(ref, expected):
    cable = parse_cable_text(minimal_cable("1. (C) Text.", header=f"SUBJECT: TEST\nREF: {ref}"))
    assert [r.reference_id for r in cable.references if r.reference_id] == expected


def test_a_year_after_and_is_not_taken_for_a_serial():
    cable = parse_cable_text(minimal_cable("1. (C) Text.", header="SUBJECT: TEST\nREF: 08 ROME 12 AND 09 STATE 7777"))
    assert [r.reference_id for r in cable.references] == ["08ROME12", "09STATE7777"]
