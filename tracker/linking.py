"""Cable <-> question: citations found on import, and the ranker's suggestions stored with their evidence.

- A cable citing a collection reference (C-AL8-02836, in its subject or body) or a tasking cable (a REF
  line naming STATE 6423) gets a Citation: attached to that requirement set, or waiting under the
  reference until the tasking cable's set exists (`attach_waiting`).
- `suggest_for_cables` ranks the paragraphs of some cables against the open questions
  (tracker.ranking) and stores the best as Suggestions; the paragraphs of a cable that cites a set are
  also ranked against that set's questions alone, with a lower bar: they were written to answer it.
- `suggest_for_questions` ranks the cables already in the store against new or reworded questions.
A pair an analyst rejected, or already answered by a response, is never suggested again.

The ranker learns its weights from the questions and a background sample of stored paragraphs: words
every cable uses then weigh little, and fewer weak matches pass. Fitting it takes a second or two, so a
process keeps the ranker of the open questions (and those of the sets cited) until the open questions
change: any question added, reworded, retired or restored, or a set closed, changes the (id, text, set)
rows they are told by, read in one query per call. Its background is resampled when the store has doubled.
"""
from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db import IntegrityError, connection, transaction
from django.db.models import Max, Q, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from psycopg.errors import UniqueViolation

from cables.markings import marking_access, reaches
from cables.models import Cable, Paragraph
from tracker.models import Citation, Question, RequirementSet, Response, Suggestion, TaskingCandidate

if TYPE_CHECKING:  # the ranker (numpy, scipy, scikit-learn: about 90 MB) is loaded when a ranking first runs,
    from tracker.ranking import Background, Ranker  # not in every process that imports cables, which never ranks

CITED_SCORE_FACTOR = 0.5  # a cable citing the set: suggestions down to half the ranker's MIN_SCORE
PER_PARAGRAPH = 3
CHUNK = 2_000  # paragraphs ranked at a time when re-ranking the whole store
BACKGROUND = 5_000  # stored paragraphs the ranker learns its weights from, besides the questions


OPEN = (0, False)  # a citation's access where the cable's own classification bounds it


def cited_references(cable: Cable) -> list[tuple[str, str, tuple[int, bool]]]:
    """(reference, kind, access) a cable cites: its collection references and the cables its REF lines name;
    a collection reference only text stricter than the cable names with that text's access, OPEN else."""
    cited = [(ref.upper(), Citation.COLLECTION_REFERENCE, OPEN) for ref in cable.collection_references or []]
    cited += [(ref.upper(), Citation.COLLECTION_REFERENCE, (level, noforn))
              for ref, level, noforn in cable.marked_references or []]
    cited += [(ref["reference_id"], Citation.TASKING_CABLE, OPEN) for ref in cable.references or []
              if ref.get("reference_id") and ref["reference_id"] != cable.reference_id
              and _may_task(ref["reference_id"])]
    return list({(ref, kind): (ref, kind, access) for ref, kind, access in reversed(cited)}.values())[::-1]


def _may_task(reference_id: str) -> bool:
    """Taskings come from the Department: a REF to a STATE cable may name one, and is kept (attached when
    that cable's set exists); REFs to posts' cables are ordinary cross-references."""
    return bool(re.fullmatch(r"\d{2}STATE\d+", reference_id))


def record_citations(cables: Iterable[Cable]) -> list[int]:
    """Citations of freshly imported cables, attached where their set exists: a fixed number of queries
    for any number of cables. Returns the ids of the cables that cite a set."""
    cables = list(cables)
    tasking = set(TaskingCandidate.objects.filter(cable__in=cables).values_list("cable_id", flat=True))
    tasks = set(RequirementSet.objects.filter(tasking_cable__in=cables).values_list("tasking_cable_id", flat=True))
    wanted = {  # a tasking cable names its own collection reference: that is no citation; a set's cable answers none
        cable.pk: [(ref, kind, access) for ref, kind, access in cited_references(cable)
                   if not (cable.pk in tasking and kind == Citation.COLLECTION_REFERENCE) and cable.pk not in tasks]
        for cable in cables
    }
    Citation.objects.filter(cable__in=wanted).delete()
    references = {ref for refs in wanted.values() for ref, _, _ in refs}
    if not references:
        return []
    by_reference = _sets_by_reference(references)
    created = {cable.pk: cable.created for cable in cables}
    citations = [
        Citation(cable_id=cable_id, reference=reference, kind=kind, level=access[0], noforn=access[1],
                 requirement_set=_answered(by_reference.get(reference, []), created.get(cable_id)))
        for cable_id, refs in wanted.items() for reference, kind, access in refs
    ]
    Citation.objects.bulk_create(citations, ignore_conflicts=True)
    return sorted({c.cable_id for c in citations if c.requirement_set is not None})


