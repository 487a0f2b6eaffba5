"""Public pages: readers see published claims and the statements attached to them, nothing else."""

import hashlib
from collections import Counter
from collections.abc import Callable
from itertools import groupby

from django.core.paginator import InvalidPage, Paginator
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404, render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_safe
from django.views.generic import DetailView, ListView, TemplateView
from django_filters.views import FilterView

from claims.anchoring import find_again, highlight
from claims.models import (
    STANCE_ORDER,
    Claim,
    Stance,
    StanceValue,
    Statement,
    Topic,
    positions_of,
)
from claims.profiles import speaker_profile
from claims.search import findable, what_matched
from claims.visibility import is_public_party, public_parties, reported_articles
from sources.models import Article, Capture, Party

from . import dependencies
from .cache import CountedWithPage, RememberedCount, depends_on
from .claim_page import claim_for_page, stated
from .exports import EXPORTS, Export, export_response, filtered_claims
from .filters import ORDERINGS, ArticleFilter, ClaimFilter
from .fragments import LISTED, claim_rows, listed
from .pagination import SearchResults
from .structured_data import absolute, claim_structured_data
from .templatetags.publishing import statement_row

CLAIMS_PER_PAGE = 20
# The claim list's filters that narrow it (the order only sorts it).
FILTERS_SHOWN = set(ClaimFilter.base_filters) - {"ordering"}
STANCES_PER_PAGE = 50
# A topic's matrix shows this many claims a page, and the parties that spoke most on it: the
# whole dispute at a glance, not a wall of empty cells.
MATRIX_ROWS = 25
MATRIX_PARTIES = 12


def claims_for_rows():
    """Published claims, for rows: read as plain values (`.values_list(*LISTED)`, then
    publishing.fragments.listed) once filtered and ordered, their badges in one more query."""
    return Claim.objects.published()


def claims_with_stances():
    """Published claims with their topic and every stance's party: the topic matrix's cells."""
    stances = Stance.objects.select_related("statement__party").order_by("value", "statement_id")
    return (
        Claim.objects.published()
        .select_related("topic")
        .prefetch_related(Prefetch("stances", queryset=stances))
    )


@require_safe
def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers ask for /favicon.ico whatever the page says; the site's icon is an SVG."""
    return HttpResponsePermanentRedirect(static("favicon.svg"))


class PageOutOfRange(Http404):
    pass


