"""Staff accounts, the two sign-in factors, API tokens and the lender account behind every
lender's profile: what succeeds, what is refused with which message, and what is audited."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from winddown.accounts import selectors, services, throttle
from winddown.accounts.audit_actions import AccountsAction
from winddown.accounts.errors import AccountsErrorCode as E
from winddown.accounts.models import ApiToken, EnrolmentLink, User
from winddown.accounts.roles import Role
from winddown.audit.models import AuditEntry
from winddown.audit.services import Actor
from winddown.conftest import STAFF_PASSWORD, current_totp, make_lender, make_staff
from winddown.core.errors import DomainError
from winddown.identity.models import Lender
from winddown.institutions.models import Membership

pytestmark = pytest.mark.django_db
ADMIN = Actor(None, "tests", "10.0.0.9")


def code_of(error: DomainError) -> E:
    return error.error_code


def refused(call) -> E:
    with pytest.raises(DomainError) as info:
        call()
    return code_of(info.value)


# --- Creating staff accounts ---------------------------------------------------------------


def test_an_operator_is_created_with_the_institution_and_an_enrolment_link(institution_a, sysadmin):
    issued = services.staff_create(
        user=sysadmin,
        actor=ADMIN,
        username="  op_new ",
        role=Role.OPERATOR,
        display_name="新经办人",
        institution=institution_a,
    )
    user = issued.account
    assert user.username == "op_new" and not user.has_usable_password()
    assert Membership.objects.get(user=user).institution == institution_a
    created = AuditEntry.objects.get(action=AccountsAction.STAFF_CREATED)
    assert created.after == {"username": "op_new", "role": "operator"}
    link = EnrolmentLink.objects.get(user=user)
    assert link.token_hash == EnrolmentLink.hash_token(issued.token) != issued.token
    assert link.created_by == sysadmin and link.purpose == "created"
    assert AuditEntry.objects.filter(action=AccountsAction.ENROLMENT_LINK_ISSUED).count() == 1


def test_bad_staff_accounts_are_refused_with_the_field_named(institution_a, sysadmin):
    def create(**overrides):
        values = {
            "user": sysadmin,
            "actor": ADMIN,
            "username": "someone",
            "role": Role.WG_OFFICER,
        }
        return services.staff_create(**{**values, **overrides})

    assert refused(lambda: create(role=Role.LENDER)) is E.INVALID_ROLE
    assert refused(lambda: create(role=Role.OPERATOR)) is E.INSTITUTION_REQUIRED
    assert refused(lambda: create(username="  ")) is E.USERNAME_REQUIRED
    create()
    assert refused(lambda: create()) is E.USERNAME_TAKEN
    assert User.objects.filter(username="someone").count() == 1


# --- Password, then TOTP ---------------------------------------------------------------------


def _check(password: str, device: str | None = None):
    return lambda: services.staff_password_check(
        username="wg_officer", password=password, actor=ADMIN, device=device
    )


def test_wrong_passwords_slow_further_tries_down_but_never_lock_the_account(
    wg_officer, monkeypatch
):
    """Strangers' guesses delay the next try by 1, 2, 4 … seconds (at most five minutes);
    once the delay has passed, the right password signs in: nobody is locked out."""
    now = timezone.now()
    monkeypatch.setattr("django.utils.timezone.now", lambda: now)
    for _ in range(throttle.FREE_FAILURES):
        assert refused(_check("wrong")) is E.BAD_CREDENTIALS
    failures = AuditEntry.objects.filter(action=AccountsAction.STAFF_LOGIN_FAILED)
    assert failures.count() == throttle.FREE_FAILURES
    assert {(f.object_type, f.object_id) for f in failures} == {("username", "wg_officer")}
    assert refused(_check("wrong")) is E.BAD_CREDENTIALS  # the fifth: a delay starts
    with pytest.raises(DomainError) as caught:
        _check(STAFF_PASSWORD)()
    assert caught.value.error_code is E.LOGIN_THROTTLED and "1 秒后再试" in caught.value.message
    assert failures.all().count() == throttle.FREE_FAILURES + 1  # a refused try writes no row
    # Each failure doubles the wait; it never exceeds five minutes.
    for failures_so_far in range(throttle.FREE_FAILURES + 1, 40):
        now += timedelta(seconds=throttle.delay_seconds(failures_so_far))
        assert refused(_check("wrong")) is E.BAD_CREDENTIALS
    assert throttle.delay_seconds(39) == throttle.MAX_DELAY_SECONDS == 300
    now += timedelta(seconds=throttle.MAX_DELAY_SECONDS)
    assert _check(STAFF_PASSWORD)() == wg_officer


def test_a_known_browser_signs_in_while_strangers_are_slowed_down(wg_officer, monkeypatch):
    now = timezone.now()
    monkeypatch.setattr("django.utils.timezone.now", lambda: now)
    for _ in range(12):
        now += timedelta(seconds=throttle.MAX_DELAY_SECONDS)
        refused(_check("wrong"))
    assert refused(_check(STAFF_PASSWORD)) is E.LOGIN_THROTTLED
    assert _check(STAFF_PASSWORD, device="my-browser")() == wg_officer
    # The device has its own count: its own mistakes slow it down, not the strangers'.
    for _ in range(throttle.FREE_FAILURES + 1):
        assert refused(_check("wrong", device="my-browser")) is E.BAD_CREDENTIALS
    assert refused(_check(STAFF_PASSWORD, device="my-browser")) is E.LOGIN_THROTTLED
    assert _check(STAFF_PASSWORD, device="other-browser")() == wg_officer


@given(failures=st.integers(0, 10_000))
def test_the_delay_grows_with_the_failures_and_is_capped(failures):
    assert throttle.delay_seconds(failures) <= throttle.delay_seconds(failures + 1)
    assert 0 <= throttle.delay_seconds(failures) <= throttle.MAX_DELAY_SECONDS
    assert (throttle.delay_seconds(failures) == 0) == (failures <= throttle.FREE_FAILURES)


def test_a_lender_account_never_passes_the_staff_password_step(db):
    lender = make_lender("13800138000")
    lender.user.set_password("Long-enough-passw0rd")
    lender.user.save()
    assert (
        refused(
            lambda: services.staff_password_check(
                username=lender.user.username, password="Long-enough-passw0rd", actor=ADMIN
            )
        )
        is E.BAD_CREDENTIALS
    )


def test_the_second_factor_is_the_current_code_of_a_confirmed_device(wg_officer):
    assert refused(lambda: services.totp_verify(user=wg_officer, code="12 34", actor=ADMIN)) is (
        E.TOTP_INVALID
    )
    services.totp_verify(user=wg_officer, code=current_totp(wg_officer), actor=ADMIN)
    assert AuditEntry.objects.filter(
        action=AccountsAction.STAFF_LOGIN, actor_id=wg_officer.pk
    ).exists()
    fresh = User.objects.create_user("no_device", "Long-enough-passw0rd", role=Role.WG_OFFICER)
    assert refused(lambda: services.totp_verify(user=fresh, code="123456", actor=ADMIN)) is (
        E.TOTP_NOT_ENROLLED
    )


# --- API tokens ------------------------------------------------------------------------------


def test_a_token_finds_its_user_until_it_expires_or_is_revoked(wg_officer):
    key, token = services.api_token_issue(user=wg_officer, actor=ADMIN)
    assert key.startswith("wd_") and token.key_hash == ApiToken.hash_key(key)
    assert key not in ApiToken.objects.values_list("key_hash", flat=True)  # only its hash
    assert services.api_token_user(key) == wg_officer
    assert ApiToken.objects.get(pk=token.pk).last_used_at is not None
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert services.api_token_user(key) is None
    other, _ = services.api_token_issue(user=wg_officer, actor=ADMIN)
    services.api_token_revoke(other)
    assert services.api_token_user(other) is None
    assert services.api_token_user("wd_not-a-token") is None


def test_a_deactivated_users_token_no_longer_works(wg_officer):
    key, _ = services.api_token_issue(user=wg_officer, actor=ADMIN)
    User.objects.filter(pk=wg_officer.pk).update(is_active=False)
    assert services.api_token_user(key) is None


def test_a_lenders_token_brings_the_lender_profile_in_the_same_statement(
    db, django_assert_num_queries
):
    lender = make_lender("13800138000", name="王小金", id_number="110101198001010053")
    key, _ = services.api_token_issue(user=lender.user, actor=ADMIN)
    services.api_token_user(key)  # the first use also stamps last_used_at
    with django_assert_num_queries(1):
        user = services.api_token_user(key)
        assert user.lender.pk == lender.pk and user.lender.id_index == lender.id_index
    staff = make_staff("plain_staff", Role.WG_OFFICER)
    staff_key, _ = services.api_token_issue(user=staff, actor=ADMIN)
    found = services.api_token_user(staff_key)
    assert found == staff and not Lender.objects.filter(user=found).exists()


def test_a_lender_account_is_opaque_and_a_lender(db):
    user = services.lender_account_create()
    assert user.role == Role.LENDER and user.username.startswith("lender-")
    assert not user.has_usable_password() and not user.is_staff_member


# --- Selectors -------------------------------------------------------------------------------


def test_the_recorded_uploader_is_a_named_or_the_first_active_administrator(sysadmin):
    assert selectors.active_staff_member() == sysadmin
    assert selectors.active_staff_member("admin") == sysadmin
    assert selectors.active_staff_member("nobody") is None
    User.objects.filter(pk=sysadmin.pk).update(is_active=False)
    assert selectors.active_staff_member() is None
    assert "admin" not in [u.username for u in selectors.staff_users().filter(is_active=True)]
