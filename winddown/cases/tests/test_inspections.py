"""Inspections (检查办法) and off-site monitoring flags."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import given
from hypothesis import strategies as st

from winddown.accounts.roles import Role
from winddown.audit.models import AuditEntry
from winddown.cases import inspections, monitoring, services
from winddown.cases.audit_actions import CasesAction
from winddown.cases.errors import CasesErrorCode as E
from winddown.cases.models import Inspection, InspectionStatus, MonitoringFlag
from winddown.conftest import SYSTEM, make_staff
from winddown.core.errors import DomainError
from winddown.testing import sample_pdf

pytestmark = pytest.mark.django_db


@pytest.fixture
def team(db):
    return [make_staff(f"inspector{i}", Role.ASSOCIATION_OFFICER) for i in range(2)]


def test_an_onsite_inspection_from_plan_to_follow_up(
    handler, institution_a, operator_a, team, fixed_today
):
    with pytest.raises(DomainError) as exc:
        inspections.inspection_plan(
            user=handler,
            institution=institution_a,
            kind="full",
            scope="全面检查",
            team=team[:1],
            actor=SYSTEM,
        )
    assert exc.value.error_code is E.TEAM_TOO_SMALL
    inspection = inspections.inspection_plan(
        user=handler,
        institution=institution_a,
        kind="full",
        scope="合规情况、公司治理",
        team=team,
        actor=SYSTEM,
    )
    inspection = inspections.inspection_notify(inspection=inspection, user=handler, actor=SYSTEM)
    assert inspection.fieldwork_from == date(2026, 3, 9)  # 5 working days' notice (I‑31)
    with pytest.raises(DomainError) as exc:
        inspections.fieldwork_start(inspection=inspection, user=handler, actor=SYSTEM)
    assert exc.value.error_code is E.FIELDWORK_TOO_EARLY
    request = inspections.documents_request(
        inspection=inspection, user=handler, description="内控制度及执行记录", actor=SYSTEM
    )
    assert request.due == date(2026, 3, 9)
    with pytest.raises(DomainError) as exc:
        inspections.documents_answer(
            request=request,
            user=operator_a,
            files=[SimpleUploadedFile("x.exe", b"MZ\x90\x00")],
            actor=SYSTEM,
        )
    assert exc.value.error_code is E.EVIDENCE_INVALID
    request = inspections.documents_answer(
        request=request,
        user=operator_a,
        files=[SimpleUploadedFile("内控制度.pdf", sample_pdf(1))],
        note="见附件",
        actor=SYSTEM,
    )
    assert request.files.count() == 1
    fixed_today["value"] = date(2026, 3, 9)
    inspection = inspections.fieldwork_start(inspection=inspection, user=handler, actor=SYSTEM)
    inspection = inspections.fieldwork_end(
        inspection=inspection, user=handler, findings="风险防控预案缺失", actor=SYSTEM
    )
    assert inspection.report_due == date(2026, 3, 23)
    inspection = inspections.inspection_report(
        inspection=inspection,
        user=handler,
        report_text="检查报告：风险防控预案缺失",
        rectifications=[("制定风险防控预案", 20)],
        actor=SYSTEM,
    )
    order = inspection.rectifications.get()
    assert order.due == date(2026, 4, 7)  # 20 working days, 清明 04-04..06 (04-04 a Saturday)
    services.deadlines_sweep(day=date(2026, 4, 8))
    order.refresh_from_db()
    assert order.overdue
    follow = inspections.followup_plan(order=order, user=handler, team=team, actor=SYSTEM)
    assert follow.kind == "followup" and follow.parent_id == inspection.pk
    inspections.rectification_report(order=order, user=operator_a, text="已制定", actor=SYSTEM)
    inspections.rectification_accept(order=order, user=handler, actor=SYSTEM)
    inspection.refresh_from_db()
    assert inspection.status == InspectionStatus.CLOSED
    assert AuditEntry.objects.filter(action=CasesAction.INSPECTION_CLOSED).exists()


def test_flags_are_raised_once_and_open_an_inspection_or_a_case(handler, institution_a, team):
    previous = monitoring.Figures("2026-01", overdue_fen=10_00, outstanding_fen=1000_00)
    current = monitoring.Figures(
        "2026-02",
        overdue_fen=70_00,
        outstanding_fen=1000_00,
        related_party_fen=1,
        own_funds_compensation_fen=500_00,
    )
    raised = inspections.flags_raise(
        institution=institution_a, current=current, previous=previous, actor=SYSTEM
    )
    assert sorted(f.kind for f in raised) == [
        "overdue_jump",
        "own_funds_compensation",
        "related_party",
    ]
    assert "1.00%升至2026-02的7.00%" in raised[0].explanation
    assert (
        inspections.flags_raise(
            institution=institution_a, current=current, previous=previous, actor=SYSTEM
        )
        == []
    )
    assert MonitoringFlag.objects.count() == 3
    inspection = inspections.flag_open_inspection(
        flag=raised[0], user=handler, team=team, actor=SYSTEM
    )
    assert inspection.kind == "thematic" and inspection.flag_id == raised[0].pk
    case = inspections.flag_open_case(
        flag=raised[1], user=handler, responsible_person="赵六", actor=SYSTEM
    )
    assert case.source == "offsite"


amounts = st.integers(min_value=0, max_value=10**14)


@given(
    amounts,
    st.integers(min_value=1, max_value=10**14),
    amounts,
    st.integers(min_value=1, max_value=10**14),
    st.integers(min_value=0, max_value=100),
)
def test_the_jump_matches_exact_fractions(po, pb, co, cb, points):
    from fractions import Fraction

    previous = monitoring.Figures("p", overdue_fen=po, outstanding_fen=pb)
    current = monitoring.Figures("c", overdue_fen=co, outstanding_fen=cb)
    exact = Fraction(co, cb) - Fraction(po, pb) >= Fraction(points, 100)
    assert monitoring.overdue_jump(previous, current, points) is exact


def test_pages_and_boundaries(handler, institution_a, operator_a, operator_b, team, fixed_today):
    from winddown.conftest import staff_signed_in

    staff = staff_signed_in(handler)
    response = staff.post(
        "/staff/inspections/new/",
        {
            "institution": institution_a.pk,
            "kind": "thematic",
            "scope": "资金存管",
            "team": [u.pk for u in team],
        },
    )
    assert response.status_code == 302
    inspection = Inspection.objects.get()
    institution = staff_signed_in(operator_a)
    assert institution.get(f"/staff/my-inspections/{inspection.pk}/").status_code == 404
    staff.post(f"/staff/inspections/{inspection.pk}/step/notify/")
    staff.post(f"/staff/inspections/{inspection.pk}/step/request/", {"text": "存管协议"})
    request = inspection.requests.get()
    response = institution.post(
        f"/staff/my-inspections/{inspection.pk}/",
        {
            "kind": "documents",
            "item": request.pk,
            "files": [SimpleUploadedFile("bad.exe", b"MZ\x90\x00")],
        },
    )
    assert response.status_code == 400 and "附件只支持" in response.content.decode()
    response = institution.post(
        f"/staff/my-inspections/{inspection.pk}/",
        {
            "kind": "documents",
            "item": request.pk,
            "files": [SimpleUploadedFile("存管协议.pdf", sample_pdf(1))],
        },
    )
    assert response.status_code == 302
    file_id = request.files.get().pk
    assert staff.get(f"/staff/inspections/{inspection.pk}/files/{file_id}/").status_code == 200
    other = staff_signed_in(operator_b)
    assert other.get(f"/staff/my-inspections/{inspection.pk}/").status_code == 404
    assert other.get(f"/staff/my-inspections/{inspection.pk}/files/{file_id}/").status_code == 404
    early = staff.post(f"/staff/inspections/{inspection.pk}/step/start/")
    assert early.status_code == 409 and "最早2026-03-09" in early.content.decode()
    # The timeline (from the audit rows) and the notice as a PDF, for both sides.
    page = staff.get(f"/staff/inspections/{inspection.pk}/").content.decode()
    assert "通知被检查机构" in page and "机构提供资料" in page
    notice = institution.get(f"/staff/my-inspections/{inspection.pk}/notice.pdf")
    assert notice.status_code == 200 and notice.content.startswith(b"%PDF-")
    assert institution.get(f"/staff/my-inspections/{inspection.pk}/report.pdf").status_code == 403
    assert other.get(f"/staff/my-inspections/{inspection.pk}/notice.pdf").status_code == 404


def test_the_flags_command(institution_a, tmp_path):
    import json
    from io import StringIO

    from django.core.management import call_command

    path = tmp_path / "figures.json"
    path.write_text(
        json.dumps(
            [
                {
                    "institution": institution_a.short_name,
                    "period": "2026-02",
                    "overdue_fen": 7000,
                    "outstanding_fen": 100000,
                    "related_party_fen": 5,
                    "previous": {
                        "period": "2026-01",
                        "overdue_fen": 1000,
                        "outstanding_fen": 100000,
                    },
                }
            ]
        ),
        encoding="utf-8",
    )
    out = StringIO()
    call_command("cases_flags", "--input", str(path), stdout=out)
    assert "共生成预警 2 条" in out.getvalue()
    path.write_text(json.dumps([{"institution": "没有", "period": "x"}]), encoding="utf-8")
    with pytest.raises(Exception, match="没有机构"):
        call_command("cases_flags", "--input", str(path))
