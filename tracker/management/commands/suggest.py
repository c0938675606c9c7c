"""`manage.py suggest [REFERENCE_ID...] [--queue] [--batch N]`: rank stored cables against the open questions
and store the suggestions, as an import does for what it writes; for a bulk load made with
SUGGEST_ON_IMPORT=0. Every cable by default, oldest first, with a progress bar; `--queue` sends the batches to
the Celery workers instead. Pairs already suggested (open, accepted or rejected) are not suggested again."""
import sys

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from cables.models import Cable
from tracker import linking

BATCH = 500


class Command(BaseCommand):
    help = "Rank stored cables against the open questions (after an import made with SUGGEST_ON_IMPORT=0)."

    def add_arguments(self, parser):
        parser.add_argument("reference_ids", nargs="*", metavar="REFERENCE_ID", help="These cables only.")
        parser.add_argument("--queue", action="store_true", help="Queue the batches for the Celery workers.")
        parser.add_argument("--batch", type=int, default=BATCH, help=f"Cables a batch ({BATCH}).")
        parser.add_argument("--no-progress", action="store_true", help="No progress bar.")

    def handle(self, *args, reference_ids, queue, batch, no_progress, **options):
        if batch < 1:
            raise CommandError(f"--batch must be 1 or more, not {batch}", returncode=2)
        cables = Cable.objects.order_by("pk")
        if reference_ids:
            wanted = {ref.strip().upper() for ref in reference_ids}
            cables = cables.filter(reference_id__in=wanted)
            if unknown := sorted(wanted - set(cables.values_list("reference_id", flat=True))):
                raise CommandError(f"no such cable in the store: {', '.join(unknown)}", returncode=1)
        ids = list(cables.values_list("pk", flat=True))
        if not linking.open_questions().exists():
            self.stdout.write("No open question to rank against: nothing suggested.")
            return
        bar = None if no_progress else tqdm(total=len(ids), unit="cable", desc="suggest", file=sys.stderr)
        stored = 0
        for start in range(0, len(ids), batch):
            chunk = ids[start:start + batch]
            if queue:
                from tracker.tasks import suggest_for_cables

                suggest_for_cables.delay(chunk)
            else:
                stored += linking.suggest_for_cables(chunk)
            if bar is not None:
                bar.update(len(chunk))
        if bar is not None:
            bar.close()
        if queue:
            self.stdout.write(f"{len(ids)} cables queued for ranking in {-(-len(ids) // batch)} batches.")
        else:
            self.stdout.write(f"{len(ids)} cables ranked: {stored} new suggestions.")
