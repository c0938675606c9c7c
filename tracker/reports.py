"""Coverage of a requirement set: how many of its questions are answered, partly answered, unanswered or
retired, overall, by section and by addressed post; which post answered what (the matrix); and how
coverage grew over time (the timeline). Counts only what the user may see, and says how many
questions were withheld. A fixed number of queries whatever the set's size."""
from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date, datetime, timedelta

from django.db.models import Count, Min, Q
from django.db.models.functions import TruncWeek

from cables.markings import may_see
from tracker.models import Post, Question, RequirementSet, Response, Section
from tracker.posts import covers, is_collective

STATUSES = ("answered", "partly", "unanswered", "retired")


def _summary(statuses: list[str], prior_only: int) -> dict:
    counts = Counter(statuses)
    total = len(statuses)
    open_total = total - counts["retired"]
    # `questions` counts the retired ones too (the API's field); `current` does not: the set's questions as
    # every page counts them, its retired ones said apart.
    summary = {"questions": total, "current": open_total, **{s: counts[s] for s in STATUSES},
               "prior_reporting": prior_only}
    summary["percent_answered"] = round(100 * counts["answered"] / open_total, 1) if open_total else 0.0
    summary["percent_covered"] = (round(100 * (counts["answered"] + counts["partly"]) / open_total, 1)
                                  if open_total else 0.0)
    return summary


def coverage(requirement_set: RequirementSet, user) -> dict:
    """{questions (retired ones included), current (not retired), answered, partly, unanswered, retired,
    prior_reporting, percent_answered, percent_covered, withheld, by_section: [...], by_post: [...]}.
    `withheld` counts the questions the user may not see, retired ones apart (a retired question is not a
    question of the set). A post's `answered` and `partly` count the questions (not retired) whose best
    response from it is an answer or a partial one, as the matrix does. `by_post` lists the set's addressed
    posts (`to_list`), then the posts its sections or questions task beyond them (each asked, silent until it
    reports), then the others. Eight queries."""
    rows = list(
        Question.objects.visible_to(user).with_status(user).filter(requirement_set=requirement_set)
        .order_by("order", "pk").values_list("pk", "code", "section__letter", "section__audience", "derived_status",
                                             "prior_only", "section_id", "section__marking")
    )
    total = Question.objects.filter(requirement_set=requirement_set, retired=False).count()
    result = _summary([r[4] for r in rows], sum(1 for r in rows if r[5]))
    result["withheld"] = total - result["current"]
    sections: dict[tuple, list] = defaultdict(list)
    for _, _, letter, audience, status, prior, section_id, marking in rows:
        if marking and not may_see(user, marking):  # a heading beyond the user's clearance (Section.audience_for)
            audience = Section.WITHHELD
        sections[(section_id, letter or "", audience or "")].append((status, prior))
    result["by_section"] = [  # `outside`: the questions in no section, apart from a section without a name
        {"letter": letter, "audience": audience, "outside": section_id is None,
         **_summary([s for s, _ in items], sum(1 for _, p in items if p))}
        for (section_id, letter, audience), items in sections.items()
    ]
    counted_ids = {r[0] for r in rows if r[4] != "retired"}
    # per post: its responses, the best assessment it gave each question (answers or partly), its latest report
    answered_by: dict[str, dict] = defaultdict(lambda: {"responses": 0, "questions": {}, "last": None})
    keys: dict[str, str] = {}
    for name, key, question_id, created, assessment in (
            Response.objects.visible_to(user).current().filter(question__requirement_set=requirement_set)
            .values_list("post__name", "post__key", "question_id", "cable_created", "assessment")):
        if question_id not in counted_ids:  # a retired question's, as the matrix: asked no more
            continue
        entry = answered_by[name or "(unknown post)"]
        keys[name or "(unknown post)"] = key or ""
        entry["responses"] += 1
        if assessment != Response.CONTEXT:  # context alone answers nothing
            _keep_best(entry["questions"], question_id, assessment)
        if created:  # a cable without a date tells nothing of when
            entry["last"] = max(entry["last"], created) if entry["last"] else created
    to_list = list(requirement_set.addressed_posts.values_list("name", flat=True))
    # A post a section (or a question) tasks was asked, whether or not the set's TO list names it.
    addressed = to_list + sorted(set(tasked_posts(requirement_set, rows, user)) - set(to_list))
    # A post in an addressed collective was addressed; the collective is the group: its members' responses.
    collectives = [name for name in addressed if is_collective(name)]
    via = {name: [c for c in collectives if _covers(c, (name, keys[name]))]
           for name in answered_by if name != "(unknown post)"}
    members = {c: sorted(name for name, groups in via.items() if c in groups) for c in collectives}
    for collective, names in members.items():
        if not names:
            continue
        group = answered_by[collective]
        for name in names:
            group["responses"] += answered_by[name]["responses"]
            for question_id, assessment in answered_by[name]["questions"].items():
                _keep_best(group["questions"], question_id, assessment)
            last = answered_by[name]["last"]
            group["last"] = max(group["last"], last) if group["last"] and last else group["last"] or last
    through = sorted(name for name, groups in via.items() if groups and name not in addressed)
    best = {name: Counter(entry["questions"].values()) for name, entry in answered_by.items()}
    result["by_post"] = [
        {"post": name, "addressed": name in addressed or name in through, "to_list": name in to_list,
         "responses": answered_by[name]["responses"] if name in answered_by else 0,
         "questions_answered": len(answered_by[name]["questions"]) if name in answered_by else 0,
         "answered": best[name][Response.ANSWERS] if name in best else 0,
         "partly": best[name][Response.PARTLY] if name in best else 0,
         "last_response": answered_by[name]["last"].isoformat() if name in answered_by and answered_by[name]["last"]
         else None,
         "collective": name in members, "members": members.get(name, []),
         "via": via.get(name, []) if name in through else []}
        for name in addressed + through + sorted(set(answered_by) - set(addressed) - set(through))
    ]
    return result


