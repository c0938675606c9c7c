"""Settings from the environment: production settings pass `check --deploy`; defaults run on SQLite."""
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).parents[1]


def manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "CELERY_BROKER_URL", "DEBUG", "SECRET_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE"}}
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env={**clean, **env},
                          capture_output=True, text=True)


def test_production_settings_pass_the_deploy_check():
    result = manage(
        "check", "--deploy", "--fail-level", "WARNING",
        DEBUG="0", SECRET_KEY="x" * 30 + "-a-long-random-production-secret-key",
        ALLOWED_HOSTS="tracker.example.org",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    result = manage("check", DEBUG="0", ALLOWED_HOSTS="tracker.example.org")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_nothing_set_means_sqlite_and_eager_tasks():
    code = (
        "import django; django.setup(); from django.conf import settings; "
        "print(settings.DATABASES['default']['ENGINE'], settings.CELERY_TASK_ALWAYS_EAGER)"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                            env={k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "CELERY_BROKER_URL"}}
                            | {"DJANGO_SETTINGS_MODULE": "tracker.settings"})
    assert result.stdout.split() == ["django.db.backends.sqlite3", "True"], result.stderr


def test_a_task_whose_worker_dies_goes_back_to_the_queue():
    """Acknowledged late alone, a task whose worker process was killed was neither done nor delivered again:
    its import job ran forever."""
    from tracker.celery import app

    assert app.conf.task_acks_late and app.conf.task_reject_on_worker_lost
