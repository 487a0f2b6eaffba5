import json
import unicodedata
from collections.abc import Iterable
from datetime import date, datetime
from functools import cache, lru_cache
from html import escape
from urllib.parse import urlsplit

import orjson
from django import template
from django.template.defaultfilters import truncatechars
from django.urls import reverse
from django.utils import timezone
from django.utils.html import conditional_escape, format_html, linebreaks
from django.utils.safestring import SafeString, mark_safe

from claims.models import STANCE_LABELS, StanceValue, position_order, positions_summary

register = template.Library()

STANCE_ICONS = {
    StanceValue.SUPPORTS: "✓",
    StanceValue.REFUTES: "✗",
    StanceValue.DISPUTES: "?",
    StanceValue.NEUTRAL: "–",
    "mixed": "±",
}
MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
# Characters that could end a <script> element or start a comment inside it, as JSON escapes.
SCRIPT_ESCAPES = [("&", "\\u0026"), ("<", "\\u003C"), (">", "\\u003E")]


@register.filter(name="http_only")
def http_address(url: str | None) -> str:
    """The address if it is a web address (http or https, with a host), else empty: a
    `javascript:`, `data:` or `file:` address is never shown as a link, however it was stored.
    """
    try:
        parts = urlsplit(url or "")
    except ValueError:
        return ""
    return url if parts.scheme.lower() in ("http", "https") and parts.hostname else ""


@register.filter
def article_line(article, credits=None) -> dict:
    """What the line crediting an article shows as plain values (written by article_meta): its
    outlet, its date, its wire credits (`credits`, else the article's own) and its byline."""
    credits = article.wire_credits.all() if credits is None else credits
    return {
        "outlet": article.outlet.name,
        "published_on": article.published_on,
        "credits": tuple(outlet.name for outlet in credits),
        "byline": article.byline,
    }


@register.filter
def article_meta(line: dict) -> SafeString:
    """The line crediting an article (`line`, from article_line): "Outlet, 3 October 2020 · with
    Wire A and Wire B · byline xy". Written here rather than included from a template: a claim
    page shows one for each of its statements."""
    published_on = line["published_on"]
    day = f", {time_element(published_on)}" if published_on else ", undated"
    html = [escape(line["outlet"]), day]
    if line["credits"]:
        html.append(f" · with {' and '.join(escape(outlet) for outlet in line['credits'])}")
    if line["byline"]:
        html.append(f" · byline {escape(line['byline'])}")
    return mark_safe("".join(html))


@register.filter(expects_localtime=True)
def time_element(day: date | datetime, style: str = "long") -> SafeString:
    """A <time> element for a day: `3 October 2020`, or `3 Oct 2020` in the "short" style, as
    Django's `date` filter writes "j F Y" and "j M Y", and the ISO date for machines. A claim
    page shows dozens of dates; this costs a quarter of the date filter called twice for each."""
    if isinstance(day, datetime):
        day = day.date()  # in the current time zone: expects_localtime converted it
    return day_element(day, style)


@lru_cache(maxsize=4096)
def day_element(day: date, style: str) -> SafeString:
    """time_element's markup for a day, written once for each day and style: a claim page
    dates each of its statements and articles, most of them on a few days."""
    # Numbers and month names only: nothing to escape.
    return mark_safe(f'<time datetime="{day.isoformat()}">{day_written(day, style)}</time>')


def day_written(day: date, style: str = "long") -> str:
    """`3 October 2020`, or `3 Oct 2020` in the "short" style."""
    month = MONTHS[day.month - 1]
    return f"{day.day} {month[:3] if style == 'short' else month} {day.year}"


@register.filter(is_safe=True)
def truncated(text: object, length: int) -> str:
    """Django's truncatechars, with what it returns for a text that already fits (the text in
    Unicode's composed form, NFC) found without its character-by-character count: a claim page
    shortens its claim three times for its head, and most claims fit."""
    text = str(text)
    try:
        fits = len(text) <= int(length)
    except ValueError:
        return text  # as truncatechars answers a length that is not a number
    if fits and unicodedata.is_normalized("NFC", text):
        return text
    return truncatechars(text, length)


