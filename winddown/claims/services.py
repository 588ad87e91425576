"""Writes for claims registers: importing, activating and discarding versions, lenders'
confirmations and disputes, the institution's answers. One transaction each, audited.
About 500 lines: one register's whole life; split by job (as voting/services/) when it grows."""

from __future__ import annotations

import contextlib
import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from winddown.audit.services import Actor, record
from winddown.claims import importers, pipeline
from winddown.claims.audit_actions import ClaimsAction
from winddown.claims.bulk import EntryWriter
from winddown.claims.errors import ClaimsErrorCode as E
from winddown.claims.importers import Header, RegisterFileError, RowError
from winddown.claims.models import (
    ClaimEntry,
    Confirmation,
    Dispute,
    DisputeStatus,
    ImportStatus,
    RegisterImport,
    RegisterVersion,
    VersionStatus,
)
from winddown.claims.selectors import active_register, diff_querysets
from winddown.core import private_files, processes
from winddown.core.errors import DomainError
from winddown.core.providers import ProviderError
from winddown.core.providers.sms import sms_sender
from winddown.identity.services import lender_lock
from winddown.institutions.services import institution_lock
from winddown.pii.normalize import clean_text

if TYPE_CHECKING:
    from winddown.accounts.models import User
    from winddown.identity.models import Lender
    from winddown.institutions.models import Institution

IMPORT_ERRORS_KEPT = 1000
PROGRESS_EVERY = 10_000


# --- Import ---------------------------------------------------------------------------------


@dataclass
class ImportResult:
    version: RegisterVersion | None
    header: Header | None = None
    errors: list[RowError] = field(default_factory=list)  # the first IMPORT_ERRORS_KEPT
    error_count: int = 0
    rows_read: int = 0

    @property
    def ok(self) -> bool:
        return self.version is not None


class _RejectImport(Exception):
    """Raised inside the import transaction to roll every written row back."""


def _fingerprint(open_source: importers.Opener) -> tuple[str, int]:
    digest = hashlib.sha256()
    size = 0
    with open_source() as stream:
        while chunk := stream.read(1 << 20):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


def register_import(
    *,
    institution: Institution,
    open_source: importers.Opener,
    source_name: str,
    user: User,
    actor: Actor,
    on_error: Callable[[RowError], None] | None = None,
    on_progress: Callable[[int], None] | None = None,
    workers: int | None = None,
) -> ImportResult:
    """Validate and store a register as a new pending version, all or nothing.

    Every row is validated even after the first error, so the operator gets the complete
    list; `on_error` sees each one as it is found (the management command prints them) and
    `on_progress` gets the number of rows read every PROGRESS_EVERY rows.
    Rows are written while validating (memory stays flat for millions of rows) and the
    transaction is rolled back if any error turned up, so a rejected file stores nothing,
    and neither does a process that dies half-way. Large files are checked and encrypted
    by one worker process per core (`workers` overrides the choice).
    """
    sha256, size = _fingerprint(open_source)
    specs = pipeline.KeySpecs(settings.PII_ENCRYPTION_KEYS, settings.PII_INDEX_KEY)
    result = ImportResult(version=None)

    def note(error: RowError) -> None:
        result.error_count += 1
        if len(result.errors) < IMPORT_ERRORS_KEPT:
            result.errors.append(error)
        if on_error is not None:
            on_error(error)

    try:
        with transaction.atomic():
            locked = institution_lock(institution.pk)
            number = (
                locked.registers.order_by("-number").values_list("number", flat=True).first() or 0
            ) + 1
            version = RegisterVersion.objects.create(
                institution=locked,
                number=number,
                source_name=source_name[:255],
                source_sha256=sha256,
                source_size=size,
                lender_count=0,
                principal_total_fen=0,
                interest_total_fen=0,
                created_by=user,
            )
            writer = EntryWriter()
            try:
                header, chunks = pipeline.prepared_chunks(
                    open_source,
                    specs,
                    version_id=version.pk,
                    copy_text=writer.uses_copy,
                    workers=pipeline.default_workers(size) if workers is None else workers,
                )
            except RegisterFileError as exc:
                writer.abort()
                for error in exc.errors:
                    note(error)
                raise _RejectImport from None
            result.header = header
            principal = interest = count = 0
            try:
                for chunk in chunks:
                    before, result.rows_read = result.rows_read, result.rows_read + chunk.size
                    if (
                        on_progress
                        and before // PROGRESS_EVERY != result.rows_read // PROGRESS_EVERY
                    ):
                        on_progress(result.rows_read)
                    for error in chunk.errors:
                        note(error)
                    if result.error_count:
                        continue  # keep checking, stop writing: it will all roll back
                    if writer.uses_copy:
                        writer.write_copy_text(chunk.copy_text)
                    else:
                        writer.add_rows(version.pk, chunk.rows)
                    principal += chunk.principal_fen
                    interest += chunk.interest_fen
                    count += chunk.count
                if result.error_count:
                    raise _RejectImport
                if count == 0:
                    note(RowError(0, "", "登记表中没有任何出借人数据"))
                    raise _RejectImport
            except BaseException:
                writer.abort()
                raise
            writer.close()
            version.has_interest = header.has_interest
            version.has_loan_count = header.has_loan_count
            version.lender_count = count
            version.principal_total_fen = principal
            version.interest_total_fen = interest
            version.save(
                update_fields=[
                    "lender_count",
                    "principal_total_fen",
                    "interest_total_fen",
                    "has_interest",
                    "has_loan_count",
                ]
            )
            _store_diff(version, active_register(locked))
            record(
                actor=actor,
                action=ClaimsAction.REGISTER_UPLOADED,
                obj=version,
                institution_id=locked.pk,
                after=_version_snapshot(version),
            )
            result.version = version
    except _RejectImport:
        record(
            actor=actor,
            action=ClaimsAction.REGISTER_REJECTED,
            object_type="claims.registerimport",
            object_id=source_name[:64],
            institution_id=institution.pk,
            after={"source_sha256": sha256, "size": size, "error_count": result.error_count},
        )
    return result


