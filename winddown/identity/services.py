"""Lender identity: SMS sign-in, real-name verification, liveness, voting password.

Each write is one transaction with its audit entry. Functions raise `DomainError` with an
`IdentityErrorCode`; where a failed attempt must be remembered (wrong code, wrong password)
the counter is committed before the error is raised.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from winddown.accounts.services import lender_account_create
from winddown.audit.services import Actor, record
from winddown.core.errors import DomainError
from winddown.core.providers import ProviderError
from winddown.core.providers.sms import sms_sender
from winddown.core.rawsql import ModelRows, fetchone, for_update
from winddown.identity import voting_password
from winddown.identity.audit_actions import IdentityAction
from winddown.identity.errors import IdentityErrorCode as E
from winddown.identity.models import Lender, SmsCode
from winddown.identity.providers import identity_verifier
from winddown.pii.idnumbers import IdNumberError, normalize_resident_id
from winddown.pii.masking import mask_id_number, mask_name, mask_phone
from winddown.pii.normalize import clean_text
from winddown.pii.phones import PhoneError, normalize_mobile

if TYPE_CHECKING:
    from winddown.accounts.models import User

SMS_CODE_TTL = timedelta(minutes=5)
SMS_RESEND_INTERVAL = timedelta(seconds=60)
SMS_DAILY_LIMIT = 10
SMS_CODE_MAX_ATTEMPTS = 5
PASSWORD_MAX_ATTEMPTS = 5
PASSWORD_LOCK = timedelta(minutes=15)

_NAME = re.compile(r"[\u4e00-\u9fffA-Za-z·][\u4e00-\u9fffA-Za-z· ]{0,28}[\u4e00-\u9fffA-Za-z·]")


def parse_phone(raw: str) -> str:
    try:
        return normalize_mobile(raw or "")
    except PhoneError as exc:
        raise DomainError(E.INVALID_PHONE, field="phone", detail=str(exc)) from None


def _code_hash(phone_idx: str, code: str) -> str:
    message = f"{phone_idx}:{code}".encode()
    return hmac.new(settings.PASSWORD_PEPPER.encode(), message, hashlib.sha256).hexdigest()


# --- Sign-in by SMS code --------------------------------------------------------------------


@dataclass(frozen=True)
class CodeSent:
    masked_phone: str
    expires_in_seconds: int
    resend_after_seconds: int


def login_code_send(*, phone_raw: str, actor: Actor) -> CodeSent:
    """Send a sign-in code, at most one a minute and ten a day per number."""
    phone = parse_phone(phone_raw)
    idx = Lender.phone.index(phone)
    now = timezone.now()
    code = f"{secrets.randbelow(10**6):06d}"
    with transaction.atomic():
        recent = SmsCode.objects.filter(
            phone_index=idx, purpose="login", created_at__gte=now - timedelta(days=1)
        )
        last = recent.order_by("-created_at").first()
        if last and now - last.created_at < SMS_RESEND_INTERVAL:
            wait = SMS_RESEND_INTERVAL - (now - last.created_at)
            raise DomainError(E.SMS_TOO_SOON, field="phone", seconds=int(wait.total_seconds()) + 1)
        over_daily_limit = recent.count() >= SMS_DAILY_LIMIT
        if not over_daily_limit:
            # Older codes stop working as soon as a new one is issued.
            recent.filter(consumed_at__isnull=True).update(consumed_at=now)
            SmsCode.objects.create(
                phone_index=idx,
                code_hash=_code_hash(idx, code),
                created_at=now,
                expires_at=now + SMS_CODE_TTL,
                source_ip=actor.source_ip,
            )
        record(
            actor=actor,
            action=IdentityAction.SMS_RATE_LIMITED
            if over_daily_limit
            else IdentityAction.SMS_CODE_SENT,
            object_type="phone",
            object_id=mask_phone(phone),
        )
    if over_daily_limit:
        raise DomainError(E.SMS_DAILY_LIMIT, field="phone")
    try:
        sms_sender().send_code(phone=phone, code=code, ttl_minutes=SMS_CODE_TTL.seconds // 60)
    except ProviderError as exc:
        # Let the lender ask again at once: the code never reached them.
        SmsCode.objects.filter(phone_index=idx, created_at=now).delete()
        raise DomainError(E.SMS_SEND_FAILED, detail=exc.message) from exc
    return CodeSent(
        masked_phone=mask_phone(phone),
        expires_in_seconds=int(SMS_CODE_TTL.total_seconds()),
        resend_after_seconds=int(SMS_RESEND_INTERVAL.total_seconds()),
    )


def lender_login(*, phone_raw: str, code_raw: str, actor: Actor) -> User:
    """Check the code (single use, five tries) and return the lender's account, creating
    it on first sign-in."""
    phone = parse_phone(phone_raw)
    idx = Lender.phone.index(phone)
    code = clean_text(code_raw or "")
    now = timezone.now()
    failure: DomainError | None = None
    with transaction.atomic():
        sms = (
            SmsCode.objects.select_for_update()
            .filter(phone_index=idx, purpose="login", consumed_at__isnull=True, expires_at__gt=now)
            .order_by("-created_at")
            .first()
        )
        if sms is None:
            failure = DomainError(E.CODE_INVALID, field="code")
        elif sms.attempts >= SMS_CODE_MAX_ATTEMPTS:
            failure = DomainError(E.CODE_TOO_MANY_ATTEMPTS, field="code")
        elif not hmac.compare_digest(sms.code_hash, _code_hash(idx, code)):
            sms.attempts += 1
            sms.save(update_fields=["attempts"])
            failure = DomainError(
                E.CODE_TOO_MANY_ATTEMPTS
                if sms.attempts >= SMS_CODE_MAX_ATTEMPTS
                else E.CODE_INVALID,
                field="code",
            )
        if failure is not None:
            record(
                actor=actor,
                action=IdentityAction.LENDER_LOGIN_FAILED,
                object_type="phone",
                object_id=mask_phone(phone),
                after={"reason": failure.error_code.code},
            )
        else:
            sms.consumed_at = now
            sms.save(update_fields=["consumed_at"])
            lender = Lender.objects.select_related("user").filter(phone_index=idx).first()
            if lender is None:
                lender = Lender(user=lender_account_create())
                lender.phone = phone
                lender.save()
            record(
                actor=Actor(lender.user_id, lender.user.audit_label, actor.source_ip),
                action=IdentityAction.LENDER_LOGIN,
                obj=lender.user,
            )
    if failure is not None:
        raise failure
    return lender.user


# --- Real-name verification (manual 一) -------------------------------------------------------


def _parse_name(raw: str) -> str:
    name = clean_text(raw or "").replace("•", "·").replace("・", "·")
    if not name:
        raise DomainError(E.NAME_REQUIRED, field="real_name")
    if not _NAME.fullmatch(name):
        raise DomainError(E.NAME_INVALID, field="real_name")
    return name


def identity_submit(
    *, lender: Lender, real_name: str, id_number_raw: str, agreed: bool, actor: Actor
) -> Lender:
    """Record name, ID number and the accepted agreement after the provider's check."""
    name = _parse_name(real_name)
    try:
        number = normalize_resident_id(id_number_raw or "")
    except IdNumberError as exc:
        raise DomainError(E.INVALID_ID_NUMBER, field="id_number", detail=str(exc)) from None
    if not agreed:
        raise DomainError(E.AGREEMENT_REQUIRED, field="agreed")
    idx = Lender.id_number.index(number)
    audit_view = {"real_name": mask_name(name), "id_number": mask_id_number(number)}
    if Lender.objects.filter(id_index=idx).exclude(pk=lender.pk).exists():
        record(actor=actor, action=IdentityAction.IDENTITY_DUPLICATE, obj=lender, after=audit_view)
        raise DomainError(E.ID_ALREADY_BOUND, field="id_number")
    try:
        check = identity_verifier().check_identity(real_name=name, id_number=number)
    except ProviderError as exc:
        raise DomainError(E.IDENTITY_UNAVAILABLE, detail=exc.message) from exc
    if not check.matched:
        record(
            actor=actor,
            action=IdentityAction.IDENTITY_REJECTED,
            obj=lender,
            after={**audit_view, "reason": check.reason},
        )
        raise DomainError(E.IDENTITY_MISMATCH, field="id_number", detail=check.reason or "请核对")
    now = timezone.now()
    try:
        with transaction.atomic():
            lender = Lender.objects.select_for_update().get(pk=lender.pk)
            lender.real_name = name
            lender.id_number = number
            lender.identity_checked_at = now
            lender.agreement_version = settings.PLATFORM_AGREEMENT_VERSION
            lender.agreement_accepted_at = now
            lender.liveness_token = ""
            lender.liveness_passed_at = None
            lender.save()
            record(
                actor=actor, action=IdentityAction.IDENTITY_SUBMITTED, obj=lender, after=audit_view
            )
            record(
                actor=actor,
                action=IdentityAction.AGREEMENT_ACCEPTED,
                obj=lender,
                after={"version": settings.PLATFORM_AGREEMENT_VERSION},
            )
    except IntegrityError:
        raise DomainError(E.ID_ALREADY_BOUND, field="id_number") from None
    return lender


