"""The input forms around a cable's text: WikiLeaks viewer pages (HTML, and saved as text) and rows of the
Cablegate CSV dump. Checked against the real pages in tests/data. Pure: runs without Django (-p no:django)."""
import csv
from datetime import UTC, datetime
from pathlib import Path

import pytest

from cables.parsing import Reference
from cables.sources import (_RowLines, iter_dump_rows, parse_dump_row, parse_viewer_html, parse_viewer_text,
                            read_dump_rows)

DATA = Path(__file__).parents[1] / "data"
PAGES = DATA / "pages"
TEXT_PAGE_SEED = DATA / "seeds" / "004_96991c4b2cbe5eac.txt"  # 08MOSCOW3526 saved from the viewer as text
FLATTENED_SEED = DATA / "seeds" / "000_5bd026dc9220d658.txt"
DUMP_SAMPLE = DATA / "csv" / "cables_sample.csv"


@pytest.fixture(autouse=True)
def _media_root():
    """These tests touch no files and no settings: stand in for the project's Django-settings fixture."""


def page(reference_id: str):
    return parse_viewer_html((PAGES / f"{reference_id}.html").read_text(encoding="utf-8"))


def stamp(text: str) -> datetime:
    return datetime.strptime(text, "%Y-%m-%d %H:%M").replace(tzinfo=UTC)


# ----------------------------------------------------------------------------- 09STATE6423, the Iran tasking


@pytest.fixture(scope="module")
def tasking():
    return page("09STATE6423")


def test_the_tasking_page_has_the_identity_from_its_table(tasking):
    assert tasking.reference_id == "09STATE6423"
    assert tasking.created == datetime(2009, 1, 23, 21, 9, tzinfo=UTC)
    assert tasking.released == datetime(2011, 3, 5, 0, 12, tzinfo=UTC)
    assert tasking.classification == "SECRET//NOFORN"
    assert tasking.origin == "Secretary of State"
    assert tasking.form == "viewer-html"


def test_the_tasking_goes_to_27_addressees(tasking):
    assert tasking.dtg == "232151Z JAN 09"
    assert tasking.sender == "SECSTATE WASHDC"
    assert len(tasking.to) == 27
    assert tasking.to[:3] == ("IRAN COLLECTIVE", "AMEMBASSY ASUNCION", "AMEMBASSY BELMOPAN")
    assert tasking.to[-3:] == ("AMEMBASSY TEGUCIGALPA", "AMCONSUL MONTERREY", "USINT HAVANA")
    assert tasking.info == ()


def test_the_tasking_has_its_tags_subject_cal_number_and_authority(tasking):
    assert tasking.tags == tuple(
        "PINR ETRD MARR PREL PTER SNAR AR BH BL BR CI CO CS CU DR EC ES GT HA HO MX NU PA PE PM UY VE".split())
    assert tasking.subject == "(C) IRANIAN OUTREACH TO LATIN AMERICA (C-AL8-02836)"
    assert tasking.collection_references == ("C-AL8-02836",)
    assert tasking.references == ()
    assert tasking.classified_by == "SUZANNE MCCORMICK, DIR., INR/I"
    assert tasking.classification_reason == "1.4(C)"
    assert tasking.signature == "CLINTON"


def test_the_tasking_questions_are_numbered_by_section(tasking):
    numbers = [p.number for p in tasking.paragraphs]
    assert numbers == (["1", "A"] + [f"A.{n}" for n in range(1, 5)] + ["B"] + [f"B.{n}" for n in range(1, 10)]
                       + ["C"] + [f"C.{n}" for n in range(1, 8)] + ["2"])
    markings = {p.number: p.marking for p in tasking.paragraphs}
    assert markings["C.5"] == "C//NF"
    assert {markings[n] for n in ("A", "B", "C", "2")} == {"U"}
    assert {m for n, m in markings.items() if n not in ("A", "B", "C", "2", "C.5")} == {"S//NF"}
    assert not any(p.damaged for p in tasking.paragraphs)


