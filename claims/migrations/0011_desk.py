"""The curator's desk: merges of duplicate parties and claims, kept so that they can be undone
(an Editor's permission), and Editors managing the Curators' accounts."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.contrib.auth.management import create_permissions
from django.db import migrations, models

EDITOR = [
    ("auth", "add_user"),
    ("auth", "change_user"),
    ("auth", "view_user"),
    ("claims", "merge_records"),
    ("claims", "view_merge"),
]
CURATOR = [("claims", "view_merge")]


def grant(apps, schema_editor):
    # Permissions are normally created after all migrations; the groups need them now.
    for app_label in ("auth", "claims"):
        app_config = apps.get_app_config(app_label)
        app_config.models_module = (
            True  # migration state stubs lack it; create_permissions checks it
        )
        create_permissions(app_config, verbosity=0, apps=apps)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, permissions in (("Editor", EDITOR), ("Curator", CURATOR)):
        group, _ = Group.objects.get_or_create(name=name)
        for app_label, codename in permissions:
            group.permissions.add(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, permissions in (("Editor", EDITOR), ("Curator", CURATOR)):
        for app_label, codename in permissions:
            permission = Permission.objects.filter(
                content_type__app_label=app_label, codename=codename
            ).first()
            if permission is not None:
                Group.objects.get(name=name).permissions.remove(permission)


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0010_search_every_name"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("reversion", "0002_add_index_on_version_for_content_type_and_db"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="claim",
            options={
                "ordering": ["-published_at", "-created_at"],
                "permissions": [
                    ("publish_claim", "Can publish and unpublish claims"),
                    ("merge_records", "Can merge duplicate parties and claims, and undo merges"),
                ],
            },
        ),
        migrations.CreateModel(
            name="Merge",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("kept_id", models.PositiveBigIntegerField()),
                (
                    "kept",
                    models.CharField(help_text="The record kept, as it was named.", max_length=300),
                ),
                ("merged_id", models.PositiveBigIntegerField()),
                (
                    "merged",
                    models.CharField(
                        help_text="The record merged away, as it was named.", max_length=300
                    ),
                ),
                (
                    "addresses",
                    models.JSONField(
                        default=list,
                        help_text="The merged record's slugs, which now lead to the kept record.",
                    ),
                ),
                (
                    "moved",
                    models.CharField(blank=True, help_text="What moved, in words.", max_length=300),
                ),
                ("merged_at", models.DateTimeField(default=django.utils.timezone.now)),
                ("undone_at", models.DateTimeField(blank=True, null=True)),
                (
                    "before",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="reversion.revision",
                    ),
                ),
                (
                    "content_type",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="contenttypes.contenttype",
                    ),
                ),
                (
                    "merged_by",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "revision",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="reversion.revision",
                    ),
                ),
                (
                    "undone_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "ordering": ["-merged_at", "-pk"],
            },
        ),
        migrations.RunPython(grant, revoke),
    ]
