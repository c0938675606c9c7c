"""The access matrix: every page and API endpoint, for four users, against the two seed cables (and the
requirement set of 09STATE6423, SECRET//NOFORN).

Each URL pattern of the project must appear in MATRIX (or in NOT_IN_MATRIX with the reason): a page or
endpoint added later without a row here fails `test_every_url_is_in_the_matrix`.
"""
import pytest
from django.contrib.auth.models import Group
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from cables.importing import import_paths
from cables.models import Cable, ImportJob
from tests.conftest import SEEDS
from tracker import requirements
from tracker.models import Proposal, RequirementSet, Response, Suggestion

pytestmark = pytest.mark.django_db

# role, clearance, NOFORN eligible
USERS = {
    "reader": ("reader", "UNCLASSIFIED", False),
    "analyst_c": ("analyst", "CONFIDENTIAL", False),
    "analyst_s": ("analyst", "SECRET", False),
    "admin_snf": ("admin", "SECRET", True),
}
ALL = tuple(USERS)
SECRET_NOFORN = ("admin_snf",)


def _job_id() -> int:
    """A job that the admin of the matrix started: theirs to follow (another's needs clearance for all)."""
    from django.contrib.auth import get_user_model

    starter = get_user_model().objects.get(username="admin_snf")
    return ImportJob.objects.get_or_create(paths=[], names=["matrix.txt"], created_by=starter)[0].pk


def _set() -> RequirementSet:
    """The Iran questionnaire's set (SECRET//NOFORN): only the admin in the matrix may see it."""
    existing = RequirementSet.objects.first()
    return existing or requirements.create_set(Cable.objects.get(reference_id="09STATE6423"))


def _set_id() -> int:
    return _set().pk


def _question_id() -> int:
    return _set().questions.get(code="A.1").pk


def _section_id() -> int:
    return _set().sections.first().pk


def _proposal_id() -> int:
    question = _set().questions.get(code="A.2")
    return Proposal.objects.get_or_create(requirement_set=question.requirement_set, question=question,
                                          kind=Proposal.CHANGE, code="A.2", marking="S//NF",
                                          proposed={"text": "reworded"})[0].pk


def _moscow_paragraph():
    return Cable.objects.get(reference_id="08MOSCOW3526").paragraphs.get(number="1")


def _response_id() -> int:
    """08MOSCOW3526 (prior reporting) answering A.1 of the Iran questionnaire."""
    question = _set().questions.get(code="A.1")
    cable = Cable.objects.get(reference_id="08MOSCOW3526")
    response, _ = Response.objects.get_or_create(question=question, cable=cable, retracted=False,
                                                 defaults={"assessment": "partly", "paragraph_numbers": ["1"],
                                                           "to_review": True})
    return response.pk


def _suggestion_id() -> int:
    question = _set().questions.get(code="B.2")
    return Suggestion.objects.get_or_create(question=question, cable=_moscow_paragraph().cable,
                                            paragraph_number="1",
                                            defaults={"paragraph": _moscow_paragraph(), "score": 0.5})[0].pk


def _rejected_suggestion_id() -> int:
    """A rejected suggestion, to restore: B.3's, fresh each time it is asked for."""
    question = _set().questions.get(code="B.3")
    suggestion = Suggestion.objects.get_or_create(question=question, cable=_moscow_paragraph().cable,
                                                  paragraph_number="1",
                                                  defaults={"paragraph": _moscow_paragraph(), "score": 0.5})[0]
    Suggestion.objects.filter(pk=suggestion.pk).update(state=Suggestion.REJECTED)
    return suggestion.pk


EDITORS = ("admin_snf",)
LOGGERS = ("admin_snf", "analyst_c", "analyst_s")  # hold the permission to log responses  # may edit and sees the set
# analysts hold the permission but cannot see the SECRET//NOFORN set (404); the reader lacks it (403)
WRITE_REFUSED = {"reader": 403, "*": 404}


