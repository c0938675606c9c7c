"""Coverage of a requirement set: how many of its questions are answered, partly answered, unanswered or
retired, overall, by section and by addressed post. Counts only what the user may see, and says how many
questions were withheld. A fixed number of queries whatever the set's size."""
from __future__ import annotations

from collections import Counter, defaultdict

from tracker.models import Question, RequirementSet, Response

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
    for name, question_id, created in (Response.objects.visible_to(user).current()
                                       .filter(question__requirement_set=requirement_set)
                                       .values_list("post__name", "question_id", "created")):
        if question_id not in visible_ids:
            continue
        entry = answered_by[name or "(unknown post)"]
        entry["responses"] += 1
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
