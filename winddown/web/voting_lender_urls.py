"""Lender and public pages of voting events (included into web/urls.py, namespace "web")."""

from django.urls import path

from winddown.web.views import voting_lender as views

urlpatterns: list = [
    # Lender pages (mobile); the events list is the lender home page /m/ (lender.home).
    path("m/events/<int:event_id>/", views.event_detail, name="lender-event"),
    path(
        "m/events/<int:event_id>/attachments/<int:attachment_id>/",
        views.attachment_view,
        name="lender-event-attachment",
    ),
    path(
        "m/events/<int:event_id>/attachments/<int:attachment_id>/file/",
        views.attachment_file,
        name="lender-event-attachment-file",
    ),
    path(
        "m/events/<int:event_id>/attachments/<int:attachment_id>/pages/<int:page>/",
        views.attachment_page,
        name="lender-event-attachment-page",
    ),
    path("m/events/<int:event_id>/vote/", views.event_vote, name="lender-event-vote"),
    path(
        "m/events/<int:event_id>/ballots/<str:receipt>/",
        views.ballot_receipt,
        name="lender-ballot",
    ),
    path("m/events/<int:event_id>/signup/", views.signup_create, name="lender-signup"),
    path(
        "m/events/<int:event_id>/signup/withdraw/",
        views.signup_withdraw,
        name="lender-signup-withdraw",
    ),
    path("m/notices/", views.notice_list, name="lender-notices"),
    # Public results (no sign-in)
    path("events/", views.public_list, name="public-events"),
    path("events/<int:event_id>/result/", views.public_result, name="public-result"),
    path("events/<int:event_id>/bundle.zip", views.public_bundle, name="public-bundle"),
    path("events/<int:event_id>/receipt/", views.public_receipt, name="public-receipt"),
]
