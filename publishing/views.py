"""Public pages: readers see published claims and the statements attached to them, nothing else."""

from collections import Counter
from collections.abc import Callable
from itertools import groupby

from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe
from django.views.generic import DetailView, ListView, TemplateView
from django_filters.views import FilterView

from claims.anchoring import highlight
from claims.models import (
    Claim,
    Stance,
    StanceValue,
    Statement,
    Topic,
    public_parties,
    reported_articles,
)
from sources.models import Party

from .exports import CLAIM_COLUMNS, STANCE_COLUMNS, claim_rows, csv_response, stance_rows
from .filters import ORDERINGS, ClaimFilter
from .structured_data import absolute, claim_structured_data

CLAIMS_PER_PAGE = 20
STANCES_PER_PAGE = 50
# A topic's matrix shows this many claims a page, and the parties that spoke most on it: the
# whole dispute at a glance, not a wall of empty cells.
MATRIX_ROWS = 25
MATRIX_PARTIES = 12


def claims_with_positions():
    """Published claims with their topic and every stance's party, for rows with badges."""
    return (
        Claim.objects.published()
        .select_related("topic")
        .prefetch_related(
            Prefetch("stances", queryset=Stance.objects.select_related("statement__party"))
        )
    )


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    claims = claims_with_positions()
    topics = Topic.objects.with_claim_counts().filter(claim_count__gt=0).order_by("name")
    return render(
        request,
        "publishing/home.html",
        {
            "latest_claims": claims.order_by("-published_at", "-pk")[:5],
            "contested_claims": claims.contested().order_by(
                "-contest_score", "-statement_count", "-published_at"
            )[:5],
            "topics": topics,
        },
    )


class ClaimListView(FilterView):
    filterset_class = ClaimFilter
    template_name = "publishing/claim_list.html"
    context_object_name = "claims"
    paginate_by = CLAIMS_PER_PAGE

    def get_queryset(self):
        return claims_with_positions().order_by(*ORDERINGS["newest"])

    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        if self.filterset.is_bound and not self.filterset.is_valid():
            response.status_code = 400
        return response


