"""The collection-requirements tracker: project package and the requirements domain."""
from tracker.celery import app as celery_app

__all__ = ("celery_app",)
