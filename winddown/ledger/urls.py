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

urlpatterns += [
    path(
        "staff/institutions/<int:institution_id>/ledger/loans/",
        staff.loan_list,
        name="staff-loans",
    ),
    path("staff/loans/<int:loan_id>/", staff.loan_detail, name="staff-loan"),
    path(
        "staff/institutions/<int:institution_id>/ledger/overdue/",
        staff.overdue_dashboard,
        name="staff-overdue",
    ),
    path(
        "staff/institutions/<int:institution_id>/ledger/ah05/",
        staff.ah05_page,
        name="staff-ah05",
    ),
]

urlpatterns += [
    path(
        "staff/loans/<int:loan_id>/collection/", staff.collection_add, name="staff-collection-add"
    ),
    path(
        "staff/institutions/<int:institution_id>/ledger/collection/",
        staff.collection_queue,
        name="staff-collection-queue",
    ),
    path(
        "staff/institutions/<int:institution_id>/ledger/reconciliation/",
        staff.reconciliation_page,
        name="staff-reconciliation",
    ),
]

urlpatterns += [
    path(
        "staff/institutions/<int:institution_id>/ledger/register/",
        staff.register_generate,
        name="staff-register-generate",
    ),
]
