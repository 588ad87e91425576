"""Reports to the association: filing, the daily limit, repeats, deadlines in working days,
the handling steps and their audit (举报办法 第五条–第十三条; spec D)."""

from __future__ import annotations

import random
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from winddown.audit.models import AuditEntry
from winddown.cases import services
from winddown.cases.audit_actions import CasesAction
from winddown.cases.errors import CasesErrorCode as E
from winddown.cases.models import (
    CaseStep,
    Outcome,
    RejectReason,
    Report,
    ReporterIdentity,
    ReportStatus,
)
from winddown.cases.tests.conftest import FACTS, REPORTER_ID, REPORTER_NAME, TODAY, file_report
from winddown.conftest import SYSTEM, make_lender
from winddown.core.errors import DomainError
from winddown.demo.generators import resident_id
from winddown.testing import sample_docx, sample_pdf, sample_png

pytestmark = pytest.mark.django_db

OTHER_FACTS = [
    "该机构将一年期融资项目拆分为多个三个月期限的产品对外销售，误导出借人。",
    "平台在商场设立门店推介理财产品，工作人员现场收取出借人现金并开具收据。",
    "平台自行发放贷款给关联企业，资金用途不明，逾期后未披露任何信息。",
    "平台代销信托和私募基金产品，未向出借人揭示风险，宣传年化收益百分之十五。",
]


def test_a_verified_lender_files_a_report_with_evidence(reporter, institution_a):
    report = file_report(
        reporter,
        institution_a,
        categories=["R03", "r02"],
        files=[
            SimpleUploadedFile("合同.pdf", sample_pdf(1), "application/pdf"),
            SimpleUploadedFile("转账.png", sample_png(), "image/png"),
            SimpleUploadedFile("说明.docx", sample_docx(), "application/octet-stream"),
        ],
    )
    assert report.number == "JB2026-000001"
    assert report.status == ReportStatus.RECEIVED
    assert report.categories == ["R02", "R03"]
    assert sorted(e.content_type for e in report.evidence.all())[0] == "application/pdf"
    # The identity sits only in the encrypted store; the report holds a pseudonym.
    identity = ReporterIdentity.objects.get(report=report)
    assert identity.name.value == REPORTER_NAME and identity.id_number.value == REPORTER_ID
    assert REPORTER_NAME not in identity.name_enc
    assert report.reporter_index == reporter.id_index
    # 5 working days to decide acceptance (I‑40): Mon 2026-03-02 → Mon 2026-03-09.
    assert (report.next_due_kind, report.next_due) == ("accept", date(2026, 3, 9))
    entry = AuditEntry.objects.get(action=CasesAction.REPORT_FILED)
    assert entry.actor_label.startswith("举报人-") and entry.actor_id is None
    assert reporter.phone.value not in str(entry.after) + entry.actor_label


def test_evidence_must_be_a_document_or_an_image(reporter, institution_a, settings):
    with pytest.raises(DomainError) as exc:
        file_report(
            reporter,
            institution_a,
            files=[
                SimpleUploadedFile("a.png", sample_png(), "image/png"),
                SimpleUploadedFile("病毒.pdf", b"MZ\x90\x00binary", "application/pdf"),
            ],
        )
    assert exc.value.error_code is E.EVIDENCE_INVALID
    assert "第2个证据文件“病毒.pdf”" in exc.value.message
    assert Report.objects.count() == 0
    root = settings.PRIVATE_STORAGE_ROOT
    assert not any(p.is_file() for p in root.rglob("*")) if root.exists() else True


@pytest.mark.parametrize(
    ("institution", "facts", "categories", "code"),
    [
        (None, FACTS, ["R01"], E.INSTITUTION_REQUIRED),
        ("a", "", ["R01"], E.FACTS_REQUIRED),
        ("a", FACTS, [], E.CATEGORY_REQUIRED),
        ("a", FACTS, ["R99"], E.CATEGORY_INVALID),
    ],
)
def test_incomplete_reports_are_refused(
    reporter, institution_a, institution, facts, categories, code
):
    with pytest.raises(DomainError) as exc:
        file_report(
            reporter,
            institution_a if institution else None,
            facts=facts,
            categories=categories,
        )
    assert exc.value.error_code is code
    assert "请" in exc.value.message or "不在" in exc.value.message


def test_a_fourth_report_on_the_same_day_is_refused_and_audited(
    reporter, institution_a, institution_b, fixed_today
):
    for facts in OTHER_FACTS[:3]:
        file_report(reporter, institution_a, facts=facts)
    with pytest.raises(DomainError) as exc:
        file_report(reporter, institution_b, facts=OTHER_FACTS[3])
    assert exc.value.error_code is E.DAILY_LIMIT and "每天最多提交三件" in exc.value.message
    assert Report.objects.count() == 3
    refused = AuditEntry.objects.get(action=CasesAction.REPORT_REFUSED)
    assert refused.after["reason"] == "daily_limit"
    # Staff-recorded reports of the same person count too (all channels, I‑36) …
    fixed_today["value"] = date(2026, 3, 3)
    file_report(reporter, institution_b, facts=OTHER_FACTS[3])
    assert Report.objects.count() == 4


