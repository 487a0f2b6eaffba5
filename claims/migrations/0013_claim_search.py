"""Each claim's search words in a table beside it (written in 0014, indexed in 0015), and an
index that tells whether a party has a public statement without reading the statements."""

import django.contrib.postgres.search
import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0012_anchor_status_choices"),
        ("sources", "0004_wikidata_items"),
    ]

    operations = [
        migrations.CreateModel(
            name="ClaimSearch",
            fields=[
                (
                    "claim",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="search",
                        serialize=False,
                        to="claims.claim",
                    ),
                ),
                ("text", models.TextField(default="")),
                ("vector", django.contrib.postgres.search.SearchVectorField(null=True)),
            ],
        ),
        migrations.AddIndex(
            model_name="statement",
            index=models.Index(fields=["party", "id"], name="statement_party_id_idx"),
        ),
    ]