def liveness_start(*, lender: Lender, return_url: str) -> str:
    """Open a liveness session with the provider; returns the URL to send the lender to."""
    if not lender.identity_checked_at:
        raise DomainError(E.IDENTITY_STEP_MISSING)
    try:
        session = identity_verifier().liveness_start(
            real_name=lender.real_name, id_number=lender.id_number.value, return_url=return_url
        )
    except ProviderError as exc:
        raise DomainError(E.LIVENESS_UNAVAILABLE, detail=exc.message) from exc
    Lender.objects.filter(pk=lender.pk).update(liveness_token=session.token)
    return session.redirect_url


def liveness_complete(*, lender: Lender, token: str, actor: Actor) -> Lender:
    if not lender.identity_checked_at:
        raise DomainError(E.IDENTITY_STEP_MISSING)
    # Bytes: compare_digest refuses str with non-ASCII characters (TypeError, a 500).
    if not token or not hmac.compare_digest(token.encode(), (lender.liveness_token or "").encode()):
        raise DomainError(E.LIVENESS_FAILED, detail="检测会话已失效，请重新开始")
    try:
        result = identity_verifier().liveness_result(token=token)
    except ProviderError as exc:
        raise DomainError(E.LIVENESS_UNAVAILABLE, detail=exc.message) from exc
    with transaction.atomic():
        if not result.passed:
            record(
                actor=actor,
                action=IdentityAction.LIVENESS_FAILED,
                obj=lender,
                after={"reason": result.reason},
            )
        else:
            lender = Lender.objects.select_for_update().get(pk=lender.pk)
            lender.liveness_passed_at = timezone.now()
            lender.save(update_fields=["liveness_passed_at"])
            record(actor=actor, action=IdentityAction.LIVENESS_PASSED, obj=lender)
    if not result.passed:
        raise DomainError(E.LIVENESS_FAILED, detail=result.reason or "请重新录制")
    return lender


