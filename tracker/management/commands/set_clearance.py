"""`manage.py set_clearance USERNAME LEVEL [--noforn | --no-noforn] [--by ADMIN]`: set a user's clearance.

The audit log records who did it: the account named by --by, or else the operating-system account that ran
the command."""
import getpass

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from cables import markings
from tracker.audit import acting_as
from tracker.models import Clearance


def _os_account() -> str:
    """The operating-system account running this process, as the audit log names it."""
    try:
        return getpass.getuser()
    except Exception:  # no login name and no password-file entry (a bare container)
        return "an unknown account"


class Command(BaseCommand):
    help = "Set a user's clearance level (UNCLASSIFIED, CONFIDENTIAL, SECRET, TOP SECRET) and NOFORN eligibility."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("level", help=", ".join(markings.LEVELS) + " (case and underscores ignored)")
        group = parser.add_mutually_exclusive_group()
        group.add_argument("--noforn", dest="noforn", action="store_true", default=None)
        group.add_argument("--no-noforn", dest="noforn", action="store_false")
        parser.add_argument("--by", metavar="USERNAME", default="",
                            help="Your account, recorded in the audit log as who made the change (without it: "
                                 "the operating-system account running the command)")

    def handle(self, *args, username, level, noforn, by, **options):
        wanted = level.upper().replace("_", " ").strip()
        if wanted not in markings.LEVELS:
            raise CommandError(f"unknown level {level!r}: use one of {', '.join(markings.LEVELS)}", returncode=2)
        users = get_user_model().objects
        try:
            user = users.get(username=username)
        except get_user_model().DoesNotExist:
            raise CommandError(f"no user named {username!r}", returncode=2) from None
        acting = users.filter(username=by).first() if by else None
        if by and acting is None:
            raise CommandError(f"no user named {by!r} (--by names your own account)", returncode=2)
        with acting_as(acting, "" if acting else f"{_os_account()} (command line)"):
            clearance, _ = Clearance.objects.get_or_create(user=user)
            clearance.level = wanted
            if noforn is not None:
                clearance.noforn = noforn
            clearance.save()
        self.stdout.write(str(clearance))
