"""A GIN index of the search vectors of every 12th listing row (by id): the sample from which a search
matching too many cables to count is estimated (cables.filters.SAMPLE_EVERY), found without reading a
vector. PostgreSQL only: SQLite has no search vectors and counts exactly."""
from django.db import migrations

SAMPLE_EVERY = 12  # cables.filters.SAMPLE_EVERY, as it was when this was written


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("CREATE INDEX IF NOT EXISTS listing_document_sample_gin ON cables_listing "
                              f"USING gin (document) WHERE MOD(id, {SAMPLE_EVERY}) = 0")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS listing_document_sample_gin")


class Migration(migrations.Migration):

    dependencies = [
        ("cables", "0010_paragraph_order_by_cable_id"),
    ]

    operations = [
        migrations.RunPython(create, drop),
    ]
