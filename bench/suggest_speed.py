"""How fast `tracker.ranking` ranks: run by hand, not a test.

    .venv/bin/python bench/suggest_speed.py [--questions 2000] [--paragraphs 20000]

Questions are made of 1-4 sentences drawn from the real questions of the six tasking cables in
tests/data/pages (2,000 by default); paragraphs are those of the 285 pages, repeated. Prints the time to fit,
and paragraphs (and cables of ten paragraphs) ranked a second with the default `per_paragraph` and
`MIN_SCORE`, evidence included: in one process, then in one process per core working on halves.
"""
from __future__ import annotations

import argparse
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
ranker: Ranker | None = None  # fitted before the pool forks, shared by the workers


def _rank(batch: list[tuple[int, str]]) -> int:
    return len(ranker.rank(batch))


def main() -> None:
    global ranker
    parser = argparse.ArgumentParser()
    parser.add_argument("--questions", type=int, default=2000)
    parser.add_argument("--paragraphs", type=int, default=20000)
    args = parser.parse_args()

    random.seed(2010)
    sentences = [s for ref in TASKINGS for q in extract(parse_document((PAGES / f"{ref}.html").read_text())).questions
                 for s in q.sentences if len(s.split()) > 3]
    questions = [(i, " ".join(random.sample(sentences, random.randint(1, 4)))) for i in range(args.questions)]
    texts = [p.text for f in sorted(PAGES.glob("*.html")) for p in parse_document(f.read_text()).paragraphs]
    paragraphs = [(i, texts[i % len(texts)]) for i in range(args.paragraphs)]
    print(f"{len(questions)} questions from {len(sentences)} real sentences; {len(paragraphs)} paragraphs "
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
        print(f"background of {len(background)} paragraphs: fitted in {fitted:.2f} s; {len(matches)} matches; "
              f"one process {alone:,.0f} paragraphs/s ({alone / 10:,.0f} cables/s); "
              f"{cores} processes {together:,.0f} paragraphs/s ({together / 10:,.0f} cables/s)")


if __name__ == "__main__":
    main()
