"""Every post an audience line names is addressed, whether the cable routes it as action, as information,
through a collective or not at all; and collectives whose region reading was wrong hold their real posts."""
import pytest

from cables.importing import import_paths
from cables.models import Cable
from cables.sources import parse_document
from tracker import requirements
from tracker.extraction import extract
from tracker.posts import audience_posts, covers, post_key

TASKING = """\
R 121500Z MAR 09
FM SECSTATE WASHDC
TO AMEMBASSY ABU DHABI 0101
INFO AMCONSUL DUBAI 0202
BT
S E C R E T STATE 024681

E.O. 12958: DECL: 03/12/2019
TAGS: PINR PREL
SUBJECT: (U) GULF SHIPPING (C-GL9-00422)

Classified By: Director INR/OPS J. Smith for reasons 1.4 (b) and (d).

1. (S) Washington analysts seek information on shipping.

A. (U) FOR ABU DHABI AND DUBAI:

1) (S) Which firms ship dual-use goods through the ports? Who owns them?

2) (S) What do customs officials say about inspections?

2. (U) Please cite C-GL9-00422 in the subject line of reporting.
CLINTON
"""


@pytest.fixture(autouse=True)
def _media_root():
    """The pure tests touch no files and no settings: stand in for the project's Django-settings fixture."""


def keys(posts) -> list[str]:
    return [post_key(p) for p in posts]


def test_a_post_named_in_an_audience_is_addressed_though_the_cable_sends_it_for_information():
    assert audience_posts("For Abu Dhabi and Dubai", ("AMEMBASSY ABU DHABI",), info=("AMCONSUL DUBAI",)) == (
        "AMEMBASSY ABU DHABI", "AMCONSUL DUBAI")


def test_a_post_named_in_an_audience_is_addressed_as_named_where_the_routing_does_not_show_it():
    assert audience_posts("For Abu Dhabi and Dubai", ("AMEMBASSY ABU DHABI",)) == ("AMEMBASSY ABU DHABI", "DUBAI")
    assert audience_posts("FOR DUBAI:", ("IRAN COLLECTIVE",)) == ("DUBAI",)  # a member of the collective
    assert keys(audience_posts("For Tel Aviv, Jerusalem and the Hague", ())) == ["TELAVIV", "JERUSALEM", "THEHAGUE"]
    # A place an addressee already stands for is not added again.
    assert audience_posts("For Mexico", ("AMCONSUL MONTERREY",)) == ("AMCONSUL MONTERREY",)
    assert audience_posts("for la paz", ("AMEMBASSY PAZ",)) == ("AMEMBASSY PAZ",)  # flattened TO list
    assert audience_posts("FOR IRAN WATCHERS AND THE IRAN REGIONAL PRESENCE OFFICE (IRPO):",
                          ("IRAN COLLECTIVE", "AMEMBASSY CARACAS")) == ("IRAN COLLECTIVE",)


def test_a_regional_audience_names_its_information_addressees_but_all_posts_are_the_action_ones():
    to, info = ("AMEMBASSY RIYADH", "AMEMBASSY PARIS"), ("AMEMBASSY DOHA", "AMEMBASSY KUWAIT", "AMEMBASSY OSLO")
    assert audience_posts("For Gulf posts", to, info) == ("AMEMBASSY RIYADH", "AMEMBASSY DOHA", "AMEMBASSY KUWAIT")
    assert audience_posts("FOR ALL ADDRESSEES:", to, info) == to
    assert audience_posts("For Gulf posts except Doha", to, info) == ("AMEMBASSY RIYADH", "AMEMBASSY KUWAIT")
    assert audience_posts("For all posts except Dubai", to) == to  # a post left out that was never in


def test_the_tasking_section_addresses_both_posts_it_names():
    (section,) = extract(parse_document(TASKING)).sections
    assert keys(section.posts) == ["ABUDHABI", "DUBAI"]
    assert all(keys(q.posts) == ["ABUDHABI", "DUBAI"] for q in section.questions)


