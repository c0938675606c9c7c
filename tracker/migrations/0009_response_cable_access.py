"""Responses keep their cable's access (level, NOFORN), so that the statuses of every question are counted
from the responses alone, through one covering index."""
from django.db import migrations, models


def copy_access(apps, schema_editor):
    from cables.markings import marking_access

    Response = apps.get_model("tracker", "Response")
    Cable = apps.get_model("cables", "Cable")
    classifications = Response.objects.order_by().values_list("cable__classification", flat=True).distinct()
    for classification in list(classifications):
        level, noforn = marking_access(classification)
        cables = Cable.objects.filter(classification=classification).values("pk")
        Response.objects.filter(cable_id__in=cables).update(cable_level=level, cable_noforn=noforn)


class Migration(migrations.Migration):
    dependencies = [("tracker", "0008_response_roles"), ("cables", "0001_initial")]
    operations = [
        migrations.AddField("response", "cable_level", models.PositiveSmallIntegerField(
            default=0, help_text="Its cable's classification as an index in markings.LEVELS: counts need not join "
                                 "the cables.")),
        migrations.AddField("response", "cable_noforn", models.BooleanField(default=False)),
        migrations.RunPython(copy_access, migrations.RunPython.noop),
        migrations.AddIndex("response", models.Index(
            fields=["question"], include=["retracted", "assessment", "prior_reporting", "created", "cable_level",
                                          "cable_noforn", "post"], name="response_status_covering")),
    ]
