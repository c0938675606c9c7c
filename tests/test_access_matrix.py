"""The access matrix: every page and API endpoint, for four users, against the two seed cables.

Each URL pattern of the project must appear in MATRIX (or in NOT_IN_MATRIX with the reason): a page or
endpoint added later without a row here fails `test_every_url_is_in_the_matrix`.
"""
import pytest
from django.contrib.auth.models import Group
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from cables.importing import import_paths
from cables.models import ImportJob
from tests.conftest import SEEDS

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
    return ImportJob.objects.get_or_create(paths=[], names=["matrix.txt"])[0].pk


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
}
NOT_IN_MATRIX = {
    "admin": "the Django admin: guarded by Django's own staff and model permissions (tested in test_audit)",
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
    client.force_login(users[user_name])
    for method, args, allowed, success, refused in MATRIX[url_name]:
        url = reverse(url_name, args=args())
        response = getattr(client, method)(url)
        expected = success if user_name in allowed else refused
        assert response.status_code == expected, f"{user_name} {method.upper()} {url}: {response.status_code}"
        client.force_login(users[user_name])  # logout ends the session
