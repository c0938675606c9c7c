"""Coverage of a requirement set: how many of its questions are answered, partly answered, unanswered or
retired, overall, by section and by addressed post; which post answered what (the matrix); and how
coverage grew over time (the timeline). Counts only what the user may see, and says how many
questions were withheld. A fixed number of queries whatever the set's size."""
from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date, datetime, timedelta

from django.db.models import Count, Min, Q
from django.db.models.functions import TruncWeek

from tracker.models import Post, Question, RequirementSet, Response, Section

STATUSES = ("answered", "partly", "unanswered", "retired")


def _summary(statuses: list[str], prior_only: int) -> dict:
    counts = Counter(statuses)
    total = len(statuses)
    open_total = total - counts["retired"]
    summary = {"questions": total, **{s: counts[s] for s in STATUSES}, "prior_reporting": prior_only}
    summary["percent_answered"] = round(100 * counts["answered"] / open_total, 1) if open_total else 0.0
    summary["percent_covered"] = (round(100 * (counts["answered"] + counts["partly"]) / open_total, 1)
                                  if open_total else 0.0)
    return summary


def coverage(requirement_set: RequirementSet, user) -> dict:
    """{questions, answered, partly, unanswered, retired, prior_reporting, percent_answered,
    percent_covered, withheld, by_section: [...], by_post: [...]}. Three queries."""
    rows = list(
        Question.objects.visible_to(user).with_status(user).filter(requirement_set=requirement_set)
        .order_by("order", "pk").values_list("pk", "code", "section__letter", "section__audience", "derived_status",
                                             "prior_only")
    )
    total = Question.objects.filter(requirement_set=requirement_set).count()
    result = _summary([r[4] for r in rows], sum(1 for r in rows if r[5]))
    result["withheld"] = total - len(rows)
    sections: dict[tuple, list] = defaultdict(list)
    for _, _, letter, audience, status, prior in rows:
        sections[(letter or "", audience or "")].append((status, prior))
    result["by_section"] = [
        {"letter": letter, "audience": audience,
         **_summary([s for s, _ in items], sum(1 for _, p in items if p))}
        for (letter, audience), items in sections.items()
    ]
    visible_ids = {r[0] for r in rows}
    answered_by: dict[str, dict] = defaultdict(lambda: {"responses": 0, "questions": set(), "last": None})
    for name, question_id, created, assessment in (Response.objects.visible_to(user).current()
                                                   .filter(question__requirement_set=requirement_set)
                                                   .values_list("post__name", "question_id", "created", "assessment")):
        if question_id not in visible_ids:
            continue
        entry = answered_by[name or "(unknown post)"]
        entry["responses"] += 1
        if assessment != Response.CONTEXT:  # context alone answers nothing
            entry["questions"].add(question_id)
        entry["last"] = max(entry["last"], created) if entry["last"] else created
    addressed = list(requirement_set.addressed_posts.values_list("name", flat=True))
    result["by_post"] = [
        {"post": name, "addressed": name in addressed, "responses": answered_by[name]["responses"] if name in
         answered_by else 0, "questions_answered": len(answered_by[name]["questions"]) if name in answered_by else 0,
         "last_response": answered_by[name]["last"].isoformat() if name in answered_by and answered_by[name]["last"]
         else None}
        for name in addressed + sorted(set(answered_by) - set(addressed))
    ]
    return result


# ----------------------------------------------------------------------------- who was asked what


def addressed_posts(questions: list[tuple[int, int | None, int]]) -> dict[int, set[int]]:
    """{question id: the ids of the posts it is addressed to} for (question id, section id, set id) rows:
    its own posts, else its section's, else every post its set is addressed to. Three queries."""
    question_ids = [q for q, _, _ in questions]
    own: dict[int, set[int]] = defaultdict(set)
    for question_id, post_id in Question.posts.through.objects.filter(question_id__in=question_ids).values_list(
            "question_id", "post_id"):
        own[question_id].add(post_id)
    by_section: dict[int, set[int]] = defaultdict(set)
    for section_id, post_id in Section.posts.through.objects.filter(
            section_id__in={s for _, s, _ in questions if s}).values_list("section_id", "post_id"):
        by_section[section_id].add(post_id)
    by_set: dict[int, set[int]] = defaultdict(set)
    for set_id, post_id in RequirementSet.addressed_posts.through.objects.filter(
            requirementset_id__in={s for _, _, s in questions}).values_list("requirementset_id", "post_id"):
        by_set[set_id].add(post_id)
    return {q: own.get(q) or by_section.get(section) or by_set.get(set_id, set()) for q, section, set_id in questions}


