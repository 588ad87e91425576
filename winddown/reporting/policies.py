"""Who may do what to a filing in which state (asked by the services, which refuse, and by
the pages, which offer the buttons)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from winddown.accounts.roles import Role
from winddown.core.errors import DomainError
from winddown.institutions.selectors import operator_institution_id
from winddown.reporting.errors import ReportingErrorCode as E
from winddown.reporting.models import FilingStatus, VersionStatus

if TYPE_CHECKING:
    from winddown.accounts.models import User
    from winddown.reporting.models import Filing, FilingVersion

REVIEW_ROLES = frozenset({Role.ASSOCIATION_OFFICER})


def filer_refusal(user: User, institution_id: int) -> DomainError | None:
    """Only an operator of the institution files for it (报送办法 第五条 指定专人)."""
    if user.role != Role.OPERATOR:
        return DomainError(E.OPERATORS_ONLY)
    if operator_institution_id(user) != institution_id:
        return DomainError(E.OTHER_INSTITUTION)
    return None


def edit_refusal(version: FilingVersion) -> DomainError | None:
    if version.status != VersionStatus.DRAFT:
        f = version.filing
        return DomainError(
            E.NOT_EDITABLE,
            table=f.table,
            period=f.period,
            number=version.number,
            state="已" + version.get_status_display().removeprefix("已"),
        )
    return None


def resubmit_refusal(filing: Filing) -> DomainError | None:
    if filing.status not in (FilingStatus.SUBMITTED, FilingStatus.RETURNED, FilingStatus.ACCEPTED):
        return DomainError(
            E.WRONG_STATE,
            table=filing.table,
            period=filing.period,
            state=filing.get_status_display(),
            action="发起更正重报（草稿可直接修改）",
        )
    return None


def review_refusal(user: User, filing: Filing, action: str) -> DomainError | None:
    if user.role not in REVIEW_ROLES:
        return DomainError(E.ASSOCIATION_ONLY)
    if filing.status != FilingStatus.SUBMITTED:
        return DomainError(
            E.WRONG_STATE,
            table=filing.table,
            period=filing.period,
            state=filing.get_status_display(),
            action=action,
        )
    return None


def can_file(user: User, institution_id: int) -> bool:
    return filer_refusal(user, institution_id) is None


def can_review(user: User, filing: Filing) -> bool:
    return review_refusal(user, filing, "审核") is None
