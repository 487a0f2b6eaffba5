"""Each claim's search words also without their positions (ClaimSearch.words), under the GIN
index that the positional vector had: a search matches them first, and reads the vector only
to check a phrase. The vector, twice as large, is kept compressed outside the row, and a search
of common words that looked at a thousand claims read and unpacked each one's. The words are
kept in the row (storage MAIN: the text and the vector leave it first), where PostgreSQL would
otherwise move them out too.

PostgreSQL writes them itself, from the vector, whenever a row's vector is written (a trigger):
a release that knows nothing of them keeps them right while it still serves, and the vector's
text is parsed once. The migration is not one transaction: the words of the rows already there
are written a batch at a time, each committed apart, and the index is built without locking
writes out, so that a curator's save waits for one batch at most.
"""

from django.contrib.postgres.search import SearchVectorField
from django.db import migrations

BATCH = 5000

KEEP_WORDS = """
CREATE OR REPLACE FUNCTION claims_claimsearch_words() RETURNS trigger AS $$
BEGIN
    NEW.words := strip(NEW.vector);
    RETURN NEW;
END
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS claims_claimsearch_words ON claims_claimsearch;
CREATE TRIGGER claims_claimsearch_words
    BEFORE INSERT OR UPDATE OF vector ON claims_claimsearch
    FOR EACH ROW EXECUTE FUNCTION claims_claimsearch_words();
"""
FORGET_WORDS = """
DROP TRIGGER IF EXISTS claims_claimsearch_words ON claims_claimsearch;
DROP FUNCTION IF EXISTS claims_claimsearch_words();
"""


def build_index(schema_editor, name: str, column: str) -> None:
    """A GIN index on the column, built without locking writes out; one left invalid by a build
    that failed is built again."""
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT indisvalid FROM pg_index WHERE indexrelid = to_regclass(%s)", [name])
        found = cursor.fetchone()
    if found and not found[0]:
        schema_editor.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {name}")
    schema_editor.execute(
        f"CREATE INDEX CONCURRENTLY IF NOT EXISTS {name} ON claims_claimsearch USING gin ({column})"
    )


def keep_words(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("ALTER TABLE claims_claimsearch ALTER COLUMN words SET STORAGE MAIN")
    schema_editor.execute(KEEP_WORDS)
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT min(claim_id), max(claim_id) FROM claims_claimsearch")
        first, last = cursor.fetchone()
    for start in range(first or 0, (last or -1) + 1, BATCH):
        schema_editor.execute(
            "UPDATE claims_claimsearch SET words = strip(vector) "
            "WHERE claim_id >= %s AND claim_id < %s AND words IS DISTINCT FROM strip(vector)",
            [start, start + BATCH],
        )
    build_index(schema_editor, "claim_search_words", "words")
    schema_editor.execute("DROP INDEX CONCURRENTLY IF EXISTS claim_search_vector")


def index_vector(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(FORGET_WORDS)
    build_index(schema_editor, "claim_search_vector", "vector")
    schema_editor.execute("DROP INDEX CONCURRENTLY IF EXISTS claim_search_words")


class Migration(migrations.Migration):
    atomic = False

    dependencies = [("claims", "0016_index_stances_for_badges")]

    operations = [
        migrations.AddField(
            model_name="claimsearch",
            name="words",
            field=SearchVectorField(editable=False, null=True),
        ),
        migrations.RunPython(keep_words, index_vector),
    ]
