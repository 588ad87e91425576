"""Staff accounts, sign-in with password + TOTP, and API tokens."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import timedelta
from functools import cache

from django.contrib.auth import authenticate
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from winddown.accounts.audit_actions import AccountsAction
from winddown.accounts.errors import AccountsErrorCode as E
from winddown.accounts.models import ApiToken, User
from winddown.accounts.roles import STAFF_ROLES, Role
from winddown.accounts.throttle import WINDOW, seconds_to_wait
from winddown.audit.selectors import recent_failures
from winddown.audit.services import Actor, record
from winddown.core.errors import DomainError
from winddown.core.rawsql import ModelRows, fetchone

API_TOKEN_LIFETIME = timedelta(hours=12)


def _failure_subject(username: str, device: str | None) -> tuple[str, str]:
    """Whose failures a try is judged by: its own device's (a browser that signed in as
    this user before, accounts/devices.py), or the username's (everyone else's)."""
    return ("staff_device", device) if device else ("username", username[:64])


def staff_password_check(
    *, username: str, password: str, actor: Actor, device: str | None = None
) -> User:
    """First factor. Failures slow further tries down (accounts/throttle.py) and never lock
    the account: `device`, the id of a known browser of this user, is judged by its own
    failures, so strangers' guesses do not keep the staff member out."""
    object_type, object_id = _failure_subject(username, device)
    now = timezone.now()
    failures, last = recent_failures(
        action=AccountsAction.STAFF_LOGIN_FAILED,
        object_type=object_type,
        object_id=object_id,
        since=now - WINDOW,
    )
    wait = seconds_to_wait(failures, last, now)
    if wait:
        raise DomainError(E.LOGIN_THROTTLED, seconds=wait)
    user = authenticate(username=username, password=password)
    if user is None or user.role not in STAFF_ROLES:
        record(
            actor=actor,
            action=AccountsAction.STAFF_LOGIN_FAILED,
            object_type=object_type,
            object_id=object_id,
            after={"username": username[:64]} if device else None,
        )
        raise DomainError(E.BAD_CREDENTIALS)
    return user


def confirmed_totp_device(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def totp_verify(*, user: User, code: str, actor: Actor) -> TOTPDevice:
    """Second factor: the current TOTP code of the user's confirmed device."""
    device = confirmed_totp_device(user)
    if device is None:
        raise DomainError(E.TOTP_NOT_ENROLLED)
    allowed, details = device.verify_is_allowed()
    if not allowed:
        # django-otp doubles the wait after each failure (1, 2, 4 ... seconds).
        wait = (details["locked_until"] - timezone.now()).total_seconds()
        raise DomainError(E.TOTP_THROTTLED, field="otp", seconds=max(1, int(wait) + 1))
    code = "".join((code or "").split())
    if not (code.isdigit() and len(code) == 6) or not device.verify_token(code):
        record(
            actor=actor,
            action=AccountsAction.STAFF_LOGIN_FAILED,
            object_type="username",
            object_id=user.username[:64],
            after={"factor": "totp"},
        )
        raise DomainError(E.TOTP_INVALID, field="otp")
    record(
        actor=Actor(user.pk, user.audit_label, actor.source_ip),
        action=AccountsAction.STAFF_LOGIN,
        obj=user,
    )
    return device


def totp_enrollment_start(user: User) -> TOTPDevice:
    """An unconfirmed device whose secret the user scans; replaced on each new start."""
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    return TOTPDevice.objects.create(user=user, name="身份验证器", confirmed=False)


@transaction.atomic
def totp_enrollment_confirm(*, user: User, code: str, actor: Actor) -> TOTPDevice:
    device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=False).first()
    code = "".join((code or "").split())
    if device is None or not code.isdigit() or not device.verify_token(code):
        raise DomainError(E.TOTP_INVALID, field="otp")
    TOTPDevice.objects.filter(user=user, confirmed=True).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    record(actor=actor, action=AccountsAction.STAFF_TOTP_ENROLLED, obj=user)
    record(
        actor=Actor(user.pk, user.audit_label, actor.source_ip),
        action=AccountsAction.STAFF_LOGIN,
        obj=user,
    )
    return device


