"""Pages of voting events: lenders (mobile), the public results, the staff console
(namespace "voting")."""

from django.urls import path

from winddown.voting.views import (
    lender,
    public,
    staff_drafting,
    staff_events,
    staff_exports,
    staff_signups,
)

app_name = "voting"

urlpatterns = [
    # Lender pages (mobile); the events list is the lender home page /m/ (lender.home).
    path("m/events/<int:event_id>/", lender.event_detail, name="lender-event"),
    path(
        "m/events/<int:event_id>/attachments/<int:attachment_id>/",
        lender.attachment_view,
        name="lender-event-attachment",
    ),
    path(
        "m/events/<int:event_id>/attachments/<int:attachment_id>/file/",
        lender.attachment_file,
        name="lender-event-attachment-file",
    ),
    path(
        "m/events/<int:event_id>/attachments/<int:attachment_id>/pages/<int:page>/",
        lender.attachment_page,
        name="lender-event-attachment-page",
    ),
    path("m/events/<int:event_id>/vote/", lender.event_vote, name="lender-event-vote"),
    path(
        "m/events/<int:event_id>/ballots/<str:receipt>/",
        lender.ballot_receipt,
        name="lender-ballot",
    ),
    path("m/events/<int:event_id>/signup/", lender.signup_create, name="lender-signup"),
    path(
        "m/events/<int:event_id>/signup/withdraw/",
        lender.signup_withdraw,
        name="lender-signup-withdraw",
    ),
    path("m/notices/", lender.notice_list, name="lender-notices"),
    # Public results (no sign-in)
    path("events/", public.public_list, name="public-events"),
    path("events/<int:event_id>/result/", public.public_result, name="public-result"),
    path("events/<int:event_id>/bundle.zip", public.public_bundle, name="public-bundle"),
    path("events/<int:event_id>/receipt/", public.public_receipt, name="public-receipt"),
    # Staff console
    path("staff/events/", staff_events.event_list, name="staff-events"),
    path(
        "staff/institutions/<int:institution_id>/events/",
        staff_events.institution_events,
        name="staff-institution-events",
    ),
    path(
        "staff/institutions/<int:institution_id>/events/new/",
        staff_drafting.event_create,
        name="staff-event-new",
    ),
    path("staff/events/<int:event_id>/", staff_events.event_detail, name="staff-event"),
    path("staff/events/<int:event_id>/edit/", staff_drafting.event_edit, name="staff-event-edit"),
    path(
        "staff/events/<int:event_id>/attachments/<int:attachment_id>/",
        staff_drafting.event_attachment,
        name="staff-event-attachment",
    ),
    path(
        "staff/events/<int:event_id>/attachments/<int:attachment_id>/text/",
        staff_drafting.event_attachment_text,
        name="staff-event-attachment-text",
    ),
    path(
        "staff/events/<int:event_id>/progress/",
        staff_events.event_progress,
        name="staff-event-progress",
    ),
    path(
        "staff/events/<int:event_id>/cancel/", staff_events.event_cancel, name="staff-event-cancel"
    ),
    path(
        "staff/events/<int:event_id>/signups/",
        staff_signups.signup_list,
        name="staff-event-signups",
    ),
    path(
        "staff/signups/<int:signup_id>/photo/",
        staff_signups.signup_photo,
        name="staff-signup-photo",
    ),
    path(
        "staff/signups/<int:signup_id>/resume/",
        staff_signups.signup_resume,
        name="staff-signup-resume",
    ),
    path(
        "staff/events/<int:event_id>/announcement.pdf",
        staff_exports.event_announcement,
        name="staff-event-announcement",
    ),
    path(
        "staff/events/<int:event_id>/roster.xlsx",
        staff_exports.event_roster,
        name="staff-event-roster",
    ),
]
