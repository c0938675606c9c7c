"""What a second walk through the pages found: forms offered where nothing can be logged, a form that
widened its questions after an error, exports that left an invalid filter out, errors shown twice, a year
chip that left its month behind, and "1 sections"."""
import pytest
from django.urls import reverse

from cables.importing import import_paths
from cables.models import Cable
from tests.conftest import PAGES
from tracker import requirements
from tracker.models import Question, RequirementSet

pytestmark = pytest.mark.django_db


@pytest.fixture
def sets(db):
    import_paths([PAGES / name for name in ("09STATE6423.html", "09STATE40419.html", "09MOSCOW1730.html")])
    return (requirements.create_set(Cable.objects.get(reference_id="09STATE6423")),
            requirements.create_set(Cable.objects.get(reference_id="09STATE40419")))


def test_no_response_form_for_a_retired_question_or_one_in_a_closed_set(client, analyst, sets):
    iran, cuba = sets
    retired = iran.questions.get(code="A.1")
    Question.objects.filter(pk=retired.pk).update(retired=True)
    RequirementSet.objects.filter(pk=cuba.pk).update(status=RequirementSet.CLOSED)
    open_question = iran.questions.get(code="A.2")
    assert "Log a response" in _main(client.get(reverse("question-detail", args=[open_question.pk])))
    for question, why in [(retired, "retired"), (cuba.questions.get(code="A"), "in a closed set")]:
        page = _main(client.get(reverse("question-detail", args=[question.pk])))
        assert "Log a response" not in page and f"This question is {why}" in page


def _main(response) -> str:
    """The page's own content, without the site menu (which offers "Log a response" everywhere)."""
    page = response.content.decode()
    return page[page.index("<main"):]


def test_the_form_shown_again_after_an_error_keeps_the_questions_its_cable_may_answer(client, analyst, sets):
    iran, cuba = sets
    url = reverse("response-create")
    shown = client.get(url, {"cable": "09MOSCOW1730"}).context["form"].fields["questions"].queryset
    order = list(dict.fromkeys(q.requirement_set_id for q in shown))
    assert order == [cuba.pk, iran.pk]  # the set it cites first
    again = client.post(url, {"cable": "09MOSCOW1730", "questions": [cuba.questions.get(code="A").pk],
                              "assessment": "answers", "confidence": "medium"})
    assert again.status_code == 400  # no paragraph
    assert list(dict.fromkeys(q.requirement_set_id for q in again.context["form"].fields["questions"].queryset)) \
        == order


@pytest.mark.parametrize("view, args", [("dashboard-export", ["csv"]), ("dashboard-export", ["xlsx"]),
                                        ("dashboard-print", [])])
def test_an_export_or_print_with_an_invalid_filter_is_refused_naming_it(client, analyst, sets, view, args):
    response = client.get(reverse(view, args=args), {"tasked_after": "garbage"})
    assert response.status_code == 400
    assert "Tasked on or after" in response.content.decode() and "nothing is exported" in response.content.decode()
    assert client.get(reverse(view, args=args)).status_code == 200


def test_a_form_error_is_shown_once(client, analyst, sets):
    from tracker import responses

    _, cuba = sets
    response = responses.log(analyst, Cable.objects.get(reference_id="09MOSCOW1730"), [cuba.questions.get(code="A")],
                             ["2"], "answers")[0]
    responses.retract(response, analyst)
    page = client.post(reverse("response-edit", args=[response.pk]), {
        "paragraphs": "2", "assessment": "partly", "confidence": "medium", "note": ""})
    assert page.status_code == 400
    (message,) = page.context["form"].non_field_errors()
    assert page.content.decode().count(message) == 1


def test_removing_the_year_chip_removes_its_month(client, analyst, sets):
    page = client.get(reverse("cable-list"), {"year": "2009", "month": "3", "origin": "Secretary of State"})
    year = next(chip for chip in page.context["chips"] if chip["name"] == "year")
    assert "month" not in year["remove"] and "origin=" in year["remove"]


def test_creating_a_set_says_question_and_section_in_the_singular_where_one(client, analyst, db, tmp_path):
    import_paths([PAGES / "09STATE52774.html"])
    cable = Cable.objects.get(reference_id="09STATE52774")
    page = client.post(reverse("requirement-set-create"), {"reference_id": cable.reference_id}, follow=True)
    text = page.content.decode()
    assert "1 question in 1 section." in text


def test_a_filter_the_list_cannot_use_says_so_on_its_chip(client, analyst, sets):
    page = client.get(reverse("cable-list"), {"year": "abc", "origin": "Secretary of State"})
    chips = {chip["name"]: chip["shown"] for chip in page.context["chips"]}
    assert chips == {"year": "abc (not valid: ignored)", "origin": "Secretary of State"}


def test_messages_say_what_a_response_says_in_words_with_its_paragraphs_in_order(client, analyst, sets):
    from tracker import responses

    _, cuba = sets
    question = cuba.questions.get(code="A")
    moscow = Cable.objects.get(reference_id="09MOSCOW1730")
    responses.log(analyst, moscow, [question], ["3"], "partly")
    page = client.post(reverse("response-create"), {
        "cable": "09MOSCOW1730", "questions": [question.pk], "paragraphs": "1", "assessment": "partly",
        "confidence": "medium", "shown_assessment": "partly", "shown_confidence": "medium"}, follow=True)
    text = page.content.decode()
    assert "A now partly answers, medium confidence, ¶1, 3" in text
