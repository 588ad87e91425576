"""Reads of the loan ledger, for its pages and for other apps."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from django.conf import settings
from django.db.models import QuerySet

from winddown.claims import selectors as claims_selectors
from winddown.core.errors import DomainError
from winddown.distribution import largest_remainder
from winddown.ledger import ah05
from winddown.ledger.ah05 import LoanFacts, Payment, Table
from winddown.ledger.errors import LedgerErrorCode as E
from winddown.ledger.models import (
    CollectionAction,
    Holding,
    LedgerImport,
    LedgerVersion,
    Loan,
    Repayment,
    VersionStatus,
)
from winddown.ledger.overdue import Due, Position, Receipt, penalty_fen, position
from winddown.ledger.vocab import PENALTY_DAILY_PPM, Product
from winddown.pii.masking import mask_name
from winddown.schedules import schedule

if TYPE_CHECKING:
    from winddown.institutions.models import Institution


def active_ledger(institution: Institution | int) -> LedgerVersion | None:
    institution_id = getattr(institution, "pk", institution)
    return LedgerVersion.objects.filter(
        institution_id=institution_id, status=VersionStatus.ACTIVE
    ).first()


def ledger_versions(institution: Institution) -> QuerySet[LedgerVersion]:
    return LedgerVersion.objects.filter(institution=institution).order_by("-number")


def ledger_imports(institution: Institution, limit: int = 20) -> list[LedgerImport]:
    return list(
        LedgerImport.objects.filter(institution=institution).order_by("-created_at")[:limit]
    )


# --- Positions and AH-05 --------------------------------------------------------------------


def _instalments(loan) -> tuple[Due, ...]:
    plan = schedule(
        principal_fen=loan.principal_fen,
        annual_rate_bp=loan.annual_rate_bp,
        months=loan.months,
        method=loan.method,
        value_date=loan.value_date,
    )
    return tuple(
        Due(i.period, i.due_date, i.principal_fen, i.interest_fen) for i in plan.instalments
    )


def loan_schedule(loan: Loan):
    """The loan's schedule (the schedules core) as instalments."""
    return _instalments(loan)


def loan_receipts(loan: Loan) -> tuple[Receipt, ...]:
    return tuple(
        Receipt(r.period, r.principal_fen, r.interest_fen, r.lenders_received_on)
        for r in loan.repayments.all()
    )


def loan_position(loan: Loan, as_of: date) -> Position:
    return position(loan.principal_fen, _instalments(loan), loan_receipts(loan), as_of)


def loan_penalty_fen(loan: Loan, as_of: date) -> int:
    rates = {**PENALTY_DAILY_PPM, **getattr(settings, "LEDGER_PENALTY_DAILY_PPM", {})}
    return penalty_fen(_instalments(loan), loan_receipts(loan), as_of, rates[Product(loan.product)])


def loan_facts(version: LedgerVersion, *, loan_ids: set[int] | None = None) -> list[LoanFacts]:
    """Every loan of a version with its instalments, what lenders received and the holders,
    for the AH-05 computation (one query per table, grouped in memory)."""
    loans = Loan.objects.filter(version=version)
    holdings = Holding.objects.filter(version=version)
    repayments = Repayment.objects.filter(version=version)
    if loan_ids is not None:
        loans, holdings = loans.filter(pk__in=loan_ids), holdings.filter(loan_id__in=loan_ids)
        repayments = repayments.filter(loan_id__in=loan_ids)
    holders: dict[int, list[str]] = defaultdict(list)
    for loan_id, key in holdings.values_list("loan_id", "lender_index").iterator(chunk_size=20_000):
        holders[loan_id].append(key)
    receipts: dict[int, list[Receipt]] = defaultdict(list)
    payments: dict[int, list[Payment]] = defaultdict(list)
    rows = repayments.values_list(
        "loan_id",
        "period",
        "principal_fen",
        "interest_fen",
        "penalty_fen",
        "source",
        "paid_on",
        "lenders_received_on",
    )
    for loan_id, period, principal, interest, penalty, source, paid_on, received in rows.iterator(
        chunk_size=20_000
    ):
        receipts[loan_id].append(Receipt(period, principal, interest, received))
        if source != "borrower":
            payments[loan_id].append(Payment(source, paid_on, principal + interest + penalty))
    facts = []
    columns = (
        "id",
        "number",
        "borrower_id",
        "principal_fen",
        "annual_rate_bp",
        "months",
        "method",
        "value_date",
        "related_party",
    )
    no_rows: tuple = ()
    for (
        pk,
        number,
        borrower,
        principal,
        rate,
        months,
        method,
        value_date,
        related,
    ) in loans.values_list(*columns).iterator(chunk_size=20_000):
        plan = schedule(
            principal_fen=principal,
            annual_rate_bp=rate,
            months=months,
            method=method,
            value_date=value_date,
        )
        facts.append(
            LoanFacts(
                id=pk,
                number=number,
                borrower=str(borrower),
                principal_fen=principal,
                annual_rate_bp=rate,
                months=months,
                value_date=value_date,
                related_party=related,
                lenders=tuple(holders.get(pk, no_rows)),
                instalments=tuple(
                    Due(i.period, i.due_date, i.principal_fen, i.interest_fen)
                    for i in plan.instalments
                ),
                receipts=tuple(receipts.get(pk, no_rows)),
                payments=tuple(payments.get(pk, no_rows)),
            )
        )
    return facts