class HelpfulPages:
    """A list whose page number is out of range answers with a page that says how many pages
    there are and links to the first and the last, rather than the generic 404."""

    def paginate_queryset(self, queryset, page_size):
        paginator = self.get_paginator(queryset, page_size)
        number = self.request.GET.get(self.page_kwarg) or 1
        try:
            page = paginator.page(number)
        except (InvalidPage, ValueError):
            raise PageOutOfRange(paginator.num_pages) from None
        return paginator, page, page.object_list, page.has_other_pages()

    def get(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        try:
            return super().get(request, *args, **kwargs)
        except PageOutOfRange as error:
            last = error.args[0]
            context = {"asked": request.GET.get(self.page_kwarg, ""), "last": last}
            return render(request, "publishing/page_out_of_range.html", context, status=404)


def counted_topics(topics) -> list[Topic]:
    """The topics, each with `claim_count`: the published claims in it and in the topics under
    it, each counted once; and `has_subtopics`."""
    counts = Topic.objects.claim_counts()
    parents = set(Topic.objects.public().exclude(parent=None).values_list("parent", flat=True))
    topics = list(topics)
    for topic in topics:
        topic.claim_count = counts.get(topic.pk, 0)
        topic.has_subtopics = topic.pk in parents
    return topics


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    claims = claims_for_rows()
    latest = listed(claims.order_by("-published_at", "-pk").values_list(*LISTED)[:5])
    contested = listed(
        claims.contested()
        .order_by("-contest_score", "-statement_count", "-published_at")
        .values_list(*LISTED)[:5]
    )
    claim_rows(latest + contested)
    topics = counted_topics(Topic.objects.public().filter(parent=None).order_by("name"))
    return render(
        request,
        "publishing/home.html",
        {"latest_claims": latest, "contested_claims": contested, "topics": topics},
    )


class ClaimListView(HelpfulPages, FilterView):
    filterset_class = ClaimFilter
    template_name = "publishing/claim_list.html"
    context_object_name = "claims"
    paginate_by = CLAIMS_PER_PAGE

    def get_queryset(self):
        return claims_for_rows().order_by(*ORDERINGS["newest"])

    def get_paginator(self, queryset, per_page, **kwargs) -> Paginator:
        queryset = queryset.values_list(*LISTED, named=True)
        asked_for = self.filterset.form.cleaned_data if self.filterset.is_valid() else {}
        if asked_for.get("q"):
            return SearchResults(queryset, per_page, **kwargs)
        # Every page of a list, in any order, has the same count: "contested" takes 14 ms to
        # count on 100,000 claims, so it is counted once per write, not once per page.
        asked = sorted(
            (name, values)
            for name, values in self.request.GET.lists()
            if name not in (self.page_kwarg, "ordering")
        )
        name = "claims-count:" + hashlib.blake2b(repr(asked).encode(), digest_size=16).hexdigest()
        # A party's claims are found through its statements, all of them before any is sorted:
        # counted with the page, they are found once. Other lists' pages are read in the order
        # of an index and stop at the page's end, which counting with them would prevent.
        paginator = CountedWithPage if asked_for.get("party") else RememberedCount
        return paginator(queryset, per_page, name=name, **kwargs)

    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        if self.filterset.is_bound and not self.filterset.is_valid():
            response.status_code = 400
        return response

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["filters_set"] = sum(
            1 for name, value in self.request.GET.items() if name in FILTERS_SHOWN and value
        )
        valid = self.filterset.is_valid()
        context["chosen_party"] = self.filterset.form.cleaned_data.get("party") if valid else None
        query = self.filterset.form.cleaned_data.get("q") if valid else ""
        context["claims"] = listed(context["claims"])
        said = None
        if query:
            # What each result matched is told from the names it is known by, and the badges
            # from the stances read for it.
            known_by = findable(context["claims"])
            for claim in context["claims"]:
                claim.matched = what_matched(known_by[claim.pk], query)
            said = {pk: known.stances() for pk, known in known_by.items()}
        claim_rows(context["claims"], said)
        return context


class ClaimDetailView(DetailView):
    template_name = "publishing/claim_detail.html"
    context_object_name = "claim"

    def get_object(self, queryset=None):
        return claim_for_page(self.kwargs["slug"], self.request.user)

    def render_to_response(self, context, **kwargs):
        response = super().render_to_response(context, **kwargs)
        if context["preview"]:
            # Only for the curator who asked: no cache, proxy or browser may keep it.
            patch_cache_control(response, private=True, no_store=True)
        return response

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        claim = self.object
        depends_on(self.request, dependencies.claim(claim.pk))
        context["preview"] = not claim.is_public
        said = stated(claim.pk)
        by_value = {value: [] for value in STANCE_ORDER}
        for each in sorted(said, key=lambda s: (s.said_on is None, s.said_on, s.start)):
            by_value[each.value].append(statement_row(each.row))
        # Each group's rows as one piece of markup: the template writes it once.
        context["stance_groups"] = [
            (StanceValue(value), len(group), mark_safe("".join(group)))
            for value, group in by_value.items()
            if group
        ]
        context["timeline"] = [
            (each.value, each.row)
            for each in sorted(said, key=lambda s: (s.said_on is None, s.said_on, s.statement))
        ]
        # Each asked for only when the claim has any (claim_for_page): most have none.
        places = (
            list(claim.places.prefetch_related("alternative_names")) if claim.has_places else []
        )
        context["places"] = places
        context["corrections"] = list(claim.corrections.all()) if claim.has_corrections else []
        context["positions"] = positions = positions_of((s.party, s.value, s) for s in said)
        context["structured_data"] = claim_structured_data(claim, positions, places)
        context["canonical_url"] = absolute(claim.get_absolute_url())
        context["feed_url"] = reverse("publishing:feed_claim", args=[claim.slug])
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
        return Party.objects.select_related("parent").prefetch_related("aliases", "children")

    def get_object(self, queryset=None):
        # One party's visibility, not every party's: a few indexed queries.
        party = super().get_object(queryset)
        if not is_public_party(party):
            raise Http404("No party readers can see has this address.")
        return party

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        profile = speaker_profile(self.object)
        stances = (
            Stance.objects.public()
            .filter(statement__party__in=profile.parties)
            .select_related("claim__topic", "statement__article__outlet", "statement__party")
            .defer("statement__article__body")
            .order_by("-claim__published_at", "claim__pk", "statement__start", "pk")
        )
        context["profile"] = profile
        page = Paginator(stances, STANCES_PER_PAGE).get_page(self.request.GET.get("page"))
        context["page_obj"] = page
        context["claims"] = [
            (claim, list(group)) for claim, group in groupby(page, key=lambda s: s.claim)
        ]
        return context


class ArticleListView(HelpfulPages, FilterView):
    filterset_class = ArticleFilter
    template_name = "publishing/article_list.html"
    context_object_name = "articles"
    paginate_by = CLAIMS_PER_PAGE

    def get_queryset(self):
        return reported_articles().with_outlets().order_by("-published_on", "title", "pk")

    def get_paginator(self, queryset, per_page, **kwargs) -> Paginator:
        if not self.filterset.is_valid():
            # No articles are listed for filters that make no sense: nothing to remember.
            return super().get_paginator(queryset, per_page, **kwargs)
        kind = self.filterset.form.cleaned_data.get("kind") or "any"
        return RememberedCount(queryset, per_page, name=f"articles-count:{kind}", **kwargs)

    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        if self.filterset.is_bound and not self.filterset.is_valid():
            response.status_code = 400
        return response


def article_statements(article: Article) -> list[Statement]:
    """The article's public statements, numbered in the order of the text, with their stances."""
    statements = list(
        Statement.objects.public()
        .filter(article=article)
        .select_related("party")
        .prefetch_related(
            Prefetch("stances", queryset=Stance.objects.public().select_related("claim"))
        )
        .order_by("start", "pk")
    )
    for number, statement in enumerate(statements, start=1):
        statement.number = number
        values = {stance.value for stance in statement.stances.all()}
        # How the statement bears on the claims it is on: one stance, or several ("mixed").
        statement.bearing = values.pop() if len(values) == 1 else "mixed"
    return statements


class ArticleDetailView(DetailView):
    template_name = "publishing/article_detail.html"
    context_object_name = "article"

    def get_queryset(self):
        return reported_articles().with_outlets()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        statements = article_statements(self.object)
        spans = [(s.start, s.end, s) for s in statements if s.is_found_in_current_text]
        context["paragraphs"] = highlight(self.object.body, spans)
        context["statements"] = statements
        context["parties"] = sorted({s.party for s in statements}, key=lambda p: p.name)
        context["earlier_captures"] = self.object.captures.exclude(pk=self.object.capture_id).defer(
            "text"
        )
        return context


class CaptureDetailView(DetailView):
    """One version of an article's text, at a permanent address: the statements whose words it
    holds are marked in it, as they were when they were taken from it."""

    template_name = "publishing/capture_detail.html"
    context_object_name = "capture"

    def get_object(self, queryset=None) -> Capture:
        self.article = get_object_or_404(
            reported_articles().with_outlets(), slug=self.kwargs["slug"]
        )
        return get_object_or_404(self.article.captures, sha256=self.kwargs["sha256"])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        statements = article_statements(self.article)
        spans = []
        for statement in statements:
            anchor = find_again(
                self.object.text,
                text=statement.text,
                start=statement.start,
                prefix=statement.prefix,
                suffix=statement.suffix,
            )
            statement.in_capture = anchor is not None
            if anchor is not None:
                spans.append((anchor.start, anchor.end, statement))
        context["article"] = self.article
        context["paragraphs"] = highlight(self.object.text, spans)
        context["statements"] = statements
        context["is_current"] = self.object.pk == self.article.capture_id
        return context


class TopicListView(ListView):
    template_name = "publishing/topic_list.html"
    context_object_name = "topics"

    def get_queryset(self):
        return counted_topics(Topic.objects.public().select_related("parent").order_by("name"))


def topic_detail(request: HttpRequest, slug: str) -> HttpResponse:
    topic = get_object_or_404(Topic.objects.public().select_related("parent"), slug=slug)
    topics = topic.with_descendants
    claims = (
        claims_with_stances()
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


def csv_export(
    export: Export, *, compressed: bool = False
) -> Callable[[HttpRequest], HttpResponse]:
    """A view answering with the export of the claims the list's filters select; gzipped if
    `compressed`."""

    @require_safe
    def view(request: HttpRequest) -> HttpResponse:
        filterset = filtered_claims(request.GET)
        if not filterset.is_valid():
            return invalid_filters(filterset)
        return export_response(
            request, export, filterset.qs, whole=not request.GET, compressed=compressed
        )

    return view


# One row per claim; and one row per stance on those claims: who said what, where, and how.
claims_csv = csv_export(EXPORTS["claims"])
stances_csv = csv_export(EXPORTS["stances"])
claims_csv_gz = csv_export(EXPORTS["claims"], compressed=True)
stances_csv_gz = csv_export(EXPORTS["stances"], compressed=True)


class AboutView(TemplateView):
    template_name = "publishing/about.html"
