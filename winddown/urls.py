"""The site: each domain app mounts its own pages under its namespace, the API under /api/,
the shell (winddown/web) the pages that compose several domains."""

from django.urls import include, path

from winddown.api.routers import api
from winddown.web.admin_site import admin_site

urlpatterns = [
    path("admin/", admin_site.urls),
    path("api/", api.urls),
    path("", include("winddown.web.urls")),
    path("", include("winddown.accounts.urls")),
    path("", include("winddown.identity.urls")),
    path("", include("winddown.institutions.urls")),
    path("", include("winddown.claims.urls")),
    path("", include("winddown.reporting.urls")),
    path("", include("winddown.voting.urls")),
    path("", include("winddown.ledger.urls")),
    path("", include("winddown.cases.urls")),
    path("", include("winddown.audit.urls")),
]

handler400 = "winddown.web.views.public.bad_request"
handler403 = "winddown.web.views.public.forbidden"
handler404 = "winddown.web.views.public.not_found"
handler500 = "winddown.web.views.public.server_error"