def _version_snapshot(version: RegisterVersion) -> dict:
    return {
        "number": version.number,
        "status": version.status,
        "lender_count": version.lender_count,
        "principal_total_fen": version.principal_total_fen,
        "interest_total_fen": version.interest_total_fen,
        "source_sha256": version.source_sha256,
        "diff": {
            "base": version.diff_base_id,
            "added": version.diff_added,
            "removed": version.diff_removed,
            "changed": version.diff_changed,
        },
    }


# --- Diff -----------------------------------------------------------------------------------


def _store_diff(version: RegisterVersion, base: RegisterVersion | None) -> None:
    diff = diff_querysets(version, base)
    version.diff_base = base
    version.diff_added = diff["added"].count()
    version.diff_removed = diff["removed"].count()
    version.diff_changed = diff["changed"].count()
    version.save(update_fields=["diff_base", "diff_added", "diff_removed", "diff_changed"])


# --- Activation -----------------------------------------------------------------------------


@transaction.atomic
def version_activate(*, version: RegisterVersion, user: User, actor: Actor) -> RegisterVersion:
    """Make a pending version the active register; void confirmations whose amounts changed."""
    institution = institution_lock(version.institution_id)
    version = RegisterVersion.objects.select_for_update().get(pk=version.pk)
    if version.status != VersionStatus.PENDING:
        raise DomainError(E.VERSION_NOT_PENDING, status=version.get_status_display())
    previous = active_register(institution)
    now = timezone.now()
    if previous is not None:
        previous.status = VersionStatus.SUPERSEDED
        previous.closed_at = now
        previous.save(update_fields=["status", "closed_at"])
    if version.diff_base_id != (previous.pk if previous else None):
        _store_diff(version, previous)
    version.status = VersionStatus.ACTIVE
    version.activated_by = user
    version.activated_at = now
    version.save(update_fields=["status", "activated_by", "activated_at"])
    voided = _void_changed_confirmations(institution, version, now)
    record(
        actor=actor,
        action=ClaimsAction.REGISTER_ACTIVATED,
        obj=version,
        institution_id=institution.pk,
        before=_version_snapshot(previous) if previous else None,
        after={**_version_snapshot(version), "confirmations_voided": voided},
    )
    return version


def _void_changed_confirmations(institution, version, now) -> int:
    unchanged = ClaimEntry.objects.filter(
        version=version,
        id_index=OuterRef("id_index"),
        principal_fen=OuterRef("principal_fen"),
        interest_fen=OuterRef("interest_fen"),
    )
    stale = Confirmation.objects.filter(institution=institution, voided_at__isnull=True).exclude(
        Exists(unchanged)
    )
    return stale.update(
        voided_at=now, void_reason=f"第{version.number}版登记表变更了您的债权金额，请重新确认"
    )


