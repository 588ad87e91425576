"""Writes of the loan ledger: importing the three files as a new version (all or nothing),
recording collection actions. One transaction each, audited (issue 17 items 3 and 5)."""

from __future__ import annotations

import csv
import hashlib
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from winddown.audit.services import Actor, record
from winddown.claims import selectors as claims_selectors
from winddown.claims import services as claims_services
from winddown.core.errors import DomainError
from winddown.core.tabular import Opener
from winddown.institutions.services import institution_lock
from winddown.ledger.audit_actions import LedgerAction
from winddown.ledger.bulk import RowWriter, next_ids, reset_sequence
from winddown.ledger.errors import LedgerErrorCode as E
from winddown.ledger.importers import (
    CrossChecks,
    FileKind,
    LedgerError,
    LedgerFileError,
    detect_kind,
    read_rows,
)
from winddown.ledger.models import (
    NAME_PURPOSE,
    Borrower,
    CollectionAction,
    Holding,
    ImportStatus,
    LedgerImport,
    LedgerVersion,
    Loan,
    Repayment,
    VersionStatus,
    id_index_value,
)
from winddown.ledger.policies import collection_refusal
from winddown.ledger.selectors import active_ledger, lender_outstanding, loan_position
from winddown.ledger.vocab import CollectionKind
from winddown.money import format_yuan
from winddown.pii import purposes
from winddown.pii.keys import keyring
from winddown.pii.normalize import clean_text
from winddown.schedules import MAX_MONTHS, Method, schedule, to_json

if TYPE_CHECKING:
    from winddown.accounts.models import User
    from winddown.institutions.models import Institution

IMPORT_ERRORS_KEPT = 1000
WARNINGS_KEPT = 200
BATCH = 2000
UPLOAD_LIMIT_MB = 20
PROGRESS_EVERY = 100_000


@dataclass
class LedgerImportResult:
    version: LedgerVersion | None
    record: LedgerImport | None = None
    errors: list[LedgerError] = field(default_factory=list)  # the first IMPORT_ERRORS_KEPT
    error_count: int = 0
    warnings: list[LedgerError] = field(default_factory=list)
    rows_read: int = 0

    @property
    def ok(self) -> bool:
        return self.version is not None


class _Reject(Exception):
    """Raised inside the import transaction to roll every written row back."""


def _fingerprint(open_source: Opener) -> str:
    digest = hashlib.sha256()
    with open_source() as stream:
        while chunk := stream.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def _identify(
    sources: list[tuple[str, Opener]], note: Callable[[LedgerError], None]
) -> dict[FileKind, tuple[str, Opener]]:
    """Which file is which, by its headers (issue 17 item 3: "recognised by its headers")."""
    found: dict[FileKind, tuple[str, Opener]] = {}
    for name, opener in sources:
        try:
            kind = detect_kind(opener, name)
        except LedgerFileError as exc:
            for error in exc.errors:
                note(error)
            continue
        if kind in found:
            note(LedgerError(name, 1, "", f"与“{found[kind][0]}”都是{kind.label}，请只上传一个"))
            continue
        found[kind] = (name, opener)
    for kind in FileKind:
        if kind not in found:
            note(LedgerError(kind.label, 0, "", f"缺少{kind.label}，请同时上传三个文件"))
    return found


