"""A seeded generator of synthetic Cablegate-format CSV, of any size, for tests and benchmarks.

    python bench/generate.py OUT.csv [--cables 251287] [--seed 2010]

The rows have the dump's shape: no header row, every field quoted, `\\"` escapes, CRLF inside fields;
a realistic mix of origins, classifications, years, tags, lengths, paragraph markings, REF lines,
page-break and SECTION lines; about one tasking cable per 2,000 cables (lettered sections, numbered
questions, a CAL number to cite) and ten responding cables citing each. Written row by row: memory
stays flat whatever the count.

The text is made from the 285 real cable pages in tests/data/pages (read once a process): each cable
takes one or two pages as its topic and reads on through their sentences, with some sentences spliced
from halves of two of the topic's, and some made up of words drawn from the topic's words and from all
the pages' words. So, as in real cables, common words are in most cables, a topic's words ("nuclear",
"Chavez") in a few percent of them, and rare names in fewer.
"""
from __future__ import annotations

import argparse
import functools
import random
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PAGES = ROOT / "tests" / "data" / "pages"

POSTS = [  # (origin, post code in reference IDs, sender line), with weights roughly as in Cablegate
    ("Secretary of State", "STATE", "SECSTATE WASHDC", 80), ("Embassy Baghdad", "BAGHDAD", "AMEMBASSY BAGHDAD", 60),
    ("Embassy Ankara", "ANKARA", "AMEMBASSY ANKARA", 30), ("Embassy Tokyo", "TOKYO", "AMEMBASSY TOKYO", 28),
    ("Embassy Moscow", "MOSCOW", "AMEMBASSY MOSCOW", 20), ("Embassy Paris", "PARIS", "AMEMBASSY PARIS", 18),
    ("Embassy Beijing", "BEIJING", "AMEMBASSY BEIJING", 18), ("Embassy Caracas", "CARACAS", "AMEMBASSY CARACAS", 14),
    ("Embassy Bogota", "BOGOTA", "AMEMBASSY BOGOTA", 14), ("Embassy Cairo", "CAIRO", "AMEMBASSY CAIRO", 14),
    ("Embassy Madrid", "MADRID", "AMEMBASSY MADRID", 10), ("Embassy La Paz", "LAPAZ", "AMEMBASSY LA PAZ", 8),
    ("Embassy Buenos Aires", "BUENOSAIRES", "AMEMBASSY BUENOS AIRES", 10), ("Embassy Asuncion", "ASUNCION",
    "AMEMBASSY ASUNCION", 5), ("Consulate Sao Paulo", "SAOPAULO", "AMCONSUL SAO PAULO", 6),
    ("Mission USNATO", "USNATO", "USMISSION USNATO", 8), ("Embassy Tripoli", "TRIPOLI", "AMEMBASSY TRIPOLI", 5),
    ("Embassy Harare", "HARARE", "AMEMBASSY HARARE", 5), ("Embassy Managua", "MANAGUA", "AMEMBASSY MANAGUA", 5),
    ("Embassy Tel Aviv", "TELAVIV", "AMEMBASSY TEL AVIV", 12), ("Embassy Kabul", "KABUL", "AMEMBASSY KABUL", 12),
]
CLASSIFICATIONS = [  # (classification, banner, paragraph marking, weight)
    ("UNCLASSIFIED", "UNCLAS", "U", 30), ("UNCLASSIFIED//FOR OFFICIAL USE ONLY", "UNCLAS", "SBU", 30),
    ("CONFIDENTIAL", "C O N F I D E N T I A L", "C", 33),
    ("CONFIDENTIAL//NOFORN", "C O N F I D E N T I A L", "C/NF", 2),
    ("SECRET", "S E C R E T", "S", 4), ("SECRET//NOFORN", "S E C R E T", "S/NF", 1.6),
]
TAGS = "PREL PGOV ECON PTER MARR KNNP ETRD EFIN PHUM SNAR EAID ENRG EPET PINR KDEM MOPS ASEC".split()
COUNTRIES = "IR VE RS CH IZ TU JA FR CO EG SP BL AR PA BR LY ZI NU IS AF".split()
# A few words and names the cables use, for the tasking cables' audiences and bench/run.py's made-up questions.
WORDS = (
    "government ministry officials said the embassy meeting minister agreement cooperation president "
    "security policy economic political military trade energy regional support program reform election "
    "opposition parliament border investment sanctions nuclear oil gas bank loan aid visit delegation "
    "ambassador talks relations influence concerns plans report network training intelligence terrorism"
).split()
NAMES = ("Chavez Ahmadinejad Medvedev Lavrov Morales Uribe Lula Mubarak Erdogan Zuma Karzai Qadhafi "
         "Hizballah FARC PDVSA Gazprom IRGC Rosatom ALBA OPEC Tehran Caracas Moscow Bogota Kabul").split()
