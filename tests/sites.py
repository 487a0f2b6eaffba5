"""A small invented dispute, built the way curators build one, for the tests that read pages,
lists and the API. Tests take what they expect from it (`len(site.published_claims)`,
`site.denier.slug`) rather than from literals, and never from the curated seed, which stays
free to change."""

from dataclasses import dataclass
from datetime import UTC, date, datetime

from claims.models import Claim, Stance, StanceValue, Statement, Status, Topic
from claims.services import create_statement, save_article, set_stance
from sources.models import Article, Outlet, Party, PartyAlias, Place, PlaceName

SITE_BODY = (
    "Valdoria on Sunday accused Korvenian soldiers of crossing into the buffer zone around Lake "
    "Miren that its border guards patrol.\n\n"
    '"Korvenian units must return to their positions at once," the Valdorian Defence Ministry '
    "said. Valdoria's Defense Ministry later repeated its call for a withdrawal.\n\n"
    "The ministry said Korvenian troops had also set up an observation post near the village of "
    "Tarsk, which Korvenian maps call Tarskoye.\n\n"
    "Korvenia's Defence Ministry rejected Valdor's account of events and called the statement "
    '"a fabrication."\n\n'
    "Korvenia's Foreign Ministry said fishing boats had been turned away from the lake for a "
    "week.\n\n"
    "Valdorian officials said engineers had been sent to repair the dam at Miren.\n\n"
    "About 300 border guards serve in the zone, which was set up after the 2019 ceasefire."
)
CLOSURE_BODY = (
    "Korvenia's Interior Ministry said the border crossing at Tarsk would close on Monday.\n\n"
    "Traffic at the crossing had been light for days."
)


@dataclass
class Site:
    """Who is in the dispute and what they said, by the part each plays: the accuser and the
    government above it, the denier, a foreign ministry alone on the wider topic, and a party
    heard only on a claim still in review."""

    outlet: Outlet
    wire_agencies: list[Outlet]
    broadcaster: Outlet
    government: Party
    accuser: Party
    denier: Party
    foreign_ministry: Party
    unpublished_speaker: Party
    place: Place
    place_name: PlaceName
    parent_topic: Topic
    topic: Topic
    article: Article
    unpublished_article: Article
    accusation: Statement
    demand: Statement
    repeated_demand: Statement
    post_report: Statement
    rejection: Statement
    fabrication: Statement
    fishing_report: Statement
    draft_only_statement: Statement
    in_review_only_statement: Statement
    contested_claim: Claim
    post_claim: Claim
    one_sided_claim: Claim
    parent_topic_claim: Claim
    draft_claim: Claim
    claim_in_review: Claim
    stances: list[Stance]

    @property
    def published_claims(self) -> list[Claim]:
        return [
            self.contested_claim,
            self.post_claim,
            self.one_sided_claim,
            self.parent_topic_claim,
        ]

    @property
    def unpublished_claims(self) -> list[Claim]:
        return [self.draft_claim, self.claim_in_review]

    @property
    def public_parties(self) -> list[Party]:
        """Those who speak on a published claim, and the government above one of them."""
        return [self.government, self.accuser, self.denier, self.foreign_ministry]

    def stances_on(self, claim: Claim) -> list[Stance]:
        return [stance for stance in self.stances if stance.claim_id == claim.pk]

    @property
    def public_stances(self) -> list[Stance]:
        published = {claim.pk for claim in self.published_claims}
        return [stance for stance in self.stances if stance.claim_id in published]

    @property
    def public_statements(self) -> list[Statement]:
        """The statements on published claims, in the order of the article's text."""
        public = {stance.statement_id for stance in self.public_stances}
        statements = {stance.statement.pk: stance.statement for stance in self.stances}
        return sorted((statements[pk] for pk in public), key=lambda statement: statement.start)

    def claims_of(self, party: Party) -> list[Claim]:
        """The published claims the party speaks on."""
        spoken = {stance.claim_id for stance in self.stances if stance.statement.party == party}
        return [claim for claim in self.published_claims if claim.pk in spoken]


