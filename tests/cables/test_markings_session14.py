"""Markings read however a post wrote them: an unknown caveat set off by slashes keeps the level and NOFORN
around it, a flat marking reads in capitals too, and a marking that still cannot be read but names a level or
NOFORN at the head of its paragraph raises that paragraph's access (and the unmarked text after it)."""
from types import SimpleNamespace

import pytest
from django.urls import reverse

from cables import markings
from cables.importing import import_paths, paragraph_accesses
from cables.models import Cable

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("written, canonical", [
    ("S//NF//LES", "S//NF"),
    ("S/NF/DS", "S//NF"),
    ("C//NOFORN//XYZ", "C//NF"),
    ("SNF", "S//NF"),
    ("TSNF", "TS//NF"),
    ("S", "S"),
    ("S//REL TO USA, GBR", "S//REL"),
    ("S/CT", None),  # the counterterrorism office
    ("S/ES", None),
    ("C and D", None),  # words, not a marking
    ("C-130", None),
    ("A/B", None),
    ("NOTE", None),
])
def test_a_marking_with_an_unknown_caveat_keeps_its_level_and_noforn(written, canonical):
    assert markings.canonical_marking(written) == canonical


@pytest.mark.parametrize("text, access", [
    ("(C//NF//X1) The minister said", (1, True)),
    ("(XS//NOFORN) The minister said", (0, True)),
    ("3. (S//NF2) The minister said", (2, True)),
    ("(s//nf//x1) lower case", (2, True)),
    ("(S//X1) The minister said", (2, False)),
    ("(S/CT) funds were spent", None),  # the counterterrorism office
    ("(C-130) aircraft landed", None),
    ("(NOTE 3) see below", None),
    ("(Reftel) asked", None),
    ("The minister said (S//NF)", None),
])
def test_an_unread_marking_still_names_its_level_and_noforn(text, access):
    assert markings.unread_marking_access(text) == access


def test_unmarked_text_is_raised_by_an_unread_marking_and_never_lowered():
    paragraphs = [SimpleNamespace(marking="S", text="Secret."),
                  SimpleNamespace(marking="", text="(C//NF//X1) garbled but NOFORN."),
                  SimpleNamespace(marking="", text="More of it."),
                  SimpleNamespace(marking="U", text="Open.")]
    assert paragraph_accesses(paragraphs) == [(2, False), (2, True), (2, True), (0, False)]


CABLE = """\
R 021200Z APR 09
FM AMEMBASSY ABUJA
TO SECSTATE WASHDC 0456
BT
S E C R E T ABUJA 000777

E.O. 12958: DECL: 04/02/2019
TAGS: PINR PREL NI
SUBJECT: (U) DELTA FINANCIERS

Classified By: Ambassador R. Sanders for reasons 1.4 (b) and (d).

1. (S) The governor spoke of the patrols.

2. (S//NF//LES) HALCYONWARD pays the gangs.

3. (U) The weather was fine.

4. (C//NF//X1) CARDINAL named the bank.

SANDERS
"""


def test_a_secret_reader_without_noforn_reads_none_of_the_oddly_caveated_noforn_paragraphs(tmp_path, client,
                                                                                          make_user):
    path = tmp_path / "abuja.txt"
    path.write_text(CABLE)
    assert import_paths([path]).new == 1
    cable = Cable.objects.get(reference_id="09ABUJA777")
    assert dict(cable.paragraphs.values_list("number", "noforn")) == {"1": False, "2": True, "3": False, "4": True}
    client.force_login(make_user("secret-only", clearance="SECRET", noforn=False))
    page = client.get(reverse("cable-detail", args=["09ABUJA777"])).content.decode()
    assert "patrols" in page and "weather" in page
    assert "HALCYONWARD" not in page and "CARDINAL" not in page and "2 paragraphs withheld" in page
    client.force_login(make_user("noforn", clearance="SECRET", noforn=True))
    page = client.get(reverse("cable-detail", args=["09ABUJA777"])).content.decode()
    assert "HALCYONWARD" in page and "CARDINAL" in page


def test_paragraphs_stored_before_the_rule_are_raised_by_the_migration(tmp_path, client, make_user):
    import importlib

    from django.apps import apps

    from cables import listing
    from cables.models import Paragraph

    path = tmp_path / "abuja.txt"
    path.write_text(CABLE.replace("(S//NF//LES)", "(S//NF//L3S)"))  # a marking no reader reads, then or now
    import_paths([path])
    cable = Cable.objects.get(reference_id="09ABUJA777")
    odd = Paragraph.objects.get(cable=cable, number="2")
    assert odd.marking == "" and odd.noforn
    Paragraph.objects.filter(pk=odd.pk).update(level=2, noforn=False)  # as stored before the rule
    listing.refresh([cable.pk])
    client.force_login(make_user("secret-only", clearance="SECRET", noforn=False))
    assert "HALCYONWARD" in client.get(cable.get_absolute_url()).content.decode()  # the old leak
    importlib.import_module("cables.migrations.0013_unread_marking_access").hold_unread_markings(apps, None)
    assert "HALCYONWARD" not in client.get(cable.get_absolute_url()).content.decode()
    assert client.get(reverse("cable-list"), {"q": "HALCYONWARD"}).context["page"].paginator.count == 0