# url name: [(method, args factory, users who get 200 (or the success code), success code, others' code)]
MATRIX = {
    "home": [("get", lambda: [], ALL, 302, 302)],
    "login": [("get", lambda: [], ALL, 200, 200)],
    "logout": [("post", lambda: [], ALL, 302, 302)],
    "cable-list": [("get", lambda: [], ALL, 200, 200)],
    "cable-detail": [
        ("get", lambda: ["08MOSCOW3526"], ALL, 200, 404),
        ("get", lambda: ["09STATE6423"], SECRET_NOFORN, 200, 404),
    ],
    "import-detail": [("get", lambda: [_job_id()], ("admin_snf",), 200, 403)],
    "import-status": [("get", lambda: [_job_id()], ("admin_snf",), 200, 403)],
    "api-root": [("get", lambda: [], ALL, 200, 200)],
    "api-cable-list": [("get", lambda: [], ALL, 200, 200), ("post", lambda: [], (), 201, 405)],
    "api-cable-detail": [
        ("get", lambda: ["08MOSCOW3526"], ALL, 200, 404),
        ("get", lambda: ["09STATE6423"], SECRET_NOFORN, 200, 404),
        ("delete", lambda: ["08MOSCOW3526"], (), 204, 405),
    ],
    "api-schema": [("get", lambda: [], ALL, 200, 200)],
    "api-token": [("post", lambda: [], (), 200, 400)],  # no credentials given: a clear 400
    "requirement-set-list": [("get", lambda: [], ALL, 200, 200)],
    "candidate-list": [("get", lambda: [], ALL, 200, 200)],
    "requirement-set-create": [("post", lambda: [], EDITORS, 302, WRITE_REFUSED, {"reference_id": "09STATE6423"})],
    "requirement-set-detail": [("get", lambda: [_set_id()], SECRET_NOFORN, 200, 404)],
    "requirement-set-export": [("get", lambda: [_set_id(), "xlsx"], SECRET_NOFORN, 200, 404),
                               ("get", lambda: [_set_id(), "csv"], SECRET_NOFORN, 200, 404)],
    "requirement-set-print": [("get", lambda: [_set_id()], SECRET_NOFORN, 200, 404)],
    "dashboard": [("get", lambda: [], ALL, 200, 200)],
    "dashboard-export": [("get", lambda: ["csv"], ALL, 200, 200), ("get", lambda: ["xlsx"], ALL, 200, 200)],
    "dashboard-print": [("get", lambda: [], ALL, 200, 200)],
    "requirement-set-edit": [("post", lambda: [_set_id()], EDITORS, 302, WRITE_REFUSED,
                              {"title": "Iran in Latin America", "status": "active", "priority": "high"})],
    "requirement-set-reextract": [("post", lambda: [_set_id()], EDITORS, 302, WRITE_REFUSED)],
    "question-add": [("get", lambda: [_set_id()], EDITORS, 200, WRITE_REFUSED)],
    "section-add": [("get", lambda: [_set_id()], EDITORS, 200, WRITE_REFUSED)],
    "question-edit": [("get", lambda: [_question_id()], EDITORS, 200, WRITE_REFUSED)],
    "question-split": [("post", lambda: [_question_id()], EDITORS, 302, WRITE_REFUSED, {"at": "2"})],
    "question-merge": [("post", lambda: [_question_id()], EDITORS, 302, WRITE_REFUSED)],
    "question-move": [("post", lambda: [_question_id()], EDITORS, 302, WRITE_REFUSED, {"direction": "down"})],
    "question-retire": [("post", lambda: [_question_id()], EDITORS, 302, WRITE_REFUSED, {"retired": "1"})],
    "section-edit": [("get", lambda: [_section_id()], EDITORS, 200, WRITE_REFUSED)],
    "proposal-decide": [("post", lambda: [_proposal_id()], EDITORS, 302, WRITE_REFUSED, {"decision": "dismiss"})],
    "api-requirement-set-list": [
        ("get", lambda: [], ALL, 200, 200),
        # 08MOSCOW3526 holds no questions: a clear 400 for those who may write, 403 for the reader
        ("post", lambda: [], (), 201, {"reader": 403, "*": 400}, {"tasking_cable": "08MOSCOW3526"}),
    ],
    "api-requirement-set-detail": [
        ("get", lambda: [_set_id()], SECRET_NOFORN, 200, 404),
        ("patch", lambda: [_set_id()], EDITORS, 200, WRITE_REFUSED, {"priority": "high"}),
        ("delete", lambda: [_set_id()], (), 204, 403),  # nobody deletes a set
    ],
    "api-question-list": [("get", lambda: [], ALL, 200, 200)],
    "api-requirement-set-coverage": [("get", lambda: [_set_id()], SECRET_NOFORN, 200, 404)],
    "question-detail": [("get", lambda: [_question_id()], SECRET_NOFORN, 200, 404)],
    "response-create": [
        ("get", lambda: [], LOGGERS, 200, 403),
        # analysts may log, but not against a question they cannot see: the form refuses it (400)
        ("post", lambda: [], EDITORS, 302, {"reader": 403, "*": 400},
         lambda: {"cable": "08MOSCOW3526", "questions": [_question_id()], "paragraphs": "1",
                  "assessment": "partly", "confidence": "low"}),
    ],
    "waiting-list": [("get", lambda: [], ALL, 200, 200)],
    "cable-lookup": [("get", lambda: [], ALL, 200, 200)],
    "response-edit": [("get", lambda: [_response_id()], EDITORS, 200, WRITE_REFUSED)],
    "response-confirm": [("post", lambda: [_response_id()], EDITORS, 302, WRITE_REFUSED)],
    "response-retract": [("post", lambda: [_response_id()], EDITORS, 302, WRITE_REFUSED)],
    "suggestion-decide": [("post", lambda: [_suggestion_id()], EDITORS, 302, WRITE_REFUSED, {"decision": "reject"})],
    "suggestions-reject": [("post", lambda: [_set().questions.get(code="B.2").pk], EDITORS, 302, WRITE_REFUSED,
                            lambda: {"suggestion": [_suggestion_id()]})],
    "api-response-list": [
        ("get", lambda: [], ALL, 200, 200),
        ("post", lambda: [], EDITORS, 201, {"reader": 403, "*": 400},
         lambda: {"question": _set().questions.get(code="B.1").pk, "cable": "08MOSCOW3526", "paragraphs": ["1"],
                  "assessment": "context"}),
    ],
    "api-response-detail": [
        ("get", lambda: [_response_id()], SECRET_NOFORN, 200, 404),
        ("patch", lambda: [_response_id()], EDITORS, 200, WRITE_REFUSED, {"note": "checked"}),
        ("delete", lambda: [_response_id()], (), 204, 403),  # nothing is deleted for real
    ],
    "api-response-retract": [("post", lambda: [_response_id()], EDITORS, 200, WRITE_REFUSED)],
    "api-suggestion-list": [("get", lambda: [], ALL, 200, 200)],
    "api-suggestion-detail": [("get", lambda: [_suggestion_id()], SECRET_NOFORN, 200, 404)],
    "api-suggestion-accept": [("post", lambda: [_suggestion_id()], EDITORS, 201, WRITE_REFUSED, {})],
    "api-suggestion-reject": [("post", lambda: [_suggestion_id()], EDITORS, 200, WRITE_REFUSED, {})],
    "api-suggestion-restore": [("post", lambda: [_rejected_suggestion_id()], EDITORS, 200, WRITE_REFUSED, {})],
    "api-question-detail": [
        ("get", lambda: [_question_id()], SECRET_NOFORN, 200, 404),
        ("patch", lambda: [_question_id()], EDITORS, 200, WRITE_REFUSED, {"marking": "C//NF"}),
    ],
}
NOT_IN_MATRIX = {
    "admin": "the Django admin: guarded by Django's own staff and model permissions (tested in test_audit)",
    "admin-view-on-site": "the admin's view-on-site redirect (tests/tracker/test_access_session16.py)",
}


