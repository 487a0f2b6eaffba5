import json

from django import template
from django.utils.safestring import SafeString, mark_safe

from claims.models import StanceValue

register = template.Library()

STANCE_ICONS = {
    StanceValue.SUPPORTS: "✓",
    StanceValue.REFUTES: "✗",
    StanceValue.DISPUTES: "?",
    StanceValue.NEUTRAL: "–",
}
# Characters that could end a <script> element or start a comment inside it, as JSON escapes.
SCRIPT_ESCAPES = str.maketrans({"<": "\\u003C", ">": "\\u003E", "&": "\\u0026"})


@register.filter
def stance_icon(value: str) -> str:
    return STANCE_ICONS.get(value, "")


@register.filter
def json_ld(data: object) -> SafeString:
    """JSON for a <script type="application/ld+json">: no text inside can close the element."""
    return mark_safe(json.dumps(data, ensure_ascii=False, indent=1).translate(SCRIPT_ESCAPES))
