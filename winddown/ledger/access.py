"""Ledger objects with the viewer's institution boundary built in
(`institutions.access.access_by_id`): an operator of another institution gets 404."""

from __future__ import annotations

from typing import TYPE_CHECKING

from winddown.institutions.access import access_by_id
from winddown.ledger.models import LedgerImport, Loan

if TYPE_CHECKING:
    from winddown.accounts.models import User


def access_import_by_id(user: User, import_id: int) -> LedgerImport:
    return access_by_id(
        user,
        LedgerImport.objects.select_related("institution", "version"),
        import_id,
        institution_path="institution",
        not_found="导入记录不存在或无权访问",
    )


def access_loan_by_id(user: User, loan_id: int) -> Loan:
    return access_by_id(
        user,
        Loan.objects.select_related("version__institution", "borrower"),
        loan_id,
        institution_path="version__institution",
        not_found="借款不存在或无权访问",
    )
