"""The audit log page (namespace "audit")."""

from django.urls import path

from winddown.audit import views, views_public

app_name = "audit"

urlpatterns = [
    path("staff/audit/", views.audit_log, name="staff-audit"),
    path("audit/checkpoints/", views_public.checkpoint_list, name="public-checkpoints"),
    path(
        "audit/checkpoints/<int:checkpoint_id>.json",
        views_public.checkpoint_file,
        name="public-checkpoint-file",
    ),
]
