"""parse_cable_text on paragraph numbers set apart from their markings, quoted texts and the items inside them,
sub-paragraphs ("1.A.", "2(a)", "PARA 3."), REF lines (a DTG after the serial, bare serials, a cited cable
of the year before), CAL numbers with a space before the serial, and the origin of a cable without a sender.
Pure: runs without Django (-p no:django)."""
from pathlib import Path

import pytest

from cables.parsing import collection_references, parse_cable_text, resolve_reference
from cables.sources import parse_viewer_html

PAGES = Path(__file__).parents[1] / "data" / "pages"


@pytest.fixture(autouse=True)
def _media_root():
    """These tests touch no files and no settings: stand in for the project's Django-settings fixture."""


def minimal_cable(body: str, header: str = "SUBJECT: TEST", dtg: str = "051200Z JAN 09") -> str:
    """A cable from Embassy Rome around `body`: routing, classification line and E.O., then `header` lines."""
    return (
        f"R {dtg}\nFM AMEMBASSY ROME\nTO SECSTATE WASHDC 1234\n\n"
        "C O N F I D E N T I A L ROME 000123\n\nSIPDIS\n\nE.O. 12958: DECL: 01/05/2019\n"
        f"{header}\n\n{body}"
    )


def numbers(body: str) -> list[str | None]:
    return [p.number for p in parse_cable_text(minimal_cable(body)).paragraphs]


@pytest.fixture(scope="module")
def hague():
    """05THEHAGUE484: paragraph 1 numbered "1 (S)", and paragraphs 3-5 each quoting a text, para 4 with
    numbered conditions 1-6 in it."""
    return parse_viewer_html((PAGES / "05THEHAGUE484.html").read_text(encoding="utf-8"))


# ----------------------------------------------------------------------------- a number apart from its marking

def test_a_paragraph_number_without_its_full_stop_before_the_marking_is_the_paragraph(hague):
    first = hague.paragraphs[0]
    assert (first.number, first.marking) == ("1", "S")
    assert first.text.startswith("Over the last two years, Defense and State")


@pytest.mark.parametrize("apart", ["2\n(S) Second.", "2.\n(S) Second.", "2 (S) Second."],
                         ids=["alone-on-its-line", "with-full-stop-alone", "no-full-stop"])
def test_a_number_alone_or_without_full_stop_takes_the_marking_after_it(apart):
    paragraphs = parse_cable_text(minimal_cable(f"1. (C) First.\n\n{apart}\n\n3. (C) Third.")).paragraphs
    assert [(p.number, p.marking, p.text) for p in paragraphs] == [
        ("1", "C", "First."), ("2", "S", "Second."), ("3", "C", "Third.")]


def test_a_number_ending_a_wrapped_line_is_no_paragraph_number():
    body = "1. (C) The meeting was held on March\n3\n(S) sources say, in Rome.\n\n2\n(C) Second."
    paragraphs = parse_cable_text(minimal_cable(body)).paragraphs
    assert [p.number for p in paragraphs] == ["1", "2"]
    assert "March\n3\n(S) sources say" in paragraphs[0].text


# ----------------------------------------------------------------------------- quoted texts

def test_numbered_items_of_a_quoted_text_stay_in_the_quoting_paragraph(hague):
    assert [p.number for p in hague.paragraphs] == ["1", "2", "3", "4", "5"]
    plan = hague.paragraphs[3]
    assert plan.text.startswith("Begin text of Parts Control Plan:")
    assert "\n1. all 14-bit ADCs" in plan.text and "\n6. no objections exist" in plan.text
    assert plan.text.endswith("END TEXT")
    annex = hague.paragraphs[4]
    assert (annex.marking, annex.heading) == ("S", "")  # "END TEXT" closes the quotation; it heads nothing
    assert annex.text.startswith("Begin text of Annex.")


QUOTING = """\
1. (C) The Minister wrote to the Ambassador.

2. (C) Text follows:

1. We agree to meet.

2. We ask for an agenda.

3. We propose May.
"""


def test_a_quotation_without_an_end_runs_to_the_end_of_the_cable():
    paragraphs = parse_cable_text(minimal_cable(QUOTING)).paragraphs
    assert [p.number for p in paragraphs] == ["1", "2"]
    assert paragraphs[1].text.endswith("3. We propose May.")


@pytest.mark.parametrize("begin, end", [
    ("BEGIN TEXT:", "END TEXT."), ("Begin text of letter:", "End text of letter."),
    ("Begin Text of NZ FM Goff statement:", "End text"), ("Begin text.", "-- End Text --"),
    ("(Begin text of diplomatic note)", "(End text of dipnote)"), ("BEGIN QUOTE", "END QUOTE"),
])
def test_the_cables_own_numbering_resumes_after_the_end_of_a_quotation(begin, end):
    body = (f"1. (C) Intro.\n\n2. (C) The letter. {begin}\n\n1. Point one.\n\n2. Point two.\n\n3. Point three.\n\n"
            f"4. Point four.\n\n{end}\n\n3. (C) Comment: the letter is new.\n")
    paragraphs = parse_cable_text(minimal_cable(body)).paragraphs
    assert [p.number for p in paragraphs] == ["1", "2", "3"]
    assert "4. Point four." in paragraphs[1].text
    assert paragraphs[2].text == "Comment: the letter is new."


