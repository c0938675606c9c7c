"""The full-text GIN index over paragraphs (search sees only the paragraphs a user may see); the
cables' vector now holds the subject alone. PostgreSQL only: SQLite searches plainly."""
from django.db import migrations


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS cables_paragraph_search_gin ON cables_paragraph USING gin (search_vector)"
    )
    schema_editor.execute("UPDATE cables_cable SET search_vector = to_tsvector('english', coalesce(subject, ''))")
    schema_editor.execute(
        "UPDATE cables_paragraph SET search_vector = "
        "to_tsvector('english', coalesce(heading, '') || ' ' || coalesce(text, ''))"
    )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS cables_paragraph_search_gin")


class Migration(migrations.Migration):
    dependencies = [("cables", "0004_paragraph_search")]
    operations = [migrations.RunPython(forwards, backwards)]
