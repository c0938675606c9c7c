"""What the requirements domain does as cables are imported (cables.signals.cables_written, once per
batch, inside its transaction): flag the cables that task collection, record the citations of those that
answer a tasking, and queue the ranking of their paragraphs against the open questions; after a large
import (cables.signals.import_finished), refresh the planner's statistics of the tables written here."""
from django.conf import settings
from django.db.models import F, OuterRef, Subquery
from django.dispatch import receiver

from cables.importing import refresh_statistics
from cables.markings import marking_access
from cables.models import Cable, Paragraph
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
    """A cable re-imported with another classification or date: its responses take the new access and date.
    One query per classification in the batch, and one for the dates."""
    by_classification: dict[str, list[int]] = {}
    for cable in cables:
        by_classification.setdefault(cable.classification, []).append(cable.pk)
    for classification, ids in by_classification.items():
        level, noforn = marking_access(classification)
        (Response.objects.filter(cable_id__in=ids).exclude(cable_level=level, cable_noforn=noforn)
         .update(cable_level=level, cable_noforn=noforn))
    ids = [cable.pk for cable in cables]
    (Response.objects.filter(cable_id__in=ids).exclude(cable_created=F("cable__created"))
     .update(cable_created=Subquery(Cable.objects.filter(pk=OuterRef("cable_id")).values("created")[:1])))


def relink_responses(cables) -> None:
    """A cable re-imported with other text gets new paragraph rows: its responses link the paragraphs of
    the numbers they recorded again, so that no response loses what it points at (nor the access its
    paragraphs' markings give it). Three queries when the batch's cables have responses, one otherwise."""
    wanted = list(Response.objects.filter(cable_id__in=[c.pk for c in cables]).exclude(paragraph_numbers=[])
                  .values_list("pk", "cable_id", "paragraph_numbers"))
    if not wanted:
        return
    rows = Paragraph.objects.filter(cable_id__in={cable_id for _, cable_id, _ in wanted}).values_list(
        "pk", "cable_id", "number")
    paragraphs = {(cable_id, number): pk for pk, cable_id, number in rows}
    unqualified: dict[tuple[int, str], str | None] = {}  # (cable, "D.1") -> "3.D.1", None where ambiguous
    for _, cable_id, number in rows:
        key = (cable_id, _unqualified(number))
        unqualified[key] = number if key not in unqualified else None
    renumbered = []
    links = []
    for response, cable_id, numbers in wanted:
        now = [number if (cable_id, number) in paragraphs else unqualified.get((cable_id, _unqualified(number)))
               or number for number in numbers]
        links += [(response, paragraphs[cable_id, number]) for number in now if (cable_id, number) in paragraphs]
        if now != numbers:
            renumbered.append(Response(pk=response, paragraph_numbers=now))
    through = Response.paragraphs.through
    through.objects.bulk_create([through(response_id=r, paragraph_id=p) for r, p in links], ignore_conflicts=True)
    Response.objects.bulk_update(renumbered, ["paragraph_numbers"])


def _unqualified(number: str | None) -> str:
    """A lettered paragraph's number without the paragraph it stands under ("3.D.1" -> "D.1"): the
    parser qualifies letters that start again under a later paragraph, so a re-parse may add or drop it."""
    head, _, rest = (number or "").partition(".")
    return rest if head.isdigit() and rest[:1].isalpha() else number or ""


@receiver(import_finished)
def on_import_finished(sender, report, **kwargs) -> None:
    """After a large import, the planner's statistics of what the import wrote here: the citations, read
    by every ranking (a stale row estimate there cost the ranker a sequential scan a batch)."""
    refresh_statistics(report.new + report.updated, ["tracker_citation", "tracker_taskingcandidate"])