@register.filter
def stance_icon(value: str) -> str:
    return STANCE_ICONS.get(value, "")


@register.filter
def stance_label(value: str) -> str:
    return STANCE_LABELS.get(value, "")


@cache
def badge_around(stance: str) -> tuple[str, str]:
    """A badge's markup before and after the party's name, for each stance: a list of twenty
    claims shows hundreds of badges, and only the name differs from one to the next."""
    before = format_html(
        '<li><span class="badge badge--{}"><span class="badge__icon" aria-hidden="true">{}</span> ',
        stance,
        stance_icon(stance),
    )
    after = format_html(
        '<span class="visually-hidden">:</span> <span class="badge__stance">{}</span></span></li>',
        stance_label(stance).lower(),
    )
    return before, after


@register.simple_tag
def badges(positions) -> SafeString:
    """Each party's position (Claim.party_positions) as a badge in a list item. Written here
    rather than included from a template once per badge: a list of twenty claims shows
    hundreds, and an include costs more than the badge."""
    return mark_safe("".join(badge_of(p.stance, p.party.name) for p in positions))


@register.simple_tag
def filter_fields(form, chosen_party=None) -> SafeString:
    """The claim list's filter fields, each in its block with its label, help, widget, errors
    and, for the party, the one chosen: written as the template wrote them, without its twenty
    lookups for each of the eight fields on every list page."""
    html = []
    for field in form:
        errors = field.errors
        auto_id = escape(field.auto_id)
        html.append(
            f'\n    <div class="field{" field--error" if errors else ""}">\n'
            f'      <label for="{auto_id}">{conditional_escape(field.label)}</label>\n      '
        )
        if field.help_text:
            html.append(
                f'<p class="field__help" id="{auto_id}_helptext">'
                f"{conditional_escape(field.help_text)}</p>"
            )
        html.append(f"\n      {field}\n      ")
        if field.name == "party" and not errors and chosen_party:
            html.append(
                f'<p class="field__chosen">Claims of <a href="'
                f'{escape(chosen_party.get_absolute_url())}">{escape(chosen_party.name)}</a> and '
                "the parties under it.</p>"
            )
        html.append("\n      ")
        html.extend(
            f'<p class="field__error" id="{auto_id}_error">{conditional_escape(error)}</p>'
            for error in errors
        )
        html.append("\n    </div>\n    ")
    return mark_safe("".join(html))


def said_badges(said: Iterable[tuple[int, str, str]]) -> SafeString:
    """Badges from (party id, party name, stance) triples, as `badges` writes the positions
    claims.models.positions_of makes of them (one for each party and stance, in stance order,
    then by name), without making a position of each: a list of twenty claims has hundreds."""
    names: dict[tuple[int, str], str] = {}
    for party, name, stance in said:
        names.setdefault((party, stance), name)
    ranked = sorted(names.items(), key=lambda item: position_order(item[0][1], item[1], item[0][0]))
    return mark_safe("".join(badge_of(stance, name) for (_, stance), name in ranked))


@lru_cache(maxsize=16384)
def badge_of(stance: str, name: str) -> str:
    """One party's badge, written once for each stance and name (a few thousand in all): a list
    page writes some four hundred."""
    before, after = badge_around(stance)
    return f"{before}{escape(name)}{after}"


def claim_row(row: dict) -> SafeString:
    """A claim's row in lists, from the plain values publishing.fragments.claim_rows gives it:
    its words linked to its page, its topic, how many statements it has, what a search found in
    it, and the parties' positions as badges (markup already). Written here rather than in a
    template, as a statement row is: a list of twenty claims spent 2.6 ms rendering them
    through Django's template engine and keeping them in the cache."""
    count = row["statements"]
    html = [
        f'<li class="claim-row">\n<h3 class="claim-row__text"><a href="{escape(row["url"])}">'
        f"{escape(row['text'])}</a></h3>\n"
        f'<p class="claim-row__meta">\n<a href="{escape(row["topic_url"])}">'
        f"{escape(row['topic'])}</a>\n· {count} statement{'' if count == 1 else 's'}\n</p>\n"
    ]
    if row["matched"]:
        found = "; ".join(escape(where) for where in row["matched"])
        html.append(f'<p class="claim-row__matched">Found in {found}.</p>\n')
    if row["badges"]:
        html.append(
            f'<ul class="badges" aria-label="Positions of the parties">\n{row["badges"]}\n</ul>\n'
        )
    html.append("</li>")
    return mark_safe("".join(html))


