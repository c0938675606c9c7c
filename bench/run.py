"""The issue's benchmark: import, suggestion ranking and the three busiest pages, at 10%, 50% and 100% of N cables.

    .venv/bin/python bench/run.py [--cables 251287] [--seed 2010] [--keep] [--markdown] [--requests 30]

It runs on the database `DATABASE_URL` names, but never touches that database: on PostgreSQL it creates
`<name>_bench` beside it (marked with a comment as this script's own; an existing one is dropped only when it
carries that mark), on SQLite a temporary file; it migrates that scratch database and drops it at the end
unless --keep. A generated Cablegate CSV (bench/generate.py) is imported in three slices (the first 10% of
the rows, the next 40%, the last 50%), each by `manage.py import_cables` in its own process with
SUGGEST_ON_IMPORT=0; after each slice it measures:

- the slice's import: cables/s, MB/s, the peak RSS of the import process and its workers, and its time over
  a raw `COPY` of the same CSV rows into a bare table (PostgreSQL only);
- `tracker.linking.suggest_for_cables` over up to 2,000 of the slice's cables, 500 at a time;
- the dashboard, a requirement set's report and a cable search: p95 of 30 requests in-process
  (django.test.Client, a superuser) and the SQL queries each request made.

Requirement data is made once the first slice is in (100 sets of 20 questions in four sections) and
responses grow with the cables (50,000 at 100%); below 20,000 cables all of it, and the sample of cables
ranked, shrinks in proportion (to 500 cables ranked at least).

Prints a table (the `result` column holds what is judged: the whole import, and the 100% step for the rest)
and, as the last line, a JSON object. Exit 0 whether or not targets are met (the table and
`targets_missed` say which are not); 1 when the benchmark itself fails; 2 when its scratch database name
is taken by a database it did not create.
"""
from __future__ import annotations

import argparse
import json
import math
import os
import platform
import random
import signal
import subprocess
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path
from urllib.parse import urlencode, urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.generate import NAMES, WORDS, csv_line, iter_rows  # noqa: E402

FRACTIONS = (0.1, 0.5, 1.0)
SETS, SECTIONS, QUESTIONS_PER_SECTION, RESPONSES = 100, "ABCD", 5, 50_000
FULL_REQUIREMENTS_AT = 20_000  # cables; below it the requirement data shrinks in proportion
SUGGEST_SAMPLE, SUGGEST_BATCH = 2_000, 500
MARK = "scratch database of bench/run.py: dropped at the end of a run"
RAW_COLUMNS = ("id", "date", "refid", "origin", "classification", "refs", "header", "content")
PAGES = ("dashboard", "set_report", "cable_search")
METRICS = ("import_cables_per_s", "import_mb_per_s", "import_peak_rss_mb", "copy_ratio", "import_cpu_ms_per_cable",
           "database_cpu_ms_per_cable", "suggest_cables_per_s",
           *(f"{page}_p95_ms" for page in PAGES), *(f"{page}_queries" for page in PAGES))
TARGETS = {  # key: (comparison, bound, as the table writes it)
    "import_cables_per_s": (">=", 420, ">= 420"),
    "import_peak_rss_mb": ("<", 500, "< 500"),
    "copy_ratio": ("<", 5, "< 5"),
    "suggest_cables_per_s": (">=", 500, ">= 500"),
    **{f"{page}_p95_ms": ("<", 300, "< 300") for page in PAGES},
    **{f"{page}_queries": ("constant", None, "constant") for page in PAGES},
}
SEARCHES = [  # share of generated cables matching each, at 20,000: from 65% ("government") to under 1% ("IRGC")
    "nuclear", "sanctions", "Chavez", "government", "foreign minister", "election opposition", "Gazprom",
    "human rights", "IRGC", "government said", "Hizballah", "energy policy", "Medvedev visit",
    '"security cooperation"', "drug trafficking"]
started_at = time.perf_counter()


class BenchError(RuntimeError):
    """The benchmark itself failed (not a missed target)."""


def say(message: str) -> None:
    print(f"[{time.perf_counter() - started_at:7.1f} s] {message}", file=sys.stderr, flush=True)


