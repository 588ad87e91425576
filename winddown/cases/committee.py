"""The professional committee's online vote on a disciplinary case (惩戒办法 第十二条:
"会议由专业委员会投票表决通过，赞成人数超过委员会人员三分之二则表决有效").

The members are the association officers designated 专业委员会委员, frozen when the vote
opens, minus those recused (I‑47: from the institution, related, or who investigated). Each
member votes once (yes, no or abstain); a second ballot or a ballot by anyone else is
refused and audited. Closing counts with the rules engine's ``committee-supermajority``
(yes > 2/3 of all frozen members; abstentions and absences are not in favour, I‑46), and
``discipline.discipline_decide`` then takes its counts from the vote.

Why not voting's events: their electorate is frozen from an institution's claims register
(lenders weighted by principal); a committee's electorate is a list of officers, which the
voting app does not model. See the report of issue 20."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.utils import timezone

from winddown.audit.services import Actor, record
from winddown.cases import discipline, policies
from winddown.cases.audit_actions import CasesAction
from winddown.cases.errors import CasesErrorCode as E
from winddown.cases.models import (
    CaseOfficer,
    CommitteeBallot,
    CommitteeChoice,
    CommitteeVote,
    Designation,
    DisciplinaryCase,
    DisciplineStatus,
    DisciplineStep,
)
from winddown.core.errors import DomainError

if TYPE_CHECKING:
    from winddown.accounts.models import User


def _audit(vote: CommitteeVote, action: CasesAction, actor: Actor, **after) -> None:
    record(
        actor=actor,
        action=action,
        obj=vote,
        institution_id=vote.case.institution_id,
        after={"case": vote.case.number, **after},
    )


@transaction.atomic
def committee_vote_open(
    *, case: DisciplinaryCase, user: User, hours: int = 72, recused=(), actor: Actor
) -> CommitteeVote:
    if refusal := policies.handler_refusal(user):
        raise refusal
    case = DisciplinaryCase.objects.select_for_update().get(pk=case.pk)
    if case.status not in (DisciplineStatus.REVIEW, DisciplineStatus.NOTICE_SERVED):
        raise DomainError(
            E.DISCIPLINE_STATE, status=case.get_status_display(), action="发起委员会表决"
        )
    if not 1 <= int(hours) <= 168:
        raise DomainError(E.VOTE_HOURS_INVALID, field="hours")
    if CommitteeVote.objects.filter(case=case, closed_at__isnull=True).exists():
        raise DomainError(E.VOTE_ALREADY_OPEN)
    recused_ids = sorted({int(r) for r in recused})
    members = sorted(
        set(
            CaseOfficer.objects.filter(designation=Designation.COMMITTEE).values_list(
                "user_id", flat=True
            )
        )
        - set(recused_ids)
    )
    if not members:
        raise DomainError(E.NO_COMMITTEE)
    vote = CommitteeVote.objects.create(
        case=case,
        members=members,
        recused=recused_ids,
        opened_by=actor.label[:200],
        closes_at=timezone.now() + timedelta(hours=int(hours)),
    )
    _audit(
        vote, CasesAction.COMMITTEE_VOTE_OPENED, actor, members=len(members), recused=recused_ids
    )
    DisciplineStep.objects.create(
        case=case,
        actor_label=actor.label[:200],
        action=str(CasesAction.COMMITTEE_VOTE_OPENED),
        note=f"委员{len(members)}人" + (f"，回避{len(recused_ids)}人" if recused_ids else ""),
    )
    return vote


def _refuse(vote: CommitteeVote, actor: Actor, error: DomainError, reason: str) -> None:
    with transaction.atomic():
        _audit(vote, CasesAction.COMMITTEE_BALLOT_REFUSED, actor, reason=reason)
    raise error


def committee_ballot_cast(
    *, vote: CommitteeVote, user: User, choice: str, actor: Actor
) -> CommitteeBallot:
    if choice not in CommitteeChoice.values:
        raise DomainError(E.CHOICE_INVALID, field="choice")
    vote = CommitteeVote.objects.select_related("case").get(pk=vote.pk)
    if user.pk not in vote.members or not policies.is_committee_member(user):
        _refuse(vote, actor, DomainError(E.NOT_COMMITTEE_MEMBER), "not_member")
    if vote.closed_at is not None or timezone.now() >= vote.closes_at:
        closed = timezone.localtime(vote.closed_at or vote.closes_at).strftime("%Y-%m-%d %H:%M")
        _refuse(vote, actor, DomainError(E.VOTE_CLOSED, closed=closed), "closed")
    earlier = CommitteeBallot.objects.filter(vote=vote, member=user).first()
    if earlier is not None:
        error = DomainError(E.ALREADY_VOTED, choice=earlier.get_choice_display())
        _refuse(vote, actor, error, "twice")
    try:
        with transaction.atomic():
            ballot = CommitteeBallot.objects.create(vote=vote, member=user, choice=choice)
            _audit(vote, CasesAction.COMMITTEE_BALLOT_CAST, actor)  # the choice is not logged
    except IntegrityError:  # two ballots of one member at the same moment
        _refuse(vote, actor, DomainError(E.ALREADY_VOTED, choice="已投"), "twice")
    return ballot


@transaction.atomic
def committee_vote_close(*, vote: CommitteeVote, user: User, actor: Actor) -> CommitteeVote:
    if refusal := policies.handler_refusal(user):
        raise refusal
    vote = CommitteeVote.objects.select_for_update().select_related("case").get(pk=vote.pk)
    if vote.closed_at is not None:
        return vote
    counts = {c: 0 for c in CommitteeChoice.values}
    for choice in CommitteeBallot.objects.filter(vote=vote).values_list("choice", flat=True):
        counts[choice] += 1
    members = len(vote.members)
    decision = discipline.vote_result(
        members=members, yes=counts["yes"], no=counts["no"], abstain=counts["abstain"]
    )
    vote.closed_at = timezone.now()
    vote.result = {"members": members, **counts, "passed": decision.passed}
    vote.save()
    _audit(vote, CasesAction.COMMITTEE_VOTE_CLOSED, actor, result=vote.result)
    DisciplineStep.objects.create(
        case=vote.case,
        actor_label=actor.label[:200],
        action=str(CasesAction.COMMITTEE_VOTE_CLOSED),
        note=f"委员{members}人：赞成{counts['yes']}、反对{counts['no']}、弃权{counts['abstain']}，"
        + ("超过三分之二，表决有效" if decision.passed else "未超过三分之二"),
    )
    return vote


def latest_closed_vote(case: DisciplinaryCase) -> CommitteeVote | None:
    return CommitteeVote.objects.filter(case=case, closed_at__isnull=False).first()