@transaction.atomic
def staff_create(
    *,
    actor: Actor,
    username: str,
    password: str,
    role: str,
    display_name: str = "",
    institution=None,
) -> User:
    username = username.strip()
    if role not in STAFF_ROLES:
        raise DomainError(E.INVALID_ROLE, field="role")
    if User.objects.filter(username=username).exists():
        raise DomainError(E.USERNAME_TAKEN, field="username", username=username)
    if role == Role.OPERATOR and institution is None:
        raise DomainError(E.INSTITUTION_REQUIRED, field="institution")
    candidate = User(username=username, role=role, display_name=display_name)
    try:
        validate_password(password, candidate)
    except ValidationError as exc:
        raise DomainError(
            E.PASSWORD_WEAK, field="password", detail="；".join(exc.messages)
        ) from None
    user = User.objects.create_user(username, password, role=role, display_name=display_name)
    record(
        actor=actor,
        action=AccountsAction.STAFF_CREATED,
        obj=user,
        after={"username": username, "role": role},
    )
    if institution is not None:
        from winddown.institutions.services import membership_set

        membership_set(actor=actor, user=user, institution=institution)
    return user


def lender_account_create() -> User:
    """A new lender account: the username is opaque; the lender's phone and identity live
    in `identity.Lender`, which the caller creates with it."""
    return User.objects.create_user(f"lender-{uuid.uuid4().hex[:20]}", role=Role.LENDER)


# --- API tokens -----------------------------------------------------------------------------


def api_token_issue(*, user: User, actor: Actor) -> tuple[str, ApiToken]:
    key = ApiToken.new_key()
    token = ApiToken.objects.create(
        user=user, key_hash=ApiToken.hash_key(key), expires_at=timezone.now() + API_TOKEN_LIFETIME
    )
    record(actor=actor, action=AccountsAction.API_TOKEN_ISSUED, obj=user)
    return key, token


# Every API call, each ballot included, starts here: one fixed statement reads the token, its
# user and the user's profile (the ORM would spend more building the query than running it).
# The profile is another app's model (a lender's `identity.Lender`), registered from that
# app's AppConfig: accounts never names it.
@dataclass(frozen=True)
class _Profile:
    role: str
    rows: ModelRows
    accessor: str  # the reverse one-to-one name on User, e.g. "lender"
    table: str


_PROFILES: list[_Profile] = []
_USER = ModelRows(User, alias="u")
_TOKEN = ModelRows(ApiToken, ["id", "last_used_at"], alias="t")


def register_profile(role: str, model) -> None:
    """A model with a one-to-one `user` field holding the profile of users of `role`,
    loaded with the user on every API call."""
    field = model._meta.get_field("user")
    _PROFILES[:] = [p for p in _PROFILES if p.role != role]
    _PROFILES.append(
        _Profile(
            role=role,
            rows=ModelRows(model, alias=f"p{len(_PROFILES)}"),
            accessor=field.remote_field.get_accessor_name(),
            table=model._meta.db_table,
        )
    )
    _user_by_key_hash.cache_clear()


@cache
def _user_by_key_hash() -> str:
    columns = [_USER.columns, _TOKEN.columns, *(p.rows.columns for p in _PROFILES)]
    joins = "".join(
        f" LEFT JOIN {p.table} {p.rows.alias} ON {p.rows.alias}.user_id = u.id" for p in _PROFILES
    )
    return (
        f"SELECT {', '.join(columns)}"  # noqa: S608 (names from model metadata)
        " FROM accounts_user u JOIN accounts_apitoken t ON t.user_id = u.id"
        f"{joins} WHERE t.key_hash = %s AND t.revoked_at IS NULL AND t.expires_at > %s"
    )


def api_token_user(key: str) -> User | None:
    """The active user a valid (issued, unexpired, unrevoked) token belongs to, with the
    registered profile of the user's role loaded."""
    now = timezone.now()
    params = [ApiToken.hash_key(key), connection.ops.adapt_datetimefield_value(now)]
    row = fetchone(_user_by_key_hash(), params)
    if row is None:
        return None
    user = _USER.instance(row)
    if not user.is_active:
        return None
    token = _TOKEN.instance(row, len(_USER))
    if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=5):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    start = len(_USER) + len(_TOKEN)
    for profile in _PROFILES:
        if user.role == profile.role and row[start] is not None:
            # cached on the user, as the ORM's join would
            setattr(user, profile.accessor, profile.rows.instance(row, start))
        start += len(profile.rows)
    return user


def api_token_revoke(key: str) -> None:
    ApiToken.objects.filter(key_hash=ApiToken.hash_key(key)).update(revoked_at=timezone.now())
