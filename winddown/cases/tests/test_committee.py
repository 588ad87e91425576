"""The committee's online vote (惩戒办法 第十二条): members frozen at opening, one ballot
each, a non-member or a second ballot refused and audited, counted by the rules engine."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from winddown.accounts.roles import Role
from winddown.audit.models import AuditEntry
from winddown.cases import committee, discipline, services
from winddown.cases.audit_actions import CasesAction
from winddown.cases.errors import CasesErrorCode as E
from winddown.cases.models import CommitteeBallot, Designation, DisciplineStatus
from winddown.conftest import SYSTEM, make_staff, staff_signed_in
from winddown.core.errors import DomainError

pytestmark = pytest.mark.django_db


@pytest.fixture
def members(db):
    users = [make_staff(f"member{i}", Role.ASSOCIATION_OFFICER) for i in range(4)]
    for user in users:
        services.officer_designate(user=user, designation=Designation.COMMITTEE, actor=SYSTEM)
    return users


@pytest.fixture
def case(handler, institution_a, operator_a):
    case = discipline.discipline_open(
        user=handler,
        institution=institution_a,
        source="inspection",
        source_summary="报告",
        facts="事实",
        reasons="理由",
        basis="依据",
        responsible_person="赵六",
        actor=SYSTEM,
    )
    discipline.notice_serve(case=case, user=handler, method="post", actor=SYSTEM)
    return discipline.defence_submit(
        case=case, user=operator_a, text="已整改", hearing=False, actor=SYSTEM
    )


def test_members_vote_once_and_the_engine_counts(case, handler, members, association_officer):
    vote = committee.committee_vote_open(
        case=case, user=handler, recused=[members[3].pk], actor=SYSTEM
    )
    assert vote.members == sorted(m.pk for m in members[:3])
    clients = {}
    for member, choice in zip(members[:3], ["yes", "yes", "yes"], strict=True):
        clients[member.pk] = client = staff_signed_in(member)
        assert client.post(f"/staff/committee/{vote.pk}/", {"choice": choice}).status_code == 302
    # Voting twice: refused with a message, audited.
    again = clients[members[0].pk].post(f"/staff/committee/{vote.pk}/", {"choice": "no"})
    assert again.status_code == 409 and "每位委员只能投一次" in again.content.decode()
    # A recused member and a non-member: refused, audited.
    for outsider in (members[3], association_officer):
        with pytest.raises(DomainError) as exc:
            committee.committee_ballot_cast(vote=vote, user=outsider, choice="yes", actor=SYSTEM)
        assert exc.value.error_code is E.NOT_COMMITTEE_MEMBER
    refused = AuditEntry.objects.filter(action=CasesAction.COMMITTEE_BALLOT_REFUSED)
    assert sorted(r.after["reason"] for r in refused) == ["not_member", "not_member", "twice"]
    assert CommitteeBallot.objects.filter(vote=vote).count() == 3
    vote = committee.committee_vote_close(vote=vote, user=handler, actor=SYSTEM)
    assert vote.result == {"members": 3, "yes": 3, "no": 0, "abstain": 0, "passed": True}
    with pytest.raises(DomainError) as exc:
        committee.committee_ballot_cast(vote=vote, user=members[1], choice="no", actor=SYSTEM)
    assert exc.value.error_code in (E.VOTE_CLOSED, E.ALREADY_VOTED)
    # The decision takes the online vote's counts.
    decided = discipline.discipline_decide(
        case=case,
        user=handler,
        outcome="sanction",
        sanctions=["S1"],
        conclusion="约谈",
        actor=SYSTEM,
    )
    assert (decided.committee_members, decided.votes_yes) == (3, 3)
    assert decided.status == DisciplineStatus.DECIDED


def test_two_thirds_is_not_enough(case, handler, members):
    vote = committee.committee_vote_open(case=case, user=handler, actor=SYSTEM)
    for member, choice in zip(members, ["yes", "yes", "no", "abstain"], strict=True):
        committee.committee_ballot_cast(vote=vote, user=member, choice=choice, actor=SYSTEM)
    vote = committee.committee_vote_close(vote=vote, user=handler, actor=SYSTEM)
    assert vote.result["passed"] is False
    with pytest.raises(DomainError) as exc:
        discipline.discipline_decide(
            case=case,
            user=handler,
            outcome="sanction",
            sanctions=["S1"],
            conclusion="约谈",
            actor=SYSTEM,
        )
    assert exc.value.error_code is E.VOTE_SHORT and "须至少3人" in exc.value.message


def test_the_case_page_opens_and_closes_a_vote(case, handler, members):
    client = staff_signed_in(handler)
    response = client.post(f"/staff/discipline/{case.pk}/vote/", {"hours": "48"})
    assert response.status_code == 302
    again = client.post(f"/staff/discipline/{case.pk}/vote/", {"hours": "48"})
    assert again.status_code == 409 and "进行中的委员会表决" in again.content.decode()
    vote = case.votes.get()
    page = staff_signed_in(members[0]).get("/staff/committee/").content.decode()
    assert case.number in page
    client.post(f"/staff/discipline/{case.pk}/vote/{vote.pk}/close/")
    assert "未超过三分之二" in client.get(f"/staff/discipline/{case.pk}/").content.decode()


def test_the_officers_command(association_officer):
    out = StringIO()
    call_command("cases_officers", "designate", "association", "committee", stdout=out)
    call_command("cases_officers", "list", stdout=out)
    assert "专业委员会委员\tassociation" in out.getvalue()
    with pytest.raises(Exception, match="没有用户"):
        call_command("cases_officers", "designate", "nobody", "handler")