def test_the_tasking_question_text_is_the_text_after_the_marking(tasking):
    questions = {p.number: p.text for p in tasking.paragraphs}
    assert questions["A"] == "FOR IRAN WATCHERS AND THE IRAN REGIONAL PRESENCE\nOFFICE (IRPO):"
    assert questions["C.5"] == 'WHAT IS THE SIZE OF THE SHIA MUSLIM COMMUNITY?\nWHICH ARE THE KNOWN HIZBALLAH "CLANS?"'
    assert questions["2"].startswith("PLEASE CITE C-AL8-02836 IN THE SUBJECT LINE")
    assert "CLINTON" not in questions["2"]


# ----------------------------------------------------------------------------- 08MOSCOW3526, saved as text


@pytest.fixture(scope="module")
def moscow():
    return parse_viewer_text(TEXT_PAGE_SEED.read_text(encoding="utf-8"))


def test_the_text_page_has_the_identity_from_its_table(moscow):
    assert moscow.reference_id == "08MOSCOW3526"
    assert moscow.created == datetime(2008, 12, 5, 14, 23, tzinfo=UTC)
    assert moscow.released == datetime(2011, 8, 24, 1, 0, tzinfo=UTC)
    assert moscow.classification == "UNCLASSIFIED//FOR OFFICIAL USE ONLY"
    assert moscow.origin == "Embassy Moscow"
    assert moscow.form == "viewer-text"


def test_the_text_page_has_its_routing_without_routing_prefixes(moscow):
    assert moscow.dtg == "051423Z DEC 08"
    assert moscow.sender == "AMEMBASSY MOSCOW"
    assert moscow.to == ("SECSTATE WASHDC",)
    assert moscow.info == ("NSC WASHDC", "SECDEF WASHDC", "WESTERN HEMISPHERIC AFFAIRS DIPL POSTS", "CIS COLLECTIVE",
                           "MOSCOW POLITICAL COLLECTIVE")


def test_the_text_page_has_its_ten_tags_and_subject(moscow):
    assert moscow.tags == ("PREL", "PGOV", "MASS", "EAID", "ETRD", "EPET", "EINV", "ENRG", "RS", "XM")
    assert moscow.subject == "MEDVEDEV BOLSTERS RUSSIA?S LATIN AMERICAN OUTREACH"


def test_the_corrupted_stretch_between_paragraphs_5_and_8_is_one_damaged_paragraph(moscow):
    numbers = [p.number for p in moscow.paragraphs]
    assert numbers == ["1", "2", "3", "4", "5", None, "8", "9", "10", "11", "12", "13"]
    damaged = [p for p in moscow.paragraphs if p.damaged]
    assert len(damaged) == 1 and damaged[0].number is None and damaged[0].marking == ""
    assert "arrangementsbm+h$\\[QQ6DQ--" in damaged[0].text
    assert moscow.paragraphs[4].text.endswith("had not yet")


def test_the_text_page_paragraphs_keep_their_markings_and_headings(moscow):
    paragraphs = {p.number: p for p in moscow.paragraphs if p.number}
    assert {n: p.marking for n, p in paragraphs.items() if p.marking != "SBU"} == {"11": "U", "12": "U"}
    assert paragraphs["2"].heading == "Pragmatic Cooperation"
    assert paragraphs["5"].heading == "Russia vs. China?"
    assert paragraphs["8"].heading == "Medvedev in Peru, Brazil and Cuba"
    assert paragraphs["13"].heading == "COMMENT"
    assert paragraphs["11"].text.endswith('in the future as an\n"associated member."')


def test_the_text_page_has_no_page_break_lines_left_in_any_text(moscow):
    texts = [moscow.header, moscow.body, *(p.text for p in moscow.paragraphs)]
    assert not any("00003526" in text or " OF 003" in text for text in texts)


# ----------------------------------------------------------------------------- every page's identity

with (DATA / "pages.csv").open(newline="", encoding="utf-8") as _rows:
    IDENTITIES = list(csv.DictReader(_rows))


@pytest.mark.parametrize("row", IDENTITIES, ids=[row["reference_id"] for row in IDENTITIES])
def test_every_page_has_the_identity_of_its_table(row):
    cable = page(row["reference_id"])
    assert (cable.reference_id, cable.created, cable.released, cable.classification, cable.origin) == (
        row["reference_id"], stamp(row["created"]), stamp(row["released"]), row["classification"], row["origin"])


def test_all_285_pages_are_checked():
    assert len(IDENTITIES) == len(list(PAGES.glob("*.html"))) == 285


