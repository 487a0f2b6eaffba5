"""The page a refused request gets: in the admin, an admin page saying what each role may do."""

from django.contrib import admin
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views import defaults


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    if not request.path.startswith(reverse("admin:index")):
        return defaults.permission_denied(request, exception)
    context = {
        **admin.site.each_context(request),
        "title": "Not allowed",
        "subtitle": None,
        "reason": str(exception),
        "roles": [group.name for group in request.user.groups.all()],
    }
    return render(request, "admin/403.html", context, status=403)