def first_words(text: str, count: int) -> str:
    """The text's first `count` words, and " …" if it has more: as Django's Truncator writes
    them, at a seventh of its cost, for each item of a claim page's timeline."""
    words = text.split()
    return " ".join(words[:count]) + (" …" if len(words) > count else "")


@register.simple_tag
def timeline(items: list[tuple[str, dict]]) -> SafeString:
    """The claim page's timeline: for each stance (its value, and what its row shows, as
    publishing.claim_page gives it), a list item with the day, the party, its stance and the
    start of its words, linked to its row. Written here rather than in the template, as the
    badges are: a claim page built afresh spent a third of its template's time on it."""
    html = []
    for value, row in items:
        said = (
            time_element(row["said_on"], "short")
            if row["said_on"]
            else '<span class="timeline__undated">Date not given</span>'
        )
        words = first_words(row["text"], 14)
        html.append(
            f'<li class="timeline__item timeline__item--{escape(value)}">\n{said}\n'
            f'<span><a href="{escape(row["party_url"])}">{escape(row["party"])}</a>\n'
            f'<span class="timeline__stance"><span aria-hidden="true">{stance_icon(value)}</span> '
            f"{escape(stance_label(value).lower())}</span>:\n"
            f'<a href="#{escape(row["id"])}">“{escape(words)}”</a></span>\n</li>\n'
        )
    return mark_safe("".join(html))


def statement_row(row: dict) -> SafeString:
    """A statement's row on its claim's page, from the plain values publishing.claim_page gives
    it: who said it and how the article named them, the words (quoted or paraphrased), the
    capture they are from when the article no longer has them, the curators' note, and where
    and when it was said. Written here rather than in a template, as the badges and timeline
    are: Django's template engine took 130 µs a row, five times this, more than looking the
    row up in the cache costs, and a claim page shows dozens."""
    anchor = escape(row["id"])
    text = escape(row["text"])
    if row["direct_quote"]:
        cite = f' cite="{escape(row["cite"])}"' if row["cite"] else ""
        words = f"<blockquote{cite}><p>{text}</p></blockquote>"
    else:
        label = '<span class="paraphrase__label">Paraphrase</span>'
        words = f'<p class="paraphrase">{label} {text}</p>'
    html = [
        f'<article class="statement" id="{anchor}">\n<p class="statement__speaker">\n'
        f'<a href="{escape(row["party_url"])}">{escape(row["party"])}</a>\n'
        '<span class="statement__named">named in the article as '
        f"“{escape(row['speaker_label'])}”</span>\n</p>\n{words}\n"
    ]
    if row["captured_url"]:
        captured = timezone.localtime(row["captured_at"])
        html.append(
            '<p class="notice notice--record">These words are from the article as captured on '
            f'<time datetime="{captured.isoformat(timespec="seconds")}">{day_written(captured)}'
            "</time>; the current text no longer has them. "
            f'<a href="{escape(row["captured_url"])}#{anchor}">See them in the text as captured'
            "</a>.</p>\n"
        )
    if row["note"]:
        html.append(
            '<p class="statement__note"><span class="statement__note-label">Curators’ note:'
            f"</span> {escape(row['note'])}</p>\n"
        )
    said = f"Said on {time_element(row['said_on'])}" if row["said_on"] else "Date not given"
    html.append(
        f'<p class="statement__source">\n{said}\n· reported in '
        f'<a href="{escape(row["article_url"])}#{anchor}">{escape(row["title"])}</a>\n'
        f"({article_meta(row['line'])})</p>\n</article>\n"
    )
    return mark_safe("".join(html))


register.filter("positions_summary", positions_summary)


