"""`manage.py import_cables PATH...`: import cables from files, folders and zips, with a progress bar.

Exit 0 when every record imported, 1 when some were rejected (the rest are kept), 2 on a usage error.
"""
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from cables.importing import describe, import_paths


class Command(BaseCommand):
    help = "Import cables: viewer pages (HTML or text), flattened pages, raw cable text, CSV dumps, zips, folders."

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", metavar="PATH")
        parser.add_argument("--no-progress", action="store_true", help="No progress bar.")

    def handle(self, *args, paths, no_progress, **options):
        missing = [p for p in paths if not Path(p).exists()]
        if missing:
            raise CommandError(f"no such file or folder: {', '.join(missing)}", returncode=2)
        bar = None if no_progress else tqdm(total=0, unit="B", unit_scale=True, desc="import", file=sys.stderr)

        def progress(done: int, total: int) -> None:
            if bar is not None:
                bar.total = total
                bar.n = done
                bar.refresh()

        report = import_paths(paths, progress=progress)
        if bar is not None:
            bar.close()
        self.stdout.write(describe(report))
        if report.rejected:
            sys.exit(1)