@pytest.mark.django_db
def test_the_requirement_set_addresses_dubai_in_its_section(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    (tmp_path / "tasking.txt").write_text(TASKING)
    import_paths([tmp_path / "tasking.txt"])
    requirement_set = requirements.create_set(Cable.objects.get(reference_id="09STATE24681"))
    section = requirement_set.sections.get()
    assert sorted(p.name for p in section.posts.all()) == ["Abu Dhabi", "Dubai"]
    assert all(sorted(p.key for p in q.posts.all()) == ["ABUDHABI", "DUBAI"] for q in requirement_set.questions.all())


# ----------------------------------------------------------------------------- collectives


def test_the_iran_collective_holds_the_iran_watchers_and_the_neighbours():
    members = ["AMCONSUL DUBAI", "AMEMBASSY ABU DHABI", "AMEMBASSY BAGHDAD", "AMEMBASSY BAKU", "AMCONSUL ISTANBUL",
               "AMEMBASSY ANKARA", "AMEMBASSY ASHGABAT", "AMEMBASSY KABUL", "AMEMBASSY ISLAMABAD", "AMEMBASSY LONDON",
               "AMCONSUL FRANKFURT", "AMEMBASSY YEREVAN", "AMCONSUL ADANA",
               "09RPODUBAI349"]  # the Iran Regional Presence Office's own reference IDs
    assert [post for post in members if not covers("IRAN COLLECTIVE", post)] == []


def test_the_iran_collective_leaves_out_tehran_and_posts_far_from_iran():
    outsiders = ["AMEMBASSY TEHRAN", "AMEMBASSY CARACAS", "AMCONSUL MUNICH", "AMEMBASSY TOKYO",
                 "USMISSION UNVIE VIENNA"]
    assert [post for post in outsiders if covers("IRAN COLLECTIVE", post)] == []


@pytest.mark.parametrize("collective, member, outsider", [
    ("ARAB ISRAELI COLLECTIVE", "AMEMBASSY TEL AVIV", "AMEMBASSY CARACAS"),
    ("ARAB ISRAELI COLLECTIVE", "AMCONSUL JERUSALEM", "AMEMBASSY ANKARA"),
    ("SOUTHERN AF DEVELOPMENT COMMUNITY COLLECTIVE", "AMEMBASSY KINSHASA", "AMEMBASSY DAKAR"),
    ("SOUTHERN AF DEVELOPMENT COMMUNITY COLLECTIVE", "AMEMBASSY DAR ES SALAAM", "AMEMBASSY ABUJA"),
    ("NATO EU COLLECTIVE", "AMEMBASSY OSLO", "AMEMBASSY TOKYO"),
    ("NATO EU COLLECTIVE", "AMEMBASSY ANKARA", "AMEMBASSY MOSCOW"),
    ("NATO EU COLLECTIVE", "AMEMBASSY OTTAWA", "USMISSION USNATO"),
])
def test_collectives_named_for_a_group_of_states_hold_its_members(collective, member, outsider):
    assert covers(collective, member) and not covers(collective, outsider)


def test_an_extracted_section_for_a_region_takes_its_info_addressees_there_too():
    """"FOR GULF POSTS" in a cable sent TO Riyadh and Kuwait, INFO Dubai and Paris: the three Gulf posts,
    not Paris."""
    from cables.parsing import parse_cable_text
    from tracker.extraction import extract

    cable = parse_cable_text(
        "R 121500Z MAR 09\nFM SECSTATE WASHDC\nTO AMEMBASSY RIYADH 0001\nAMEMBASSY KUWAIT 0002\n"
        "INFO AMCONSUL DUBAI 0003\nAMEMBASSY PARIS 0004\nBT\nS E C R E T STATE 024680\n\n"
        "E.O. 12958: DECL: 03/12/2019\nTAGS: PINR IR\nSUBJECT: (S) IRANIAN SHIPPING IN THE GULF\n\n"
        "1. (S) This is an action request. Posts are requested to report on the following questions.\n\n"
        "2. (S) FOR GULF POSTS:\nA. (S) Which Iranian front companies charter vessels through the port?\n"
        "B. (S) Have host authorities inspected Iranian cargo since January?\n\nCLINTON\n")
    [section] = extract(cable).sections
    assert set(section.posts) == {"AMEMBASSY RIYADH", "AMEMBASSY KUWAIT", "AMCONSUL DUBAI"}
