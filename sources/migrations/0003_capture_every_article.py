"""Every article's current body becomes its first capture, dated at the article's last change.

On PostgreSQL the database hashes and copies the texts itself, in two statements, so that a
site with hundreds of thousands of articles upgrades in seconds; elsewhere each article is
captured in turn.
"""

import hashlib

from django.db import migrations

CAPTURE_ON_POSTGRESQL = [
    """
    INSERT INTO sources_capture (article_id, text, sha256, captured_at, archive_url)
    SELECT id, body, encode(sha256(convert_to(body, 'UTF8')), 'hex'), updated_at, ''
    FROM sources_article WHERE capture_id IS NULL
    """,
    """
    UPDATE sources_article SET capture_id = capture.id
    FROM sources_capture AS capture
    WHERE capture.article_id = sources_article.id AND sources_article.capture_id IS NULL
    """,
]


def capture_every_article(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in CAPTURE_ON_POSTGRESQL:
            schema_editor.execute(statement)
        return
    Article = apps.get_model("sources", "Article")
    Capture = apps.get_model("sources", "Capture")
    for article in Article.objects.filter(capture__isnull=True).iterator():
        capture = Capture.objects.create(
            article=article,
            text=article.body,
            sha256=hashlib.sha256(article.body.encode()).hexdigest(),
        )
        # When the text was last known to be this one: the article's last change.
        Capture.objects.filter(pk=capture.pk).update(captured_at=article.updated_at)
        Article.objects.filter(pk=article.pk).update(capture=capture)


class Migration(migrations.Migration):
    dependencies = [("sources", "0002_captures_kinds_and_former_slugs")]

    operations = [migrations.RunPython(capture_every_article, migrations.RunPython.noop)]