def ledger_import(
    *,
    institution: Institution,
    sources: list[tuple[str, Opener]],
    user: User,
    actor: Actor,
    on_error: Callable[[LedgerError], None] | None = None,
    on_progress: Callable[[int], None] | None = None,
) -> LedgerImportResult:
    """Check the three files and store them as the institution's new active ledger version,
    all or nothing: every row of every file is checked even after the first error, and a
    rejected import stores nothing but an import record with the errors (which never
    quote ID numbers). `sources` are (file name, opener) pairs in any order."""
    result = LedgerImportResult(version=None)

    def note(error: LedgerError) -> None:
        result.error_count += 1
        if len(result.errors) < IMPORT_ERRORS_KEPT:
            result.errors.append(error)
        if on_error is not None:
            on_error(error)

    def progress() -> None:
        result.rows_read += 1
        if on_progress is not None and result.rows_read % PROGRESS_EVERY == 0:
            on_progress(result.rows_read)

    files = _identify(sources, note)
    names = {kind.value: files[kind][0] for kind in files}
    try:
        if result.error_count:
            raise _Reject
        with transaction.atomic():
            locked = institution_lock(institution.pk)
            number = (
                locked.ledger_versions.order_by("-number").values_list("number", flat=True).first()
                or 0
            ) + 1
            version = LedgerVersion.objects.create(
                institution=locked,
                number=number,
                status=VersionStatus.SUPERSEDED,  # until it is complete
                source_names=names,
                source_sha256={k.value: _fingerprint(files[k][1]) for k in files},
                created_by=user,
            )
            checks = CrossChecks({kind: files[kind][0] for kind in files})
            loan_ids = _import_loans(version, files[FileKind.LOANS], checks, note, progress)
            bad_loans = loan_ids is None
            holdings = _import_children(
                version,
                files[FileKind.HOLDINGS],
                FileKind.HOLDINGS,
                checks,
                loan_ids,
                note,
                progress,
            )
            for error in checks.holdings_done() if not bad_loans else []:
                note(error)
            repayments = _import_children(
                version,
                files[FileKind.REPAYMENTS],
                FileKind.REPAYMENTS,
                checks,
                loan_ids,
                note,
                progress,
            )
            if result.error_count:
                raise _Reject
            if not checks.loans:
                note(LedgerError(files[FileKind.LOANS][0], 0, "", "借款文件中没有任何借款"))
                raise _Reject
            result.warnings = checks.warnings
            now = timezone.now()
            previous = LedgerVersion.objects.filter(institution=locked, status=VersionStatus.ACTIVE)
            previous.update(status=VersionStatus.SUPERSEDED, superseded_at=now)
            version.status = VersionStatus.ACTIVE
            version.borrower_count = checks.borrower_count
            version.loan_count = len(checks.loans)
            version.holding_count = holdings
            version.repayment_count = repayments
            version.principal_total_fen = sum(f.principal_fen for f in checks.loans.values())
            version.warnings = [w.as_dict() for w in checks.warnings[:WARNINGS_KEPT]]
            version.save()
            result.record = LedgerImport.objects.create(
                institution=locked,
                uploaded_by=user,
                source_names=names,
                status=ImportStatus.SUCCEEDED,
                warnings=version.warnings,
                version=version,
            )
            record(
                actor=actor,
                action=LedgerAction.LEDGER_IMPORTED,
                obj=version,
                institution_id=locked.pk,
                after={
                    "number": version.number,
                    "files": names,
                    "sha256": version.source_sha256,
                    "loans": version.loan_count,
                    "holdings": holdings,
                    "repayments": repayments,
                    "principal_total_fen": version.principal_total_fen,
                    "warnings": len(checks.warnings),
                },
            )
            result.version = version
    except _Reject:
        with transaction.atomic():
            result.record = LedgerImport.objects.create(
                institution=institution,
                uploaded_by=user,
                source_names=names,
                status=ImportStatus.FAILED,
                error_count=result.error_count,
                errors=[e.as_dict() for e in result.errors],
            )
            record(
                actor=actor,
                action=LedgerAction.LEDGER_REJECTED,
                obj=result.record,
                institution_id=institution.pk,
                after={"files": names, "errors": result.error_count},
            )
    return result


