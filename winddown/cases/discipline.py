"""Writes for disciplinary cases (惩戒办法 第九条–第二十二条; spec E.3, E.4): opening from an
investigation or inspection report, serving the 惩戒告知书, the 5-working-day written
defence (late: refused and audited; none: waived), the professional committee's decision
(yes votes > 2/3 of all members, the rules engine's ``committee-supermajority``), the
sanctions of 第五条 alone or combined with the mitigations of 第八条, serving the 惩戒决定书
(effective on service), the 5-working-day appeal, its decision within 20 working days (one
of the four outcomes of 第十七条; no further appeal, 第二十一条), referral to law
enforcement (第六条). One transaction each, audited, with a timeline step."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from django.db import transaction

from winddown.accounts.roles import Role
from winddown.audit.services import Actor, record
from winddown.cases import clock, policies, services
from winddown.cases.audit_actions import CasesAction
from winddown.cases.errors import CasesErrorCode as E
from winddown.cases.models import (
    MEMBERS_ONLY,
    AppealOutcome,
    AssociationSeal,
    DisciplinaryCase,
    DisciplineOutcome,
    DisciplineSource,
    DisciplineStatus,
    DisciplineStep,
    Mitigation,
    Outcome,
    Report,
    ReportStatus,
    Sanction,
    ServiceMethod,
)
from winddown.core import private_files
from winddown.core.errors import DomainError
from winddown.pii.normalize import clean_text
from winddown.rules import Motion, Options, Tally, evaluate

if TYPE_CHECKING:
    from winddown.accounts.models import User
    from winddown.institutions.models import Institution

COMMITTEE_RULE = "committee-supermajority"


def _text(value: str, label: str, limit: int = 10_000) -> str:
    value = clean_text(value or "").strip()
    if not value:
        raise DomainError(E.TEXT_REQUIRED, field="text", label=label)
    return value[:limit]


def _log(case: DisciplinaryCase, action: CasesAction, actor: Actor, note: str = "", **after):
    record(
        actor=actor,
        action=action,
        obj=case,
        institution_id=case.institution_id,
        after={"number": case.number, "status": case.status, **after},
    )
    DisciplineStep.objects.create(
        case=case, actor_label=actor.label[:200], action=str(action), note=note
    )


def _state(case: DisciplinaryCase, allowed: tuple, action: str) -> None:
    if case.status not in allowed:
        raise DomainError(E.DISCIPLINE_STATE, status=case.get_status_display(), action=action)


def _handler(user: User) -> None:
    if refusal := policies.handler_refusal(user):
        raise refusal


def _locked(case: DisciplinaryCase) -> DisciplinaryCase:
    return DisciplinaryCase.objects.select_for_update().get(pk=case.pk)


@transaction.atomic
def discipline_open(
    *,
    user: User,
    institution: Institution,
    source: str,
    source_summary: str,
    facts: str,
    reasons: str,
    basis: str,
    responsible_person: str,
    is_member: bool = True,
    report: Report | None = None,
    actor: Actor,
) -> DisciplinaryCase:
    """第九条: opened from the inspection or investigation team's report. From a report to
    the association, only once its decision is 转入惩戒程序 (举报办法 第十三条8)."""
    _handler(user)
    if source not in DisciplineSource.values:
        raise DomainError(E.TEXT_REQUIRED, field="source", label="立案来源")
    if report is not None and not (
        report.status in (ReportStatus.DECIDED, ReportStatus.ARCHIVED)
        and report.outcome == Outcome.DISCIPLINE
        and report.institution_id == institution.pk
    ):
        raise DomainError(E.WRONG_STATE, status=report.get_status_display(), action="转入惩戒程序")
    day = services.today()
    case = services.create_numbered(
        DisciplinaryCase,
        "CJ",
        day.year,
        institution=institution,
        source=source,
        report=report,
        source_summary=_text(source_summary, "调查或检查报告"),
        is_member=bool(is_member),
        office_address=institution.business_address or institution.registered_address,
        responsible_person=_text(responsible_person, "负责人姓名", 50),
        facts=_text(facts, "违规事实和证据"),
        reasons=_text(reasons, "理由"),
        basis=_text(basis, "依据"),
        opened_on=day,
    )
    _log(case, CasesAction.DISCIPLINE_OPENED, actor, note=case.get_source_display())
    return case


@transaction.atomic
def notice_serve(
    *, case: DisciplinaryCase, user: User, method: str, actor: Actor
) -> DisciplinaryCase:
    """第十条（一）: the 惩戒告知书 (facts, reasons, basis, the right to state and defend);
    the defence window is 5 working days from receipt (第十条（二）)."""
    _handler(user)
    if method not in ServiceMethod.values:
        raise DomainError(E.TEXT_REQUIRED, field="method", label="送达方式")
    case = _locked(case)
    _state(case, (DisciplineStatus.OPENED,), "送达惩戒告知书")
    case.notice_served_on = services.today()
    case.notice_method = method
    case.defence_due = services._add(case.notice_served_on, clock.DEFENCE_DAYS)
    case.status = DisciplineStatus.NOTICE_SERVED
    case.save()
    _log(
        case,
        CasesAction.DISCIPLINE_NOTICE_SERVED,
        actor,
        note=f"{case.get_notice_method_display()}；陈述申辩期限 {case.defence_due}",
    )
    return case


def defence_submit(
    *, case: DisciplinaryCase, user: User, text: str, hearing: bool, actor: Actor
) -> DisciplinaryCase:
    """第十条（二）（三）: the institution's written statement and defence within 5 working
    days of receipt, optionally asking to state its case orally. Late: refused, audited."""
    if user.role != Role.OPERATOR:
        raise DomainError(E.NOT_OPERATOR)
    day = services.today()
    with transaction.atomic():
        locked = _locked(case)
        late = locked.status == DisciplineStatus.NOTICE_SERVED and (
            locked.defence_due is not None and day > locked.defence_due
        )
        if not late:
            _state(locked, (DisciplineStatus.NOTICE_SERVED,), "提交陈述申辩")
            locked.defence_text = _text(text, "陈述申辩理由")
            locked.defence_on = day
            locked.hearing_requested = bool(hearing)
            locked.status = DisciplineStatus.REVIEW
            locked.review_due = services._add(day, 10)  # 复核 (检查办法 第十八条; I‑33)
            locked.save()
            _log(
                locked,
                CasesAction.DISCIPLINE_DEFENCE_SUBMITTED,
                actor,
                note="要求口头陈述" if hearing else "",
            )
            return locked
    with transaction.atomic():
        record(
            actor=actor,
            action=CasesAction.DISCIPLINE_DEFENCE_REFUSED,
            obj=case,
            institution_id=case.institution_id,
            after={"defence_due": str(locked.defence_due), "tried_on": day.isoformat()},
        )
    raise DomainError(E.DEFENCE_LATE, due=locked.defence_due)


def _waive(case: DisciplinaryCase, actor: Actor) -> None:
    case.defence_waived = True
    case.status = DisciplineStatus.REVIEW
    case.save()
    _log(case, CasesAction.DISCIPLINE_DEFENCE_WAIVED, actor, note=f"期限 {case.defence_due} 届满")


def vote_result(*, members: int, yes: int, no: int, abstain: int):
    """The committee's vote under ``committee-supermajority`` (第十二条: "赞成人数超过委员会
    人员三分之二"; abstentions and absences are not in favour, I‑46)."""
    if min(members, yes, no, abstain) < 0 or members < 1 or yes + no + abstain > members:
        raise DomainError(E.VOTE_COUNTS_INVALID, field="votes", members=members)
    return evaluate(
        Motion(
            rule=COMMITTEE_RULE,
            electorate=Tally(members),
            options=Options(yes=Tally(yes), no=Tally(no), abstain=Tally(abstain)),
        )
    )