def test_staff_recorded_reports_count_toward_the_same_limit(reporter, institution_a, handler):
    for facts in OTHER_FACTS[:3]:
        services.report_record(
            user=handler,
            channel="letter",
            institution=institution_a,
            categories=["R05"],
            facts=facts,
            received_on=TODAY,
            name=REPORTER_NAME,
            id_number=REPORTER_ID,
            actor=SYSTEM,
        )
    with pytest.raises(DomainError) as exc:
        file_report(reporter, institution_a, facts=OTHER_FACTS[3])
    assert exc.value.error_code is E.DAILY_LIMIT


def test_a_repeat_is_linked_and_does_not_change_the_earlier_case(
    reporter, institution_a, handler, fixed_today
):
    first = file_report(reporter, institution_a)
    services.report_accept(report=first, user=handler, actor=SYSTEM)
    fixed_today["value"] = date(2026, 3, 4)
    again = file_report(reporter, institution_a, facts=FACTS.replace("约300万元", "约三百万元"))
    assert again.repeat_of_id == first.pk
    assert (again.status, again.reject_reason) == (ReportStatus.REJECTED, RejectReason.DUPLICATE)
    first.refresh_from_db()
    assert first.status == ReportStatus.ACCEPTED
    assert CaseStep.objects.filter(report=first, action=CasesAction.REPORT_REPEATED).exists()
    # A different text, or a different institution, is not a repeat.
    other = file_report(reporter, institution_a, facts=OTHER_FACTS[0])
    assert other.repeat_of_id is None


def test_an_anonymous_phone_report_is_registered_but_not_accepted(handler, institution_a):
    report = services.report_record(
        user=handler,
        channel="phone",
        institution=institution_a,
        categories=["R10"],
        facts=FACTS,
        received_on=TODAY,
        actor=SYSTEM,
    )
    assert (report.status, report.reject_reason) == (
        ReportStatus.REJECTED,
        RejectReason.NOT_REAL_NAME,
    )
    assert report.pseudonym == "匿名"


def test_only_designated_handlers_record_or_handle(association_officer, reporter, institution_a):
    with pytest.raises(DomainError) as exc:
        services.report_record(
            user=association_officer,
            channel="email",
            institution=institution_a,
            categories=["R10"],
            facts=FACTS,
            received_on=TODAY,
            actor=SYSTEM,
        )
    assert exc.value.error_code is E.NOT_HANDLER
    report = file_report(reporter, institution_a)
    with pytest.raises(DomainError):
        services.report_accept(report=report, user=association_officer, actor=SYSTEM)


def test_the_whole_procedure_in_working_days(
    reporter, institution_a, handler, secretary_general, operator_a, fixed_today
):
    report = file_report(reporter, institution_a)
    report = services.report_accept(
        report=report, user=handler, opinion="符合受理条件", actor=SYSTEM
    )
    # 10 working days to start (第十三条3).
    assert (report.next_due_kind, report.next_due) == ("start", date(2026, 3, 16))
    fixed_today["value"] = date(2026, 3, 27)  # Friday, after the Qingming holiday? no: before
    report = services.investigation_start(report=report, user=handler, actor=SYSTEM)
    # 60 working days from the start (I‑41), across 清明 (4-4..6), 劳动节 (5-1..5).
    assert report.next_due_kind == "end"
    assert report.next_due == date(2026, 6, 25)
    with pytest.raises(DomainError) as exc:
        services.investigation_extend(report=report, user=handler, stage_report="x", actor=SYSTEM)
    assert exc.value.error_code is E.NOT_SECRETARY_GENERAL
    with pytest.raises(DomainError) as exc:
        services.investigation_extend(
            report=report, user=secretary_general, stage_report="", actor=SYSTEM
        )
    assert exc.value.error_code is E.STAGE_REPORT_REQUIRED
    report = services.investigation_extend(
        report=report, user=secretary_general, stage_report="需调取银行流水", actor=SYSTEM
    )
    assert report.extensions == 1 and report.next_due > date(2026, 9, 1)
    fixed_today["value"] = date(2026, 7, 1)
    report = services.investigation_end(
        report=report, user=handler, findings="查实承诺保本保息", actor=SYSTEM
    )
    assert (report.next_due_kind, report.next_due) == ("decide", date(2026, 7, 15))
    report = services.institution_notify(report=report, user=handler, actor=SYSTEM)
    report = services.report_decide(
        report=report,
        user=handler,
        outcome=Outcome.RECTIFY,
        decision_text="责令整改，停止承诺保本保息",
        actor=SYSTEM,
    )
    # Waiting for the institution (10 WD from notice) and the feedback (10 WD), both 07-15.
    assert report.next_due == date(2026, 7, 15)
    report = services.institution_answer(
        report=report, user=operator_a, answer="已下架相关宣传并整改", actor=SYSTEM
    )
    assert report.next_due_kind == "feedback"
    with pytest.raises(DomainError):
        services.report_archive(report=report, user=handler, actor=SYSTEM)
    report = services.feedback_send(
        report=report, user=handler, text="已查实并责令整改", actor=SYSTEM
    )
    report = services.report_archive(report=report, user=handler, actor=SYSTEM)
    assert (report.status, report.is_open, report.next_due) == (ReportStatus.ARCHIVED, False, None)
    actions = list(
        AuditEntry.objects.filter(object_type="cases.report", object_id=str(report.pk))
        .order_by("seq")
        .values_list("action", flat=True)
    )
    assert actions == [
        CasesAction.REPORT_FILED,
        CasesAction.REPORT_ACCEPTED,
        CasesAction.INVESTIGATION_STARTED,
        CasesAction.INVESTIGATION_EXTENDED,
        CasesAction.INVESTIGATION_ENDED,
        CasesAction.INSTITUTION_NOTIFIED,
        CasesAction.REPORT_DECIDED,
        CasesAction.INSTITUTION_ANSWERED,
        CasesAction.FEEDBACK_SENT,
        CasesAction.REPORT_ARCHIVED,
    ]
    assert CaseStep.objects.filter(report=report).count() == len(actions)