def _url_names(resolver=None, namespace: str = "") -> set[str]:
    names = set()
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace == "admin":
                names.add("admin")
                continue
            names |= _url_names(pattern, pattern.namespace or namespace)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.add(pattern.name)
    return names


def test_every_url_is_in_the_matrix():
    missing = {name for name in _url_names() if name not in MATRIX and name not in NOT_IN_MATRIX}
    assert not missing, f"add these to the access matrix: {sorted(missing)}"


@pytest.fixture
def users(make_user):
    made = {}
    for name, (role, level, noforn) in USERS.items():
        user = make_user(name, clearance=level, noforn=noforn)
        user.groups.add(Group.objects.get(name=role))
        if role == "admin":
            user.is_staff = True
            user.save()
        made[name] = user
    return made


@pytest.mark.parametrize("user_name", USERS)
@pytest.mark.parametrize("url_name", sorted(MATRIX))
def test_each_user_gets_what_its_clearance_and_role_allow(client, users, user_name, url_name):
    import_paths([SEEDS])
    _set()
    client.force_login(users[user_name])
    for method, args, allowed, success, refused, *data in MATRIX[url_name]:
        url = reverse(url_name, args=args())
        data = [data[0]() if data and callable(data[0]) else data[0]] if data else []
        if url.startswith("/api/") and method in ("post", "patch"):
            response = getattr(client, method)(url, data[0] if data else {}, content_type="application/json")
        else:
            response = getattr(client, method)(url, *data)
        if isinstance(refused, dict):
            refused = refused.get(user_name, refused["*"])
        expected = success if user_name in allowed else refused
        assert response.status_code == expected, f"{user_name} {method.upper()} {url}: {response.status_code}"
        client.force_login(users[user_name])  # logout ends the session
