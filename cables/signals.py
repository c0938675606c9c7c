"""Signals the cable store sends, so that others (the audit log) can listen without cables importing them."""
from django.dispatch import Signal

# Sent when an import finishes: sender=None, user (or None), report (importing.ImportReport), paths, job (or None).
import_finished = Signal()
