"""Responses keep their cable's date, so that the coverage tables show when a question was last reported
on (the responding cable's date, not the day an analyst logged it), still counted from the responses alone
through their covering index."""
from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def copy_dates(apps, schema_editor):
    Response = apps.get_model("tracker", "Response")
    Cable = apps.get_model("cables", "Cable")
    Response.objects.update(cable_created=Subquery(Cable.objects.filter(pk=OuterRef("cable_id")).values("created")[:1]))


class Migration(migrations.Migration):
    dependencies = [("tracker", "0011_post_names_keep_acronyms"), ("cables", "0001_initial")]
    operations = [
        migrations.AddField("response", "cable_created", models.DateTimeField(
            null=True, blank=True, help_text="Its cable's date: when the post reported, which the coverage tables "
                                             "show as the last report.")),
        migrations.RunPython(copy_dates, migrations.RunPython.noop),
        migrations.RemoveIndex("response", "response_status_covering"),
        migrations.AddIndex("response", models.Index(
            fields=["question"], include=["retracted", "assessment", "prior_reporting", "cable_created", "cable_level",
                                          "cable_noforn", "post"], name="response_status_covering")),
    ]
