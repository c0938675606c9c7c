"""What the requirements domain does as cables are imported (cables.signals.cables_written, once per
batch, inside its transaction): flag the cables that task collection, record the citations of those that
answer a tasking, and queue the ranking of their paragraphs against the open questions; after a large
import (cables.signals.import_finished), refresh the planner's statistics of the tables written here."""
from django.conf import settings
from django.dispatch import receiver

from cables.importing import refresh_statistics
from cables.markings import marking_access
from cables.models import Paragraph
from cables.signals import cables_written, import_finished
from tracker import linking
from tracker.extraction import tasking_signals
from tracker.models import Response, TaskingCandidate


@receiver(cables_written)
def on_cables_written(sender, cables, parsed, **kwargs) -> None:
    """A fixed number of queries per batch, whatever its size."""
    flagged = {ref: signals for ref, cable in parsed.items() if (signals := tasking_signals(cable))}
    TaskingCandidate.objects.filter(cable__in=[c.pk for c in cables.values()]).delete()
    TaskingCandidate.objects.bulk_create(
        [TaskingCandidate(cable=cables[ref], signals=list(signals)) for ref, signals in flagged.items()]
    )
    linking.record_citations(cables.values())
    keep_response_access(cables.values())
    relink_responses(cables.values())
    if not settings.SUGGEST_ON_IMPORT:
        return
    from tracker.tasks import suggest_for_cables

    suggest_for_cables.delay_on_commit([cable.pk for cable in cables.values()])


def keep_response_access(cables) -> None:
    """A cable re-imported with another classification: its responses take the new access. One query per
    classification in the batch."""
    by_classification: dict[str, list[int]] = {}
    for cable in cables:
        by_classification.setdefault(cable.classification, []).append(cable.pk)
    for classification, ids in by_classification.items():
        level, noforn = marking_access(classification)
        (Response.objects.filter(cable_id__in=ids).exclude(cable_level=level, cable_noforn=noforn)
         .update(cable_level=level, cable_noforn=noforn))


def relink_responses(cables) -> None:
    """A cable re-imported with other text gets new paragraph rows: its responses link the paragraphs of
    the numbers they recorded again, so that no response loses what it points at (nor the access its
    paragraphs' markings give it). Three queries when the batch's cables have responses, one otherwise."""
    wanted = list(Response.objects.filter(cable_id__in=[c.pk for c in cables]).exclude(paragraph_numbers=[])
                  .values_list("pk", "cable_id", "paragraph_numbers"))
    if not wanted:
        return
    paragraphs = {(cable_id, number): pk for pk, cable_id, number in Paragraph.objects.filter(
        cable_id__in={cable_id for _, cable_id, _ in wanted}).values_list("pk", "cable_id", "number")}
    through = Response.paragraphs.through
    through.objects.bulk_create([
        through(response_id=response, paragraph_id=paragraphs[cable_id, number])
        for response, cable_id, numbers in wanted for number in numbers if (cable_id, number) in paragraphs
    ], ignore_conflicts=True)


@receiver(import_finished)
def on_import_finished(sender, report, **kwargs) -> None:
    """After a large import, the planner's statistics of what the import wrote here: the citations, read
    by every ranking (a stale row estimate there cost the ranker a sequential scan a batch)."""
    refresh_statistics(report.new + report.updated, ["tracker_citation", "tracker_taskingcandidate"])