def matrix(requirement_set: RequirementSet, user) -> dict:
    """Which posts answered what: {questions: [{id, code}], rows: [{post, key, addressed, silent, asked,
    answered, partly, cells: [{asked, state, responses}]}]}, one row per addressed post (by name) then per
    other responding post. A cell's state is the best assessment the post gave the question (answers,
    partly, context) or "" for none. Counts only what the user may see. Six queries."""
    questions = list(Question.objects.visible_to(user).filter(requirement_set=requirement_set, retired=False)
                     .order_by("order", "pk").values_list("pk", "code", "section_id"))
    asked = addressed_posts([(pk, section, requirement_set.pk) for pk, _, section in questions])
    cells: dict[tuple[int | None, int], dict] = {}
    for post_id, question_id, total, answers, partly in (
            Response.objects.visible_to(user).current().filter(question_id__in=[q[0] for q in questions])
            .values("post_id", "question_id").order_by()
            .annotate(total=Count("id"), answers=Count("id", filter=Q(assessment=Response.ANSWERS)),
                      partly=Count("id", filter=Q(assessment=Response.PARTLY)))
            .values_list("post_id", "question_id", "total", "answers", "partly")):
        state = "answers" if answers else "partly" if partly else "context"
        cells[(post_id, question_id)] = {"state": state, "responses": total}
    addressed_ids = set(requirement_set.addressed_posts.values_list("pk", flat=True))
    responding_ids = {post_id for post_id, _ in cells}
    posts = {p.pk: p for p in Post.objects.filter(pk__in=addressed_ids | {p for p in responding_ids if p})}
    order = (sorted(addressed_ids, key=lambda pk: posts[pk].name)
             + sorted((p for p in responding_ids - addressed_ids if p), key=lambda pk: posts[pk].name)
             + ([None] if None in responding_ids else []))
    rows = []
    for post_id in order:
        row_cells = [{"asked": post_id in asked[pk], **cells.get((post_id, pk), {"state": "", "responses": 0})}
                     for pk, _, _ in questions]
        rows.append({
            "post": posts[post_id].name if post_id else "(unknown post)",
            "key": posts[post_id].key if post_id else "",
            "addressed": post_id in addressed_ids,
            "silent": not any(c["responses"] for c in row_cells),
            "asked": sum(1 for c in row_cells if c["asked"]),
            "answered": sum(1 for c in row_cells if c["state"] == "answers"),
            "partly": sum(1 for c in row_cells if c["state"] == "partly"),
            "cells": row_cells,
        })
    return {"questions": [{"id": pk, "code": code} for pk, code, _ in questions], "rows": rows}


# ----------------------------------------------------------------------------- over time

MAX_BUCKETS = 52


def timeline(requirement_set: RequirementSet, user, today: date | None = None) -> dict:
    """Responses per week (by the date of the responding cable: when the post reported) and coverage over
    time (the share of open questions answered, and answered at least partly, by the end of each week),
    aggregated in the database. Weeks are merged into buckets of several weeks when the span is longer
    than a year. {weeks_per_bucket, tasked, buckets: [{start, answers, partly, context, answered,
    covered, percent_answered, percent_covered}], questions}. Three queries."""
    questions = Question.objects.visible_to(user).filter(requirement_set=requirement_set, retired=False)
    total = questions.count()
    responses = Response.objects.visible_to(user).current().filter(question__in=questions)
    weekly = list(responses.annotate(week=TruncWeek("cable__created")).values("week", "assessment").order_by()
                  .annotate(n=Count("id")).values_list("week", "assessment", "n"))
    firsts = list(responses.values("question_id").order_by().annotate(
        answered=Min("cable__created", filter=Q(assessment=Response.ANSWERS)),
        covered=Min("cable__created", filter=Q(assessment__in=[Response.ANSWERS, Response.PARTLY])),
    ).values_list("answered", "covered"))
    tasked = requirement_set.tasked.date() if requirement_set.tasked else None
    starts = [_monday(week) for week, _, _ in weekly if week] + ([_monday(tasked)] if tasked else [])
    if not starts:
        return {"weeks_per_bucket": 1, "tasked": None, "buckets": [], "questions": total}
    first, last = min(starts), max(starts)
    span_weeks = (last - first).days // 7 + 1
    step = -(-span_weeks // MAX_BUCKETS)
    count = -(-span_weeks // step)
    buckets = [{"start": first + timedelta(weeks=i * step), "answers": 0, "partly": 0, "context": 0}
               for i in range(count)]

    def index(day: date) -> int:
        return min(max((day - first).days // 7 // step, 0), count - 1)

    for week, assessment, n in weekly:
        if week:
            buckets[index(_monday(week))][assessment] += n
    answered_at = Counter(index(_day(a)) for a, _ in firsts if a)
    covered_at = Counter(index(_day(c)) for _, c in firsts if c)
    answered = covered = 0
    for i, bucket in enumerate(buckets):
        answered += answered_at[i]
        covered += covered_at[i]
        bucket.update(answered=answered, covered=covered,
                      percent_answered=round(100 * answered / total, 1) if total else 0.0,
                      percent_covered=round(100 * covered / total, 1) if total else 0.0)
    return {"weeks_per_bucket": step, "tasked": tasked, "buckets": buckets, "questions": total,
            "tasked_bucket": index(tasked) if tasked else None}


def _day(value) -> date:
    return value.date() if isinstance(value, datetime) else value


def _monday(value) -> date:
    day = _day(value)
    return day - timedelta(days=day.weekday())
