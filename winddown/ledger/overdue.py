"""Overdue as the association defines it: pure Python (no Django), integer fen.

Spec G.3 and B.5 AH513–AH520, I-8:

* an instalment due on day D is overdue from D + 1 until the money has reached the lenders'
  accounts ("收到，是指资金实际划付至出借人银行账户", 披露标准 2.8 L233): a borrower's payment
  that lenders have not yet received (no 划付出借人日期, or a later one) still counts as
  overdue;
* a loan's days overdue at T = T − the due date of its oldest instalment still not fully
  received (0 when none is overdue);
* the buckets "逾期30/60/90天（不含）以上" are days > 30, > 60, > 90, nested (G.3 points 2, 3);
* a bucket's amount is the loan's remaining principal (principal lenders have not received);
  逾期金额 is principal and interest due and not received; penalty interest is in neither
  (I-6);
* money from the platform's own funds counts as received by lenders (it is not 代偿, V18).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

BUCKETS = (30, 60, 90)


@dataclass(frozen=True, slots=True)
class Due:
    period: int
    due_date: date
    principal_fen: int
    interest_fen: int


@dataclass(frozen=True, slots=True)
class Receipt:
    """A repayment as the lenders see it: what reached their accounts, and when."""

    period: int
    principal_fen: int
    interest_fen: int
    received_on: date | None  # 划付出借人日期; None while not passed on


@dataclass(frozen=True, slots=True)
class Position:
    principal_fen: int
    outstanding_principal_fen: int  # principal lenders have not received by T
    overdue_principal_fen: int  # principal due before T and not received
    overdue_interest_fen: int  # interest due before T and not received
    days_overdue: int
    oldest_unpaid_due: date | None
    overdue_periods: tuple[int, ...]

    @property
    def overdue_fen(self) -> int:
        """逾期金额 (AH513): principal and interest due and not received."""
        return self.overdue_principal_fen + self.overdue_interest_fen

    @property
    def is_overdue(self) -> bool:
        return self.days_overdue > 0

    def in_bucket(self, days: int) -> bool:
        """逾期{days}天（不含）以上: strictly more than `days` days."""
        return self.days_overdue > days

    @property
    def bucket(self) -> int | None:
        """The deepest bucket the loan is in (30, 60, 90), or None."""
        found = None
        for days in BUCKETS:
            if self.in_bucket(days):
                found = days
        return found


def received_by(receipts: Iterable[Receipt], as_of: date) -> dict[int, tuple[int, int]]:
    """Principal and interest that reached the lenders by `as_of`, per period."""
    totals: dict[int, tuple[int, int]] = {}
    for receipt in receipts:
        if receipt.received_on is None or receipt.received_on > as_of:
            continue
        principal, interest = totals.get(receipt.period, (0, 0))
        totals[receipt.period] = (
            principal + receipt.principal_fen,
            interest + receipt.interest_fen,
        )
    return totals


def position(
    principal_fen: int, instalments: Iterable[Due], receipts: Iterable[Receipt], as_of: date
) -> Position:
    """A loan's position at the end of day `as_of`."""
    received = received_by(receipts, as_of)
    received_principal = 0
    overdue_principal = overdue_interest = 0
    oldest = None
    periods = []
    for due in instalments:
        got_principal, got_interest = received.get(due.period, (0, 0))
        got_principal = min(got_principal, due.principal_fen)
        got_interest = min(got_interest, due.interest_fen)
        received_principal += got_principal
        missing_principal = due.principal_fen - got_principal
        missing_interest = due.interest_fen - got_interest
        if due.due_date < as_of and (missing_principal or missing_interest):
            overdue_principal += missing_principal
            overdue_interest += missing_interest
            periods.append(due.period)
            if oldest is None or due.due_date < oldest:
                oldest = due.due_date
    return Position(
        principal_fen=principal_fen,
        outstanding_principal_fen=principal_fen - received_principal,
        overdue_principal_fen=overdue_principal,
        overdue_interest_fen=overdue_interest,
        days_overdue=(as_of - oldest).days if oldest else 0,
        oldest_unpaid_due=oldest,
        overdue_periods=tuple(periods),
    )


def penalty_fen(
    instalments: Iterable[Due], receipts: Iterable[Receipt], as_of: date, daily_ppm: int
) -> int:
    """Penalty interest (罚息) accrued by `as_of` on what is overdue now: each overdue
    instalment's unreceived principal and interest × the product's daily rate (millionths)
    × its days overdue, half-up to the fen. Not part of any AH-05 figure (issue 17 item 4)."""
    received = received_by(receipts, as_of)
    numerator = 0
    for due in instalments:
        if due.due_date >= as_of:
            continue
        got_principal, got_interest = received.get(due.period, (0, 0))
        missing = max(due.principal_fen - got_principal, 0) + max(
            due.interest_fen - got_interest, 0
        )
        numerator += missing * daily_ppm * (as_of - due.due_date).days
    return (2 * numerator + 1_000_000) // 2_000_000
