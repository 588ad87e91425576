"""Staff administration (issue 15 item 9): system administrators deactivate and reactivate
staff, reset a password or an authenticator and revoke API tokens, each audited; everyone
else is refused. New accounts and resets get a one-time enrolment link that expires and is
voided by a newer one; the staff member sets their own password and binds the authenticator
on it."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from winddown.accounts import services
from winddown.accounts.audit_actions import AccountsAction
from winddown.accounts.errors import AccountsErrorCode as E
from winddown.accounts.models import ApiToken, EnrolmentLink, User
from winddown.accounts.roles import Role
from winddown.api.tests.conftest import ApiClient
from winddown.audit.actions import PlatformAction
from winddown.audit.models import AuditEntry
from winddown.audit.services import Actor
from winddown.conftest import STAFF_PASSWORD, make_staff, staff_signed_in
from winddown.core.errors import DomainError

pytestmark = pytest.mark.django_db
ACTOR = Actor(None, "tests", "10.0.0.9")
NEW_PASSWORD = "Qiuyue-Lantern-4719"
ACTIONS = ["deactivate", "reactivate", "password_reset", "totp_reset", "tokens_revoke"]
SERVICES = {
    "deactivate": services.staff_deactivate,
    "reactivate": services.staff_reactivate,
    "password_reset": services.staff_password_reset,
    "totp_reset": services.staff_totp_reset,
    "tokens_revoke": services.api_tokens_revoke,
}
AUDITED = {
    "deactivate": AccountsAction.STAFF_DEACTIVATED,
    "reactivate": AccountsAction.STAFF_REACTIVATED,
    "password_reset": AccountsAction.STAFF_PASSWORD_RESET,
    "totp_reset": AccountsAction.STAFF_TOTP_RESET,
    "tokens_revoke": AccountsAction.API_TOKENS_REVOKED,
}


def refused(call) -> E:
    with pytest.raises(DomainError) as info:
        call()
    return info.value.error_code


def _code_of(device: TOTPDevice, *, later: int = 0) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = totp.time + later * device.step
    return f"{totp.token():06d}"


def _fast_forward_throttle(device: TOTPDevice) -> None:
    """As if the second django-otp makes one wait after a wrong code had passed."""
    TOTPDevice.objects.filter(pk=device.pk).update(
        throttling_failure_timestamp=timezone.now() - timedelta(minutes=10)
    )


def _pending_device(user: User) -> TOTPDevice:
    return TOTPDevice.objects.get(user=user, confirmed=False)


def _complete(token: str, code: str, password: str = NEW_PASSWORD):
    return services.enrolment_complete(
        token=token, password=password, password_again=password, code=code, actor=ACTOR
    )


def _target_for(action: str, wg_officer: User) -> User:
    if action == "reactivate":
        User.objects.filter(pk=wg_officer.pk).update(is_active=False)
        wg_officer.refresh_from_db()
    return wg_officer


# --- Services: audited, sysadmins only ---------------------------------------------------------


@pytest.mark.parametrize("action", ACTIONS)
def test_each_action_is_audited_with_the_administrator_as_actor(action, sysadmin, wg_officer):
    account = _target_for(action, wg_officer)
    admin = Actor(sysadmin.pk, sysadmin.audit_label, "10.0.0.1")
    SERVICES[action](account=account, user=sysadmin, actor=admin)
    entry = AuditEntry.objects.get(action=AUDITED[action])
    assert entry.actor_id == sysadmin.pk and entry.object_id == str(wg_officer.pk)
    if action in ("password_reset", "totp_reset"):
        issued = AuditEntry.objects.get(action=AccountsAction.ENROLMENT_LINK_ISSUED)
        assert issued.after["purpose"] == action and issued.actor_id == sysadmin.pk


@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize("role", [Role.OPERATOR, Role.WG_OFFICER, Role.ASSOCIATION_OFFICER])
def test_anyone_but_a_system_administrator_is_refused(action, role, wg_officer, institution_a):
    someone = make_staff(f"someone_{role}", role, institution_a if role == Role.OPERATOR else None)
    account = _target_for(action, wg_officer)
    before = AuditEntry.objects.count()
    assert refused(lambda: SERVICES[action](account=account, user=someone, actor=ACTOR)) is (
        E.ADMIN_ONLY
    )
    assert AuditEntry.objects.count() == before
    assert refused(
        lambda: services.staff_create(
            user=someone, actor=ACTOR, username="x_new", role=Role.WG_OFFICER
        )
    ) is (E.ADMIN_ONLY)
    assert not User.objects.filter(username="x_new").exists()


def test_an_administrator_never_locks_the_last_administrator_out(sysadmin, wg_officer):
    assert refused(
        lambda: services.staff_deactivate(account=sysadmin, user=sysadmin, actor=ACTOR)
    ) is (E.SELF_DEACTIVATION)
    for reset in (services.staff_password_reset, services.staff_totp_reset):
        with pytest.raises(DomainError) as info:
            reset(account=sysadmin, user=sysadmin, actor=ACTOR)
        assert info.value.error_code is E.LAST_ADMIN and "唯一启用的系统管理员" in (
            info.value.message
        )
    assert sysadmin.check_password(STAFF_PASSWORD)
    assert TOTPDevice.objects.filter(user=sysadmin, confirmed=True).exists()
    # With a second administrator, one may reset one's own password, and deactivate the other.
    second = make_staff("admin2", Role.SYSADMIN)
    services.staff_password_reset(account=sysadmin, user=sysadmin, actor=ACTOR)
    services.staff_deactivate(account=second, user=sysadmin, actor=ACTOR)
    # ... but an administrator deactivated is no administrator.
    assert refused(
        lambda: services.staff_deactivate(account=wg_officer, user=second, actor=ACTOR)
    ) is (E.ADMIN_ONLY)


def test_repeating_an_action_that_is_already_done_is_refused(sysadmin, wg_officer):
    services.staff_deactivate(account=wg_officer, user=sysadmin, actor=ACTOR)
    assert refused(
        lambda: services.staff_deactivate(account=wg_officer, user=sysadmin, actor=ACTOR)
    ) is (E.ALREADY_INACTIVE)
    assert refused(
        lambda: services.staff_password_reset(account=wg_officer, user=sysadmin, actor=ACTOR)
    ) is (E.ACCOUNT_INACTIVE)
    services.staff_reactivate(account=wg_officer, user=sysadmin, actor=ACTOR)
    assert refused(
        lambda: services.staff_reactivate(account=wg_officer, user=sysadmin, actor=ACTOR)
    ) is (E.ALREADY_ACTIVE)


# --- Deactivation: no sign-in, no token, no open session ----------------------------------------


def test_a_deactivated_user_cannot_sign_in_use_a_token_or_an_open_session(sysadmin, wg_officer):
    browser = staff_signed_in(wg_officer)
    assert browser.get("/staff/").status_code == 200
    assert browser.get("/api/institutions").status_code == 200  # the API by session
    api = ApiClient(services.api_token_issue(user=wg_officer, actor=ACTOR)[0])
    assert api.get("/api/institutions").status_code == 200

    services.staff_deactivate(account=wg_officer, user=sysadmin, actor=ACTOR)

    assert browser.get("/staff/").status_code == 302  # the open session has ended
    assert browser.get("/api/institutions").status_code == 401
    assert api.get("/api/institutions").status_code == 401
    assert not ApiToken.objects.filter(user=wg_officer, revoked_at=None).exists()
    entry = AuditEntry.objects.get(action=AccountsAction.STAFF_DEACTIVATED)
    assert entry.after == {"is_active": False, "tokens_revoked": 1}
    page = Client().post("/staff/login/", {"username": "wg_officer", "password": STAFF_PASSWORD})
    assert "用户名或密码错误" in page.content.decode()
    refused_api = ApiClient().post(
        "/api/auth/staff/token",
        {"username": "wg_officer", "password": STAFF_PASSWORD, "otp": "123456"},
    )
    assert refused_api.status_code == 401

    # Reactivated, the staff member signs in again with the same password and authenticator.
    services.staff_reactivate(account=wg_officer, user=sysadmin, actor=ACTOR)
    again = Client().post("/staff/login/", {"username": "wg_officer", "password": STAFF_PASSWORD})
    assert again.status_code == 302 and "/staff/login/otp/" in again["Location"]


def test_revoking_tokens_revokes_all_of_the_users_tokens_only(sysadmin, wg_officer, operator_a):
    mine = [services.api_token_issue(user=wg_officer, actor=ACTOR)[0] for _ in range(3)]
    other, _ = services.api_token_issue(user=operator_a, actor=ACTOR)
    assert services.api_tokens_revoke(account=wg_officer, user=sysadmin, actor=ACTOR) == 3
    assert all(services.api_token_user(key) is None for key in mine)
    assert services.api_token_user(other) == operator_a
    entry = AuditEntry.objects.get(action=AccountsAction.API_TOKENS_REVOKED)
    assert entry.after == {"revoked": 3}


# --- Resets and the one-time link ---------------------------------------------------------------


def test_a_password_reset_ends_the_password_and_sessions_and_keeps_the_authenticator(
    sysadmin, wg_officer
):
    browser = staff_signed_in(wg_officer)
    issued = services.staff_password_reset(account=wg_officer, user=sysadmin, actor=ACTOR)
    assert browser.get("/staff/").status_code == 302
    assert refused(
        lambda: services.staff_password_check(
            username="wg_officer", password=STAFF_PASSWORD, actor=ACTOR
        )
    ) is (E.BAD_CREDENTIALS)
    # The link asks for a code of the authenticator the staff member already has.
    device = TOTPDevice.objects.get(user=wg_officer, confirmed=True)
    assert services.enrolment_device(issued_link(issued), fresh=True) is None
    # (the next step's code: the current one was just used to sign in, and is not replayed)
    user, used = _complete(issued.token, _code_of(device, later=1))
    assert used == device and user.check_password(NEW_PASSWORD)
    assert TOTPDevice.objects.filter(user=wg_officer).count() == 1


def issued_link(issued) -> EnrolmentLink:
    return EnrolmentLink.objects.get(token_hash=EnrolmentLink.hash_token(issued.token))


def test_an_authenticator_reset_deletes_it_and_the_link_binds_a_new_one(sysadmin, wg_officer):
    old = TOTPDevice.objects.get(user=wg_officer, confirmed=True)
    old_code = _code_of(old)
    browser = staff_signed_in(wg_officer)
    issued = services.staff_totp_reset(account=wg_officer, user=sysadmin, actor=ACTOR)
    assert browser.get("/staff/").status_code == 302
    assert not TOTPDevice.objects.filter(user=wg_officer).exists()
    device = services.enrolment_device(issued_link(issued), fresh=True)
    assert device is not None and not device.confirmed
    assert refused(lambda: _complete(issued.token, old_code)) is E.TOTP_INVALID
    assert refused(lambda: _complete(issued.token, _code_of(device))) is E.TOTP_THROTTLED
    _fast_forward_throttle(device)
    _complete(issued.token, _code_of(device))
    assert TOTPDevice.objects.get(user=wg_officer, confirmed=True).pk == device.pk


def test_the_link_works_once(sysadmin):
    issued = services.staff_create(user=sysadmin, actor=ACTOR, username="new_wg", role="wg_officer")
    device = services.enrolment_device(issued_link(issued), fresh=True)
    user, _ = _complete(issued.token, _code_of(device))
    assert user.check_password(NEW_PASSWORD)
    assert AuditEntry.objects.filter(
        action=AccountsAction.ENROLMENT_COMPLETED, actor_id=user.pk
    ).exists()
    assert refused(lambda: services.enrolment_link_by_token(issued.token)) is (
        E.ENROLMENT_LINK_INVALID
    )
    assert refused(lambda: _complete(issued.token, _code_of(device, later=1))) is (
        E.ENROLMENT_LINK_INVALID
    )


def test_the_link_expires_after_the_configured_hours(sysadmin, monkeypatch, settings):
    settings.ENROLMENT_LINK_HOURS = 72
    now = timezone.now()
    monkeypatch.setattr("django.utils.timezone.now", lambda: now)
    issued = services.staff_create(user=sysadmin, actor=ACTOR, username="new_wg", role="wg_officer")
    assert issued.expires_at == now + timedelta(hours=72)
    device = services.enrolment_device(issued_link(issued), fresh=True)
    now += timedelta(hours=71, minutes=59)
    services.enrolment_link_by_token(issued.token)
    now += timedelta(minutes=1)
    assert refused(lambda: services.enrolment_link_by_token(issued.token)) is (
        E.ENROLMENT_LINK_INVALID
    )
    assert refused(lambda: _complete(issued.token, _code_of(device))) is E.ENROLMENT_LINK_INVALID
    assert not User.objects.get(username="new_wg").has_usable_password()


def test_a_newer_link_voids_the_older_one(sysadmin):
    first = services.staff_create(user=sysadmin, actor=ACTOR, username="new_wg", role="wg_officer")
    account = first.account
    second = services.staff_totp_reset(account=account, user=sysadmin, actor=ACTOR)
    assert refused(lambda: services.enrolment_link_by_token(first.token)) is (
        E.ENROLMENT_LINK_INVALID
    )
    device = services.enrolment_device(issued_link(second), fresh=True)
    assert refused(lambda: _complete(first.token, _code_of(device))) is E.ENROLMENT_LINK_INVALID
    _complete(second.token, _code_of(device))


def test_a_deactivated_accounts_link_does_not_work(sysadmin):
    issued = services.staff_create(user=sysadmin, actor=ACTOR, username="new_wg", role="wg_officer")
    services.staff_deactivate(account=issued.account, user=sysadmin, actor=ACTOR)
    assert refused(lambda: services.enrolment_link_by_token(issued.token)) is (
        E.ENROLMENT_LINK_INVALID
    )


def test_the_link_sets_a_password_only_through_djangos_validators(sysadmin):
    issued = services.staff_create(user=sysadmin, actor=ACTOR, username="new_wg", role="wg_officer")
    device = services.enrolment_device(issued_link(issued), fresh=True)
    with pytest.raises(DomainError) as weak:
        _complete(issued.token, _code_of(device), password="12345")
    assert weak.value.error_code is E.PASSWORD_WEAK and weak.value.field == "password"
    assert refused(
        lambda: services.enrolment_complete(
            token=issued.token,
            password=NEW_PASSWORD,
            password_again=NEW_PASSWORD + "x",
            code=_code_of(device),
            actor=ACTOR,
        )
    ) is (E.PASSWORDS_DIFFER)
    assert refused(lambda: _complete(issued.token, "000000")) in (E.TOTP_INVALID, E.TOTP_THROTTLED)
    # Nothing was bound and the link still works.
    assert not TOTPDevice.objects.filter(user=issued.account, confirmed=True).exists()
    services.enrolment_link_by_token(issued.token)


def test_only_a_hash_of_the_link_is_stored(sysadmin):
    issued = services.staff_create(user=sysadmin, actor=ACTOR, username="new_wg", role="wg_officer")
    stored = list(EnrolmentLink.objects.values_list("token_hash", flat=True))
    assert issued.token not in stored and stored == [EnrolmentLink.hash_token(issued.token)]
    texts = [str(e.before) + str(e.after) for e in AuditEntry.objects.all()]
    assert not any(issued.token in text for text in texts)


# --- Pages ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("action", ACTIONS)
def test_the_pages_refuse_anyone_but_a_system_administrator_with_403(
    action, wg_officer, association_officer
):
    target = _target_for(action, wg_officer)
    browser = staff_signed_in(association_officer)
    url = f"/staff/users/{target.pk}/{action}/"
    assert browser.get(url).status_code == 403
    assert browser.post(url).status_code == 403
    assert AuditEntry.objects.filter(action=PlatformAction.ACCESS_DENIED).count() == 2
    assert not AuditEntry.objects.filter(action=AUDITED[action]).exists()
    assert browser.post("/staff/users/", {"username": "x", "role": "wg_officer"}).status_code == (
        403
    )


@pytest.mark.parametrize("action", ACTIONS)
def test_each_action_is_confirmed_then_done_from_the_users_page(action, sysadmin, wg_officer):
    target = _target_for(action, wg_officer)
    admin = staff_signed_in(sysadmin)
    listing = admin.get("/staff/users/").content.decode()
    url = f"/staff/users/{target.pk}/{action}/"
    assert url in listing
    confirm = admin.get(url)
    assert confirm.status_code == 200 and "确定要对该账户执行" in confirm.content.decode()
    assert not AuditEntry.objects.filter(action=AUDITED[action]).exists()
    done = admin.post(url)
    page = done.content.decode()
    assert done.status_code == 200 and done["Cache-Control"] == "no-store"
    assert AuditEntry.objects.filter(action=AUDITED[action], actor_id=sysadmin.pk).count() == 1
    assert ("一次性绑定链接" in page) == (action in ("password_reset", "totp_reset"))


def test_the_page_shows_a_refusal_instead_of_a_button(sysadmin):
    admin = staff_signed_in(sysadmin)
    page = admin.get(f"/staff/users/{sysadmin.pk}/deactivate/").content.decode()
    assert "不能停用自己的账户" in page and "确认停用账户" not in page
    assert admin.post(f"/staff/users/{sysadmin.pk}/deactivate/").status_code == 409
    assert admin.get("/staff/users/999999/deactivate/").status_code == 404
    assert admin.get(f"/staff/users/{sysadmin.pk}/explode/").status_code == 404


def test_created_account_enrols_on_its_link_page_once(sysadmin, institution_a):
    admin = staff_signed_in(sysadmin)
    created = admin.post(
        "/staff/users/",
        {"username": "op_new", "role": "operator", "institution": str(institution_a.pk)},
    ).content.decode()
    link = re.search(r'id="link-url">(http://testserver(/staff/enrol/[^<]+/))<', created)
    assert link, created
    path = link.group(2)
    # The administrator sees it once: the users page does not show it again.
    assert path not in admin.get("/staff/users/").content.decode()

    newcomer = Client()
    page = newcomer.get(path)
    assert page.status_code == 200 and "<svg" in page.content.decode()
    account = User.objects.get(username="op_new")
    device = _pending_device(account)
    wrong = newcomer.post(
        path, {"password": NEW_PASSWORD, "password_again": NEW_PASSWORD, "otp": "000000"}
    )
    assert "动态口令不正确" in wrong.content.decode()
    assert _pending_device(account).pk == device.pk  # the same secret after a mistake
    _fast_forward_throttle(device)
    done = newcomer.post(
        path, {"password": NEW_PASSWORD, "password_again": NEW_PASSWORD, "otp": _code_of(device)}
    )
    assert done.status_code == 302 and done["Location"] == "/staff/"
    assert newcomer.get("/staff/").status_code == 200  # signed in with both factors
    again = Client().get(path)
    assert again.status_code == 404 and "请向系统管理员索取新的绑定链接" in again.content.decode()
    assert Client().get("/staff/enrol/not-a-token/").status_code == 404


# --- From the server's shell ----------------------------------------------------------------


def test_the_first_administrator_enrols_through_a_link_printed_by_the_server(db, capsys):
    from django.core.management import call_command
    from django.core.management.base import CommandError

    call_command(
        "staff_enrolment_link", "root_admin", "--create-admin", "--base-url", "https://w.example/"
    )
    url = capsys.readouterr().out.strip()
    assert url.startswith("https://w.example/staff/enrol/")
    account = User.objects.get(username="root_admin")
    assert account.role == Role.SYSADMIN and not account.has_usable_password()
    token = url.rstrip("/").rsplit("/", 1)[1]
    device = services.enrolment_device(services.enrolment_link_by_token(token), fresh=True)
    _complete(token, _code_of(device))
    entry = AuditEntry.objects.get(action=AccountsAction.ENROLMENT_LINK_ISSUED)
    assert entry.actor_label == "manage.py staff_enrolment_link"
    with pytest.raises(CommandError, match="找不到该工作人员账户"):
        call_command("staff_enrolment_link", "nobody")


def test_sessions_in_the_cache_end_too(sysadmin, wg_officer, settings):
    """Production keeps sessions in Redis: ending them does not depend on finding them."""
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cache"
    browser = staff_signed_in(wg_officer)
    assert browser.get("/staff/").status_code == 200
    services.staff_totp_reset(account=wg_officer, user=sysadmin, actor=ACTOR)
    assert browser.get("/staff/").status_code == 302
