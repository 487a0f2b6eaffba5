"""Permanent links: an address with a slug a record had before answers 301 with its current one.

Records keep their former slugs (`sources.models.FormerSlug`); when a page, feed, capture or API
address is not found, the slug in it is looked up there, and if it names a record readers may
see under another slug now, the same address with that slug is where the reader is sent. Renamed
again and again, a record's first address still leads straight to its latest.
"""

from collections.abc import Callable

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.urls import Resolver404, resolve, reverse

from claims.models import Claim, Topic
from claims.visibility import public_parties, reported_articles
from sources.models import FormerSlug

# Addresses whose slug names a record, with the records readers may see there.
PUBLIC_RECORDS: dict[str, Callable[[], QuerySet]] = {
    "publishing:claim_detail": Claim.objects.published,
    "publishing:feed_claim": Claim.objects.published,
    "api:claim-detail": Claim.objects.published,
    "publishing:party_detail": public_parties,
    "publishing:feed_party": public_parties,
    "api:party-detail": public_parties,
    "publishing:article_detail": reported_articles,
    "publishing:capture_detail": reported_articles,
    "api:article-detail": reported_articles,
    "publishing:topic_detail": Topic.objects.public,
    "publishing:feed_topic": Topic.objects.public,
    "api:topic-detail": Topic.objects.public,
}


def current_address(request: HttpRequest) -> str | None:
    """The address this request would have if the slug in it were the record's current one."""
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return None
    public = PUBLIC_RECORDS.get(match.view_name)
    slug = match.kwargs.get("slug")
    if public is None or slug is None:
        return None
    records = public()
    record = FormerSlug.holder(records.model, slug)
    if record is None or record.slug == slug or not records.filter(pk=record.pk).exists():
        return None
    address = reverse(match.view_name, kwargs={**match.kwargs, "slug": record.slug})
    query = request.META.get("QUERY_STRING", "")
    return f"{address}?{query}" if query else address


class FormerAddressMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.status_code != 404 or request.method not in ("GET", "HEAD"):
            return response
        address = current_address(request)
        return HttpResponsePermanentRedirect(address) if address else response
