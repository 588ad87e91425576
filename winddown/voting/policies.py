"""Who may do what to a voting event, and in which state (manual 2.1–2.3 and the working
group's review): one function per decision. The services refuse with its answer (under the
event's lock, in the same transaction as the change), and the staff pages and the API ask
the same functions which actions to offer, so a button and a refusal can never disagree.

Each `*_refusal` returns None when the action is allowed, or the DomainError to raise; each
`can_*` is its yes/no for a page. `require(refusal)` raises it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from winddown.accounts.roles import PII_FULL_VIEW_ROLES, Role
from winddown.core.errors import DomainError
from winddown.institutions.selectors import operator_institution_id
from winddown.voting.errors import VotingErrorCode as E
from winddown.voting.models import EDITABLE_STATUSES, EventKind, EventStatus, VotingEvent

if TYPE_CHECKING:
    from winddown.accounts.models import User
    from winddown.institutions.models import Institution

BEFORE_OPENING = (
    EventStatus.DRAFT,
    EventStatus.SUBMITTED,
    EventStatus.RETURNED,
    EventStatus.SCHEDULED,
)
FINAL = (EventStatus.COUNTED, EventStatus.PUBLISHED, EventStatus.CANCELLED)
# Counted or published ballot events have a result to export.
EXPORTABLE = (EventStatus.COUNTED, EventStatus.PUBLISHED)
# Who sees an event's sign-ups and roster (system administrators do not need lenders' data).
STAFF_READERS = (Role.OPERATOR, Role.WG_OFFICER, Role.ASSOCIATION_OFFICER)
# The working group reviews, cancels once open, publishes and reviews sign-ups.
OVERSEERS = (Role.WG_OFFICER,)


def require(refusal: DomainError | None) -> None:
    if refusal is not None:
        raise refusal


def _operator_of(user: User, institution_id: int, action: str) -> DomainError | None:
    if user.role != Role.OPERATOR:
        return DomainError(E.ROLE_FORBIDDEN, action=action)
    if operator_institution_id(user) != institution_id:
        return DomainError(E.NOT_OWN_INSTITUTION, action=action)
    return None


def _overseer(user: User, action: str) -> DomainError | None:
    return None if user.role in OVERSEERS else DomainError(E.ROLE_FORBIDDEN, action=action)


# --- Drafting (the institution's operators) ------------------------------------------------


def create_refusal(user: User, institution: Institution) -> DomainError | None:
    return _operator_of(user, institution.pk, "起草投票活动")


def edit_refusal(user: User, event: VotingEvent) -> DomainError | None:
    """Changing a draft (fields, candidates, attachments) and submitting it."""
    refusal = _operator_of(user, event.institution_id, "修改活动")
    if refusal is None and event.status not in EDITABLE_STATUSES:
        refusal = DomainError(E.NOT_EDITABLE, status=event.get_status_display())
    return refusal


def can_edit(user: User, event: VotingEvent) -> bool:
    return edit_refusal(user, event) is None


def candidates_import_refusal(
    user: User, election: VotingEvent, recruitment: VotingEvent
) -> DomainError | None:
    """Candidates from a recruitment's approved sign-ups: into the institution's own draft
    election, once the recruitment has closed (its sign-ups reviewed)."""
    if election.kind != EventKind.ELECTION or recruitment.kind != EventKind.RECRUITMENT:
        return DomainError(E.NOT_RECRUITMENT, field="recruitment_id")
    refusal = edit_refusal(user, election)
    if refusal is not None:
        return refusal
    if recruitment.institution_id != election.institution_id:
        return DomainError(E.NOT_RECRUITMENT, field="recruitment_id")
    if recruitment.status not in (EventStatus.CLOSED, EventStatus.PUBLISHED):
        return DomainError(
            E.RECRUITMENT_NOT_CLOSED, field="recruitment_id", title=recruitment.title
        )
    return None


# --- Review, cancellation, publication (the working group) ---------------------------------


def review_refusal(user: User, event: VotingEvent, action: str = "审核活动") -> DomainError | None:
    refusal = _overseer(user, action)
    if refusal is None and event.status != EventStatus.SUBMITTED:
        refusal = DomainError(E.WRONG_STATUS, status=event.get_status_display(), action=action)
    return refusal


def can_review(user: User, event: VotingEvent) -> bool:
    return review_refusal(user, event) is None


def cancel_refusal(user: User, event: VotingEvent) -> DomainError | None:
    """Before opening, the institution's operator or the working group; once open, only the
    working group (with a reason, checked by the service); never once counted."""
    if user.role not in (Role.OPERATOR, *OVERSEERS):
        return DomainError(E.ROLE_FORBIDDEN, action="取消活动")
    if event.status in FINAL:
        return DomainError(E.WRONG_STATUS, status=event.get_status_display(), action="取消")
    if user.role == Role.OPERATOR:
        refusal = _operator_of(user, event.institution_id, "取消活动")
        if refusal is not None:
            return refusal
        if event.status not in BEFORE_OPENING:
            return DomainError(E.OPERATOR_CANNOT_CANCEL)
    return None


def can_cancel(user: User, event: VotingEvent) -> bool:
    return cancel_refusal(user, event) is None


def ready_to_publish(event: VotingEvent) -> bool:
    """Ballot events publish their counted result; a recruitment publishes once closed."""
    ready = EventStatus.COUNTED if event.is_ballot_event else EventStatus.CLOSED
    return event.status == ready


def publish_refusal(user: User, event: VotingEvent) -> DomainError | None:
    refusal = _overseer(user, "公布结果")
    if refusal is None and not ready_to_publish(event):
        refusal = DomainError(E.WRONG_STATUS, status=event.get_status_display(), action="公布结果")
    return refusal


def can_publish(user: User, event: VotingEvent) -> bool:
    return publish_refusal(user, event) is None


# --- Sign-ups and exports ------------------------------------------------------------------


def can_see_signups(user: User, event: VotingEvent) -> bool:
    return event.kind == EventKind.RECRUITMENT and user.role in STAFF_READERS


def signup_review_refusal(user: User, event: VotingEvent) -> DomainError | None:
    """After the recruitment closes (manual 2.1), by the working group."""
    refusal = _overseer(user, "审核报名")
    if refusal is None and event.status not in (EventStatus.CLOSED, EventStatus.PUBLISHED):
        refusal = DomainError(
            E.WRONG_STATUS, status=event.get_status_display(), action="审核报名（须在征集截止后）"
        )
    return refusal


def can_review_signups(user: User, event: VotingEvent) -> bool:
    return signup_review_refusal(user, event) is None


def sees_full_identities(user: User) -> bool:
    """The working group sees full ID and mobile numbers (each time audited); others masked."""
    return user.role in PII_FULL_VIEW_ROLES


def export_refusal(event: VotingEvent, what: str) -> DomainError | None:
    """Only counted or published ballot events have a result to export."""
    if not event.is_ballot_event:
        return DomainError(E.NOT_A_BALLOT_EVENT)
    if event.status not in EXPORTABLE:
        return DomainError(E.WRONG_STATUS, status=event.get_status_display(), action=what)
    return None


def can_announce(event: VotingEvent) -> bool:
    return export_refusal(event, "导出结果公告") is None


def roster_refusal(user: User, event: VotingEvent) -> DomainError | None:
    if user.role not in STAFF_READERS:
        return DomainError(E.ROLE_FORBIDDEN, action="导出投票名册")
    return export_refusal(event, "导出投票名册")


def can_export_roster(user: User, event: VotingEvent) -> bool:
    return roster_refusal(user, event) is None


def staff_actions(user: User, event: VotingEvent) -> dict[str, bool]:
    """What the staff console offers on an event's page."""
    return {
        "is_operator": user.role == Role.OPERATOR,
        "is_officer": user.role in OVERSEERS,
        "can_edit": can_edit(user, event),
        "can_review": can_review(user, event),
        "can_cancel": can_cancel(user, event),
        "can_publish": can_publish(user, event),
        "can_announce": can_announce(event),
        "can_roster": can_export_roster(user, event),
        "can_see_signups": can_see_signups(user, event),
    }