MONTHS = "JAN FEB MAR APR MAY JUN JUL AUG SEP OCT NOV DEC".split()

# How a sentence of a cable's text is made (the rest are made up of drawn words).
REAL, SPLICED = 0.75, 0.12  # the topic page's next sentence; the halves of two of its sentences
DRAWN_FROM_ALL = 4  # one word in four of a made-up sentence comes from all the pages, the rest from its topic
PLAIN = str.maketrans({"\u2019": "'", "\u2018": "'", "\u00b4": "'", "\u201c": '"', "\u201d": '"', "\u2013": "-",
                       "\u2014": "-", "\u0425": "X"})  # quotes, dashes, a redaction's Cyrillic X
NOT_PRINTABLE_RE = re.compile(r"[^\x20-\x7e]")
SENTENCE_END_RE = re.compile(r"(?<=[.?!])\s+(?=[A-Z(\"'])")
WORD_RE = re.compile(r"(?:[A-Za-z]\.){2,}|[A-Za-z]+(?:['-][A-Za-z]+)*")  # "U.S.", "Iran's", "al-Maliki"
CAL_RE = re.compile(r"\(?C-[A-Z]{2}\d-\d{5}\)?:?")
MARKING_RE = re.compile(r"^\([A-Z/]+\)\s*")  # "(C) " before a subject
WRAP_RE = re.compile(r"(.{1,65}|\S+)(?: +|$)")  # as many words as fit, at a space
TASKING_RE = re.compile(r"please cite|collection (?:needs|directive|requirements)", re.I)
ASKING_RE = re.compile(  # the phrases that, beside questions, make tracker.extraction take a cable for a tasking
    r"please (?:cite|report|provide)|requests? for information|appreciate (?:any )?information|intelligence gaps"
    r"|(?:reporting|information) needs|as time and resources permit|posts? (?:is|are) (?:requested|asked|tasked)", re.I)


@dataclass(frozen=True)
class Topic:
    """What one real cable page gives the cables written about its topic."""

    subject: str  # upper case, without marking or collection reference; "" when the page has none
    sentences: tuple[str, ...]  # in the page's order
    words: tuple[str, ...]  # each as often as the page uses it
    upper: bool  # an all-capitals page: its made-up sentences are in capitals too


@dataclass(frozen=True)
class TextModel:
    topics: tuple[Topic, ...]
    words: tuple[str, ...]  # every word of the sentence-cased pages, as often as it occurs: their unigram distribution
    questions: tuple[str, ...]  # real question sentences, for the tasking cables


def _plain(text: str) -> str:
    """Printable ASCII on one line: what the dump's fields hold."""
    return " ".join(NOT_PRINTABLE_RE.sub(" ", text.translate(PLAIN)).split())


@functools.cache
def text_model() -> TextModel:
    """The text model, read from tests/data/pages once a process (about two seconds)."""
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))  # run as a script
    from cables.sources import parse_document

    topics, words, questions = [], [], []
    for path in sorted(PAGES.glob("*.html")):
        page = parse_document(path.read_text(encoding="utf-8"))
        sentences = [s for p in page.paragraphs for s in SENTENCE_END_RE.split(_plain(p.text))
                     if s and len(s.split()) <= 60 and not CAL_RE.search(s) and not ASKING_RE.search(s)]
        questions += [s for s in sentences if s.endswith("?") and 4 <= len(s.split()) <= 30]
        if len(sentences) < 5 or TASKING_RE.search(" ".join(p.text for p in page.paragraphs)):
            continue  # too short to read on through, or a tasking: those are the generator's, one in 2,000
        page_words = tuple(WORD_RE.findall(" ".join(sentences)))
        letters = "".join(page_words)
        upper = sum(c.isupper() for c in letters) > 0.7 * len(letters)
        subject = MARKING_RE.sub("", CAL_RE.sub("", _plain(page.subject))).strip(" :").upper()
        topics.append(Topic(subject, tuple(sentences), page_words, upper))
        if not upper:
            words += page_words
    return TextModel(tuple(topics), tuple(words), tuple(questions))


def _weighted(rng: random.Random, items: list[tuple]) -> tuple:
    return rng.choices(items, weights=[item[-1] for item in items])[0]


def _topics(rng: random.Random, model: TextModel, first: Topic | None = None) -> list[Topic]:
    """The one or two pages a cable is about; an answer to a tasking shares the tasking's first."""
    first = first or rng.choice(model.topics)
    return [first, rng.choice(model.topics)] if rng.random() < 0.4 else [first]