def test_steps_out_of_order_are_refused(reporter, institution_a, handler):
    report = file_report(reporter, institution_a)
    with pytest.raises(DomainError) as exc:
        services.investigation_start(report=report, user=handler, actor=SYSTEM)
    assert exc.value.error_code is E.WRONG_STATE
    assert "待受理" in exc.value.message and "开始调查" in exc.value.message


def test_the_notice_to_the_institution_carries_nothing_of_the_reporter(
    reporter, institution_a, handler
):
    facts = f"我叫{REPORTER_NAME}，电话13912345678，身份证{REPORTER_ID}。" + FACTS
    report = file_report(reporter, institution_a, facts=facts)
    services.report_accept(report=report, user=handler, actor=SYSTEM)
    services.investigation_start(report=report, user=handler, actor=SYSTEM)
    report = services.institution_notify(report=report, user=handler, actor=SYSTEM)
    for secret in (REPORTER_NAME, "13912345678", REPORTER_ID):
        assert secret not in report.notice_text
    assert "承诺保本保息" in report.notice_text


def test_a_deadline_in_an_unconfirmed_year_waits_for_the_calendar(
    reporter, institution_a, handler, fixed_today
):
    fixed_today["value"] = date(2026, 12, 1)
    report = file_report(reporter, institution_a)
    report = services.report_accept(report=report, user=handler, actor=SYSTEM)
    report = services.investigation_start(report=report, user=handler, actor=SYSTEM)
    # 60 working days from 2026-12-01 fall in 2027, not yet confirmed: no guess.
    assert report.next_due is None and report.end_due is None and report.is_open


def test_a_second_person_is_counted_separately(institution_a):
    rng = random.Random(3)
    one = make_lender("13700000001", name="张三", id_number=resident_id(rng))
    two = make_lender("13700000002", name="李四", id_number=resident_id(rng))
    for facts in OTHER_FACTS[:3]:
        file_report(one, institution_a, facts=facts)
    file_report(two, institution_a, facts=OTHER_FACTS[0])
    assert Report.objects.count() == 4


def test_an_unverified_person_reports_under_name_and_id_number(institution_a):
    person = make_lender("13600000003")
    with pytest.raises(DomainError) as exc:
        services.report_file(
            lender=person,
            institution=institution_a,
            categories=["R01"],
            facts=FACTS,
            actor=SYSTEM,
        )
    assert exc.value.error_code is E.NAME_REQUIRED
    with pytest.raises(DomainError) as exc:
        services.report_file(
            lender=person,
            institution=institution_a,
            categories=["R01"],
            facts=FACTS,
            name="王五",
            id_number="110101199001011234",
            actor=SYSTEM,
        )
    assert exc.value.error_code is E.ID_NUMBER_INVALID
    report = services.report_file(
        lender=person,
        institution=institution_a,
        categories=["R01"],
        facts=FACTS,
        name="王五",
        id_number=resident_id(random.Random(11)),
        actor=SYSTEM,
    )
    assert report.reporter_type == "public"
    assert ReporterIdentity.objects.get(report=report).phone.value == "13600000003"


def test_a_number_taken_meanwhile_is_skipped(reporter, institution_a, monkeypatch):
    """Two writers reading the same last number: the second takes the next one."""
    first = file_report(reporter, institution_a)
    real = Report.objects.filter

    calls = {"n": 0}

    def stale(*args, **kwargs):
        rows = real(*args, **kwargs)
        if "number__startswith" in kwargs and calls["n"] == 0:
            calls["n"] += 1
            return Report.objects.none()  # as if the first report were not there yet
        return rows

    monkeypatch.setattr(Report.objects, "filter", stale)
    second = file_report(reporter, institution_a, facts=OTHER_FACTS[0])
    assert (first.number, second.number) == ("JB2026-000001", "JB2026-000002")
