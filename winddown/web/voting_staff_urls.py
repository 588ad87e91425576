"""Staff console pages of voting events (included into web/urls.py, namespace "web")."""

from django.urls import path

from winddown.web.views import voting_staff as views

urlpatterns: list = [
    path("staff/events/", views.event_list, name="staff-events"),
    path(
        "staff/institutions/<int:institution_id>/events/",
        views.institution_events,
        name="staff-institution-events",
    ),
    path(
        "staff/institutions/<int:institution_id>/events/new/",
        views.event_create,
        name="staff-event-new",
    ),
    path("staff/events/<int:event_id>/", views.event_detail, name="staff-event"),
    path("staff/events/<int:event_id>/edit/", views.event_edit, name="staff-event-edit"),
    path(
        "staff/events/<int:event_id>/attachments/<int:attachment_id>/",
        views.event_attachment,
        name="staff-event-attachment",
    ),
    path(
        "staff/events/<int:event_id>/attachments/<int:attachment_id>/text/",
        views.event_attachment_text,
        name="staff-event-attachment-text",
    ),
    path(
        "staff/events/<int:event_id>/progress/", views.event_progress, name="staff-event-progress"
    ),
    path("staff/events/<int:event_id>/cancel/", views.event_cancel, name="staff-event-cancel"),
    path("staff/events/<int:event_id>/signups/", views.signup_list, name="staff-event-signups"),
    path("staff/signups/<int:signup_id>/photo/", views.signup_photo, name="staff-signup-photo"),
    path("staff/signups/<int:signup_id>/resume/", views.signup_resume, name="staff-signup-resume"),
    path(
        "staff/events/<int:event_id>/announcement.pdf",
        views.event_announcement,
        name="staff-event-announcement",
    ),
    path("staff/events/<int:event_id>/roster.xlsx", views.event_roster, name="staff-event-roster"),
]
