"""`manage.py import_cables`, `demo`: counts, rejected records, exit codes."""
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

from cables.models import Cable
from tests.conftest import SEEDS

ROOT = Path(__file__).parents[2]


def run(*args: str, env_db: Path, extra: dict | None = None) -> subprocess.CompletedProcess:
    import os

    env = {**os.environ, "DATABASE_URL": f"sqlite:///{env_db}", **(extra or {})}
    env.pop("CELERY_BROKER_URL", None)
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True)


@pytest.fixture
def db_file(tmp_path):
    path = tmp_path / "cli.sqlite3"
    assert run("migrate", "-v0", env_db=path).returncode == 0
    return path


def test_the_command_imports_and_exits_0_when_all_records_import(db_file):
    result = run("import_cables", str(SEEDS), env_db=db_file)
    assert result.returncode == 0, result.stderr
    assert "2 new, 0 updated, 0 unchanged, 0 rejected" in result.stdout
    assert "import" in result.stderr  # the progress bar
    again = run("import_cables", str(SEEDS), env_db=db_file)
    assert "0 new, 0 updated, 2 unchanged, 0 rejected" in again.stdout


def test_the_command_exits_1_and_lists_rejections_when_some_fail(db_file, tmp_path):
    (tmp_path / "empty.txt").write_text("")
    result = run("import_cables", str(SEEDS), str(tmp_path / "empty.txt"), env_db=db_file)
    assert result.returncode == 1
    assert "2 new, 0 updated, 0 unchanged, 1 rejected" in result.stdout
    assert f"rejected {tmp_path / 'empty.txt'}: empty file" in result.stdout


def test_the_command_exits_2_on_a_usage_error(db_file):
    assert run("import_cables", "/no/such/path", env_db=db_file).returncode == 2
    assert run("import_cables", env_db=db_file).returncode == 2


@pytest.mark.django_db
def test_demo_loads_both_seeds_and_prints_the_accounts(capsys, django_user_model):
    call_command("demo")
    out = capsys.readouterr().out
    assert set(Cable.objects.values_list("reference_id", flat=True)) == {"09STATE6423", "08MOSCOW3526"}
    assert "admin    password: " in out and "analyst  password: " in out
    admin = django_user_model.objects.get(username="admin")
    password = out.split("admin    password: ")[1].split()[0]
    assert admin.is_superuser and admin.check_password(password)
    analyst = django_user_model.objects.get(username="analyst")
    assert (analyst.clearance.level, analyst.clearance.noforn) == ("SECRET", True)
    assert analyst.groups.filter(name="analyst").exists() and not analyst.is_staff


def test_the_command_queues_a_dump_as_a_chunked_job_with_the_same_report(db_file, tmp_path):
    from tests.cables.test_chunked_import import write_dump

    dump = write_dump(tmp_path / "cables.csv")
    direct_db = tmp_path / "direct.sqlite3"
    assert run("migrate", "-v0", env_db=direct_db).returncode == 0
    direct = run("import_cables", "--no-progress", str(dump), env_db=direct_db)
    queued = run("import_cables", "--queue", str(dump), env_db=db_file,
                 extra={"IMPORT_CHUNK_BYTES": "30000", "MEDIA_ROOT": str(tmp_path / "media")})
    assert queued.returncode == direct.returncode == 1, queued.stderr
    assert queued.stdout == direct.stdout
    assert "3 rejected" in queued.stdout and f"rejected {dump} row 4 (line " in queued.stdout
    assert "import" in queued.stderr  # the progress bar
    assert len(list((tmp_path / "media" / "imports").rglob("*.csv"))) == 1  # kept for the workers
