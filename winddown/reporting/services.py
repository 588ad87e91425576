"""Writes of association reporting: each one transaction with its audit entry.

The life of a filing (报送办法 003:L485–627; spec B.1):

    filing_draft → filing_save / filing_upload (any number of times) → filing_sign
    → filing_submit → [association] filing_return (with comments) | filing_accept
    → filing_resubmit (a new version with its reason) → …

* Validation runs on every save (:func:`winddown.indicators.validate`): a cell that cannot
  be read refuses the whole save, naming the code and the fix, and nothing is stored
  (all-or-nothing, as the claims importer); blanks and rule findings are kept on the
  version and block only the sign-off.
* Warnings need a written explanation, which the association sees (the Call Report model).
* Sign-off: the operator confirms for the legal representative (披露办法 第十八条, spec
  A1‑18: "均应当有…法定代表人的签字确认"), naming them; then submits.
* A submitted or accepted version never changes; a correction is a new version with its
  reason (报送办法 第十条). Lateness is that of the first submission against the deadline
  from the working-day calendar (:mod:`winddown.reporting.deadlines`).
* An operator acting for another institution is refused (403) and the attempt audited
  (``reporting.filing_refused``), outside the refused transaction so that it is kept.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from typing import TYPE_CHECKING, BinaryIO

from django.db import transaction
from django.utils import timezone

from winddown.audit.services import Actor, record
from winddown.calendar import InvalidPeriod, Period
from winddown.core.errors import DomainError
from winddown.indicators import DEFINITIONS_VERSION, TABLES, Kind, Table, validate
from winddown.indicators.validate import ERROR, WARNING, Report, cross_check_v16, split_key
from winddown.indicators.values import format_value
from winddown.reporting import deadlines, policies
from winddown.reporting.audit_actions import ReportingAction
from winddown.reporting.errors import ReportingErrorCode as E
from winddown.reporting.models import Filing, FilingStatus, FilingVersion, VersionStatus
from winddown.reporting.prefill import computed_totals, prefill, register_prefill

if TYPE_CHECKING:
    from winddown.accounts.models import User
    from winddown.institutions.models import Institution

__all__ = [
    "filing_accept",
    "filing_delay_explain",
    "filing_draft",
    "filing_resubmit",
    "filing_return",
    "filing_save",
    "filing_sign",
    "filing_submit",
    "filing_upload",
    "register_prefill",
]

EXPLANATION_LIMIT = 2000
COMMENT_LIMIT = 4000
REASON_LIMIT = 2000
_EXAMPLES = {"year": "2025", "quarter": "2026-Q3", "month": "2026-09"}


# --- helpers -----------------------------------------------------------------------------


def table_or_error(code: str) -> Table:
    table = TABLES.get(str(code).strip().upper())
    if table is None:
        raise DomainError(E.TABLE_UNKNOWN, field="table", table=code, known="、".join(TABLES))
    return table


def period_or_error(table: Table, text: str, *, today: date | None = None) -> Period:
    """The period ``text`` of ``table``: it must exist, match the table's frequency and be
    over (its statistic time point is 24:00 of its last day, 报送标准 (二)3)."""
    kind = table.frequency.period_kind
    names = {"year": "年度", "quarter": "季度", "month": "月度"}
    try:
        period = Period.parse(str(text).strip())
        if period.kind != kind:
            raise InvalidPeriod(text, f"这是{names[period.kind]}期间")
    except InvalidPeriod as exc:
        raise DomainError(
            E.PERIOD_INVALID,
            field="period",
            period=text,
            table=table.code,
            kind=names[kind],
            example=_EXAMPLES[kind],
            detail=str(exc).partition(" / ")[0],
        ) from None
    today = today or timezone.localdate()
    if period.last_day >= today:
        raise DomainError(
            E.PERIOD_OPEN, field="period", period=period.label, last_day=period.last_day
        )
    return period


def previous_period(period: Period) -> Period:
    if period.kind == "year":
        return Period("year", period.year - 1)
    if period.kind == "quarter":
        q = period.year * 4 + period.index - 2
        return Period("quarter", q // 4, q % 4 + 1)
    m = period.year * 12 + period.index - 2
    return Period("month", m // 12, m % 12 + 1)


def _refuse_filer(user: User, actor: Actor, institution_id: int, what: str) -> None:
    refusal = policies.filer_refusal(user, institution_id)
    if refusal is None:
        return
    record(
        actor=actor,
        action=ReportingAction.FILING_REFUSED,
        object_type="reporting.filing",
        object_id=what[:64],
        institution_id=institution_id,
        after={"refused": refusal.error_code.code, "operation": what},
    )
    raise refusal


def _previous_values(filing: Filing) -> tuple[dict | None, bool]:
    period = Period.parse(filing.period)
    before = previous_period(period)
    version = (
        FilingVersion.objects.filter(
            filing__institution_id=filing.institution_id,
            filing__table=filing.table,
            filing__period=before.label,
            status__in=[VersionStatus.SUBMITTED, VersionStatus.ACCEPTED, VersionStatus.RETURNED],
        )
        .order_by("-number")
        .first()
    )
    if version is None:
        return None, True
    return validate(TABLES[filing.table], version.cells).values, before.year == period.year


def _other_table_values(filing: Filing, table: str) -> dict | None:
    version = (
        FilingVersion.objects.filter(
            filing__institution_id=filing.institution_id, filing__table=table,
            filing__period=filing.period,
        )
        .exclude(status=VersionStatus.SUPERSEDED)
        .order_by("-number")
        .first()
    )  # fmt: skip
    return None if version is None else validate(TABLES[table], version.cells).values


def run_validation(filing: Filing, cells: Mapping[str, str]) -> Report:
    previous, same_year = _previous_values(filing)
    report = validate(TABLES[filing.table], cells, previous=previous, same_year_previous=same_year)
    if filing.table in ("AH-05", "AH-06"):  # spec B.7 V16, across the month's two tables
        other = _other_table_values(filing, "AH-06" if filing.table == "AH-05" else "AH-05")
        if other is not None:
            pair = (report.values, other) if filing.table == "AH-05" else (other, report.values)
            finding = cross_check_v16(*pair, on=filing.table)
            if finding is not None:
                report.findings.append(finding)
    return report


def _canonical(table: Table, report: Report, cells: Mapping[str, str]) -> tuple[dict, dict]:
    texts: dict[str, str] = {}
    fen: dict[str, int] = {}
    for key, value in report.values.items():
        code, _n = split_key(key)
        indicator = table.indicator(code)
        if value is None:
            raw = str(cells.get(key) or "").strip()
            if raw:
                texts[key] = raw
            continue
        texts[key] = format_value(indicator, value)
        if indicator.kind is Kind.AMOUNT:
            fen[key] = value
        elif indicator.kind is Kind.AMOUNT_PAIR:
            fen[f"{key}.注册资本"], fen[f"{key}.实缴资本"] = value
    return texts, fen


def _store(
    version: FilingVersion,
    cells: Mapping[str, str],
    explanations: Mapping | None,
    *,
    strict: bool = True,
):
    """Validate ``cells`` (the whole table) and put them on ``version``, or raise and store
    nothing when a cell cannot be read."""
    filing = version.filing
    table = TABLES[filing.table]
    report = run_validation(filing, cells)
    unreadable = [
        f for f in report.errors if f.rule.startswith("CELL.") and f.rule != "CELL.required"
    ]
    if unreadable:
        raise DomainError(
            E.CELLS_INVALID,
            field=unreadable[0].codes[0],
            count=len(unreadable),
            first=unreadable[0].message,
            findings=[f.as_dict() for f in unreadable],
        )
    texts, fen = _canonical(table, report, cells)
    version.cells = texts
    version.amounts_fen = fen
    version.findings = [f.as_dict() for f in report.findings]
    merged = {
        **version.explanations,
        **{k: str(v).strip() for k, v in (explanations or {}).items()},
    }
    warning_keys = {f.key for f in report.findings if f.severity == WARNING}
    unknown = [k for k in (explanations or {}) if k not in warning_keys]
    if unknown and strict:
        raise DomainError(E.EXPLANATION_UNKNOWN, field="explanations", key=unknown[0])
    for key, text in merged.items():
        if len(text) > EXPLANATION_LIMIT:
            raise DomainError(E.TEXT_TOO_LONG, field=key, label="说明", limit=EXPLANATION_LIMIT)
    version.explanations = {k: v for k, v in merged.items() if k in warning_keys and v}
    # any change withdraws the sign-off: the legal representative confirmed other content
    version.signatory, version.signed_by, version.signed_at = "", None, None


# --- services ----------------------------------------------------------------------------


def filing_draft(
    *, user: User, actor: Actor, institution: Institution, table: str, period: str
) -> FilingVersion:
    """The draft of ``institution``'s ``table`` for ``period``: the open one if there is,
    else a new filing pre-filled from what the platform knows (:mod:`.prefill`)."""
    t = table_or_error(table)
    _refuse_filer(user, actor, institution.pk, f"draft {t.code} {period}")
    p = period_or_error(t, period)
    with transaction.atomic():
        filing, created = Filing.objects.select_for_update().get_or_create(
            institution=institution, table=t.code, period=p.label
        )
        draft = filing.versions.filter(status=VersionStatus.DRAFT).first()
        if draft is not None:
            return draft
        if not created:
            raise DomainError(
                E.WRONG_STATE,
                table=t.code,
                period=p.label,
                state=filing.get_status_display(),
                action="新建草稿；如需更正请发起更正重报",
            )
        filing.due, filing.deadline = deadlines.dates(t.code, p)
        filing.save(update_fields=["due", "deadline"])
        version = FilingVersion(
            filing=filing,
            number=1,
            definitions_version=DEFINITIONS_VERSION,
            created_by=user,
        )
        version.filing = filing
        cells = prefill(t.code, institution, p)
        cells.update(computed_totals(t.code, cells))
        _store(version, cells, None)
        version.prefilled = sorted(version.cells)
        version.save()
        record(
            actor=actor,
            action=ReportingAction.FILING_DRAFTED,
            obj=version,
            institution_id=institution.pk,
            after=version.audit_snapshot(),
        )
        return version


def filing_save(
    *,
    user: User,
    actor: Actor,
    version: FilingVersion,
    cells: Mapping[str, object],
    explanations: Mapping[str, str] | None = None,
    source: str = "entry",
    replace: bool = False,
    strict: bool = True,
) -> FilingVersion:
    """Change cells of a draft (``replace``: the given cells are the whole table, as an
    upload). Refused for anything but a draft: an accepted filing changes only by
    resubmission. ``strict``: refuse an explanation of a warning the new cells no longer
    raise (the API); the page drops it (its form still shows the old warnings)."""
    filing = version.filing
    _refuse_filer(user, actor, filing.institution_id, f"save {filing.table} {filing.period}")
    with transaction.atomic():
        version = (
            FilingVersion.objects.select_for_update().select_related("filing").get(pk=version.pk)
        )
        refusal = policies.edit_refusal(version)
        if refusal:
            raise refusal
        before = version.audit_snapshot()
        text = {str(k).strip().upper(): "" if v is None else str(v) for k, v in cells.items()}
        merged = text if replace else {**version.cells, **text}
        merged.update(computed_totals(filing.table, merged))
        _store(version, merged, explanations, strict=strict)
        version.source = source
        version.save()
        record(
            actor=actor,
            action=ReportingAction.FILING_UPLOADED
            if source == "upload"
            else ReportingAction.FILING_SAVED,
            obj=version,
            institution_id=filing.institution_id,
            before=before,
            after=version.audit_snapshot(),
        )
        return version


def filing_upload(
    *,
    user: User,
    actor: Actor,
    version: FilingVersion,
    open_source: Callable[[], BinaryIO],
    source_name: str,
) -> FilingVersion:
    """Replace a draft's cells with an XLSX (or CSV) in the standard's layout
    (:mod:`winddown.reporting.layout`); another table's layout is refused."""
    from winddown.reporting.layout import read_upload

    filing = version.filing
    _refuse_filer(user, actor, filing.institution_id, f"upload {filing.table} {filing.period}")
    cells = read_upload(TABLES[filing.table], open_source)
    return filing_save(
        user=user, actor=actor, version=version, cells=cells, source="upload", replace=True
    )


