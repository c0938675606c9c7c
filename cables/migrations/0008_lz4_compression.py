"""The long values (sources, bodies, headers, paragraphs, search vectors) compressed by lz4 rather than PostgreSQL's own
pglz: on the import's COPY it compresses about ten times faster to the same size, and reads back faster.
Only values written from now on use it; a server built without lz4 keeps pglz."""
from django.db import migrations

COLUMNS = [("cables_cablesource", "raw"), ("cables_cable", "body"), ("cables_cable", "header"),
           ("cables_paragraph", "text"), ("cables_listing", "document")]


def use_lz4(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT 'lz4' = ANY(enumvals) FROM pg_settings WHERE name = 'default_toast_compression'")
        row = cursor.fetchone()
        if not row or not row[0]:
            return
        for table, column in COLUMNS:
            cursor.execute(f'ALTER TABLE "{table}" ALTER COLUMN "{column}" SET COMPRESSION lz4')


def use_pglz(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        for table, column in COLUMNS:
            cursor.execute(f'ALTER TABLE "{table}" ALTER COLUMN "{column}" SET COMPRESSION pglz')


class Migration(migrations.Migration):
    dependencies = [("cables", "0007_listing")]
    operations = [migrations.RunPython(use_lz4, use_pglz)]