BORROWER_COLUMNS = ("id", "version_id", "kind", "name_enc", "id_number_enc", "id_index")
LOAN_COLUMNS = (
    "id",
    "version_id",
    "row_number",
    "number",
    "borrower_id",
    "product",
    "principal_fen",
    "annual_rate_bp",
    "months",
    "method",
    "value_date",
    "maturity_date",
    "guarantor",
    "collateral",
    "related_party",
)
HOLDING_COLUMNS = (
    "version_id",
    "loan_id",
    "row_number",
    "lender_kind",
    "lender_name_enc",
    "lender_id_enc",
    "lender_index",
    "amount_fen",
)
REPAYMENT_COLUMNS = (
    "version_id",
    "loan_id",
    "row_number",
    "period",
    "paid_on",
    "principal_fen",
    "interest_fen",
    "penalty_fen",
    "source",
    "lenders_received_on",
)


def _import_loans(version, source, checks: CrossChecks, note, progress) -> dict[str, int] | None:
    """Check the loans file; if it is clean, write its borrowers and loans and return the
    loan ids by number (None when it has errors: the later files are still checked)."""
    name, opener = source
    try:
        _, rows = read_rows(opener, name, FileKind.LOANS)
        loans = []
        clean = True
        for value, errors in rows:
            progress()
            if value is not None:
                errors = errors + checks.loan(value)
                if not errors:
                    loans.append(value)
            for error in errors:
                clean = False
                note(error)
    except LedgerFileError as exc:
        for error in exc.errors:
            note(error)
        return None
    if not clean:
        return None
    ring = keyring()
    borrower_ids: dict[tuple[str, str], int] = {}
    # Ids first: no other statement may run on the connection while a COPY is open.
    ids = next_ids(Borrower, len(checks.borrowers))
    writer = RowWriter(Borrower, BORROWER_COLUMNS)
    try:
        for pk, (key, (_row, borrower_name)) in zip(ids, checks.borrowers.items(), strict=True):
            kind, number = key
            borrower_ids[key] = pk
            writer.add(
                (
                    pk,
                    version.pk,
                    kind,
                    ring.encrypt(borrower_name, purpose=NAME_PURPOSE),
                    ring.encrypt(number, purpose=purposes.ID_NUMBER),
                    ring.blind_index(id_index_value(kind, number), purpose=purposes.ID_NUMBER),
                )
            )
    except BaseException:
        writer.abort()
        raise
    writer.close()
    checks.borrower_count = len(checks.borrowers)
    checks.borrowers = {}  # written: free the names and numbers
    loan_ids: dict[str, int] = {}
    ids = next_ids(Loan, len(loans))
    writer = RowWriter(Loan, LOAN_COLUMNS)
    try:
        for pk, row in zip(ids, loans, strict=True):
            loan_ids[row.number] = pk
            writer.add(
                (
                    pk,
                    version.pk,
                    row.row,
                    row.number,
                    borrower_ids[(row.borrower_kind.value, row.borrower_id)],
                    row.product.value,
                    row.principal_fen,
                    row.annual_rate_bp,
                    row.months,
                    row.method.value,
                    row.value_date.isoformat(),
                    checks.schedule_of(row.number).maturity_date.isoformat(),
                    row.guarantor,
                    row.collateral,
                    row.related_party,
                )
            )
    except BaseException:
        writer.abort()
        raise
    writer.close()
    reset_sequence(Borrower)
    reset_sequence(Loan)
    return loan_ids


