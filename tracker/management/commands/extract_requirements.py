"""`manage.py extract_requirements REFERENCE_ID [--again]`: make a cable's requirement set, or run the
extraction again on it (`--again`: proposals beside analysts' edits, never silent overwrites).
`--candidates` lists the cables flagged as tasking that have no set yet."""
from django.core.management.base import BaseCommand, CommandError

from cables.models import Cable
from tracker import requirements
from tracker.models import RequirementSet, TaskingCandidate
from tracker.requirements import RequirementError


class Command(BaseCommand):
    help = "Extract a tasking cable's questions into a requirement set."

    def add_arguments(self, parser):
        parser.add_argument("reference_ids", nargs="*", metavar="REFERENCE_ID")
        parser.add_argument("--again", action="store_true", help="Run the extraction again on an existing set.")
        parser.add_argument("--candidates", action="store_true", help="List tasking cables without a set.")

    def handle(self, *args, reference_ids, again, candidates, **options):
        if candidates:
            for candidate in TaskingCandidate.objects.filter(cable__requirement_set__isnull=True).select_related("cable"):
                self.stdout.write(f"{candidate.cable.reference_id}\t{'; '.join(candidate.signals)}")
            return
        if not reference_ids:
            raise CommandError("name a tasking cable's reference ID, e.g. 09STATE6423 (or --candidates)", returncode=2)
        failed = 0
        for reference_id in reference_ids:
            try:
                self.stdout.write(self._one(reference_id.upper(), again))
            except (RequirementError, CommandError) as error:
                self.stderr.write(f"{reference_id}: {error}")
                failed += 1
        if failed:
            raise CommandError(f"{failed} of {len(reference_ids)} not extracted", returncode=1)

    def _one(self, reference_id: str, again: bool) -> str:
        cable = Cable.objects.filter(reference_id=reference_id).first()
        if cable is None:
            raise CommandError("no such cable in the store: import it first")
        if again:
            requirement_set = RequirementSet.objects.filter(tasking_cable=cable).first()
            if requirement_set is None:
                raise CommandError("has no requirement set yet: run without --again")
            counts = requirements.reextract(requirement_set)
            return (f"{reference_id}: {counts['updated']} updated, {counts['added']} added, "
                    f"{counts['proposed']} proposed, {counts['unchanged']} unchanged")
        requirement_set = requirements.create_set(cable)
        sections = requirement_set.sections.count()
        questions = requirement_set.questions.count()
        return (f"{reference_id}: requirement set {requirement_set.pk} '{requirement_set.title}', "
                f"{sections} sections, {questions} questions")
