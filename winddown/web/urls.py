from django.urls import path

from winddown.web import voting_lender_urls, voting_staff_urls
from winddown.web.views import lender, public, staff

app_name = "web"

urlpatterns = [
    path("", public.home, name="home"),
    path("agreement/", public.agreement, name="agreement"),
    path("healthz", public.healthz, name="healthz"),
    # Lender pages (mobile)
    path("m/login/", lender.login_page, name="lender-login"),
    path("m/login/code/", lender.send_code, name="lender-send-code"),
    path("m/logout/", lender.logout_view, name="lender-logout"),
    path("m/", lender.home, name="lender-home"),
    path("m/identity/", lender.identity, name="lender-identity"),
    path("m/liveness/", lender.liveness, name="lender-liveness"),
    path("m/liveness/return/", lender.liveness_return, name="lender-liveness-return"),
    path("m/dev/liveness/<str:token>/", lender.dev_liveness, name="dev-liveness"),
    path("m/password/set/", lender.password_set, name="lender-password-set"),
    path("m/password/", lender.password_menu, name="lender-password"),
    path("m/password/change/", lender.password_change, name="lender-password-change"),
    path("m/password/forgot/", lender.password_forgot, name="lender-password-forgot"),
    path("m/me/", lender.me, name="lender-me"),
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
    path("staff/login/", staff.login_page, name="staff-login"),
    path("staff/login/otp/", staff.login_otp, name="staff-login-otp"),
    path("staff/login/enroll/", staff.login_enroll, name="staff-login-enroll"),
    path("staff/logout/", staff.logout_view, name="staff-logout"),
    path("staff/", staff.dashboard, name="staff-dashboard"),
    path("staff/institutions/new/", staff.institution_create, name="staff-institution-new"),
    path(
        "staff/institutions/<int:institution_id>/",
        staff.institution_detail,
        name="staff-institution",
    ),
    path(
        "staff/institutions/<int:institution_id>/edit/",
        staff.institution_edit,
        name="staff-institution-edit",
    ),
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
    path("staff/audit/", staff.audit_log, name="staff-audit"),
    path("staff/users/", staff.user_list, name="staff-users"),
]

urlpatterns += voting_lender_urls.urlpatterns + voting_staff_urls.urlpatterns