# ----------------------------------------------------------------------------- a sample of layouts, read by hand

SAMPLE = [
    # (reference ID, subject, tags, paragraphs): the layout it stands for
    ("09STATE40419", "(U) CUBA-RUSSIA RELATIONSHIP (C-AL9-00784)", "PINR PREL CU RS", 8),  # tasking, A-F
    ("09MOSCOW1730", "", "PINR PREL PGOV CU RS", 8),  # no SUBJECT line, TAGS on the E.O. line, 3 run into 2
    ("00HARARE6677", "ASSISTANT SECRETARY MEETS WITH ZIMBABWE OPPOSITION LEADER", "PGOV PREL ECON PINR ZI SA",
     12),  # telegram pages: PAGE lines, CONFIDENTIAL banners, repeated section headers, distribution list
    ("03BRASILIA1550", "BRAZIL CONTINUES TO DEBATE TRADE POLICY ON EVE OF USTR ZOELLICK'S VISIT", "ETRD BR FTAA",
     15),  # partial extract, sentence case
    ("05ISTANBUL329", "MUNICIPALITY TO FUND...", "TU BO MD PHUM KCRM PGOV KJUS TIP IN TURKEY",
     14),  # subject cut off by the viewer, Cyrillic redactions
    ("07SAOPAULO601", "CONVERSATION WITH AN OLD FRIEND OF LULA", "PGOV PREL PINR KISL SCUL BR LE",
     14),  # garbled quotes, headings framed on one line
    ("07MANAMA982", "C-NE7-00483: BAHRAIN AND THE GCC,S NUCLEAR ENERGY PLAN", "ENRG TRGY OSCI PINR BA",
     9),  # apostrophes as commas, signature run onto the last line
    ("09MADRID604", "SPAIN: S/GC DAN FRIED ...", "PREL PGOV PTER PHUM MOPS KAWK KISL KPAO SP", 0),  # body cut off
    ("09RABAT408", "OPENING UP AGAIN? MOROCCAN PRISON ADMINISTRATION AND REFORM (C-NE9-00043)",
     "PINR PHUM SOCI EAID SNAR PTER KCRM MO", 25),  # a response with a CAL number
    ("09CAIRO1054", "CA/FPP AND CAIRO FPU IDENTIFY TWO COPTIC PRIESTS AS BABY TRAFFICKERS",
     "KFRD CVIS CMGT CASC KOCI ASEC PHUM SMIG EG", 5),  # tags run together, REFS on the subject line
    ("09CAIRO544", "BLOGGERS MOVING FROM ACTIVISM TO BROADENING DISCOURSE AND SELF-EXPRESSION",
     "PGOV PHUM KDEM KIRF KWMN SOCI EG", 11),  # subject without "SUBJECT:"
    ("09CAIRO213", "INVESTMENT SCANDAL ADDS TO STOCK MARKET WOES", "ECON EFIN EINV EG",
     4),  # "SUBJECT:" alone, the caveat run onto the subject
    ("06BUENOSAIRES2215",
     "LEADING CENTER-RIGHT ARGENTINE OPPOSITION LEADER MAURICIO MACRI ON KIRCHNER AND THE 2007 ELECTIONS",
     "PGOV PHUM PREL AR", 6),  # header fields and paragraphs 3-6 run together by a reflowed page
    ("08LONDON2770", "COMMONWEALTH: NEW SYG LOOKING TO STEP UP ENGAGEMENT WITH USG", "PREL KDEM EAID PINR UK", 7),
    ("08STATE30340", "(S) REPORTING AND COLLECTION NEEDS: PARAGUAY", "PINR KPRP ECON PREL PGOV ETRD PA",
     48),  # collection directive: sections A-E with unmarked items, twice
    ("08BOGOTA4036", "COLOMBIA'S RELATIONS WITH ISRAEL (C-NE8-00834)", "PGOV PINR PTER MASS MCAP PREL CO IS", 8),
    ("90BAGHDAD4237", "SADDAM'S MESSAGE OF FRIENDSHIP TO PRESIDENT BUSH", "MOPS PREL US KU IZ",
     32),  # 1990, paragraphs without markings
    ("06REYKJAVIK421", "ICELAND WILL SUPPORT MATHESON FOR INTERNATIONAL LAW COMMISSION", "PREL ILC UNGA IC",
     1),  # one unnumbered paragraph
    ("07KABUL2004", "PRT URUZGAN - THE FIGHT FOR CHORA", "MOPS PGOV PREL PTER SOCI AF",
     16),  # header shown twice around the dump's identity block, REL TO markings
    ("09TIJUANA1116", "QUANTIFYING VIOLENCE: TIJUANA'S DRUG VIOLENCE AS REFLECTED IN THE STATISTICS", "KCRM SOCI MX",
     4),  # "From:", an unnumbered (SBU) summary before paragraph 2
    ("05LIMA3609", "", "EMIN ETRD SNAR PTER ECON EINV PGOV PE", 10),  # partial extract with no subject line
    ("09CAIRO326", "SENATOR LIEBERMAN’S FEBRUARY 17 MEETING WITH GAMAL MUBARAK", "PREL KPAL ECON IR SY IZ EG IS QA",
     8),  # distribution list above the routing
    ("08STATE86156", "TFGG01: GEORGIA TASK FORCE SITUATION REPORT NO. 7",
     "AEMR ASEC CASC KFLO MARR PREL PINR AMGT GG", 23),  # whole body on one line: paragraphs split again
    ("10TRIPOLI58", "EUROPEAN DCM'S ON LIBYA ISSUES", "PREL PINR PGOV CVIS XG SZ LY",
     6),  # headings framed by dashes with blank lines between
    ("09CAIRO1802", "EGYPT: COUNTRY TEAM ASSESSMENT FOR THE PRICING AND AVAILABILITY REQUEST FOR 161 NVG SETS FOR "
     "THE EGYPTIAN AIR FORCE F-16 FLEET INCLUDING MODIFICATION OF 137 F-16 AIRCRAFT TO NVG-COMPATIBILITY IN SUPPORT "
     "OF THE GOVERNMENT OF EGYPT NATIONAL DEFENSE MISSION", "TBIO KFLU KSTH PGOV EAGR CASC PREL EAID EG",
     14),  # subject on the line after "SUBJECT:", REF run onto it
]


