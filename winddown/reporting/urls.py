"""Pages of association reporting and disclosure (namespace "reporting")."""

from django.urls import path

from winddown.reporting.views import disclosure, staff

app_name = "reporting"

urlpatterns = [
    # Public disclosure (信息披露专栏), no sign-in
    path("disclosure/", disclosure.public_index, name="public-index"),
    path("disclosure/<int:institution_id>/", disclosure.public_column, name="public-column"),
    path(
        "disclosure/<int:institution_id>/<slug:section>/",
        disclosure.public_versions,
        name="public-versions",
    ),
    path("disclosure/v/<int:disclosure_id>/", disclosure.public_version, name="public-version"),
    path(
        "staff/reporting/institutions/<int:institution_id>/disclosure/",
        disclosure.manage,
        name="staff-disclosure",
    ),
    path(
        "staff/reporting/institutions/<int:institution_id>/disclosure/publish/",
        disclosure.publish,
        name="staff-disclosure-publish",
    ),
    path("staff/reporting/", staff.home, name="staff-home"),
    path("staff/reporting/dashboard/", staff.dashboard, name="staff-dashboard"),
    path("staff/reporting/dashboard.xlsx", staff.dashboard_export, name="staff-dashboard-export"),
    path("staff/reporting/export.xlsx", staff.period_export, name="staff-period-export"),
    path(
        "staff/reporting/templates/<str:table>.xlsx",
        staff.template_download,
        name="staff-template",
    ),
    path(
        "staff/reporting/institutions/<int:institution_id>/",
        staff.institution_filings,
        name="staff-institution",
    ),
    path(
        "staff/reporting/institutions/<int:institution_id>/new/",
        staff.filing_new,
        name="staff-filing-new",
    ),
    path("staff/reporting/filings/<int:filing_id>/", staff.filing_detail, name="staff-filing"),
    path(
        "staff/reporting/filings/<int:filing_id>/save/", staff.filing_save, name="staff-filing-save"
    ),
    path(
        "staff/reporting/filings/<int:filing_id>/upload/",
        staff.filing_upload,
        name="staff-filing-upload",
    ),
    path(
        "staff/reporting/filings/<int:filing_id>/submit/",
        staff.filing_submit,
        name="staff-filing-submit",
    ),
    path(
        "staff/reporting/filings/<int:filing_id>/delay/",
        staff.filing_delay,
        name="staff-filing-delay",
    ),
    path(
        "staff/reporting/filings/<int:filing_id>/resubmit/",
        staff.filing_resubmit,
        name="staff-filing-resubmit",
    ),
    path(
        "staff/reporting/filings/<int:filing_id>/review/",
        staff.filing_review,
        name="staff-filing-review",
    ),
    path(
        "staff/reporting/versions/<int:version_id>.xlsx",
        staff.version_download,
        name="staff-version-download",
    ),
]
