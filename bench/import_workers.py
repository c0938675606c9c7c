"""Chunked import jobs on 1 and then 2 Celery workers: cables a second each, and the speed-up.

Needs PostgreSQL and a Redis broker. For each worker count: a fresh database, migrate, start that many
`celery -A tracker worker --concurrency=1` processes, run `manage.py import_cables --queue` on the CSV
(generated unless given), stop the workers, drop the database. The last line printed is JSON.

    .venv/bin/python bench/import_workers.py --cables 20000 \\
        --database-url postgres://postgres@127.0.0.1:5432/postgres --broker redis://127.0.0.1:6379/12
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import dj_database_url
import psycopg

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.generate import write_csv  # noqa: E402


def admin_connection(url: str) -> psycopg.Connection:
    config = dj_database_url.parse(url)
    return psycopg.connect(host=config["HOST"] or None, port=config["PORT"] or None, user=config["USER"] or None,
                           password=config["PASSWORD"] or None, dbname="postgres", autocommit=True)


def run_with_workers(csv_path: Path, workers: int, base_url: str, broker: str, chunk_bytes: int) -> dict:
    database = f"bench_workers_{workers}_{uuid.uuid4().hex[:8]}"
    url = base_url.rsplit("/", 1)[0] + "/" + database
    media = Path(tempfile.mkdtemp(prefix="bench-media-"))
    env = {**os.environ, "DATABASE_URL": url, "CELERY_BROKER_URL": broker, "MEDIA_ROOT": str(media),
           "SUGGEST_ON_IMPORT": "0", "IMPORT_CHUNK_BYTES": str(chunk_bytes)}
    manage = [sys.executable, "manage.py"]
    celery = [sys.executable, "-m", "celery", "-A", "tracker"]
    with admin_connection(base_url) as admin:
        admin.execute(f'CREATE DATABASE "{database}"')
    processes = []
    try:
        subprocess.run([*manage, "migrate", "-v0"], cwd=ROOT, env=env, check=True)
        subprocess.run([*celery, "purge", "-f"], cwd=ROOT, env=env, check=True, capture_output=True)
        for i in range(workers):
            processes.append(subprocess.Popen(
                [*celery, "worker", "--concurrency=1", "--loglevel=WARNING", "-n", f"bench{i}-{database}@%h"],
                cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
            ))
        time.sleep(5)  # the workers connect before the clock starts
        started = time.monotonic()
        result = subprocess.run([*manage, "import_cables", "--queue", "--no-progress", str(csv_path)],
                                cwd=ROOT, env=env, capture_output=True, text=True)
        seconds = time.monotonic() - started
        if result.returncode not in (0, 1):
            raise SystemExit(f"import failed: {result.stdout[-2000:]}{result.stderr[-2000:]}")
        summary = result.stdout.splitlines()[0]
        with psycopg.connect(url.replace("postgres://", "postgresql://")) as db:
            cables = db.execute("SELECT count(*) FROM cables_cable").fetchone()[0]
            chunks = db.execute("SELECT count(*) FROM cables_importchunk").fetchone()[0]
    finally:
        for process in processes:
            os.killpg(process.pid, signal.SIGTERM)
        for process in processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
        with admin_connection(base_url) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        shutil.rmtree(media, ignore_errors=True)
    return {"workers": workers, "cables": cables, "chunks": chunks, "seconds": round(seconds, 1),
            "cables_per_second": round(cables / seconds, 1), "summary": summary}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("csv", nargs="?", type=Path, help="a Cablegate-format CSV (default: generate one)")
    parser.add_argument("--cables", type=int, default=20_000, help="rows to generate (default 20000)")
    parser.add_argument("--seed", type=int, default=2010)
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres"),
                        help="a PostgreSQL server (its database name is replaced by a fresh one per run)")
    parser.add_argument("--broker", default=os.environ.get("CELERY_BROKER_URL", "redis://127.0.0.1:6379/12"))
    parser.add_argument("--chunk-bytes", type=int, default=8 * 1024 * 1024)
    args = parser.parse_args()
    csv_path = args.csv
    if csv_path is None:
        csv_path = Path(tempfile.gettempdir()) / f"bench-workers-{args.cables}-{args.seed}.csv"
        if not csv_path.exists():
            write_csv(csv_path, count=args.cables, seed=args.seed)
    results = [run_with_workers(csv_path, n, args.database_url, args.broker, args.chunk_bytes) for n in (1, 2)]
    for r in results:
        print(f"{r['workers']} worker(s): {r['cables']} cables in {r['seconds']} s = {r['cables_per_second']} cables/s "
              f"({r['chunks']} chunks; {r['summary']})")
    speedup = results[1]["cables_per_second"] / results[0]["cables_per_second"]
    print(f"speed-up from 1 to 2 workers: {speedup:.2f}x")
    print(json.dumps({"file": str(csv_path), "bytes": csv_path.stat().st_size, "runs": results,
                      "speedup": round(speedup, 2)}))


if __name__ == "__main__":
    main()
