"""Staff accounts, sign-in with password + TOTP, and API tokens."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import timedelta
from functools import cache

from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from winddown.accounts.audit_actions import AccountsAction
from winddown.accounts.errors import AccountsErrorCode as E
from winddown.accounts.models import ApiToken, EnrolmentLink, EnrolmentPurpose, User
from winddown.accounts.policies import staff_admin_refusal
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


def _pending_device(user: User) -> TOTPDevice:
    """A new unconfirmed device whose secret the enrolment page shows; replaces the last."""
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    return TOTPDevice.objects.create(user=user, name="身份验证器", confirmed=False)


# --- Staff accounts and their one-time enrolment links (issue 15 item 9) ---------------------


@dataclass(frozen=True)
class EnrolmentIssued:
    """What the administrator is shown once: the account and the link's token (the link is
    `/staff/enrol/<token>/`), never stored in clear."""

    account: User
    token: str
    expires_at: object


def _refuse(user: User, account: User | None, action: str) -> None:
    """Judged on the acting user as stored now (one deactivated a moment ago is refused)."""
    acting = User.objects.filter(pk=user.pk).first() or user
    refusal = staff_admin_refusal(acting, account, action)
    if refusal is not None:
        raise refusal


def _locked_account(account: User) -> User:
    return User.objects.select_for_update().get(pk=account.pk)


def _allowed_account(user: User, account: User, action: str) -> User:
    """`account` as stored now, locked, once `user` may do `action` to it."""
    account = _locked_account(account)
    _refuse(user, account, action)
    return account


def _end_sessions(account: User) -> None:
    """Every open session of `account` ends: its session hash no longer matches."""
    account.session_version += 1
    account.save(update_fields=["session_version"])


def _enrolment_link_issue(
    *, account: User, purpose: str, user: User | None, actor: Actor
) -> EnrolmentIssued:
    now = timezone.now()
    EnrolmentLink.objects.filter(user=account, used_at=None, voided_at=None).update(voided_at=now)
    token = EnrolmentLink.new_token()
    link = EnrolmentLink.objects.create(
        user=account,
        token_hash=EnrolmentLink.hash_token(token),
        purpose=purpose,
        created_by=user,
        created_at=now,
        expires_at=now + timedelta(hours=settings.ENROLMENT_LINK_HOURS),
    )
    record(
        actor=actor,
        action=AccountsAction.ENROLMENT_LINK_ISSUED,
        obj=account,
        after={"purpose": purpose, "expires_at": link.expires_at.isoformat()},
    )
    return EnrolmentIssued(account=account, token=token, expires_at=link.expires_at)


@transaction.atomic
def staff_create(
    *,
    user: User,
    actor: Actor,
    username: str,
    role: str,
    display_name: str = "",
    institution=None,
) -> EnrolmentIssued:
    """A staff account without a usable password: its owner sets one and binds an
    authenticator on the one-time link returned (whoever learns an initial password can no
    longer bind the authenticator first)."""
    _refuse(user, None, "create")
    username = username.strip()
    if role not in STAFF_ROLES:
        raise DomainError(E.INVALID_ROLE, field="role")
    if not username:
        raise DomainError(E.USERNAME_REQUIRED, field="username")
    if User.objects.filter(username=username).exists():
        raise DomainError(E.USERNAME_TAKEN, field="username", username=username)
    if role == Role.OPERATOR and institution is None:
        raise DomainError(E.INSTITUTION_REQUIRED, field="institution")
    account = User.objects.create_user(username, None, role=role, display_name=display_name)
    record(
        actor=actor,
        action=AccountsAction.STAFF_CREATED,
        obj=account,
        after={"username": username, "role": role},
    )
    if institution is not None:
        from winddown.institutions.services import membership_set

        membership_set(actor=actor, user=account, institution=institution)
    return _enrolment_link_issue(
        account=account, purpose=EnrolmentPurpose.CREATED, user=user, actor=actor
    )


def _revoke_tokens(account: User) -> int:
    return ApiToken.objects.filter(user=account, revoked_at=None).update(revoked_at=timezone.now())


@transaction.atomic
def staff_deactivate(*, account: User, user: User, actor: Actor) -> User:
    """The account can no longer sign in: its API tokens are revoked, its open sessions end
    and its outstanding enrolment links are voided."""
    account = _allowed_account(user, account, "deactivate")
    account.is_active = False
    account.save(update_fields=["is_active"])
    _end_sessions(account)
    tokens = _revoke_tokens(account)
    EnrolmentLink.objects.filter(user=account, used_at=None, voided_at=None).update(
        voided_at=timezone.now()
    )
    record(
        actor=actor,
        action=AccountsAction.STAFF_DEACTIVATED,
        obj=account,
        before={"is_active": True},
        after={"is_active": False, "tokens_revoked": tokens},
    )
    return account


@transaction.atomic
def staff_reactivate(*, account: User, user: User, actor: Actor) -> User:
    account = _allowed_account(user, account, "reactivate")
    account.is_active = True
    account.save(update_fields=["is_active"])
    record(
        actor=actor,
        action=AccountsAction.STAFF_REACTIVATED,
        obj=account,
        before={"is_active": False},
        after={"is_active": True},
    )
    return account


@transaction.atomic
def staff_password_reset(*, account: User, user: User, actor: Actor) -> EnrolmentIssued:
    """The password stops working at once (sessions end); the owner sets a new one on the
    link returned, proving the authenticator they already have."""
    account = _allowed_account(user, account, "password_reset")
    account.set_unusable_password()
    account.save(update_fields=["password"])
    _end_sessions(account)
    record(actor=actor, action=AccountsAction.STAFF_PASSWORD_RESET, obj=account)
    return _enrolment_link_issue(
        account=account, purpose=EnrolmentPurpose.PASSWORD_RESET, user=user, actor=actor
    )


@transaction.atomic
def staff_totp_reset(*, account: User, user: User, actor: Actor) -> EnrolmentIssued:
    """The authenticator is forgotten (sessions end); the owner binds a new one, and sets a
    new password, on the link returned."""
    account = _allowed_account(user, account, "totp_reset")
    devices, _ = TOTPDevice.objects.filter(user=account).delete()
    _end_sessions(account)
    record(
        actor=actor, action=AccountsAction.STAFF_TOTP_RESET, obj=account, after={"devices": devices}
    )
    return _enrolment_link_issue(
        account=account, purpose=EnrolmentPurpose.TOTP_RESET, user=user, actor=actor
    )


@transaction.atomic
def api_tokens_revoke(*, account: User, user: User, actor: Actor) -> int:
    """Every unrevoked API token of `account` stops working; how many were revoked."""
    account = _allowed_account(user, account, "tokens_revoke")
    revoked = _revoke_tokens(account)
    record(
        actor=actor,
        action=AccountsAction.API_TOKENS_REVOKED,
        obj=account,
        after={"revoked": revoked},
    )
    return revoked


@transaction.atomic
def staff_enrolment_link_from_server(
    *, username: str, actor: Actor, create_admin: bool = False
) -> EnrolmentIssued:
    """A one-time link issued from the server's shell (`manage.py staff_enrolment_link`),
    whose operator needs no sign-in: the first system administrator of a deployment
    (`create_admin`), or any active staff account when no administrator can sign in to
    issue one. Voids older links; audited under the command's actor."""
    username = username.strip()
    account = User.objects.select_for_update().filter(username=username).first()
    if account is None and create_admin:
        if not username:
            raise DomainError(E.USERNAME_REQUIRED, field="username")
        account = User.objects.create_user(username, None, role=Role.SYSADMIN)
        record(
            actor=actor,
            action=AccountsAction.STAFF_CREATED,
            obj=account,
            after={"username": username, "role": Role.SYSADMIN},
        )
    if account is None or account.role not in STAFF_ROLES:
        raise DomainError(E.NOT_STAFF_ACCOUNT)
    if not account.is_active:
        raise DomainError(E.ACCOUNT_INACTIVE, username=username, action="签发绑定链接")
    purpose = EnrolmentPurpose.CREATED
    if TOTPDevice.objects.filter(user=account, confirmed=True).exists():
        purpose = EnrolmentPurpose.PASSWORD_RESET
    return _enrolment_link_issue(account=account, purpose=purpose, user=None, actor=actor)