def ah05_table(institution: Institution, year: int, month: int) -> tuple[LedgerVersion, Table]:
    """AH-05 for one institution and month from its active ledger (DomainError NO_LEDGER)."""
    version = active_ledger(institution)
    if version is None:
        raise DomainError(E.NO_LEDGER)
    return version, ah05.figures(loan_facts(version), year, month)


def ah05_prefill(institution: Institution, period) -> dict[str, str]:
    """The association filing's AH-05 draft, pre-filled from the active ledger (reporting's
    prefill seam, registered in apps.py): every figure the ledger computes, as the table
    takes it; nothing without a ledger."""
    if period.kind != "month" or active_ledger(institution) is None:
        return {}
    _version, table = ah05_table(institution, period.year, period.index)
    return {f.code: str(f.text) for f in table.figures if f.text is not None}


def parse_period(raw: str) -> tuple[int, int]:
    """ "YYYY-MM" as (year, month), or DomainError PERIOD_INVALID."""
    parts = raw.strip().split("-")
    if len(parts) == 2 and all(p.isdigit() for p in parts) and len(parts[0]) == 4:
        year, month = int(parts[0]), int(parts[1])
        if 2000 <= year <= 2100 and 1 <= month <= 12:
            return year, month
    raise DomainError(E.PERIOD_INVALID, field="period", value=raw)


def positions(version: LedgerVersion, as_of: date) -> dict[int, Position]:
    """Every loan's position at `as_of` (loans not yet started are left out)."""
    return {
        facts.id: position(facts.principal_fen, facts.instalments, facts.receipts, as_of)
        for facts in loan_facts(version)
        if facts.value_date <= as_of
    }


STATUS_LABELS = {"current": "正常", "overdue": "逾期", "settled": "已结清", "future": "未起息"}


def loan_status(loan: Loan, found: Position | None) -> str:
    if found is None:
        return "future"
    if found.outstanding_principal_fen == 0 and not found.is_overdue:
        return "settled"
    return "overdue" if found.is_overdue else "current"


@dataclass(frozen=True)
class LoanFilter:
    product: str = ""
    status: str = ""
    bucket: int | None = None  # 30, 60, 90: days overdue strictly above
    guarantor: str = ""  # "" any; "-" none; otherwise contains


def filtered_loans(
    version: LedgerVersion, as_of: date, wanted: LoanFilter
) -> list[tuple[Loan, Position | None, str]]:
    """The version's loans matching the filters, with their position and status at `as_of`,
    the most overdue first."""
    found = positions(version, as_of)
    loans = Loan.objects.filter(version=version).select_related("borrower").order_by("number")
    if wanted.product:
        loans = loans.filter(product=wanted.product)
    if wanted.guarantor == "-":
        loans = loans.filter(guarantor="")
    elif wanted.guarantor:
        loans = loans.filter(guarantor__contains=wanted.guarantor)
    rows = []
    for loan in loans:
        at = found.get(loan.pk)
        status = loan_status(loan, at)
        if wanted.status and status != wanted.status:
            continue
        if wanted.bucket and not (at and at.in_bucket(wanted.bucket)):
            continue
        rows.append((loan, at, status))
    rows.sort(key=lambda row: (-(row[1].days_overdue if row[1] else 0), row[0].number))
    return rows


