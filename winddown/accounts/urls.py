"""Staff sign-in and the staff accounts page (namespace "accounts")."""

from django.urls import path

from winddown.accounts.views import staff

app_name = "accounts"

urlpatterns = [
    path("staff/login/", staff.login_page, name="staff-login"),
    path("staff/login/otp/", staff.login_otp, name="staff-login-otp"),
    path("staff/enrol/<str:token>/", staff.enrol_page, name="staff-enrol"),
    path("staff/logout/", staff.logout_view, name="staff-logout"),
    path("staff/users/", staff.user_list, name="staff-users"),
    path("staff/users/<int:user_id>/<str:action>/", staff.user_action, name="staff-user-action"),
]
