"""`manage.py set_clearance USERNAME LEVEL [--noforn | --no-noforn]`: set a user's clearance."""
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from cables import markings
from tracker.models import Clearance


class Command(BaseCommand):
    help = "Set a user's clearance level (UNCLASSIFIED, CONFIDENTIAL, SECRET, TOP SECRET) and NOFORN eligibility."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("level", help=", ".join(markings.LEVELS) + " (case and underscores ignored)")
        group = parser.add_mutually_exclusive_group()
        group.add_argument("--noforn", dest="noforn", action="store_true", default=None)
        group.add_argument("--no-noforn", dest="noforn", action="store_false")

    def handle(self, *args, username, level, noforn, **options):
        wanted = level.upper().replace("_", " ").strip()
        if wanted not in markings.LEVELS:
            raise CommandError(f"unknown level {level!r}: use one of {', '.join(markings.LEVELS)}", returncode=2)
        try:
            user = get_user_model().objects.get(username=username)
        except get_user_model().DoesNotExist:
            raise CommandError(f"no user named {username!r}", returncode=2) from None
        clearance, _ = Clearance.objects.get_or_create(user=user)
        clearance.level = wanted
        if noforn is not None:
            clearance.noforn = noforn
        clearance.save()
        self.stdout.write(str(clearance))
