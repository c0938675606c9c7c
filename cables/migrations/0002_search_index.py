"""The full-text GIN index over cables' search vector: PostgreSQL only (SQLite searches plainly)."""
from django.db import migrations


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS cables_cable_search_gin ON cables_cable USING gin (search_vector)"
        )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS cables_cable_search_gin")


class Migration(migrations.Migration):
    dependencies = [("cables", "0001_initial")]
    operations = [migrations.RunPython(create_index, drop_index)]
