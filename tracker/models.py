"""The requirements domain; for now, who may see what: each user's clearance."""
from django.conf import settings
from django.db import models

from cables import markings


class Clearance(models.Model):
    """A user's clearance level and NOFORN eligibility. A user without one is UNCLASSIFIED, not eligible."""

    LEVEL_CHOICES = [(level, level) for level in markings.LEVELS]

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="clearance")
    level = models.CharField(max_length=20, choices=LEVEL_CHOICES, default=markings.UNCLASSIFIED)
    noforn = models.BooleanField("NOFORN eligible", default=False)

    def __str__(self) -> str:
        return f"{self.user}: {self.level}{' (NOFORN eligible)' if self.noforn else ''}"


class AuditEvent(models.Model):
    """Who did what, when: imports, clearance changes, failed logins. Written by tracker.audit; never edited."""

    LOGIN_FAILED, IMPORT, CLEARANCE = "login failed", "import", "clearance changed"
    ACTION_CHOICES = [(a, a) for a in (LOGIN_FAILED, IMPORT, CLEARANCE)]

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="audit_events")
    username = models.CharField(max_length=150, blank=True, db_index=True, help_text="As typed, for failed logins.")
    action = models.CharField(max_length=40, choices=ACTION_CHOICES, db_index=True)
    target = models.CharField(max_length=300, blank=True)
    details = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.username or self.user}: {self.action} {self.target}"
