"""Reads of the loan ledger, for its pages and for other apps."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import TYPE_CHECKING

from django.conf import settings
from django.db.models import QuerySet

from winddown.core.errors import DomainError
from winddown.ledger import ah05
from winddown.ledger.ah05 import LoanFacts, Payment, Table
from winddown.ledger.errors import LedgerErrorCode as E
from winddown.ledger.models import (
    Holding,
    LedgerImport,
    LedgerVersion,
    Loan,
    Repayment,
    VersionStatus,
)
from winddown.ledger.overdue import Due, Position, Receipt, penalty_fen, position
from winddown.ledger.vocab import PENALTY_DAILY_PPM, Product
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
    for loan in loans.only(
        "id",
        "number",
        "borrower_id",
        "principal_fen",
        "annual_rate_bp",
        "months",
        "method",
        "value_date",
        "related_party",
    ).iterator(chunk_size=20_000):
        facts.append(
            LoanFacts(
                id=loan.pk,
                number=loan.number,
                borrower=str(loan.borrower_id),
                principal_fen=loan.principal_fen,
                annual_rate_bp=loan.annual_rate_bp,
                months=loan.months,
                value_date=loan.value_date,
                related_party=loan.related_party,
                lenders=tuple(holders.get(loan.pk, ())),
                instalments=_instalments(loan),
                receipts=tuple(receipts.get(loan.pk, ())),
                payments=tuple(payments.get(loan.pk, ())),
            )
        )
    return facts


def ah05_table(institution: Institution, year: int, month: int) -> tuple[LedgerVersion, Table]:
    """AH-05 for one institution and month from its active ledger (DomainError NO_LEDGER)."""
    version = active_ledger(institution)
    if version is None:
        raise DomainError(E.NO_LEDGER)
    return version, ah05.figures(loan_facts(version), year, month)


def parse_period(raw: str) -> tuple[int, int]:
    """ "YYYY-MM" as (year, month), or DomainError PERIOD_INVALID."""
    parts = raw.strip().split("-")
    if len(parts) == 2 and all(p.isdigit() for p in parts) and len(parts[0]) == 4:
        year, month = int(parts[0]), int(parts[1])
        if 2000 <= year <= 2100 and 1 <= month <= 12:
            return year, month
    raise DomainError(E.PERIOD_INVALID, field="period", value=raw)
