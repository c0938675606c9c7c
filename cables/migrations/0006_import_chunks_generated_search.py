"""Search vectors become generated columns, computed by PostgreSQL in the INSERT (an import no longer
updates every row it has just written); import jobs run as chunks. The GIN indexes go with the old
columns and are made again over the new ones (PostgreSQL only: SQLite searches plainly)."""
import django.db.models.deletion
from django.contrib.postgres.search import SearchVectorField
from django.db import migrations, models

import cables.models

INDEXES = {"cables_cable_search_gin": "cables_cable", "cables_paragraph_search_gin": "cables_paragraph"}


# Long texts compressed with lz4 rather than pglz: several times faster to write, for little more space.
LZ4_COLUMNS = {"cables_cablesource": ["raw"], "cables_cable": ["header", "body"], "cables_paragraph": ["text"]}


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for index, table in INDEXES.items():
            schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {index} ON {table} USING gin (search_vector)")


def compress_with_lz4(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT 'lz4' = ANY(enum_vals) FROM (SELECT enumvals AS enum_vals FROM pg_settings "
                       "WHERE name = 'default_toast_compression') s")
        row = cursor.fetchone()
    if not row or not row[0]:
        return  # a server built without lz4 keeps pglz
    for table, columns in LZ4_COLUMNS.items():
        for column in columns:
            schema_editor.execute(f"ALTER TABLE {table} ALTER COLUMN {column} SET COMPRESSION lz4")


def generated(*fields):
    return models.GeneratedField(expression=cables.models.SearchDocument(*fields, config="english"),
                                 output_field=SearchVectorField(null=True), db_persist=True, null=True)


class Migration(migrations.Migration):
    dependencies = [("cables", "0005_paragraph_search_index")]

    operations = [
        migrations.RemoveField(model_name="cable", name="search_vector"),
        migrations.AddField(model_name="cable", name="search_vector", field=generated("subject")),
        migrations.RemoveField(model_name="paragraph", name="search_vector"),
        migrations.AddField(model_name="paragraph", name="search_vector", field=generated("heading", "text")),
        migrations.RunPython(create_indexes, migrations.RunPython.noop),
        migrations.RunPython(compress_with_lz4, migrations.RunPython.noop),
        migrations.CreateModel(
            name="ImportChunk",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("number", models.PositiveIntegerField()),
                ("path", models.CharField(help_text="The file, under MEDIA_ROOT.", max_length=500)),
                ("name", models.CharField(help_text="The file's name as uploaded.", max_length=500)),
                ("start", models.BigIntegerField(default=0)),
                ("end", models.BigIntegerField(blank=True, help_text="Empty: the whole file.", null=True)),
                ("first_row", models.PositiveIntegerField(default=1, help_text="The dump's row number at `start`.")),
                ("first_line", models.PositiveIntegerField(default=1, help_text="The file's line number at `start`.")),
                ("size", models.BigIntegerField(default=0)),
                ("processed_bytes", models.BigIntegerField(default=0)),
                ("status", models.CharField(choices=[("queued", "queued"), ("running", "running"), ("done", "done"),
                                                     ("failed", "failed")], default="queued", max_length=10)),
                ("new", models.PositiveIntegerField(default=0)),
                ("updated_count", models.PositiveIntegerField(default=0, verbose_name="updated")),
                ("unchanged", models.PositiveIntegerField(default=0)),
                ("rejected", models.PositiveIntegerField(default=0)),
                ("message", models.TextField(blank=True)),
                ("finished", models.DateTimeField(blank=True, null=True)),
                ("job", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="chunks",
                                          to="cables.importjob")),
            ],
            options={
                "ordering": ["job", "number"],
                "constraints": [models.UniqueConstraint(fields=("job", "number"), name="chunk_unique_number")],
            },
        ),
        migrations.AddField(
            model_name="importrejection",
            name="chunk",
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE,
                                    related_name="rejections", to="cables.importchunk"),
        ),
    ]
