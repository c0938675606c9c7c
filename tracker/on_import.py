"""What the requirements domain does as cables are imported (cables.signals.cables_written, once per
batch, inside its transaction): flag the cables that task collection, record the citations of those that
answer a tasking, and queue the ranking of their paragraphs against the open questions; after a large
import (cables.signals.import_finished), refresh the planner's statistics of the tables written here."""
from django.conf import settings
from django.db.models import BooleanField, Case, F, OuterRef, Subquery, Value, When
from django.dispatch import receiver

from cables.importing import refresh_statistics
from cables.markings import marking_access
from cables.models import Cable, Paragraph
from cables.signals import cables_written, import_finished
from tracker import linking
from tracker.extraction import tasking_signals
from tracker.models import Question, RequirementSet, Response, Suggestion, TaskingCandidate


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
    relink_paragraphs(cables.values())
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
    redated = Response.objects.filter(cable_id__in=ids).exclude(cable_created=F("cable__created"))
    moved = list(redated.values_list("pk", flat=True))
    if not moved:
        return
    Response.objects.filter(pk__in=moved).update(
        cable_created=Subquery(Cable.objects.filter(pk=OuterRef("cable_id")).values("created")[:1]))
    # prior reporting is the cable's date against the tasking's: a corrected date may cross it either way
    tasked = Subquery(RequirementSet.objects.filter(questions=OuterRef("question_id")).values("tasked")[:1])
    Response.objects.filter(pk__in=moved).update(prior_reporting=Case(
        When(cable_created__lt=tasked, then=Value(True)), default=Value(False), output_field=BooleanField()))


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


def relink_paragraphs(cables) -> None:
    """A cable re-imported with other text gets new paragraph rows, and what pointed at the old ones points at
    nothing (Suggestion.paragraph, Question.paragraph are set null): suggestions of its paragraphs (open and
    rejected, which would vanish from every page, since a suggestion is shown by its paragraph's access) and the
    questions of a set it tasks point again at the paragraphs of the numbers they recorded. Two queries, and
    one more for each kind with something to relink."""
    ids = [cable.pk for cable in cables]
    suggestions = list(Suggestion.objects.filter(cable_id__in=ids, paragraph__isnull=True).values_list(
        "pk", "cable_id", "paragraph_number"))
    questions = list(Question.objects.filter(requirement_set__tasking_cable_id__in=ids, paragraph__isnull=True)
                     .exclude(paragraph_number="").values_list("pk", "requirement_set__tasking_cable_id",
                                                              "paragraph_number"))
    if not suggestions and not questions:
        return
    rows = Paragraph.objects.filter(cable_id__in={c for _, c, _ in suggestions + questions}).values_list(
        "pk", "cable_id", "number")
    paragraphs = {(cable_id, number): pk for pk, cable_id, number in rows}
    if found := [Suggestion(pk=pk, paragraph_id=paragraphs[cable_id, number])
                 for pk, cable_id, number in suggestions if (cable_id, number) in paragraphs]:
        Suggestion.objects.bulk_update(found, ["paragraph"])
    if found := [Question(pk=pk, paragraph_id=paragraphs[cable_id, number])
                 for pk, cable_id, number in questions if (cable_id, number) in paragraphs]:
        Question.objects.bulk_update(found, ["paragraph"])


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