def _import_children(version, source, kind, checks, loan_ids, note, progress) -> int:
    """Check the holdings or repayments file, writing its rows while no error has turned
    up anywhere (the transaction rolls back otherwise); the number of rows written."""
    name, opener = source
    holdings = kind is FileKind.HOLDINGS
    writer = RowWriter(
        Holding if holdings else Repayment, HOLDING_COLUMNS if holdings else REPAYMENT_COLUMNS
    )
    ring = keyring()
    encrypt, blind_index = ring.encrypt, ring.blind_index
    failed = loan_ids is None
    check = checks.holding if holdings else checks.repayment
    try:
        _, rows = read_rows(opener, name, kind)
        for value, errors in rows:
            progress()
            if value is not None and loan_ids is not None:
                errors = errors + check(value)
            for error in errors:
                note(error)
            if errors:
                failed = True
            if failed or value is None:
                continue
            loan_id = loan_ids[value.loan_number]
            if holdings:
                lender_kind = value.lender_kind.value
                writer.add(
                    (
                        version.pk,
                        loan_id,
                        value.row,
                        lender_kind,
                        encrypt(value.lender_name, purpose=NAME_PURPOSE),
                        encrypt(value.lender_id, purpose=purposes.ID_NUMBER),
                        blind_index(
                            id_index_value(lender_kind, value.lender_id),
                            purpose=purposes.ID_NUMBER,
                        ),
                        value.amount_fen,
                    )
                )
            else:
                received = value.lenders_received_on
                writer.add(
                    (
                        version.pk,
                        loan_id,
                        value.row,
                        value.period,
                        value.paid_on.isoformat(),
                        value.principal_fen,
                        value.interest_fen,
                        value.penalty_fen,
                        value.source.value,
                        received.isoformat() if received else None,
                    )
                )
    except LedgerFileError as exc:
        writer.abort()
        for error in exc.errors:
            note(error)
        return 0
    except BaseException:
        writer.abort()
        raise
    writer.close()
    return writer.count


def check_upload_size(name: str, size: int) -> None:
    if size > UPLOAD_LIMIT_MB * 1024 * 1024:
        raise DomainError(
            E.FILE_TOO_LARGE,
            field="files",
            name=name,
            size_mb=f"{size / 1024 / 1024:.1f}",
            limit_mb=UPLOAD_LIMIT_MB,
        )


def ledger_upload(
    *, institution: Institution, uploads: list, user: User, actor: Actor
) -> LedgerImportResult:
    """The staff page's upload: the three files (each at most UPLOAD_LIMIT_MB; larger ledgers
    go through `manage.py import_ledger`), checked and stored at once."""
    if len(uploads) != 3:
        raise DomainError(E.FILES_MISSING, field="files")
    sources = []
    for upload in uploads:
        check_upload_size(upload.name, upload.size)
        data = upload.read()
        sources.append((upload.name, lambda data=data: io.BytesIO(data)))
    return ledger_import(institution=institution, sources=sources, user=user, actor=actor)


# --- Collection (催收) ----------------------------------------------------------------------

NOTE_LIMIT = 2000


def collection_record(
    *,
    loan: Loan,
    kind: str,
    user: User,
    actor: Actor,
    note: str = "",
    recording_ref: str = "",
    plan_months: int | None = None,
    plan_start: date | None = None,
    plan_rate_bp: int | None = None,
    as_of: date | None = None,
) -> CollectionAction:
    """Log one collection step for an overdue loan (spec G.5: SMS reminder, phone call with
    the recording's reference, default notice, negotiated instalment plan, litigation).
    A plan (协商还款 / 分期还款计划, 002 L211) reschedules the loan's remaining principal
    with the schedules core: 等额本息 over `plan_months` from `plan_start`, at the loan's
    rate unless `plan_rate_bp` is given."""
    as_of = as_of or timezone.localdate()
    found = loan_position(loan, as_of) if loan.value_date <= as_of else None
    refusal = collection_refusal(loan, found)
    if refusal is not None:
        raise refusal
    try:
        kind = CollectionKind(kind)
    except ValueError:
        choices = "、".join(k.label for k in CollectionKind)
        raise DomainError(E.ACTION_KIND_INVALID, field="kind", choices=choices) from None
    note = clean_text(note)
    recording_ref = clean_text(recording_ref)[:100]
    if len(note) > NOTE_LIMIT:
        raise DomainError(E.NOTE_TOO_LONG, field="note", limit=NOTE_LIMIT)
    if kind is CollectionKind.PHONE and not recording_ref:
        raise DomainError(E.RECORDING_REQUIRED, field="recording_ref")
    plan = None
    if kind is CollectionKind.PLAN:
        if not plan_months or not 1 <= plan_months <= MAX_MONTHS:
            raise DomainError(
                E.PLAN_INVALID, field="plan_months", detail=f"期数应为1至{MAX_MONTHS}之间的整数"
            )
        start = plan_start or as_of
        if start < as_of:
            raise DomainError(E.PLAN_INVALID, field="plan_start", detail="起算日不能早于今天")
        new = schedule(
            principal_fen=found.outstanding_principal_fen,
            annual_rate_bp=loan.annual_rate_bp if plan_rate_bp is None else plan_rate_bp,
            months=plan_months,
            method=Method.EQUAL_INSTALMENT,
            value_date=start,
        )
        plan = {**to_json(new), "principal": format_yuan(new.principal_fen, grouping=False)}
    with transaction.atomic():
        institution = loan.version.institution
        action = CollectionAction.objects.create(
            institution=institution,
            loan_number=loan.number,
            kind=kind.value,
            note=note,
            recording_ref=recording_ref,
            plan=plan,
            days_overdue=found.days_overdue,
            created_by=user,
        )
        record(
            actor=actor,
            action=LedgerAction.COLLECTION_RECORDED,
            obj=action,
            institution_id=institution.pk,
            after={
                "loan": loan.number,
                "kind": kind.value,
                "days_overdue": found.days_overdue,
                "recording_ref": recording_ref,
                "plan_months": plan_months if plan else None,
            },
        )
    return action


