"""The flattened viewer page: the real seed (09STATE6423), small flattened cables, and form detection."""
from datetime import UTC, datetime
from pathlib import Path

import pytest

from cables.flattened import looks_flattened, parse_flattened
from cables.parsing import ParseError, Reference

SEEDS = Path(__file__).parent.parent / "data" / "seeds"
FLATTENED_SEED = SEEDS / "000_5bd026dc9220d658.txt"
TEXT_PAGE_SEED = SEEDS / "004_96991c4b2cbe5eac.txt"
HTML_PAGE = Path(__file__).parent.parent / "data" / "pages" / "09STATE6423.html"

SEED_NUMBERS = ["1", "A", "A.1", "A.2", "A.3", "A.4", "B", *(f"B.{n}" for n in range(1, 10)),
                "C", *(f"C.{n}" for n in range(1, 8)), "2"]
NAVIGATION = ("cable viewer currently released so far 821 251287 articles browse by origin embassy asuncion "
              "secretary of state browse by classification confidential secret unclassified understanding "
              "cables every cable message consists of three parts hash containing the reference id eg ")


def flattened_page(identity: str, cable: str) -> str:
    """A flattened page around a cable: site navigation, the identity header and values, the cable."""
    return f"{NAVIGATION}reference id created released classification origin {identity} {cable}"


@pytest.fixture(scope="module")
def seed():
    return parse_flattened(FLATTENED_SEED.read_text())


@pytest.fixture(scope="module")
def paragraphs(seed):
    return {p.number: p for p in seed.paragraphs}


def test_flattened_seed_reads_the_identity_table(seed):
    assert seed.reference_id == "09STATE6423"
    assert seed.created == datetime(2009, 1, 23, 21, 9, tzinfo=UTC)
    assert seed.released == datetime(2010, 12, 1, 21, 9, tzinfo=UTC)
    assert seed.classification == "SECRET//NOFORN"
    assert seed.origin == "Secretary of State"
    assert seed.form == "flattened"


def test_flattened_seed_splits_the_to_list_at_post_words_and_collectives(seed):
    assert seed.dtg == "232151Z JAN 09"
    assert seed.sender == "SECSTATE WASHDC"
    assert len(seed.to) == 27
    assert seed.to[0] == "IRAN COLLECTIVE"
    assert seed.to[-2:] == ("AMCONSUL MONTERREY", "USINT HAVANA")
    for addressee in ("AMEMBASSY ASUNCION", "AMEMBASSY BUENOS AIRES", "AMEMBASSY PAZ", "AMEMBASSY PORT OF SPAIN"):
        assert addressee in seed.to
    assert seed.info == ()


def test_flattened_seed_reads_tags_subject_and_the_cal_number(seed):
    assert seed.tags == tuple("PINR ETRD MARR PREL PTER SNAR AR BH BL BR CI CO CS CU DR EC GT HO MX NU PA PE PM UY VE"
                              .split())
    assert seed.subject == "IRANIAN OUTREACH TO LATIN AMERICA CAL802836"
    assert seed.collection_references == ("C-AL8-02836",)
    assert seed.references == ()
    assert seed.classified_by == "SUZANNE MCCORMICK DIR INRI"
    assert seed.classification_reason == "1.4(C)"


def test_flattened_seed_numbers_sections_and_their_questions_in_order(seed):
    assert [p.number for p in seed.paragraphs] == SEED_NUMBERS


def test_flattened_page_keeps_section_a_without_its_letter(paragraphs):
    assert paragraphs["A"].marking == "U"
    assert paragraphs["A"].text == "for iran watchers and the iran regional presence office irpo"
    assert paragraphs["1"].text.endswith("during the course of your normal meetingsbusiness activities")
    assert paragraphs["A.1"].text.startswith("beyond irans overt policy")


def test_flattened_seed_sections_open_with_who_they_are_for(paragraphs):
    assert paragraphs["A"].text.startswith("for iran watchers")
    assert paragraphs["B"].text.startswith("for iran watchers")
    assert paragraphs["C"].text == "for latin american posts"


