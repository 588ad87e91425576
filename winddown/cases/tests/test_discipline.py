"""Disciplinary cases (惩戒办法): notice, 5-working-day defence, committee decision by
supermajority, sanctions and mitigations, the decision served, the appeal; PDFs."""

from __future__ import annotations

from datetime import date

import pypdfium2 as pdfium
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from winddown.audit.models import AuditEntry
from winddown.cases import discipline, documents, services
from winddown.cases.audit_actions import CasesAction
from winddown.cases.errors import CasesErrorCode as E
from winddown.cases.models import DisciplineStatus, DisciplineStep
from winddown.cases.tests.conftest import file_report
from winddown.conftest import SYSTEM
from winddown.core.errors import DomainError
from winddown.testing import sample_png

pytestmark = pytest.mark.django_db


def pdf_text(data: bytes) -> str:
    document = pdfium.PdfDocument(data)
    try:
        return "".join("".join(page.get_textpage().get_text_range().split()) for page in document)
    finally:
        document.close()


def open_case(handler, institution, source="inspection", **kw):
    return discipline.discipline_open(
        user=handler,
        institution=institution,
        source=source,
        source_summary="2026年2月现场检查报告：发现承诺保本保息宣传材料",
        facts="2026年1月至2月，该机构在官网及微信公众号宣传“保本保息”。",
        reasons="向出借人承诺保本保息，违反自律规范",
        basis="《网络借贷信息中介机构业务活动管理暂行办法》第十条第（三）项",
        responsible_person="赵六",
        actor=SYSTEM,
        **kw,
    )


def test_the_whole_procedure(handler, institution_a, operator_a, fixed_today):
    case = open_case(handler, institution_a)
    assert case.number == "CJ2026-000001" and case.status == DisciplineStatus.OPENED
    case = discipline.notice_serve(case=case, user=handler, method="electronic", actor=SYSTEM)
    assert case.defence_due == date(2026, 3, 9)  # 5 working days (第十条（二）)
    notice = pdf_text(documents.notice_pdf(case))
    for text in (
        "安徽省互联网金融协会",
        "惩戒告知书",
        "保本保息",
        "陈述和申辩的权利",
        "2026年3月9日",
    ):
        assert text in notice
    fixed_today["value"] = date(2026, 3, 9)  # the last day still counts
    case = discipline.defence_submit(
        case=case,
        user=operator_a,
        text="宣传材料系外包公司所为，已全部下架",
        hearing=True,
        actor=SYSTEM,
    )
    assert case.status == DisciplineStatus.REVIEW and case.hearing_requested
    # 9 members: 6 yes is not more than 2/3 (第十二条).
    with pytest.raises(DomainError) as exc:
        discipline.discipline_decide(
            case=case,
            user=handler,
            members=9,
            yes=6,
            no=2,
            abstain=1,
            outcome="sanction",
            sanctions=["S2", "S3"],
            conclusion="情节较轻",
            actor=SYSTEM,
        )
    assert exc.value.error_code is E.VOTE_SHORT and "须至少7人" in exc.value.message
    case = discipline.discipline_decide(
        case=case,
        user=handler,
        members=9,
        yes=7,
        no=1,
        abstain=1,
        outcome="sanction",
        sanctions=["S3", "S2"],
        mitigations=["M4"],
        conclusion="违规事实成立，已主动整改",
        actor=SYSTEM,
    )
    assert case.sanctions == ["S2", "S3"] and case.mitigations == ["M4"]
    case = discipline.decision_serve(case=case, user=handler, method="direct", actor=SYSTEM)
    assert case.status == DisciplineStatus.SERVED and case.published
    assert case.appeal_due == date(2026, 3, 16)
    decision = pdf_text(documents.decision_pdf(case))
    for text in (
        "惩戒决定书",
        "网贷机构A信息咨询有限公司",
        "负责人：赵六",
        "违规事实和证据",
        "发警示函、官网公示",
        "申诉的权利和期限",
        "2026年3月16日",
        "作出惩戒决定的日期",
        "赞成7人",
    ):
        assert text in decision, text
    fixed_today["value"] = date(2026, 3, 13)
    case = discipline.appeal_file(
        case=case, user=operator_a, text="已整改，请求撤销公示", actor=SYSTEM
    )
    assert case.appeal_decision_due == date(2026, 4, 13)  # 20 working days, 清明 4-4..6
    case = discipline.appeal_decide(
        case=case,
        user=handler,
        outcome="amend",
        text="维持警示函，撤销官网公示",
        sanctions=["S2"],
        actor=SYSTEM,
    )
    assert case.status == DisciplineStatus.CLOSED and case.sanctions == ["S2"]
    with pytest.raises(DomainError) as exc:
        discipline.appeal_file(case=case, user=operator_a, text="再次申诉", actor=SYSTEM)
    assert exc.value.error_code is E.APPEAL_FINAL
    assert DisciplineStep.objects.filter(case=case).count() == 7