def filing_sign(
    *, user: User, actor: Actor, version: FilingVersion, signatory: str
) -> FilingVersion:
    """The operator confirms the content for the legal representative ``signatory``
    (披露办法 第十八条); refused while a blocking error or an unexplained warning remains."""
    filing = version.filing
    _refuse_filer(user, actor, filing.institution_id, f"sign {filing.table} {filing.period}")
    signatory = " ".join(str(signatory or "").split())
    if not signatory:
        raise DomainError(E.SIGNATORY_REQUIRED, field="signatory")
    if len(signatory) > 100:
        raise DomainError(E.TEXT_TOO_LONG, field="signatory", label="法定代表人姓名", limit=100)
    with transaction.atomic():
        version = (
            FilingVersion.objects.select_for_update().select_related("filing").get(pk=version.pk)
        )
        refusal = policies.edit_refusal(version)
        if refusal:
            raise refusal
        errors = [f for f in version.findings if f["severity"] == ERROR]
        if errors:
            raise DomainError(
                E.BLOCKING_ERRORS, field=errors[0]["codes"][0], count=len(errors),
                first=errors[0]["message"],
            )  # fmt: skip
        missing = [
            f for f in version.findings
            if f["severity"] == WARNING and not version.explanations.get(f["key"])
        ]  # fmt: skip
        if missing:
            raise DomainError(
                E.EXPLANATION_MISSING, field=missing[0]["key"], count=len(missing),
                first=missing[0]["message"],
            )  # fmt: skip
        version.signatory = signatory
        version.signed_by = user
        version.signed_at = timezone.now()
        version.save(update_fields=["signatory", "signed_by", "signed_at", "updated_at"])
        record(
            actor=actor,
            action=ReportingAction.FILING_SIGNED,
            obj=version,
            institution_id=filing.institution_id,
            after=version.audit_snapshot(),
        )
        return version


