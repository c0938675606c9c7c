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