def test_a_quotation_opened_and_closed_on_one_line_holds_no_paragraph_start():
    body = ("1. (C) Intro.\n\n2. (C) The note. (Begin text) We ask: 1) to meet; 2) to talk.\n3. We thank you."
            " (End text)\n\n3. (C) Comment.\n")
    assert numbers(body) == ["1", "2", "3"]


def test_a_marked_paragraph_of_the_cable_ends_a_quotation_that_has_no_end():
    body = QUOTING + "\n3. (C) Comment: post will reply.\n"
    paragraphs = parse_cable_text(minimal_cable(body)).paragraphs
    assert [p.number for p in paragraphs] == ["1", "2", "3"]
    assert paragraphs[2].text == "Comment: post will reply."


def test_a_quotation_before_a_second_one_ends_at_the_cables_next_paragraph():
    """The end after the second quotation is that one's: the first, unended, stops at the cable's next
    marked paragraph."""
    body = ("1. (C) Text follows:\n\n1. First point.\n\n2. (C) Comment.\n\n3. (U) Begin text:\n\n1. Point.\n\n"
            "2. Point.\n\n3. Point.\n\n4. Point.\n\nEnd text.\n\n4. (C) Last.\n")
    assert numbers(body) == ["1", "2", "3", "4"]


def test_a_text_that_follows_and_then_begins_runs_to_its_end():
    """"Text follows:" has no end of its own; the "BEGIN TEXT" inside it has, and holds even a marked item."""
    body = ("1. (C) Intro.\n\n2. (C) Text follows:\n\nThe Minister wrote:\n\nBEGIN TEXT\n\n1. One.\n\n2. Two.\n\n"
            "3. (S) Three.\n\nEND TEXT\n\n3. (C) Comment.\n")
    paragraphs = parse_cable_text(minimal_cable(body)).paragraphs
    assert [(p.number, p.marking) for p in paragraphs] == [("1", "C"), ("2", "S"), ("3", "C")]


# ----------------------------------------------------------------------------- sub-paragraphs

@pytest.mark.parametrize("first, second", [
    ("2.A. (C)", "2.B. (C)"), ("2.A.", "2.B."), ("2(a)", "2(b)"), ("2(A)", "2(B)"), ("2 (a)", "2 (b)"),
    ("2.a)", "2.b)"), ("2(A) (S)", "2(B) (C)"),
])
def test_sub_paragraphs_numbered_after_their_paragraph_are_paragraphs(first, second):
    body = f"1. (C) Intro.\n\n2. (C) Points:\n\n{first} First sub.\n\n{second} Second sub.\n\n3. (C) Next.\n"
    paragraphs = parse_cable_text(minimal_cable(body)).paragraphs
    assert [p.number for p in paragraphs] == ["1", "2", "2.A", "2.B", "3"]
    assert [p.text for p in paragraphs[2:4]] == ["First sub.", "Second sub."]


def test_a_sub_paragraph_takes_its_own_marking():
    body = "1. (C) Intro.\n\n2. (C) Points:\n\n2.A. (S) First sub.\n\n2.B. Second sub.\n"
    paragraphs = parse_cable_text(minimal_cable(body)).paragraphs
    assert [(p.number, p.marking) for p in paragraphs] == [("1", "C"), ("2", "C"), ("2.A", "S"), ("2.B", "")]


def test_a_paragraph_opening_with_its_first_sub_paragraph_numbers_on():
    body = "1. (C) Intro.\n\n2.A. (C) First sub.\n\n2.B. (C) Second sub.\n\n3. (C) Next.\n"
    assert numbers(body) == ["1", "2.A", "2.B", "3"]


def test_a_reference_to_a_sub_paragraph_wrapped_onto_a_line_start_is_no_paragraph():
    body = ("1. (C) Intro.\n\n2. (C) Under the resolution's paragraph\n2(a) the parties must report.\n\n"
            "2(a) First sub.\n\n3. (C) Next.\n")
    paragraphs = parse_cable_text(minimal_cable(body)).paragraphs
    assert [p.number for p in paragraphs] == ["1", "2", "2.A", "3"]
    assert "paragraph\n2(a) the parties" in paragraphs[1].text


