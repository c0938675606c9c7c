"""Celery tasks of the cable store: interfaces that take ids, load, and call one function."""
from celery import shared_task

from cables import importing
from cables.models import ImportChunk, ImportJob


@shared_task(acks_late=True)
def run_import_job(job_id: int) -> None:
    """Split one import job into chunks and queue each. Safe to run twice: a job that is no longer
    queued is left alone."""
    for chunk_id in importing.plan_job(ImportJob.objects.get(pk=job_id)):
        import_chunk.delay_on_commit(chunk_id)


@shared_task(acks_late=True)
def import_chunk(chunk_id: int) -> None:
    """Import one chunk of an import job. Safe to run twice."""
    importing.import_chunk(ImportChunk.objects.select_related("job").get(pk=chunk_id))
