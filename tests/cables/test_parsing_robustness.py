"""What the parser refuses, cuts or still reads in input no real cable holds: dates no cable can have, reference IDs
and fields longer than the store's columns, and long runs of text that once took time growing as the square of
their length."""
import base64
import json
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from cables import parsing
from cables.flattened import parse_flattened
from cables.models import Cable, Paragraph, Tag
from cables.parsing import ParsedCable, ParseError, parse_cable_text
from cables.sources import parse_dump_row, parse_viewer_html

ROOT = Path(__file__).parents[2]
DATA = ROOT / "tests" / "data"
PAGE = DATA / "pages" / "09STATE6423.html"  # created 2009-01-23 21:09, released 2011-03-05 00:12
FLATTENED_SEED = DATA / "seeds" / "000_5bd026dc9220d658.txt"  # the same cable, flattened

HEAD = ("R 231200Z JAN 09\nFM SECSTATE WASHDC\nTO AMEMBASSY MOSCOW\nS E C R E T STATE 006999\n\n"
        "E.O. 12958: DECL: 01/23/2019\nTAGS: PREL, RS\nSUBJECT: TEST\n\n")
TEXT = HEAD + "1. (S) THE MINISTER SAID NO.\n\nCLINTON\n"


def dump_row(date: str = "12/28/2008 18:48", refid: str = "08MOSCOW1002", origin: str = "Embassy Moscow",
             content: str = "CONFIDENTIAL MOSCOW 1002\n\nSUBJECT: TEST\n\n1. (C) THE MINISTER SAID NO.\n\nBEYRLE"
             ) -> list[str]:
    header = "P R 281848Z DEC 08\nFM AMEMBASSY MOSCOW\nTO SECSTATE WASHDC PRIORITY"
    return ["2", date, refid, origin, "CONFIDENTIAL", "", header, content]


def page_with(old: str, new: str) -> str:
    text = PAGE.read_text(encoding="utf-8")
    assert old in text
    return text.replace(old, new, 1)


def raw_with_dtg(dtg: str) -> str:
    return TEXT.replace("231200Z JAN 09", dtg)


def cable(**fields) -> ParsedCable:
    return ParsedCable(**{"reference_id": "09STATE6423", "created": None, "released": None,
                          "classification": "SECRET", "origin": "Secretary of State", "form": "raw", **fields})


# ----------------------------------------------------------------------------- dates no cable can have

@pytest.mark.parametrize(("date", "reason"), [
    ("12/31/9999 23:59", "created 9999-12-31 23:59 is in the future"),
    ("1/1/2030 00:00", "created 2030-01-01 00:00 is in the future"),
    ("1/1/0001 00:00", "created 0001-01-01 00:00 is before 1900"),
])
def test_a_dump_row_dated_in_the_future_or_before_1900_is_refused_naming_the_field(date, reason):
    with pytest.raises(ParseError, match=f"^08MOSCOW1002: {reason}"):
        parse_dump_row(dump_row(date=date))


def test_a_cable_may_be_dated_today_but_not_days_ahead():
    today, ahead = datetime.now(UTC), datetime.now(UTC) + timedelta(days=3)
    assert parse_dump_row(dump_row(date=f"{today:%m/%d/%Y %H:%M}")).created.date() == today.date()
    with pytest.raises(ParseError, match="is in the future"):
        parse_dump_row(dump_row(date=f"{ahead:%m/%d/%Y %H:%M}"))


@pytest.mark.parametrize(("old", "new", "reason"), [
    ("2009-01-23 21:09", "2099-01-23 21:09", "created 2099-01-23 21:09 is in the future"),
    ("2009-01-23 21:09", "0001-01-01 00:00", "created 0001-01-01 00:00 is before 1900"),
])
def test_a_viewer_page_with_an_impossible_date_is_refused_naming_the_field(old, new, reason):
    with pytest.raises(ParseError, match=f"^09STATE6423: {reason}"):
        parse_viewer_html(page_with(old, new))