class ClaimDetailView(DetailView):
    template_name = "publishing/claim_detail.html"
    context_object_name = "claim"

    def get_queryset(self):
        stances = Stance.objects.select_related(
            "statement__party", "statement__article__outlet"
        ).prefetch_related("statement__article__wire_credits")
        return (
            Claim.objects.published()
            .select_related("topic__parent")
            .prefetch_related(
                "places__alternative_names",
                "corrections",
                Prefetch("stances", queryset=stances),
            )
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        stances = list(self.object.stances.all())
        by_value = {value: [] for value in StanceValue.values}
        for stance in sorted(
            stances,
            key=lambda s: (s.statement.said_on is None, s.statement.said_on, s.statement.start),
        ):
            by_value[stance.value].append(stance)
        context["stance_groups"] = [
            (StanceValue(value), group) for value, group in by_value.items() if group
        ]
        context["timeline"] = sorted(
            stances,
            key=lambda s: (s.statement.said_on is None, s.statement.said_on, s.statement.pk),
        )
        context["positions"] = positions = self.object.party_positions()
        context["structured_data"] = claim_structured_data(self.object, positions)
        context["canonical_url"] = absolute(self.object.get_absolute_url())
        return context


class PartyListView(ListView):
    template_name = "publishing/party_list.html"
    context_object_name = "parties"

    def get_queryset(self):
        return public_parties().select_related("parent").order_by("side", "name")


class PartyDetailView(DetailView):
    template_name = "publishing/party_detail.html"
    context_object_name = "party"

    def get_queryset(self):
        return public_parties().select_related("parent").prefetch_related("aliases", "children")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        stances = (
            Stance.objects.public()
            .filter(statement__party=self.object)
            .select_related("claim__topic", "statement__article__outlet")
            .order_by("-claim__published_at", "claim__pk", "statement__start", "pk")
        )
        page = Paginator(stances, STANCES_PER_PAGE).get_page(self.request.GET.get("page"))
        context["page_obj"] = page
        context["claims"] = [
            (claim, list(group)) for claim, group in groupby(page, key=lambda s: s.claim)
        ]
        return context


class ArticleListView(ListView):
    template_name = "publishing/article_list.html"
    context_object_name = "articles"
    paginate_by = CLAIMS_PER_PAGE

    def get_queryset(self):
        return reported_articles().with_outlets().order_by("-published_on", "title", "pk")


class ArticleDetailView(DetailView):
    template_name = "publishing/article_detail.html"
    context_object_name = "article"

    def get_queryset(self):
        return reported_articles().with_outlets()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        statements = list(
            Statement.objects.public()
            .filter(article=self.object)
            .select_related("party")
            .prefetch_related(
                Prefetch("stances", queryset=Stance.objects.public().select_related("claim"))
            )
            .order_by("start", "pk")
        )
        for number, statement in enumerate(statements, start=1):
            statement.number = number
        spans = [(s.start, s.end, s) for s in statements if s.is_highlightable]
        context["paragraphs"] = highlight(self.object.body, spans)
        context["statements"] = statements
        context["parties"] = sorted({s.party for s in statements}, key=lambda p: p.name)
        return context


class TopicListView(ListView):
    template_name = "publishing/topic_list.html"
    context_object_name = "topics"

    def get_queryset(self):
        return Topic.objects.public().select_related("parent").with_claim_counts().order_by("name")


def topic_detail(request: HttpRequest, slug: str) -> HttpResponse:
    topic = get_object_or_404(Topic.objects.public().select_related("parent"), slug=slug)
    topics = topic.with_descendants()
    claims = (
        claims_with_positions()
        .filter(topic__in=topics)
        .order_by("topic__name", "-published_at", "pk")
    )
    page = Paginator(claims, MATRIX_ROWS).get_page(request.GET.get("page"))
    matrix = StanceMatrix(list(page))
    return render(
        request,
        "publishing/topic_detail.html",
        {
            "topic": topic,
            "subtopics": topic.children.public().order_by("name"),
            "page_obj": page,
            "matrix": matrix,
            "stance_values": list(StanceValue),
        },
    )


class StanceMatrix:
    """Claims as rows, parties as columns, each cell the party's positions on the claim.

    The columns are the parties that said most about these claims, at most MATRIX_PARTIES of
    them; `other_parties` counts the rest, whom each claim's own page lists.
    """

    def __init__(self, claims: list[Claim]) -> None:
        cells: dict[tuple[int, int], list] = {}
        statements: Counter[Party] = Counter()
        for claim in claims:
            for position in claim.party_positions():
                cells.setdefault((claim.pk, position.party.pk), []).append(position)
                statements[position.party] += len(position.statements)
        busiest = sorted(statements, key=lambda party: (-statements[party], party.name))
        self.parties = sorted(busiest[:MATRIX_PARTIES], key=lambda p: (p.side, p.name))
        self.other_parties = len(busiest) - len(self.parties)
        self.rows = [
            (claim, [cells.get((claim.pk, party.pk), []) for party in self.parties])
            for claim in claims
        ]


def filtered_claims(request: HttpRequest) -> tuple[ClaimFilter, bool]:
    claims = Claim.objects.published().select_related("topic")
    filterset = ClaimFilter(request.GET, queryset=claims.order_by(*ORDERINGS["newest"]))
    return filterset, filterset.is_valid()


def invalid_filters(filterset: ClaimFilter) -> HttpResponse:
    lines = [
        f"{filterset.form[name].label}: {error}"
        for name, errors in filterset.errors.items()
        for error in errors
    ]
    return HttpResponse(
        "Some filters could not be used:\n" + "\n".join(lines) + "\n",
        status=400,
        content_type="text/plain; charset=utf-8",
    )


def csv_export(filename: str, columns: list[str], rows) -> Callable[[HttpRequest], HttpResponse]:
    """A view streaming `rows(claims)` for the claims the list's filters select."""

    @require_safe
    def view(request: HttpRequest) -> HttpResponse:
        filterset, valid = filtered_claims(request)
        if not valid:
            return invalid_filters(filterset)
        return csv_response(filename, columns, rows(filterset.qs))

    return view


# One row per claim; and one row per stance on those claims: who said what, where, and how.
claims_csv = csv_export("claimtrack-claims.csv", CLAIM_COLUMNS, claim_rows)
stances_csv = csv_export("claimtrack-stances.csv", STANCE_COLUMNS, stance_rows)


class AboutView(TemplateView):
    template_name = "publishing/about.html"
