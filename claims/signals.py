from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver

from sources.models import Article

from .models import Claim, Stance
from .services import reanchor_statements


@receiver(post_save, sender=Article, dispatch_uid="claims.reanchor_statements")
def reanchor_after_article_edit(sender, instance: Article, created: bool, raw: bool, **kwargs):
    if not created and not raw:
        reanchor_statements(article=instance)


@receiver(pre_save, sender=Stance, dispatch_uid="claims.remember_stance_claim")
def remember_previous_claim(sender, instance: Stance, raw: bool, **kwargs) -> None:
    instance._previous_claim_id = (
        Stance.objects.filter(pk=instance.pk).values_list("claim_id", flat=True).first()
        if instance.pk and not raw
        else None
    )


@receiver(post_save, sender=Stance, dispatch_uid="claims.count_stances_on_save")
@receiver(post_delete, sender=Stance, dispatch_uid="claims.count_stances_on_delete")
def recount_stances(sender, instance: Stance, **kwargs) -> None:
    claims = {instance.claim_id, getattr(instance, "_previous_claim_id", None)} - {None}
    Claim.objects.filter(pk__in=claims).refresh_stance_counts()