@pytest.mark.parametrize(("new", "note"), [
    ("2099-03-05 00:12", "released 2099-03-05 00:12 dropped: it is in the future"),
    ("1899-12-30 00:00", "released 1899-12-30 00:00 dropped: it is before 1900"),
    ("1970-01-01 00:00", "released 1970-01-01 00:00 dropped: it is before created 2009-01-23 21:09"),
])
def test_a_release_stamp_no_cable_can_have_is_dropped_with_a_note_and_the_cable_kept(new, note):
    """The release is the publisher's stamp, not the cable's: a wrong one costs the stamp, not the cable."""
    cable = parse_viewer_html(page_with("2011-03-05 00:12", new))
    assert (cable.reference_id, cable.released, cable.notes) == ("09STATE6423", None, (note,))
    assert len(cable.paragraphs) > 20


def test_a_release_stamp_of_the_day_of_creation_without_its_time_is_kept():
    cable = parse_viewer_html(page_with("2011-03-05 00:12", "2009-01-23 00:00"))
    assert (cable.released, cable.notes) == (datetime(2009, 1, 23, tzinfo=UTC), ())


def test_a_flattened_page_with_an_impossible_date_is_refused_too():
    text = FLATTENED_SEED.read_text().replace("09state6423 20090123 2109", "09state6423 20990123 2109", 1)
    with pytest.raises(ParseError, match="created 2099-01-23 21:09 is in the future"):
        parse_flattened(text)


def test_a_two_digit_year_still_to_come_is_of_the_century_before():
    next_year = (datetime.now(UTC).year + 1) % 100
    assert parse_cable_text(raw_with_dtg("231200Z JAN 55")).created == datetime(1955, 1, 23, 12, 0, tzinfo=UTC)
    assert parse_cable_text(raw_with_dtg("231200Z JAN 55")).reference_id == "55STATE6999"
    assert parse_cable_text(raw_with_dtg(f"231200Z JAN {next_year:02d}")).created.year == 1900 + next_year
    assert parse_cable_text(raw_with_dtg("231200Z JAN 09")).created.year == 2009


@pytest.mark.parametrize(("dtg", "reason"), [
    ("231200Z JAN 9999", "created 9999-01-23 12:00 is in the future"),
    ("231200Z JAN 0001", "created 0001-01-23 12:00 is before 1900"),  # four digits are the year as written
])
def test_a_date_time_group_of_an_impossible_year_is_refused(dtg, reason):
    with pytest.raises(ParseError, match=reason):
        parse_cable_text(raw_with_dtg(dtg))


@pytest.mark.parametrize("dtg", ["301200Z FEB 09", "239900Z JAN 09"])
def test_a_date_time_group_that_is_no_date_is_named_as_the_reason(dtg):
    with pytest.raises(ParseError, match=f"its date-time group '{dtg}' is no real date and time"):
        parse_cable_text(raw_with_dtg(dtg))


# ----------------------------------------------------------------------------- the store's columns

def test_the_lengths_the_parser_fits_are_the_store_columns():
    assert parsing.REFERENCE_ID_LENGTH == Cable._meta.get_field("reference_id").max_length
    assert parsing.CUT_LENGTHS == {name: Cable._meta.get_field(name).max_length for name in parsing.CUT_LENGTHS}
    assert parsing.TAG_LENGTH == Tag._meta.get_field("name").max_length
    assert (parsing.NUMBER_LENGTH, parsing.MARKING_LENGTH, parsing.HEADING_LENGTH) == tuple(
        Paragraph._meta.get_field(name).max_length for name in ("number", "marking", "heading"))


def test_a_reference_id_longer_than_its_column_is_refused_in_every_form():
    with pytest.raises(ParseError, match=r"^reference ID 09STATESTATE\w*\.\.\. is 106 characters long"):
        parse_viewer_html(page_with(">09STATE6423<", ">09" + "STATE" * 20 + "6423<"))
    with pytest.raises(ParseError, match="is 62 characters long"):
        parse_dump_row(dump_row(refid="0" * 60 + "A1"))
    with pytest.raises(ParseError, match="is 46 characters long"):
        parse_flattened(FLATTENED_SEED.read_text().replace("origin 09state6423", "origin 09" + "state" * 8 + "6423"))
    longest = "09" + "X" * 37 + "1"
    assert parse_dump_row(dump_row(refid=longest)).reference_id == longest