def published_fields(minute: int) -> dict:
    """A published claim's fields: published `minute` minutes past nine, so that lists ordered
    by publication are ordered the same on every run."""
    return {
        "status": Status.PUBLISHED,
        "published_at": datetime(2024, 5, 16, 9, minute, tzinfo=UTC),
    }


def build_site() -> Site:
    outlet = Outlet.objects.create(slug="lakeside-herald", name="Lakeside Herald")
    wire_agencies = [
        Outlet.objects.create(slug="coastline-wire", name="Coastline Wire", kind="wire_agency"),
        Outlet.objects.create(
            slug="meridian-press", name="Meridian Press Agency", kind="wire_agency"
        ),
    ]
    broadcaster = Outlet.objects.create(
        slug="border-radio", name="Border Radio", kind="broadcaster"
    )
    government = Party.objects.create(
        slug="valdorian-government", name="Valdorian government", side="Valdoria", kind="government"
    )
    accuser = Party.objects.create(
        slug="valdorian-defence-ministry",
        name="Valdorian Defence Ministry",
        side="Valdoria",
        kind="ministry",
        parent=government,
    )
    PartyAlias.objects.create(party=accuser, name="Valdor")
    PartyAlias.objects.create(party=accuser, name="Valdoria's Defense Ministry")
    denier = Party.objects.create(
        slug="korvenian-defence-ministry",
        name="Korvenian Defence Ministry",
        side="Korvenia",
        kind="ministry",
    )
    foreign_ministry = Party.objects.create(
        slug="korvenian-foreign-ministry",
        name="Korvenian Foreign Ministry",
        side="Korvenia",
        kind="ministry",
    )
    unpublished_speaker = Party.objects.create(
        slug="korvenian-interior-ministry",
        name="Korvenian Interior Ministry",
        side="Korvenia",
        kind="ministry",
    )
    place = Place.objects.create(slug="tarsk", name="Tarsk")
    place_name = PlaceName.objects.create(place=place, name="Tarskoye", used_by="Korvenian maps")
    parent_topic = Topic.objects.create(slug="lake-miren-dispute", name="Lake Miren dispute")
    topic = Topic.objects.create(
        slug="tarsk-incident-2024", name="Tarsk incident, May 2024", parent=parent_topic
    )

    article = Article(
        slug="valdoria-accuses-korvenia-over-buffer-zone",
        title="Valdoria accuses Korvenia of sending troops into the Lake Miren buffer zone",
        outlet=outlet,
        standfirst="Border guards on both shores of the lake were put on alert.",
        body=SITE_BODY,
        byline="jk/lm",
    )
    save_article(article=article)
    article.wire_credits.add(*wire_agencies)
    unpublished_article = Article(
        slug="korvenia-to-close-tarsk-crossing",
        title="Korvenia to close the Tarsk border crossing",
        outlet=broadcaster,
        body=CLOSURE_BODY,
        published_on=date(2024, 5, 15),
    )
    save_article(article=unpublished_article)

    def said(
        party: Party, text: str, mode: str, speaker_label: str, said_on: date | None = None
    ) -> Statement:
        return create_statement(
            article=article,
            party=party,
            text=text,
            mode=mode,
            speaker_label=speaker_label,
            said_on=said_on,
        )

    accusation = said(
        accuser,
        "Valdoria on Sunday accused Korvenian soldiers of crossing into the buffer zone",
        "paraphrase",
        "Valdoria",
        date(2024, 5, 12),
    )
    demand = said(
        accuser,
        "Korvenian units must return to their positions at once",
        "direct_quote",
        "the Valdorian Defence Ministry",
        date(2024, 5, 13),
    )
    repeated_demand = said(
        accuser,
        "repeated its call for a withdrawal",
        "paraphrase",
        "Valdoria's Defense Ministry",
    )
    post_report = said(
        accuser,
        "Korvenian troops had also set up an observation post near the village of Tarsk",
        "paraphrase",
        "The ministry",
    )
    rejection = said(
        denier,
        "Korvenia's Defence Ministry rejected Valdor's account of events",
        "paraphrase",
        "Korvenia's Defence Ministry",
        date(2024, 5, 13),
    )
    fabrication = said(denier, "a fabrication", "direct_quote", "Korvenia's Defence Ministry")
    fishing_report = said(
        foreign_ministry,
        "fishing boats had been turned away from the lake for a week",
        "paraphrase",
        "Korvenia's Foreign Ministry",
        date(2024, 5, 14),
    )
    draft_only_statement = said(
        accuser,
        "engineers had been sent to repair the dam at Miren",
        "paraphrase",
        "Valdorian officials",
        date(2024, 5, 13),
    )
    in_review_only_statement = create_statement(
        article=unpublished_article,
        party=unpublished_speaker,
        text="the border crossing at Tarsk would close on Monday",
        mode="paraphrase",
        speaker_label="Korvenia's Interior Ministry",
        said_on=date(2024, 5, 15),
    )

    contested_claim = Claim.objects.create(
        slug="korvenian-troops-crossed-into-the-buffer-zone",
        text="Korvenian troops crossed into the buffer zone around Lake Miren.",
        topic=topic,
        event_date=date(2024, 5, 11),
        **published_fields(0),
    )
    contested_claim.places.add(place)
    post_claim = Claim.objects.create(
        slug="korvenian-troops-set-up-an-observation-post",
        text="Korvenian troops set up an observation post near Tarsk.",
        topic=topic,
        **published_fields(5),
    )
    post_claim.places.add(place)
    one_sided_claim = Claim.objects.create(
        slug="valdoria-demanded-a-withdrawal",
        text="Valdoria demanded that Korvenian units withdraw from the buffer zone.",
        topic=topic,
        **published_fields(10),
    )
    parent_topic_claim = Claim.objects.create(
        slug="fishing-boats-were-turned-away",
        text="Fishing boats were turned away from Lake Miren for a week.",
        topic=parent_topic,
        **published_fields(15),
    )
    draft_claim = Claim.objects.create(
        slug="engineers-were-sent-to-the-miren-dam",
        text="Valdorian engineers were sent to repair the Miren dam.",
        topic=topic,
    )
    claim_in_review = Claim.objects.create(
        slug="the-tarsk-crossing-will-close",
        text="The border crossing at Tarsk will close.",
        topic=topic,
        status=Status.IN_REVIEW,
    )
    stances = [
        set_stance(claim=claim, statement=statement, value=value)
        for claim, statement, value in [
            (contested_claim, accusation, StanceValue.SUPPORTS),
            (contested_claim, demand, StanceValue.SUPPORTS),
            (contested_claim, rejection, StanceValue.REFUTES),
            (contested_claim, fabrication, StanceValue.DISPUTES),
            (post_claim, post_report, StanceValue.SUPPORTS),
            (post_claim, rejection, StanceValue.REFUTES),
            (one_sided_claim, demand, StanceValue.SUPPORTS),
            (one_sided_claim, repeated_demand, StanceValue.SUPPORTS),
            (parent_topic_claim, fishing_report, StanceValue.SUPPORTS),
            (draft_claim, draft_only_statement, StanceValue.SUPPORTS),
            (claim_in_review, in_review_only_statement, StanceValue.SUPPORTS),
        ]
    ]
    claims = [
        contested_claim,
        post_claim,
        one_sided_claim,
        parent_topic_claim,
        draft_claim,
        claim_in_review,
    ]
    for claim in claims:
        claim.refresh_from_db()  # the stance counters the services keep
    return Site(
        outlet=outlet,
        wire_agencies=wire_agencies,
        broadcaster=broadcaster,
        government=government,
        accuser=accuser,
        denier=denier,
        foreign_ministry=foreign_ministry,
        unpublished_speaker=unpublished_speaker,
        place=place,
        place_name=place_name,
        parent_topic=parent_topic,
        topic=topic,
        article=article,
        unpublished_article=unpublished_article,
        accusation=accusation,
        demand=demand,
        repeated_demand=repeated_demand,
        post_report=post_report,
        rejection=rejection,
        fabrication=fabrication,
        fishing_report=fishing_report,
        draft_only_statement=draft_only_statement,
        in_review_only_statement=in_review_only_statement,
        contested_claim=contested_claim,
        post_claim=post_claim,
        one_sided_claim=one_sided_claim,
        parent_topic_claim=parent_topic_claim,
        draft_claim=draft_claim,
        claim_in_review=claim_in_review,
        stances=stances,
    )