ONE_SIDE = {
    "supports": "Every statement recorded here supports this claim: no party has been recorded "
    "refuting or disputing it.",
    "denies": "Every statement recorded here refutes or disputes this claim: no party has been "
    "recorded asserting it.",
}


@register.simple_tag(takes_context=True)
def claim_head(context) -> SafeString:
    """What a claim page adds to its head (ClaimDetailView's context): its canonical address,
    its Open Graph description, its feed and its schema.org JSON-LD. Written here, as its body
    is, rather than through the template engine's dozen lookups and filters."""
    claim, canonical = context["claim"], escape(context["canonical_url"])
    summary = escape(positions_summary(context["positions"]))
    return mark_safe(
        f'\n<link rel="canonical" href="{canonical}">\n'
        '<meta property="og:type" content="article">\n'
        '<meta property="og:site_name" content="Claimtrack">\n'
        f'<meta property="og:title" content="{escape(truncated(claim.text, 95))}">\n'
        f'<meta property="og:description" content="{summary}">\n'
        f'<meta property="og:url" content="{canonical}">\n'
        '<link rel="alternate" type="application/atom+xml" title="Statements on this claim" '
        f'href="{escape(context["feed_url"])}">\n'
        f'<script type="application/ld+json">{json_ld(context["structured_data"])}</script>\n'
    )


