"""`manage.py demo`: load demo data (both seed cables, and the sample pages if asked), make the requirement
set of every tasking cable among them, give the sets priorities and due dates, log the responses an analyst
would have logged (`tracker/demo/responses.json`: real cables answering real questions, with notes), and
make the demo accounts.

Prints the accounts' credentials. Safe to run twice: cables import idempotently and the accounts get new
passwords.
"""
import json
import secrets
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand
from django.utils import timezone

from cables.importing import describe, import_paths
from cables.models import Cable
from tracker import requirements, responses
from tracker.audit import acting_as
from tracker.models import Clearance, Question, RequirementSet, Response, TaskingCandidate

DEMO_DIR = Path(settings.BASE_DIR) / "cables" / "demo"
ACCOUNTS = {  # username: (role, superuser, clearance, NOFORN eligible)
    "admin": ("admin", True, "TOP SECRET", True),
    "analyst": ("analyst", False, "SECRET", True),
}
SAMPLE_PAGES = Path(settings.BASE_DIR) / "tests" / "data" / "pages"
RESPONSES = Path(settings.BASE_DIR) / "tracker" / "demo" / "responses.json"
# Tasking cable: (priority, days from tasking to due (None: 45 days from today), status). Set once, when
# the set is made.
PLANS = {
    "09STATE6423": ("high", 90, "active"),
    "08STATE30340": ("high", 120, "active"),
    "09STATE40419": ("medium", 60, "active"),
    "09STATE80163": ("medium", None, "active"),
    "09STATE47326": ("low", 180, "active"),
    "09STATE52774": ("low", 30, "closed"),
}


class Command(BaseCommand):
    help = "Import the demo cables and create (or reset) the demo admin and analyst accounts."

    def add_arguments(self, parser):
        parser.add_argument("--with-pages", action="store_true", help="Also import the 285 sample viewer pages.")

    def handle(self, *args, with_pages, **options):
        paths = [DEMO_DIR] + ([SAMPLE_PAGES] if with_pages and SAMPLE_PAGES.exists() else [])
        report = import_paths(paths)
        self.stdout.write(describe(report))
        passwords = {username: self.reset_account(username, *account) for username, account in ACCOUNTS.items()}
        analyst = get_user_model().objects.get(username="analyst")
        for candidate in TaskingCandidate.objects.filter(cable__requirement_set__isnull=True).select_related("cable"):
            try:
                made = requirements.create_set(candidate.cable, analyst)
            except requirements.RequirementError as error:
                self.stdout.write(f"{candidate.cable.reference_id}: no requirement set ({error})")
            else:
                self.plan(made, analyst)
                self.stdout.write(f"{candidate.cable.reference_id}: requirement set with "
                                  f"{made.questions.count()} questions")
        logged = self.log_responses(analyst)
        self.stdout.write(f"{logged} responses logged ({Response.objects.current().count()} in all)")
        for username, password in passwords.items():
            self.stdout.write(self.style.SUCCESS(f"{username:8} password: {password}"))

    def plan(self, requirement_set: RequirementSet, analyst) -> None:
        plan = PLANS.get(requirement_set.tasking_cable.reference_id)
        if plan is None or requirement_set.tasked is None:
            return
        priority, days, status = plan
        due = (requirement_set.tasked.date() + timedelta(days=days) if days
               else timezone.localdate() + timedelta(days=45))
        requirements.edit_set(requirement_set, analyst, priority=priority, due=due, status=status)

    def log_responses(self, analyst) -> int:
        """The demo's responses, each once: a response already there (from an earlier run) is left alone."""
        if not RESPONSES.exists():
            return 0
        logged = 0
        cables = {c.reference_id: c for c in Cable.objects.all()}
        for entry in json.loads(RESPONSES.read_text()):
            cable = cables.get(entry["cable"])
            question = Question.objects.filter(requirement_set__tasking_cable__reference_id=entry["tasking"],
                                               code=entry["question"], retired=False).first()
            if cable is None or question is None:
                continue
            if Response.objects.current().filter(question=question, cable=cable).exists():
                continue
            try:
                responses.log(analyst, cable, [question], entry["paragraphs"], entry["assessment"],
                              entry["confidence"], entry["note"])
            except responses.ResponseError as error:
                self.stdout.write(f"{entry['cable']} -> {entry['tasking']} {entry['question']}: not logged ({error})")
            else:
                logged += 1
        return logged

    def reset_account(self, username: str, role: str, is_admin: bool, level: str, noforn: bool) -> str:
        password = secrets.token_urlsafe(12)
        user, _ = get_user_model().objects.get_or_create(username=username)
        user.is_staff = user.is_superuser = is_admin
        user.set_password(password)
        user.save()
        user.groups.add(Group.objects.get(name=role))
        with acting_as(name="the demo command"):  # the audit log says who set it
            Clearance.objects.update_or_create(user=user, defaults={"level": level, "noforn": noforn})
        return password
