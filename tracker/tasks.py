"""Celery tasks of the requirements domain: each takes ids, and calls one function of tracker.linking."""
from celery import shared_task

from tracker import linking


@shared_task(acks_late=True)
def suggest_for_cables(cable_ids: list[int]) -> int:
    """Rank freshly imported cables against the open questions. Safe to run twice."""
    return linking.suggest_for_cables(cable_ids)


@shared_task(acks_late=True)
def suggest_for_questions(question_ids: list[int]) -> int:
    """Rank the stored cables against added or reworded questions. Safe to run twice."""
    return linking.suggest_for_questions(question_ids)
