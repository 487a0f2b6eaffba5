"""The two curator roles: Curators prepare claims, Editors also publish, unpublish and delete."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

APPS = ("sources", "claims")
EDITOR_ONLY = {"publish_claim", "add_correction", "change_correction", "delete_correction"}


def create_roles(apps, schema_editor):
    # Permissions are normally created after all migrations; the groups need them now.
    for app_label in APPS:
        app_config = apps.get_app_config(app_label)
        app_config.models_module = (
            True  # migration state stubs lack it; create_permissions checks it
        )
        create_permissions(app_config, verbosity=0, apps=apps)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permissions = Permission.objects.filter(content_type__app_label__in=APPS)
    editor, _ = Group.objects.get_or_create(name="Editor")
    editor.permissions.add(*permissions)
    curator, _ = Group.objects.get_or_create(name="Curator")
    curator.permissions.add(*permissions.exclude(codename__in=EDITOR_ONLY))


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=["Curator", "Editor"]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0001_initial"),
        ("sources", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
