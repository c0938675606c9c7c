"""tracker.posts on the ways cables write a post and on real TO lists: keys, display names, and which
addressees an audience line names. Pure: runs without a database."""
import pytest

from cables.parsing import post_code
from cables.sources import parse_document
from tests.conftest import FLATTENED_SEED, PAGES
from tracker.posts import audience_posts, country_of, post_key, post_name


@pytest.fixture(autouse=True)
def _media_root():
    """These tests touch no files and no settings: stand in for the project's Django-settings fixture."""


def _to(name: str) -> tuple[str, ...]:
    return parse_document((PAGES / name).read_text(encoding="utf-8", errors="replace")).to


@pytest.fixture(scope="module")
def iran_to():
    return _to("09STATE6423.html")


@pytest.fixture(scope="module")
def un_to():
    return _to("09STATE80163.html")


LATIN_AMERICAN = (
    "AMEMBASSY ASUNCION", "AMEMBASSY BELMOPAN", "AMEMBASSY BOGOTA", "AMEMBASSY BRASILIA", "AMEMBASSY BRIDGETOWN",
    "AMEMBASSY BUENOS AIRES", "AMEMBASSY CARACAS", "AMEMBASSY GEORGETOWN", "AMEMBASSY GUATEMALA", "AMEMBASSY LA PAZ",
    "AMEMBASSY LIMA", "AMEMBASSY MANAGUA", "AMEMBASSY MEXICO", "AMEMBASSY MONTEVIDEO", "AMEMBASSY PANAMA",
    "AMEMBASSY PARAMARIBO", "AMEMBASSY PORT AU PRINCE", "AMEMBASSY PORT OF SPAIN", "AMEMBASSY QUITO",
    "AMEMBASSY SAN JOSE", "AMEMBASSY SAN SALVADOR", "AMEMBASSY SANTIAGO", "AMEMBASSY SANTO DOMINGO",
    "AMEMBASSY TEGUCIGALPA", "AMCONSUL MONTERREY", "USINT HAVANA",
)


@pytest.mark.parametrize("written, key", [
    ("AMEMBASSY BUENOS AIRES", "BUENOSAIRES"),
    ("Embassy Buenos Aires", "BUENOSAIRES"),
    ("BUENOSAIRES", "BUENOSAIRES"),
    ("09BUENOSAIRES123", "BUENOSAIRES"),
    ("AMCONSUL SAO PAULO", "SAOPAULO"),
    ("Consulate Sao Paulo", "SAOPAULO"),
    ("07SAOPAULO601", "SAOPAULO"),
    ("USINT HAVANA", "HAVANA"),
    ("US Interests Section Havana", "HAVANA"),
    ("USMISSION USUN NEW YORK", "USUNNEWYORK"),
    ("Mission USUN New York", "USUNNEWYORK"),
    ("USUNNEWYORK", "USUNNEWYORK"),
    ("USMISSION GENEVA", "GENEVA"),
    ("SECSTATE WASHDC", "STATE"),
    ("Secretary of State", "STATE"),
    ("STATE", "STATE"),
    ("09STATE6423", "STATE"),
    ("IRAN COLLECTIVE", "IRANCOLLECTIVE"),
    ("AMEMBASSY PORT AU PRINCE", "PORTAUPRINCE"),
])
def test_every_way_of_writing_a_post_gives_one_key(written, key):
    assert post_key(written) == key


@pytest.mark.parametrize("place", ["BUENOS AIRES", "AMEMBASSY SAO PAULO", "PORT OF SPAIN", "SECSTATE WASHDC"])
def test_the_key_is_the_reference_id_code_the_parser_gives(place):
    assert post_key(place) == post_code(place)


@pytest.mark.parametrize("written, name", [
    ("AMEMBASSY BUENOS AIRES", "Buenos Aires"),
    ("BUENOSAIRES", "Buenos Aires"),
    ("09SAOPAULO601", "Sao Paulo"),
    ("Consulate Sao Paulo", "Sao Paulo"),
    ("USINT HAVANA", "Havana"),
    ("USMISSION USUN NEW YORK", "USUN New York"),
    ("USUNNEWYORK", "USUN New York"),
    ("USMISSION GENEVA", "Geneva"),
    ("IRAN COLLECTIVE", "Iran Collective"),
    ("SECSTATE WASHDC", "Washington"),
    ("Secretary of State", "Washington"),
    ("AMEMBASSY PORT AU PRINCE", "Port au Prince"),
    ("AMEMBASSY THE HAGUE", "The Hague"),
])
def test_a_post_is_shown_by_its_place(written, name):
    assert post_name(written) == name


def test_posts_are_placed_in_their_country_and_bureau():
    assert country_of("AMEMBASSY LA PAZ").name == "BOLIVIA"
    assert country_of("AMEMBASSY PAZ").name == "BOLIVIA"  # the flattened form drops "la"
    assert country_of("USMISSION UNVIE VIENNA").region == "EUR"
    assert country_of("AMEMBASSY OTTAWA").region == "WHA"
    assert country_of("IRAN COLLECTIVE") is None


def test_the_iran_questionnaire_audiences_name_their_addressees(iran_to):
    section_a = "FOR IRAN WATCHERS AND THE IRAN REGIONAL PRESENCE OFFICE (IRPO):"
    assert audience_posts(section_a, iran_to) == ("IRAN COLLECTIVE",)
    assert audience_posts("FOR IRAN WATCHERS, IRPO AND LATIN AMERICAN POSTS:", iran_to) == (
        "IRAN COLLECTIVE", *LATIN_AMERICAN)
    assert audience_posts("FOR LATIN AMERICAN POSTS:", iran_to) == LATIN_AMERICAN
    assert len(LATIN_AMERICAN) == 26


