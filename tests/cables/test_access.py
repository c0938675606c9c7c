"""Access: clearances and NOFORN eligibility decide what each user sees of cables and paragraphs, on
pages, in search and facets, and in the API. A hidden cable answers 404 like a missing one."""
import io

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from cables import markings
from cables.importing import import_paths
from tests.conftest import SEEDS

pytestmark = pytest.mark.django_db

USERS = {  # name: (level, NOFORN eligible, sees 09STATE6423, sees 08MOSCOW3526)
    "reader": ("UNCLASSIFIED", False, False, True),
    "confidential_analyst": ("CONFIDENTIAL", False, False, True),
    "secret_analyst": ("SECRET", False, False, True),
    "cleared_admin": ("SECRET", True, True, True),
}


@pytest.fixture
def seeds():
    import_paths([SEEDS])


def import_cable(tmp_path, serial: int, banner: str, *paragraphs: str, tags: str = "PREL",
                 subject: str = "MIXED MARKINGS") -> None:
    """Import 09ASUNCION<serial>, raw cable text under this banner, whose paragraphs carry the markings given."""
    path = tmp_path / f"{serial}.txt"
    path.write_text(
        "R 051423Z MAR 09\nFM AMEMBASSY ASUNCION\nTO RUEHC/SECSTATE WASHDC 1007\n"
        f"{banner} ASUNCION {serial:06d}\n\nTAGS: {tags}\nSUBJECT: {subject}\n\n"
        + "\n\n".join(paragraphs) + "\n\nAYALDE\n"
    )
    import_paths([path])


def import_secret_cable(tmp_path, serial: int, *paragraphs: str) -> None:
    """Import 09ASUNCION<serial>, a SECRET cable whose paragraphs carry the markings given."""
    import_cable(tmp_path, serial, "S E C R E T", *paragraphs)


@pytest.mark.parametrize("name", USERS)
def test_each_user_sees_exactly_the_cables_their_clearance_reaches(client, make_user, seeds, name):
    level, noforn, sees_state, sees_moscow = USERS[name]
    client.force_login(make_user(name, clearance=level, noforn=noforn))
    listed = {c.reference_id for c in client.get(reverse("cable-list")).context["page"]}
    assert listed == {ref for ref, seen in (("09STATE6423", sees_state), ("08MOSCOW3526", sees_moscow)) if seen}
    for ref, seen in (("09STATE6423", sees_state), ("08MOSCOW3526", sees_moscow)):
        assert client.get(reverse("cable-detail", args=[ref])).status_code == (200 if seen else 404)
        assert client.get(reverse("api-cable-detail", args=[ref])).status_code == (200 if seen else 404)
    api = {c["reference_id"] for c in client.get(reverse("api-cable-list")).json()["results"]}
    assert api == listed


def test_search_and_facets_do_not_reveal_a_hidden_cable(client, make_user, seeds):
    client.force_login(make_user("reader"))
    response = client.get(reverse("cable-list") + "?q=hizballah")
    assert response.context["page"].paginator.count == 0
    everything = client.get(reverse("cable-list"))
    page = everything.content.decode()
    assert "SECRET//NOFORN" not in page and "Secretary of State" not in page and "PINR" not in page
    assert [year for year, _ in everything.context["facets"]["year"]] == [2008]
    assert client.get(reverse("api-cable-list") + "?q=hizballah").json()["count"] == 0


def test_a_noforn_paragraph_is_withheld_from_a_cleared_user_without_eligibility(client, make_user, tmp_path):
    import_secret_cable(tmp_path, 777, "1. (S) The open secret paragraph.", "2. (S//NF) The paragraph for US eyes only.",
                        "3. (C) A confidential paragraph.")
    client.force_login(make_user("secret_analyst", clearance="SECRET"))
    page = client.get(reverse("cable-detail", args=["09ASUNCION777"])).content.decode()
    assert "The open secret paragraph" in page and "A confidential paragraph" in page
    assert "for US eyes only" not in page
    assert "1 paragraph withheld" in page
    api = client.get(reverse("api-cable-detail", args=["09ASUNCION777"])).json()
    assert [p["number"] for p in api["paragraphs"]] == ["1", "3"]
    client.force_login(make_user("confidential_analyst", clearance="CONFIDENTIAL"))
    assert client.get(reverse("cable-detail", args=["09ASUNCION777"])).status_code == 404


