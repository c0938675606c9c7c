"""The unanswered-requirements dashboard: every question of the active sets the user may see, with its
status, priority, due date, days since tasking, responses and the addressed posts still silent on it;
overdue first. One queryset serves the page, its exports, its printable form and `GET /api/questions/`;
a page's extra columns cost a fixed number of queries (`with_posts`), whatever the data size."""
from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date

from django.db.models import Case, IntegerField, QuerySet, Value, When
from django.utils import timezone

from tracker import reports
from tracker.models import Post, Question, RequirementSet, Response

PRIORITY_RANK = Case(When(requirement_set__priority=RequirementSet.HIGH, then=Value(0)),
                     When(requirement_set__priority=RequirementSet.MEDIUM, then=Value(1)),
                     default=Value(2), output_field=IntegerField())
COLUMNS = ["Set", "Tasking cable", "Collection reference", "Section", "Code", "Marking", "Question", "Status",
           "Prior reporting only", "Priority", "Due", "Overdue", "Tasked", "Days since tasking", "Responses",
           "Last reported", "Addressed posts", "Silent posts"]


def questions(user, today: date | None = None, active_only: bool = True) -> QuerySet:
    """The questions of the active sets (or all sets) the user may see, with status, response counts and
    the sort keys; ordered overdue first, then by due date, priority and tasking."""
    today = today or timezone.localdate()
    queryset = Question.objects.visible_to(user).with_status(user)
    if active_only:
        queryset = queryset.filter(requirement_set__status=RequirementSet.ACTIVE)
    return (queryset
            .select_related("requirement_set", "requirement_set__tasking_cable", "section")
            .annotate(priority_rank=PRIORITY_RANK,
                      overdue=Case(When(requirement_set__due__lt=today, requirement_set__status=RequirementSet.ACTIVE,
                                        then=Value(1)), default=Value(0),
                                   output_field=IntegerField()))
            .order_by("-overdue", "requirement_set__due", "priority_rank", "requirement_set__tasked",
                      "requirement_set_id", "order", "pk"))


def with_posts(page: list[Question], user, today: date | None = None) -> list[Question]:
    """Set `addressed`, `silent` (names of the addressed posts with no response the user may see) and
    `days_since_tasking` on each question of a page. A post that responded and belongs to a collective the
    question is addressed to counts as addressed; the collective, a group, is silent only while none of
    its members has responded. `to_review`: how many of its current responses the user may see wait for
    review (the question changed since). Six queries."""
    today = today or timezone.localdate()
    asked = reports.addressed_posts([(q.pk, q.section_id, q.requirement_set_id) for q in page], user)
    responded: dict[int, set[int]] = defaultdict(set)
    for question_id, post_id in (Response.objects.visible_to(user).current().filter(question__in=[q.pk for q in page])
                                 .values_list("question_id", "post_id").order_by().distinct()):
        responded[question_id].add(post_id)
    written = {pk: (name, key) for pk, name, key in Post.objects.filter(
        pk__in=set().union(*asked.values(), *responded.values()) - {None}).values_list("pk", "name", "key")}
    asked, groups = reports.with_collectives(asked, responded, written)
    for question_id, by_collective in groups.items():  # a collective answers through its members
        responded[question_id] |= {c for c, members in by_collective.items() if members}
    names = {pk: name for pk, (name, _) in written.items()}
    waiting = Counter(Response.objects.visible_to(user).current().filter(question__in=[q.pk for q in page],
                                                                         to_review=True)
                      .values_list("question_id", flat=True))  # few: counted here, not aggregated again
    for question in page:
        posts = sorted(asked.get(question.pk, ()), key=lambda pk: names[pk])
        question.addressed = [names[pk] for pk in posts]
        question.silent = [names[pk] for pk in posts if pk not in responded[question.pk]]
        question.to_review = waiting[question.pk]
        tasked = question.requirement_set.tasked
        question.days_since_tasking = (today - tasked.date()).days if tasked else None
    return page


def rows(queryset: QuerySet, user, chunk: int = 500):
    """Every question of the (filtered) queryset as a row of COLUMNS, in its order, for the exports: the
    ids in one narrow query, then the rows a chunk at a time."""
    today = timezone.localdate()
    ids = list(queryset.values_list("pk", flat=True))
    for start in range(0, len(ids), chunk):
        yield from as_rows(load(ids[start:start + chunk], user, today))


def as_rows(questions: list[Question]):
    """Questions read by `load` or `with_posts`, as rows of COLUMNS."""
    for q in questions:
        rs = q.requirement_set
        yield [rs.title, rs.tasking_cable.reference_id, rs.collection_reference,
               q.section.letter if q.section else "", q.code, q.marking, q.text, q.derived_status,
               "yes" if q.prior_only else "no", rs.priority, rs.due, "yes" if q.overdue else "no",
               rs.tasked.date() if rs.tasked else None, q.days_since_tasking, q.response_count,
               q.last_response, ", ".join(q.addressed), ", ".join(q.silent)]


def ordered_statuses(queryset: QuerySet) -> list[tuple[int, int, str]]:
    """(question id, set id, status) of every filtered question, in the queryset's order: one narrow query
    gives the page its ids, its total and its chart, so the responses are aggregated once, not twice.
    Questions are what analysts wrote (2,000 at the benchmark's full size), not cables."""
    return list(queryset.values_list("pk", "requirement_set_id", "derived_status"))


def status_counts(rows: list[tuple[int, int, str]]) -> list[tuple[int, str, int]]:
    """(set id, status, questions) over `ordered_statuses` rows: the page's total and its chart."""
    counted = Counter((set_id, status) for _, set_id, status in rows)
    return [(set_id, status, n) for (set_id, status), n in counted.items()]


def open_by_set(counts: list[tuple[int, str, int]], limit: int = 15) -> list[tuple[str, list[float]]]:
    """For the chart: (set title, [unanswered, partly]), the sets with most open questions first. One query."""
    return by_set(counts, ["unanswered", "partly"], limit)


def by_set(counts: list[tuple[int, str, int]], statuses: list[str], limit: int = 15) -> list[tuple[str, list[float]]]:
    """For the chart: (set title, [questions of each status, in the order given]), the sets with most such
    questions first. One query."""
    totals: dict[int, list[int]] = defaultdict(lambda: [0] * len(statuses))
    for set_id, status, n in counts:
        if status in statuses:
            totals[set_id][statuses.index(status)] += n
    top = sorted(totals.items(), key=lambda item: (-sum(item[1]), item[0]))[:limit]
    titles = dict(RequirementSet.objects.filter(pk__in=[set_id for set_id, _ in top]).values_list("pk", "title"))
    return [(titles[set_id], values) for set_id, values in top]


def load(ids: list[int], user, today: date | None = None) -> list[Question]:
    """The questions of a page, in the page's order, with everything the dashboard shows. The page's ids
    come from a narrow query over every question (status and sort keys only); the wide rows (text, set,
    tasking cable) are read for these ids alone."""
    rows = {q.pk: q for q in questions(user, today, active_only=False).filter(pk__in=ids).prefetch_related("posts")}
    return with_posts([rows[pk] for pk in ids if pk in rows], user, today)
