"""How fast suggestions are made: run by hand, not a test.

    .venv/bin/python bench/suggest_speed.py [--questions 2000] [--paragraphs 20000]
    DATABASE_URL=postgres://.../scratch .venv/bin/python bench/suggest_speed.py --end-to-end [--batch 500]

Questions are made of 1-4 sentences drawn from the real questions of the six tasking cables in
tests/data/pages (2,000 by default); paragraphs are those of the 285 pages, repeated. Prints the time to fit,
and paragraphs (and cables of ten paragraphs) ranked a second with the default `per_paragraph` and
`MIN_SCORE`, evidence included: in one process, then in one process per core working on halves.

`--end-to-end` measures `tracker.linking.suggest_for_cables` instead, as the Celery task runs it: on the
configured database, over every cable in it, in batches of `--batch` cables, reading the paragraphs and
storing the suggestions. It WRITES to that database: it tops the open questions up to `--questions` (sets of
80 made as above, on stand-in tasking cables `00BENCHn`), gives the store's own tasking cables their sets
(so the cables citing them get the cited pass) and deletes every suggestion before each run;
`--real-paragraphs` replaces the text of every stored paragraph with that of a real one (generate.py writes
word salad that matches every question). Use a scratch database filled by bench/generate.py and
import_cables. Prints cables a second in one process, then in one process per core each taking every other
batch, as one Celery worker per core would, and cables per CPU second of those processes (the database's own
work apart), which a busy machine distorts less.
"""
from __future__ import annotations

import argparse
import multiprocessing
import os
import random
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from cables.sources import parse_document  # noqa: E402
from tracker.extraction import extract  # noqa: E402
from tracker.ranking import Ranker  # noqa: E402

PAGES = ROOT / "tests" / "data" / "pages"
TASKINGS = ["09STATE6423", "09STATE40419", "09STATE47326", "09STATE52774", "08STATE30340", "09STATE80163"]
PER_SET = 80  # questions per stand-in requirement set, about as many as a real tasking holds
ranker: Ranker | None = None  # fitted before the pool forks, shared by the workers


def _rank(batch: list[tuple[int, str]]) -> int:
    return len(ranker.rank(batch))


def question_texts(count: int) -> list[str]:
    random.seed(2010)
    sentences = [s for ref in TASKINGS for q in extract(parse_document((PAGES / f"{ref}.html").read_text())).questions
                 for s in q.sentences if len(s.split()) > 3]
    return [" ".join(random.sample(sentences, random.randint(1, 4))) for _ in range(count)]


def rank_speed(args) -> None:
    global ranker
    questions = list(enumerate(question_texts(args.questions)))
    texts = [p.text for f in sorted(PAGES.glob("*.html")) for p in parse_document(f.read_text()).paragraphs]
    paragraphs = [(i, texts[i % len(texts)]) for i in range(args.paragraphs)]
    print(f"{len(questions)} questions; {len(paragraphs)} paragraphs "
          f"({sum(len(t.split()) for t in texts) / len(texts):.0f} words on average)")

    for background in ((), texts):
        started = time.perf_counter()
        ranker = Ranker(questions, background=background)
        fitted = time.perf_counter() - started
        ranker.rank(paragraphs[:500])  # word caches warm, as in a long-running worker
        started = time.perf_counter()
        matches = ranker.rank(paragraphs)
        alone = len(paragraphs) / (time.perf_counter() - started)
        cores = os.cpu_count() or 1
        with ProcessPoolExecutor(cores) as pool:
            list(pool.map(_rank, [paragraphs[:500]] * cores))
            started = time.perf_counter()
            list(pool.map(_rank, [paragraphs[i::cores] for i in range(cores)]))
            together = len(paragraphs) / (time.perf_counter() - started)
        print(f"background of {len(background)} paragraphs: fitted in {fitted:.2f} s; {len(matches)} matches "
              f"({len(matches) / len(paragraphs):.2f} a paragraph); one process {alone:,.0f} paragraphs/s "
              f"({alone / 10:,.0f} cables/s); {cores} processes {together:,.0f} paragraphs/s "
              f"({together / 10:,.0f} cables/s)")


# ----------------------------------------------------------------------------- end to end


def _setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings")
    os.environ["SUGGEST_ON_IMPORT"] = "0"
    import django

    django.setup()