# --- Voting password (manual 2.2, 3.2) ------------------------------------------------------


def _validated_new_password(password: str, confirm: str) -> str:
    password = voting_password.normalize(password)
    if not voting_password.is_six_digits(password):
        raise DomainError(E.PASSWORD_FORMAT, field="password")
    if voting_password.is_too_simple(password):
        raise DomainError(E.PASSWORD_TOO_SIMPLE, field="password")
    if password != voting_password.normalize(confirm):
        raise DomainError(E.PASSWORD_MISMATCH, field="password_confirm")
    return password


def voting_password_set(*, lender: Lender, password: str, confirm: str, actor: Actor) -> None:
    if not lender.is_verified:
        raise DomainError(E.NOT_VERIFIED)
    password = _validated_new_password(password, confirm)
    with transaction.atomic():
        lender = Lender.objects.select_for_update().get(pk=lender.pk)
        if lender.voting_password_hash:
            raise DomainError(E.PASSWORD_ALREADY_SET)
        lender.voting_password_hash = voting_password.hash_password(password)
        lender.voting_password_set_at = timezone.now()
        lender.failed_password_attempts = 0
        lender.voting_locked_until = None
        lender.save()
        record(actor=actor, action=IdentityAction.VOTING_PASSWORD_SET, obj=lender)


def voting_password_check(*, lender: Lender, password: str, actor: Actor) -> None:
    """Raise unless the password is right; five wrong tries lock voting for 15 minutes."""
    with transaction.atomic():
        failure = voting_password_failure(lender=lender, password=password, actor=actor)
    if failure is not None:
        raise failure


_PASSWORD_STATE = ModelRows(
    Lender, ["id", "voting_password_hash", "voting_locked_until", "failed_password_attempts"]
)
LENDER_LOCK_ROW = f"SELECT {_PASSWORD_STATE.columns} FROM identity_lender WHERE id = %s"  # noqa: S608