# --- A claims-register version from the ledger ----------------------------------------------


def register_generate(*, institution: Institution, as_of: date, user: User, actor: Actor):
    """A pending claims-register version from the ledger (issue 17 item 6): one row per
    lender with principal still outstanding at `as_of` (holdings × each loan's remaining
    principal, to the fen), through the claims import, so it goes through the usual diff
    and activation. The ledger's files carry no mobile numbers: each lender's is taken from
    the active register, and a lender who is not in it is refused by name (masked)."""
    version = active_ledger(institution)
    if version is None:
        raise DomainError(E.NO_LEDGER)
    amounts = {k: v for k, v in lender_outstanding(version, as_of).items() if v > 0}
    phones = claims_selectors.active_register_phones_by_lender(institution)
    people: dict[str, Holding] = {}
    loans: dict[str, set[int]] = {}
    for holding in Holding.objects.filter(version=version, lender_index__in=list(amounts)):
        people.setdefault(holding.lender_index, holding)
        loans.setdefault(holding.lender_index, set()).add(holding.loan_id)
    missing = [people[k] for k in amounts if k not in phones or people[k].lender_kind != "person"]
    if missing:
        names = "、".join(h.lender_name.masked for h in missing[:10])
        raise DomainError(E.REGISTER_CONTACTS_MISSING, count=len(missing), names=names)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["姓名", "证件类型", "证件号码", "手机号", "待收本金(元)", "出借笔数"])
    for index, fen in sorted(amounts.items(), key=lambda item: people[item[0]].row_number):
        holding = people[index]
        writer.writerow(
            [
                holding.lender_name.value,
                "身份证",
                holding.lender_id.value,
                phones[index],
                format_yuan(fen, grouping=False),
                len(loans[index]),
            ]
        )
    data = out.getvalue().encode("utf-8")
    result = claims_services.register_import(
        institution=institution,
        open_source=lambda: io.BytesIO(data),
        source_name=f"借款台账第{version.number}版生成（截至{as_of.isoformat()}）.csv",
        user=user,
        actor=actor,
    )
    if result.ok:
        with transaction.atomic():
            record(
                actor=actor,
                action=LedgerAction.REGISTER_GENERATED,
                obj=version,
                institution_id=institution.pk,
                after={
                    "as_of": as_of.isoformat(),
                    "register_version": result.version.number,
                    "lenders": len(amounts),
                    "principal_total_fen": sum(amounts.values()),
                },
            )
    return result
