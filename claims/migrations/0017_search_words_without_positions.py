"""Each claim's search words also without their positions (ClaimSearch.words), under the GIN
index that the positional vector had: a search matches them first, and reads the vector only
to check a phrase. The vector, twice as large, is kept compressed outside the row, and a search
of common words that looked at a thousand claims read and unpacked each one's. The words are
kept in the row (storage MAIN: the text and the vector leave it first), where PostgreSQL would
otherwise move them out too."""

from django.contrib.postgres.search import SearchVectorField
from django.db import migrations


def index_words(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("ALTER TABLE claims_claimsearch ALTER COLUMN words SET STORAGE MAIN")
    schema_editor.execute("UPDATE claims_claimsearch SET words = strip(vector)")
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS claim_search_words ON claims_claimsearch USING gin (words)"
    )
    schema_editor.execute("DROP INDEX IF EXISTS claim_search_vector")


def index_vector(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP INDEX IF EXISTS claim_search_words")
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS claim_search_vector ON claims_claimsearch USING gin (vector)"
    )


class Migration(migrations.Migration):
    dependencies = [("claims", "0016_index_stances_for_badges")]

    operations = [
        migrations.AddField(
            model_name="claimsearch", name="words", field=SearchVectorField(null=True)
        ),
        migrations.RunPython(index_words, index_vector),
    ]