def voting_password_failure(*, lender: Lender, password: str, actor: Actor) -> DomainError | None:
    """Check the password inside the caller's transaction, holding the lender's row lock
    until it ends (so tries are counted one at a time and the caller's work happens under
    the same lock). Returns None when it is right; otherwise the error to raise once the
    transaction is committed: the wrong try must be counted, not rolled back with it."""
    password = voting_password.normalize(password)
    now = timezone.now()
    # Every ballot passes here: a hand-written statement costs a third of the ORM's.
    locked = _PASSWORD_STATE.instance(fetchone(LENDER_LOCK_ROW + for_update(), [lender.pk]))
    if not locked.voting_password_hash:
        return DomainError(E.PASSWORD_NOT_SET)
    if locked.voting_locked_until and locked.voting_locked_until > now:
        return DomainError(
            E.PASSWORD_LOCKED, field="password", until=_local_time(locked.voting_locked_until)
        )
    ok, rehashed = voting_password.verify_password(password, locked.voting_password_hash)
    if ok:
        if rehashed or locked.failed_password_attempts:
            locked.voting_password_hash = rehashed or locked.voting_password_hash
            locked.failed_password_attempts = 0
            locked.voting_locked_until = None
            locked.save(
                update_fields=[
                    "voting_password_hash",
                    "failed_password_attempts",
                    "voting_locked_until",
                ]
            )
        return None
    locked.failed_password_attempts += 1
    record(
        actor=actor,
        action=IdentityAction.VOTING_PASSWORD_FAILED,
        obj=locked,
        after={"attempts": locked.failed_password_attempts},
    )
    if locked.failed_password_attempts >= PASSWORD_MAX_ATTEMPTS:
        locked.failed_password_attempts = 0
        locked.voting_locked_until = now + PASSWORD_LOCK
        record(
            actor=actor,
            action=IdentityAction.VOTING_PASSWORD_LOCKED,
            obj=locked,
            after={"locked_until": locked.voting_locked_until.isoformat()},
        )
        failure = DomainError(
            E.PASSWORD_LOCKED, field="password", until=_local_time(locked.voting_locked_until)
        )
    else:
        failure = DomainError(
            E.PASSWORD_WRONG,
            field="password",
            remaining=PASSWORD_MAX_ATTEMPTS - locked.failed_password_attempts,
        )
    locked.save(update_fields=["failed_password_attempts", "voting_locked_until"])
    return failure


def voting_password_change(
    *, lender: Lender, old_password: str, new_password: str, confirm: str, actor: Actor
) -> None:
    new = _validated_new_password(new_password, confirm)
    voting_password_check(lender=lender, password=old_password, actor=actor)
    if voting_password.normalize(old_password) == new:
        raise DomainError(E.PASSWORD_SAME, field="password")
    with transaction.atomic():
        locked = Lender.objects.select_for_update().get(pk=lender.pk)
        locked.voting_password_hash = voting_password.hash_password(new)
        locked.voting_password_set_at = timezone.now()
        locked.save(update_fields=["voting_password_hash", "voting_password_set_at"])
        record(actor=actor, action=IdentityAction.VOTING_PASSWORD_CHANGED, obj=locked)


@transaction.atomic
def voting_password_forget(*, lender: Lender, actor: Actor) -> None:
    """Manual 3.2.2: wipe the identity verification and the password; verify again."""
    locked = Lender.objects.select_for_update().get(pk=lender.pk)
    before = {"real_name": mask_name(locked.real_name), "id_number": locked.id_number.masked}
    locked.real_name = ""
    locked.id_number = ""
    locked.identity_checked_at = None
    locked.agreement_version = ""
    locked.agreement_accepted_at = None
    locked.liveness_token = ""
    locked.liveness_passed_at = None
    locked.voting_password_hash = ""
    locked.voting_password_set_at = None
    locked.failed_password_attempts = 0
    locked.voting_locked_until = None
    locked.save()
    record(actor=actor, action=IdentityAction.VOTING_PASSWORD_FORGOTTEN, obj=locked, before=before)


def _local_time(value) -> str:
    return timezone.localtime(value).strftime("%H:%M")


def lender_lock(lender_id: int) -> Lender:
    """The lender's row, locked until the caller's transaction ends (one write per lender
    at a time, e.g. one open dispute)."""
    return Lender.objects.select_for_update().get(pk=lender_id)


# --- Key rotation ---------------------------------------------------------------------------


def sms_codes_expire_pending() -> int:
    """Codes not yet used stop working (after a key rotation: their hash covers the phone's
    blind index); lenders simply ask for a new one."""
    return SmsCode.objects.filter(consumed_at__isnull=True).update(consumed_at=timezone.now())