def filing_delay_explain(
    *, user: User, actor: Actor, filing: Filing, reason: str, expected: date
) -> Filing:
    """Tell the association, before the deadline, why the filing will be late and when it
    will come (报送办法 第七条). After the deadline it is refused: the filing is then
    overdue, and only filing it helps."""
    _refuse_filer(user, actor, filing.institution_id, f"delay {filing.table} {filing.period}")
    reason = str(reason or "").strip()
    if not reason:
        raise DomainError(E.DELAY_INVALID, field="reason", detail="请写明不能按时报送的原因")
    if len(reason) > REASON_LIMIT:
        raise DomainError(E.TEXT_TOO_LONG, field="reason", label="原因", limit=REASON_LIMIT)
    today = timezone.localdate()
    if filing.deadline is not None and today > filing.deadline:
        raise DomainError(
            E.DELAY_INVALID, field="reason",
            detail=f"报送期限{filing.deadline}已过，须在期限前说明（报送办法第七条）；请尽快报送",
        )  # fmt: skip
    if expected < today:
        raise DomainError(E.DELAY_INVALID, field="expected", detail="预计报送日期不能早于今天")
    with transaction.atomic():
        filing = Filing.objects.select_for_update().get(pk=filing.pk)
        if filing.status not in (FilingStatus.DRAFT, FilingStatus.RETURNED):
            raise DomainError(
                E.WRONG_STATE, table=filing.table, period=filing.period,
                state=filing.get_status_display(), action="说明延迟报送",
            )  # fmt: skip
        before = filing.audit_snapshot()
        filing.delay_reason, filing.delay_expected = reason, expected
        filing.delay_noted_at = timezone.now()
        filing.save(
            update_fields=["delay_reason", "delay_expected", "delay_noted_at", "updated_at"]
        )
        record(
            actor=actor,
            action=ReportingAction.FILING_DELAY_EXPLAINED,
            obj=filing,
            institution_id=filing.institution_id,
            before=before,
            after={"reason": reason, "expected": expected.isoformat()},
        )
        return filing


