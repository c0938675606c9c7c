"""The cable list's own table: one narrow row per cable and per *view* of it, which the list page, its
search and its facets read without touching the wide cable rows or the paragraphs.

A view is the text a clearance sees of a cable: its subject and the paragraphs whose markings that
clearance reaches. Clearances are the eight tiers (level, NOFORN-eligible); a row's `clearances` holds
the bits of the tiers that see exactly its text, so each tier finds each cable it may see exactly once.
Almost every cable has a single view (no paragraph above its own classification); a SECRET cable with an
(S//NF) paragraph has two. On PostgreSQL the row carries the view's search vector, indexed once per
cable instead of once per paragraph: a word anywhere in what a user may read of a cable finds it, and
a withheld paragraph's words never do.
"""
from __future__ import annotations

import json
from collections.abc import Iterable, Sequence

from django.db import connection

from cables import markings

TIERS = [(level, noforn) for level in range(len(markings.LEVELS)) for noforn in (False, True)]

# to_tsvector refuses a vector over 1 MB; a cable's view beyond this many characters is indexed in part.
MAX_DOCUMENT = 500_000


def tier_bit(level: int, noforn: bool) -> int:
    return 1 << (level * 2 + int(noforn))


def clearance_bit(user) -> int | None:
    """The bit of this user's tier, or None for a user who may see no cable."""
    level, noforn = markings.clearance_of(user)
    return None if level < 0 else tier_bit(level, noforn)


def views(classification: str, accesses: Sequence[tuple[int, bool]]) -> list[tuple[int, list[int]]]:
    """(clearance bits, indexes of the visible paragraphs) for each distinct view of a cable of this
    classification whose paragraphs have these (level, noforn) accesses. The rule is markings.may_see's."""
    needed, restricted = markings.marking_access(classification)
    seen: dict[tuple[int, ...], int] = {}
    for level, noforn in TIERS:
        if level < needed or (restricted and not noforn):
            continue
        visible = tuple(i for i, (p_level, p_noforn) in enumerate(accesses)
                        if p_level <= level and (noforn or not p_noforn))
        seen[visible] = seen.get(visible, 0) | tier_bit(level, noforn)
    return [(bits, list(visible)) for visible, bits in seen.items()]


def rows_for(cable, paragraphs: Sequence[tuple[int, bool, str, str]], tags: Iterable[str]) -> list[tuple]:
    """The listing rows of one cable: `paragraphs` are (level, noforn, heading, text) in order."""
    tags = json.dumps(list(dict.fromkeys(tags)))
    rows = []
    for bits, visible in views(cable.classification, [(p[0], p[1]) for p in paragraphs]):
        parts = [cable.subject]
        for i in visible:
            parts += [paragraphs[i][2], paragraphs[i][3]]
        document = "\n".join(part for part in parts if part)[:MAX_DOCUMENT]
        rows.append((cable.pk, bits, cable.reference_id, cable.created, cable.classification, cable.origin,
                     cable.subject, tags, document))
    return rows


COLUMNS = ["cable_id", "clearances", "reference_id", "created", "classification", "origin", "subject", "tags"]


def write(rows: list[tuple], apps=None) -> None:
    """Insert listing rows. PostgreSQL builds each search vector in the INSERT, from the view's text
    sent once and never stored; elsewhere the rows have no vector (SQLite searches plainly)."""
    if not rows:
        return
    Listing = _model("Listing", apps)

    if connection.vendor != "postgresql":
        Listing.objects.bulk_create(
            [Listing(**dict(zip(COLUMNS, row[:-1], strict=True)) | {"tags": json.loads(row[7])}) for row in rows],
            batch_size=500,
        )
        return
    table = Listing._meta.db_table
    with connection.cursor() as cursor:
        # The rows go to a scratch table by COPY (no parameters to adapt), then into the listing with
        # their vectors made by the database: the view's text is sent once and never stored.
        cursor.execute("CREATE TEMP TABLE IF NOT EXISTS listing_incoming (cable_id bigint, clearances smallint, "
                       "reference_id text, created timestamptz, classification text, origin text, subject text, "
                       f"tags jsonb, body text{' COMPRESSION lz4' if _has_lz4(cursor) else ''})")
        cursor.execute("TRUNCATE listing_incoming")
        with cursor.cursor.copy(f"COPY listing_incoming ({', '.join(COLUMNS)}, body) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        cursor.execute(f"INSERT INTO {table} ({', '.join(COLUMNS)}, document) SELECT {', '.join(COLUMNS)}, "
                       "to_tsvector('english', body) FROM listing_incoming")
        cursor.execute("TRUNCATE listing_incoming")


_LZ4: dict[str, bool] = {}  # by connection alias: whether the server compresses with lz4


def _has_lz4(cursor) -> bool:
    """Whether the server can compress with lz4, which compresses a long text on its way into a table
    about ten times faster than PostgreSQL's own pglz (see migration 0008)."""
    if connection.alias not in _LZ4:
        cursor.execute("SELECT 'lz4' = ANY(enumvals) FROM pg_settings WHERE name = 'default_toast_compression'")
        _LZ4[connection.alias] = bool((cursor.fetchone() or [False])[0])
    return _LZ4[connection.alias]


def refresh(cable_ids: Iterable[int], apps=None) -> None:
    """Rebuild the listing rows of these cables from what is stored (after any change to a cable, its
    paragraphs or its tags that did not go through the importer's own bulk path). `apps`: a
    migration's models."""
    Cable, Listing, Paragraph = (_model(name, apps) for name in ("Cable", "Listing", "Paragraph"))

    cable_ids = list(cable_ids)
    for start in range(0, len(cable_ids), 500):
        chunk = cable_ids[start:start + 500]
        Listing.objects.filter(cable_id__in=chunk).delete()
        paragraphs: dict[int, list[tuple]] = {}
        for row in Paragraph.objects.filter(cable_id__in=chunk).order_by("cable_id", "position").values_list(
                "cable_id", "level", "noforn", "heading", "text"):
            paragraphs.setdefault(row[0], []).append(row[1:])
        tags: dict[int, list[str]] = {}
        for cable_id, name in Cable.tags.through.objects.filter(cable_id__in=chunk).order_by("pk").values_list(
                "cable_id", "tag__name"):
            tags.setdefault(cable_id, []).append(name)
        cables = Cable.objects.filter(pk__in=chunk).only(
            "reference_id", "created", "classification", "origin", "subject")
        write([row for cable in cables for row in rows_for(cable, paragraphs.get(cable.pk, []), tags.get(cable.pk, []))], apps)


def _model(name: str, apps=None):
    if apps is not None:
        return apps.get_model("cables", name)
    from cables import models

    return getattr(models, name)
