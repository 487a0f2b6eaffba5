"""Writes that touch several models at once."""

from django.db import transaction

from sources.models import Article

from .anchoring import reanchor
from .models import AnchorStatus, Statement


@transaction.atomic
def reanchor_statements(*, article: Article) -> list[Statement]:
    """Find every statement of the article again in its current body.

    Returns the statements that could not be found exactly (relocated by context, or lost), so
    the caller can tell the curator. Lost statements keep their text and last offsets: nothing
    a curator entered is dropped.
    """
    changed, needing_attention = [], []
    for statement in article.statements.select_for_update().order_by("pk"):
        anchor = reanchor(
            article.body,
            text=statement.text,
            start=statement.start,
            end=statement.end,
            prefix=statement.prefix,
            suffix=statement.suffix,
        )
        before = (statement.text, statement.start, statement.end, statement.anchor_status)
        if anchor is None:
            statement.anchor_status = AnchorStatus.LOST
        else:
            statement.apply_anchor(anchor)
        if (statement.text, statement.start, statement.end, statement.anchor_status) != before:
            changed.append(statement)
        if statement.anchor_status != AnchorStatus.ANCHORED:
            needing_attention.append(statement)
    # save() one by one rather than bulk_update: history and caches hear of every change.
    for statement in changed:
        statement.save()
    return needing_attention
