"""What the requirements domain does as cables are imported (cables.signals.cables_written, once per
batch, inside its transaction): flag the cables that task collection, record the citations of those that
answer a tasking, and queue the ranking of their paragraphs against the open questions."""
from django.conf import settings
from django.dispatch import receiver

from cables.signals import cables_written
from tracker import linking
from tracker.extraction import tasking_signals
from tracker.models import TaskingCandidate


@receiver(cables_written)
def on_cables_written(sender, cables, parsed, **kwargs) -> None:
    """A fixed number of queries per batch, whatever its size."""
    flagged = {ref: signals for ref, cable in parsed.items() if (signals := tasking_signals(cable))}
    TaskingCandidate.objects.filter(cable__in=[c.pk for c in cables.values()]).delete()
    TaskingCandidate.objects.bulk_create(
        [TaskingCandidate(cable=cables[ref], signals=list(signals)) for ref, signals in flagged.items()]
    )
    linking.record_citations(cables.values())
    if not settings.SUGGEST_ON_IMPORT:
        return
    from tracker.tasks import suggest_for_cables

    suggest_for_cables.delay_on_commit([cable.pk for cable in cables.values()])
