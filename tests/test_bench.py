"""bench/run.py at a tiny size, so the benchmark cannot rot: it runs on a scratch database of its own and
ends with a JSON line of every figure, at three steps."""
import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import psycopg
import pytest
from django.conf import settings
from django.urls import NoReverseMatch, reverse

ROOT = Path(__file__).parents[1]
ON_POSTGRES = settings.DATABASES["default"]["ENGINE"].endswith("postgresql")
KEYS = ["import_cables_per_s", "import_mb_per_s", "import_peak_rss_mb", "copy_ratio", "import_cpu_ms_per_cable",
        "database_cpu_ms_per_cable", "suggest_cables_per_s",
        "dashboard_p95_ms", "set_report_p95_ms", "cable_search_p95_ms", "dashboard_queries", "set_report_queries",
        "cable_search_queries"]


def run_bench(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "bench/run.py", *args], cwd=ROOT, env=env or dict(os.environ),
                          capture_output=True, text=True, timeout=300)


def _dashboard_built() -> bool:
    try:
        reverse("dashboard")
    except NoReverseMatch:
        return False
    return True


def _is_number(value) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def test_benchmark_at_300_cables_prints_every_figure_for_three_steps():
    result = run_bench("--cables", "300", "--requests", "10")

    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-3000:]
    figures = json.loads(result.stdout.strip().splitlines()[-1])
    expected_null = set() if ON_POSTGRES else {"copy_ratio"}
    if not _dashboard_built():
        expected_null |= {"dashboard_p95_ms", "dashboard_queries"}
    for key in KEYS:
        assert _is_number(figures[key]) or (key in expected_null and figures[key] is None), (key, figures[key])
    assert figures["cables"] == 300
    assert figures["database"] == ("postgresql" if ON_POSTGRES else "sqlite")
    assert isinstance(figures["targets_missed"], list)
    assert [step["fraction"] for step in figures["steps"]] == [0.1, 0.5, 1.0]
    assert [step["cables"] for step in figures["steps"]] == [30, 150, 300]
    for step in figures["steps"]:
        assert all(_is_number(step[key]) or key in expected_null for key in KEYS), step
    assert figures["import_cpu_ms_per_cable"] > 0  # the import's processes did the parsing
    assert "import, cables/s" in result.stdout  # the table comes before the JSON line


@pytest.mark.skipif(not ON_POSTGRES, reason="the scratch database is a temporary file on SQLite")
def test_benchmark_leaves_alone_a_database_it_did_not_create():
    name = f"bench_guard_{uuid.uuid4().hex[:8]}"
    url = os.environ["DATABASE_URL"].rsplit("/", 1)[0]
    with psycopg.connect(url + "/postgres", autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}_bench"')
        try:
            result = run_bench("--cables", "300", env=dict(os.environ, DATABASE_URL=f"{url}/{name}"))
            still_there = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [f"{name}_bench"]).fetchone()
        finally:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}_bench"')

    assert result.returncode == 2
    assert "was not made by bench/run.py" in result.stderr
    assert still_there
