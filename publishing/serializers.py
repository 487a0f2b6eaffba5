"""JSON shapes of the open-data API. Objects are identified by their slugs (statements by id),
dates are ISO 8601, and every object carries `url` (its API address) and `html_url` (its page)."""

from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from claims.models import Claim, Correction, Stance, Statement, Topic
from claims.profiles import speaker_profile
from sources.models import Article, Capture, Outlet, Party, Place

from .addresses import absolute, wikidata_address
from .templatetags.publishing import http_address


class LinkedSerializer(serializers.ModelSerializer):
    """Adds `url` (the API) and `html_url` (the page readers see)."""

    api_view_name: str = ""
    url = serializers.SerializerMethodField()
    html_url = serializers.SerializerMethodField()

    def get_url(self, instance) -> str:
        return absolute(reverse(self.api_view_name, args=[instance.slug]))

    def get_html_url(self, instance) -> str:
        return absolute(instance.get_absolute_url())


class OptionalURLField(serializers.URLField):
    """A URL that may be unknown: null rather than an empty string, which is no URI. Only web
    addresses are given: anything but http(s) is null too."""

    def __init__(self, **kwargs) -> None:
        super().__init__(allow_null=True, read_only=True, **kwargs)

    def to_representation(self, value: str) -> str | None:
        return http_address(value) or None


class OutletSerializer(serializers.ModelSerializer):
    url = OptionalURLField()

    class Meta:
        model = Outlet
        fields = ["slug", "name", "kind", "country", "url"]


class PartyReferenceSerializer(LinkedSerializer):
    api_view_name = "api:party-detail"

    class Meta:
        model = Party
        fields = ["slug", "name", "side", "kind", "url", "html_url"]


class SameAsSerializer(serializers.Serializer):
    """A record's Wikidata item, as its identifier and the address schema.org calls `sameAs`."""

    wikidata_id = serializers.SerializerMethodField()
    same_as = serializers.SerializerMethodField()

    def get_wikidata_id(self, record) -> str | None:
        return record.wikidata_id or None

    def get_same_as(self, record) -> str | None:
        return wikidata_address(record.wikidata_id)


class PartySerializer(PartyReferenceSerializer, SameAsSerializer):
    parent = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)
    aliases = serializers.SlugRelatedField(slug_field="name", many=True, read_only=True)

    class Meta(PartyReferenceSerializer.Meta):
        fields = [
            "slug",
            "name",
            "side",
            "kind",
            "parent",
            "aliases",
            "description",
            "wikidata_id",
            "same_as",
            "url",
            "html_url",
        ]


class ClaimReferenceSerializer(LinkedSerializer):
    api_view_name = "api:claim-detail"

    class Meta:
        model = Claim
        fields = ["slug", "text", "url", "html_url"]


class ContradictedSerializer(serializers.Serializer):
    party = PartyReferenceSerializer()
    claims = serializers.IntegerField(help_text="Claims on which the two took opposite sides.")


class SpeakerProfileSerializer(serializers.Serializer):
    """What the party and the parties under it said on published claims."""

    parties = serializers.IntegerField(
        source="party_count", help_text="The party and the parties under it, counted."
    )
    statements = serializers.IntegerField(source="statement_count")
    stances = serializers.DictField(
        source="stance_counts",
        child=serializers.IntegerField(),
        help_text="Stances by value; a statement may bear on several claims.",
    )
    asserts = serializers.IntegerField(source="asserts_count", help_text="Claims supported.")
    denies = serializers.IntegerField(
        source="denies_count", help_text="Claims refuted or disputed."
    )
    latest_asserted = ClaimReferenceSerializer(source="asserts", many=True)
    latest_denied = ClaimReferenceSerializer(source="denies", many=True)
    contradicts = ContradictedSerializer(many=True)
    first_said = serializers.DateField(allow_null=True)
    last_said = serializers.DateField(allow_null=True)


class PartyDetailSerializer(PartySerializer):
    profile = serializers.SerializerMethodField()

    class Meta(PartySerializer.Meta):
        fields = [*PartySerializer.Meta.fields, "profile"]

    @extend_schema_field(SpeakerProfileSerializer)
    def get_profile(self, party: Party) -> dict:
        return SpeakerProfileSerializer(speaker_profile(party), context=self.context).data


