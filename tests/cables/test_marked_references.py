"""A collection reference named only in text stricter than its cable (an (S//NF) paragraph of a SECRET cable)
is shown only to readers of that text: on the cable's page and in the API, as a citation, on the waiting list
and in the response form; the ranker does not lower its bar for it. Named anywhere the cable's readers read,
it is the cable's."""
from importlib import import_module

import pytest
from django.apps import apps
from django.urls import reverse

from cables.importing import import_paths
from cables.models import Cable, Paragraph
from tracker.models import Citation

pytestmark = pytest.mark.django_db

CAL = "C-RE9-01234"
REPLY = """\
R 011200Z JUL 09
FM AMEMBASSY ANKARA
TO SECSTATE WASHDC 0101
BT
S E C R E T ANKARA 000{serial}

E.O. 12958: DECL: 07/01/2019
TAGS: PINR IR TU
SUBJECT: {subject}

1. (S) Iranian trucks cross the border at Gurbulak in greater numbers since May, customs officials say.

2. (S//NF) {second}

SIGNED
"""


@pytest.fixture
def ankara(tmp_path):
    """09ANKARA501 names the CAL number only in its (S//NF) paragraph; 09ANKARA502 in its (S) one too."""
    (tmp_path / "501.txt").write_text(REPLY.format(serial=501, subject="(S) BORDER TRADE",
                                                   second=f"A liaison contact's account answers {CAL}."))
    (tmp_path / "502.txt").write_text(REPLY.format(serial=502, subject="(S) BORDER TRADE AGAIN",
                                                   second=f"As {CAL} asked, more on the trucks.").replace(
        "since May,", f"since May ({CAL}),"))
    import_paths([tmp_path / "501.txt", tmp_path / "502.txt"])
    return Cable.objects.get(reference_id="09ANKARA501"), Cable.objects.get(reference_id="09ANKARA502")


@pytest.fixture
def readers(role_user):
    return role_user("secret", clearance="SECRET", noforn=False), role_user("noforn", clearance="SECRET", noforn=True)


def test_a_reference_named_only_in_stricter_text_is_kept_apart_with_its_access(ankara):
    marked, plain = ankara
    assert (marked.collection_references, marked.marked_references) == ([], [[CAL, 2, True]])
    assert (plain.collection_references, plain.marked_references) == ([CAL], [])
    assert {(c.cable_id, c.level, c.noforn) for c in Citation.objects.all()} == {(marked.pk, 2, True),
                                                                                 (plain.pk, 0, False)}


def test_the_cable_page_api_and_waiting_list_show_it_only_to_readers_of_that_text(client, ankara, readers):
    marked, plain = ankara
    without, cleared = readers
    for user, shown in ((without, False), (cleared, True)):
        client.force_login(user)
        page = client.get(marked.get_absolute_url()).content.decode()
        assert (CAL in page) is shown, user
        api = client.get(reverse("api-cable-detail", args=[marked.reference_id])).json()
        assert api["collection_references"] == ([CAL] if shown else []), user
        waiting = client.get(reverse("waiting-list")).content.decode()
        assert (marked.reference_id in waiting) is shown and plain.reference_id in waiting, user
        assert CAL in client.get(plain.get_absolute_url()).content.decode()  # named in (S) text: the cable's


def test_the_migration_sets_apart_the_references_of_cables_already_stored(ankara):
    marked, _ = ankara
    Cable.objects.filter(pk=marked.pk).update(collection_references=[CAL], marked_references=[])
    Citation.objects.filter(cable=marked).update(level=0, noforn=False)
    import_module("cables.migrations.0014_marked_references").split_references(apps, None)
    import_module("tracker.migrations.0014_marked_references").mark_citations(apps, None)
    marked.refresh_from_db()
    assert (marked.collection_references, marked.marked_references) == ([], [[CAL, 2, True]])
    assert Citation.objects.filter(cable=marked, level=2, noforn=True).count() == 1


def test_a_paragraph_of_the_cables_own_marking_leaves_it_the_cables(tmp_path):
    (tmp_path / "503.txt").write_text(REPLY.format(serial=503, subject="(S) TRUCKS", second=f"Answers {CAL}.")
                                      .replace("S E C R E T ANKARA", "S E C R E T NOFORN ANKARA"))
    import_paths([tmp_path / "503.txt"])
    cable = Cable.objects.get(reference_id="09ANKARA503")
    assert cable.classification == "SECRET//NOFORN"
    assert Paragraph.objects.get(cable=cable, number="2").noforn
    assert (cable.collection_references, cable.marked_references) == ([CAL], [])


def test_the_admin_withholds_them_from_an_admin_who_may_not_read_every_paragraph(client, make_user, ankara):
    from django.contrib.auth.models import Group

    from tests.conftest import ensure_roles

    marked, _ = ankara
    ensure_roles()
    admin = make_user("admin_s", clearance="SECRET", noforn=False, staff=False)
    admin.is_staff = True
    admin.save()
    admin.groups.add(Group.objects.get(name="admin"))
    client.force_login(admin)
    page = client.get(reverse("admin:cables_cable_change", args=[marked.pk])).content.decode()
    assert "Withheld" in page and CAL not in page


def test_a_flattened_cable_names_them_as_the_flattener_writes_them(tmp_path):
    """"cal802836", in a NOFORN paragraph of a plain SECRET cable: set apart as the punctuated form is."""
    from tests.conftest import FLATTENED_SEED

    text = (FLATTENED_SEED.read_text()
            .replace("20101201 2109 secretnoforn", "20101201 2109 secret")
            .replace("s c r t state 006423 noforn", "s c r t state 006423")
            .replace("latin america cal802836 classified", "latin america classified")
            .replace("please cite cal802836 in the subject line", "please cite it in the subject line")
            .replace("1 snf washington analysts assess", "1 snf washington analysts cal802836 assess"))
    (tmp_path / "flat.txt").write_text(text)
    import_paths([tmp_path / "flat.txt"])
    cable = Cable.objects.get(reference_id="09STATE6423")
    assert cable.classification == "SECRET" and cable.paragraphs.get(number="1").noforn
    assert (cable.collection_references, cable.marked_references) == ([], [["C-AL8-02836", 2, True]])
    seed = FLATTENED_SEED.read_text()
    assert "cal802836" in seed and "secretnoforn" in seed  # what the replacements above rely on


TASKING = """\
R 011200Z JUL 09
FM SECSTATE WASHDC
TO AMEMBASSY ANKARA 0101
BT
S E C R E T STATE 000777

E.O. 12958: DECL: 07/01/2019
TAGS: PINR IR TU
SUBJECT: (S) REPORTING AND COLLECTION NEEDS: TURKEY-IRAN BORDER TRADE

1. (S) This cable requests Embassy reporting on Turkey-Iran border trade.

2. (S//NF) Please cite C-RE9-04321 in the subject line of replies.

3. (S) Questions:
A. (S) How many Iranian trucks cross at Gurbulak each week?
B. (S) Which Turkish firms handle the transit trade?

CLINTON
"""


def test_a_set_takes_no_collection_reference_from_text_stricter_than_its_cable(client, role_user, tmp_path):
    from tracker import requirements

    (tmp_path / "t.txt").write_text(TASKING)
    import_paths([tmp_path / "t.txt"])
    cable = Cable.objects.get(reference_id="09STATE777")
    requirement_set = requirements.create_set(cable)
    assert requirement_set.collection_reference == ""
    client.force_login(role_user("s", clearance="SECRET", noforn=False))
    page = client.get(requirement_set.get_absolute_url())
    assert page.status_code == 200 and "C-RE9-04321" not in page.content.decode()
