"""A citation of a collection reference named only in text stricter than its cable keeps that text's access
(cables migration 0014 set them apart in Cable.marked_references)."""
from django.db import migrations, models


def mark_citations(apps, schema_editor):
    Cable, Citation = apps.get_model("cables", "Cable"), apps.get_model("tracker", "Citation")
    for cable in Cable.objects.exclude(marked_references=[]).only("marked_references").iterator(chunk_size=500):
        for reference, level, noforn in cable.marked_references:
            Citation.objects.filter(cable=cable, reference=reference.upper()).update(level=level, noforn=noforn)


class Migration(migrations.Migration):
    dependencies = [("tracker", "0013_section_marking"), ("cables", "0014_marked_references")]
    operations = [
        migrations.AddField(model_name="citation", name="level", field=models.PositiveSmallIntegerField(default=0)),
        migrations.AddField(model_name="citation", name="noforn", field=models.BooleanField(default=False)),
        migrations.RunPython(mark_citations, migrations.RunPython.noop),
    ]