def enrolment_link_by_token(token: str) -> EnrolmentLink:
    """The usable link `token` names (unused, not voided, unexpired, of an active staff
    account), else ENROLMENT_LINK_INVALID."""
    link = (
        EnrolmentLink.objects.select_related("user")
        .filter(token_hash=EnrolmentLink.hash_token(token or ""))
        .first()
    )
    if (
        link is None
        or not link.usable_at(timezone.now())
        or not link.user.is_active
        or link.user.role not in STAFF_ROLES
    ):
        raise DomainError(E.ENROLMENT_LINK_INVALID)
    return link


def enrolment_device(link: EnrolmentLink, *, fresh: bool) -> TOTPDevice | None:
    """The device the link's page shows a QR code for: None when the account keeps its
    confirmed authenticator (a password reset), else its pending device (a new one when
    `fresh`, as on each visit)."""
    if confirmed_totp_device(link.user) is not None:
        return None
    device = TOTPDevice.objects.filter(user=link.user, confirmed=False).first()
    if device is None or fresh:
        device = _pending_device(link.user)
    return device


def enrolment_complete(
    *, token: str, password: str, password_again: str, code: str, actor: Actor
) -> tuple[User, TOTPDevice]:
    """The link's owner sets their password (Django's validators) and confirms a code of
    the authenticator: a new one bound from the page's QR code, or, after a password reset,
    the one they have. The link then works no more. (The code is checked outside the
    writing transaction so that a wrong code counts towards django-otp's throttle.)"""
    link = enrolment_link_by_token(token)
    account = link.user
    if password != password_again:
        raise DomainError(E.PASSWORDS_DIFFER, field="password_again")
    try:
        validate_password(password, account)
    except ValidationError as exc:
        raise DomainError(
            E.PASSWORD_WEAK, field="password", detail="；".join(exc.messages)
        ) from None
    code = "".join((code or "").split())
    device = confirmed_totp_device(account)
    binding = device is None
    if binding:
        device = TOTPDevice.objects.filter(user=account, confirmed=False).first()
        if device is None:
            raise DomainError(E.TOTP_INVALID, field="otp")
    allowed, details = device.verify_is_allowed()
    if not allowed:
        wait = (details["locked_until"] - timezone.now()).total_seconds()
        raise DomainError(E.TOTP_THROTTLED, field="otp", seconds=max(1, int(wait) + 1))
    if not (code.isdigit() and len(code) == 6) or not device.verify_token(code):
        raise DomainError(E.TOTP_INVALID, field="otp")
    with transaction.atomic():
        return _enrolment_finish(link, device, password, binding, actor)


def _enrolment_finish(link, device, password: str, binding: bool, actor: Actor):
    link = EnrolmentLink.objects.select_for_update().get(pk=link.pk)
    account = _locked_account(link.user)
    if not link.usable_at(timezone.now()) or not account.is_active:
        raise DomainError(E.ENROLMENT_LINK_INVALID)
    if binding:
        TOTPDevice.objects.filter(user=account, confirmed=True).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
    account.set_password(password)
    account.save(update_fields=["password"])
    link.used_at = timezone.now()
    link.save(update_fields=["used_at"])
    owner = Actor(account.pk, account.audit_label, actor.source_ip)
    record(
        actor=owner,
        action=AccountsAction.ENROLMENT_COMPLETED,
        obj=account,
        after={"purpose": link.purpose, "authenticator_bound": binding},
    )
    if binding:
        record(actor=owner, action=AccountsAction.STAFF_TOTP_ENROLLED, obj=account)
    record(actor=owner, action=AccountsAction.STAFF_LOGIN, obj=account)
    return account, device


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
