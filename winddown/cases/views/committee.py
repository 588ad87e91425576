"""The committee's online vote: opened and closed from the case page by a handler; members
vote on their own page (惩戒办法 第十二条)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from winddown.accounts.permissions import staff_required
from winddown.accounts.roles import Role
from winddown.audit.services import actor_from_request
from winddown.cases import committee, policies
from winddown.cases.access import access_discipline_by_id
from winddown.cases.models import CommitteeBallot, CommitteeChoice, CommitteeVote
from winddown.cases.views.discipline import _detail
from winddown.core.errors import DomainError

ASSOCIATION = Role.ASSOCIATION_OFFICER


@require_POST
@staff_required(ASSOCIATION)
def vote_open(request, case_id: int):
    case = access_discipline_by_id(request.user, case_id)
    raw = request.POST.get("hours", "72")
    try:
        committee.committee_vote_open(
            case=case,
            user=request.user,
            hours=int(raw) if raw.isdigit() and len(raw) < 4 else 0,
            recused=[r for r in request.POST.getlist("recused") if r.isdigit()],
            actor=actor_from_request(request),
        )
    except DomainError as exc:
        case.refresh_from_db()
        return _detail(request, case, {"vote": exc.message}, status=exc.http_status)
    return redirect("cases:staff-discipline", case_id=case.pk)


@require_POST
@staff_required(ASSOCIATION)
def vote_close(request, case_id: int, vote_id: int):
    case = access_discipline_by_id(request.user, case_id)
    vote = CommitteeVote.objects.filter(case=case, pk=vote_id).first()
    if vote is None:
        raise Http404("表决不存在")
    try:
        committee.committee_vote_close(
            vote=vote, user=request.user, actor=actor_from_request(request)
        )
    except DomainError as exc:
        return _detail(request, case, {"vote": exc.message}, status=exc.http_status)
    return redirect("cases:staff-discipline", case_id=case.pk)


@staff_required(ASSOCIATION)
def my_votes(request):
    if not policies.is_committee_member(request.user):
        raise PermissionDenied("只有专业委员会委员可以参加表决")
    votes = [
        v
        for v in CommitteeVote.objects.select_related("case__institution").filter(
            closed_at__isnull=True
        )
        if request.user.pk in v.members
    ]
    mine = dict(
        CommitteeBallot.objects.filter(member=request.user, vote__in=votes).values_list(
            "vote_id", "choice"
        )
    )
    return render(
        request,
        "cases/staff/committee_votes.html",
        {"votes": [(v, mine.get(v.pk)) for v in votes]},
    )


@staff_required(ASSOCIATION)
def ballot(request, vote_id: int):
    vote = CommitteeVote.objects.select_related("case__institution").filter(pk=vote_id).first()
    if vote is None:
        raise Http404("表决不存在")
    errors: dict[str, str] = {}
    if request.method == "POST":
        try:
            committee.committee_ballot_cast(
                vote=vote,
                user=request.user,
                choice=request.POST.get("choice", ""),
                actor=actor_from_request(request),
            )
        except DomainError as exc:
            errors = {"form": exc.message}
        else:
            return redirect("cases:committee-ballot", vote_id=vote.pk)
    mine = CommitteeBallot.objects.filter(vote=vote, member=request.user).first()
    return render(
        request,
        "cases/staff/committee_ballot.html",
        {
            "vote": vote,
            "case": vote.case,
            "mine": mine,
            "member": request.user.pk in vote.members,
            "choices": CommitteeChoice.choices,
            "errors": errors,
        },
        status=409 if errors else 200,
    )