def guarantors(version: LedgerVersion) -> list[str]:
    return list(
        Loan.objects.filter(version=version)
        .exclude(guarantor="")
        .values_list("guarantor", flat=True)
        .distinct()
        .order_by("guarantor")
    )


@dataclass(frozen=True)
class InstalmentLine:
    """One period of a loan's schedule beside what was paid for it and when."""

    due: Due
    repayments: list[Repayment]
    paid_principal_fen: int
    paid_interest_fen: int
    received_principal_fen: int
    received_interest_fen: int
    status: str  # 已收到 / 部分收到 / 逾期 / 未到期 / 已还款未划付


def loan_lines(loan: Loan, as_of: date) -> list[InstalmentLine]:
    by_period: dict[int, list[Repayment]] = defaultdict(list)
    for repayment in loan.repayments.order_by("period", "paid_on", "row_number"):
        by_period[repayment.period].append(repayment)
    lines = []
    for due in _instalments(loan):
        paid = by_period.get(due.period, [])
        received = [r for r in paid if r.lenders_received_on and r.lenders_received_on <= as_of]
        got_principal = sum(r.principal_fen for r in received)
        got_interest = sum(r.interest_fen for r in received)
        complete = got_principal >= due.principal_fen and got_interest >= due.interest_fen
        if complete:
            status = "已收到"
        elif due.due_date >= as_of:
            status = "未到期" if not paid else "已还款未划付"
        elif paid and sum(r.principal_fen + r.interest_fen for r in paid) >= (
            due.principal_fen + due.interest_fen
        ):
            status = "逾期（借款人已还款，出借人未收到）"
        else:
            status = "逾期"
        lines.append(
            InstalmentLine(
                due,
                paid,
                sum(r.principal_fen for r in paid),
                sum(r.interest_fen for r in paid),
                got_principal,
                got_interest,
                status,
            )
        )
    return lines


@dataclass(frozen=True)
class BucketRow:
    label: str
    count: int
    principal_fen: int
    overdue_fen: int


def overdue_dashboard(version: LedgerVersion, as_of: date) -> dict:
    """Overdue per bucket and per product at `as_of` (spec G.3), for the dashboard."""
    found = positions(version, as_of)
    loans = {
        loan.pk: loan
        for loan in Loan.objects.filter(version=version).only(
            "id", "number", "product", "principal_fen", "guarantor"
        )
    }
    live = [p for p in found.values() if p.outstanding_principal_fen > 0 or p.is_overdue]
    overdue = {i: p for i, p in found.items() if p.is_overdue}

    def row(label, group) -> BucketRow:
        return BucketRow(
            label,
            len(group),
            sum(p.outstanding_principal_fen for p in group),
            sum(p.overdue_fen for p in group),
        )

    buckets = [
        row("全部在贷", live),
        row("逾期", list(overdue.values())),
        *(
            row(f"逾期{days}天（不含）以上", [p for p in overdue.values() if p.in_bucket(days)])
            for days in (30, 60, 90)
        ),
    ]
    products = []
    for product in Product:
        group = [p for i, p in overdue.items() if loans[i].product == product]
        products.append(row(product.label, group))
    worst = sorted(overdue.items(), key=lambda item: (-item[1].days_overdue, loans[item[0]].number))
    return {
        "buckets": buckets,
        "products": products,
        "worst": [(loans[i], p) for i, p in worst[:20]],
    }


def loan_actions(institution: Institution, loan_number: str) -> list:
    """The collection log of one loan (newest first)."""
    return list(
        CollectionAction.objects.filter(institution=institution, loan_number=loan_number)
        .select_related("created_by")
        .order_by("-created_at", "-pk")
    )


# --- Collection queue -----------------------------------------------------------------------


@dataclass(frozen=True)
class QueueRow:
    loan: Loan
    position: Position
    last_action: CollectionAction | None
    action_count: int


