"""A collection reference named only in text stricter than its cable (an (S//NF) paragraph of a SECRET cable)
is kept apart, with that text's access, in `marked_references` (cables.parsing.references_by_access): the
cables already stored are read again from their stored paragraphs, whose access migration 0013 settled."""
from django.db import migrations, models

from cables.parsing import split_by_access


def split_references(apps, schema_editor):
    Cable, Paragraph = apps.get_model("cables", "Cable"), apps.get_model("cables", "Paragraph")
    for cable in Cable.objects.exclude(collection_references=[]).only(
            "classification", "form", "subject", "header", "collection_references").iterator(chunk_size=500):
        paragraphs = [((level, noforn), heading, text) for level, noforn, heading, text in
                      Paragraph.objects.filter(cable=cable).order_by("position").values_list(
                          "level", "noforn", "heading", "text")]
        references, marked = split_by_access(cable.collection_references, cable.classification, cable.form,
                                             (cable.subject, cable.header), paragraphs)
        if marked:
            cable.collection_references, cable.marked_references = references, marked
            cable.save(update_fields=["collection_references", "marked_references"])


def join_references(apps, schema_editor):
    """Backwards: the references set apart are the cable's again, as before this migration."""
    Cable = apps.get_model("cables", "Cable")
    for cable in Cable.objects.exclude(marked_references=[]).only(
            "collection_references", "marked_references").iterator(chunk_size=500):
        cable.collection_references = [*cable.collection_references,
                                       *(reference for reference, _, _ in cable.marked_references)]
        cable.marked_references = []
        cable.save(update_fields=["collection_references", "marked_references"])


class Migration(migrations.Migration):
    dependencies = [("cables", "0013_unread_marking_access")]
    operations = [
        migrations.AddField(model_name="cable", name="marked_references",
                            field=models.JSONField(blank=True, default=list)),
        migrations.RunPython(split_references, join_references),
    ]
