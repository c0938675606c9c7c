"""Signals the cable store sends, so that others (the audit log) can listen without cables importing them."""
from django.dispatch import Signal

# Sent when an import finishes: sender=None, user (or None), report (importing.ImportReport), paths, job (or None).
import_finished = Signal()

# Sent inside each import batch's transaction, after its cables and paragraphs are written: sender=None,
# cables ({reference ID: Cable} new or changed in the batch), parsed ({reference ID: ParsedCable}).
# Receivers (tracker: tasking detection, links) must do a fixed number of queries per batch, not per cable.
cables_written = Signal()