def test_flattened_seed_marks_each_paragraph(paragraphs):
    assert paragraphs["C.5"].marking == "C//NF"
    assert {paragraphs[n].marking for n in ("A", "B", "C", "2")} == {"U"}
    questions = [n for n in SEED_NUMBERS if "." in n and n != "C.5"] + ["1"]
    assert {paragraphs[n].marking for n in questions} == {"S//NF"}


def test_paragraph_texts_leave_out_their_number_and_marking(seed, paragraphs):
    for paragraph in seed.paragraphs:
        first = paragraph.text.split()[0]
        assert first not in {"u", "c", "s", "snf", "cnf"} and not first.isdigit(), paragraph.number
    assert paragraphs["2"].text.startswith("please cite cal802836 in the subject line")
    assert paragraphs["C.5"].text.startswith("what is the size of the shia muslim community")


def test_numbers_inside_sentences_do_not_open_paragraphs(paragraphs):
    assert "in 16 countries of the region and has embassies in 10 countries" in paragraphs["1"].text


def test_signature_is_taken_off_the_last_paragraph(seed, paragraphs):
    assert seed.signature == "CLINTON"
    assert paragraphs["2"].text.endswith("in response to the above questions")


def test_header_and_body_keep_the_flattened_words(seed):
    assert seed.header.startswith("r 232151z jan 09 fm secstate washdc to iran collective")
    assert seed.header.endswith("classified by suzanne mccormick dir inri reason 14c")
    assert seed.body.startswith("1 snf washington analysts assess")
    assert seed.body.endswith("above questions clinton")


UNCLASSIFIED_CABLE = (
    "r 051423z mar 09 fm amembassy asuncion to ruehcsecstate washdc 1007 info ruehbuamembassy buenos aires 0456 "
    "unclas asuncion 000123 sipdis eo 12958 na tags prel pgov pa ir subject iranian visitors in paraguay "
    "ref state 6423 1 summary iranian diplomats visited asuncion twice this year and met officials in 2 cities "
    "end summary 2 the mfa told us no agreement was signed on june 3 3 post will follow up with the mfa ayalde"
)


def test_unclassified_cable_with_bare_numbers_splits_only_at_the_next_number():
    cable = parse_flattened(flattened_page("09asuncion123 20090305 1423 20110830 0100 unclassified embassy asuncion",
                                           UNCLASSIFIED_CABLE))
    assert (cable.reference_id, cable.classification, cable.origin) == ("09ASUNCION123", "UNCLASSIFIED",
                                                                        "Embassy Asuncion")
    assert [p.number for p in cable.paragraphs] == ["1", "2", "3"]
    assert {p.marking for p in cable.paragraphs} == {""}
    assert cable.paragraphs[0].text.endswith("met officials in 2 cities end summary")
    assert cable.paragraphs[1].text == "the mfa told us no agreement was signed on june 3"
    assert cable.signature == "AYALDE"


def test_unclassified_cable_reads_routed_addressees_tags_and_ref():
    cable = parse_flattened(flattened_page("09asuncion123 20090305 1423 20110830 0100 unclassified embassy asuncion",
                                           UNCLASSIFIED_CABLE))
    assert cable.sender == "AMEMBASSY ASUNCION"
    assert cable.to == ("SECSTATE WASHDC",)
    assert cable.info == ("AMEMBASSY BUENOS AIRES",)
    assert cable.tags == ("PREL", "PGOV", "PA", "IR")
    assert cable.subject == "IRANIAN VISITORS IN PARAGUAY"
    assert cable.references == (Reference("", "STATE 6423", "09STATE6423"),)


