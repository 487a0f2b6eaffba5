from django.contrib import admin
from django.urls import include, path

from . import views

admin.site.site_header = "Claimtrack curation"
admin.site.site_title = "Claimtrack curation"
admin.site.index_title = "Who said what, against each claim"

# The 500 page, or the 503 page when the database could not be reached.
handler500 = "config.views.server_error"
handler403 = "claims.admin.errors.permission_denied"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("healthz", views.healthz, name="healthz"),
    path("ping", views.ping, name="ping"),
    path("robots.txt", views.robots_txt, name="robots"),
    path("api/v1/", include("publishing.api")),
    path("", include("publishing.urls")),
]
