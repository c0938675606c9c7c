"""The audit log: records failed logins, clearance changes and imports as AuditEvents, and the lock-out
that counts failed logins.

The lock-out counts an attempt *before* the password is checked: the attempt is written as a failed login
first, then the failures in the window are counted (this one and every attempt still in flight included),
and only an attempt within the limit goes on to the (slow) password hash. A success takes its row back. So
parallel guesses cannot all pass the check while the hashes run: at most LOGIN_FAILURE_LIMIT attempts per
username are ever checked within the window. Writing and counting happen in one transaction, under a
per-username advisory lock on PostgreSQL and under SQLite's write lock (the insert comes first)."""
import hashlib
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import timedelta

from asgiref.sync import sync_to_async
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.signals import user_login_failed
from django.core.exceptions import PermissionDenied
from django.db import connection, transaction
from django.db.models.signals import post_save, pre_save
from django.dispatch import receiver
from django.utils import timezone

from cables.signals import import_finished
from tracker.models import AuditEvent, Clearance

# The attempts this backend has written and not yet seen through, ((event pk, username lowercased), ...), the
# latest last: the failure signal Django sends after the backend finds its attempt here, so that every attempt
# is recorded once.
_attempts: ContextVar = ContextVar("login_attempts", default=())


# Who makes the changes recorded while no request is served (a management command): (user, name); see acting_as.
_acting: ContextVar = ContextVar("audit_acting", default=(None, ""))


@contextmanager
def acting_as(user=None, name: str = ""):
    """Record `user` (an account) or else `name` (e.g. the operating-system account that ran a command) as
    who did the changes audited within the block, where no request carries the acting user."""
    token = _acting.set((user, name))
    try:
        yield
    finally:
        _acting.reset(token)


def _actor() -> tuple:
    """(user, username) for an audit event: the request's user, else whoever `acting_as` names."""
    from tracker.current_user import get_current_user

    user = get_current_user()
    return (user, "") if user is not None else _acting.get()


def _forget(pk: int) -> None:
    _attempts.set(tuple(a for a in _attempts.get() if a[0] != pk))


def recent_failures(username: str) -> int:
    since = timezone.now() - timedelta(minutes=settings.LOGIN_LOCKOUT_MINUTES)
    return AuditEvent.objects.filter(action=AuditEvent.LOGIN_FAILED, username__iexact=username, at__gte=since).count()


def is_locked_out(username: str) -> bool:
    """Whether the next attempt for this username would be refused (a read only: it reserves nothing)."""
    return bool(username) and recent_failures(username) >= settings.LOGIN_FAILURE_LIMIT


def _address(request) -> str:
    return request.META.get("REMOTE_ADDR", "") if request is not None else ""


def _lock_key(username: str) -> int:
    digest = hashlib.sha256(b"tracker.login:" + username.lower().encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


def reserve_attempt(username: str, request=None) -> tuple[AuditEvent, bool]:
    """Write this attempt as a failed login, then count: (the event, whether the attempt is over the limit).
    Atomic: two attempts for one username never count the same failures, whatever runs in parallel."""
    username = str(username)[:150]
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_lock_key(username)])
        event = AuditEvent.objects.create(action=AuditEvent.LOGIN_FAILED, username=username,
                                          details={"address": _address(request)})
        failures = recent_failures(username)  # this attempt and every one in flight included
    return event, failures > settings.LOGIN_FAILURE_LIMIT


class LockoutModelBackend(ModelBackend):
    """Django's backend, refusing an account after LOGIN_FAILURE_LIMIT failures within
    LOGIN_LOCKOUT_MINUTES: for the login page and the API token endpoint alike. The attempt is counted
    before the password is checked (reserve_attempt), so parallel requests cannot outrun the count."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None:
            username = kwargs.get(get_user_model().USERNAME_FIELD)
        if not username or password is None:
            return super().authenticate(request, username=username, password=password, **kwargs)
        event, refused = reserve_attempt(username, request)
        _attempts.set((*_attempts.get(), (event.pk, str(username)[:150].lower())))
        if refused:
            AuditEvent.objects.filter(pk=event.pk).update(details={"address": _address(request), "locked_out": True})
            raise PermissionDenied("too many failed logins")  # stops here; the attempt stays a failure
        try:
            user = super().authenticate(request, username=username, password=password, **kwargs)
        except BaseException:
            _forget(event.pk)  # counted as a failure, but no signal follows
            raise
        if user is not None:  # a success is no failure: take the reservation back
            _forget(event.pk)
            AuditEvent.objects.filter(pk=event.pk).delete()
        return user

    async def aauthenticate(self, request, username=None, password=None, **kwargs):
        # ModelBackend's own async version would skip the lock-out: go through the one above.
        return await sync_to_async(self.authenticate)(request, username=username, password=password, **kwargs)


@receiver(user_login_failed)
def record_failed_login(sender, credentials, request=None, **kwargs):
    username = str(credentials.get("username", ""))[:150]
    mine = [pk for pk, name in _attempts.get() if name == username.lower()]
    if mine:
        _forget(mine[-1])  # already written by LockoutModelBackend, before the password was checked
        return
    AuditEvent.objects.create(action=AuditEvent.LOGIN_FAILED, username=username, details={"address": _address(request)})


@receiver(pre_save, sender=Clearance)
def remember_clearance_before(sender, instance: Clearance, **kwargs):
    before = Clearance.objects.filter(pk=instance.pk).values("level", "noforn").first() if instance.pk else None
    instance._before = before


@receiver(post_save, sender=Clearance)
def record_clearance_change(sender, instance: Clearance, created: bool, **kwargs):
    before = getattr(instance, "_before", None)
    after = {"level": instance.level, "noforn": instance.noforn}
    if before == after:
        return
    user, username = _actor()
    AuditEvent.objects.create(action=AuditEvent.CLEARANCE, user=user, username=username, target=instance.user.username,
                              details={"before": before, "after": after})


@receiver(import_finished)
def record_import(sender, user=None, report=None, paths=(), job=None, **kwargs):
    AuditEvent.objects.create(
        action=AuditEvent.IMPORT, user=user, target=f"job {job.pk}" if job else ", ".join(map(str, paths))[:300],
        details={"new": report.new, "updated": report.updated, "unchanged": report.unchanged,
                 "rejected": len(report.rejected)},
    )
