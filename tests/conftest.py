"""Shared fixtures: test data paths, users, a real Celery worker where a broker is configured, and
Playwright on Debian's chromium."""
import os
import time
from pathlib import Path

import pytest
from django.conf import settings

# Playwright's sync API runs an event loop in the test thread; the ORM beside it is safe here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

DATA = Path(__file__).parent / "data"
SEEDS = DATA / "seeds"
FLATTENED_SEED = SEEDS / "000_5bd026dc9220d658.txt"
TEXT_PAGE_SEED = SEEDS / "004_96991c4b2cbe5eac.txt"
PAGES = DATA / "pages"
CHROMIUM = "/usr/bin/chromium"


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """On PostgreSQL, no autovacuum in the test database: an ANALYZE it ran in the middle of a test, seeing
    none of the test's uncommitted rows, would change the statistics (and the plans) the search tests read."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    with django_db_blocker.unblock(), connection.cursor() as cursor:
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")
        for (table,) in cursor.fetchall():
            cursor.execute(f'ALTER TABLE "{table}" SET (autovacuum_enabled = false)')


@pytest.fixture(autouse=True)
def _media_root(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # fast, tests only


@pytest.fixture
def make_user(django_user_model):
    def make(username: str = "reader", *, staff: bool = False, password: str = "a-long-test-password",
             clearance: str = "UNCLASSIFIED", noforn: bool = False):
        from tracker.models import Clearance

        user = django_user_model.objects.create_user(username=username, password=password)
        user.is_staff = user.is_superuser = staff
        user.save()
        Clearance.objects.create(user=user, level=clearance, noforn=noforn)
        return user

    return make


@pytest.fixture
def role_user(make_user):
    """A user in a role group (admin, analyst, reader) with a clearance."""
    from django.contrib.auth.models import Group

    def make(name: str, role: str = "analyst", clearance: str = "SECRET", noforn: bool = True):
        user = make_user(name, clearance=clearance, noforn=noforn)
        user.groups.add(Group.objects.get(name=role))
        return user

    return make


@pytest.fixture
def admin_client(client, make_user):
    client.force_login(make_user("admin", staff=True))
    return client


@pytest.fixture
def analyst_client(client, make_user):
    client.force_login(make_user("analyst", clearance="SECRET", noforn=True))
    return client


@pytest.fixture
def celery_worker(transactional_db):
    """A real Celery worker (a thread, on the configured broker) when CELERY_BROKER_URL is set; else
    tasks run eagerly. Either way the test goes through the task."""
    from tracker.celery import app

    if settings.CELERY_TASK_ALWAYS_EAGER:  # no broker configured
        app.conf.task_always_eager = True
        yield "eager"
        return
    from celery.contrib.testing.worker import start_worker

    app.conf.task_always_eager = False
    with start_worker(app, perform_ping_check=False, loglevel="WARNING", shutdown_timeout=30):
        yield "worker"
    app.conf.task_always_eager = settings.CELERY_TASK_ALWAYS_EAGER


def wait_for(condition, timeout: float = 60.0, interval: float = 0.2):
    """Poll `condition` until it returns something truthy; fail after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"condition not met within {timeout} s")


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
        ],
    }


def ensure_roles() -> None:
    """The role groups as the migrations make them, for transactional tests (whose flush removes them)."""
    import importlib

    from django.contrib.auth.models import Group, Permission

    for module in ("tracker.migrations.0003_roles", "tracker.migrations.0006_requirement_roles",
                   "tracker.migrations.0008_response_roles"):
        for name, codes in importlib.import_module(module).ROLES.items():
            group, _ = Group.objects.get_or_create(name=name)
            for code in codes:
                app_label, codename = code.split(".")
                group.permissions.add(Permission.objects.get(content_type__app_label=app_label, codename=codename))


def exported_csv(response) -> str:
    """A CSV export's table: its text between the classification banner lines that open and close it."""
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    lines = text.splitlines(keepends=True)
    assert lines[0] == lines[-1] and lines[0].strip().split("//")[0] in {
        "UNCLASSIFIED", "CONFIDENTIAL", "SECRET", "TOP SECRET"}, (lines[0], lines[-1])
    return "".join(lines[1:-1])
