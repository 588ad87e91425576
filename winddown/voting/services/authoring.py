"""Drafting and reviewing events: the operator prepares, the working group approves."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from winddown.audit.services import Actor
from winddown.claims.selectors import active_register
from winddown.core import isolation, private_files, word_documents
from winddown.core.errors import DomainError
from winddown.pii.normalize import clean_text
from winddown.rules import RulesInputError, get_rule
from winddown.voting import policies
from winddown.voting.audit_actions import VotingAction
from winddown.voting.errors import VotingErrorCode as E
from winddown.voting.event_audit import record_event
from winddown.voting.models import (
    BallotLog,
    Candidate,
    EventAttachment,
    EventKind,
    EventStatus,
    VotingEvent,
)

if TYPE_CHECKING:
    from winddown.accounts.models import User
    from winddown.institutions.models import Institution

MIN_VOTING_PERIOD = timedelta(hours=1)
ATTACHMENT_FOLDER = "event-attachments"


def _snapshot(event: VotingEvent) -> dict:
    return {
        "kind": event.kind,
        "title": event.title,
        "status": event.status,
        "rule_id": event.rule_id,
        "rule_params": event.rule_params,
        "opens_at": event.opens_at.isoformat(),
        "closes_at": event.closes_at.isoformat(),
        "seats": event.seats,
        "max_choices": event.max_choices,
        "allow_abstain": event.allow_abstain,
    }


def _validated_fields(
    *,
    kind: str,
    title: str,
    content: str,
    rule_id: str,
    rule_params: dict | None,
    seats: int | None,
    max_choices: int | None,
    opens_at: datetime,
    closes_at: datetime,
) -> dict:
    if kind not in EventKind.values:
        raise DomainError(E.KIND_INVALID, field="kind")
    title = clean_text(title or "")
    if not title:
        raise DomainError(E.TITLE_REQUIRED, field="title")
    content = (content or "").strip()
    if not content:
        raise DomainError(E.CONTENT_REQUIRED, field="content")
    if closes_at <= opens_at:
        raise DomainError(E.TIME_ORDER, field="closes_at")
    if closes_at - opens_at < MIN_VOTING_PERIOD:
        raise DomainError(E.TOO_SHORT, field="closes_at", hours=MIN_VOTING_PERIOD.seconds // 3600)
    values = {
        "kind": kind,
        "title": title[:200],
        "content": content,
        "opens_at": opens_at,
        "closes_at": closes_at,
        "rule_id": "",
        "rule_params": {},
        "seats": None,
        "max_choices": None,
    }
    if kind == EventKind.RECRUITMENT:
        return values
    try:
        rule = get_rule(rule_id or "")
        values["rule_params"] = rule.normalize_params(rule_params or {})
    except RulesInputError as exc:
        raise DomainError(E.RULE_INVALID, field="rule_id", detail=exc.message) from None
    if rule.grouped:
        raise DomainError(E.RULE_GROUPED, field="rule_id")
    values["rule_id"] = rule.id
    if kind == EventKind.ELECTION:
        if not seats or not max_choices or seats < 1 or max_choices < 1 or max_choices > seats:
            raise DomainError(E.SEATS_INVALID, field="seats")
        values["seats"], values["max_choices"] = seats, max_choices
    return values


@transaction.atomic
def event_create(
    *,
    institution: Institution,
    user: User,
    actor: Actor,
    kind: str,
    title: str,
    content: str,
    opens_at: datetime,
    closes_at: datetime,
    rule_id: str = "",
    rule_params: dict | None = None,
    allow_abstain: bool = False,
    seats: int | None = None,
    max_choices: int | None = None,
) -> VotingEvent:
    policies.require(policies.create_refusal(user, institution))
    values = _validated_fields(
        kind=kind,
        title=title,
        content=content,
        rule_id=rule_id,
        rule_params=rule_params,
        seats=seats,
        max_choices=max_choices,
        opens_at=opens_at,
        closes_at=closes_at,
    )
    event = VotingEvent.objects.create(
        institution=institution,
        allow_abstain=allow_abstain if kind == EventKind.RESOLUTION else False,
        created_by=user,
        voter_key=secrets.token_hex(32),
        **values,
    )
    record_event(
        actor=actor,
        action=VotingAction.EVENT_CREATED,
        event=event,
        after=_snapshot(event),
    )
    return event


def _locked_editable(event: VotingEvent, user: User) -> VotingEvent:
    """The event, locked, if `user` may change it now (policies.edit_refusal)."""
    event = VotingEvent.lock(event.pk)
    policies.require(policies.edit_refusal(user, event))
    return event


@transaction.atomic
def event_update(*, event: VotingEvent, user: User, actor: Actor, **changes) -> VotingEvent:
    event = _locked_editable(event, user)
    before = _snapshot(event)
    merged = {
        "kind": event.kind,
        "title": event.title,
        "content": event.content,
        "rule_id": event.rule_id,
        "rule_params": event.rule_params,
        "seats": event.seats,
        "max_choices": event.max_choices,
        "opens_at": event.opens_at,
        "closes_at": event.closes_at,
    }
    allow_abstain = changes.pop("allow_abstain", event.allow_abstain)
    merged.update({k: v for k, v in changes.items() if k in merged and v is not None})
    for field, value in _validated_fields(**merged).items():
        setattr(event, field, value)
    event.allow_abstain = bool(allow_abstain) and event.kind == EventKind.RESOLUTION
    event.save()
    record_event(
        actor=actor,
        action=VotingAction.EVENT_UPDATED,
        event=event,
        before=before,
        after=_snapshot(event),
    )
    return event


# --- Candidates -----------------------------------------------------------------------------


@transaction.atomic
def candidate_add(
    *, event: VotingEvent, user: User, name: str, description: str = "", signup=None
) -> Candidate:
    event = _locked_editable(event, user)
    if event.kind != EventKind.ELECTION:
        raise DomainError(E.WRONG_STATUS, status=event.get_kind_display(), action="添加候选人")
    name = clean_text(name or "")
    if not name:
        raise DomainError(E.CANDIDATE_NAME_REQUIRED, field="name")
    if event.candidates.filter(name=name[:50]).exists():
        raise DomainError(E.CANDIDATE_DUPLICATE, field="name", name=name)
    used = set(event.candidates.values_list("key", flat=True))
    number = 1
    while f"c{number}" in used:
        number += 1
    return Candidate.objects.create(
        event=event,
        key=f"c{number}",
        name=name[:50],
        description=(description or "").strip(),
        order=event.candidates.count(),
        signup=signup,
    )


@transaction.atomic
def candidate_remove(*, candidate: Candidate, user: User) -> None:
    _locked_editable(candidate.event, user)
    candidate.delete()


# --- Attachments ----------------------------------------------------------------------------


def attachment_add(*, event: VotingEvent, user: User, upload, actor: Actor) -> EventAttachment:
    """Check, store and attach a file. The files (and a PDF's page images, which take a
    while for a long PDF) are written before the event is locked: on SQLite that lock
    holds every writer, lenders' ballots included."""
    # Fail fast, before the work.
    policies.require(policies.edit_refusal(user, VotingEvent.objects.get(pk=event.pk)))
    limit = settings.ATTACHMENT_MAX_BYTES
    if upload.size > limit:
        raise DomainError(E.ATTACHMENT_TOO_LARGE, field="attachment", limit_mb=limit // 2**20)
    upload.seek(0)
    try:
        content_type = private_files.sniff_attachment(upload.read(16), allow_word=True)
    except private_files.AttachmentError as exc:
        raise DomainError(E.ATTACHMENT_INVALID, field="attachment", detail=str(exc)) from None
    upload.seek(0)
    digest = hashlib.sha256()
    chunks = []
    for chunk in upload.chunks():
        digest.update(chunk)
        chunks.append(chunk)
    page_images, page_count, html_path = [], 0, ""
    if content_type == "application/pdf":
        page_images, page_count = page_images_store(b"".join(chunks))
    elif content_type == word_documents.DOCX_TYPE:
        html_path = word_html_store(b"".join(chunks))
    stored = [*page_images, *([html_path] if html_path else [])]
    try:
        stored.append(private_files.save_plain(chunks, folder=ATTACHMENT_FOLDER))
        with transaction.atomic():
            event = _locked_editable(event, user)
            attachment = EventAttachment.objects.create(
                event=event,
                name=clean_text(upload.name or "附件")[:255],
                content_type=content_type,
                size=upload.size,
                sha256=digest.hexdigest(),
                path=stored[-1],
                page_images=page_images,
                page_count=page_count,
                html_path=html_path,
            )
            record_event(
                actor=actor,
                action=VotingAction.EVENT_UPDATED,
                event=event,
                after={"attachment_added": attachment.name, "sha256": attachment.sha256},
            )
    except BaseException:
        for path in stored:
            private_files.delete(path)
        raise
    return attachment


def word_html_store(docx: bytes) -> str:
    """Turn a Word document into the HTML lenders read in the page and store it; a document
    that cannot be read is refused with what to send instead."""
    try:
        html = word_documents.to_html(docx)
    except word_documents.WordDocumentError as exc:
        raise DomainError(E.ATTACHMENT_INVALID, field="attachment", detail=str(exc)) from None
    return private_files.save_plain([html.encode()], folder=ATTACHMENT_FOLDER)


def page_images_store(pdf: bytes) -> tuple[list[str], int]:
    """Render a PDF's pages for phones, in a child process with a memory and time limit,
    and store them; (image paths, pages in the PDF). A PDF that cannot be opened, or whose
    pages no real document has, or whose rendering exceeds the limits, is refused with what
    to send instead: lenders could not read it before voting."""
    try:
        frames = isolation.run_isolated(
            "winddown.voting.attachment_pages:render_isolated",
            pdf,
            arguments=(str(settings.ATTACHMENT_MAX_PAGE_IMAGES),),
            memory_bytes=settings.RENDER_MEMORY_BYTES,
            seconds=settings.RENDER_SECONDS,
            max_output_bytes=settings.ATTACHMENT_MAX_PAGE_IMAGES * 8 * 2**20,
        )
    except isolation.IsolationFailure as failure:
        raise DomainError(
            E.ATTACHMENT_INVALID, field="attachment", detail=_render_refusal(failure)
        ) from None
    count = int(frames[0])
    stored: list[str] = []
    try:
        for image in frames[1 : 1 + settings.ATTACHMENT_MAX_PAGE_IMAGES]:
            stored.append(private_files.save_plain([image], folder=ATTACHMENT_FOLDER))
    except BaseException:
        for path in stored:
            private_files.delete(path)
        raise
    return stored, count


def _render_refusal(failure: isolation.IsolationFailure) -> str:
    if failure.reason == "error" and failure.detail.startswith("PageTooLarge: "):
        return failure.detail.removeprefix("PageTooLarge: ")
    if failure.reason == "error" and failure.detail.startswith("UnreadablePdf"):
        return "PDF 文件无法打开（文件已损坏或设有打开密码），请另存为普通 PDF 后上传"
    if failure.reason in ("memory", "time"):
        return (
            "PDF 文件过于复杂，无法在限定的内存和时间内显示，"
            "请用“打印为 PDF”另存为普通 PDF（或减少页数、降低图片分辨率）后重新上传"
        )
    return "PDF 文件无法显示，请另存为普通 PDF 后重新上传"


@transaction.atomic
def attachment_remove(*, attachment: EventAttachment, user: User, actor: Actor) -> None:
    event = _locked_editable(attachment.event, user)
    paths = attachment.stored_paths
    record_event(
        actor=actor,
        action=VotingAction.EVENT_UPDATED,
        event=event,
        after={"attachment_removed": attachment.name},
    )
    attachment.delete()
    transaction.on_commit(lambda: [private_files.delete(path) for path in paths])


# --- Submission and review ------------------------------------------------------------------


@transaction.atomic
def event_submit(*, event: VotingEvent, user: User, actor: Actor) -> VotingEvent:
    event = _locked_editable(event, user)
    if event.opens_at <= timezone.now():
        raise DomainError(E.OPENS_IN_PAST, field="opens_at")
    if event.kind == EventKind.ELECTION and not event.candidates.exists():
        raise DomainError(E.NO_CANDIDATES)
    if active_register(event.institution) is None:
        raise DomainError(E.NO_ACTIVE_REGISTER)
    event.status = EventStatus.SUBMITTED
    event.submitted_at = timezone.now()
    event.save(update_fields=["status", "submitted_at"])
    record_event(
        actor=actor,
        action=VotingAction.EVENT_SUBMITTED,
        event=event,
        after=_snapshot(event),
    )
    return event


@transaction.atomic
def event_approve(*, event: VotingEvent, user: User, actor: Actor) -> VotingEvent:
    from winddown.voting.services.lifecycle import event_schedule

    event = VotingEvent.lock(event.pk)
    policies.require(policies.review_refusal(user, event, "批准"))
    if event.opens_at <= timezone.now():
        raise DomainError(E.OPENS_IN_PAST, field="opens_at")
    event.status = EventStatus.SCHEDULED
    event.reviewed_by, event.reviewed_at, event.review_comment = user, timezone.now(), ""
    event.approved_at = event.reviewed_at
    event.save(
        update_fields=["status", "reviewed_by", "reviewed_at", "review_comment", "approved_at"]
    )
    record_event(
        actor=actor,
        action=VotingAction.EVENT_APPROVED,
        event=event,
        after=_snapshot(event),
    )
    transaction.on_commit(lambda: event_schedule(event))
    return event


@transaction.atomic
def event_return(*, event: VotingEvent, user: User, comment: str, actor: Actor) -> VotingEvent:
    event = VotingEvent.lock(event.pk)
    policies.require(policies.review_refusal(user, event, "退回"))
    comment = (comment or "").strip()
    if not comment:
        raise DomainError(E.COMMENT_REQUIRED, field="comment")
    event.status = EventStatus.RETURNED
    event.reviewed_by, event.reviewed_at, event.review_comment = user, timezone.now(), comment
    event.save(update_fields=["status", "reviewed_by", "reviewed_at", "review_comment"])
    record_event(
        actor=actor,
        action=VotingAction.EVENT_RETURNED,
        event=event,
        after={"comment": comment},
    )
    return event


@transaction.atomic
def event_cancel(*, event: VotingEvent, user: User, reason: str, actor: Actor) -> VotingEvent:
    """Before opening an event may simply be withdrawn (by its operator or the working
    group); once open, only by the working group with a reason, and every lender in the
    electorate is told (policies.cancel_refusal)."""
    from winddown.voting.services.notices import cancellation_notify

    event = VotingEvent.lock(event.pk)
    policies.require(policies.cancel_refusal(user, event))
    reason = (reason or "").strip()
    was_open = event.status in (EventStatus.OPEN, EventStatus.CLOSED)
    if was_open and len(reason) < 5:
        raise DomainError(E.REASON_REQUIRED, field="reason")
    if was_open:
        # A ballot being written holds the log head (also one accepted just before the
        # closing time): wait for it, so that every ballot in the log was committed before
        # the cancellation and none lands after it.
        BallotLog.objects.select_for_update().filter(event=event).first()
    before = _snapshot(event)
    event.status = EventStatus.CANCELLED
    event.cancelled_by, event.cancelled_at, event.cancel_reason = user, timezone.now(), reason
    event.save(update_fields=["status", "cancelled_by", "cancelled_at", "cancel_reason"])
    record_event(
        actor=actor,
        action=VotingAction.EVENT_CANCELLED,
        event=event,
        before=before,
        after={"reason": reason, "was_open": was_open},
    )
    if was_open:
        transaction.on_commit(lambda: cancellation_notify(event.pk))
    return event
