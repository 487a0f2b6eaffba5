"""JSON shapes of the open-data API. Objects are identified by their slugs (statements by id),
dates are ISO 8601, and every object carries `url` (its API address) and `html_url` (its page)."""

from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from claims.models import Claim, Correction, Stance, Statement, Topic
from sources.models import Article, Outlet, Party, Place


class AbsoluteLinks:
    def absolute(self, path: str) -> str:
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path


class LinkedSerializer(AbsoluteLinks, serializers.ModelSerializer):
    """Adds `url` (the API) and `html_url` (the page readers see)."""

    api_view_name: str = ""
    url = serializers.SerializerMethodField()
    html_url = serializers.SerializerMethodField()

    def get_url(self, instance) -> str:
        return self.absolute(reverse(self.api_view_name, args=[instance.slug]))

    def get_html_url(self, instance) -> str:
        return self.absolute(instance.get_absolute_url())


class OptionalURLField(serializers.URLField):
    """A URL that may be unknown: null rather than an empty string, which is no URI."""

    def __init__(self, **kwargs) -> None:
        super().__init__(allow_null=True, read_only=True, **kwargs)

    def to_representation(self, value: str) -> str | None:
        return value or None


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


class PartySerializer(PartyReferenceSerializer):
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
            "url",
            "html_url",
        ]


class ArticleReferenceSerializer(LinkedSerializer):
    api_view_name = "api:article-detail"
    outlet = OutletSerializer(read_only=True)
    wire_credits = OutletSerializer(many=True, read_only=True)
    source_url = OptionalURLField(source="url")

    class Meta:
        model = Article
        fields = [
            "slug",
            "title",
            "outlet",
            "wire_credits",
            "published_on",
            "byline",
            "source_url",
            "url",
            "html_url",
        ]


class ArticleSerializer(ArticleReferenceSerializer):
    class Meta(ArticleReferenceSerializer.Meta):
        fields = [*ArticleReferenceSerializer.Meta.fields, "language", "standfirst", "body"]


class StatementReferenceSerializer(AbsoluteLinks, serializers.ModelSerializer):
    party = PartyReferenceSerializer(read_only=True)
    article = ArticleReferenceSerializer(read_only=True)
    html_url = serializers.SerializerMethodField()

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
            "html_url",
        ]

    def get_html_url(self, statement: Statement) -> str:
        return self.absolute(f"{statement.article.get_absolute_url()}#{statement.html_id}")


class StanceOnClaimSerializer(serializers.ModelSerializer):
    stance = serializers.CharField(source="value", read_only=True)
    statement = StatementReferenceSerializer(read_only=True)

    class Meta:
        model = Stance
        fields = ["stance", "note", "statement"]


class PlaceSerializer(serializers.ModelSerializer):
    alternative_names = serializers.SerializerMethodField()

    class Meta:
        model = Place
        fields = ["slug", "name", "alternative_names"]

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
        return self.absolute(reverse("api:statement-detail", args=[statement.pk]))
