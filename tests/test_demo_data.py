"""Synthetic benchmark data: real spans, marked as synthetic, removable without a trace."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from claims.models import Claim, Stance, Statement
from publishing.models import ContentVersion
from sources.models import Article, Party

SMALL = ["--claims", "50", "--statements", "205", "--parties", "30", "--topics", "12"]


def generate(*args: str) -> str:
    out = StringIO()
    call_command("generate_demo_data", *args, stdout=out)
    return out.getvalue()


def test_demo_data_has_the_asked_sizes_and_real_spans(transactional_db):
    version = ContentVersion.current()
    output = generate(*SMALL, "--seed", "7")
    assert "Generated the demo data" in output
    assert Claim.objects.count() == 50
    assert Statement.objects.count() == 205
    assert Article.objects.count() == 21
    assert Party.objects.count() == 30
    for statement in Statement.objects.select_related("article"):
        assert statement.article.body[statement.start : statement.end] == statement.text
        assert statement.article.body[: statement.start].endswith(statement.prefix)
    stances_per_claim = {c.pk: c.statement_count for c in Claim.objects.all()}
    assert sum(stances_per_claim.values()) == Stance.objects.count() >= 205
    assert ContentVersion.current() > version


def test_demo_data_is_marked_and_deleted_without_touching_curated_work(transactional_db):
    call_command("load_seeds", verbosity=0)
    curated = (Claim.objects.count(), Statement.objects.count(), Stance.objects.count())
    curated_slugs = set(Claim.objects.values_list("slug", flat=True))
    generate(*SMALL)
    new_slugs = set(Claim.objects.values_list("slug", flat=True)) - curated_slugs
    assert len(new_slugs) == 50 and all(slug.startswith("demo-") for slug in new_slugs)
    assert all(p.name.endswith("(demo)") for p in Party.objects.filter(slug__startswith="demo-"))
    with pytest.raises(CommandError, match="already loaded"):
        generate(*SMALL)
    generate("--delete")
    assert (Claim.objects.count(), Statement.objects.count(), Stance.objects.count()) == curated


def test_the_same_seed_gives_the_same_data(transactional_db):
    generate(*SMALL, "--seed", "3")
    first = list(Statement.objects.order_by("pk").values_list("text", flat=True))
    generate(*SMALL, "--seed", "3", "--replace")
    assert list(Statement.objects.order_by("pk").values_list("text", flat=True)) == first


def test_sizes_must_be_positive(db):
    with pytest.raises(CommandError, match="--claims must be at least 1"):
        generate("--claims", "0")
