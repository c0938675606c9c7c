"""Two rules of access, applied to the paragraphs stored before them, and the listing rows of the cables
they change rebuilt (as 0012 did), so that search never finds a cable by text now withheld:
- a marking after a bullet or a list label inside a paragraph ("-- (S/NF) ...", "(1) (S/NF) ..."), after a
  short heading ("MILITARY TIES (S/NF): ..."), or written with commas ("(S/NF, ORCON)") raises the
  paragraph's marking, as one at the start of a line does (cables.parsing._with_inner_marking);
- an unmarked paragraph is held to its ancestors' access too, not only to the paragraph before it: "A.2"
  under "A. (S/NF)" after "A.1 (U)" is S//NF (cables.markings.paragraph_accesses).
Both only raise. Only cables with an unmarked numbered paragraph, or a paragraph holding a marking after a
bullet or label, are read, a batch at a time. A marking the parser now reads otherwise (a list letter "(c)"
in an unclassified cable) waits for `manage.py reparse_cables`: it lowered nothing before."""
from django.db import migrations
from django.db.models import Q

BATCH = 2000  # cables a batch
# a marking anywhere inside a paragraph's text: whether a bullet or a label stands before it (what the rule
# before this one did not read) the parser's own rule decides (cables.parsing._with_inner_marking)
INNER = r"\([A-Z][A-Z /,-]{0,39}\)(\s|:|$)"


def raise_access(apps, schema_editor):
    from cables import listing
    from cables.markings import paragraph_accesses
    from cables.parsing import Paragraph as Parsed
    from cables.parsing import _with_inner_marking

    Paragraph = apps.get_model("cables", "Paragraph")
    candidates = Paragraph.objects.filter(Q(marking="") & ~Q(number="") & Q(number__isnull=False)
                                          | Q(text__regex=INNER))
    cable_ids = sorted(set(candidates.order_by().values_list("cable_id", flat=True)))
    changed_cables = []
    for start in range(0, len(cable_ids), BATCH):
        by_cable: dict[int, list] = {}
        for pk, cable_id, number, marking, heading, text, level, noforn, classification in (
                Paragraph.objects.filter(cable_id__in=cable_ids[start:start + BATCH]).order_by("cable_id", "position")
                .values_list("pk", "cable_id", "number", "marking", "heading", "text", "level", "noforn",
                             "cable__classification")):
            parsed = _with_inner_marking(Parsed(number=number or None, marking=marking, heading=heading, text=text),
                                         classification)
            by_cable.setdefault(cable_id, []).append((pk, marking, level, noforn, parsed))
        changed = []
        for cable_id, rows in by_cable.items():
            accesses = paragraph_accesses([parsed for *_, parsed in rows])
            found = []
            for (pk, marking, level, noforn, parsed), access in zip(rows, accesses, strict=True):
                held = (max(level, access[0]), noforn or access[1])  # only ever raised
                if (parsed.marking, *held) != (marking, level, noforn):
                    found.append(Paragraph(pk=pk, marking=parsed.marking, level=held[0], noforn=held[1]))
            if found:
                changed += found
                changed_cables.append(cable_id)
        Paragraph.objects.bulk_update(changed, ["marking", "level", "noforn"], batch_size=1000)
    listing.refresh(changed_cables, apps)


class Migration(migrations.Migration):
    dependencies = [("cables", "0014_marked_references")]
    operations = [migrations.RunPython(raise_access, migrations.RunPython.noop)]
