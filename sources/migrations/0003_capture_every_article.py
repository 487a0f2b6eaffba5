"""Every article's current body becomes its first capture."""

import hashlib

from django.db import migrations


def capture_every_article(apps, schema_editor):
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