def _sets_by_reference(references) -> dict[str, list[RequirementSet]]:
    """The sets each reference names, oldest first: a tasking cable names one; a CAL number re-issued in a
    later tasking, several."""
    sets = RequirementSet.objects.filter(Q(collection_reference__in=references)
                                         | Q(tasking_cable__reference_id__in=references))
    by_reference: dict[str, list[RequirementSet]] = {}
    for requirement_set in sets.select_related("tasking_cable").order_by("tasked", "pk"):
        by_reference.setdefault(requirement_set.tasking_cable.reference_id, []).append(requirement_set)
        if requirement_set.collection_reference:
            by_reference.setdefault(requirement_set.collection_reference, []).append(requirement_set)
    return by_reference


def _answered(sets: list[RequirementSet], written) -> RequirementSet | None:
    """Of the sets a reference names (oldest first), the one a cable written then answers: the latest
    tasked by that time, else (a reply dated before any) the first."""
    if not sets:
        return None
    before = [s for s in sets if written is None or s.tasked is None or s.tasked <= written]
    return before[-1] if before else sets[0]


def attach_waiting(requirement_set: RequirementSet) -> list[int]:
    """Attach the citations of this new set's references: those that waited for its tasking cable, and,
    where it re-issues a CAL number, those written since it was tasked, which an older set held (as if
    the cables had been imported after it: `_answered`, whatever the order of the imports). Its own
    tasking cable cites nothing: it tasks. Returns the ids of the cables now citing this set."""
    Citation.objects.filter(cable=requirement_set.tasking_cable).delete()
    references = [requirement_set.tasking_cable.reference_id]
    if requirement_set.collection_reference:
        references.append(requirement_set.collection_reference)
    citations = list(Citation.objects.filter(reference__in=references).select_related("cable").only(
        "pk", "cable_id", "reference", "requirement_set_id", "cable__created"))
    by_reference = _sets_by_reference(references)
    moved = []
    for citation in citations:
        answered = _answered(by_reference.get(citation.reference, []), citation.cable.created)
        if answered is not None and answered.pk != citation.requirement_set_id:
            citation.requirement_set_id = answered.pk
            moved.append(citation)
    Citation.objects.bulk_update(moved, ["requirement_set"])
    return sorted({c.cable_id for c in moved if c.requirement_set_id == requirement_set.pk})


def open_questions(queryset=None):
    """Questions still to answer: not retired, in active sets."""
    queryset = Question.objects.all() if queryset is None else queryset
    return queryset.filter(retired=False, requirement_set__status=RequirementSet.ACTIVE)


def _rankable_paragraphs(cable_ids):
    """Paragraphs that may answer something: not those of tasking cables (their own questions), whether the
    import flagged them or an analyst made a set of one. Unnumbered text counts too (a short reply is often a
    single unnumbered paragraph): its number reads "", so that the best of a cable's unnumbered stretches is
    suggested once, as the cable's unnumbered text; accepted, that is logged as the whole cable, which a
    reader of the cable may see, so only unnumbered text held no stricter than its cable is (`_rankable`).
    Rows: (id, cable id, number, text, level, NOFORN)."""
    tasking = TaskingCandidate.objects.values("cable_id")
    sets = RequirementSet.objects.values("tasking_cable_id")
    return (Paragraph.objects.filter(cable_id__in=cable_ids).exclude(cable_id__in=tasking).exclude(cable_id__in=sets)
            .exclude(text="").values_list("id", "cable_id", Coalesce("number", Value("")), "text", "level", "noforn"))


def _rankable(rows) -> list[tuple[int, int, str, str]]:
    """(id, cable id, number, text) of the rows of `_rankable_paragraphs` that may be suggested: numbered, or
    unnumbered and no stricter than their cable's classification (one query, for the cables of unnumbered
    rows alone)."""
    rows = list(rows)
    unnumbered = {cable_id for _, cable_id, number, *_ in rows if not number}
    access = {pk: marking_access(classification) for pk, classification in Cable.objects.filter(
        pk__in=unnumbered).values_list("pk", "classification")} if unnumbered else {}

    def within(cable_id: int, level: int, noforn: bool) -> bool:
        return reaches(access.get(cable_id, (-1, False)), (level, noforn))

    return [(pid, cable_id, number, text) for pid, cable_id, number, text, level, noforn in rows
            if number or within(cable_id, level, noforn)]


