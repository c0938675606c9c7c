from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("tracker", "0012_response_cable_created")]
    operations = [
        migrations.AddField(
            model_name="section",
            name="marking",
            field=models.CharField(blank=True, max_length=24, help_text="The marking of the paragraph its audience "
                                   "was read from, where stricter than its tasking cable's classification; empty: "
                                   "the cable's."),
        ),
    ]
