"""Every statement's words were taken from its article's current text: its capture; and a
statement "relocated" by earlier versions is found (the next versions find words only as
they are)."""

from django.db import migrations
from django.db.models import OuterRef, Subquery


def take_words_from_current_captures(apps, schema_editor):
    Statement = apps.get_model("claims", "Statement")
    Article = apps.get_model("sources", "Article")
    Statement.objects.filter(anchor_status="relocated").update(anchor_status="anchored")
    # One statement for every row, however many: each statement's words were taken from its
    # article's current text.
    Statement.objects.filter(capture__isnull=True).update(
        capture_id=Subquery(Article.objects.filter(pk=OuterRef("article_id")).values("capture_id"))
    )


class Migration(migrations.Migration):
    dependencies = [("claims", "0008_the_record_holds")]

    operations = [migrations.RunPython(take_words_from_current_captures, migrations.RunPython.noop)]