def _top_up_questions(wanted: int) -> None:
    """The store's tasking cables get their sets; stand-in sets bring the open questions up to `wanted`."""
    from cables.models import Cable
    from tracker import linking, requirements
    from tracker.models import Question, RequirementSet, Section, TaskingCandidate

    requirements._rank_later = lambda **kwargs: None  # no re-ranking of the store as sets are made
    for cable in Cable.objects.filter(pk__in=TaskingCandidate.objects.values("cable_id"), requirement_set=None):
        try:
            requirements.create_set(cable)
        except requirements.RequirementError:
            pass
    missing = wanted - linking.open_questions().count()
    texts = iter(question_texts(max(missing, 0)))
    number = Cable.objects.filter(reference_id__startswith="00BENCH").count()
    while missing > 0:
        number += 1
        cable = Cable.objects.create(reference_id=f"00BENCH{number}", classification="UNCLASSIFIED",
                                     origin="Secretary of State", form="bench", subject="Bench questions")
        requirement_set = RequirementSet.objects.create(tasking_cable=cable, title=f"Bench set {number}")
        section = Section.objects.create(requirement_set=requirement_set, letter="A")
        Question.objects.bulk_create([
            Question(requirement_set=requirement_set, section=section, code=f"A.{i + 1}", text=next(texts),
                     marking="UNCLASSIFIED", order=i) for i in range(min(PER_SET, missing))])
        missing -= PER_SET


def _real_paragraphs() -> None:
    """Every stored paragraph's text replaced by one of the 285 pages', in turn: generate.py writes word salad
    of fifty common words that matches every question, where real paragraphs mostly match none."""
    from cables.models import Paragraph

    texts = [p.text for f in sorted(PAGES.glob("*.html")) for p in parse_document(f.read_text()).paragraphs
             if p.text]
    paragraphs = list(Paragraph.objects.exclude(text="").only("id").order_by("pk"))
    for i, paragraph in enumerate(paragraphs):
        paragraph.text = texts[i % len(texts)]
    Paragraph.objects.bulk_update(paragraphs, ["text"], batch_size=2_000)


def _batches(size: int) -> list[list[int]]:
    from cables.models import Cable

    ids = list(Cable.objects.order_by("pk").values_list("pk", flat=True))
    return [ids[i:i + size] for i in range(0, len(ids), size)]


_barrier = None  # set in each process as it starts: all fit, then all suggest


def _start(barrier) -> None:
    global _barrier
    _barrier = barrier


def _suggest(batches: list[list[int]]) -> tuple[float, float, float, int]:
    """In a process of its own: fit (as a worker does once), wait for the others, suggest for the batches.
    Returns the seconds to fit, the seconds to suggest (and of them, this process's CPU seconds: the
    machine may be busy with other work), and the suggestions stored."""
    from django.db import connections

    from tracker import linking

    connections.close_all()  # a connection of its own, not the parent's
    started = time.perf_counter()
    linking.open_questions_ranker()
    fitted = time.perf_counter() - started
    _barrier.wait()
    started, cpu = time.perf_counter(), time.process_time()
    stored = sum(linking.suggest_for_cables(batch) for batch in batches)
    return fitted, time.perf_counter() - started, time.process_time() - cpu, stored


def end_to_end(args) -> None:
    _setup_django()
    from cables.models import Paragraph
    from tracker import linking
    from tracker.models import Suggestion

    _top_up_questions(args.questions)
    if args.real_paragraphs:
        _real_paragraphs()
    batches = _batches(args.batch)
    cables = sum(map(len, batches))
    paragraphs = linking._rankable_paragraphs([c for b in batches for c in b]).count()
    print(f"{linking.open_questions().count()} open questions; {cables} cables, {paragraphs} rankable paragraphs "
          f"of {Paragraph.objects.count()} in the store; batches of {args.batch} cables")
    cores = os.cpu_count() or 1
    context = multiprocessing.get_context("fork")
    for processes in sorted({1, cores}):
        Suggestion.objects.all().delete()
        from django.db import connections

        connections.close_all()
        barrier = context.Barrier(processes)
        with ProcessPoolExecutor(processes, mp_context=context, initializer=_start, initargs=(barrier,)) as pool:
            started = time.perf_counter()
            futures = [pool.submit(_suggest, batches[i::processes]) for i in range(processes)]
            results = [f.result() for f in futures]
        fitted = max(r[0] for r in results)
        suggesting = max(r[1] for r in results)
        cpu = sum(r[2] for r in results)
        stored = sum(r[3] for r in results)
        print(f"{processes} process{'es' if processes > 1 else ''}: fitted in {fitted:.2f} s, then "
              f"{cables / suggesting:,.0f} cables/s ({paragraphs / suggesting:,.0f} paragraphs/s; "
              f"{cables / cpu:,.0f} cables a CPU second of the workers); "
              f"{stored} suggestions stored ({stored / paragraphs:.2f} a paragraph); "
              f"{time.perf_counter() - started:.1f} s in all")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--questions", type=int, default=2000)
    parser.add_argument("--paragraphs", type=int, default=20000)
    parser.add_argument("--end-to-end", action="store_true",
                        help="suggest_for_cables on the configured database (writes to it: a scratch one)")
    parser.add_argument("--real-paragraphs", action="store_true",
                        help="with --end-to-end: first give the stored paragraphs the text of real ones")
    parser.add_argument("--batch", type=int, default=500, help="cables per suggest_for_cables call")
    args = parser.parse_args()
    end_to_end(args) if args.end_to_end else rank_speed(args)


if __name__ == "__main__":
    main()