@pytest.mark.parametrize("word", ["PARA", "Para", "PARAGRAPH", "Paragraph"])
def test_a_paragraph_numbered_with_the_word_para_is_that_paragraph(word):
    body = f"{word} 1. (C) Intro.\n\n{word} 2. (C) More.\n\n{word} 3. Last, as in para 2 above.\n"
    paragraphs = parse_cable_text(minimal_cable(body)).paragraphs
    assert [(p.number, p.text) for p in paragraphs] == [
        ("1", "Intro."), ("2", "More."), ("3", "Last, as in para 2 above.")]


def test_a_cross_reference_to_a_paragraph_wrapped_onto_a_line_start_is_no_paragraph():
    body = "PARA 1. (C) The points are listed in\nPARA 2. They concern trade.\n\nPARA 2. (C) Trade.\n"
    paragraphs = parse_cable_text(minimal_cable(body)).paragraphs
    assert [p.number for p in paragraphs] == ["1", "2"]
    assert "listed in\nPARA 2. They concern trade." in paragraphs[0].text


# ----------------------------------------------------------------------------- references

def refs(ref: str, dtg: str = "051200Z JAN 09") -> list[tuple[str, str | None]]:
    cable = parse_cable_text(minimal_cable("1. (C) Text.", header=f"SUBJECT: TEST\nREF: {ref}", dtg=dtg))
    return [(r.label, r.reference_id) for r in cable.references]


def test_a_cited_cables_date_time_group_gives_its_year():
    assert resolve_reference("SECSTATE 006423 232151Z JAN 09", "10") == "09STATE6423"
    assert refs("SECSTATE 006423 232151Z JAN 08") == [("", "08STATE6423")]


def test_bare_serials_after_a_cited_cable_are_cables_of_the_same_post():
    assert refs("STATE 6423, 7777, 8888") == [("", "09STATE6423"), ("", "09STATE7777"), ("", "09STATE8888")]


def test_two_cables_under_one_letter_are_both_cited_and_one_cable_with_other_words_is_one_reference():
    assert refs("A. 09 STATE 6423 AND 09 STATE 7777 B. MOSCOW 12 AND PHONE CALLS") == [
        ("A", "09STATE6423"), ("A", "09STATE7777"), ("B", "09MOSCOW12")]


def test_a_serial_too_high_for_the_citing_cables_date_is_of_the_year_before():
    """A cable of 5 January cannot cite STATE 130000 of its own year: no post sends that many by then."""
    assert refs("STATE 130000; STATE 1300", dtg="051200Z JAN 10") == [("", "09STATE130000"), ("", "10STATE1300")]
    assert refs("STATE 130000", dtg="051200Z DEC 09") == [("", "09STATE130000")]
    assert refs("08 STATE 130000", dtg="051200Z JAN 09") == [("", "08STATE130000")]


# ----------------------------------------------------------------------------- CAL numbers

@pytest.mark.parametrize("typed", ["C-AL8 02836", "C-AL 8 02836", "CAL8 02836"])
def test_a_cal_number_with_a_space_before_its_serial_is_read(typed):
    """Numbers spaced like one, without its letters, are none."""
    text = f"SUBJECT: IRAN IN BOLIVIA ({typed}) IN 2008 12345 PEOPLE AND ROOM C 8 02836"
    assert collection_references(text) == ("C-AL8-02836",)


# ----------------------------------------------------------------------------- origin without a sender

def raw_without_sender(class_line: str) -> str:
    return f"R 051200Z JAN 09\n\n{class_line}\n\nE.O. 12958: N/A\nTAGS: PREL\nSUBJECT: TEST\n\n1. (C) Text.\n"


@pytest.mark.parametrize("class_line, origin", [
    ("C O N F I D E N T I A L MOSCOW 003526", "Embassy Moscow"),
    ("S E C R E T STATE 006423", "Secretary of State"),
    ("C O N F I D E N T I A L SECTION 01 OF 03 THE HAGUE 000484", "Embassy The Hague"),
    ("UNCLAS USUN NEW YORK 000123", "USUN New York"),
])
def test_a_cable_without_a_sender_takes_its_origin_from_its_post(class_line, origin):
    assert parse_cable_text(raw_without_sender(class_line)).origin == origin


def test_a_sender_still_names_the_origin_and_without_one_the_post_does():
    with_sender = minimal_cable("1. (C) Text.").replace("FM AMEMBASSY ROME", "FM AMCONSUL MILAN")
    assert parse_cable_text(with_sender).origin == "Consulate Milan"
    assert parse_cable_text(with_sender.replace("FM AMCONSUL MILAN\n", "")).origin == "Embassy Rome"


def test_a_flattened_cal_number_with_a_space_before_its_serial_is_read():
    from cables.flattened import parse_flattened

    seed = (Path(__file__).parents[1] / "data" / "seeds" / "000_5bd026dc9220d658.txt").read_text(encoding="utf-8")
    assert parse_flattened(seed.replace("cal802836", "cal8 02836")).collection_references == ("C-AL8-02836",)