def filing_submit(*, user: User, actor: Actor, version: FilingVersion) -> FilingVersion:
    filing = version.filing
    _refuse_filer(user, actor, filing.institution_id, f"submit {filing.table} {filing.period}")
    with transaction.atomic():
        filing = Filing.objects.select_for_update().get(pk=filing.pk)
        version = FilingVersion.objects.select_for_update().get(pk=version.pk)
        refusal = policies.edit_refusal(version)
        if refusal:
            raise refusal
        if not version.signed_at:
            raise DomainError(E.NOT_SIGNED, field="signatory")
        now = timezone.now()
        filing.versions.filter(
            status__in=[VersionStatus.SUBMITTED, VersionStatus.RETURNED, VersionStatus.ACCEPTED]
        ).update(status=VersionStatus.SUPERSEDED)
        version.status = VersionStatus.SUBMITTED
        version.submitted_by = user
        version.submitted_at = now
        version.save(update_fields=["status", "submitted_by", "submitted_at", "updated_at"])
        before = filing.audit_snapshot()
        if filing.first_submitted_at is None:
            filing.first_submitted_at = now
            if filing.deadline is None:  # the year was confirmed since the draft
                filing.due, filing.deadline = deadlines.dates(
                    filing.table, Period.parse(filing.period)
                )
            filing.late = filing.deadline is not None and timezone.localdate(now) > filing.deadline
        filing.status = FilingStatus.SUBMITTED
        filing.save()
        record(
            actor=actor,
            action=ReportingAction.FILING_SUBMITTED,
            obj=version,
            institution_id=filing.institution_id,
            before=before,
            after={**filing.audit_snapshot(), "version": version.number},
        )
        version.filing = filing
        return version


