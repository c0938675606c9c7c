"""A collection reference named only in text stricter than its cable (an (S//NF) paragraph of a SECRET cable)
is kept apart, with that text's access, in `marked_references` (cables.importing.references_by_access): the
cables already stored are read again from their stored paragraphs, whose access migration 0013 settled."""
from django.db import migrations, models

from cables.markings import marking_access
from cables.parsing import collection_references


def split_references(apps, schema_editor):
    Cable, Paragraph = apps.get_model("cables", "Cable"), apps.get_model("cables", "Paragraph")
    for cable in Cable.objects.exclude(collection_references=[]).only(
            "classification", "subject", "header", "collection_references").iterator(chunk_size=500):
        limit = marking_access(cable.classification)
        seen = set(collection_references(cable.subject, cable.header))
        stricter: dict[str, tuple[int, bool]] = {}
        for level, noforn, heading, text in Paragraph.objects.filter(cable=cable).values_list(
                "level", "noforn", "heading", "text"):
            named = collection_references(heading, text)
            if level <= limit[0] and (limit[1] or not noforn):
                seen.update(named)
            else:
                for reference in named:
                    stricter[reference] = min(stricter.get(reference, (level, noforn)), (level, noforn))
        marked = {reference: access for reference, access in stricter.items()
                  if reference not in seen and reference in cable.collection_references}
        if marked:
            cable.marked_references = [[reference, *marked[reference]] for reference in cable.collection_references
                                       if reference in marked]
            cable.collection_references = [reference for reference in cable.collection_references
                                           if reference not in marked]
            cable.save(update_fields=["collection_references", "marked_references"])


class Migration(migrations.Migration):
    dependencies = [("cables", "0013_unread_marking_access")]
    operations = [
        migrations.AddField(model_name="cable", name="marked_references",
                            field=models.JSONField(blank=True, default=list)),
        migrations.RunPython(split_references, migrations.RunPython.noop),
    ]