def tasked_posts(requirement_set: RequirementSet, rows: list[tuple], user) -> list[str]:
    """The names of the posts the set's current questions among `rows` (coverage's rows: id, code, section
    letter, audience, status, prior, section id, marking) are addressed to (`addressed_posts`). Four queries."""
    asked = addressed_posts([(r[0], r[6], requirement_set.pk) for r in rows if r[4] != "retired"], user)
    ids = set().union(*asked.values())
    return list(Post.objects.filter(pk__in=ids).values_list("name", flat=True)) if ids else []


def to_review(requirement_set: RequirementSet, user) -> list[dict]:
    """The set's questions whose current responses, among those the user may see, wait for review (flagged when
    the question was reworded, split or merged): [{question_id, code, responses}], in the set's order. One
    query."""
    return [{"question_id": pk, "code": code, "responses": n} for pk, code, n in (
        Response.objects.visible_to(user).current().filter(to_review=True, question__requirement_set=requirement_set)
        .values("question_id", "question__code", "question__order").order_by()
        .annotate(n=Count("id")).order_by("question__order", "question_id")
        .values_list("question_id", "question__code", "n"))]


def _keep_best(best: dict[int, str], question_id: int, assessment: str) -> None:
    """Record an assessment of a question, where it beats the one recorded (answers over partly)."""
    if BEST[assessment] > BEST[best.get(question_id, "")]:
        best[question_id] = assessment


def answered_in_words(answered: int, partly: int, asked: int, responses: int) -> str:
    """A matrix row's count in words, the same on the page and in the exports: "2 answered + 1 partly of 5
    asked"; a post that replied without being asked any question: "1 answered, without being asked"."""
    got = f"{answered} answered" + (f" + {partly} partly" if partly else "")
    if asked:
        return f"{got} of {asked} asked"
    if answered or partly:
        return f"{got}, without being asked"
    return "context only, without being asked" if responses else "asked nothing"


# ----------------------------------------------------------------------------- who was asked what


def addressed_posts(questions: list[tuple[int, int | None, int]], user) -> dict[int, set[int]]:
    """{question id: the ids of the posts it is addressed to} for (question id, section id, set id) rows:
    its own posts, else its section's, else every post its set is addressed to. Posts read from a section
    heading withheld from the user (Section.posts_for, Question.posts_for) are not known to them. Three
    queries."""
    question_ids = [q for q, _, _ in questions]
    own: dict[int, set[int]] = defaultdict(set)
    unknown: set = set()  # questions and sections whose posts were read from a heading withheld from the user
    for question_id, post_id, heading in Question.posts.through.objects.filter(
            question_id__in=question_ids).values_list("question_id", "post_id", "question__posts_marking"):
        if not heading or may_see(user, heading):
            own[question_id].add(post_id)
        else:
            unknown.add(("question", question_id))
    by_section: dict[int, set[int]] = defaultdict(set)
    for section_id, post_id, heading in Section.posts.through.objects.filter(
            section_id__in={s for _, s, _ in questions if s}).values_list("section_id", "post_id",
                                                                          "section__marking"):
        if not heading or may_see(user, heading):
            by_section[section_id].add(post_id)
        else:
            unknown.add(("section", section_id))
    by_set: dict[int, set[int]] = defaultdict(set)
    for set_id, post_id in RequirementSet.addressed_posts.through.objects.filter(
            requirementset_id__in={s for _, _, s in questions}).values_list("requirementset_id", "post_id"):
        by_set[set_id].add(post_id)
    # Posts not known are not guessed: such a question is asked of no post the user knows, not of the TO list.
    return {q: own.get(q) or (set() if ("question", q) in unknown else by_section.get(section)
                              or (set() if ("section", section) in unknown else by_set.get(set_id, set())))
            for q, section, set_id in questions}


