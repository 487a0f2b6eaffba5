"""Every claim's search words written at once, one statement per column. (Their index comes in
0015: PostgreSQL builds no index on a table this transaction has just written, while foreign
key checks on it are pending.)"""

from django.db import migrations

from claims.search import refresh_search


def write_search_words(apps, schema_editor):
    refresh_search(apps.get_model("claims", "Claim").objects.all(), registry=apps)


class Migration(migrations.Migration):
    dependencies = [("claims", "0013_claim_search")]

    operations = [migrations.RunPython(write_search_words, migrations.RunPython.noop)]