def test_a_late_defence_is_refused_and_audited_and_the_right_is_waived(
    handler, institution_a, operator_a, fixed_today
):
    case = open_case(handler, institution_a)
    case = discipline.notice_serve(case=case, user=handler, method="post", actor=SYSTEM)
    fixed_today["value"] = date(2026, 3, 10)
    with pytest.raises(DomainError) as exc:
        discipline.defence_submit(
            case=case, user=operator_a, text="迟到的申辩", hearing=False, actor=SYSTEM
        )
    assert exc.value.error_code is E.DEFENCE_LATE and "2026-03-09" in exc.value.message
    assert AuditEntry.objects.filter(action=CasesAction.DISCIPLINE_DEFENCE_REFUSED).exists()
    services.deadlines_sweep(day=date(2026, 3, 10))
    case.refresh_from_db()
    assert case.defence_waived and case.status == DisciplineStatus.REVIEW


def test_a_late_appeal_is_refused(handler, institution_a, operator_a, fixed_today):
    case = open_case(handler, institution_a)
    discipline.notice_serve(case=case, user=handler, method="post", actor=SYSTEM)
    fixed_today["value"] = date(2026, 3, 10)
    case = discipline.discipline_decide(
        case=case,
        user=handler,
        members=5,
        yes=4,
        no=1,
        abstain=0,
        outcome="sanction",
        sanctions=["S1"],
        conclusion="约谈",
        actor=SYSTEM,
    )
    assert case.defence_waived  # the window had ended: waived on the way
    case = discipline.decision_serve(case=case, user=handler, method="direct", actor=SYSTEM)
    fixed_today["value"] = date(2026, 3, 18)
    with pytest.raises(DomainError) as exc:
        discipline.appeal_file(case=case, user=operator_a, text="申诉", actor=SYSTEM)
    assert exc.value.error_code is E.APPEAL_LATE
    assert AuditEntry.objects.filter(action=CasesAction.DISCIPLINE_APPEAL_REFUSED).exists()
    services.deadlines_sweep(day=date(2026, 3, 18))
    case.refresh_from_db()
    assert case.status == DisciplineStatus.CLOSED


def test_members_only_sanctions_and_bad_votes(handler, institution_a):
    case = open_case(handler, institution_a, is_member=False)
    discipline.notice_serve(case=case, user=handler, method="post", actor=SYSTEM)
    case.refresh_from_db()
    case.status = DisciplineStatus.REVIEW
    case.save()
    with pytest.raises(DomainError) as exc:
        discipline.discipline_decide(
            case=case,
            user=handler,
            members=5,
            yes=5,
            no=0,
            abstain=0,
            outcome="sanction",
            sanctions=["S5"],
            conclusion="x",
            actor=SYSTEM,
        )
    assert exc.value.error_code is E.SANCTION_MEMBERS_ONLY and "取消会员资格" in exc.value.message
    with pytest.raises(DomainError) as exc:
        discipline.discipline_decide(
            case=case,
            user=handler,
            members=5,
            yes=4,
            no=2,
            abstain=0,
            outcome="sanction",
            sanctions=["S1"],
            conclusion="x",
            actor=SYSTEM,
        )
    assert exc.value.error_code is E.VOTE_COUNTS_INVALID


def test_opened_from_a_report_decided_for_discipline(reporter, institution_a, handler):
    report = file_report(reporter, institution_a)
    with pytest.raises(DomainError):
        open_case(handler, institution_a, report=report)
    services.report_accept(report=report, user=handler, actor=SYSTEM)
    services.investigation_start(report=report, user=handler, actor=SYSTEM)
    services.investigation_end(report=report, user=handler, findings="查实", actor=SYSTEM)
    report = services.report_decide(
        report=report,
        user=handler,
        outcome="discipline",
        decision_text="转入惩戒程序",
        actor=SYSTEM,
    )
    case = open_case(handler, institution_a, report=report, source="report")
    assert case.report_id == report.pk


def test_the_seal_is_printed_on_the_documents(
    handler, institution_a, sysadmin, association_officer
):
    with pytest.raises(DomainError) as exc:
        discipline.seal_upload(
            user=sysadmin, upload=SimpleUploadedFile("seal.pdf", b"%PDF-1.4 x"), actor=SYSTEM
        )
    assert exc.value.error_code is E.SEAL_INVALID
    with pytest.raises(DomainError):
        discipline.seal_upload(
            user=association_officer,
            upload=SimpleUploadedFile("s.png", sample_png()),
            actor=SYSTEM,
        )
    case = open_case(handler, institution_a)
    without = documents.notice_pdf(case)
    discipline.seal_upload(
        user=sysadmin, upload=SimpleUploadedFile("s.png", sample_png()), actor=SYSTEM
    )
    with_seal = documents.notice_pdf(case)
    assert b"/Subtype /Image" in with_seal and b"/Subtype /Image" not in without
