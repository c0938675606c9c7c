"""`manage.py reparse_cables [REFERENCE_ID...]`: re-parse stored sources after a parser fix."""
from django.core.management.base import BaseCommand

from cables.reparsing import reparse


class Command(BaseCommand):
    help = "Re-parse every cable (or the named ones) from its stored raw sources, recording what changed."

    def add_arguments(self, parser):
        parser.add_argument("reference_ids", nargs="*", metavar="REFERENCE_ID")

    def handle(self, *args, reference_ids, **options):
        report = reparse(reference_ids or None)
        self.stdout.write(f"{report.updated} updated, {report.unchanged} unchanged, {len(report.rejected)} failed")
        for file, _location, reason in report.rejected:
            self.stdout.write(f"  {file}: {reason}")
