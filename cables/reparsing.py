"""Re-parse stored cables from their raw sources, after a parser fix: `manage.py reparse_cables`."""
from __future__ import annotations

from django.conf import settings

from cables.importing import ImportReport, Record, parse_source, write_batch
from cables.models import Cable, CableSource
from cables.parsing import ParseError


def reparse(reference_ids: list[str] | None = None) -> ImportReport:
    """Parse every stored source again; a cable whose fields come out different is updated and the change recorded.
    A reference ID given that names no stored cable is rejected, named, in the report."""
    report = ImportReport()
    cables = Cable.objects.order_by("pk")
    if reference_ids:
        wanted = list(dict.fromkeys(r.strip().upper() for r in reference_ids))
        cables = cables.filter(reference_id__in=wanted)
        found = set(cables.values_list("reference_id", flat=True))
        report.rejected += [(reference_id, "", "no cable with this reference ID in the store")
                            for reference_id in wanted if reference_id not in found]
    ids = list(cables.values_list("pk", flat=True))
    size = settings.IMPORT_BATCH_SIZE
    for start in range(0, len(ids), size):
        records = []
        for source in CableSource.objects.filter(cable_id__in=ids[start:start + size]).select_related("cable"):
            try:
                parsed = parse_source(source.raw, source.form)
            except ParseError as error:
                report.rejected.append((source.cable.reference_id, source.name, str(error)))
                continue
            records.append(Record(name=source.name, raw=source.raw, cable=parsed))
            report.notes += [f"{source.cable.reference_id} ({source.name}): {note}" for note in parsed.notes]
        if records:
            write_batch(records, report, reparse=True)
    return report
