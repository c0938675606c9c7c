"""Granting a role group its permissions from a data migration (shared by the roles migrations)."""
from django.contrib.auth.management import create_permissions


def _permission(Permission, code: str):
    app_label, codename = code.split(".")
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def grant_function(roles: dict[str, list[str]]):
    def grant(apps, schema_editor):
        for app_config in apps.get_app_configs():  # permissions exist only after post_migrate otherwise
            app_config.models_module = True
            create_permissions(app_config, verbosity=0)
            app_config.models_module = None
        Group, Permission = apps.get_model("auth", "Group"), apps.get_model("auth", "Permission")
        for name, codes in roles.items():
            group, _ = Group.objects.get_or_create(name=name)
            group.permissions.add(*[_permission(Permission, code) for code in codes])

    return grant


def revoke_function(roles: dict[str, list[str]]):
    def revoke(apps, schema_editor):
        Group, Permission = apps.get_model("auth", "Group"), apps.get_model("auth", "Permission")
        for name, codes in roles.items():
            group = Group.objects.filter(name=name).first()
            if group:
                group.permissions.remove(*[_permission(Permission, code) for code in codes])

    return revoke
