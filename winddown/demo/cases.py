"""Demo reports to the association (winddown/cases): the association officer designated as
complaint handler and secretary-general, reports by the ready demo lender in several states
(one notified to 网贷机构A awaiting its answer), and one recorded from a phone call."""

from __future__ import annotations

from django.utils import timezone

from winddown.audit.services import Actor
from winddown.cases import complaints
from winddown.cases import services as cases
from winddown.cases.models import Designation

FACTS = [
    (
        ["R03"],
        "网贷机构A的客服在电话中向我承诺“到期保本保息”，并于2026年10月要求我追加出借5万元，"
        "称追加后可优先兑付。我保留了通话录音和聊天记录截图。",
    ),
    (
        ["R13"],
        "网贷机构A自2026年8月起未在官网披露任何兑付进展，出借人群里询问也无人答复。",
    ),
    (
        ["R02"],
        "网贷机构B要求出借人把还款转到一名员工的个人银行账户，称是“临时清算账户”。",
    ),
]


def load_demo_cases(*, users: dict, institutions: dict, ready_lender) -> None:
    """Also a complaint of the ready lender to 网贷机构A, waiting for its answer."""
    officer = users["association"]
    actor = Actor(officer.pk, officer.audit_label)
    system = Actor.system("load_demo")
    cases.officer_designate(user=officer, designation=Designation.HANDLER, actor=system)
    cases.officer_designate(user=officer, designation=Designation.SECRETARY_GENERAL, actor=system)
    cases.officer_designate(user=officer, designation=Designation.COMMITTEE, actor=system)
    a, b = institutions["网贷机构A"], institutions["网贷机构B"]
    lender_actor = Actor(ready_lender.user.pk, ready_lender.user.audit_label)
    notified = cases.report_file(
        lender=ready_lender,
        institution=a,
        categories=FACTS[0][0],
        facts=FACTS[0][1],
        evidence_text="通话录音、微信聊天截图",
        actor=lender_actor,
    )
    cases.report_accept(
        report=notified, user=officer, opinion="实名、事实具体，予以受理", actor=actor
    )
    cases.investigation_start(report=notified, user=officer, actor=actor)
    cases.institution_notify(report=notified, user=officer, answer_days=10, actor=actor)
    decided = cases.report_file(
        lender=ready_lender,
        institution=a,
        categories=FACTS[1][0],
        facts=FACTS[1][1],
        actor=lender_actor,
    )
    cases.report_accept(report=decided, user=officer, actor=actor)
    cases.investigation_start(report=decided, user=officer, actor=actor)
    cases.investigation_end(
        report=decided, user=officer, findings="查实8月至今未披露兑付进展", actor=actor
    )
    cases.report_decide(
        report=decided,
        user=officer,
        outcome="rectify",
        decision_text="责令网贷机构A于10个工作日内补充披露兑付进展",
        actor=actor,
    )
    cases.feedback_send(
        report=decided,
        user=officer,
        text="经核查，您反映的情况属实，协会已责令该机构限期补充披露兑付进展。",
        actor=actor,
    )
    cases.report_record(
        user=officer,
        channel="phone",
        institution=b,
        categories=FACTS[2][0],
        facts=FACTS[2][1],
        received_on=timezone.localdate(),
        reporter_type="lender",
        name="陈建国",
        id_number="110101198503076378",
        phone="13700137000",
        handler_opinion="来电人情绪激动，称已有多名出借人转账",
        actor=actor,
    )
    lender_actor = Actor(ready_lender.user.pk, ready_lender.user.audit_label)
    complaints.complaint_file(
        lender=ready_lender,
        institution=a,
        text="贵公司承诺2026年11月开始第一期兑付，至今没有任何消息，客服电话一直无人接听。"
        "请告知明确的兑付时间和金额。",
        actor=lender_actor,
    )
    from winddown.cases import discipline

    case = discipline.discipline_open(
        user=officer,
        institution=b,
        source="inspection",
        source_summary="2026年11月现场检查报告：出借人还款转入员工个人账户，资金未进入存管账户。",
        facts="2026年10月至11月，网贷机构B要求出借人将还款转入员工个人银行账户，共计23笔。",
        reasons="直接或间接接受、归集出借人的资金",
        basis="《网络借贷信息中介机构业务活动管理暂行办法》第十条第（二）项；"
        "《安徽省网络借贷从业机构惩戒办法》第七条",
        responsible_person="刘强",
        is_member=True,
        actor=actor,
    )
    discipline.notice_serve(case=case, user=officer, method="electronic", actor=actor)
    from winddown.cases import inspections, monitoring

    inspections.flags_raise(
        institution=a,
        current=monitoring.Figures(
            "2026-10",
            overdue_fen=18_000_000_00,
            outstanding_fen=120_000_000_00,
            related_party_fen=350_000_00,
        ),
        previous=monitoring.Figures(
            "2026-09", overdue_fen=9_000_000_00, outstanding_fen=125_000_000_00
        ),
        actor=system,
    )