def filing_resubmit(*, user: User, actor: Actor, filing: Filing, reason: str) -> FilingVersion:
    """A correction: a new draft version, copied from the latest, with its ``reason``
    (报送办法 第十条 "撤回并做出修改"); the earlier versions stay as they were."""
    _refuse_filer(user, actor, filing.institution_id, f"resubmit {filing.table} {filing.period}")
    reason = str(reason or "").strip()
    if not reason:
        raise DomainError(E.REASON_REQUIRED, field="reason")
    if len(reason) > REASON_LIMIT:
        raise DomainError(E.TEXT_TOO_LONG, field="reason", label="更正原因", limit=REASON_LIMIT)
    with transaction.atomic():
        filing = Filing.objects.select_for_update().get(pk=filing.pk)
        refusal = policies.resubmit_refusal(filing)
        if refusal:
            raise refusal
        latest = filing.versions.order_by("-number").first()
        version = FilingVersion(
            filing=filing,
            number=latest.number + 1,
            reason=reason,
            definitions_version=DEFINITIONS_VERSION,
            created_by=user,
            explanations=dict(latest.explanations),
        )
        _store(version, latest.cells, None)
        version.save()
        before = filing.audit_snapshot()
        filing.status = FilingStatus.DRAFT
        filing.save(update_fields=["status", "updated_at"])
        record(
            actor=actor,
            action=ReportingAction.FILING_RESUBMISSION_OPENED,
            obj=version,
            institution_id=filing.institution_id,
            before=before,
            after={**version.audit_snapshot(), "reason": reason},
        )
        return version


def _review(
    user: User, actor: Actor, filing: Filing, *, accept: bool, comment: str
) -> FilingVersion:
    action = "接收" if accept else "退回"
    comment = str(comment or "").strip()
    with transaction.atomic():
        filing = Filing.objects.select_for_update().get(pk=filing.pk)
        refusal = policies.review_refusal(user, filing, action)
        if refusal:
            raise refusal
        if not accept and not comment:
            raise DomainError(E.COMMENT_REQUIRED, field="comment")
        if len(comment) > COMMENT_LIMIT:
            raise DomainError(E.TEXT_TOO_LONG, field="comment", label="意见", limit=COMMENT_LIMIT)
        version = filing.versions.get(status=VersionStatus.SUBMITTED)
        version.status = VersionStatus.ACCEPTED if accept else VersionStatus.RETURNED
        version.review_comment = comment
        version.reviewed_by = user
        version.reviewed_at = timezone.now()
        version.save()
        before = filing.audit_snapshot()
        filing.status = FilingStatus.ACCEPTED if accept else FilingStatus.RETURNED
        filing.save(update_fields=["status", "updated_at"])
        record(
            actor=actor,
            action=ReportingAction.FILING_ACCEPTED if accept else ReportingAction.FILING_RETURNED,
            obj=version,
            institution_id=filing.institution_id,
            before=before,
            after={**filing.audit_snapshot(), "version": version.number, "comment": comment},
        )
        return version


def filing_return(*, user: User, actor: Actor, filing: Filing, comment: str) -> FilingVersion:
    """The association returns the submitted version with comments (报送办法 第八条(二):
    "对有疑义部分，协会有权让会员单位重新整理再行提交信息")."""
    return _review(user, actor, filing, accept=False, comment=comment)


def filing_accept(*, user: User, actor: Actor, filing: Filing, comment: str = "") -> FilingVersion:
    return _review(user, actor, filing, accept=True, comment=comment)