class CaptureSerializer(serializers.ModelSerializer):
    """One version of an article's text as recorded: its SHA-256 (of the UTF-8 text), when it
    was captured, an archived copy if a curator gave one, and the page showing it."""

    archive_url = OptionalURLField()
    html_url = serializers.SerializerMethodField()

    class Meta:
        model = Capture
        fields = ["sha256", "captured_at", "archive_url", "html_url"]

    def get_html_url(self, capture: Capture) -> str:
        address = reverse(
            "publishing:capture_detail", args=[self.context["article_slug"], capture.sha256]
        )
        return absolute(address)


def capture_data(capture: Capture | None, article_slug: str, context: dict) -> dict | None:
    """A capture nested in its article or statement, whose slug its page address needs."""
    if capture is None:
        return None
    return CaptureSerializer(capture, context={**context, "article_slug": article_slug}).data


class ArticleReferenceSerializer(LinkedSerializer):
    api_view_name = "api:article-detail"
    outlet = OutletSerializer(read_only=True)
    wire_credits = OutletSerializer(many=True, read_only=True)
    source_url = OptionalURLField(source="url")
    capture = serializers.SerializerMethodField()

    class Meta:
        model = Article
        fields = [
            "slug",
            "title",
            "kind",
            "outlet",
            "wire_credits",
            "published_on",
            "byline",
            "source_url",
            "capture",
            "url",
            "html_url",
        ]

    @extend_schema_field(CaptureSerializer(allow_null=True))
    def get_capture(self, article: Article) -> dict | None:
        """The capture of the current text."""
        return capture_data(article.capture, article.slug, self.context)


class ArticleSerializer(ArticleReferenceSerializer):
    captures = serializers.SerializerMethodField()

    class Meta(ArticleReferenceSerializer.Meta):
        fields = [
            *ArticleReferenceSerializer.Meta.fields,
            "language",
            "standfirst",
            "body",
            "captures",
        ]

    @extend_schema_field(CaptureSerializer(many=True))
    def get_captures(self, article: Article) -> list[dict]:
        """Every version of the text, newest first."""
        context = {**self.context, "article_slug": article.slug}
        return CaptureSerializer(article.captures.all(), many=True, context=context).data


class SelectorSerializer(serializers.Serializer):
    type = serializers.ChoiceField(choices=["TextQuoteSelector", "TextPositionSelector"])
    exact = serializers.CharField(required=False)
    prefix = serializers.CharField(required=False, allow_blank=True)
    suffix = serializers.CharField(required=False, allow_blank=True)
    start = serializers.IntegerField(required=False)
    end = serializers.IntegerField(required=False)


class AnnotationTargetSerializer(serializers.Serializer):
    source = serializers.URLField(
        help_text="The text the selectors apply to: the API's article, whose `body` it is, or "
        "the page of the capture the words were taken from."
    )
    selector = SelectorSerializer(many=True)


class StatementReferenceSerializer(serializers.ModelSerializer):
    party = PartyReferenceSerializer(read_only=True)
    article = ArticleReferenceSerializer(read_only=True)
    html_url = serializers.SerializerMethodField()

    found_in_current_text = serializers.BooleanField(
        source="is_found_in_current_text",
        read_only=True,
        help_text="Whether the article's current text still has these words. If not, they are "
        "as captured (see `capture`), and `start`/`end` are where they last stood.",
    )
    capture = serializers.SerializerMethodField()
    target = serializers.SerializerMethodField()

    class Meta:
        model = Statement
        fields = [
            "id",
            "party",
            "speaker_label",
            "text",
            "mode",
            "said_on",
            "article",
            "start",
            "end",
            "found_in_current_text",
            "capture",
            "target",
            "html_url",
        ]

    def get_html_url(self, statement: Statement) -> str:
        return absolute(f"{statement.article.get_absolute_url()}#{statement.html_id}")

    @extend_schema_field(AnnotationTargetSerializer)
    def get_target(self, statement: Statement) -> dict:
        """Where the words are, as a W3C Web Annotation target: the article's current text (the
        `body` of the API's article), or the capture they were taken from if the current text no
        longer has them; the TextQuoteSelector finds them by their words and context, the
        TextPositionSelector by their offsets in that text."""
        article = statement.article
        if statement.is_found_in_current_text or statement.capture is None:
            source = reverse("api:article-detail", args=[article.slug])
        else:
            source = reverse(
                "publishing:capture_detail", args=[article.slug, statement.capture.sha256]
            )
        return {
            "source": absolute(source),
            "selector": [
                {
                    "type": "TextQuoteSelector",
                    "exact": statement.text,
                    "prefix": statement.prefix,
                    "suffix": statement.suffix,
                },
                {"type": "TextPositionSelector", "start": statement.start, "end": statement.end},
            ],
        }

    @extend_schema_field(CaptureSerializer(allow_null=True))
    def get_capture(self, statement: Statement) -> dict | None:
        """The version of the article's text the words were taken from."""
        return capture_data(statement.capture, statement.article.slug, self.context)


