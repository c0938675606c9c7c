"""A seeded generator of synthetic Cablegate-format CSV, of any size, for tests and benchmarks.

    python bench/generate.py OUT.csv [--cables 251287] [--seed 2010]

The rows have the dump's shape: no header row, every field quoted, `\\"` escapes, CRLF inside fields;
a realistic mix of origins, classifications, years, tags, lengths, paragraph markings, REF lines,
page-break and SECTION lines; about one tasking cable per 2,000 cables (lettered sections, numbered
questions, a CAL number to cite) and ten responding cables citing each. Written row by row: memory
stays flat whatever the count.
"""
from __future__ import annotations

import argparse
import random
import sys
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

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
    ("CONFIDENTIAL", "C O N F I D E N T I A L", "C", 33), ("CONFIDENTIAL//NOFORN", "C O N F I D E N T I A L", "C/NF", 2),
    ("SECRET", "S E C R E T", "S", 4), ("SECRET//NOFORN", "S E C R E T", "S/NF", 1.6),
]
TAGS = "PREL PGOV ECON PTER MARR KNNP ETRD EFIN PHUM SNAR EAID ENRG EPET PINR KDEM MOPS ASEC".split()
COUNTRIES = "IR VE RS CH IZ TU JA FR CO EG SP BL AR PA BR LY ZI NU IS AF".split()
WORDS = (
    "government ministry officials said the embassy meeting minister agreement cooperation president "
    "security policy economic political military trade energy regional support program reform election "
    "opposition parliament border investment sanctions nuclear oil gas bank loan aid visit delegation "
    "ambassador talks relations influence concerns plans report network training intelligence terrorism"
).split()
NAMES = ("Chavez Ahmadinejad Medvedev Lavrov Morales Uribe Lula Mubarak Erdogan Zuma Karzai Qadhafi "
         "Hizballah FARC PDVSA Gazprom IRGC Rosatom ALBA OPEC Tehran Caracas Moscow Bogota Kabul").split()
MONTHS = "JAN FEB MAR APR MAY JUN JUL AUG SEP OCT NOV DEC".split()


def _weighted(rng: random.Random, items: list[tuple]) -> tuple:
    return rng.choices(items, weights=[item[-1] for item in items])[0]


def _sentence(rng: random.Random, words: int) -> str:
    chosen = [rng.choice(NAMES) if rng.random() < 0.12 else rng.choice(WORDS) for _ in range(words)]
    text = " ".join(chosen)
    return text[0].upper() + text[1:] + "."


def _wrap(text: str, width: int = 65) -> list[str]:
    lines, line = [], ""
    for word in text.split():
        if line and len(line) + len(word) + 1 > width:
            lines.append(line + " ")
            line = word
        else:
            line = f"{line} {word}" if line else word
    return lines + [line] if line else lines


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
    lines = [f"{banner} {'SECTION 01 OF %02d ' % sections if sections > 1 else ''}{code} {serial:06d} ", " ",
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
    rng = random.Random(seed)
    taskings: list[tuple[str, str, str, datetime]] = []  # (refid, "STATE 1234", CAL, created)
    for row in range(1, count + 1):
        when = _created(rng)
        if row % 2000 == 1000:  # a tasking cable
            cal = f"C-AL{when.year % 10}-{rng.randint(0, 99999):05d}"
            post, classification = POSTS[0], CLASSIFICATIONS[5]
            paragraphs = [_sentence(rng, 40) + " Analysts would appreciate information on the following."]
            for letter in "ABC":
                paragraphs.append(f"{letter}. (U) FOR {rng.choice(NAMES).upper()} WATCHERS AND REGIONAL POSTS:")
                paragraphs += [f"{q}) (S//NF) WHAT IS {_sentence(rng, 8)[:-1].upper()}? HOW {_sentence(rng, 6)[:-1].upper()}?"
                               for q in range(1, rng.randint(3, 8))]
            paragraphs.append(f"(U) PLEASE CITE {cal} IN THE SUBJECT LINE OF REPORTING IN RESPONSE.")
            subject = f"(C) {_sentence(rng, 5)[:-1].upper()} ({cal})"
            fields = _cable(rng, row, when, post, classification, subject, paragraphs, [])
            taskings.append((fields[2], f"STATE {row}", cal, when))
            yield fields
            continue
        post, classification = _weighted(rng, POSTS), _weighted(rng, CLASSIFICATIONS)
        refs: list[tuple[str, str]] = []
        subject = _sentence(rng, rng.randint(3, 9))[:-1].upper()
        if taskings and rng.random() < 0.005:  # ~10 answers per tasking cable
            refid, text, cal, tasked = taskings[-1]
            when = max(when, tasked + timedelta(days=rng.randint(1, 60)))
            refs.append((text, refid))
            subject += f" ({cal})"
        elif rng.random() < 0.4:
            year = when.year % 100
            serial = rng.randint(1, 9999)
            refs.append((f"STATE {serial}", f"{year:02d}STATE{serial}"))
        count_paragraphs = max(2, min(25, int(rng.lognormvariate(1.9, 0.6))))
        paragraphs = [" ".join(_sentence(rng, rng.randint(8, 30)) for _ in range(rng.randint(2, 7)))
                      for _ in range(count_paragraphs)]
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
