"""The audit log page (namespace "audit")."""

from django.urls import path

from winddown.audit import views

app_name = "audit"

urlpatterns = [
    path("staff/audit/", views.audit_log, name="staff-audit"),
]
