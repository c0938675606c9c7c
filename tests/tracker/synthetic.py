"""Synthetic requirement sets in bulk, for the tests that compare a small and a ten-times-larger dataset:
`build(sets, questions_per_set, ...)` writes tasking cables, sets with two sections each, questions, posts
and responses straight to the database."""
from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from cables.markings import marking_access
from cables.models import Cable, Tag
from tracker.models import Post, Question, RequirementSet, Response, Section

TASKED = datetime(2009, 1, 15, 12, 0, tzinfo=UTC)


def build(sets: int, questions_per_set: int, user, *, posts: int = 4, prefix: str = "SYN",
          due: date | None = date(2009, 3, 1)) -> list[RequirementSet]:
    """`sets` active sets of `questions_per_set` (S) questions in sections A and B, each addressed to
    `posts` posts; the first post answers question 1 of every set, the second partly answers question 2."""
    tag, _ = Tag.objects.get_or_create(name="PREL")
    post_rows = Post.objects.bulk_create(
        [Post(key=f"{prefix}POST{p}", name=f"{prefix.title()} Post {p}") for p in range(posts)])
    taskings = Cable.objects.bulk_create([
        Cable(reference_id=f"09STATE{prefix}{i}", created=TASKED + timedelta(days=i), classification="SECRET",
              origin="Secretary of State", subject=f"{prefix} tasking {i}", form="text") for i in range(sets)])
    Cable.tags.through.objects.bulk_create([Cable.tags.through(cable_id=c.pk, tag_id=tag.pk) for c in taskings])
    replies = Cable.objects.bulk_create([
        Cable(reference_id=f"09{prefix}POST{p}{i}", created=TASKED + timedelta(days=10 + i), classification="SECRET",
              origin=f"Embassy {prefix.title()} Post {p}", subject=f"reply {i}", form="text")
        for p in range(2) for i in range(sets)])
    requirement_sets = RequirementSet.objects.bulk_create([
        RequirementSet(tasking_cable=c, title=f"{prefix} set {i}", tasked=c.created, priority="high" if i % 2 else "low",
                       due=due, collection_reference=f"C-SY9-{i:05d}") for i, c in enumerate(taskings)])
    RequirementSet.addressed_posts.through.objects.bulk_create([
        RequirementSet.addressed_posts.through(requirementset_id=rs.pk, post_id=p.pk)
        for rs in requirement_sets for p in post_rows])
    sections = Section.objects.bulk_create([
        Section(requirement_set=rs, letter=letter, audience=f"For section {letter}", order=n)
        for rs in requirement_sets for n, letter in enumerate("AB")])
    level, noforn = marking_access("S")
    questions = Question.objects.bulk_create([
        Question(requirement_set=rs, section=sections[2 * s + (q >= questions_per_set // 2)], code=f"Q.{q + 1}",
                 marking="S", level=level, noforn=noforn, text=f"What does {prefix} set {s} ask in question {q + 1}?",
                 order=q)
        for s, rs in enumerate(requirement_sets) for q in range(questions_per_set)])
    by_set = {rs.pk: [q for q in questions if q.requirement_set_id == rs.pk] for rs in requirement_sets}
    secret = {"cable_level": 2, "cable_noforn": False}  # the replies' access, as Response.save would set it
    Response.objects.bulk_create(
        [Response(question=by_set[rs.pk][0], cable=replies[i], assessment=Response.ANSWERS, post=post_rows[0],
                  created_by=user, cable_created=replies[i].created, **secret) for i, rs in enumerate(requirement_sets)]
        + [Response(question=by_set[rs.pk][1], cable=replies[sets + i], assessment=Response.PARTLY,
                    post=post_rows[1], created_by=user, cable_created=replies[sets + i].created, **secret)
           for i, rs in enumerate(requirement_sets)])
    return requirement_sets
