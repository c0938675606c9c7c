"""`manage.py reparse_cables [REFERENCE_ID...]`: re-parse stored sources after a parser fix. Exit 0 when every
cable named (or stored) was parsed again, 1 when a reference ID names no stored cable or a source failed to parse
(each named; the others are re-parsed all the same)."""
import sys

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
        if report.rejected:
            sys.exit(1)
