"""The shell's own pages: the public home, the health check, and the pages that compose
several domains (the lender's home and 我的, the staff dashboard, an institution's page).
Every domain app mounts its own pages (`<app>/urls.py`, see winddown/urls.py)."""

from django.urls import path

from winddown.web.views import home, public

app_name = "web"

urlpatterns = [
    path("", public.home, name="home"),
    path("healthz", public.healthz, name="healthz"),
    path("m/", home.home, name="lender-home"),
    path("m/me/", home.me, name="lender-me"),
    path("staff/", home.dashboard, name="staff-dashboard"),
    path(
        "staff/institutions/<int:institution_id>/",
        home.institution_detail,
        name="staff-institution",
    ),
]
