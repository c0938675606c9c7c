"""A question read from an unmarked paragraph is as classified as that paragraph's stored access (as the extraction
now holds it, tracker.extraction): migration cables/0015 raised unmarked sub-paragraphs to the paragraphs they
stand under, and the questions read from them before are raised with them here, never lowered. (A question from
a marked paragraph keeps its own item's marking: the paragraph may hold items of several.) Without it a reader
the paragraph is now withheld from would still read its words in the question, on the set's page."""
from django.db import migrations

LEVELS = ("U", "C", "S", "TS")


def hold_questions(apps, schema_editor):
    Question = apps.get_model("tracker", "Question")
    raised = []
    for pk, level, noforn, held_level, held_noforn in (
            Question.objects.filter(paragraph__isnull=False, paragraph__marking="").values_list(
                "pk", "level", "noforn", "paragraph__level", "paragraph__noforn").iterator(chunk_size=2000)):
        if held_level > level or (held_noforn and not noforn):
            new_level, new_noforn = max(level, held_level), noforn or held_noforn
            raised.append(Question(pk=pk, level=new_level, noforn=new_noforn,
                                   marking=LEVELS[new_level] + ("//NF" if new_noforn else "")))
    Question.objects.bulk_update(raised, ["marking", "level", "noforn"], batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [("tracker", "0017_question_posts_marking"), ("cables", "0015_bulleted_and_nested_access")]
    operations = [migrations.RunPython(hold_questions, migrations.RunPython.noop)]
