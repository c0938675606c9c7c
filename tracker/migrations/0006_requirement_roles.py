"""The roles' permissions on requirement sets: analysts edit sets, sections and questions and decide
re-extraction's proposals; readers read; admins also edit posts."""
from django.contrib.auth.management import create_permissions
from django.db import migrations

READ = ["tracker.view_requirementset", "tracker.view_section", "tracker.view_question", "tracker.view_post",
        "tracker.view_taskingcandidate"]
EDIT = ["tracker.add_requirementset", "tracker.change_requirementset", "tracker.add_section",
        "tracker.change_section", "tracker.add_question", "tracker.change_question", "tracker.view_proposal",
        "tracker.change_proposal", "tracker.view_requirementchange"]
ROLES = {
    "reader": READ,
    "analyst": READ + EDIT,
    "admin": READ + EDIT + ["tracker.add_post", "tracker.change_post"],
}


def grant(apps, schema_editor):
    for app_config in apps.get_app_configs():  # permissions exist only after post_migrate otherwise
        app_config.models_module = True
        create_permissions(app_config, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codes in ROLES.items():
        group, _ = Group.objects.get_or_create(name=name)
        for code in codes:
            app_label, codename = code.split(".")
            group.permissions.add(Permission.objects.get(content_type__app_label=app_label, codename=codename))


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codes in ROLES.items():
        group = Group.objects.filter(name=name).first()
        if group:
            for code in codes:
                app_label, codename = code.split(".")
                group.permissions.remove(*Permission.objects.filter(content_type__app_label=app_label,
                                                                    codename=codename))


class Migration(migrations.Migration):
    dependencies = [("tracker", "0005_requirement_sets")]
    operations = [migrations.RunPython(grant, revoke)]