def collection_queue(institution: Institution, as_of: date) -> list[QueueRow]:
    """The institution's overdue loans, most days overdue first, then the largest overdue
    amount (issue 17 item 5), each with its latest collection action."""
    version = active_ledger(institution)
    if version is None:
        return []
    overdue = {i: p for i, p in positions(version, as_of).items() if p.is_overdue}
    loans = Loan.objects.filter(pk__in=overdue).select_related("borrower")
    last: dict[str, CollectionAction] = {}
    counts: dict[str, int] = defaultdict(int)
    for action in CollectionAction.objects.filter(institution=institution).order_by(
        "created_at", "pk"
    ):
        last[action.loan_number] = action
        counts[action.loan_number] += 1
    rows = [
        QueueRow(loan, overdue[loan.pk], last.get(loan.number), counts.get(loan.number, 0))
        for loan in loans
    ]
    rows.sort(key=lambda r: (-r.position.days_overdue, -r.position.overdue_fen, r.loan.number))
    return rows


# --- Reconciliation with the claims register ------------------------------------------------


@dataclass(frozen=True)
class LenderLine:
    lender_index: str
    name: str  # masked
    ledger_fen: int | None  # None: not in the ledger
    register_fen: int | None  # None: not in the active register

    @property
    def difference_fen(self) -> int:
        return (self.ledger_fen or 0) - (self.register_fen or 0)

    @property
    def status(self) -> str:
        """A lender with nothing outstanding who is missing on one side is consistent."""
        if self.difference_fen == 0:
            return "一致"
        if self.register_fen is None:
            return "登记表中没有"
        if self.ledger_fen is None:
            return "台账中没有"
        return "金额不同"


@dataclass(frozen=True)
class Reconciliation:
    as_of: date
    register_number: int | None
    lines: list[LenderLine]  # every lender, differences first
    ledger_total_fen: int
    register_total_fen: int

    @property
    def differences(self) -> list[LenderLine]:
        return [line for line in self.lines if line.status != "一致"]


def lender_outstanding(version: LedgerVersion, as_of: date) -> dict[str, int]:
    """Each lender's outstanding principal from the ledger: for every loan, its remaining
    principal split over its holdings pro rata to what each funded, to the fen (largest
    remainder, `winddown.distribution`), summed per lender (issue 17 item 6)."""
    found = positions(version, as_of)
    shares: dict[int, list[tuple[int, str, int]]] = defaultdict(list)
    for pk, loan_id, index, amount in Holding.objects.filter(version=version).values_list(
        "pk", "loan_id", "lender_index", "amount_fen"
    ):
        shares[loan_id].append((pk, index, amount))
    totals: dict[str, int] = defaultdict(int)
    for loan_id, holdings in shares.items():
        at = found.get(loan_id)
        remaining = at.outstanding_principal_fen if at else sum(h[2] for h in holdings)
        split = largest_remainder(
            remaining, [h[2] for h in holdings], [f"{h[0]:012d}" for h in holdings]
        )
        for (_pk, index, _amount), share in zip(holdings, split, strict=True):
            totals[index] += share
    return dict(totals)


def reconciliation(institution: Institution, as_of: date) -> Reconciliation:
    """The ledger's outstanding principal per lender beside the active claims register's."""
    version = active_ledger(institution)
    if version is None:
        raise DomainError(E.NO_LEDGER)
    ledger = lender_outstanding(version, as_of)
    register = claims_selectors.active_register_amounts(institution)
    register_version = claims_selectors.active_register(institution)
    names: dict[str, str] = {}
    missing = [index for index in ledger if index not in register]
    for holding in Holding.objects.filter(version=version, lender_index__in=missing):
        names.setdefault(holding.lender_index, holding.lender_name.masked)
    lines = []
    for index in ledger.keys() | register.keys():
        in_register = register.get(index)
        name = mask_name(in_register[0]) if in_register else names.get(index, "")
        lines.append(
            LenderLine(
                index,
                name,
                ledger.get(index),
                in_register[1] if in_register else None,
            )
        )
    lines.sort(key=lambda line: (line.status == "一致", -abs(line.difference_fen), line.name))
    return Reconciliation(
        as_of,
        register_version.number if register_version else None,
        lines,
        sum(ledger.values()),
        sum(v[1] for v in register.values()),
    )