def test_lettered_references_get_back_their_dropped_label_a():
    cable = parse_flattened(flattened_page(
        "09rabat408 20090515 1212 20101220 2109 secret embassy rabat",
        "p 151235z may 09 fm amembassy rabat to secstate washdc s c r t rabat 000408 tags pinr mo "
        "subject prisons ref state 6210 b 08 rabat 569 classified by charge daffaires for reasons 14 b and d "
        "1 s summary this cable responds to ref jackson"))
    assert [(r.label, r.reference_id) for r in cable.references] == [("A", "09STATE6210"), ("B", "08RABAT569")]
    assert cable.classified_by == "CHARGE DAFFAIRES"
    assert cable.classification_reason == "1.4 (B) AND (D)"


def test_a_dropped_section_e_is_found_from_its_marking():
    cable = parse_flattened(flattened_page(
        "09state40419 20090422 2109 20110206 0012 secretnoforn secretary of state",
        "r 222110z apr 09 fm secstate washdc to amembassy moscow usint havana s c r t state 040419 noforn "
        "tags pinr cu rs subject u cubarussia relationship cal900784 "
        "1 snf analysts would read with interest what post could provide snf for havana are there skeptics "
        "b snf for havana what programs c snf for moscow how is raul seen d snf for moscow which relationship "
        "snf for havana and moscow what frustrations f snf for havana and moscow how far 2 u please cite "
        "cal900784 clinton"))
    assert [(p.number, p.marking) for p in cable.paragraphs] == [
        ("1", "S//NF"), ("A", "S//NF"), ("B", "S//NF"), ("C", "S//NF"), ("D", "S//NF"), ("E", "S//NF"),
        ("F", "S//NF"), ("2", "U")]
    assert cable.paragraphs[5].text == "for havana and moscow what frustrations"
    assert cable.collection_references == ("C-AL9-00784",)


def test_origin_gets_back_a_word_the_flattener_dropped():
    cable = parse_flattened(flattened_page("08lapaz751 20080401 1200 20110301 0000 confidential embassy paz",
                                           "r 011200z apr 08 fm amembassy paz to secstate washdc c o n f i d n t i l "
                                           "paz 000751 tags pgov bl subject test 1 c text morales"))
    assert cable.origin == "Embassy La Paz"
    assert cable.classification == "CONFIDENTIAL"


def test_text_with_no_cable_is_rejected():
    with pytest.raises(ParseError, match="reference id created released classification origin"):
        parse_flattened(NAVIGATION + "browse by tag pgov prel")


def test_identity_header_without_a_reference_id_is_rejected():
    with pytest.raises(ParseError, match="no reference ID"):
        parse_flattened(NAVIGATION + "reference id created released classification origin browse latest releases")


def test_looks_flattened_tells_the_flattened_page_from_other_forms():
    assert looks_flattened(FLATTENED_SEED.read_text())
    assert not looks_flattened(TEXT_PAGE_SEED.read_text())
    assert not looks_flattened(HTML_PAGE.read_text(encoding="utf-8", errors="replace"))
    assert not looks_flattened("R 051423Z MAR 09\nFM AMEMBASSY ASUNCION\nTO SECSTATE WASHDC\n1. (C) Text.")


def test_a_page_mark_in_the_pages_title_before_the_identity_table_moves_nothing():
    """The title "viewing cable 09asuncion123 ..." can hold a page mark ("asuncion 00000123 0012 of 002");
    dropping it must not shift where the identity's origin and the header are read."""
    page = flattened_page("09asuncion123 20090305 1423 20110830 0100 unclassified embassy asuncion",
                          UNCLASSIFIED_CABLE).replace(
        "reference id created", "viewing cable 09asuncion123 asuncion 00000123 0012 of 002 reference id created")
    cable = parse_flattened(page)
    assert (cable.reference_id, cable.origin, cable.sender) == ("09ASUNCION123", "Embassy Asuncion",
                                                                "AMEMBASSY ASUNCION")
    assert cable.header.startswith("r 051423z mar 09 fm amembassy asuncion")
    assert cable.dtg == "051423Z MAR 09"
    assert [p.number for p in cable.paragraphs] == ["1", "2", "3"]
