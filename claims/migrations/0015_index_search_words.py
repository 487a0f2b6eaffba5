"""On PostgreSQL, one GIN index on the claims' search vectors in place of the four the search
used to read (claims, statements and the names articles give speakers: 0003 and 0010): a
search is one index scan, not a union over a million statements."""

from django.db import migrations

FORMER_INDEXES = {
    "claim_text_search": "CREATE INDEX claim_text_search ON claims_claim "
    "USING gin (to_tsvector('english'::regconfig, COALESCE(text, '')))",
    "statement_text_search": "CREATE INDEX statement_text_search ON claims_statement "
    "USING gin (to_tsvector('english'::regconfig, COALESCE(text, '')))",
    "statement_text_simple_search": "CREATE INDEX statement_text_simple_search ON "
    "claims_statement USING gin (to_tsvector('simple'::regconfig, COALESCE(text, '')))",
    "statement_label_search": "CREATE INDEX statement_label_search ON claims_statement "
    "USING gin (to_tsvector('simple'::regconfig, COALESCE(speaker_label, '')))",
}


def index_search_words(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS claim_search_vector ON claims_claimsearch USING gin (vector)"
    )
    for name in FORMER_INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


def put_back_former_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP INDEX IF EXISTS claim_search_vector")
    for create in FORMER_INDEXES.values():
        schema_editor.execute(create)


class Migration(migrations.Migration):
    dependencies = [("claims", "0014_write_search_words")]

    operations = [migrations.RunPython(index_search_words, put_back_former_indexes)]
