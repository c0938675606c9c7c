"""The roles, as groups: admin (imports, users, clearances), analyst (logs responses, edits requirement
sets; for now reads), reader (reads)."""
from django.db import migrations

from tracker.migrations._roles import grant_function

ROLES = {
    "reader": ["cables.view_cable", "cables.view_paragraph"],
    "analyst": ["cables.view_cable", "cables.view_paragraph"],
    "admin": [
        "cables.view_cable", "cables.view_paragraph", "cables.view_importjob", "cables.add_importjob",
        "cables.view_cablesource", "cables.view_cablechange", "cables.view_importrejection",
        "auth.view_user", "auth.add_user", "auth.change_user", "auth.view_group",
        "tracker.view_clearance", "tracker.add_clearance", "tracker.change_clearance",
        "tracker.view_auditevent",
    ],
}


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLES).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("tracker", "0002_auditevent"),
        ("cables", "0003_paragraph_access"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]
    operations = [migrations.RunPython(grant_function(ROLES), remove_roles)]
