"""The cable list reads a table of its own (cables.listing): one narrow row per cable and view, with
one search vector per cable on PostgreSQL instead of one per paragraph and subject. The old generated
columns go with their GIN indexes; the rows of the cables already stored are built here."""

import django.contrib.postgres.search
import django.db.models.deletion
from django.db import migrations, models

from cables import listing


def build(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("CREATE INDEX IF NOT EXISTS listing_document_gin ON cables_listing USING gin (document)")
    listing.refresh(apps.get_model("cables", "Cable").objects.values_list("pk", flat=True), apps)


class Migration(migrations.Migration):

    dependencies = [
        ('cables', '0006_import_chunks_generated_search'),
    ]

    operations = [
        migrations.RemoveField(
            model_name='cable',
            name='search_vector',
        ),
        migrations.RemoveField(
            model_name='paragraph',
            name='search_vector',
        ),
        migrations.CreateModel(
            name='Listing',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('clearances', models.PositiveSmallIntegerField(help_text='Bits of the clearance tiers that see this text.')),
                ('reference_id', models.CharField(max_length=40)),
                ('created', models.DateTimeField(blank=True, null=True)),
                ('classification', models.CharField(max_length=40)),
                ('origin', models.CharField(max_length=120)),
                ('subject', models.TextField(blank=True)),
                ('tags', models.JSONField(blank=True, default=list)),
                ('document', django.contrib.postgres.search.SearchVectorField(null=True)),
                ('cable', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='listings', to='cables.cable')),
            ],
            options={
                'ordering': ['-created', 'reference_id'],
                'indexes': [models.Index(fields=['-created', 'reference_id'], name='listing_order')],
            },
        ),
        migrations.RunPython(build, migrations.RunPython.noop),
    ]
