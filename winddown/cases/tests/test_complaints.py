"""Lenders' complaints to their own institution: answered by a deadline, closed, or
escalated to the association (001 三、四; spec D.9)."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client

from winddown.audit.models import AuditEntry
from winddown.cases import complaints, services
from winddown.cases.audit_actions import CasesAction
from winddown.cases.errors import CasesErrorCode as E
from winddown.cases.models import Channel, ComplaintStatus, LenderComplaint
from winddown.cases.tests.conftest import REPORTER_ID, REPORTER_NAME, REPORTER_PHONE
from winddown.conftest import (
    SYSTEM,
    make_lender,
    register_file,
    staff_signed_in,
    upload_and_activate,
)
from winddown.core.errors import DomainError

pytestmark = pytest.mark.django_db

TEXT = "机构承诺11月兑付第一期，至今未兑付，客服电话无人接听，请给出明确的兑付时间。"


@pytest.fixture
def creditor(reporter, institution_a, operator_a, tmp_path):
    rows = [[REPORTER_NAME, "身份证", REPORTER_ID, REPORTER_PHONE, "50000.00", "0.00", "1"]]
    upload_and_activate(institution_a, operator_a, register_file(tmp_path, rows))
    return reporter


def test_answered_then_closed(creditor, institution_a, operator_a, operator_b):
    complaint = complaints.complaint_file(
        lender=creditor, institution=institution_a, text=TEXT, actor=SYSTEM
    )
    assert complaint.answer_due == date(2026, 3, 16)  # 10 working days
    with pytest.raises(DomainError) as exc:  # not yet: the institution answers first
        complaints.complaint_escalate(
            complaint=complaint, lender=creditor, categories=["R13"], actor=SYSTEM
        )
    assert exc.value.error_code is E.COMPLAINT_NOT_YET and "2026-03-16" in exc.value.message
    # The institution's queue and answer; another institution gets 404.
    assert staff_signed_in(operator_b).get(f"/staff/complaints/{complaint.pk}/").status_code == 404
    client = staff_signed_in(operator_a)
    assert TEXT[:10] in client.get("/staff/complaints/").content.decode()
    response = client.post(f"/staff/complaints/{complaint.pk}/", {"answer": "将于12月起分期兑付"})
    assert response.status_code == 302
    lender_client = Client()
    lender_client.force_login(creditor.user)
    page = lender_client.get(f"/m/complaints/{complaint.pk}/").content.decode()
    assert "将于12月起分期兑付" in page and "满意，办结" in page and "升级至协会" in page
    lender_client.post(f"/m/complaints/{complaint.pk}/close/")
    complaint.refresh_from_db()
    assert complaint.status == ComplaintStatus.CLOSED
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {
        CasesAction.COMPLAINT_FILED,
        CasesAction.COMPLAINT_ANSWERED,
        CasesAction.COMPLAINT_CLOSED,
    } <= actions


def test_unanswered_past_its_deadline_it_escalates_to_the_association(
    creditor, institution_a, fixed_today
):
    complaint = complaints.complaint_file(
        lender=creditor, institution=institution_a, text=TEXT, actor=SYSTEM
    )
    fixed_today["value"] = date(2026, 3, 17)
    services.deadlines_sweep(day=date(2026, 3, 17))
    complaint.refresh_from_db()
    assert complaint.overdue
    client = Client()
    client.force_login(creditor.user)
    response = client.post(f"/m/complaints/{complaint.pk}/escalate/", {"categories": ["R13"]})
    assert response.status_code == 302
    complaint.refresh_from_db()
    assert complaint.status == ComplaintStatus.ESCALATED
    report = complaint.report
    assert report.channel == Channel.COMPLAINT and "机构逾期未答复" in report.facts
    assert report.reporter_index == creditor.id_index and report.status == "received"


def test_only_a_verified_lender_with_a_claim_complains(institution_a, institution_b, creditor):
    with pytest.raises(DomainError) as exc:
        complaints.complaint_file(
            lender=creditor, institution=institution_b, text=TEXT, actor=SYSTEM
        )
    assert exc.value.error_code is E.COMPLAINT_NOT_LENDER
    stranger = make_lender("13300000001")
    with pytest.raises(DomainError) as exc:
        complaints.complaint_file(
            lender=stranger, institution=institution_a, text=TEXT, actor=SYSTEM
        )
    assert exc.value.error_code is E.NOT_VERIFIED
    with pytest.raises(DomainError) as exc:
        complaints.complaint_file(
            lender=creditor, institution=institution_a, text="短", actor=SYSTEM
        )
    assert exc.value.error_code is E.COMPLAINT_TEXT_REQUIRED
    assert LenderComplaint.objects.count() == 0


def test_not_satisfied_with_the_answer_it_escalates(creditor, institution_a, operator_a):
    complaint = complaints.complaint_file(
        lender=creditor, institution=institution_a, text=TEXT, actor=SYSTEM
    )
    complaints.complaint_answer(
        complaint=complaint, user=operator_a, answer="请耐心等待", actor=SYSTEM
    )
    complaint = complaints.complaint_escalate(
        complaint=complaint, lender=creditor, categories=["R13"], actor=SYSTEM
    )
    assert "出借人对答复不满意" in complaint.report.facts and "请耐心等待" in complaint.report.facts
    with pytest.raises(DomainError):
        complaints.complaint_escalate(
            complaint=complaint, lender=creditor, categories=["R13"], actor=SYSTEM
        )


def test_the_working_group_takes_over_an_exited_institutions_queue(
    creditor, institution_a, institution_b, operator_a, wg_officer
):
    complaint = complaints.complaint_file(
        lender=creditor, institution=institution_a, text=TEXT, actor=SYSTEM
    )
    client = staff_signed_in(wg_officer)
    assert TEXT[:10] not in client.get("/staff/complaints/").content.decode()
    with pytest.raises(DomainError):
        complaints.complaint_answer(
            complaint=complaint, user=wg_officer, answer="专班", actor=SYSTEM
        )
    institution_a.status = "exited"
    institution_a.save()
    assert TEXT[:10] in client.get("/staff/complaints/").content.decode()
    response = client.post(
        f"/staff/complaints/{complaint.pk}/", {"answer": "专班已接管，将于下月公布兑付方案"}
    )
    assert response.status_code == 302
    complaint.refresh_from_db()
    assert complaint.status == ComplaintStatus.ANSWERED and complaint.answered_by == wg_officer
