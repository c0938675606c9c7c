"""A generated Cablegate-format CSV of 10,000 cables imports whole, in memory that does not grow with
the file (peak RSS of the import process for 2,000 and for 10,000 cables).

Measured on PostgreSQL, the database a Cablegate-sized import is meant for: SQLite's own allocations grow
by a few kilobytes per cable (the Python heap stays flat there too), so on SQLite only the completeness is
checked.
"""
import os
import subprocess
import sys
import uuid
from pathlib import Path

import dj_database_url
import psycopg
import pytest
from django.conf import settings

from bench.generate import write_csv

ROOT = Path(__file__).parents[2]
MEASURE = """
import resource, subprocess, sys
result = subprocess.run(sys.argv[1:], capture_output=True, text=True)
sys.stdout.write(result.stdout)
print("PEAK_RSS_KB", resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
sys.exit(result.returncode)
"""
ON_POSTGRES = settings.DATABASES["default"]["ENGINE"].endswith("postgresql")


def fresh_database_url(tmp_path: Path, name: str, created: list) -> str:
    if not ON_POSTGRES:
        return f"sqlite:///{tmp_path / name}.sqlite3"
    url = os.environ["DATABASE_URL"]
    config = dj_database_url.parse(url)
    database = f"scale_{name}_{uuid.uuid4().hex[:8]}"
    admin = psycopg.connect(host=config["HOST"] or None, port=config["PORT"] or None, user=config["USER"] or None,
                            password=config["PASSWORD"] or None, dbname="postgres", autocommit=True)
    with admin:
        admin.execute(f'CREATE DATABASE "{database}"')
    created.append((config, database))
    return url.rsplit("/", 1)[0] + "/" + database


def drop_databases(created: list) -> None:
    for config, database in created:
        with psycopg.connect(host=config["HOST"] or None, port=config["PORT"] or None, user=config["USER"] or None,
                             password=config["PASSWORD"] or None, dbname="postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{database}"')


def import_in_fresh_database(csv_path: Path, database_url: str) -> tuple[str, int]:
    env = {k: v for k, v in os.environ.items() if k != "CELERY_BROKER_URL"}
    env["DATABASE_URL"] = database_url
    manage = [sys.executable, "manage.py"]
    subprocess.run([*manage, "migrate", "-v0"], cwd=ROOT, env=env, check=True)
    result = subprocess.run([sys.executable, "-c", MEASURE, *manage, "import_cables", "--no-progress", str(csv_path)],
                            cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    peak = int(result.stdout.split("PEAK_RSS_KB")[1].split()[0])
    return result.stdout, peak


@pytest.mark.slow
def test_ten_thousand_generated_cables_import_in_memory_that_does_not_grow(tmp_path):
    small, large = tmp_path / "2k.csv", tmp_path / "10k.csv"
    write_csv(small, count=2_000, seed=7)
    summary = write_csv(large, count=10_000, seed=7)
    assert large.stat().st_size > 4 * small.stat().st_size
    created: list = []
    try:
        out_small, peak_small = import_in_fresh_database(small, fresh_database_url(tmp_path, "small", created))
        out_large, peak_large = import_in_fresh_database(large, fresh_database_url(tmp_path, "large", created))
    finally:
        drop_databases(created)
    assert "2000 new, 0 updated, 0 unchanged, 0 rejected" in out_small
    assert "10000 new, 0 updated, 0 unchanged, 0 rejected" in out_large
    assert summary["rows"] == 10_000
    if ON_POSTGRES:
        # Five times the file, the same memory give or take noise: nothing is held per row.
        assert peak_large < peak_small * 1.25 + 20_000, (peak_small, peak_large)