def test_the_flattened_audience_and_to_list_give_the_same_posts():
    to = parse_document(FLATTENED_SEED.read_text(encoding="utf-8", errors="replace")).to
    assert "AMEMBASSY PAZ" in to
    assert len(audience_posts("for latin american posts", to)) == 26
    assert audience_posts("for iran watchers and the iran regional presence office irpo", to) == ("IRAN COLLECTIVE",)


def test_posts_are_named_by_place():
    to = _to("09STATE40419.html")
    assert to == ("AMEMBASSY MOSCOW", "USINT HAVANA")
    assert audience_posts("FOR HAVANA:", to) == ("USINT HAVANA",)
    assert audience_posts("FOR MOSCOW", to) == ("AMEMBASSY MOSCOW",)
    assert audience_posts("FOR HAVANA AND MOSCOW", to) == to
    assert audience_posts("for havana and moscow", to) == to


def test_posts_are_named_by_country_or_by_mission(un_to):
    assert audience_posts("For Embassy Costa Rica:", un_to) == ("AMEMBASSY SAN JOSE",)
    assert audience_posts("For South Africa:", un_to) == ("AMEMBASSY PRETORIA", "AMCONSUL CAPE TOWN")
    assert audience_posts("FOR GENEVA AND NEW YORK:", un_to) == ("USMISSION USUN NEW YORK", "USMISSION GENEVA")


@pytest.mark.parametrize("audience, posts", [
    ("For European posts", ("AMEMBASSY ANKARA", "AMEMBASSY BERLIN", "AMEMBASSY BRUSSELS", "AMEMBASSY LONDON",
                            "AMEMBASSY MOSCOW", "AMEMBASSY PARIS", "AMEMBASSY VIENNA", "AMEMBASSY ZAGREB")),
    ("FOR EU POSTS:", ("AMEMBASSY BERLIN", "AMEMBASSY BRUSSELS", "AMEMBASSY LONDON", "AMEMBASSY PARIS",
                       "AMEMBASSY VIENNA")),
    ("For Middle Eastern posts", ("AMEMBASSY AMMAN", "AMEMBASSY BEIRUT", "AMEMBASSY CAIRO", "AMEMBASSY DAMASCUS",
                                  "AMEMBASSY RIYADH", "AMEMBASSY TEL AVIV", "AMEMBASSY TRIPOLI",
                                  "AMCONSUL JERUSALEM")),
    ("FOR AFRICAN POSTS:", ("AMEMBASSY KAMPALA", "AMEMBASSY OUAGADOUGOU", "AMEMBASSY PRETORIA",
                            "AMCONSUL CAPE TOWN")),
    ("For South Asian posts", ("AMEMBASSY ISLAMABAD", "AMEMBASSY NEW DELHI")),
    ("For East Asian posts", ("AMEMBASSY BEIJING", "AMEMBASSY HANOI", "AMEMBASSY JAKARTA", "AMEMBASSY SEOUL",
                              "AMEMBASSY TOKYO")),
    ("for posts in the Western Hemisphere", ("AMEMBASSY BRASILIA", "AMEMBASSY MEXICO", "AMEMBASSY OTTAWA",
                                             "AMEMBASSY SAN JOSE")),
    ("For Latin American posts", ("AMEMBASSY BRASILIA", "AMEMBASSY MEXICO", "AMEMBASSY SAN JOSE")),
])
def test_regional_audiences_name_the_embassies_and_consulates_in_the_region(un_to, audience, posts):
    assert audience_posts(audience, un_to) == posts


def test_north_african_is_not_read_as_african(un_to):
    assert audience_posts("For North African posts", un_to) == ("AMEMBASSY CAIRO", "AMEMBASSY TRIPOLI")


def test_all_posts_names_every_addressee_and_an_unknown_audience_none(un_to, iran_to):
    assert audience_posts("ALL ADDRESSEES:", un_to) == un_to
    assert audience_posts("for all posts", iran_to) == iran_to
    assert audience_posts("For the record", un_to) == ()
    assert audience_posts("", un_to) == ()


def test_a_post_whose_short_word_the_flattened_form_dropped_keeps_its_key():
    assert post_key("AMEMBASSY PAZ") == post_key("AMEMBASSY LA PAZ") == post_key("08LAPAZ751") == "LAPAZ"
    assert post_name("AMEMBASSY PAZ") == "La Paz"


@pytest.mark.parametrize("audience, posts", [
    ("FOR ALL ADDRESSEES EXCEPT MOSCOW:", ("AMEMBASSY CARACAS", "USINT HAVANA", "AMEMBASSY LA PAZ", "AMEMBASSY PARIS")),
    ("FOR LATIN AMERICAN POSTS (EXCEPT HAVANA)", ("AMEMBASSY CARACAS", "AMEMBASSY LA PAZ")),
    ("For all posts other than Paris and Moscow", ("AMEMBASSY CARACAS", "USINT HAVANA", "AMEMBASSY LA PAZ")),
])
def test_an_audience_that_leaves_posts_out(audience, posts):
    addressed = ("AMEMBASSY MOSCOW", "AMEMBASSY CARACAS", "USINT HAVANA", "AMEMBASSY LA PAZ", "AMEMBASSY PARIS")
    assert audience_posts(audience, addressed) == posts