@transaction.atomic
def version_discard(*, version: RegisterVersion, actor: Actor) -> RegisterVersion:
    version = RegisterVersion.objects.select_for_update().get(pk=version.pk)
    if version.status != VersionStatus.PENDING:
        raise DomainError(E.VERSION_NOT_PENDING, status=version.get_status_display())
    version.status = VersionStatus.DISCARDED
    version.closed_at = timezone.now()
    version.save(update_fields=["status", "closed_at"])
    ClaimEntry.objects.filter(version=version).delete()
    record(
        actor=actor,
        action=ClaimsAction.REGISTER_DISCARDED,
        obj=version,
        institution_id=version.institution_id,
        after=_version_snapshot(version),
    )
    return version


# --- Lenders: confirm and dispute (manual 2.1, 3.1) ----------------------------------------


def _active_entry(lender: Lender, institution: Institution) -> ClaimEntry:
    if not lender.is_verified:
        raise DomainError(E.NOT_VERIFIED)
    entry = (
        ClaimEntry.objects.select_related("version")
        .filter(
            id_index=lender.id_index,
            version__institution=institution,
            version__status=VersionStatus.ACTIVE,
        )
        .first()
    )
    if entry is None:
        raise DomainError(E.NO_CLAIM)
    return entry


@transaction.atomic
def claim_confirm(*, lender: Lender, institution: Institution, actor: Actor) -> Confirmation:
    """Confirm the active amounts. Confirming again without a change is a no-op."""
    entry = _active_entry(lender, institution)
    live = (
        Confirmation.objects.select_for_update()
        .filter(lender=lender, institution=institution, voided_at__isnull=True)
        .first()
    )
    if live is not None:
        return live
    confirmation = Confirmation.objects.create(
        lender=lender,
        institution=institution,
        version=entry.version,
        id_index=entry.id_index,
        principal_fen=entry.principal_fen,
        interest_fen=entry.interest_fen,
    )
    record(
        actor=actor,
        action=ClaimsAction.CLAIM_CONFIRMED,
        obj=confirmation,
        institution_id=institution.pk,
        after={
            "version": entry.version.number,
            "principal_fen": entry.principal_fen,
            "interest_fen": entry.interest_fen,
        },
    )
    return confirmation


def evidence_store(upload) -> tuple[str, str, str]:
    """Check and encrypt a lender's evidence file: (path, original name, content type)."""
    try:
        stored = Dispute.evidence.store_upload(upload, limit_bytes=settings.ATTACHMENT_MAX_BYTES)
    except private_files.AttachmentError as exc:
        raise DomainError(E.ATTACHMENT_INVALID, field="attachment", detail=str(exc)) from None
    return stored.path, stored.name, stored.content_type


def dispute_raise(
    *, lender: Lender, institution: Institution, reason: str, attachment=None, actor: Actor
) -> Dispute:
    reason = (reason or "").strip()
    if not 5 <= len(reason) <= 2000:
        raise DomainError(E.REASON_REQUIRED, field="reason")
    entry = _active_entry(lender, institution)
    stored = evidence_store(attachment) if attachment else ("", "", "")
    try:
        with transaction.atomic():
            lender_lock(lender.pk)  # one dispute at a time
            if Dispute.objects.filter(
                lender=lender, institution=institution, status=DisputeStatus.OPEN
            ).exists():
                raise DomainError(E.DISPUTE_ALREADY_OPEN)
            dispute = Dispute.objects.create(
                lender=lender,
                institution=institution,
                version=entry.version,
                principal_fen=entry.principal_fen,
                interest_fen=entry.interest_fen,
                reason=reason,
                attachment_path=stored[0],
                attachment_name=stored[1],
                attachment_type=stored[2],
            )
            # Disputing the amounts withdraws an earlier confirmation of them.
            Confirmation.objects.filter(
                lender=lender, institution=institution, voided_at__isnull=True
            ).update(voided_at=timezone.now(), void_reason="您对债权提出了异议")
            record(
                actor=actor,
                action=ClaimsAction.DISPUTE_RAISED,
                obj=dispute,
                institution_id=institution.pk,
                after={"version": entry.version.number, "has_attachment": bool(stored[0])},
            )
    except BaseException:
        private_files.delete(stored[0])
        raise
    return dispute


