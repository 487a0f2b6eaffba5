import json
from urllib.parse import urlsplit

from django import template
from django.utils.safestring import SafeString, mark_safe

from claims.models import StanceValue

register = template.Library()

STANCE_ICONS = {
    StanceValue.SUPPORTS: "✓",
    StanceValue.REFUTES: "✗",
    StanceValue.DISPUTES: "?",
    StanceValue.NEUTRAL: "–",
    "mixed": "±",
}
# Characters that could end a <script> element or start a comment inside it, as JSON escapes.
SCRIPT_ESCAPES = str.maketrans({"<": "\\u003C", ">": "\\u003E", "&": "\\u0026"})


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
def stance_icon(value: str) -> str:
    return STANCE_ICONS.get(value, "")


@register.filter
def stance_label(value: str) -> str:
    return StanceValue(value).label if value in StanceValue.values else ""


@register.filter
def json_ld(data: object) -> SafeString:
    """JSON for a <script type="application/ld+json">: no text inside can close the element."""
    return mark_safe(json.dumps(data, ensure_ascii=False, indent=1).translate(SCRIPT_ESCAPES))
