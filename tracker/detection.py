"""Flags the cables that task collection as they are imported: a TaskingCandidate per such cable, with
the signals that gave it away (tracker.extraction.tasking_signals). Listens to cables.signals."""
from django.dispatch import receiver

from cables.signals import cables_written
from tracker.extraction import tasking_signals
from tracker.models import TaskingCandidate


@receiver(cables_written)
def flag_tasking_cables(sender, cables, parsed, **kwargs) -> None:
    """Two queries per import batch whatever its size: drop the batch's old flags, write the new ones."""
    flagged = {ref: signals for ref, cable in parsed.items() if (signals := tasking_signals(cable))}
    TaskingCandidate.objects.filter(cable__in=[c.pk for c in cables.values()]).delete()
    TaskingCandidate.objects.bulk_create(
        [TaskingCandidate(cable=cables[ref], signals=list(signals)) for ref, signals in flagged.items()]
    )
