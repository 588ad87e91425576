"""Pages of cases: reports to the association, for reporters, the association and the
reported institution (namespace "cases")."""

from django.urls import path

from winddown.cases.views import (
    committee,
    complaints,
    discipline,
    inspections,
    institution,
    lender,
    staff,
)

app_name = "cases"

urlpatterns = [
    # Reporters (mobile)
    path("m/reports/", lender.report_list, name="lender-reports"),
    path("m/reports/new/", lender.report_new, name="lender-report-new"),
    path("m/reports/<int:report_id>/", lender.report_detail, name="lender-report"),
    path("m/complaints/", complaints.lender_list, name="lender-complaints"),
    path("m/complaints/new/", complaints.lender_new, name="lender-complaint-new"),
    path("m/complaints/<int:complaint_id>/", complaints.lender_detail, name="lender-complaint"),
    path(
        "m/complaints/<int:complaint_id>/close/",
        complaints.lender_close,
        name="lender-complaint-close",
    ),
    path(
        "m/complaints/<int:complaint_id>/escalate/",
        complaints.lender_escalate,
        name="lender-complaint-escalate",
    ),
    # The association
    path("staff/cases/", staff.queue, name="staff-queue"),
    path("staff/cases/export.csv", staff.queue_export, name="staff-queue-export"),
    path("staff/cases/new/", staff.record, name="staff-record"),
    path("staff/cases/<int:report_id>/", staff.detail, name="staff-report"),
    path("staff/cases/<int:report_id>/form.pdf", staff.report_form_pdf, name="staff-report-pdf"),
    path("staff/cases/<int:report_id>/reporter/", staff.reporter_reveal, name="staff-reporter"),
    path("staff/cases/<int:report_id>/step/<str:step>/", staff.step, name="staff-step"),
    path(
        "staff/cases/<int:report_id>/evidence/<int:evidence_id>/",
        staff.evidence,
        name="staff-evidence",
    ),
    path("staff/discipline/", discipline.case_list, name="staff-disciplines"),
    path("staff/discipline/new/", discipline.case_new, name="staff-discipline-new"),
    path("staff/discipline/<int:case_id>/", discipline.case_detail, name="staff-discipline"),
    path(
        "staff/discipline/<int:case_id>/step/<str:step>/",
        discipline.case_step,
        name="staff-discipline-step",
    ),
    path(
        "staff/discipline/<int:case_id>/<str:kind>.pdf",
        discipline.case_pdf,
        name="staff-discipline-pdf",
    ),
    path("staff/discipline/<int:case_id>/vote/", committee.vote_open, name="staff-vote-open"),
    path(
        "staff/discipline/<int:case_id>/vote/<int:vote_id>/close/",
        committee.vote_close,
        name="staff-vote-close",
    ),
    path("staff/committee/", committee.my_votes, name="committee-votes"),
    path("staff/committee/<int:vote_id>/", committee.ballot, name="committee-ballot"),
    path("staff/inspections/", inspections.inspection_list, name="staff-inspections"),
    path("staff/inspections/new/", inspections.inspection_new, name="staff-inspection-new"),
    path(
        "staff/inspections/<int:inspection_id>/",
        inspections.inspection_detail,
        name="staff-inspection",
    ),
    path(
        "staff/inspections/<int:inspection_id>/step/<str:step>/",
        inspections.inspection_step,
        name="staff-inspection-step",
    ),
    path(
        "staff/inspections/<int:inspection_id>/<str:kind>.pdf",
        inspections.inspection_pdf,
        name="staff-inspection-pdf",
    ),
    path(
        "staff/inspections/<int:inspection_id>/files/<int:file_id>/",
        inspections.inspection_file,
        name="staff-inspection-file",
    ),
    path("staff/flags/<int:flag_id>/<str:action>/", inspections.flag_action, name="staff-flag"),
    path("staff/cases/seal/", discipline.seal, name="staff-seal"),
    path("sanctions/", discipline.public_sanctions, name="public-sanctions"),
    # The reported institution
    path("staff/reported/", institution.report_list, name="institution-reports"),
    path("staff/reported/export.csv", institution.report_export, name="institution-export"),
    path("staff/reported/<int:report_id>/", institution.report_detail, name="institution-report"),
    path("staff/my-discipline/", discipline.institution_list, name="institution-disciplines"),
    path(
        "staff/my-discipline/<int:case_id>/",
        discipline.institution_detail,
        name="institution-discipline",
    ),
    path(
        "staff/my-discipline/<int:case_id>/<str:kind>.pdf",
        discipline.institution_pdf,
        name="institution-discipline-pdf",
    ),
    path("staff/my-inspections/", inspections.institution_list, name="institution-inspections"),
    path(
        "staff/my-inspections/<int:inspection_id>/",
        inspections.institution_detail,
        name="institution-inspection",
    ),
    path(
        "staff/my-inspections/<int:inspection_id>/<str:kind>.pdf",
        inspections.institution_pdf,
        name="institution-inspection-pdf",
    ),
    path(
        "staff/my-inspections/<int:inspection_id>/files/<int:file_id>/",
        inspections.institution_file,
        name="institution-inspection-file",
    ),
    path("staff/complaints/", complaints.institution_list, name="institution-complaints"),
    path(
        "staff/complaints/<int:complaint_id>/",
        complaints.institution_detail,
        name="institution-complaint",
    ),
]