@dataclass
class _Fitted:
    """The rankers of one process, and what they were fitted on."""

    questions: tuple[tuple[int, str, int], ...]  # (id, text, set id) of the open questions
    store_size: int  # the bit length of the highest paragraph id when the background was sampled
    ranker: Ranker
    by_set: dict[int, Ranker] = field(default_factory=dict)  # one set's questions alone, for cables citing it


_fitted: _Fitted | None = None
_background_counted: tuple[tuple[str, ...], Background] | None = None  # the sample, and its counting


def ranking():
    """The ranking module, imported on first use."""
    from tracker import ranking as module

    return module


def _background(highest: int | None) -> Background | list[str]:
    """About BACKGROUND stored paragraphs, spread evenly over the store by id: the same sample in every
    process, read by primary key; counted once per process while the sample stays the same, so that a
    question added or reworded is ranked without counting the sample again."""
    global _background_counted
    if not highest:
        return []
    step = max(highest // BACKGROUND, 1)
    texts = tuple(Paragraph.objects.filter(pk__in=range(step, highest + 1, step)).exclude(text="")
                  .values_list("text", flat=True))
    if _background_counted is None or _background_counted[0] != texts:
        _background_counted = (texts, ranking().Background(texts))
    return _background_counted[1]


def _open_questions_fitted() -> _Fitted | None:
    """This process's ranker of the open questions, fitted again only when they changed (or the store
    doubled); None when no question is open."""
    global _fitted
    questions = tuple(open_questions().order_by("pk").values_list("pk", "text", "requirement_set_id"))
    if not questions:
        return None
    highest = Paragraph.objects.aggregate(highest=Max("pk"))["highest"] or 0
    if _fitted is None or _fitted.questions != questions or _fitted.store_size != highest.bit_length():
        ranker = ranking().Ranker([(pk, text) for pk, text, _ in questions], background=_background(highest))
        _fitted = _Fitted(questions, highest.bit_length(), ranker)
    return _fitted


def open_questions_ranker() -> Ranker | None:
    """The ranker of the open questions, as `suggest_for_cables` uses it: to fit it ahead of the first batch."""
    fitted = _open_questions_fitted()
    return fitted and fitted.ranker


def _set_ranker(fitted: _Fitted, set_id: int) -> Ranker | None:
    if set_id not in fitted.by_set:
        questions = [(pk, text) for pk, text, in_set in fitted.questions if in_set == set_id]
        fitted.by_set[set_id] = ranking().Ranker(questions) if questions else None
    return fitted.by_set[set_id]


def suggest_for_cables(cable_ids: Iterable[int]) -> int:
    """Rank these cables' paragraphs against the open questions; store new suggestions. Returns how many."""
    cable_ids = list(cable_ids)
    if not cable_ids:
        return 0
    with ranking().no_cycle_collection():
        return _suggest_for_cables(cable_ids)


def _suggest_for_cables(cable_ids: list[int]) -> int:
    fitted = _open_questions_fitted()
    if fitted is None:
        return 0
    paragraphs = _rankable(_rankable_paragraphs(cable_ids))
    if not paragraphs:
        return 0
    matches = {(m.question, m.paragraph): (m, False) for m in
               fitted.ranker.rank([(pid, text) for pid, _, _, text in paragraphs], per_paragraph=PER_PARAGRAPH)}
    cited_sets: dict[int, set[int]] = {}
    # only what any reader of the cable may see: a citation in stricter text would flag, and lower the bar for,
    # a suggestion readers of that text alone may know the cause of
    cited = Citation.objects.filter(cable_id__in=cable_ids, requirement_set__isnull=False, level=0, noforn=False)
    for cable_id, set_id in cited.values_list("cable_id", "requirement_set_id"):
        cited_sets.setdefault(set_id, set()).add(cable_id)
    for set_id, cited_cables in cited_sets.items():
        ranker = _set_ranker(fitted, set_id)
        cited_paragraphs = [(pid, text) for pid, cable_id, _, text in paragraphs if cable_id in cited_cables]
        if ranker is not None and cited_paragraphs:
            floor = ranking().MIN_SCORE * CITED_SCORE_FACTOR
            for match in ranker.rank(cited_paragraphs, per_paragraph=PER_PARAGRAPH, min_score=floor):
                matches[(match.question, match.paragraph)] = (match, True)
    return _store(matches.values(), {pid: (cable_id, number) for pid, cable_id, number, _ in paragraphs})


def suggest_for_questions(question_ids: Iterable[int]) -> int:
    """Rank every cable in the store against these questions (added or reworded), in chunks."""
    questions = list(open_questions(Question.objects.filter(pk__in=list(question_ids))).only("id", "text"))
    if not questions:
        return 0
    highest = Paragraph.objects.aggregate(highest=Max("pk"))["highest"]
    ranker = ranking().Ranker([(q.pk, q.text) for q in questions], background=_background(highest))
    stored = 0
    chunk: list[tuple] = []
    rows = _rankable_paragraphs(Cable.objects.values("pk")).order_by("pk").iterator(chunk_size=CHUNK)
    for row in rows:
        chunk.append(row)
        if len(chunk) >= CHUNK:
            stored += _rank_chunk(ranker, _rankable(chunk))
            chunk = []
    if chunk:
        stored += _rank_chunk(ranker, _rankable(chunk))
    return stored


def _rank_chunk(ranker: Ranker, chunk) -> int:
    with ranking().no_cycle_collection():
        matches = ranker.rank([(pid, text) for pid, _, _, text in chunk], per_paragraph=PER_PARAGRAPH)
        return _store([(m, False) for m in matches], {pid: (cable_id, number) for pid, cable_id, number, _ in chunk})


def _store(matches, paragraphs: dict[int, tuple[int, str]]) -> int:
    """New suggestions only: not for a pair already suggested (in any state) or answered by a response."""
    matches = list(matches)
    if not matches:
        return 0
    cable_ids = {paragraphs[m.paragraph][0] for m, _ in matches}
    known = set(Suggestion.objects.filter(cable_id__in=cable_ids).values_list(
        "question_id", "cable_id", "paragraph_number"))
    answered = set(Response.objects.current().filter(cable_id__in=cable_ids).values_list("question_id", "cable_id"))
    new = {}
    for match, cited in matches:
        cable_id, number = paragraphs[match.paragraph]
        key = (match.question, cable_id, number)
        if key not in known and (match.question, cable_id) not in answered:
            score = round(float(match.score), 4)
            if key not in new or score > new[key][1]:  # one of several unnumbered stretches: the best
                new[key] = (match.paragraph, score, match.evidence.as_dict(), cited)
    rows = [(*key, *values) for key, values in new.items()]
    return _copy_suggestions(rows) if connection.vendor == "postgresql" else _create_suggestions(rows)


NEW_FIELDS = ["question_id", "cable_id", "paragraph_number", "paragraph_id", "score", "evidence", "cited"]


def _create_suggestions(rows: list[tuple]) -> int:
    Suggestion.objects.bulk_create([Suggestion(**dict(zip(NEW_FIELDS, row, strict=True))) for row in rows],
                                   batch_size=2_000, ignore_conflicts=True)
    return len(rows)


def _copy_suggestions(rows: list[tuple]) -> int:
    """bulk_create's work on PostgreSQL, several times faster: COPY straight into the table. When another worker
    stored one of the pairs meanwhile, COPY into a scratch table instead, then one INSERT that skips those.
    Returns how many were stored."""
    columns = ", ".join([*NEW_FIELDS, "state", "created", "decision_note"])  # every NOT NULL column but the id
    now = timezone.now()
    rows = [(*fields, json.dumps(evidence), cited, Suggestion.OPEN, now, "") for *fields, evidence, cited in rows]
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            _copy(cursor, f"COPY {Suggestion._meta.db_table} ({columns}) FROM STDIN", rows)
        return len(rows)
    except (UniqueViolation, IntegrityError) as error:  # psycopg's own from COPY, Django's from a query
        if not isinstance(error, UniqueViolation) and not isinstance(error.__cause__, UniqueViolation):
            raise
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"CREATE TEMPORARY TABLE new_suggestion AS SELECT {columns} FROM {Suggestion._meta.db_table} "
                       "WITH NO DATA")
        _copy(cursor, f"COPY new_suggestion ({columns}) FROM STDIN", rows)
        cursor.execute(f"INSERT INTO {Suggestion._meta.db_table} ({columns}) SELECT {columns} FROM new_suggestion "
                       "ON CONFLICT DO NOTHING")
        stored = cursor.rowcount
        cursor.execute("DROP TABLE new_suggestion")
    return stored


def _copy(cursor, statement: str, rows: list[tuple]) -> None:
    with cursor.copy(statement) as copy:
        for row in rows:
            copy.write_row(row)