def _spliced(rng: random.Random, topic: Topic) -> str:
    head, tail = rng.choice(topic.sentences).split(), rng.choice(topic.sentences).split()
    return " ".join(head[:(len(head) + 1) // 2] + tail[len(tail) // 2:])


def _made_up(rng: random.Random, model: TextModel, topic: Topic, length: int) -> str:
    from_all = length // DRAWN_FROM_ALL
    drawn = rng.choices(topic.words, k=length - from_all) + rng.choices(model.words, k=from_all)
    rng.shuffle(drawn)
    text = " ".join(drawn).upper() if topic.upper else " ".join(drawn)
    return text[0].upper() + text[1:] + "."


def _paragraphs(rng: random.Random, model: TextModel, topics: list[Topic], count: int) -> list[str]:
    """`count` paragraphs of 2-7 sentences, reading on through the topics from a random place in each."""
    places = [rng.randrange(len(topic.sentences)) for topic in topics]
    paragraphs = []
    for _ in range(count):
        which = 0 if len(topics) == 1 or rng.random() < 0.7 else 1
        topic, sentences = topics[which], []
        for _ in range(rng.randint(2, 7)):
            roll = rng.random()
            if roll < REAL:
                sentences.append(topic.sentences[places[which] % len(topic.sentences)])
                places[which] += 1
            elif roll < REAL + SPLICED:
                sentences.append(_spliced(rng, topic))
            else:
                sentences.append(_made_up(rng, model, topic, rng.randint(8, 30)))
        paragraphs.append(" ".join(sentences))
    return paragraphs


def _subject(rng: random.Random, topics: list[Topic]) -> str:
    """The first topic's real subject, or the opening words of one of its sentences, in capitals."""
    topic = topics[0]
    if topic.subject and rng.random() < 0.6:
        return topic.subject
    words = rng.choice(topic.sentences).split()[:rng.randint(3, 9)]
    return " ".join(words).rstrip(".,;:").upper()


def _wrap(text: str) -> list[str]:
    """Lines of at most 65 characters (a longer word alone), each but the last with a trailing space."""
    lines = WRAP_RE.findall(text)
    return [line + " " for line in lines[:-1]] + lines[-1:]


def _created(rng: random.Random) -> datetime:
    year = rng.choices([rng.randint(1966, 2003), rng.randint(2004, 2010)], weights=[3, 97])[0]
    return datetime(year, 1, 1) + timedelta(minutes=rng.randint(0, 364 * 24 * 60))


def _dump_date(when: datetime) -> str:
    return f"{when.month}/{when.day}/{when.year} {when.hour}:{when.minute:02d}"


def _dtg(when: datetime) -> str:
    return f"{when:%d%H%M}Z {MONTHS[when.month - 1]} {when:%y}"


def _cable(rng: random.Random, serial: int, when: datetime, post: tuple, classification: tuple,
           subject: str, paragraphs: list[str], refs: list[tuple[str, str]]) -> list[str]:
    origin, code, sender, _ = post
    cls, banner, marking, _ = classification
    refid = f"{when:%y}{code}{serial}"
    header = "\r\n".join([f"R {_dtg(when)}", f"FM {sender}", "TO RUEHC/SECSTATE WASHDC " + str(rng.randint(1, 9999)),
                          "INFO RUEHZM/GULF COOPERATION COUNCIL COLLECTIVE"])
    sections = max(1, sum(len(p) for p in paragraphs) // 5000 + 1)
    lines = [f"{banner} {f'SECTION 01 OF {sections:02d} ' if sections > 1 else ''}{code} {serial:06d} ", " ",
             "SIPDIS ", " ", "E.O. 12958: DECL: 01/01/2019 ",
             "TAGS: " + " ".join(rng.sample(TAGS, rng.randint(1, 5)) + rng.sample(COUNTRIES, rng.randint(1, 4))) + " ",
             f"SUBJECT: {subject} ", " "]
    if refs:
        lines += ["REF: " + " ".join(f"{chr(65 + i)}. {text}" for i, (text, _) in enumerate(refs)) + " ", " "]
    if not cls.startswith("UNCLAS"):
        lines += ["Classified By: Ambassador for reasons 1.4 (b) and (d) ", " "]
    page = 1
    for number, text in enumerate(paragraphs, 1):
        mark = f"({marking}) " if marking != "U" or rng.random() < 0.5 else ""
        for line in _wrap(f"{number}. {mark}{text}"):
            lines.append(line)
            if len(lines) % 60 == 0:
                page += 1
                lines += [" ", f"{code} {serial:08d}  {page:03d}.2 OF {sections + 2:03d} ", " "]
        lines.append(" ")
    lines.append(sender.split()[-1] if rng.random() < 0.3 else "SMITH")
    content = "\r\n".join(lines)
    references = "|".join(refid_ for _, refid_ in refs)
    return [str(serial), _dump_date(when), refid, origin, cls, references, header, content]


def iter_rows(count: int = 251_287, seed: int = 2010) -> Iterator[list[str]]:
    """The rows of a synthetic dump: 8 fields each, ids from 1."""
    rng, model = random.Random(seed), text_model()
    taskings: list[tuple[str, str, str, datetime, Topic]] = []  # (refid, "STATE 1234", CAL, created, topic)
    for row in range(1, count + 1):
        when = _created(rng)
        if row % 2000 == 1000:  # a tasking cable
            cal = f"C-AL{when.year % 10}-{rng.randint(0, 99999):05d}"
            post, classification = POSTS[0], CLASSIFICATIONS[5]
            topics = _topics(rng, model)
            opening = _paragraphs(rng, model, topics, 1)[0]
            paragraphs = [opening + " Analysts would appreciate information on the following."]
            for letter in "ABC":
                paragraphs.append(f"{letter}. (U) FOR {rng.choice(NAMES).upper()} WATCHERS AND REGIONAL POSTS:")
                paragraphs += [f"{q}) (S//NF) {' '.join(rng.sample(model.questions, rng.randint(1, 2))).upper()}"
                               for q in range(1, rng.randint(3, 8))]
            paragraphs.append(f"(U) PLEASE CITE {cal} IN THE SUBJECT LINE OF REPORTING IN RESPONSE.")
            subject = f"(C) {_subject(rng, topics)} ({cal})"
            fields = _cable(rng, row, when, post, classification, subject, paragraphs, [])
            taskings.append((fields[2], f"STATE {row}", cal, when, topics[0]))
            yield fields
            continue
        post, classification = _weighted(rng, POSTS), _weighted(rng, CLASSIFICATIONS)
        refs: list[tuple[str, str]] = []
        answered = taskings[-1] if taskings and rng.random() < 0.005 else None  # ~10 answers per tasking cable
        if answered:
            refid, text, cal, tasked, topic = answered
            when = max(when, tasked + timedelta(days=rng.randint(1, 60)))
            refs.append((text, refid))
        elif rng.random() < 0.4:
            year = when.year % 100
            serial = rng.randint(1, 9999)
            refs.append((f"STATE {serial}", f"{year:02d}STATE{serial}"))
        topics = _topics(rng, model, answered[4] if answered else None)
        subject = _subject(rng, topics) + (f" ({answered[2]})" if answered else "")
        count_paragraphs = max(2, min(25, int(rng.lognormvariate(1.9, 0.6))))
        paragraphs = _paragraphs(rng, model, topics, count_paragraphs)
        yield _cable(rng, row, when, post, classification, subject, paragraphs, refs)


def _quote(field: str) -> str:
    return '"' + field.replace("\\", "\\\\").replace('"', '\\"') + '"'


def csv_line(row: list[str]) -> str:
    """One row as the dump writes it: every field quoted, `\\"` escapes, a newline at the end."""
    return ",".join(_quote(field) for field in row) + "\n"


def write_csv(out, count: int = 251_287, seed: int = 2010, progress: bool = False) -> dict:
    """Write `count` rows to a path or a text file opened with newline=""; return a summary."""
    if isinstance(out, (str, Path)):
        with open(out, "w", encoding="utf-8", newline="") as handle:
            return write_csv(handle, count, seed, progress)
    written, taskings, cals = 0, [], []
    for i, row in enumerate(iter_rows(count, seed), 1):
        line = csv_line(row)
        out.write(line)
        written += len(line.encode("utf-8"))
        if "PLEASE CITE C-AL" in row[7]:
            taskings.append(row[2])
            cals.append(row[7].split("PLEASE CITE ")[1].split()[0])
        if progress and i % max(1, count // 10) == 0:
            print(f"{i}/{count} rows ({100 * i // count}%)", file=sys.stderr)
    return {"rows": count, "bytes": written, "tasking_cables": taskings, "collection_references": cals}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out")
    parser.add_argument("--cables", type=int, default=251_287)
    parser.add_argument("--seed", type=int, default=2010)
    args = parser.parse_args()
    summary = write_csv(args.out, args.cables, args.seed, progress=True)
    print(f"{summary['rows']} rows, {summary['bytes'] / 2**20:.1f} MB, {len(summary['tasking_cables'])} tasking cables")


if __name__ == "__main__":
    main()
