"""The database refuses an anchor status other than found or not found, once the statements
"relocated" by earlier versions are marked found (migration 0008). In a migration of its own:
PostgreSQL alters no table with updates still to check in the same transaction."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("claims", "0011_desk")]

    operations = [
        migrations.AddConstraint(
            model_name="statement",
            constraint=models.CheckConstraint(
                condition=models.Q(("anchor_status__in", ["anchored", "lost"])),
                name="claims_statement_anchor_status_valid",
            ),
        ),
    ]
