"""Staff pages that maintain the register of institutions (namespace "institutions"). An
institution's own page composes several domains and lives in winddown/web."""

from django.urls import path

from winddown.institutions.views import staff

app_name = "institutions"

urlpatterns = [
    path("staff/institutions/new/", staff.institution_create, name="staff-institution-new"),
    path(
        "staff/institutions/<int:institution_id>/edit/",
        staff.institution_edit,
        name="staff-institution-edit",
    ),
]
