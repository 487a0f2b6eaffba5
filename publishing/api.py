"""The read-only open-data API under /api/v1/: published content only, identified by slugs."""

from django.db.models import Prefetch
from django.urls import path
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework import viewsets
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.routers import DefaultRouter

from claims.models import Claim, Stance, Statement, Topic
from claims.visibility import public_parties, reported_articles
from sources.models import Article, Capture, Party

from . import serializers
from .cache import public
from .filters import ORDERINGS, ArticleFilter, ClaimFilter, PartyListFilter
from .fragments import by_claim_version


class Pagination(PageNumberPagination):
    """Pages of 20 by default, at most 100; a page size that is not a whole number from 1 to
    100 is refused rather than silently replaced."""

    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100

    def get_page_size(self, request) -> int:
        value = request.query_params.get(self.page_size_query_param)
        if value is None:
            return self.page_size
        if not value.isdigit() or not 1 <= int(value) <= self.max_page_size:
            raise ValidationError(
                {self.page_size_query_param: f"A whole number from 1 to {self.max_page_size}."}
            )
        return int(value)

    def get_page_number(self, request, paginator) -> str:
        value = request.query_params.get(self.page_query_param, "1")
        if not value.isdigit():
            raise NotFound(f"There is no page {value!r}: pages are numbered from 1.")
        return value

    def get_schema_operation_parameters(self, view) -> list[dict]:
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            parameter["schema"]["minimum"] = 1
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"]["maximum"] = self.max_page_size
        return parameters


class PublicViewSet(viewsets.ReadOnlyModelViewSet):
    pagination_class = Pagination
    filterset_class = None


def statement_parts(prefix: str = "") -> tuple[list[str], list[str], list[str]]:
    """What a nested statement needs loaded (its party, its article with its outlets and
    current capture, the capture it was taken from), and the texts it does not need."""
    return (
        [
            f"{prefix}party",
            f"{prefix}article__outlet",
            f"{prefix}article__capture",
            f"{prefix}capture",
        ],
        [f"{prefix}article__wire_credits"],
        [f"{prefix}article__capture__text", f"{prefix}capture__text"],
    )


ERRORS = {
    400: OpenApiResponse(description="A filter value is invalid; the body names each field."),
    404: OpenApiResponse(description="No such page of results."),
    429: OpenApiResponse(description="Too many requests; retry after the Retry-After seconds."),
}
NOT_FOUND = {
    404: OpenApiResponse(description="Not found, or not published."),
    429: ERRORS[429],
}


def documented(serializer: type[serializers.serializers.Serializer]):
    """Document the error answers too: schema checkers hold the API to every status it gives."""
    return extend_schema_view(
        list=extend_schema(responses={200: serializer(many=True), **ERRORS}),
        retrieve=extend_schema(responses={200: serializer, **NOT_FOUND}),
    )


@documented(serializers.ClaimSerializer)
class ClaimViewSet(PublicViewSet):
    """Published claims with every stance, statement, party and article nested. Takes the
    filters of the claim list page (`q`, `party`, `stance`, `topic`, `outlet`, `contested`,
    `since`, `until`, `ordering`)."""

    # The model, for the schema: get_queryset() below says what is loaded.
    queryset = Claim.objects.none()
    serializer_class = serializers.ClaimSerializer
    lookup_field = "slug"
    filter_backends = [DjangoFilterBackend]
    filterset_class = ClaimFilter

    def get_queryset(self):
        select, prefetch, texts = statement_parts("statement__")
        stances = (
            Stance.objects.select_related(*select)
            .prefetch_related(*prefetch)
            .defer(*texts)
            .order_by("value", "statement_id")  # Meta's order, without joining claim and article
        )
        return (
            Claim.objects.published()
            .select_related("topic")
            .prefetch_related(
                "places__alternative_names",
                "corrections",
                Prefetch("stances", queryset=stances.order_by("value", "statement__start")),
            )
            .order_by(*ORDERINGS["newest"])
        )

    def list(self, request, *args, **kwargs):
        # The page's claims are found without their stances; each claim's representation is
        # kept under its version, so a page built again after a write loads and serialises
        # only the claims that changed (20 claims with every stance: 450 KB of JSON).
        found_by = self.filter_queryset(self.get_queryset())
        claims = self.paginate_queryset(
            found_by.prefetch_related(None).select_related(None).only("pk")
        )

        def represent(pks: list[int]) -> dict[int, dict]:
            loaded = self.get_queryset().filter(pk__in=pks).order_by()
            return {claim.pk: self.get_serializer(claim).data for claim in loaded}

        found = by_claim_version("api-claim", [c.pk for c in claims], represent, serializers)
        return self.get_paginated_response([found[claim.pk] for claim in claims])