def _covers(collective: str, post: tuple[str, str]) -> bool:
    """Whether a post, by its (name, key), belongs to a collective, by its name (tracker.posts.covers)."""
    return not is_collective(post[0]) and any(covers(collective, form) for form in post if form)


def with_collectives(asked: dict[int, set[int]], candidates: dict[int, set], posts: dict[int, tuple[str, str]]
                     ) -> tuple[dict[int, set[int]], dict[int, dict[int, set[int]]]]:
    """Who was asked what, collectives resolved: for each question, its addressed posts plus every candidate
    post (by id; e.g. those that responded) belonging to a collective among them; and, per question,
    {collective id: its members among the candidates}. `posts` gives (name, key) by id. Pure."""
    expanded: dict[int, set[int]] = {}
    groups: dict[int, dict[int, set[int]]] = {}
    for question_id, addressed in asked.items():
        members = {c: {p for p in candidates.get(question_id, ()) if p in posts and p != c
                       and _covers(posts[c][0], posts[p])}
                   for c in addressed if c in posts and is_collective(posts[c][0])}
        groups[question_id] = members
        expanded[question_id] = set(addressed).union(*members.values())
    return expanded, groups


BEST = {"answers": 3, "partly": 2, "context": 1, "": 0}


def matrix(requirement_set: RequirementSet, user) -> dict:
    """Which posts answered what: {questions: [{id, code}], rows: [{post, key, addressed, silent, asked,
    answered, partly, in_words, collective, members, via, cells: [{asked, state, responses}]}]}, one row per
    addressed post (by name; a post belonging to an addressed collective is addressed, and asked what the
    collective is asked) then per other responding post. A cell's state is the best assessment the post gave
    the question (answers, partly, context) or "" for none. A collective's row is the group: each cell the
    best of its members', `members` those that responded. Counts only what the user may see. Six queries."""
    questions = list(Question.objects.visible_to(user).filter(requirement_set=requirement_set, retired=False)
                     .order_by("order", "pk").values_list("pk", "code", "section_id"))
    asked = addressed_posts([(pk, section, requirement_set.pk) for pk, _, section in questions], user)
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
    posts = {p.pk: p for p in Post.objects.filter(
        pk__in=addressed_ids | {p for p in responding_ids if p} | set().union(*asked.values()))}
    written = {pk: (p.name, p.key) for pk, p in posts.items()}
    # A responding post in a collective a question is addressed to was asked it, whichever it answered.
    responders = {p for p in responding_ids if p}
    asked, groups = with_collectives(asked, {pk: responders for pk, _, _ in questions}, written)
    collective_ids = {pk for pk in addressed_ids | set().union(*asked.values()) if is_collective(written[pk][0])}
    members: dict[int, set[int]] = defaultdict(set)
    for by_collective in groups.values():
        for collective_id, ids in by_collective.items():
            members[collective_id] |= ids
    for collective_id in collective_ids & addressed_ids:  # the set's collectives, beyond those of its questions
        members[collective_id] |= {p for p in responders if _covers(written[collective_id][0], written[p])}
    via = {p: sorted((c for c in members if p in members[c]), key=lambda pk: posts[pk].name) for p in responders}
    # Addressed: the set's TO list, the posts its questions' sections (or the questions) task, the members
    # of an addressed collective that responded.
    addressed_all = addressed_ids | set().union(*asked.values()) | {p for p, groups_of in via.items() if groups_of}
    order = (sorted(addressed_all, key=lambda pk: posts[pk].name)
             + sorted((p for p in responding_ids - addressed_all if p), key=lambda pk: posts[pk].name)
             + ([None] if None in responding_ids else []))
    rows = []
    for post_id in order:
        if post_id in collective_ids:
            row_cells = []
            for pk, _, _ in questions:
                answers = [cells[(m, pk)] for m in members[post_id] if (m, pk) in cells]
                row_cells.append({"asked": post_id in asked[pk],
                                  "state": max((c["state"] for c in answers), key=BEST.get, default=""),
                                  "responses": sum(c["responses"] for c in answers)})
        else:
            row_cells = [{"asked": post_id in asked[pk], **cells.get((post_id, pk), {"state": "", "responses": 0})}
                         for pk, _, _ in questions]
        counts = {"asked": sum(1 for c in row_cells if c["asked"]),
                  "answered": sum(1 for c in row_cells if c["state"] == "answers"),
                  "partly": sum(1 for c in row_cells if c["state"] == "partly")}
        rows.append({
            "post": posts[post_id].name if post_id else "(unknown post)",
            "key": posts[post_id].key if post_id else "",
            "addressed": post_id in addressed_all,
            "silent": not any(c["responses"] for c in row_cells),
            **counts,
            "in_words": answered_in_words(**counts, responses=sum(c["responses"] for c in row_cells)),
            "collective": post_id in collective_ids,
            "members": sorted(posts[m].name for m in members.get(post_id, ())),
            "via": [posts[c].name for c in via.get(post_id, [])] if post_id not in addressed_ids else [],
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
