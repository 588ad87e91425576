"""Lender pages of identity (namespace "identity")."""

from django.urls import path

from winddown.identity.views import lender

app_name = "identity"

urlpatterns = [
    path("agreement/", lender.agreement, name="agreement"),
    path("m/login/", lender.login_page, name="lender-login"),
    path("m/login/code/", lender.send_code, name="lender-send-code"),
    path("m/logout/", lender.logout_view, name="lender-logout"),
    path("m/identity/", lender.identity, name="lender-identity"),
    path("m/liveness/", lender.liveness, name="lender-liveness"),
    path("m/liveness/return/", lender.liveness_return, name="lender-liveness-return"),
    path("m/dev/liveness/<str:token>/", lender.dev_liveness, name="dev-liveness"),
    path("m/password/set/", lender.password_set, name="lender-password-set"),
    path("m/password/", lender.password_menu, name="lender-password"),
    path("m/password/change/", lender.password_change, name="lender-password-change"),
    path("m/password/forgot/", lender.password_forgot, name="lender-password-forgot"),
]