def _clean_sanctions(case: DisciplinaryCase, sanctions) -> list[str]:
    values = []
    for raw in sanctions or []:
        value = str(raw).strip().upper()
        if value not in Sanction.values:
            raise DomainError(E.SANCTION_INVALID, field="sanctions", value=str(raw)[:10])
        if value in MEMBERS_ONLY and not case.is_member:
            raise DomainError(
                E.SANCTION_MEMBERS_ONLY, field="sanctions", label=Sanction(value).label
            )
        if value not in values:
            values.append(value)
    return sorted(values, key=lambda s: int(s[1:]))


@transaction.atomic
def discipline_decide(
    *,
    case: DisciplinaryCase,
    user: User,
    members: int | None = None,
    yes: int | None = None,
    no: int | None = None,
    abstain: int | None = None,
    outcome: str,
    sanctions=(),
    mitigations=(),
    mitigation_note: str = "",
    conclusion: str,
    actor: Actor,
) -> DisciplinaryCase:
    """第十一条, 第十二条: the committee's decision at its meeting, recorded with the vote.
    A sanction needs yes votes > 2/3 of all members. Without counts, those of the case's
    last closed online vote (cases.committee) are used."""
    _handler(user)
    case = _locked(case)
    if members is None and yes is None and no is None and abstain is None:
        vote = case.votes.filter(closed_at__isnull=False).first()
        if vote is None:
            raise DomainError(E.VOTE_COUNTS_INVALID, field="votes", members="（未表决）")
        members, yes, no, abstain = (vote.result[k] for k in ("members", "yes", "no", "abstain"))
    if None in (members, yes, no, abstain):
        raise DomainError(E.VOTE_COUNTS_INVALID, field="votes", members=members or 0)
    late = case.defence_due is not None and services.today() > case.defence_due
    if case.status == DisciplineStatus.NOTICE_SERVED and late:
        _waive(case, actor)
    _state(case, (DisciplineStatus.REVIEW,), "作出惩戒决定")
    if outcome not in DisciplineOutcome.values:
        raise DomainError(E.SANCTION_REQUIRED, field="outcome")
    chosen = _clean_sanctions(case, sanctions)
    if outcome == DisciplineOutcome.SANCTION and not chosen:
        raise DomainError(E.SANCTION_REQUIRED, field="sanctions")
    if outcome != DisciplineOutcome.SANCTION:
        chosen = []
    for m in mitigations or []:
        if m not in Mitigation.values:
            raise DomainError(E.SANCTION_INVALID, field="mitigations", value=str(m)[:10])
    decision = vote_result(members=members, yes=yes, no=no, abstain=abstain)
    if outcome == DisciplineOutcome.SANCTION and not decision.passed:
        criterion = decision.criteria[0] if decision.criteria else None
        needed = members * 2 // 3 + 1
        raise DomainError(
            E.VOTE_SHORT,
            field="votes",
            yes=yes,
            members=criterion.base if criterion else members,
            needed=needed,
        )
    case.committee_members, case.votes_yes, case.votes_no, case.votes_abstain = (
        members,
        yes,
        no,
        abstain,
    )
    case.outcome = outcome
    case.sanctions = chosen
    case.mitigations = sorted(set(mitigations or []))
    case.mitigation_note = clean_text(mitigation_note or "")[:2000]
    case.conclusion = _text(conclusion, "惩戒依据和结论")
    case.decided_on = services.today()
    case.status = DisciplineStatus.DECIDED
    case.save()
    _log(
        case,
        CasesAction.DISCIPLINE_DECIDED,
        actor,
        note=f"赞成{yes}、反对{no}、弃权{abstain}（委员{members}人）；"
        + ("、".join(case.sanction_labels) or case.get_outcome_display()),
        sanctions=chosen,
        votes={"members": members, "yes": yes, "no": no, "abstain": abstain},
    )
    return case


