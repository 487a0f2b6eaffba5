from django.db.models.signals import post_save
from django.dispatch import receiver

from sources.models import Article

from .services import reanchor_statements


@receiver(post_save, sender=Article, dispatch_uid="claims.reanchor_statements")
def reanchor_after_article_edit(sender, instance: Article, created: bool, raw: bool, **kwargs):
    if not created and not raw:
        reanchor_statements(article=instance)
