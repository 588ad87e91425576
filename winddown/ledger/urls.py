"""Pages of the loan ledger (namespace "ledger")."""

from django.urls import path

from winddown.ledger.views import staff

app_name = "ledger"

urlpatterns = [
    path("staff/ledger/", staff.ledger_index, name="staff-index"),
    path(
        "staff/institutions/<int:institution_id>/ledger/",
        staff.ledger_overview,
        name="staff-overview",
    ),
    path(
        "staff/institutions/<int:institution_id>/ledger/upload/",
        staff.ledger_upload,
        name="staff-upload",
    ),
    path("staff/ledger-imports/<int:import_id>/", staff.import_detail, name="staff-import"),
]