@transaction.atomic
def decision_serve(
    *, case: DisciplinaryCase, user: User, method: str, actor: Actor
) -> DisciplinaryCase:
    """第十四条: served, and effective from service; the appeal window opens (第十五条)."""
    _handler(user)
    if method not in ServiceMethod.values:
        raise DomainError(E.TEXT_REQUIRED, field="method", label="送达方式")
    case = _locked(case)
    _state(case, (DisciplineStatus.DECIDED,), "送达惩戒决定书")
    case.decision_served_on = services.today()
    case.decision_method = method
    case.appeal_due = services._add(case.decision_served_on, clock.APPEAL_DAYS)
    case.status = DisciplineStatus.SERVED
    case.save()
    _log(
        case,
        CasesAction.DISCIPLINE_DECISION_SERVED,
        actor,
        note=f"{case.get_decision_method_display()}，自送达之日起生效；申诉期限 {case.appeal_due}",
    )
    return case


def appeal_file(*, case: DisciplinaryCase, user: User, text: str, actor: Actor) -> DisciplinaryCase:
    """第十五条: within 5 working days of receipt of the 决定书; accepted on receipt, the
    20-working-day clock starts then (I‑48). Late or a second appeal: refused, audited."""
    if user.role != Role.OPERATOR:
        raise DomainError(E.NOT_OPERATOR)
    day = services.today()
    error = None
    with transaction.atomic():
        locked = _locked(case)
        if locked.appealed_on is not None:
            error = DomainError(E.APPEAL_FINAL)
        elif locked.status != DisciplineStatus.SERVED:
            _state(locked, (DisciplineStatus.SERVED,), "提起申诉")
        elif locked.appeal_due is not None and day > locked.appeal_due:
            error = DomainError(E.APPEAL_LATE, due=locked.appeal_due)
        else:
            locked.appeal_text = _text(text, "申诉请求和理由")
            locked.appealed_on = day
            locked.appeal_decision_due = services._add(day, clock.APPEAL_DECISION_DAYS)
            locked.status = DisciplineStatus.APPEALED
            locked.save()
            _log(
                locked,
                CasesAction.DISCIPLINE_APPEALED,
                actor,
                note=f"已受理；应于 {locked.appeal_decision_due} 前作出申诉审议决定",
            )
            return locked
    with transaction.atomic():
        record(
            actor=actor,
            action=CasesAction.DISCIPLINE_APPEAL_REFUSED,
            obj=case,
            institution_id=case.institution_id,
            after={"reason": error.error_code.name.lower(), "tried_on": day.isoformat()},
        )
    raise error


