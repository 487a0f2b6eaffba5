"""The assistant's figures on its development set, and the matching rule behind them."""

import json

import pytest

from claims.assistant.devset import DIRECTORY, AnnotatedParty, AnnotatedStatement, load_devset
from claims.assistant.evaluation import SETTINGS, evaluate, match, summary
from claims.assistant.proposals import Proposal, ProposedParty

RECORDED = json.loads((DIRECTORY / "recorded_figures.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def articles():
    return load_devset()


def test_development_set_has_enough_articles_of_wire_length(articles) -> None:
    own = [article for article in articles if article.name != "00_seed_farukh"]
    assert len(own) >= 22
    assert sum(article.held_out for article in own) >= 6
    assert all(300 <= article.words <= 600 for article in own)


@pytest.mark.parametrize("setting", SETTINGS)
def test_figures_are_not_below_the_recorded_ones(articles, setting: str) -> None:
    figures = summary(evaluate(articles, setting))
    for part in ("overall", "held_out"):
        for measure in ("precision", "recall"):
            assert figures[part][measure] >= RECORDED[setting][part][measure], (part, measure)
    assert figures["overall"]["ms_per_500_words"] <= 200


def test_held_out_figures_meet_the_targets() -> None:
    held_out = RECORDED["no_known_parties"]["held_out"]
    assert held_out["precision"] >= 0.90
    assert held_out["recall"] >= 0.85
    assert held_out["ms_per_500_words"] <= 200


MINISTRY = AnnotatedParty(
    "Russian Defence Ministry", "Russia", "ministry", ("Moscow", "Russia's Defense Ministry", "It")
)


def proposal(start: int, end: int, party: str = "Moscow", mention: str = "Moscow") -> Proposal:
    return Proposal(
        ProposedParty(party, None, "", "other"), mention, 0, len(mention), "", start, end,
        "paraphrase", "said", 0.8,
    )  # fmt: skip


def statement(start: int, end: int, mention: str = "Moscow") -> AnnotatedStatement:
    return AnnotatedStatement(MINISTRY.name, mention, "", start, end, "paraphrase")


@pytest.mark.parametrize(
    ("proposed", "annotated", "matches"),
    [
        pytest.param(proposal(0, 100), statement(0, 100), True, id="same span"),
        pytest.param(proposal(0, 100), statement(50, 100), True, id="half of the longer"),
        pytest.param(proposal(0, 100), statement(51, 100), False, id="less than half"),
        pytest.param(proposal(40, 60), statement(0, 100), False, id="short inside long"),
        pytest.param(proposal(0, 100), statement(100, 150), False, id="adjacent"),
        pytest.param(
            proposal(0, 100, party="Kremlin", mention="It"),
            statement(0, 100),
            True,
            id="mention is one of the party's names",
        ),
        pytest.param(
            proposal(0, 100, party="Russian Defence Ministry", mention="the ministry"),
            statement(0, 100),
            True,
            id="party name is the annotated party",
        ),
        pytest.param(
            proposal(0, 100, party="Kostrel", mention="the spokesman"),
            statement(0, 100, mention="the spokesman"),
            True,
            id="the annotated mention itself",
        ),
        pytest.param(
            proposal(0, 100, party="Kostrel", mention="Kostrel"),
            statement(0, 100),
            False,
            id="wrong speaker",
        ),
        pytest.param(
            proposal(0, 100, party="the Kremlin", mention="THE  russia’s defense ministry"),
            statement(0, 100),
            True,
            id="case, spacing, quotes and article ignored",
        ),
    ],
)
def test_matching_rule(proposed: Proposal, annotated: AnnotatedStatement, matches: bool) -> None:
    assert bool(match([proposed], [annotated], [MINISTRY])) is matches


def test_each_annotated_statement_takes_one_proposal_the_largest_overlap_first() -> None:
    proposals = [proposal(0, 60), proposal(0, 100), proposal(0, 100)]
    statements = [statement(0, 100), statement(200, 300)]
    assert match(proposals, statements, [MINISTRY]) == [(1, 0)]
