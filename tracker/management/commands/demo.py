"""`manage.py demo`: load demo data (both seed cables, and the sample pages if asked), make the requirement
set of every tasking cable among them, and the demo accounts.

Prints the accounts' credentials. Safe to run twice: cables import idempotently and the accounts get new
passwords.
"""
import secrets
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand

from cables.importing import describe, import_paths
from tracker import requirements
from tracker.models import Clearance, TaskingCandidate

DEMO_DIR = Path(settings.BASE_DIR) / "cables" / "demo"
ACCOUNTS = {  # username: (role, superuser, clearance, NOFORN eligible)
    "admin": ("admin", True, "TOP SECRET", True),
    "analyst": ("analyst", False, "SECRET", True),
}
SAMPLE_PAGES = Path(settings.BASE_DIR) / "tests" / "data" / "pages"


class Command(BaseCommand):
    help = "Import the demo cables and create (or reset) the demo admin and analyst accounts."

    def add_arguments(self, parser):
        parser.add_argument("--with-pages", action="store_true", help="Also import the 285 sample viewer pages.")

    def handle(self, *args, with_pages, **options):
        paths = [DEMO_DIR] + ([SAMPLE_PAGES] if with_pages and SAMPLE_PAGES.exists() else [])
        report = import_paths(paths)
        self.stdout.write(describe(report))
        for candidate in TaskingCandidate.objects.filter(cable__requirement_set__isnull=True).select_related("cable"):
            try:
                made = requirements.create_set(candidate.cable)
            except requirements.RequirementError as error:
                self.stdout.write(f"{candidate.cable.reference_id}: no requirement set ({error})")
            else:
                self.stdout.write(f"{candidate.cable.reference_id}: requirement set with "
                                  f"{made.questions.count()} questions")
        for username, account in ACCOUNTS.items():
            password = self.reset_account(username, *account)
            self.stdout.write(self.style.SUCCESS(f"{username:8} password: {password}"))

    def reset_account(self, username: str, role: str, is_admin: bool, level: str, noforn: bool) -> str:
        password = secrets.token_urlsafe(12)
        user, _ = get_user_model().objects.get_or_create(username=username)
        user.is_staff = user.is_superuser = is_admin
        user.set_password(password)
        user.save()
        user.groups.add(Group.objects.get(name=role))
        Clearance.objects.update_or_create(user=user, defaults={"level": level, "noforn": noforn})
        return password
