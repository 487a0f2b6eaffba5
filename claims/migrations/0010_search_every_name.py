"""Full-text indexes for searching statements in any language (the word as written, beside
English stemming) and the names articles give speakers, on PostgreSQL; other databases search
without them. The indexed expressions are exactly those claims/search.py queries with."""

from django.db import migrations

INDEXES = {
    "statement_text_simple_search": ("claims_statement", "simple", "text"),
    "statement_label_search": ("claims_statement", "simple", "speaker_label"),
}


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, (table, config, column) in INDEXES.items():
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON {table} "
            f"USING gin (to_tsvector('{config}'::regconfig, COALESCE({column}, '')))"
        )


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("claims", "0009_proposals")]

    operations = [migrations.RunPython(create_indexes, drop_indexes)]
