"""Migration cables/0015: paragraphs stored before the rules of session 16 (a marking after a bullet inside a
paragraph, an unmarked sub-paragraph held to its ancestors) are raised, never lowered, and their cables' listing
rows rebuilt so that search finds nothing now withheld."""
import importlib

import pytest
from django.apps import apps
from django.urls import reverse

from cables import listing
from cables.importing import import_paths
from cables.models import Cable, Paragraph

pytestmark = pytest.mark.django_db

CABLE = """\
R 051423Z MAR 09
FM AMEMBASSY ASUNCION
TO RUEHC/SECSTATE WASHDC 1007
BT
S E C R E T ASUNCION 000123

E.O. 12958: DECL: 03/05/2019
TAGS: PREL PA
SUBJECT: (U) FINANCIERS

Classified By: Ambassador L. Ayalde for reasons 1.4 (b) and (d).

1. (C) Key points:
-- (C) Bloggers are important.
-- (S//NF) A source named HALCYONWARD as the courier.

2. (S//NF) The network:

A. (U) Its banks are known.

B. Its couriers are paid by CARDINALBIRD.

3. (U) Comment follows.

4. (C) Other notes:
o (S//NF) Liaison named ZEPHYRSOURCE.

5. MILITARY TIES (S/NF): The GENERALKITE deal goes ahead.

6. (S/NF, ORCON) The WHITEHERON route is in use.
AYALDE
"""


def _migrate() -> None:
    importlib.import_module("cables.migrations.0015_bulleted_and_nested_access").raise_access(apps, None)


def test_paragraphs_stored_before_the_rules_are_raised(tmp_path, client, make_user):
    path = tmp_path / "asuncion.txt"
    path.write_text(CABLE)
    import_paths([path])
    cable = Cable.objects.get(reference_id="09ASUNCION123")
    stored = {p.number: (p.marking, p.level, p.noforn) for p in cable.paragraphs.all()}
    assert stored["1"] == ("S//NF", 2, True) and stored["B"][1:] == (2, True)  # as the parser reads them now
    # as stored before these rules: paragraph 1 at its own (C), B at the (U) before it
    Paragraph.objects.filter(cable=cable, number="1").update(marking="C", level=1, noforn=False)
    Paragraph.objects.filter(cable=cable, number="B").update(level=0, noforn=False)
    Paragraph.objects.filter(cable=cable, number="3").update(level=3, noforn=True)  # raised otherwise: kept
    assert stored["4"] == ("S//NF", 2, True) and stored["5"][1:] == stored["6"][1:] == (2, True)
    Paragraph.objects.filter(cable=cable, number="4").update(marking="C", level=1, noforn=False)
    Paragraph.objects.filter(cable=cable, number="5").update(marking="", level=0, noforn=False)  # read as unmarked
    Paragraph.objects.filter(cable=cable, number="6").update(marking="", level=0, noforn=False)
    listing.refresh([cable.pk])
    client.force_login(make_user("conf", clearance="SECRET", noforn=False))
    for word in ("HALCYONWARD", "CARDINALBIRD", "ZEPHYRSOURCE", "GENERALKITE", "WHITEHERON"):  # the old leaks
        assert word in client.get(cable.get_absolute_url()).content.decode()
    _migrate()
    now = {p.number: (p.marking, p.level, p.noforn) for p in cable.paragraphs.all()}
    assert now["1"] == now["4"] == ("S//NF", 2, True) and now["B"][1:] == (2, True)
    assert now["3"] == ("U", 3, True)  # never lowered
    assert now["A"] == stored["A"]
    page = client.get(cable.get_absolute_url()).content.decode()
    for word in ("HALCYONWARD", "CARDINALBIRD", "ZEPHYRSOURCE", "GENERALKITE", "WHITEHERON"):
        assert word not in page
        assert client.get(reverse("cable-list"), {"q": word}).context["page"].paginator.count == 0
    _migrate()  # again: nothing to do
    assert {p.number: (p.marking, p.level, p.noforn) for p in cable.paragraphs.all()} == now


def test_questions_read_from_raised_paragraphs_are_raised_with_them(tmp_path):
    from tracker import requirements
    from tracker.models import Question

    tasking = CABLE.replace("FM AMEMBASSY ASUNCION", "FM SECSTATE WASHDC").replace("ASUNCION 000123", "STATE 000123")
    tasking = tasking.replace("B. Its couriers are paid by CARDINALBIRD.", "B. Who pays its couriers, CARDINALBIRD?")
    path = tmp_path / "state.txt"
    path.write_text(tasking.replace("1. (C) Key points:", "1. (C) Posts are requested to report on the following:"))
    import_paths([path])
    cable = Cable.objects.get(reference_id="09STATE123")
    made = requirements.create_set(cable)
    question = made.questions.get(paragraph__number="B")
    assert (question.level, question.noforn) == (2, True)  # as extracted now
    Question.objects.filter(pk=question.pk).update(marking="U", level=0, noforn=False)  # as extracted before
    importlib.import_module("tracker.migrations.0018_questions_held_to_their_paragraphs").hold_questions(apps, None)
    question.refresh_from_db()
    assert (question.marking, question.level, question.noforn) == ("S//NF", 2, True)
