"""The "Log a response" form keeps what was typed when the cable changes or the form comes back with an
error: the chosen questions it may still offer (and says why it drops the others), the note, an assessment
or confidence chosen, the paragraphs typed for the new cable; the old cable's paragraphs are cleared, and
the page says so."""
import re

import pytest
from django.urls import reverse

from cables.models import Cable
from tracker import responses
from tracker.models import Response

pytestmark = pytest.mark.django_db


def _selected(html: str) -> list[str]:
    """The codes of the questions selected on the form."""
    choices = html[html.index('class="question-choices"'):html.index('class="muted no-match"')]
    return re.findall(r'<input type="checkbox" name="questions" value="\d+"[^>]* checked>\s*([^:]+):', choices)


def test_a_chosen_question_of_a_set_the_new_cable_does_not_cite_stays_chosen_after_the_cited_sets(client, analyst,
                                                                                                   sets):
    """09MOSCOW1730 cites the Cuba set, whose questions come first; the Iran question chosen stays chosen."""
    cuba, iran = sets
    d, c1 = cuba.questions.get(code="D"), iran.questions.get(code="C.1")
    page = client.get(reverse("response-create"), {"cable": "09MOSCOW1730", "question": [d.pk, c1.pk]})
    html = page.content.decode()
    assert _selected(html) == ["D", "C.1"]
    assert "no longer chosen" not in html
    groups = re.findall(r'<fieldset class="question-group"><legend>([^<]*)</legend>', html)
    assert groups == ["Cuba-Russia relationship (09STATE40419) · cited by this cable",
                      f"{iran.title} (09STATE6423)"]


def test_a_retired_question_or_one_of_the_tasking_cable_is_dropped_saying_why(client, analyst, sets):
    cuba, iran = sets
    c1 = iran.questions.get(code="C.1")
    c1.retired = True
    c1.save()
    html = client.get(reverse("response-create"), {"cable": "08LAPAZ751", "question": c1.pk}).content.decode()
    assert _selected(html) == [] and "Question C.1 of “Iranian outreach to Latin America” is no longer chosen: " \
                                      "it is retired." in html
    own = cuba.questions.get(code="A")
    html = client.get(reverse("response-create"), {"cable": "09STATE40419", "question": own.pk}).content.decode()
    assert "no longer chosen: 09STATE40419 is the tasking cable of its set." in html
    assert f'name="questions" value="{own.pk}"' not in html


def test_the_reload_keeps_the_chosen_assessment_and_the_paragraphs_typed_for_the_new_cable(client, analyst,
                                                                                           sets):
    d = sets[0].questions.get(code="D")
    responses.log(analyst, Cable.objects.get(reference_id="09MOSCOW1730"), [d], ["1"], "answers", "high", "")
    html = client.get(reverse("response-create"), {
        "cable": "09MOSCOW1730", "question": d.pk, "assessment": "partly", "paragraphs": "7", "note": "kept",
    }).content.decode()
    assert re.search(r'<option value="partly" selected>', html)
    assert re.search(r'<option value="high" selected>', html)  # as the existing response says
    assert 'name="shown_assessment" value="answers"' in html  # so "partly" is the analyst's choice
    assert 'name="paragraphs" value="7"' in html and "kept</textarea>" in html
    assert "were cleared" not in html


def test_the_reload_says_which_paragraphs_of_the_old_cable_it_cleared(client, analyst, sets):
    html = client.get(reverse("response-create"), {
        "cable": "09MOSCOW1730", "cleared": "2, 3", "cleared_from": "08LAPAZ751"}).content.decode()
    assert ("The paragraphs chosen for 08LAPAZ751 (¶2, 3) were cleared: the same numbers are other paragraphs in "
            "09MOSCOW1730.") in html
    assert re.search(r'name="paragraphs"(?! value)', html)


def test_a_form_posted_with_another_cable_is_shown_for_that_cable_not_logged(client, analyst, sets):
    """Without JavaScript the cable changes on submit: the old cable's paragraphs are not logged against it."""
    d = sets[0].questions.get(code="D")
    page = client.post(reverse("response-create"), {
        "loaded": "08LAPAZ751", "cable": "09moscow1730", "paragraphs": "2", "questions": [d.pk],
        "assessment": "partly", "shown_assessment": "answers", "confidence": "medium", "shown_confidence": "medium",
        "note": "Moscow's view"})
    html = page.content.decode()
    assert page.status_code == 200 and not Response.objects.exists()
    assert "Log a response: 09MOSCOW1730 answers" in html and 'name="loaded" value="09MOSCOW1730"' in html
    assert "The paragraphs chosen for 08LAPAZ751 (¶2) were cleared" in html
    assert _selected(html) == ["D"] and "Moscow&#x27;s view</textarea>" in html
    assert re.search(r'<option value="partly" selected>', html)


def test_a_form_posted_with_the_cable_it_was_loaded_for_or_none_logs(client, analyst, sets):
    d = sets[0].questions.get(code="D")
    typed = {"cable": "09MOSCOW1730", "paragraphs": "7", "questions": [d.pk], "assessment": "answers",
             "shown_assessment": "answers", "confidence": "medium", "shown_confidence": "medium"}
    assert client.post(reverse("response-create"), typed | {"loaded": "09MOSCOW1730"}).status_code == 302
    other = sets[0].questions.get(code="E")
    assert client.post(reverse("response-create"), typed | {"loaded": "", "questions": [other.pk]}).status_code == 302
    assert Response.objects.count() == 2


def test_the_form_shown_again_after_an_error_keeps_every_chosen_question_or_says_why_not(client, analyst, sets):
    cuba, iran = sets
    d, c1 = cuba.questions.get(code="D"), iran.questions.get(code="C.1")
    form = {"loaded": "09MOSCOW1730", "cable": "09MOSCOW1730", "paragraphs": "", "questions": [d.pk, c1.pk],
            "assessment": "answers", "confidence": "medium", "note": "kept"}
    page = client.post(reverse("response-create"), form)
    html = page.content.decode()
    assert page.status_code == 400 and "Tick or type at least one paragraph" in html
    assert _selected(html) == ["D", "C.1"] and "no longer chosen" not in html
    c1.retired = True  # retired by someone else meanwhile
    c1.save()
    html = client.post(reverse("response-create"), form).content.decode()
    assert _selected(html) == ["D"]
    assert "Question C.1 of “Iranian outreach to Latin America” is no longer chosen: it is retired." in html


def test_a_question_retired_before_the_form_was_sent_is_refused_in_words(client, analyst, sets):
    d = sets[0].questions.get(code="D")
    d.retired = True
    d.save()
    page = client.post(reverse("response-create"), {
        "loaded": "09MOSCOW1730", "cable": "09MOSCOW1730", "paragraphs": "1", "questions": [d.pk],
        "assessment": "answers", "confidence": "medium"})
    html = page.content.decode()
    assert page.status_code == 400 and "A chosen question can no longer be answered: it was retired" in html
    assert f"{d.pk} is not one of the available choices" not in html
