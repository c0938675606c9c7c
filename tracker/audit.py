"""The audit log: records failed logins, clearance changes and imports as AuditEvents, and the lock-out
that counts failed logins."""
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.signals import user_login_failed
from django.core.exceptions import PermissionDenied
from django.db.models.signals import post_save, pre_save
from django.dispatch import receiver
from django.utils import timezone

from cables.signals import import_finished
from tracker.models import AuditEvent, Clearance


def recent_failures(username: str) -> int:
    since = timezone.now() - timedelta(minutes=settings.LOGIN_LOCKOUT_MINUTES)
    return AuditEvent.objects.filter(action=AuditEvent.LOGIN_FAILED, username__iexact=username, at__gte=since).count()


def is_locked_out(username: str) -> bool:
    return bool(username) and recent_failures(username) >= settings.LOGIN_FAILURE_LIMIT


class LockoutModelBackend(ModelBackend):
    """Django's backend, refusing an account after LOGIN_FAILURE_LIMIT failures within
    LOGIN_LOCKOUT_MINUTES: for the login page and the API token endpoint alike."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username and is_locked_out(username):
            raise PermissionDenied("too many failed logins")  # stops here; Django records the failure
        return super().authenticate(request, username=username, password=password, **kwargs)


@receiver(user_login_failed)
def record_failed_login(sender, credentials, request=None, **kwargs):
    username = str(credentials.get("username", ""))[:150]
    address = request.META.get("REMOTE_ADDR", "") if request is not None else ""
    AuditEvent.objects.create(action=AuditEvent.LOGIN_FAILED, username=username, details={"address": address})


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
    from tracker.current_user import get_current_user

    AuditEvent.objects.create(action=AuditEvent.CLEARANCE, user=get_current_user(), target=instance.user.username,
                              details={"before": before, "after": after})


@receiver(import_finished)
def record_import(sender, user=None, report=None, paths=(), job=None, **kwargs):
    AuditEvent.objects.create(
        action=AuditEvent.IMPORT, user=user, target=f"job {job.pk}" if job else ", ".join(map(str, paths))[:300],
        details={"new": report.new, "updated": report.updated, "unchanged": report.unchanged,
                 "rejected": len(report.rejected)},
    )
