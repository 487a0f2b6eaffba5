"""Full-text indexes for the claim search on PostgreSQL; other databases search without them.

The indexed expression must be exactly the one ClaimQuerySet.search() queries with
(to_tsvector('english', COALESCE(text, ''))), or PostgreSQL will not use it.
"""

from django.db import migrations

INDEXES = {
    "claim_text_search": "claims_claim",
    "statement_text_search": "claims_statement",
}


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, table in INDEXES.items():
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON {table} "
            "USING gin (to_tsvector('english'::regconfig, COALESCE(text, '')))"
        )


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("claims", "0002_roles")]

    operations = [migrations.RunPython(create_indexes, drop_indexes)]
