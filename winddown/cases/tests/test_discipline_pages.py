"""Disciplinary cases through the pages: the association opens, serves and decides; the
institution defends and appeals; PDFs; boundaries; the public list."""

from __future__ import annotations

from datetime import date

import pytest

from winddown.audit.models import AuditEntry
from winddown.cases import discipline
from winddown.cases.audit_actions import CasesAction
from winddown.cases.models import DisciplinaryCase, DisciplineStatus
from winddown.conftest import SYSTEM, staff_signed_in

pytestmark = pytest.mark.django_db


def _open(client, institution):
    response = client.post(
        "/staff/discipline/new/",
        {
            "institution": institution.pk,
            "is_member": "1",
            "source": "inspection",
            "responsible_person": "赵六",
            "source_summary": "现场检查报告",
            "facts": "官网宣传保本保息",
            "reasons": "承诺保本保息",
            "basis": "暂行办法第十条",
        },
    )
    assert response.status_code == 302, response.content.decode()[:500]
    return DisciplinaryCase.objects.get()


def test_through_the_pages(handler, institution_a, operator_a, operator_b, fixed_today):
    staff = staff_signed_in(handler)
    case = _open(staff, institution_a)
    # Not served yet: the institution does not see it.
    institution = staff_signed_in(operator_a)
    assert institution.get(f"/staff/my-discipline/{case.pk}/").status_code == 404
    staff.post(f"/staff/discipline/{case.pk}/step/notice/", {"method": "electronic"})
    notice = institution.get(f"/staff/my-discipline/{case.pk}/notice.pdf")
    assert notice.status_code == 200 and notice.content.startswith(b"%PDF-")
    assert AuditEntry.objects.filter(action=CasesAction.DOCUMENT_DOWNLOADED).exists()
    page = institution.get(f"/staff/my-discipline/{case.pk}/").content.decode()
    assert "2026-03-09" in page and "提交陈述申辩" in page
    # Another institution: 404 on everything.
    other = staff_signed_in(operator_b)
    assert other.get(f"/staff/my-discipline/{case.pk}/").status_code == 404
    assert other.get(f"/staff/my-discipline/{case.pk}/notice.pdf").status_code == 404
    assert other.post(f"/staff/my-discipline/{case.pk}/", {"text": "x"}).status_code == 404
    assert other.get(f"/staff/discipline/{case.pk}/").status_code == 403
    # A late defence: the Chinese message, nothing saved.
    fixed_today["value"] = date(2026, 3, 10)
    response = institution.post(
        f"/staff/my-discipline/{case.pk}/", {"kind": "defence", "text": "申辩"}
    )
    assert response.status_code == 409
    assert "视为放弃陈述与申辩权利" in response.content.decode()
    # The committee: 9 members, 6 yes → refused with the count; 7 → decided.
    response = staff.post(
        f"/staff/discipline/{case.pk}/step/decide/",
        {
            "members": "9",
            "yes": "6",
            "no": "3",
            "abstain": "0",
            "outcome": "sanction",
            "sanctions": ["S3"],
            "conclusion": "公示",
        },
    )
    assert response.status_code == 400 and "须至少7人" in response.content.decode()
    staff.post(
        f"/staff/discipline/{case.pk}/step/decide/",
        {
            "members": "9",
            "yes": "7",
            "no": "2",
            "abstain": "0",
            "outcome": "sanction",
            "sanctions": ["S3"],
            "mitigations": ["M2"],
            "conclusion": "违规事实成立",
        },
    )
    staff.post(f"/staff/discipline/{case.pk}/step/serve/", {"method": "direct"})
    case.refresh_from_db()
    assert case.status == DisciplineStatus.SERVED and case.defence_waived
    decision = institution.get(f"/staff/my-discipline/{case.pk}/decision.pdf")
    assert decision.status_code == 200 and decision.content.startswith(b"%PDF-")
    from django.test import Client

    public = Client().get("/sanctions/").content.decode()
    assert institution_a.full_name in public and "官网公示" in public
    response = institution.post(
        f"/staff/my-discipline/{case.pk}/", {"kind": "appeal", "text": "请求撤销公示"}
    )
    assert response.status_code == 302
    staff.post(
        f"/staff/discipline/{case.pk}/step/appeal/", {"outcome": "quash", "text": "事实不成立"}
    )
    case.refresh_from_db()
    assert case.status == DisciplineStatus.CLOSED and case.sanctions == []
    appeal = institution.get(f"/staff/my-discipline/{case.pk}/appeal.pdf")
    assert appeal.status_code == 200
    from winddown.cases.tests.test_discipline import pdf_text

    text = pdf_text(appeal.content)
    assert "申诉审议决定书" in text and "不得再提起申诉" in text and "请求撤销公示" in text
    public = Client().get("/sanctions/").content.decode()
    assert "原惩戒决定已撤销" in public  # 第十七条: announced


def test_only_handlers_open_and_decide(association_officer, institution_a, handler):
    client = staff_signed_in(association_officer)
    assert client.get("/staff/discipline/new/").status_code == 403
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
    response = client.post(f"/staff/discipline/{case.pk}/step/notice/", {"method": "post"})
    assert response.status_code == 403
    assert "投诉举报专人" in response.content.decode()
    assert client.get(f"/staff/discipline/{case.pk}/notice.pdf").status_code == 200


def test_the_seal_page_is_for_system_administrators(sysadmin, association_officer):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from winddown.testing import sample_png

    assert staff_signed_in(association_officer).get("/staff/cases/seal/").status_code == 403
    admin = staff_signed_in(sysadmin)
    response = admin.post("/staff/cases/seal/", {"seal": SimpleUploadedFile("s.png", sample_png())})
    assert response.status_code == 302
    from winddown.cases.models import AssociationSeal

    assert AssociationSeal.objects.count() == 1
