"""Found by review: a to_review value the filter does not take ("yes") filters nothing, so the dashboard lists
the open questions as without it, not every question of every status; the set report's exports, the set page,
the review filter of the dashboard and of the API run as many queries whatever responses there are."""
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cables.importing import import_paths
from cables.models import Cable
from tests.tracker.test_analyst_gaps import REPLY, murals, reworded  # noqa: F401 (fixtures)
from tracker import responses

pytestmark = pytest.mark.django_db


def _codes(client, params) -> list[str]:
    return [q.code for q in client.get(reverse("dashboard"), params).context["rows"]]


def test_to_review_yes_is_to_review_true_and_a_value_neither_is_an_error(client, murals, reworded):  # noqa: F811
    ana, boss, questions = reworded
    client.force_login(ana)
    assert _codes(client, {"to_review": "yes"}) == _codes(client, {"to_review": "true"}) != _codes(client, {})
    assert "to_review" in client.get(reverse("dashboard"), {"to_review": "maybe"}).context["filter"].errors


def _count(client, url, params) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params)
        if hasattr(response, "streaming_content"):
            b"".join(response.streaming_content)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("where", ["xlsx", "csv", "set", "dashboard", "api"])
def test_queries_do_not_grow_with_responses(client, murals, reworded, tmp_path, where):  # noqa: F811
    ana, boss, questions = reworded
    client.force_login(boss)
    url, params = {"xlsx": (reverse("requirement-set-export", args=[murals.pk, "xlsx"]), {}),
                   "csv": (reverse("requirement-set-export", args=[murals.pk, "csv"]), {"table": "responses"}),
                   "set": (murals.get_absolute_url(), {}),
                   "dashboard": (reverse("dashboard"), {"to_review": "true"}),
                   "api": (reverse("api-question-list"), {"to_review": "true"})}[where]
    before = _count(client, url, params)
    for serial in (403, 404, 405):
        (tmp_path / f"{serial}.txt").write_text(REPLY.format(post="ANKARA", serial=serial))
        import_paths([tmp_path / f"{serial}.txt"])
        responses.log(boss, Cable.objects.get(reference_id=f"09ANKARA{serial}"), list(questions.values()), ["1"],
                      "answers")
    assert _count(client, url, params) == before


def test_the_responses_table_says_which_questions_are_retired(client, murals, reworded):  # noqa: F811
    from tests.tracker.test_analyst_gaps import _csv_rows
    from tracker import requirements

    ana, boss, questions = reworded
    requirements.retire_question(questions["C"], boss)
    client.force_login(boss)
    rows = _csv_rows(client.get(reverse("requirement-set-export", args=[murals.pk, "csv"]), {"table": "responses"}))
    assert [(r["Question"], r["Cable"]) for r in rows] == [
        ("A", "09BAKU401"), ("A", "09DUBAI402"), ("C (retired)", "09DUBAI402")]
