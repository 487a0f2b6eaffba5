"""The record holds: statements keep the capture their words were taken from, are found again
word for word or flagged (no more "relocated"), and corrections are append-only. The data
follows in the next migration: PostgreSQL builds this one's indexes only once its updates are
checked, so the two cannot share a transaction."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0007_content_version_moves_to_publishing"),
        ("sources", "0003_capture_every_article"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="statement",
            name="claims_statement_anchor_status_valid",
        ),
        migrations.AddField(
            model_name="correction",
            name="created_at",
            field=models.DateTimeField(default=django.utils.timezone.now, editable=False),
        ),
        migrations.AddField(
            model_name="correction",
            name="created_by",
            field=models.ForeignKey(
                blank=True,
                editable=False,
                help_text="The editor who added it.",
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddField(
            model_name="statement",
            name="capture",
            field=models.ForeignKey(
                editable=False,
                help_text="The version of the article's text the words were taken from.",
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="statements",
                to="sources.capture",
            ),
        ),
        migrations.AlterField(
            model_name="claim",
            name="slug",
            field=models.SlugField(
                help_text="Lower-case words joined by hyphens; used in the public address. Changing it is safe: the old address leads on to the new one.",
                max_length=120,
                unique=True,
            ),
        ),
        migrations.AlterField(
            model_name="correction",
            name="claim",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="corrections",
                to="claims.claim",
            ),
        ),
        migrations.AlterField(
            model_name="statement",
            name="anchor_status",
            field=models.CharField(
                choices=[
                    ("anchored", "Found in the current text"),
                    ("lost", "Not in the current text: its words are kept as captured"),
                ],
                db_index=True,
                default="anchored",
                editable=False,
                help_text="Whether the span was found in the article's current body.",
                max_length=20,
            ),
        ),
        migrations.AlterField(
            model_name="statement",
            name="text",
            field=models.TextField(
                help_text="Paste the words as the article prints them (curly or straight quotes, dashes and spacing may differ): they are found in the article's body and highlighted there. For a direct quote, paste only the quoted words; for a paraphrase, the reported clause."
            ),
        ),
        migrations.AlterField(
            model_name="topic",
            name="slug",
            field=models.SlugField(
                help_text="Lower-case words joined by hyphens; used in the public address. Changing it is safe: the old address leads on to the new one.",
                max_length=120,
                unique=True,
            ),
        ),
    ]