@pytest.mark.parametrize(("reference_id", "subject", "tags", "paragraphs"), SAMPLE, ids=[s[0] for s in SAMPLE])
def test_sampled_pages_have_the_subject_tags_and_paragraphs_read_off_the_page(reference_id, subject, tags,
                                                                              paragraphs):
    cable = page(reference_id)
    assert cable.subject == subject
    assert cable.tags == tuple(tags.split())
    assert len(cable.paragraphs) == paragraphs


def test_the_moscow_response_cites_the_havana_moscow_tasking_and_has_its_tags_from_the_eo_line():
    cable = page("09MOSCOW1730")
    assert cable.references == (Reference("", "STATE 40419", "09STATE40419"),)  # "REF: STATE 40419", no SUBJECT
    assert cable.subject == ""
    assert cable.tags == ("PINR", "PREL", "PGOV", "CU", "RS")  # "E.O. 12958: DECL: 06/29/2034 TAGS: PINR ..."
    assert cable.classified_by == "Acting Political M/C David Kostelancik"
    assert cable.signature == "BEYRLE"


def test_the_havana_moscow_tasking_asks_questions_a_to_f():
    cable = page("09STATE40419")
    assert [p.number for p in cable.paragraphs] == ["1", "A", "B", "C", "D", "E", "F", "2"]
    assert cable.collection_references == ("C-AL9-00784",)
    assert cable.paragraphs[1].text.startswith("FOR HAVANA:")


def test_the_five_named_damaged_pages_flag_no_ordinary_text_as_damaged():
    for reference_id in ("09MADRID604", "05ISTANBUL329", "07SAOPAULO601", "07MANAMA982", "09RABAT408"):
        assert not any(p.damaged for p in page(reference_id).paragraphs), reference_id


def test_cyrillic_redactions_are_kept_as_written():
    cable = page("05ISTANBUL329")
    assert any("ХХХХХХХХХХХХ" in p.text for p in cable.paragraphs)


def test_no_page_is_flagged_damaged():
    assert [p.stem for p in sorted(PAGES.glob("*.html"))
            if any(par.damaged for par in page(p.stem).paragraphs)] == []