@register.simple_tag(takes_context=True)
def claim_article(context) -> SafeString:
    """A claim page's body (ClaimDetailView's context): the preview notice, the breadcrumb, the
    claim with its facts, badges and assessment, its statements grouped by stance, its timeline
    and its corrections. Written here rather than in the template, as its rows, badges and
    timeline are: Django's template engine took a third of a claim page built afresh to write
    some sixty values under twenty conditions."""
    claim, site = context["claim"], context["site"]
    topic, feed_url = claim.topic, escape(context["feed_url"])
    html = ["\n"]
    if context["preview"]:
        change = escape(reverse("admin:claims_claim_change", args=[claim.pk]))
        html.append(
            '\n<aside class="notice" aria-label="Preview">\n  <p><strong>A preview for curators.'
            "</strong> Readers cannot see this claim while it is "
            f"{escape(claim.get_status_display().lower())}: this page is shown only to signed-in "
            "curators and editors, and never kept in a cache. "
            f'<a href="{change}">Back to the claim in the admin</a></p>\n</aside>\n'
        )
    topic_link = f'<a href="{escape(topic.get_absolute_url())}">{escape(topic.name)}</a>'
    parent = topic.parent
    html.append(
        '\n<nav class="breadcrumb" aria-label="Breadcrumb">\n  <ol>\n'
        f'    <li><a href="{escape(site["topics"])}">Topics</a></li>\n    '
        + (
            f'<li><a href="{escape(parent.get_absolute_url())}">{escape(parent.name)}</a></li>'
            if parent
            else ""
        )
        + f"\n    <li>{topic_link}</li>\n  </ol>\n</nav>\n"
        '<article class="claim">\n  <header class="claim__header">\n'
        f'    <p class="eyebrow">Claim</p>\n    <h1>{escape(claim.text)}</h1>\n'
        f'    <dl class="facts">\n      <div><dt>Topic</dt><dd>{topic_link}</dd></div>\n      '
    )
    if places := context["places"]:
        html.append(f"\n      <div><dt>Place{'s' if len(places) != 1 else ''}</dt><dd>")
        html.append("; ".join(place_named(place) for place in places))
        html.append("</dd></div>\n      ")
    html.append("\n      ")
    if claim.event_date:
        html.append(
            f"<div><dt>Date of the alleged event</dt><dd>{time_element(claim.event_date)}</dd>"
            "</div>"
        )
    if claim.published_at:
        published = time_element(timezone.template_localtime(claim.published_at))
        corrected = ", corrected since" if context["corrections"] else ""
        published = f"{published}{corrected}"
    else:
        published = "Not yet"
    html.append(
        f"\n      <div><dt>Published on Claimtrack</dt><dd>{published}</dd></div>\n    </dl>\n"
        f'    <p class="follow"><a href="{feed_url}">Follow this claim</a> (Atom feed of new '
        "statements)</p>\n    "
    )
    if positions := context["positions"]:
        html.append(
            '\n    <h2 class="visually-hidden">At a glance</h2>\n'
            '    <ul class="badges badges--large" aria-label="Positions of the parties">\n'
            f"      {badges(positions)}\n    </ul>\n    "
        )
    html.append("\n    ")
    if side := claim.one_side_on_record:
        html.append(
            '\n    <p class="notice notice--one-sided"><strong>One side on record.</strong> '
            f"{ONE_SIDE[side]} That may mean none did, or that it has not been curated yet.</p>"
            "\n    "
        )
    html.append("\n  </header>\n\n  ")
    if claim.assessment:
        verdict = (
            '<p class="assessment__verdict">Verdict: '
            f"<strong>{escape(claim.assessment_verdict)}</strong></p>"
            if claim.assessment_verdict
            else ""
        )
        html.append(
            '\n  <aside class="assessment" aria-labelledby="assessment-heading">\n'
            '    <h2 id="assessment-heading">Curators’ assessment</h2>\n'
            f"    {verdict}\n    {linebreaks(claim.assessment, autoescape=True)}\n"
            '    <p class="assessment__label">This is the curators’ own reading of the evidence, '
            "not a statement by any party.</p>\n  </aside>\n  "
        )
    html.append(
        '\n\n  <section aria-labelledby="who-said-what">\n'
        '    <h2 id="who-said-what">Who said what</h2>\n    <div class="stance-groups">\n    '
    )
    for value, count, rows in context["stance_groups"]:
        html.append(
            f'\n    <section class="stance-group stance-group--{value}" '
            f'aria-labelledby="group-{value}">\n      <h3 id="group-{value}">'
            f'<span class="stance-group__icon" aria-hidden="true">{stance_icon(value)}</span> '
            f'{escape(value.label)} <span class="count">{count} '
            f"statement{'s' if count != 1 else ''}</span></h3>\n      {rows}\n    </section>\n    "
        )
    if not context["stance_groups"]:
        html.append("\n    <p>No statement on this claim has been recorded yet.</p>\n    ")
    html.append("\n    </div>\n  </section>\n\n  ")
    if items := context["timeline"]:
        html.append(
            '\n  <section aria-labelledby="timeline-heading">\n'
            '    <h2 id="timeline-heading">Timeline</h2>\n    <ol class="timeline">\n'
            f"      {timeline(items)}\n    </ol>\n  </section>\n  "
        )
    html.append("\n\n  ")
    if corrections := context["corrections"]:
        listed = "".join(
            f"<li>{time_element(correction.published_on)}: {escape(correction.text)}</li>"
            for correction in corrections
        )
        html.append(
            '\n  <section class="corrections" aria-labelledby="corrections-heading">\n'
            '    <h2 id="corrections-heading">Corrections</h2>\n'
            f"    <ul>\n      {listed}\n    </ul>\n  </section>\n  "
        )
    html.append("\n</article>\n")
    return mark_safe("".join(html))


def place_named(place) -> str:
    """A place on its claim's page, with the other names it goes by and who uses them."""
    named = escape(place.name)
    names = place.alternative_names.all()
    if not names:
        return named
    also = "; ".join(
        escape(name.name) + (f", used by {escape(name.used_by)}" if name.used_by else "")
        for name in names
    )
    return f"{named} (also {also})"


@register.filter
def json_ld(data: object) -> SafeString:
    """JSON for a <script type="application/ld+json">: no text inside can close the element."""
    # orjson writes what json.dumps(data, ensure_ascii=False, separators=(",", ":")) writes, in a
    # ninth of the time (tests/test_text_filters.py), but refuses what is not valid UTF-8 (a lone
    # surrogate) and integers past 64 bits, which the standard library writes.
    try:
        text = orjson.dumps(data).decode()
    except orjson.JSONEncodeError:
        text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    for character, escaped in SCRIPT_ESCAPES:
        text = text.replace(character, escaped)
    return mark_safe(text)