def test_free_text_longer_than_its_column_is_cut():
    assert parse_dump_row(dump_row(origin="Embassy " + "Moscow " * 40)).origin == ("Embassy " + "Moscow " * 40)[:120]
    long = cable(sender="AMEMBASSY " + "X" * 300, classified_by="Y" * 400, tags=("PREL", "T" * 20, "T" * 21))
    assert (len(long.sender), len(long.classified_by), long.tags) == (200, 300, ("PREL", "T" * 16))


def test_a_word_too_long_for_a_name_is_no_signature():
    parsed = parse_cable_text(HEAD + "1. (S) THE MINISTER SAID NO. END COMMENT. " + "ZYXWVUTSRQ" * 13 + "\n")
    assert parsed.signature == ""
    assert parsed.paragraphs[-1].text.endswith("ZYXWVUTSRQ" * 13)


def test_a_paragraph_number_too_long_for_its_column_is_left_unnumbered_with_its_text():
    parsed = cable(paragraphs=(parsing.Paragraph("123.A.123(10)", "S", "", "TEXT"),
                               parsing.Paragraph("2", "S", "H" * 400, "MORE")))
    assert [(p.number, p.text, len(p.heading)) for p in parsed.paragraphs] == [(None, "TEXT", 0), ("2", "MORE", 300)]


def test_a_marking_too_long_for_its_column_loses_its_repeated_caveats_or_is_refused():
    parsed = parse_cable_text(HEAD + "1. (S/NF/NF/NF/NF/NF/NF) THE MINISTER SAID NO.\n")
    assert parsed.paragraphs[0].marking == "S//NF"
    with pytest.raises(ParseError, match="paragraph 1 is marked 'S//NF//OC//REL//FOUO//ABCDEFGH'"):
        cable(paragraphs=(parsing.Paragraph("1", "S//NF//OC//REL//FOUO//ABCDEFGH", "", "TEXT"),))


# ----------------------------------------------------------------------------- work that grew as the square

CHILD = """
import json, sys
from cables.sources import parse_document
cable = parse_document(sys.stdin.read())
print(json.dumps({"paragraphs": [[p.number, p.damaged] for p in cable.paragraphs], "signature": cable.signature}))
"""


def parse_in_child(text: str) -> dict:
    """Parse `text` in a fresh Python that must finish within 30 seconds: without pytest-timeout, a parse that
    hangs fails the test instead of the suite. Each input here took several minutes before, a second or less now."""
    done = subprocess.run([sys.executable, "-c", CHILD], input=text, cwd=ROOT, capture_output=True, text=True,
                          timeout=30, check=True)
    return json.loads(done.stdout)


def test_a_long_base64_attachment_on_one_line_is_read_as_damage_in_bounded_time():
    blob = base64.b64encode(bytes(range(256)) * 700).decode()  # 240 KB: 24 s at 60 KB before, 16 times that here
    parsed = parse_in_child(HEAD + f"1. (S) ATTACHMENT FOLLOWS.\n\n{blob}\n\n2. (S) END OF ATTACHMENT.\n\nCLINTON\n")
    assert parsed == {"paragraphs": [["1", False], [None, True], ["2", False]], "signature": "CLINTON"}


def test_a_long_run_without_spaces_ending_the_cable_is_read_in_bounded_time():
    run = ("QWERTYUIOPASDFGHJKLZXCVBNM0123456789+/" * 4300)[:160_000]  # 27 s at 40 KB before
    parsed = parse_in_child(HEAD + "1. (S) THE TEXT ENDS IN A RUN WITHOUT SPACES.\n\n" + run + "\n")
    assert parsed == {"paragraphs": [["1", False]], "signature": ""}


def test_a_paragraph_number_repeated_80000_times_is_counted_in_bounded_time():
    parsed = parse_in_child(HEAD + "1. (S) X\n" * 80_000)  # 38 s at 20,000 before
    numbers = [number for number, _ in parsed["paragraphs"]]
    assert numbers[:3] == ["1", "1(2)", "1(3)"] and numbers[-1] == "1(80000)"
    assert len(set(numbers)) == 80_000
