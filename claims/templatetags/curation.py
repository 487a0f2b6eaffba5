"""The admin home's desk (claims/admin/review.py), shown by the admin's index template."""

from django import template

from claims.admin.review import desk_of

register = template.Library()


@register.inclusion_tag("admin/claims/desk.html", takes_context=True)
def desk(context: template.Context) -> dict:
    return {"queues": desk_of(context["request"].user)}
