"""Writes for lenders' complaints to their own institution (001 三、四; spec D.9): filing,
the institution's answer by a deadline in working days, the lender closing it or
escalating it to the association, where it becomes a report (举报) under the lender's
real name and follows the whole procedure of services.py (the daily limit included).
One transaction each, audited."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction

from winddown.accounts.roles import Role
from winddown.audit.services import Actor, record
from winddown.cases import services
from winddown.cases.audit_actions import CasesAction
from winddown.cases.errors import CasesErrorCode as E
from winddown.cases.models import Channel, ComplaintStatus, LenderComplaint, ReporterType
from winddown.claims import selectors as claims_selectors
from winddown.core.errors import DomainError
from winddown.pii.normalize import clean_text

if TYPE_CHECKING:
    from winddown.accounts.models import User
    from winddown.identity.models import Lender
    from winddown.institutions.models import Institution

#: Institutions whose complaint queue a government 专班 takes over (001 三: "已解散退出、失联、
#: 跑路"的机构，"当地政府派出专班接管投资人申诉"; spec D.9): the working group answers.
TAKEOVER_STATUSES = frozenset({"exited", "under_investigation"})

#: Working days the institution has to answer. 001 sets none ("及时回应出借人的合理诉求");
#: the association's own rhythm for an institution's answer (cases.clock.ANSWER_DAYS).
ANSWER_DAYS = 10
TEXT_MIN, TEXT_MAX = 10, 5000


def _audit(complaint: LenderComplaint, action: CasesAction, actor: Actor, **after) -> None:
    record(
        actor=actor,
        action=action,
        obj=complaint,
        institution_id=complaint.institution_id,
        after={"status": complaint.status, **after},
    )


@transaction.atomic
def complaint_file(
    *, lender: Lender, institution: Institution | None, text: str, actor: Actor
) -> LenderComplaint:
    if not lender.is_verified:
        raise DomainError(E.NOT_VERIFIED)
    if institution is None:
        raise DomainError(E.INSTITUTION_REQUIRED, field="institution")
    if claims_selectors.lender_claim(lender, institution.pk) is None:
        raise DomainError(E.COMPLAINT_NOT_LENDER, field="institution")
    text = clean_text(text or "").strip()
    if not TEXT_MIN <= len(text) <= TEXT_MAX:
        raise DomainError(E.COMPLAINT_TEXT_REQUIRED, field="text", low=TEXT_MIN, high=TEXT_MAX)
    day = services.today()
    complaint = LenderComplaint.objects.create(
        lender=lender,
        institution=institution,
        text=text,
        filed_on=day,
        answer_due=services._add(day, ANSWER_DAYS),
    )
    _audit(complaint, CasesAction.COMPLAINT_FILED, actor, answer_due=str(complaint.answer_due))
    return complaint


def _locked(complaint: LenderComplaint) -> LenderComplaint:
    return (
        LenderComplaint.objects.select_for_update(of=("self",))
        .select_related("institution")
        .get(pk=complaint.pk)
    )


@transaction.atomic
def complaint_answer(
    *, complaint: LenderComplaint, user: User, answer: str, actor: Actor
) -> LenderComplaint:
    """The institution answers (the caller has checked its boundary: cases.access); for an
    institution that has exited or is under investigation, the working group's 专班 does."""
    complaint = _locked(complaint)
    taken_over = complaint.institution.status in TAKEOVER_STATUSES
    if not (user.role == Role.OPERATOR or (user.role == Role.WG_OFFICER and taken_over)):
        raise DomainError(E.NOT_OPERATOR)
    if complaint.status != ComplaintStatus.OPEN:
        raise DomainError(E.COMPLAINT_STATE, status=complaint.get_status_display(), action="答复")
    answer = clean_text(answer or "").strip()
    if not answer:
        raise DomainError(E.TEXT_REQUIRED, field="text", label="答复内容")
    complaint.answer = answer[:5000]
    complaint.answered_on = services.today()
    complaint.answered_by = user
    complaint.status = ComplaintStatus.ANSWERED
    complaint.save()
    _audit(complaint, CasesAction.COMPLAINT_ANSWERED, actor)
    return complaint


@transaction.atomic
def complaint_close(*, complaint: LenderComplaint, actor: Actor) -> LenderComplaint:
    """The lender is satisfied with the answer."""
    complaint = _locked(complaint)
    if complaint.status != ComplaintStatus.ANSWERED:
        raise DomainError(E.COMPLAINT_STATE, status=complaint.get_status_display(), action="办结")
    complaint.status = ComplaintStatus.CLOSED
    complaint.closed_on = services.today()
    complaint.save()
    _audit(complaint, CasesAction.COMPLAINT_CLOSED, actor)
    return complaint


def escalation_refusal(complaint: LenderComplaint, day) -> DomainError | None:
    if complaint.status == ComplaintStatus.ANSWERED:
        return None  # not satisfied with the answer
    if complaint.status == ComplaintStatus.OPEN:
        if complaint.answer_due is not None and complaint.answer_due < day:
            return None  # unanswered past its deadline
        return DomainError(E.COMPLAINT_NOT_YET, due=complaint.answer_due or "待日历确认")
    return DomainError(E.COMPLAINT_STATE, status=complaint.get_status_display(), action="升级")


def complaint_escalate(
    *, complaint: LenderComplaint, lender: Lender, categories, actor: Actor
) -> LenderComplaint:
    """Escalate to the association (001 四): a report under the lender's verified identity,
    carrying the complaint and the institution's answer as its facts."""
    day = services.today()
    complaint = LenderComplaint.objects.select_related("institution").get(pk=complaint.pk)
    if refusal := escalation_refusal(complaint, day):
        raise refusal
    reason = "机构逾期未答复" if complaint.status == ComplaintStatus.OPEN else "出借人对答复不满意"
    facts = f"【出借人投诉升级：{reason}】\n投诉内容：{complaint.text}"
    if complaint.answer:
        facts += f"\n机构答复（{complaint.answered_on}）：{complaint.answer}"
    with transaction.atomic():
        locked = _locked(complaint)
        if refusal := escalation_refusal(locked, day):
            raise refusal
        report = services._create(
            institution=complaint.institution,
            channel=Channel.COMPLAINT,
            reporter_type=ReporterType.LENDER,
            categories=categories,
            facts=facts[: services.FACTS_MAX],
            evidence_text="",
            evidence_files=(),
            reporter=services.ReporterIn(
                name=lender.real_name,
                id_number=lender.id_number.value,
                phone=lender.phone.value,
                lender=lender,
            ),
            received_on=day,
            recorded_by=None,
            handler_opinion="",
            actor=actor,
        )
        locked.status = ComplaintStatus.ESCALATED
        locked.escalated_on = day
        locked.escalation_reason = reason
        locked.report = report
        locked.save()
        # Not the report's number: the log is read by every association officer, and the
        # complaint names the lender (举报办法 第十二条).
        _audit(locked, CasesAction.COMPLAINT_ESCALATED, actor)
    return locked
