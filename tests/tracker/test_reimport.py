"""A responding cable imported again with other text: its responses keep their paragraphs."""
import pytest

from cables.importing import import_paths
from cables.models import Cable
from tests.conftest import PAGES
from tracker import requirements, responses
from tracker.models import Response

pytestmark = pytest.mark.django_db


def test_a_cable_imported_again_with_other_text_keeps_its_responses_paragraphs(tmp_path, role_user):
    import_paths([PAGES / "09STATE6423.html", PAGES / "08LAPAZ751.html"])
    iran = requirements.create_set(Cable.objects.get(reference_id="09STATE6423"))
    la_paz = Cable.objects.get(reference_id="08LAPAZ751")
    (logged,) = responses.log(role_user("ana"), la_paz, [iran.questions.get(code="B.3")], ["2", "3"], "answers")
    old = set(logged.paragraphs.values_list("pk", flat=True))
    page = (PAGES / "08LAPAZ751.html").read_text(encoding="utf-8", errors="replace")
    corrected = tmp_path / "08LAPAZ751.html"
    corrected.write_text(page.replace("Kfir C7s", "Kfir C-7s"), encoding="utf-8")
    report = import_paths([corrected])
    assert report.updated == 1
    response = Response.objects.get(pk=logged.pk)
    assert sorted(p.number for p in response.paragraphs.all()) == ["2", "3"]
    assert not old & set(response.paragraphs.values_list("pk", flat=True))  # the new rows, not the old
    assert all(p.cable_id == la_paz.pk for p in response.paragraphs.all())


BRIEF = """\
R 121500Z MAR 09
FM AMEMBASSY ABUJA
TO SECSTATE WASHDC 0101
BT
C O N F I D E N T I A L ABUJA 000321

E.O. 12958: DECL: 03/12/2019
TAGS: PREL NI
SUBJECT: (U) PIRACY IN THE DELTA

Classified By: Ambassador R. Sanders for reasons 1.4 (b) and (d).

1. (U) Summary follows.

2. (C) Financing:
A) (C) Militants take a share of every cargo.
B) (C) Officials sell the permits.
{more}
SANDERS
"""


def test_a_response_follows_its_paragraph_when_a_reparse_qualifies_its_letter(tmp_path, role_user):
    """Paragraph "A" of the first version is "2.A" once the cable's letters start again under 3."""
    import_paths([PAGES / "09STATE6423.html"])
    iran = requirements.create_set(Cable.objects.get(reference_id="09STATE6423"))
    first = tmp_path / "09ABUJA321.txt"
    first.write_text(BRIEF.format(more=""), encoding="utf-8")
    import_paths([first])
    cable = Cable.objects.get(reference_id="09ABUJA321")
    assert [p.number for p in cable.paragraphs.order_by("position")] == ["1", "2", "A", "B"]
    (logged,) = responses.log(role_user("ana"), cable, [iran.questions.get(code="B.4")], ["B", "1"], "partly")
    second = tmp_path / "09ABUJA321-full.txt"
    second.write_text(BRIEF.format(more="\n3. (C) Navy:\nA) (C) Officers look away.\n"), encoding="utf-8")
    assert import_paths([second]).updated == 1
    response = Response.objects.get(pk=logged.pk)
    assert response.paragraph_numbers == ["2.B", "1"]
    assert sorted(p.number for p in response.paragraphs.all()) == ["1", "2.B"]
