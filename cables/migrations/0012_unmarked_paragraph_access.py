"""Unmarked text is held to the marking in force before it (cables.importing.paragraph_accesses): the
paragraphs stored before that rule take it, and the listing rows of their cables are rebuilt so that search
never finds a cable by text now withheld. Only cables with an unmarked paragraph are read, a batch at a time."""
from types import SimpleNamespace

from django.db import migrations

BATCH = 2000  # cables a batch


def hold_unmarked_text(apps, schema_editor, only: dict | None = None):
    from cables import listing
    from cables.importing import paragraph_accesses

    Paragraph = apps.get_model("cables", "Paragraph")
    unmarked = Paragraph.objects.filter(marking="", **(only or {}))  # `only`: those of them a later rule reads
    cable_ids = sorted(set(unmarked.order_by().values_list("cable_id", flat=True)))
    changed_cables = []
    for start in range(0, len(cable_ids), BATCH):
        by_cable: dict[int, list] = {}
        for pk, cable_id, marking, level, noforn, text in (
                Paragraph.objects.filter(cable_id__in=cable_ids[start:start + BATCH]).order_by("cable_id", "position")
                .values_list("pk", "cable_id", "marking", "level", "noforn", "text")):
            paragraph = SimpleNamespace(pk=pk, marking=marking, level=level, noforn=noforn, text=text)
            by_cable.setdefault(cable_id, []).append(paragraph)
        changed = []
        for cable_id, paragraphs in by_cable.items():
            held = [Paragraph(pk=p.pk, level=level, noforn=noforn)
                    for p, (level, noforn) in zip(paragraphs, paragraph_accesses(paragraphs), strict=True)
                    if (p.level, p.noforn) != (level, noforn)]
            if held:
                changed += held
                changed_cables.append(cable_id)
        Paragraph.objects.bulk_update(changed, ["level", "noforn"], batch_size=1000)
    listing.refresh(changed_cables, apps)


class Migration(migrations.Migration):
    dependencies = [("cables", "0011_listing_sample_index")]
    operations = [migrations.RunPython(hold_unmarked_text, migrations.RunPython.noop)]