@transaction.atomic
def appeal_decide(
    *,
    case: DisciplinaryCase,
    user: User,
    outcome: str,
    text: str,
    sanctions=None,
    actor: Actor,
) -> DisciplinaryCase:
    """第十七条–第二十一条: the standing council (or a committee it delegates) decides; the
    decision is final. Quashing is announced publicly; an amended or re-made decision takes
    effect on service of the appeal decision, an upheld one keeps its date."""
    _handler(user)
    if outcome not in AppealOutcome.values:
        raise DomainError(E.APPEAL_OUTCOME_INVALID, field="outcome")
    case = _locked(case)
    _state(case, (DisciplineStatus.APPEALED,), "作出申诉审议决定")
    case.appeal_outcome = outcome
    case.appeal_decision_text = _text(text, "申诉审议依据和结论")
    case.appeal_decided_on = services.today()
    if outcome == AppealOutcome.QUASH:
        case.sanctions = []
        case.outcome = DisciplineOutcome.NONE
    elif outcome in (AppealOutcome.AMEND, AppealOutcome.REDO) and sanctions is not None:
        case.sanctions = _clean_sanctions(case, sanctions)
    if outcome != AppealOutcome.UPHOLD:
        case.decision_served_on = case.appeal_decided_on  # 第二十一条
    case.status = DisciplineStatus.CLOSED
    case.closed_on = case.appeal_decided_on
    case.save()
    _log(case, CasesAction.DISCIPLINE_APPEAL_DECIDED, actor, note=AppealOutcome(outcome).label)
    return case


@transaction.atomic
def discipline_refer(
    *, case: DisciplinaryCase, user: User, note: str, actor: Actor
) -> DisciplinaryCase:
    """第六条: conduct that may be a crime goes to law enforcement, at any step."""
    _handler(user)
    case = _locked(case)
    case.referred_on = services.today()
    case.referral_note = _text(note, "移交说明", 2000)
    case.save()
    _log(case, CasesAction.DISCIPLINE_REFERRED, actor, note=case.referral_note)
    return case


def discipline_sweep(*, day: date, actor: Actor) -> tuple[int, int]:
    """The daily task's part: defence windows that ended without a defence are waived
    (第十条（二） "视为放弃"); served decisions past the appeal window close."""
    waived = closed = 0
    for case in DisciplinaryCase.objects.filter(
        status=DisciplineStatus.NOTICE_SERVED, defence_due__lt=day
    ):
        with transaction.atomic():
            _waive(_locked(case), actor)
            waived += 1
    for case in DisciplinaryCase.objects.filter(status=DisciplineStatus.SERVED, appeal_due__lt=day):
        with transaction.atomic():
            locked = _locked(case)
            locked.status = DisciplineStatus.CLOSED
            locked.closed_on = day
            locked.save()
            _log(locked, CasesAction.DISCIPLINE_DECISION_SERVED, actor, note="申诉期限届满，结案")
            closed += 1
    return waived, closed


SEAL_MAX_BYTES = 2 * 2**20


@transaction.atomic
def seal_upload(*, user: User, upload, actor: Actor) -> AssociationSeal:
    """A system administrator uploads the association's seal (PNG or JPG, by content)."""
    if user.role != Role.SYSADMIN:
        raise DomainError(E.NOT_HANDLER)
    data = upload.read(SEAL_MAX_BYTES + 1)
    if len(data) > SEAL_MAX_BYTES:
        raise DomainError(E.SEAL_INVALID, field="seal", detail="图片不能超过 2 MB")
    try:
        content_type = private_files.sniff_attachment(data[:16])
    except private_files.AttachmentError as exc:
        raise DomainError(E.SEAL_INVALID, field="seal", detail=str(exc)) from None
    if not content_type.startswith("image/"):
        raise DomainError(E.SEAL_INVALID, field="seal", detail="请上传图片")
    seal = AssociationSeal.objects.create(
        image=data, content_type=content_type, uploaded_by=actor.label[:200]
    )
    record(actor=actor, action=CasesAction.SEAL_UPLOADED, obj=seal, after={"bytes": len(data)})
    return seal
