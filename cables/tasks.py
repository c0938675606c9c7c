"""Celery tasks of the cable store: interfaces that take ids, load, and call one function."""
from celery import shared_task

from cables import importing
from cables.models import ImportJob


@shared_task(acks_late=True)
def run_import_job(job_id: int) -> None:
    """Run one import job. Safe to run twice: a job that is no longer queued is left alone."""
    importing.run_job(ImportJob.objects.get(pk=job_id))