# ----------------------------------------------------------------------------- the scratch database


def is_postgres(url: str) -> bool:
    return urlsplit(url).scheme in {"postgres", "postgresql", "pgsql"}


def _with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    scheme = "postgresql" if parts.scheme == "pgsql" else parts.scheme
    return urlunsplit((scheme, parts.netloc, "/" + name, parts.query, parts.fragment))


def create_scratch(url: str, workdir: Path) -> tuple[str, str]:
    """(the scratch database's URL, its name or file) made beside the configured database."""
    if not is_postgres(url):
        path = workdir / "bench.sqlite3"
        return f"sqlite:///{path}", str(path)
    import psycopg

    name = (urlsplit(url).path.strip("/") or "tracker") + "_bench"
    with psycopg.connect(_with_database(url, "postgres"), autocommit=True) as admin:
        found = admin.execute("SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s",
                              [name]).fetchone()
        if found and found[0] != MARK:
            raise FileExistsError(f"database {name} exists and was not made by bench/run.py: drop or rename it")
        if found:
            say(f"dropping {name}, left by an earlier run")
            admin.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')
        admin.execute(f"COMMENT ON DATABASE \"{name}\" IS '{MARK}'")
    return _with_database(url, name), name


def drop_scratch(url: str, name: str) -> None:
    from django.apps import apps
    from django.db import connections

    if apps.ready:
        connections.close_all()
    if not is_postgres(url):
        Path(name).unlink(missing_ok=True)
        return
    import psycopg

    with psycopg.connect(_with_database(url, "postgres"), autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


# ----------------------------------------------------------------------------- import and COPY


def write_slices(count: int, seed: int, workdir: Path) -> list[tuple[Path, int, int]]:
    """The generated rows in three CSV files (first 10%, next 40%, last 50%): [(path, rows, bytes)]."""
    ends = [max(1, round(count * fraction)) for fraction in FRACTIONS]
    slices, rows = [], iter_rows(count, seed)
    start = 0
    for number, end in enumerate(ends, 1):
        path, written = workdir / f"slice{number}.csv", 0
        with open(path, "w", encoding="utf-8", newline="") as out:
            for _ in range(end - start):
                line = csv_line(next(rows))
                out.write(line)
                written += len(line.encode("utf-8"))
        slices.append((path, end - start, written))
        start = end
    return slices


def run_import(path: Path, env: dict, expected: int) -> tuple[float, float, float, float]:
    """(seconds, peak RSS in MB, CPU seconds of the import, CPU seconds of the rest of the machine) of
    `manage.py import_cables` on one file, in its own process. The peak is that of the process and its
    import processes together, sampled every 0.1 s, or the kernel's exact peak of the largest of them if
    that is more. The import's CPU is its process's and its import processes'; the rest of the machine's,
    on a machine that runs nothing else, is PostgreSQL's. CPU seconds move less than wall time where the
    machine's speed varies from minute to minute."""
    log = path.with_suffix(".log")
    with open(log, "w") as out:
        machine_began = busy_seconds()
        began = time.perf_counter()
        process = subprocess.Popen([sys.executable, "manage.py", "import_cables", "--no-progress", str(path)],
                                   cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
        sampled = 0.0
        try:
            while True:
                pid, status, usage = os.wait4(process.pid, os.WNOHANG)
                if pid:
                    break
                sampled = max(sampled, tree_rss_mb(process.pid))
                time.sleep(0.1)
        except BaseException:  # interrupted: the import goes too
            process.kill()
            process.wait()
            raise
        seconds = time.perf_counter() - began
        machine_cpu = busy_seconds() - machine_began
    process.returncode = os.waitstatus_to_exitcode(status)
    output = log.read_text()
    if process.returncode != 0 or f"{expected} new, 0 updated, 0 unchanged, 0 rejected" not in output:
        raise BenchError(f"import_cables {path.name} exited {process.returncode}:\n{output[-3000:]}")
    cpu = usage.ru_utime + usage.ru_stime  # with the import processes it waited for
    return seconds, max(sampled, usage.ru_maxrss / 1024), cpu, max(machine_cpu - cpu, 0.0)


def busy_seconds() -> float:
    """CPU seconds the whole machine has spent busy since it started (/proc/stat; 0 where there is none)."""
    try:
        user, nice, system, _idle, _iowait, irq, softirq = map(int, Path("/proc/stat").read_text().split()[1:8])
    except (OSError, ValueError):
        return 0.0
    return (user + nice + system + irq + softirq) / os.sysconf("SC_CLK_TCK")


def tree_rss_mb(root: int) -> float:
    """Resident memory of a process and all its descendants, from /proc (0 where there is none)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").glob("[0-9]*"):
        try:
            parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(parent, []).append(int(entry.name))
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        todo += children.get(pid, [])
        try:
            status = Path(f"/proc/{pid}/status").read_text()
        except OSError:
            continue
        total += next((int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS:")), 0)
    return total / 1024


def copy_seconds(url: str, path: Path, expected: int) -> float | None:
    """Seconds for PostgreSQL to COPY the same CSV rows into a bare table of eight text columns."""
    if not is_postgres(url):
        return None
    import psycopg

    columns = ", ".join(RAW_COLUMNS)
    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute(f"CREATE TABLE IF NOT EXISTS bench_raw ({', '.join(c + ' text' for c in RAW_COLUMNS)})")
        began = time.perf_counter()
        with connection.cursor() as cursor:
            with cursor.copy(f"COPY bench_raw ({columns}) FROM STDIN (FORMAT csv, ESCAPE '\\')") as copy:
                with open(path, "rb") as source:
                    while block := source.read(1 << 20):
                        copy.write(block)
            rows = cursor.rowcount
        seconds = time.perf_counter() - began
    if rows != expected:
        raise BenchError(f"COPY read {rows} rows of {path.name}, not {expected}")
    return seconds


# ----------------------------------------------------------------------------- requirement data


def question_sentences() -> list[str]:
    """Real question sentences: those of the six tasking cables among the sample pages."""
    from cables.sources import parse_document
    from tracker.extraction import extract

    pages = ROOT / "tests" / "data" / "pages"
    taskings = ["09STATE6423", "09STATE40419", "09STATE47326", "09STATE52774", "08STATE30340", "09STATE80163"]
    return [s for ref in taskings for q in extract(parse_document((pages / f"{ref}.html").read_text())).questions
            for s in q.sentences if len(s.split()) > 3]


def _generated_question(rng: random.Random) -> str:
    words = [rng.choice(NAMES) if rng.random() < 0.2 else rng.choice(WORDS) for _ in range(rng.randint(6, 12))]
    return "What is " + " ".join(words) + "?"


def make_posts() -> dict[str, int]:
    """A Post for every origin in the store: {key: pk}."""
    from cables.models import Cable
    from tracker.models import Post
    from tracker.posts import post_key, post_name

    origins = set(Cable.objects.values_list("origin", flat=True).distinct())
    posts = {post_key(origin): Post(key=post_key(origin), name=post_name(origin), aliases=[origin])
             for origin in origins if post_key(origin)}
    Post.objects.bulk_create(posts.values(), ignore_conflicts=True)
    return dict(Post.objects.values_list("key", "pk"))


def make_requirements(scale: float, rng: random.Random, user) -> dict:
    """Sets (tasking cables first, then others), four sections each, five questions a section; priorities,
    due dates (some past), addressed posts. Returns what responses and pages need."""
    from cables.markings import marking_access
    from cables.models import Cable
    from tracker import linking
    from tracker.models import Question, RequirementSet, Section, TaskingCandidate

    count = max(2, round(SETS * scale))
    tasking = list(TaskingCandidate.objects.order_by("cable_id").values_list("cable_id", flat=True)[:count])
    others = Cable.objects.exclude(pk__in=tasking).order_by("pk").values_list("pk", flat=True)[:count - len(tasking)]
    cables = {c.pk: c for c in Cable.objects.filter(pk__in=[*tasking, *others]).only(
        "id", "subject", "created", "collection_references", "reference_id")}
    if len(cables) < count:
        raise BenchError(f"{len(cables)} cables for {count} requirement sets: import more cables")
    posts = make_posts()
    today = date.today()
    sets = RequirementSet.objects.bulk_create([
        RequirementSet(tasking_cable_id=pk, title=(cable.subject or cable.reference_id)[:300],
                       collection_reference=(cable.collection_references or [""])[0][:20], tasked=cable.created,
                       issuer="SECSTATE WASHDC", created_by=user,
                       priority=rng.choices(["high", "medium", "low"], weights=[2, 5, 3])[0],
                       due=rng.choice([None, today - timedelta(days=rng.randint(1, 90)),
                                       today + timedelta(days=rng.randint(1, 180)),
                                       today + timedelta(days=rng.randint(1, 180))]))
        for pk, cable in cables.items()])
    through = RequirementSet.addressed_posts.through
    through.objects.bulk_create([through(requirementset_id=s.pk, post_id=post) for s in sets
                                 for post in rng.sample(sorted(posts.values()), min(len(posts), rng.randint(2, 8)))])
    sections = Section.objects.bulk_create([
        Section(requirement_set=s, letter=letter, order=i, audience=f"FOR {rng.choice(NAMES).upper()} WATCHERS")
        for s in sets for i, letter in enumerate(SECTIONS)])
    real = question_sentences()
    markings = rng.choices(["S//NF", "S", "C", "C//NF", "U", "SBU"], weights=[4, 2, 3, 1, 1, 1],
                           k=len(sections) * QUESTIONS_PER_SECTION)
    questions = []
    for section in sections:
        for number in range(1, QUESTIONS_PER_SECTION + 1):
            sentences = rng.sample(real, rng.randint(1, 2)) + [_generated_question(rng)]
            marking = markings[len(questions)]
            level, noforn = marking_access(marking)
            questions.append(Question(
                requirement_set_id=section.requirement_set_id, section=section, code=f"{section.letter}.{number}",
                marking=marking, level=level, noforn=noforn, text=" ".join(sentences), sentences=sentences,
                order=section.order * QUESTIONS_PER_SECTION + number, paragraph_number=str(section.order + 2),
                extracted={"code": f"{section.letter}.{number}", "marking": marking}))
    Question.objects.bulk_create(questions, batch_size=1_000)
    for requirement_set in sets:
        linking.attach_waiting(requirement_set)
    tasked = {s.pk: s.tasked for s in sets}
    # what each question's responses will make of it: answered, partly, context only, or nothing yet
    targets = rng.choices(["answers", "partly", "context", None], weights=[35, 20, 10, 35], k=len(questions))
    plan = [(q.pk, tasked[q.requirement_set_id], target, rng.paretovariate(1.2))
            for q, target in zip(questions, targets, strict=True) if target]
    return {"sets": [s.pk for s in sets], "posts": posts, "questions": len(questions), "plan": plan}


def add_responses(count: int, first_cable: int, requirements: dict, rng: random.Random, user) -> int:
    """`count` responses on the cables from `first_cable` on, each to a question chosen by its weight."""
    from cables.markings import marking_access
    from cables.models import Cable
    from tracker.models import Response
    from tracker.posts import post_key

    cables = [(pk, created, reference_id, marking_access(classification)) for pk, created, reference_id, classification
              in Cable.objects.filter(pk__gte=first_cable).values_list("pk", "created", "reference_id",
                                                                       "classification")]
    plan = requirements["plan"]
    chosen = rng.choices(plan, weights=[weight for *_, weight in plan], k=count)
    assessments = {"answers": (["answers", "partly", "context"], [5, 3, 2]), "partly": (["partly", "context"], [3, 1]),
                   "context": (["context"], [1])}
    seen, new = set(), []
    for question, tasked, target, _ in chosen:
        cable, created, reference_id, (level, noforn) = rng.choice(cables)
        if (question, cable) in seen:
            continue
        seen.add((question, cable))
        new.append(Response(
            question_id=question, cable_id=cable, assessment=rng.choices(*assessments[target])[0],
            confidence=rng.choice(["low", "medium", "medium", "high"]), post_id=requirements["posts"].get(
                post_key(reference_id)), prior_reporting=bool(tasked and created and created < tasked),
            origin=rng.choice(["manual", "suggestion"]), paragraph_numbers=[str(rng.randint(1, 6))], created_by=user,
            cable_level=level, cable_noforn=noforn, cable_created=created))  # what Response.save() sets
    Response.objects.bulk_create(new, batch_size=2_000)
    return len(new)


# ----------------------------------------------------------------------------- suggestions and pages


def suggest_rate(first_cable: int, sample_size: int, rng: random.Random) -> tuple[float, int]:
    """(cables/s, cables ranked) of suggest_for_cables over a sample of the cables from `first_cable` on, in
    batches of SUGGEST_BATCH, in this one process. The ranker is fitted first, as a running worker has it
    fitted already."""
    from cables.models import Cable
    from tracker.linking import open_questions_ranker, suggest_for_cables

    ids = list(Cable.objects.filter(pk__gte=first_cable).values_list("pk", flat=True))
    sample = sorted(rng.sample(ids, min(sample_size, len(ids))))
    open_questions_ranker()
    began = time.perf_counter()
    for start in range(0, len(sample), SUGGEST_BATCH):
        suggest_for_cables(sample[start:start + SUGGEST_BATCH])
    return len(sample) / (time.perf_counter() - began), len(sample)


def analyze_requirements() -> None:
    """Statistics for the requirement data bulk-created here, as autovacuum would soon gather them (the
    import gathers the store's own)."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE tracker_requirementset, tracker_section, tracker_question, tracker_response, "
                           "tracker_suggestion, tracker_post")


def page_urls(requirements: dict, requests: int, rng: random.Random) -> dict[str, list[str] | None]:
    """The same requests (30 by default) of each page at every step, with varied parameters."""
    from django.urls import NoReverseMatch, reverse

    sets, posts = requirements["sets"], sorted(requirements["posts"])
    try:
        dashboard = reverse("dashboard")
    except NoReverseMatch:
        dashboard = None
    urls: dict[str, list[str] | None] = {"dashboard": None}
    if dashboard:
        variants = ["", "priority=high", "priority=low", "overdue=1", "priority=high&overdue=1", "sort=due",
                    "sort=-responses", "sort=status", "status=answered", "page=2"]
        variants += [f"requirement_set={pk}" for pk in rng.sample(sets, min(10, len(sets)))]
        variants += [f"post={key}" for key in rng.sample(posts, min(6, len(posts)))]
        variants += [f"overdue=1&post={rng.choice(posts)}", "priority=medium&sort=due&page=2",
                     f"requirement_set={rng.choice(sets)}&overdue=1", "section=B&sort=-priority"]
        urls["dashboard"] = [dashboard + ("?" + v if v else "") for v in variants[:requests]]
    urls["set_report"] = [reverse("requirement-set-detail", args=[sets[i % len(sets)]]) for i in range(requests)]
    urls["cable_search"] = [reverse("cable-list") + "?" + urlencode({"q": q} | ({"page": 2} if i % 2 else {}))
                            for i, q in enumerate(s for s in SEARCHES for _ in range(2))][:requests]
    return urls


def time_page(client, urls: list[str]) -> tuple[float, list[int]]:
    """(p95 in ms, queries of each request) over the URLs, after one request to warm up."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(urls[0], secure=True)
    times, queries = [], []
    for url in urls:
        with CaptureQueriesContext(connection) as captured:
            began = time.perf_counter()
            response = client.get(url, secure=True)
            times.append((time.perf_counter() - began) * 1000)
        if response.status_code != 200:
            raise BenchError(f"{url} answered {response.status_code}")
        queries.append(len(captured.captured_queries))
    times.sort()
    return times[math.ceil(0.95 * len(times)) - 1], queries


# ----------------------------------------------------------------------------- the run


def setup_django(database_url: str) -> dict:
    """Django on the scratch database, tasks eager (nothing is queued), no ranking on import; returns the
    environment the import processes get."""
    import django

    os.environ.pop("CELERY_BROKER_URL", None)
    os.environ.update(DATABASE_URL=database_url, SUGGEST_ON_IMPORT="0", DJANGO_SETTINGS_MODULE="tracker.settings")
    django.setup()
    from django.conf import settings

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    return dict(os.environ)


def run(args, database_url: str, workdir: Path) -> dict:
    """Every step's figures, the requirement data made, the scale it was made at, and notes."""
    env = setup_django(database_url)
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connections
    from django.test import Client

    from tracker.models import Clearance

    say("migrating the scratch database")
    call_command("migrate", verbosity=0)
    say(f"generating {args.cables:,} cables (seed {args.seed})")
    slices = write_slices(args.cables, args.seed, workdir)
    scale = min(1.0, args.cables / FULL_REQUIREMENTS_AT)
    rng = random.Random(args.seed)
    user = get_user_model().objects.create_superuser("bench", password=None)
    Clearance.objects.create(user=user, level="TOP SECRET", noforn=True)
    client = Client()
    client.force_login(user)
    steps, requirements, urls, cables_in, responses, notes = [], None, None, 0, 0, []
    for fraction, (path, rows, size) in zip(FRACTIONS, slices, strict=True):
        first_cable = _next_cable_id()
        connections.close_all()  # the import process has the database to itself
        say(f"{fraction:.0%}: importing {rows:,} cables ({size / 2**20:.1f} MB)")
        seconds, peak, cpu, others = run_import(path, env, rows)
        copy = copy_seconds(database_url, path, rows)
        cables_in += rows
        step = {"fraction": fraction, "cables": cables_in, "slice_cables": rows, "slice_mb": size / 2**20,
                "import_seconds": seconds, "copy_seconds": copy,
                "import_cables_per_s": rows / seconds, "import_mb_per_s": size / 2**20 / seconds,
                "import_peak_rss_mb": peak, "copy_ratio": seconds / copy if copy else None,
                "import_cpu_seconds": cpu, "database_cpu_seconds": others,
                "import_cpu_ms_per_cable": cpu * 1000 / rows, "database_cpu_ms_per_cable": others * 1000 / rows}
        if requirements is None:
            say("making requirement sets and questions")
            requirements = make_requirements(scale, rng, user)
            urls = page_urls(requirements, args.requests, rng)
        responses += add_responses(round(RESPONSES * scale * fraction) - responses, first_cable, requirements,
                                   rng, user)
        analyze_requirements()
        step["responses"] = responses
        say(f"{fraction:.0%}: ranking suggestions")
        sample = max(SUGGEST_BATCH, round(SUGGEST_SAMPLE * scale))
        step["suggest_cables_per_s"], step["suggest_cables"] = suggest_rate(first_cable, sample, rng)
        notes += time_pages(step, client, urls)
        steps.append(step)
    if urls["dashboard"] is None:
        notes.append("dashboard: not built (no URL named 'dashboard')")
    return {"steps": steps, "requirements": requirements, "scale": scale, "notes": notes}


def time_pages(step: dict, client, urls: dict) -> list[str]:
    """Each page's p95 and queries into the step; returns notes (a failing dashboard is one, not fatal:
    it is being built)."""
    notes = []
    for page in PAGES:
        step[f"{page}_p95_ms"] = step[f"{page}_queries"] = step[f"{page}_query_list"] = None
        if urls[page] is None:
            continue
        say(f"{step['fraction']:.0%}: timing {page}")
        try:
            p95, queries = time_page(client, urls[page])
        except Exception as error:
            if page != "dashboard":
                raise
            notes.append(f"dashboard failed at {step['fraction']:.0%}: {type(error).__name__}: {str(error)[:200]}")
            continue
        step[f"{page}_p95_ms"], step[f"{page}_queries"], step[f"{page}_query_list"] = p95, max(queries), queries
    return notes


def _next_cable_id() -> int:
    from django.db.models import Max

    from cables.models import Cable

    return (Cable.objects.aggregate(top=Max("pk"))["top"] or 0) + 1


def summarise(steps: list[dict], vendor: str, cables: int) -> dict:
    """The JSON line: the whole import, the 100% step for the rest, the missed targets, the steps."""
    last = steps[-1]
    seconds = sum(s["import_seconds"] for s in steps)
    copies = [s["copy_seconds"] for s in steps]
    result = {
        "import_cables_per_s": cables / seconds,
        "import_mb_per_s": sum(s["slice_mb"] for s in steps) / seconds,
        "import_peak_rss_mb": max(s["import_peak_rss_mb"] for s in steps),
        "copy_ratio": seconds / sum(copies) if all(copies) else None,
        "import_cpu_ms_per_cable": sum(s["import_cpu_seconds"] for s in steps) * 1000 / cables,
        "database_cpu_ms_per_cable": sum(s["database_cpu_seconds"] for s in steps) * 1000 / cables,
        "suggest_cables_per_s": last["suggest_cables_per_s"],
        **{f"{page}_p95_ms": last[f"{page}_p95_ms"] for page in PAGES},
        **{f"{page}_queries": last[f"{page}_queries"] for page in PAGES},
    }
    missed = []
    for key, (comparison, bound, _) in TARGETS.items():
        value = result[key]
        if key == "copy_ratio" and vendor != "postgresql":
            continue  # no COPY on SQLite
        if comparison == "constant":
            lists = [s[key.replace("_queries", "_query_list")] for s in steps]
            ok = lists[0] is not None and all(q == lists[0] for q in lists)
        else:
            ok = value is not None and (value >= bound if comparison == ">=" else value < bound)
        if not ok:
            missed.append(key)
    result = {k: _round(v) for k, v in result.items()}
    result |= {"cables": cables, "database": vendor, "targets_missed": missed,
               "steps": [{"fraction": s["fraction"], "cables": s["cables"], "slice_cables": s["slice_cables"],
                          **{k: _round(s[k]) for k in METRICS}} for s in steps]}
    return result


def _round(value):
    return round(value, 3 if value < 10 else 1) if isinstance(value, float) else value


# ----------------------------------------------------------------------------- output


def machine(vendor: str) -> list[tuple[str, str]]:
    from django.db import connection

    def first(path: str, prefix: str) -> str:
        try:
            line = next(line for line in Path(path).read_text().splitlines() if line.startswith(prefix))
        except (OSError, StopIteration):
            return "?"
        return line.split("=" if "=" in prefix else ":", 1)[1].strip().strip('"')

    with connection.cursor() as cursor:
        cursor.execute("SELECT version()" if vendor == "postgresql" else "SELECT sqlite_version()")
        version = cursor.fetchone()[0]
    import django

    return [("date", datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z")),
            ("cores", str(os.cpu_count())), ("CPU", first("/proc/cpuinfo", "model name")),
            ("memory", f"{int(first('/proc/meminfo', 'MemTotal').split()[0]) / 2**20:.1f} GiB"),
            ("system", first("/etc/os-release", "PRETTY_NAME=")),
            ("database", (version if vendor == "postgresql" else f"SQLite {version}").split(" on ")[0]),
            ("Python, Django", f"{platform.python_version()}, {django.get_version()}")]


def _show(key: str, value) -> str:
    if value is None:
        return "n/a"
    if isinstance(value, int):
        return f"{value:,}"
    return f"{value:,.0f}" if value >= 100 else f"{value:,.1f}" if value >= 10 else f"{value:.2f}"


LABELS = {
    "import_cables_per_s": "import, cables/s", "import_mb_per_s": "import, MB/s",
    "import_peak_rss_mb": "import, peak RSS MB", "copy_ratio": "import time / COPY time",
    "import_cpu_ms_per_cable": "import, CPU ms/cable", "database_cpu_ms_per_cable": "import, rest of machine CPU ms/cable",
    "suggest_cables_per_s": "suggestions, cables/s", "dashboard_p95_ms": "dashboard p95 ms",
    "set_report_p95_ms": "set report p95 ms", "cable_search_p95_ms": "cable search p95 ms",
    "dashboard_queries": "dashboard queries", "set_report_queries": "set report queries",
    "cable_search_queries": "cable search queries",
}


def table(result: dict, markdown: bool, notes: list[str]) -> str:
    steps = result["steps"]
    head = ["metric", *(f"{s['fraction']:.0%} ({s['cables']:,})" for s in steps), "result", "target", "met?"]
    rows = []
    for key in METRICS:
        comparison, _, target = TARGETS.get(key, (None, None, "-"))
        if key == "copy_ratio" and result["database"] != "postgresql":
            met = "n/a"
        else:
            met = "-" if comparison is None else "no" if key in result["targets_missed"] else "yes"
        rows.append([LABELS[key], *(_show(key, s[key]) for s in steps), _show(key, result[key]), target, met])
    if markdown:
        lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
        lines += ["| " + " | ".join(row) + " |" for row in rows]
    else:
        widths = [max(len(str(row[i])) for row in [head, *rows]) for i in range(len(head))]
        lines = ["  ".join(cell.ljust(w) if i == 0 else cell.rjust(w) for i, (cell, w) in enumerate(zip(row, widths)))
                 for row in [head, *rows]]
        lines.insert(1, "-" * len(lines[0]))
    return "\n".join([*lines, "", *(f"- {note}" if markdown else note for note in notes)])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cables", type=int, default=251_287)
    parser.add_argument("--seed", type=int, default=2010)
    parser.add_argument("--keep", action="store_true", help="Keep the scratch database (and, on SQLite, its file).")
    parser.add_argument("--markdown", action="store_true", help="The table and the machine in Markdown.")
    parser.add_argument("--requests", type=int, default=30, choices=range(5, 31), metavar="5-30",
                        help="Requests timed per page and step (30; fewer only to check the script runs).")
    args = parser.parse_args()
    if args.cables < 30:
        parser.error("--cables must be at least 30")
    configured = os.environ.get("DATABASE_URL", "sqlite:///db.sqlite3")
    vendor = "postgresql" if is_postgres(configured) else "sqlite"
    workdir = Path(tempfile.mkdtemp(prefix="bench-"))
    try:
        database_url, scratch = create_scratch(configured, workdir)
    except FileExistsError as error:
        workdir.rmdir()
        print(error, file=sys.stderr)
        return 2
    say(f"scratch database: {scratch}")
    try:
        outcome = run(args, database_url, workdir)
        result = summarise(outcome["steps"], vendor, args.cables)
        about = machine(vendor)
    finally:
        if args.keep:
            say(f"kept the scratch database {scratch}")
        else:
            drop_scratch(database_url, scratch)
        for path in workdir.iterdir():
            if path.suffix != ".sqlite3" or not args.keep:
                path.unlink()
        if not args.keep or vendor != "sqlite":
            workdir.rmdir()
    print(table(result, args.markdown, notes_of(outcome, result, about)))
    print(json.dumps(result))
    return 0


def notes_of(outcome: dict, result: dict, about: list[tuple[str, str]]) -> list[str]:
    """The lines under the table: the machine, the requirement data, what went wrong, what was missed."""
    requirements = outcome["requirements"]
    notes = [f"{key}: {value}" for key, value in about]
    notes.append(f"requirement data: {len(requirements['sets'])} sets, {requirements['questions']:,} questions, "
                 f"{outcome['steps'][-1]['responses']:,} responses"
                 + ("" if outcome["scale"] == 1 else f" (scaled to {outcome['scale']:.0%}: fewer than "
                    f"{FULL_REQUIREMENTS_AT:,} cables)"))
    notes.append("suggestions: ranked in one process, the ranker fitted beforehand (one Celery worker)")
    notes += outcome["notes"]
    for page in PAGES:
        lists = [s[f"{page}_query_list"] for s in outcome["steps"]]
        if lists[0] is not None and any(q != lists[0] for q in lists):
            notes.append(f"{page}: query counts change with the cables: "
                         + " / ".join(",".join(map(str, q)) for q in lists))
    notes.append("targets missed: " + (", ".join(result["targets_missed"]) or "none"))
    return notes


if __name__ == "__main__":
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # killed: still drop the scratch database
    try:
        sys.exit(main())
    except BenchError as error:
        print(f"benchmark failed: {error}", file=sys.stderr)
        sys.exit(1)