class StanceOnClaimSerializer(serializers.ModelSerializer):
    stance = serializers.CharField(source="value", read_only=True)
    statement = StatementReferenceSerializer(read_only=True)

    class Meta:
        model = Stance
        fields = ["stance", "note", "statement"]


class PlaceSerializer(serializers.ModelSerializer, SameAsSerializer):
    alternative_names = serializers.SerializerMethodField()

    class Meta:
        model = Place
        fields = ["slug", "name", "alternative_names", "wikidata_id", "same_as"]

    def get_alternative_names(self, place: Place) -> list[dict[str, str]]:
        return [{"name": n.name, "used_by": n.used_by} for n in place.alternative_names.all()]


class CorrectionSerializer(serializers.ModelSerializer):
    date = serializers.DateField(source="published_on", read_only=True)

    class Meta:
        model = Correction
        fields = ["date", "text"]


class TopicReferenceSerializer(LinkedSerializer):
    api_view_name = "api:topic-detail"

    class Meta:
        model = Topic
        fields = ["slug", "name", "url", "html_url"]


class TopicSerializer(TopicReferenceSerializer):
    parent = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)

    class Meta(TopicReferenceSerializer.Meta):
        fields = ["slug", "name", "parent", "description", "url", "html_url"]


class AssessmentSerializer(serializers.Serializer):
    text = serializers.CharField()
    verdict = serializers.CharField(allow_blank=True)


class StanceCountsSerializer(serializers.Serializer):
    supports = serializers.IntegerField()
    refutes = serializers.IntegerField()
    disputes = serializers.IntegerField()
    neutral = serializers.IntegerField()


class ClaimSerializer(LinkedSerializer):
    api_view_name = "api:claim-detail"
    topic = TopicReferenceSerializer(read_only=True)
    places = PlaceSerializer(many=True, read_only=True)
    stances = StanceOnClaimSerializer(many=True, read_only=True)
    stance_counts = serializers.SerializerMethodField()
    assessment = serializers.SerializerMethodField()
    corrections = CorrectionSerializer(many=True, read_only=True)

    class Meta:
        model = Claim
        fields = [
            "slug",
            "text",
            "topic",
            "places",
            "event_date",
            "published_at",
            "stance_counts",
            "assessment",
            "stances",
            "corrections",
            "url",
            "html_url",
        ]

    @extend_schema_field(StanceCountsSerializer)
    def get_stance_counts(self, claim: Claim) -> dict[str, int]:
        return {
            "supports": claim.supports_count,
            "refutes": claim.refutes_count,
            "disputes": claim.disputes_count,
            "neutral": claim.neutral_count,
        }

    @extend_schema_field(AssessmentSerializer(allow_null=True))
    def get_assessment(self, claim: Claim) -> dict[str, str] | None:
        if not claim.assessment:
            return None
        return {"text": claim.assessment, "verdict": claim.assessment_verdict}


class ClaimStanceSerializer(serializers.ModelSerializer):
    """A statement's stance on a claim, as listed with the statement."""

    claim = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    stance = serializers.CharField(source="value", read_only=True)

    class Meta:
        model = Stance
        fields = ["claim", "stance", "note"]


class StatementSerializer(StatementReferenceSerializer):
    stances = ClaimStanceSerializer(many=True, read_only=True)
    url = serializers.SerializerMethodField()

    class Meta(StatementReferenceSerializer.Meta):
        fields = [*StatementReferenceSerializer.Meta.fields, "stances", "url"]

    def get_url(self, statement: Statement) -> str:
        return absolute(reverse("api:statement-detail", args=[statement.pk]))
