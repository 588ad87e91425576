"""Who may do what with the ledger, asked by the services (which refuse) and the pages
(which offer the buttons)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from winddown.accounts.roles import Role
from winddown.core.errors import DomainError
from winddown.ledger.errors import LedgerErrorCode as E

if TYPE_CHECKING:
    from winddown.accounts.models import User
    from winddown.ledger.models import Loan
    from winddown.ledger.overdue import Position


def collection_refusal(loan: Loan, position: Position | None) -> DomainError | None:
    """催收 is for overdue loans (spec G.5)."""
    if position is None or not position.is_overdue:
        return DomainError(E.LOAN_NOT_OVERDUE, number=loan.number)
    return None


def can_record_collection(user: User) -> bool:
    """The institution's operators collect; officers oversee (they read the log)."""
    return user.role == Role.OPERATOR