# ----------------------------------------------------------------------------- the CSV dump


@pytest.fixture(scope="module")
def dump_rows():
    with DUMP_SAMPLE.open(newline="", encoding="utf-8") as stream:
        return list(iter_dump_rows(stream))


def test_all_twelve_dump_rows_are_read_with_the_row_and_line_they_start_on(dump_rows):
    assert [location for location, _, _ in dump_rows][:3] == ["row 1 (line 1)", "row 2 (line 116)", "row 3 (line 157)"]
    assert [rejection for _, _, rejection in dump_rows] == [None] * 12
    cables = [cable for _, cable, _ in dump_rows]
    assert [c.reference_id for c in cables] == [
        "66BUENOSAIRES2481", "72TEHRAN1164", "72TEHRAN1381", "72TEHRAN4789", "72TEHRAN5055", "73TEHRAN2077",
        "73TEHRAN7005", "73TEHRAN8233", "75TEHRAN2069", "7575LIBREVILLE1895", "78TEHRAN389", "78KABUL3619"]
    assert {c.form for c in cables} == {"csv"}


def test_a_dump_row_has_its_identity_from_the_columns_and_its_fields_from_the_text(dump_rows):
    first = dump_rows[0][1]
    assert first.created == datetime(1966, 12, 28, 18, 48, tzinfo=UTC)
    assert (first.classification, first.origin) == ("UNCLASSIFIED", "Embassy Buenos Aires")
    assert (first.dtg, first.sender, first.to) == ("281848Z DEC 66", "AMEMBASSY BUENOS AIRES", ("SECSTATE WASHDC",))
    assert first.tags == ("EFIS", "PBTS", "AR")
    assert first.subject == "EXTENDED NATIONAL JURISDICTIONS OVER HIGH SEAS"
    assert [p.number for p in first.paragraphs] == [str(n) for n in range(1, 9)]
    assert first.signature == "SACCIO"


def test_escaped_quotes_and_crlf_line_ends_come_out_as_plain_text(dump_rows):
    first = dump_rows[0][1]
    assert '"PREFERENTIAL JURISDICTION"' in first.body
    assert "\\" not in first.body and "\r" not in first.body


def test_refs_in_the_text_and_in_the_references_column_are_listed_once(dump_rows):
    cable = dump_rows[1][1]  # REF: TEHRAN 1091: TEHRAN 263: MOSCOW 1603; column 72MOSCOW1603|72TEHRAN1091|72TEHRAN263
    assert [r.reference_id for r in cable.references] == ["72TEHRAN1091", "72TEHRAN263", "72MOSCOW1603"]
    assert dump_rows[0][1].references[0] == Reference("", "STATE 106206 CIRCULAR", "66STATE106206")


def test_the_references_column_adds_the_cables_the_text_does_not_cite():
    with DUMP_SAMPLE.open(newline="", encoding="utf-8") as stream:
        row = next(csv.reader(stream, escapechar="\\"))
    row[5] = "66STATE106206|66STATE99999"
    cable = parse_dump_row(row)
    assert [r.reference_id for r in cable.references] == ["66STATE106206", None, "66STATE99999"]
    assert cable.references[-1] == Reference("", "66STATE99999", "66STATE99999")


def test_broken_dump_rows_are_rejected_by_row_and_line_and_the_good_rows_kept(tmp_path):
    good = DUMP_SAMPLE.read_bytes().split(b'\r\n"2",')[0]  # the first row, with its CRLF line ends
    broken = tmp_path / "broken.csv"
    broken.write_bytes(
        good + b"\r\n"
        + b'"13","12/28/1966 18:48","66STATE1"\r\n'
        + b'"14","sometime in 1966","66ROME1","Embassy Rome","UNCLASSIFIED","","R 281848Z DEC 66",'
          b'"UNCLAS ROME 1\r\n\r\n1. Text.\r\n"\r\n'
        + good.replace(b'"1","12/28/1966', b'"15","12/28/1966', 1) + b"\r\n"
    )
    with broken.open(newline="", encoding="utf-8") as stream:
        rows = list(iter_dump_rows(stream))
    assert [(location, bool(cable), rejection and rejection.location) for location, cable, rejection in rows] == [
        ("row 1 (line 1)", True, None),
        ("row 2 (line 116)", False, "row 2 (line 116)"),
        ("row 3 (line 117)", False, "row 3 (line 117)"),
        ("row 4 (line 121)", True, None),
    ]
    assert "expected 8 columns" in rows[1][2].reason and "found 3" in rows[1][2].reason
    assert "sometime in 1966" in rows[2][2].reason
    assert rows[3][1].reference_id == "66BUENOSAIRES2481"


