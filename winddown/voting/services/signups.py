"""Representative sign-ups (manual 2.1 报名出借人代表) and their review."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from winddown.audit.actions import PlatformAction
from winddown.audit.services import Actor
from winddown.core import private_files
from winddown.core.errors import DomainError
from winddown.identity.services import voting_password_check
from winddown.pii.normalize import clean_text
from winddown.pii.phones import PhoneError, normalize_mobile
from winddown.voting import policies
from winddown.voting.audit_actions import VotingAction
from winddown.voting.errors import VotingErrorCode as E
from winddown.voting.event_audit import record_event
from winddown.voting.models import (
    EventKind,
    SignUp,
    SignUpStatus,
    VotingEvent,
)
from winddown.voting.services import lifecycle
from winddown.voting.services.authoring import candidate_add
from winddown.voting.services.casting import (
    check_open,
    place_for,
)

if TYPE_CHECKING:
    from winddown.accounts.models import User
    from winddown.identity.models import Lender


def signup_create(
    *,
    event: VotingEvent,
    lender: Lender,
    name: str,
    id_number: str,
    phone: str,
    introduction: str,
    photo,
    resume,
    password: str,
    actor: Actor,
) -> SignUp:
    """Sign up as a lender representative; confirmed with the voting password."""
    event = lifecycle.event_advance_if_due(VotingEvent.objects.get(pk=event.pk))
    if event.kind != EventKind.RECRUITMENT:
        raise DomainError(E.NOT_RECRUITMENT)
    check_open(event)
    place = place_for(event, lender)
    if (
        clean_text(name or "") != lender.real_name
        or "".join((id_number or "").split()).upper() != lender.id_number.value
    ):
        raise DomainError(E.SIGNUP_IDENTITY_MISMATCH, field="id_number")
    try:
        phone = normalize_mobile(phone or "")
    except PhoneError as exc:
        raise DomainError(E.SIGNUP_FIELD, field="phone", detail=str(exc)) from None
    introduction = (introduction or "").strip()
    if not 5 <= len(introduction) <= 2000:
        raise DomainError(
            E.SIGNUP_FIELD, field="introduction", detail="请填写个人介绍（5至2000字）"
        )
    if photo is None:
        raise DomainError(E.SIGNUP_FIELD, field="photo", detail="请上传本人照片（JPG 或 PNG）")
    if resume is None:
        raise DomainError(
            E.SIGNUP_FIELD, field="resume", detail="请上传简历（PDF、Word、JPG 或 PNG）"
        )
    if place.unread:
        raise DomainError(E.ATTACHMENTS_UNREAD, count=place.unread)
    if (
        SignUp.objects.filter(event=event, lender=lender)
        .exclude(status=SignUpStatus.WITHDRAWN)
        .exists()
    ):
        raise DomainError(E.SIGNUP_EXISTS)
    voting_password_check(lender=lender, password=password, actor=actor)
    photo_file = _store(photo, "photo", photo_only=True)
    try:
        resume_file = _store(resume, "resume")
    except DomainError:
        private_files.delete(photo_file.path)
        raise
    signup = SignUp(
        event=event,
        lender=lender,
        name=lender.real_name,
        introduction=introduction,
        photo_path=photo_file.path,
        photo_type=photo_file.content_type,
        resume_path=resume_file.path,
        resume_name=resume_file.name,
        resume_type=resume_file.content_type,
    )
    signup.id_number = lender.id_number.value
    signup.phone = phone
    try:
        with transaction.atomic():
            signup.save()
            record_event(
                actor=actor,
                action=VotingAction.SIGNUP_CREATED,
                obj=signup,
                event=event,
            )
    except IntegrityError:
        private_files.delete(photo_file.path)
        private_files.delete(resume_file.path)
        raise DomainError(E.SIGNUP_EXISTS) from None
    return signup


def _store(upload, field: str, *, photo_only: bool = False) -> private_files.StoredUpload:
    """Keep a sign-up's photo or résumé encrypted (they are personal data). A résumé may be
    a Word document: that is what lenders keep in their WeChat chats (manual 2.1)."""
    try:
        stored = SignUp.photo.store_upload(
            upload, limit_bytes=settings.ATTACHMENT_MAX_BYTES, allow_word=not photo_only
        )
    except private_files.AttachmentError as exc:
        raise DomainError(E.ATTACHMENT_INVALID, field=field, detail=str(exc)) from None
    if photo_only and not stored.content_type.startswith("image/"):
        private_files.delete(stored.path)
        raise DomainError(E.SIGNUP_FIELD, field=field, detail="照片请上传 JPG 或 PNG 图片")
    return stored


@transaction.atomic
def signup_withdraw(*, signup: SignUp, actor: Actor) -> SignUp:
    signup = SignUp.objects.select_for_update().select_related("event").get(pk=signup.pk)
    check_open(lifecycle.event_advance_if_due(signup.event))
    if signup.status != SignUpStatus.ACTIVE:
        raise DomainError(E.SIGNUP_NOT_ACTIVE, status=signup.get_status_display(), action="撤回")
    signup.status = SignUpStatus.WITHDRAWN
    signup.withdrawn_at = timezone.now()
    signup.save(update_fields=["status", "withdrawn_at"])
    record_event(
        actor=actor,
        action=VotingAction.SIGNUP_WITHDRAWN,
        event=signup.event,
        obj=signup,
    )
    return signup


@transaction.atomic
def signup_review(
    *, signup: SignUp, approve: bool, reason: str, user: User, actor: Actor
) -> SignUp:
    """After the recruitment closes: approve, or reject with a reason the lender sees."""
    signup = SignUp.objects.select_for_update().select_related("event").get(pk=signup.pk)
    event = lifecycle.event_advance_if_due(signup.event)
    policies.require(policies.signup_review_refusal(user, event))
    if signup.status not in (SignUpStatus.ACTIVE, SignUpStatus.APPROVED, SignUpStatus.REJECTED):
        raise DomainError(E.SIGNUP_NOT_ACTIVE, status=signup.get_status_display(), action="审核")
    reason = (reason or "").strip()
    if not approve and len(reason) < 2:
        raise DomainError(E.REVIEW_REASON_REQUIRED, field="reason")
    signup.status = SignUpStatus.APPROVED if approve else SignUpStatus.REJECTED
    signup.review_reason = reason
    signup.reviewed_by, signup.reviewed_at = user, timezone.now()
    signup.save(update_fields=["status", "review_reason", "reviewed_by", "reviewed_at"])
    record_event(
        actor=actor,
        action=VotingAction.SIGNUP_REVIEWED,
        obj=signup,
        event=event,
        after={"status": signup.status, "reason": reason},
    )
    return signup


@transaction.atomic
def candidates_from_signups(
    *, election: VotingEvent, recruitment: VotingEvent, user: User, actor: Actor
) -> int:
    """Add every approved sign-up of `recruitment` as a candidate of `election` (once), after
    the recruitment has closed (policies.candidates_import_refusal)."""
    recruitment = lifecycle.event_advance_if_due(recruitment, quiet=True)
    election = VotingEvent.lock(election.pk)
    policies.require(policies.candidates_import_refusal(user, election, recruitment))
    already = set(election.candidates.exclude(signup=None).values_list("signup_id", flat=True))
    added = 0
    for signup in recruitment.signups.filter(status=SignUpStatus.APPROVED).order_by("created_at"):
        if signup.pk in already:
            continue
        candidate_add(
            event=election,
            user=user,
            name=signup.name,
            description=signup.introduction,
            signup=signup,
        )
        added += 1
    record_event(
        actor=actor,
        action=VotingAction.CANDIDATES_IMPORTED,
        event=election,
        after={"from_event": recruitment.pk, "added": added},
    )
    return added


def signups_reveal(*, user: User, event: VotingEvent, signups: list[SignUp], actor: Actor) -> bool:
    """Whether `user` sees these sign-ups' full ID and mobile numbers (the working group,
    policies.sees_full_identities). Each time they are shown in full, which sign-ups were
    shown is audited (PII_REVEALED with their ids), for the pages and the API alike."""
    full = policies.sees_full_identities(user)
    if full and signups:
        record_event(
            actor=actor,
            action=PlatformAction.PII_REVEALED,
            event=event,
            after={"signups": [signup.pk for signup in signups]},
        )
    return full