@documented(serializers.StatementSerializer)
class StatementViewSet(PublicViewSet):
    """Statements that bear on at least one published claim, with those stances."""

    # The model, for the schema: get_queryset() below says what is loaded.
    queryset = Statement.objects.none()
    serializer_class = serializers.StatementSerializer

    def get_queryset(self):
        select, prefetch, texts = statement_parts()
        return (
            Statement.objects.public()
            .select_related(*select)
            .defer(*texts)
            .prefetch_related(
                *prefetch,
                Prefetch("stances", queryset=Stance.objects.public().select_related("claim")),
            )
            .order_by("-pk")
        )


@extend_schema_view(
    list=extend_schema(responses={200: serializers.PartySerializer(many=True), **ERRORS}),
    retrieve=extend_schema(responses={200: serializers.PartyDetailSerializer, **NOT_FOUND}),
)
class PartyViewSet(PublicViewSet):
    """Parties with a public statement, and the bodies they are part of. One party comes with
    its profile: what it and the parties under it said on published claims."""

    # The model, for the schema: get_queryset() below says what is loaded.
    queryset = Party.objects.none()
    serializer_class = serializers.PartySerializer
    lookup_field = "slug"
    # `q`: the claim list's party field asks for suggestions with it.
    filter_backends = [DjangoFilterBackend]
    filterset_class = PartyListFilter

    def get_serializer_class(self):
        if self.action == "retrieve":
            return serializers.PartyDetailSerializer
        return serializers.PartySerializer

    def get_queryset(self):
        return (
            public_parties()
            .select_related("parent")
            .prefetch_related("aliases")
            .order_by("name", "pk")
        )


@documented(serializers.ArticleSerializer)
class ArticleViewSet(PublicViewSet):
    """Articles with at least one public statement, with their full text."""

    # The model, for the schema: get_queryset() below says what is loaded.
    queryset = Article.objects.none()
    serializer_class = serializers.ArticleSerializer
    lookup_field = "slug"

    filter_backends = [DjangoFilterBackend]
    filterset_class = ArticleFilter

    def get_queryset(self):
        return (
            reported_articles()
            .with_outlets()
            .prefetch_related(Prefetch("captures", queryset=Capture.objects.defer("text")))
            .order_by("-published_on", "title", "pk")
        )


@documented(serializers.TopicSerializer)
class TopicViewSet(PublicViewSet):
    # The model, for the schema: get_queryset() below says what is loaded.
    queryset = Topic.objects.none()
    serializer_class = serializers.TopicSerializer
    lookup_field = "slug"

    def get_queryset(self):
        return Topic.objects.public().select_related("parent").order_by("name", "pk")


def allow_empty_filters(result: dict, generator, request, public) -> dict:
    """The claim list's filters accept empty values, as the HTML form sends for unused fields;
    the schema says so (a spectacular post-processing hook)."""
    for operations in result["paths"].values():
        for operation in operations.values():
            for parameter in operation.get("parameters", []):
                if parameter["in"] == "query" and parameter["name"] in ClaimFilter.base_filters:
                    parameter["allowEmptyValue"] = True
    return result


router = DefaultRouter()
router.register("claims", ClaimViewSet, basename="claim")
router.register("statements", StatementViewSet, basename="statement")
router.register("parties", PartyViewSet, basename="party")
router.register("articles", ArticleViewSet, basename="article")
router.register("topics", TopicViewSet, basename="topic")

app_name = "api"


def cached_route(pattern):
    """Mark a router's route public, with the parameters it reads: every list its page, page
    size and format, the claim list also its filters. Answers depend on Accept (JSON, or 406)."""
    parameters = ["format"]
    if getattr(pattern.callback, "actions", {}).get("get") == "list":
        parameters += ["page", "page_size"]
        if pattern.callback.cls.filterset_class is not None:
            parameters += list(pattern.callback.cls.filterset_class.base_filters)
    public(pattern.callback, parameters=parameters, by_accept=True)
    return pattern


urlpatterns = [
    path(
        "schema/",
        public(SpectacularAPIView.as_view(), parameters=["format", "lang"], by_accept=True),
        name="schema",
    ),
    path(
        "docs/",
        public(SpectacularSwaggerSplitView.as_view(url_name="api:schema"), parameters=["script"]),
        name="docs",
    ),
    *[cached_route(pattern) for pattern in router.urls],
]