def test_rows_longer_than_a_block_of_lines_keep_their_raw_text_and_start_lines(tmp_path):
    """The csv reader is fed lines a block at a time: a row across blocks, or many rows in one, still comes
    out with exactly its own text and the line it starts on."""
    good = DUMP_SAMPLE.read_bytes().split(b'\r\n"2",')[0].decode()  # the first row, 115 lines
    long_text = "\r\n".join(f"{n}. (U) A LINE OF TEXT THAT RUNS ON." for n in range(1, 9000))  # ~300 KB
    long = good.replace("1. ", long_text + "\r\n\r\n1. ", 1)
    rows = [good, long, good.replace('"1","12/28/1966', '"3","12/28/1966', 1)]
    path = tmp_path / "long.csv"
    path.write_bytes("\r\n".join(rows).encode() + b"\r\n")
    with path.open(newline="", encoding="utf-8") as stream:
        read = list(read_dump_rows(stream))
    assert len(long) > 4 * _RowLines.BLOCK
    assert [raw for _, raw, _, _ in read] == [row + "\r\n" for row in rows]
    starts = [1, 1 + good.count("\n") + 1, 1 + good.count("\n") + 1 + long.count("\n") + 1]
    assert [location for location, *_ in read] == [f"row {n} (line {line})" for n, line in zip((1, 2, 3), starts)]
    assert [rejection for *_, rejection in read] == [None, None, None]


# ----------------------------------------------------------------------------- telling the forms apart


def test_each_form_is_recognised():
    pytest.importorskip("cables.flattened")  # written alongside; detect_form needs it
    from cables.sources import detect_form

    assert detect_form((PAGES / "09STATE6423.html").read_text(encoding="utf-8")) == "viewer-html"
    assert detect_form(TEXT_PAGE_SEED.read_text(encoding="utf-8")) == "viewer-text"
    assert detect_form(FLATTENED_SEED.read_text(encoding="utf-8")) == "flattened"
    assert detect_form(DUMP_SAMPLE.read_text(encoding="utf-8")) == "csv"
    assert detect_form("P 031530Z MAR 09\nFM AMEMBASSY MOSCOW\n") == "raw"


def test_paragraph_numbers_never_repeat_within_a_cable_and_restarted_sections_are_qualified():
    pages = sorted(PAGES.glob("*.html"))
    assert len(pages) == 285
    for page in pages:
        numbers = [p.number for p in parse_viewer_html(page.read_text(errors="replace")).paragraphs if p.number]
        assert len(numbers) == len(set(numbers)), page.name
    directive = parse_viewer_html((PAGES / "09STATE80163.html").read_text(errors="replace"))
    numbers = [p.number for p in directive.paragraphs if p.number]
    # the letters start again under 2 and 3, so every lettered section is numbered by its paragraph
    assert numbers[:9] == ["1", "1.A", "1.B", "1.C", "2", "2.A", "2.B", "3", "3.A"]
    assert {"3.A.1", "3.D", "3.H.4"} <= set(numbers) and "D" not in numbers


def test_a_dump_row_without_its_refid_is_rejected_naming_the_column_not_given_an_id_from_its_text(tmp_path):
    dump = tmp_path / "noref.csv"
    dump.write_bytes(b'"3","3/2/2010 10:00","","Embassy Paris","UNCLASSIFIED","","R 021000Z MAR 10",'
                     b'"UNCLAS PARIS 000001\r\n\r\nSUBJECT: TEST\r\n\r\n1. (U) Body.\r\n"\r\n')
    with dump.open(newline="", encoding="utf-8") as stream:
        [(location, cable, rejection)] = list(iter_dump_rows(stream))
    assert cable is None and location == "row 1 (line 1)"
    assert "the refid column is empty" in rejection.reason
