"""bench/generate.py: seeded, text shaped like real cables' (common words in most cables, a topic's words in
a few), and the tasking cables and their answers intact."""
import io
import re

import pytest

from bench.generate import iter_rows, write_csv
from cables.sources import parse_dump_row
from tracker.extraction import extract, tasking_signals


@pytest.fixture(scope="module")
def rows() -> list[list[str]]:
    return list(iter_rows(count=2_000, seed=2010))


def share_of_cables_with(rows: list[list[str]], word: str) -> float:
    pattern = re.compile(rf"\b{word}\b", re.I)
    return sum(bool(pattern.search(row[7])) for row in rows) / len(rows)


def written(count: int, seed: int) -> str:
    out = io.StringIO(newline="")
    write_csv(out, count, seed)
    return out.getvalue()


def test_the_same_seed_writes_the_same_bytes_and_another_seed_other_ones():
    assert written(300, seed=7) == written(300, seed=7)
    assert written(300, seed=7) != written(300, seed=8)


def test_common_words_are_in_most_cables_and_a_topics_words_in_a_few(rows):
    assert share_of_cables_with(rows, "the") > 0.95
    assert share_of_cables_with(rows, "government") > 0.5
    assert 0.03 < share_of_cables_with(rows, "nuclear") < 0.35
    assert 0.002 < share_of_cables_with(rows, "Chavez") < 0.1


def test_the_vocabulary_runs_to_thousands_of_words(rows):
    words = {w.lower() for row in rows for w in re.findall(r"[A-Za-z]+", row[7])}
    assert len(words) > 10_000


def test_every_field_is_printable_ascii_with_crlf_line_ends(rows):
    for row in rows:
        assert len(row) == 8
        for field in row:
            assert re.fullmatch(r"[\x20-\x7e]*", field.replace("\r\n", "")), (row[2], field[:200])


def test_the_one_tasking_cable_in_2000_has_sections_numbered_questions_and_a_cal_to_cite(rows):
    tasking = rows[999]
    cal = re.search(r"PLEASE CITE (C-AL\d-\d{5}) IN THE SUBJECT LINE", tasking[7]).group(1)
    questions = re.findall(r"\d\) \(S//NF\) [^a-z]+?\?(?:\r\n| )", tasking[7])
    extraction = extract(parse_dump_row(tasking))

    assert tasking[2].endswith("STATE1000") and tasking[4] == "SECRET//NOFORN"
    assert re.search(rf"SUBJECT: \(C\) [^a-z]+ \({cal}\) ", tasking[7])
    assert [f"{letter}. (U) FOR " in tasking[7] for letter in "ABC"] == [True] * 3
    assert len(questions) >= 6
    assert extraction.collection_reference == cal
    assert len(extraction.questions) == tasking[7].count("(S//NF)")
    assert [row[2] for row in rows if tasking_signals(parse_dump_row(row))] == [tasking[2]]


def test_answers_cite_the_tasking_cable_and_its_cal(rows):
    tasking = rows[999]
    cal = re.search(r"\((C-AL\d-\d{5})\)", tasking[7]).group(1)
    answers = [row for row in rows if row[5] == tasking[2]]

    assert answers
    for answer in answers:
        assert re.search(rf"SUBJECT: [^\r\n]* \({cal}\) ", answer[7])
        assert "REF: A. STATE 1000 " in answer[7]