def dispute_answer(
    *,
    dispute: Dispute,
    outcome: str,
    answer: str,
    corrected_version: RegisterVersion | None = None,
    user: User,
    actor: Actor,
) -> Dispute:
    if outcome not in (DisputeStatus.CORRECTED, DisputeStatus.REJECTED):
        raise DomainError(E.OUTCOME_INVALID, field="outcome")
    answer = (answer or "").strip()
    if len(answer) < 2:
        raise DomainError(E.ANSWER_REQUIRED, field="answer")
    if corrected_version is not None and (
        corrected_version.institution_id != dispute.institution_id
        or corrected_version.status not in (VersionStatus.PENDING, VersionStatus.ACTIVE)
    ):
        raise DomainError(E.CORRECTED_VERSION_INVALID, field="corrected_version")
    with transaction.atomic():
        dispute = Dispute.objects.select_for_update().select_related("lender").get(pk=dispute.pk)
        if dispute.status != DisputeStatus.OPEN:
            raise DomainError(E.DISPUTE_ALREADY_ANSWERED)
        dispute.status = outcome
        dispute.answer = answer[:2000]
        dispute.corrected_version = (
            corrected_version if outcome == DisputeStatus.CORRECTED else None
        )
        dispute.answered_by = user
        dispute.answered_at = timezone.now()
        dispute.save()
        record(
            actor=actor,
            action=ClaimsAction.DISPUTE_ANSWERED,
            obj=dispute,
            institution_id=dispute.institution_id,
            after={"outcome": outcome, "corrected_version": dispute.corrected_version_id},
        )
        lender = dispute.lender
        institution_name = dispute.institution.short_name
        transaction.on_commit(lambda: _notify_answer(lender, institution_name))
    return dispute


def _notify_answer(lender: Lender, institution_name: str) -> None:
    # The answer is on the lender's page either way; a failed SMS must not undo it.
    with contextlib.suppress(ProviderError):
        sms_sender().send_notice(
            phone=lender.phone.value,
            template="【网贷退出投票】您对{institution}的债权异议已有答复，请登录查看。",
            params={"institution": institution_name},
        )


# --- Uploads through the web and the API ----------------------------------------------------


def check_upload_size(size: int) -> None:
    limit = settings.REGISTER_UPLOAD_MAX_BYTES
    if size > limit:
        raise DomainError(
            E.FILE_TOO_LARGE, field="file", size_mb=round(size / 2**20, 1), limit_mb=limit // 2**20
        )


@transaction.atomic
def register_import_queue(*, institution: Institution, upload, user: User) -> RegisterImport:
    """Keep the upload encrypted until the worker has checked it; return the import record.

    The task is enqueued in the same transaction (the database queue commits or rolls back
    with the record); with the immediate backend the import has finished when this returns.
    """
    from winddown.claims.tasks import process_register_import

    check_upload_size(upload.size)
    path = RegisterImport.upload.save_chunks(upload.chunks())
    job = RegisterImport.objects.create(
        institution=institution,
        uploaded_by=user,
        source_name=clean_text(upload.name or "register")[:255],
        source_size=upload.size,
        stored_path=path,
    )
    process_register_import.enqueue(job.pk)
    job.refresh_from_db()
    return job


def version_diff_refresh(version: RegisterVersion) -> RegisterVersion:
    """A pending version's diff must be against what is active now, not at upload time."""
    if version.status == VersionStatus.PENDING:
        current = active_register(version.institution)
        if version.diff_base_id != (current.pk if current else None):
            _store_diff(version, current)
    return version


# A run that has not finished after this long died with its worker (a runner on this
# host that is gone is known at once).
STALE_IMPORT_AFTER = timedelta(hours=2)


def stale_imports_fail() -> int:
    """Imports whose worker died mid-way (its process is gone, or it ran elsewhere and has
    not finished in STALE_IMPORT_AFTER): their transaction rolled back, so say so."""
    cutoff = timezone.now() - STALE_IMPORT_AFTER
    running = RegisterImport.objects.filter(status=ImportStatus.RUNNING)
    stale_ids = [
        job.pk
        for job in running.only("pk", "started_at", "runner")
        if job.started_at is None or job.started_at < cutoff or processes.runner_gone(job.runner)
    ]
    stale = RegisterImport.objects.filter(pk__in=stale_ids, status=ImportStatus.RUNNING)
    for job in stale:
        private_files.delete(job.stored_path)
    return stale.update(
        status=ImportStatus.FAILED,
        stored_path="",
        finished_at=timezone.now(),
        message="处理过程被中断，未保存任何数据，请重新上传",
    )