def test_unmarked_text_is_withheld_with_the_paragraph_it_follows(client, make_user, tmp_path):
    """A passage the parser splits off as damaged ("<b>" in the text), a sub-item and a paragraph whose
    marking is garbled carry no marking of their own: each is held to the marking in force before it."""
    import_secret_cable(tmp_path, 778, "1. (S) Contacts describe tension inside the leadership.",
                        "2. (S/NF) GRAYFOX also passed a document whose header read\n"
                        "<b>SNB DIRECTORATE 4</b> and listed three officers.",
                        "3. (S) Comment follows.", "4. (S//NF) The source's access:\n"
                        "4.A. Deputy FALCON meets him weekly.", "5. (C) A confidential paragraph.",
                        "6. (SE) The garbled marking hides nothing beyond the confidential.")
    client.force_login(make_user("cleared", clearance="SECRET", noforn=True))
    page = client.get(reverse("cable-detail", args=["09ASUNCION778"])).content.decode()
    assert "listed three officers" in page and "FALCON" in page and "garbled marking" in page
    client.force_login(make_user("secret_analyst", clearance="SECRET"))
    page = client.get(reverse("cable-detail", args=["09ASUNCION778"])).content.decode()
    assert "Contacts describe tension" in page and "Comment follows" in page and "garbled marking" in page
    for withheld in ("GRAYFOX", "SNB DIRECTORATE", "listed three officers", "FALCON"):
        assert withheld not in page
    api = client.get(reverse("api-cable-detail", args=["09ASUNCION778"])).content.decode()
    assert "listed three officers" not in api and "FALCON" not in api
    assert client.get(reverse("cable-list"), {"q": "officers"}).context["page"].paginator.count == 0
    assert client.get(reverse("cable-list"), {"q": "FALCON"}).context["page"].paginator.count == 0


def test_paragraphs_stored_before_the_rule_are_held_by_the_migration(client, make_user, tmp_path):
    import importlib

    from django.apps import apps

    from cables import listing
    from cables.models import Cable, Paragraph

    import_secret_cable(tmp_path, 779, "1. (S) Contacts describe tension.",
                        "2. (S/NF) GRAYFOX passed a document whose header read\n<b>SNB</b> and listed three officers.")
    cable = Cable.objects.get(reference_id="09ASUNCION779")
    Paragraph.objects.filter(cable=cable, marking="").update(level=0, noforn=False)  # as stored before the rule
    listing.refresh([cable.pk])
    client.force_login(make_user("secret_analyst", clearance="SECRET"))
    assert "three officers" in client.get(cable.get_absolute_url()).content.decode()  # the old leak
    migration = importlib.import_module("cables.migrations.0012_unmarked_paragraph_access")
    migration.hold_unmarked_text(apps, None)
    assert "three officers" not in client.get(cable.get_absolute_url()).content.decode()
    assert client.get(reverse("cable-list"), {"q": "officers"}).context["page"].paginator.count == 0
    assert set(Paragraph.objects.filter(cable=cable).values_list("level", "noforn")) == {(2, False), (2, True)}


@pytest.mark.parametrize(
    "marking, level, noforn, expected",
    [
        ("S//NF", "SECRET", True, True), ("S//NF", "SECRET", False, False), ("S//NF", "TOP SECRET", False, False),
        ("C", "CONFIDENTIAL", False, True), ("S", "CONFIDENTIAL", False, False), ("SBU", "UNCLASSIFIED", False, True),
        ("UNCLASSIFIED//FOR OFFICIAL USE ONLY", "UNCLASSIFIED", False, True), ("TS", "SECRET", True, False),
        ("CONFIDENTIAL//NOFORN", "CONFIDENTIAL", True, True),
    ],
)
def test_the_one_rule_of_who_may_see_a_marking(make_user, marking, level, noforn, expected):
    assert markings.may_see(make_user("u", clearance=level, noforn=noforn), marking) is expected


def test_superusers_see_everything_and_new_users_start_unclassified(django_user_model, make_user):
    assert markings.may_see(make_user("root", staff=True), "TOP SECRET//NOFORN")
    fresh = django_user_model.objects.create_user("fresh", password="a-long-test-password")
    assert markings.clearance_of(fresh) == (0, False)


def test_set_clearance_sets_level_and_eligibility(make_user):
    user = make_user("alice")
    out = io.StringIO()
    call_command("set_clearance", "alice", "secret", "--noforn", stdout=out)
    user.clearance.refresh_from_db()
    assert (user.clearance.level, user.clearance.noforn) == ("SECRET", True)
    call_command("set_clearance", "alice", "top_secret", "--no-noforn", stdout=out)
    user.clearance.refresh_from_db()
    assert (user.clearance.level, user.clearance.noforn) == ("TOP SECRET", False)
    with pytest.raises(CommandError, match="unknown level"):
        call_command("set_clearance", "alice", "COSMIC")
    with pytest.raises(CommandError, match="no user"):
        call_command("set_clearance", "bob", "SECRET")


def test_search_never_finds_a_cable_by_the_words_of_a_withheld_paragraph(client, make_user, tmp_path):
    import_secret_cable(tmp_path, 778, "1. (S) The open paragraph about trade.",
                        "2. (S//NF) The paragraph about zanzibarite smuggling.")
    client.force_login(make_user("secret_analyst", clearance="SECRET"))
    assert client.get(reverse("cable-list") + "?q=zanzibarite").context["page"].paginator.count == 0
    assert client.get(reverse("api-cable-list") + "?q=zanzibarite").json()["count"] == 0
    assert client.get(reverse("cable-list") + "?q=trade").context["page"].paginator.count == 1
    client.force_login(make_user("cleared", clearance="SECRET", noforn=True))
    assert client.get(reverse("cable-list") + "?q=zanzibarite").context["page"].paginator.count == 1
