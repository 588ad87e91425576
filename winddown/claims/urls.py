"""Pages of claims registers, for lenders and staff (namespace "claims")."""

from django.urls import path

from winddown.claims.views import lender, staff

app_name = "claims"

urlpatterns = [
    # Lenders (mobile)
    path("m/claims/<int:institution_id>/", lender.claim_detail, name="lender-claim"),
    path(
        "m/claims/<int:institution_id>/confirm/", lender.claim_confirm, name="lender-claim-confirm"
    ),
    path(
        "m/claims/<int:institution_id>/dispute/", lender.claim_dispute, name="lender-claim-dispute"
    ),
    path("m/disputes/<int:dispute_id>/", lender.dispute_detail, name="lender-dispute"),
    path(
        "m/disputes/<int:dispute_id>/attachment/",
        lender.dispute_attachment,
        name="lender-dispute-attachment",
    ),
    # Staff console
    path(
        "staff/institutions/<int:institution_id>/upload/",
        staff.register_upload,
        name="staff-register-upload",
    ),
    path(
        "staff/institutions/<int:institution_id>/disputes/",
        staff.dispute_queue,
        name="staff-disputes",
    ),
    path("staff/imports/<int:import_id>/", staff.import_detail, name="staff-import"),
    path("staff/registers/<int:version_id>/", staff.version_detail, name="staff-version"),
    path(
        "staff/registers/<int:version_id>/activate/",
        staff.version_activate,
        name="staff-version-activate",
    ),
    path(
        "staff/registers/<int:version_id>/discard/",
        staff.version_discard,
        name="staff-version-discard",
    ),
    path("staff/registers/<int:version_id>/entries/", staff.version_entries, name="staff-entries"),
    path("staff/entries/<int:entry_id>/reveal/", staff.entry_reveal, name="staff-entry-reveal"),
    path("staff/disputes/<int:dispute_id>/", staff.dispute_detail, name="staff-dispute"),
    path(
        "staff/disputes/<int:dispute_id>/attachment/",
        staff.dispute_attachment,
        name="staff-dispute-attachment",
    ),
    path("staff/register-template.csv", staff.register_template, name="staff-register-template"),
]
