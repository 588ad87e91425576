from django.urls import include, path

from winddown.api.routers import api
from winddown.web.admin_site import admin_site

urlpatterns = [
    path("admin/", admin_site.urls),
    path("api/", api.urls),
    path("", include("winddown.web.urls")),
]

handler403 = "winddown.web.views.public.forbidden"
handler404 = "winddown.web.views.public.not_found"
handler500 = "winddown.web.views.public.server_error"
