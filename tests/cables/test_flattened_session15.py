"""Flattened cables: addressees a mission code or a complete place ends, paragraphs of a cable that marks
none found by their order, lettered sections that restart under each paragraph numbered "2.A"."""
from cables.flattened import parse_flattened

NAVIGATION = "cable viewer currently released so far 821 251287 articles browse by origin embassy manama "


def flattened_page(identity: str, cable: str) -> str:
    return f"{NAVIGATION}reference id created released classification origin {identity} {cable}"


HEAD = ("r 051423z mar 09 fm amembassy manama to {to} unclas manama 000123 sipdis eo 12958 na tags prel ba "
        "subject visit ")
IDENTITY = "09manama123 20090305 1423 20110830 0100 unclassified embassy manama"


def cable(to: str, body: str = "1 the minister met the ambassador ereli"):
    return parse_flattened(flattened_page(IDENTITY, HEAD.format(to=to) + body))


def test_a_mission_code_opens_an_addressee():
    assert cable("amembassy manama usun new york").to == ("AMEMBASSY MANAMA", "USUN NEW YORK")


def test_a_post_whose_place_is_complete_ends_there():
    assert cable("amembassy paris hq usafricom stuttgart ge").to == ("AMEMBASSY PARIS", "HQ USAFRICOM STUTTGART GE")
    assert cable("amembassy paz nsc washdc").to == ("AMEMBASSY PAZ", "NSC WASHDC")  # "la" was dropped


def test_a_country_code_or_city_after_a_place_stays_with_it():
    assert cable("amembassy paris fr nsc washdc").to == ("AMEMBASSY PARIS FR", "NSC WASHDC")
    assert cable("amembassy panama city").to == ("AMEMBASSY PANAMA CITY",)


def test_a_place_that_goes_on_after_a_mission_code_stays_with_it():
    assert cable("usmission usnato brussels be uscincpac honolulu hi usmission usun new york").to == (
        "USMISSION USNATO BRUSSELS BE", "USCINCPAC HONOLULU HI", "USMISSION USUN NEW YORK")
    assert cable("amembassy manama feb lima").to == ("AMEMBASSY MANAMA FEB LIMA",)  # a month opens nothing


def test_a_routing_indicator_is_cut_off_an_agency():
    parsed = parse_flattened(flattened_page(IDENTITY, "r 051423z mar 09 fm amembassy manama to ruehcsecstate washdc "
                                            "info rucnfbfbi washdc rueidndni washington dc unclas manama 000123 "
                                            "tags prel ba subject visit 1 the minister met us ereli"))
    assert parsed.info == ("FBI WASHDC", "DNI WASHINGTON DC")


UNMARKED_BODY = (
    "1 summary the minister of interior met the ambassador on march 2 in manama end summary "
    "2 the ministry has asked for help in late july 3 officials will travel to washington "
    "3 post hosted the delegation in december and it visited the port "
    "4 to demonstrate its resolve the ministry has asked the ministers to attend "
    "5 post will report on the visit on june 6 ereli")


def test_an_unmarked_cable_keeps_its_paragraphs_apart_where_a_number_follows_a_date():
    parsed = cable("secstate washdc", UNMARKED_BODY)
    assert [p.number for p in parsed.paragraphs] == ["1", "2", "3", "4", "5"]
    texts = {p.number: p.text for p in parsed.paragraphs}
    assert texts["2"] == "the ministry has asked for help in late july 3 officials will travel to washington"
    assert texts["4"].startswith("to demonstrate its resolve")
    assert texts["5"] == "post will report on the visit on june 6"  # a date at the end opens nothing


def test_lettered_sections_that_restart_under_each_paragraph_are_numbered_after_it():
    parsed = parse_flattened(flattened_page(
        "09state80163 20090801 1200 20101201 2100 secretnoforn secretary of state",
        "r 011200z aug 09 fm secstate washdc to amembassy manama s c r t state 080163 noforn tags pinr ba "
        "subject needs 1 snf analysts ask u for rome b u for paris c u for berlin "
        "2 snf more needs u for oslo b u for bern 3 u please cite it clinton"))
    assert [p.number for p in parsed.paragraphs] == ["1", "1.A", "1.B", "1.C", "2", "2.A", "2.B", "3"]
