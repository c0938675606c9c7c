"""`manage.py import_cables PATH...`: import cables from files, folders and zips, with a progress bar.

`--queue` runs the import as a Celery job instead, split into chunks that the workers share, and follows
it to the end. Exit 0 when every record imported, 1 when some were rejected (the rest are kept; an unreadable
file and a folder holding no files are rejected too, named), 2 on a usage error.
"""
import os
import sys
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from cables.importing import ImportReport, describe, import_paths, job_report, store_files
from cables.models import ImportJob


class Command(BaseCommand):
    help = "Import cables: viewer pages (HTML or text), flattened pages, raw cable text, CSV dumps, zips, folders."

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", metavar="PATH")
        parser.add_argument("--no-progress", action="store_true", help="No progress bar.")
        parser.add_argument("--queue", action="store_true",
                            help="Run as a Celery import job, in chunks shared by the workers (files are kept "
                                 "under MEDIA_ROOT for them), and follow it until it is done.")
        parser.add_argument("--processes", type=int, default=min(os.cpu_count() or 1, 4), metavar="N",
                            help="On PostgreSQL, processes that import a large input side by side, each "
                                 "taking the next file or range of a CSV dump (default: the cores, at most 4; "
                                 "1 imports in this process). Not with --queue.")

    def handle(self, *args, paths, no_progress, queue, processes, **options):
        missing = [p for p in paths if not Path(p).exists()]
        if missing:
            raise CommandError(f"no such file or folder: {', '.join(missing)}", returncode=2)
        bar = None if no_progress else tqdm(total=0, unit="B", unit_scale=True, desc="import", file=sys.stderr)

        def progress(done: int, total: int) -> None:
            if bar is not None:
                bar.total = total
                bar.n = done
                bar.refresh()

        if queue:
            report = self.run_as_job(paths, progress)
        else:
            report = import_paths(paths, progress=progress, processes=processes)
        if bar is not None:
            bar.close()
        self.stdout.write(describe(report))
        if report.rejected:
            sys.exit(1)

    def run_as_job(self, paths, progress):
        from cables.tasks import run_import_job

        unreadable: list = []  # files that could not be copied where the workers read them
        stored, names, size = store_files(paths, unreadable)
        if not stored:
            return ImportReport(rejected=sorted(unreadable))
        job = ImportJob.objects.create(paths=stored, names=names, total_bytes=size)
        run_import_job.delay_on_commit(job.pk)
        while True:
            job.refresh_from_db()
            progress(job.processed_bytes if job.status != ImportJob.DONE else job.total_bytes, job.total_bytes)
            if job.status in (ImportJob.DONE, ImportJob.FAILED):
                break
            time.sleep(0.5)
        if job.status == ImportJob.FAILED:
            raise CommandError(f"import job {job.pk} {job.message}")
        report = job_report(job)
        report.rejected[:0] = sorted(unreadable)
        return report
