"""The attribution assistant follows the guideline, case by case (no database)."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from claims.assistant.bearing import KnownClaim
from claims.assistant.devset import load_devset
from claims.assistant.lexicon import words
from claims.assistant.proposals import propose
from claims.assistant.speakers import KnownParty

QUOTE, PARAPHRASE = "direct_quote", "paraphrase"


def statements(body: str, parties=()) -> list[tuple[str, str, str]]:
    return [(p.attributed_as, p.text, p.mode) for p in propose(body, parties)]


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        pytest.param(
            '"An appeal has been sent to the Azerbaijani side," the Russian Defense Ministry said.',
            [
                (
                    "the Russian Defense Ministry",
                    "An appeal has been sent to the Azerbaijani side",
                    QUOTE,
                )
            ],
            id="direct quote without marks or trailing comma",
        ),
        pytest.param(
            'Army spokesman Marko Brana spoke to reporters. "We did not start this," Brana said. '
            '"But we will not sit in our trenches."',
            [
                ("Brana", "We did not start this", QUOTE),
                ("Brana", "But we will not sit in our trenches.", QUOTE),
            ],
            id="quote split by a frame is one statement per piece",
        ),
        pytest.param(
            '"This is not engineering," Water Minister Irena Dobrev said, "it is theft."',
            [
                ("Water Minister Irena Dobrev", "This is not engineering", QUOTE),
                ("Water Minister Irena Dobrev", "it is theft.", QUOTE),
            ],
            id="quote split inside one sentence",
        ),
        pytest.param(
            "Russia on Saturday claimed that soldiers from Azerbaijan had entered the zone.",
            [("Russia", "soldiers from Azerbaijan had entered the zone", PARAPHRASE)],
            id="that-clause without that",
        ),
        pytest.param(
            "Each side handed over 70 prisoners, the International Committee of the Red Cross "
            "said.",
            [
                (
                    "the International Committee of the Red Cross",
                    "Each side handed over 70 prisoners",
                    PARAPHRASE,
                )
            ],
            id="frame closing the sentence",
        ),
        pytest.param(
            "Arvenia accused Kostrel of shelling the village of Malin.",
            [("Arvenia", "Kostrel of shelling the village of Malin", PARAPHRASE)],
            id="accused Y of Z",
        ),
        pytest.param(
            "The United Nations urged both sides to respect the ceasefire.",
            [("The United Nations", "both sides to respect the ceasefire", PARAPHRASE)],
            id="urged Y to Z",
        ),
        pytest.param(
            "Moscow called on the government in Baku to withdraw its troops.",
            [("Moscow", "the government in Baku to withdraw its troops", PARAPHRASE)],
            id="called on Y to Z",
        ),
        pytest.param(
            "Azerbaijan's Defence Ministry refuted Moscow's version of events.",
            [("Azerbaijan's Defence Ministry", "Moscow's version of events", PARAPHRASE)],
            id="refuted NP",
        ),
        pytest.param(
            "Estmark denied any involvement. Marenia rejected the accusation.",
            [
                ("Estmark", "any involvement", PARAPHRASE),
                ("Marenia", "the accusation", PARAPHRASE),
            ],
            id="denied NP and rejected NP",
        ),
        pytest.param(
            "Azerbaijan's Defence Ministry described Russia's statement as \"one-sided.\"",
            [("Azerbaijan's Defence Ministry", 'Russia\'s statement as "one-sided."', PARAPHRASE)],
            id="described NP as Y",
        ),
        pytest.param(
            'The Energy Ministry said the reservoir was filled "strictly on schedule" this year.',
            [
                (
                    "The Energy Ministry",
                    'the reservoir was filled "strictly on schedule" this year',
                    PARAPHRASE,
                )
            ],
            id="partly quoted clause is a paraphrase keeping its marks",
        ),
        pytest.param(
            "Corvania and the rebel authority both said they remained committed to the truce.",
            [
                ("Corvania", "they remained committed to the truce", PARAPHRASE),
                ("the rebel authority", "they remained committed to the truce", PARAPHRASE),
            ],
            id="A and B said P is one statement each",
        ),
        pytest.param(
            "NATO Secretary General Paolo Verri said the alliance stood with Norvand, adding that "
            "an attack could trigger its defence clause.",
            [
                (
                    "NATO Secretary General Paolo Verri",
                    "the alliance stood with Norvand",
                    PARAPHRASE,
                ),
                (
                    "NATO Secretary General Paolo Verri",
                    "an attack could trigger its defence clause",
                    PARAPHRASE,
                ),
            ],
            id="adding that starts a new statement",
        ),
        pytest.param(
            "Azerbaijan's Defence Ministry refuted Moscow's version and described it as biased.",
            [
                ("Azerbaijan's Defence Ministry", "Moscow's version", PARAPHRASE),
                ("Azerbaijan's Defence Ministry", "it as biased", PARAPHRASE),
            ],
            id="second reporting verb of the same speaker",
        ),
        pytest.param(
            "The ministry of Kadria said the UN had confirmed that two people died.",
            [("The ministry of Kadria", "the UN had confirmed that two people died", PARAPHRASE)],
            id="nested report belongs to the outer speaker",
        ),
        pytest.param(
            "The agency's inspectors reported that the reactors were safe, the IAEA said.",
            [
                (
                    "the IAEA",
                    "The agency's inspectors reported that the reactors were safe",
                    PARAPHRASE,
                )
            ],
            id="nested report before a closing frame",
        ),
        pytest.param(
            "The conflict flared up again in 2020. Moscow deployed almost 2,000 peacekeepers to "
            "the region, reaffirming its role.",
            [],
            id="narration and background are not statements",
        ),
        pytest.param(
            'Moscow said the troops had left. The so-called "peace corridor" closed on Monday.',
            [("Moscow", "the troops had left", PARAPHRASE)],
            id="words quoted in narration are not a statement",
        ),
        pytest.param(
            "A doctor at the hospital said three people had died. Residents said the shelling "
            "went on all night. Two people were hurt, local officials said.",
            [],
            id="unnamed people are not parties",
        ),
        pytest.param(
            "The Foreign Ministry summoned the ambassador and posted footage of the attack. "
            "The army did not say who fired first.",
            [],
            id="acts without reported content are not statements",
        ),
        pytest.param(
            "Local media quoted the council's chairman, Petar Ilic, as saying that the ships "
            "would be returned.",
            [("the council's chairman", "the ships would be returned", PARAPHRASE)],
            id="quoted X as saying",
        ),
        pytest.param(
            'In an address on Monday, Prime Minister Elena Pavic said: "Our navy is not at war."',
            [("Prime Minister Elena Pavic", "Our navy is not at war.", QUOTE)],
            id="quotation after a colon",
        ),
        pytest.param(
            "Kaltria's Defence Ministry's statement, issued on Tuesday, said the port was open. "
            "According to a statement by the operator, flights resumed at noon.",
            [
                ("Kaltria's Defence Ministry", "the port was open", PARAPHRASE),
                ("the operator", "flights resumed at noon", PARAPHRASE),
            ],
            id="a statement stands for its author",
        ),
        pytest.param(
            "Navy ‘will not lift’ Selmar port blockade, admiral says",
            [("admiral", "Navy ‘will not lift’ Selmar port blockade", PARAPHRASE)],
            id="headline with the frame last",
        ),
        pytest.param(
            "KIRVAN, May 2 — “We will not be intimidated,” Prime Minister Hanna\u00a0Vidmar said. "
            "Her office described the attack as ‘barbaric’ – and called for calm.",
            [
                ("Prime Minister Hanna\u00a0Vidmar", "We will not be intimidated", QUOTE),
                ("Her office", "the attack as ‘barbaric’", PARAPHRASE),
                ("Her office", "calm", PARAPHRASE),
            ],
            id="curly quotes, dashes and non-breaking spaces",
        ),
    ],
)
def test_guideline_case(body: str, expected: list[tuple[str, str, str]]) -> None:
    assert statements(body) == expected


@pytest.mark.parametrize(
    ("body", "speaker", "party"),
    [
        pytest.param(
            "Russia's Defense Ministry said drones were used. It added that the strikes hit "
            "Karabakh troops.",
            "It",
            "Russia's Defense Ministry",
            id="It",
        ),
        pytest.param(
            "The Tarsovan Water Ministry said the river had fallen. Marenia said the dam was "
            "safe. The ministry added that farmers were suffering.",
            "The ministry",
            "Tarsovan Water Ministry",
            id="the ministry",
        ),
        pytest.param(
            "Interior Minister Karl Odstrom spoke in Eskar. Odstrom said two men were arrested.",
            "Odstrom",
            "Karl Odstrom",
            id="a surname",
        ),
        pytest.param(
            "Marenia rejected the accusation. Its Energy Ministry said the dam was safe.",
            "Its Energy Ministry",
            "Marenia's Energy Ministry",
            id="its",
        ),
    ],
)
def test_speaker_is_resolved_to_the_party_meant(body: str, speaker: str, party: str) -> None:
    proposal = next(p for p in propose(body) if p.attributed_as == speaker)
    assert proposal.party.name == party


def test_known_party_is_found_by_alias_and_by_curated_speaker_label() -> None:
    ministry = KnownParty(
        "russian-defence-ministry",
        "Russian Defence Ministry",
        "Russia",
        "ministry",
        names=("Russia's Defense Ministry",),
        speaker_labels=("Moscow", "It"),
    )
    government = KnownParty(
        "russian-government", "Russian government", "Russia", "government", names=("Moscow",)
    )
    body = (
        "Moscow called on Baku to withdraw. Russia's Defense Ministry said drones were used. "
        "It added that the strikes hit Karabakh troops. Kostrel denied it."
    )
    slugs = [(p.attributed_as, p.party.slug) for p in propose(body, [ministry, government])]
    assert slugs == [
        ("Moscow", "russian-defence-ministry"),
        ("Russia's Defense Ministry", "russian-defence-ministry"),
        ("It", "russian-defence-ministry"),
        ("Kostrel", None),
    ]


def test_new_party_gets_a_name_without_the_article_a_side_and_a_kind() -> None:
    body = "The Velmar Defence Ministry said the drone was shot down over Velmar."
    party = propose(body)[0].party
    assert (party.name, party.slug, party.side, party.kind) == (
        "Velmar Defence Ministry",
        None,
        "Velmar",
        "ministry",
    )


CLAIMS = [
    KnownClaim("troops-entered-zone", "Azerbaijani troops entered the zone of the peacekeepers."),
    KnownClaim("gas-cut-off", "Gas supplies to the region were cut off after repair work."),
]


@pytest.mark.parametrize(
    ("body", "stance"),
    [
        (
            "Azerbaijan's Defence Ministry denied that Azerbaijani troops had entered the zone "
            "of the peacekeepers.",
            "refutes",
        ),
        ("Baku rejected claims that its troops entered the zone of the peacekeepers.", "refutes"),
        (
            "Azerbaijan's Defence Ministry described the claim that troops entered the zone of "
            'the peacekeepers as "one-sided."',
            "disputes",
        ),
        (
            "Russia's Defense Ministry said Azerbaijani troops had entered the zone of the "
            "peacekeepers.",
            "supports",
        ),
    ],
)
def test_stance_is_suggested_from_the_cue(body: str, stance: str) -> None:
    suggestions = propose(body, (), CLAIMS)[0].claims
    assert suggestions[0].slug == "troops-entered-zone"
    assert suggestions[0].stance == stance
    assert all(0 <= suggestion.score <= 1 for suggestion in suggestions)
    assert len(suggestions) <= 3


def test_unrelated_claims_are_not_suggested() -> None:
    body = "The Tavrian Navy said two sailors were injured in the blast."
    assert propose(body, (), CLAIMS)[0].claims == ()


def test_offsets_cut_the_proposed_words_from_the_body() -> None:
    for article in load_devset():
        for proposal in propose(article.body):
            assert proposal.text == article.body[proposal.start : proposal.end]
            assert (
                proposal.attributed_as
                == article.body[proposal.attributed_start : proposal.attributed_end]
            )
            assert 0 <= proposal.confidence <= 1


WIRE_WORDS = [
    *sorted(
        words(
            "said told added accused urged denied rejected described as of to that the ministry "
            "It he she Moscow Arvenia's Defence Ministry army spokesman according Reuters and "
            "but called on for warned"
        )
    ),
    *[",", ".", ":", ";", "—", "-", '"', "“", "”", "‘", "’", "\u00a0", "\n", "\n\n"],
]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(WIRE_WORDS) | st.text(max_size=6), max_size=60))
def test_any_text_gives_valid_spans(words: list[str]) -> None:
    body = " ".join(words)
    for proposal in propose(body):
        assert proposal.text == body[proposal.start : proposal.end]
        assert proposal.text.strip()
        assert proposal.attributed_as == body[proposal.attributed_start : proposal.attributed_end]
