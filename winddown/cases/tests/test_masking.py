"""Only designated complaint handlers see who reported (举报办法 第二条、第十二条); everyone
else, the institution included, sees a masked case, on every page, API call and export, and
an attempt to learn the identity is refused and audited."""

from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from winddown.audit.models import AuditEntry
from winddown.cases import services
from winddown.cases.audit_actions import CasesAction
from winddown.cases.tests.conftest import (
    FACTS,
    REPORTER_ID,
    REPORTER_NAME,
    REPORTER_PHONE,
    file_report,
)
from winddown.conftest import SYSTEM, staff_signed_in
from winddown.testing import sample_png

pytestmark = pytest.mark.django_db

SECRETS = (REPORTER_NAME, REPORTER_PHONE, REPORTER_ID, REPORTER_ID[-6:], REPORTER_PHONE[-4:] + '"')


def _notified_case(reporter, institution, handler):
    facts = f"本人{REPORTER_NAME}（手机{REPORTER_PHONE}）举报：" + FACTS
    report = file_report(
        reporter,
        institution,
        facts=facts,
        files=[SimpleUploadedFile("转账截图.png", sample_png(), "image/png")],
    )
    services.report_accept(report=report, user=handler, actor=SYSTEM)
    services.investigation_start(report=report, user=handler, actor=SYSTEM)
    return services.institution_notify(report=report, user=handler, actor=SYSTEM)


def _text(response) -> str:
    if response.get("Content-Type", "").startswith("application/json"):
        return json.dumps(response.json(), ensure_ascii=False)
    return response.content.decode("utf-8")


def _assert_masked(text: str, where: str) -> None:
    for secret in (REPORTER_NAME, REPORTER_PHONE, REPORTER_ID):
        assert secret not in text, f"{secret} leaked on {where}"


def test_the_institution_sees_a_masked_case_everywhere(
    reporter, institution_a, handler, operator_a
):
    report = _notified_case(reporter, institution_a, handler)
    client = staff_signed_in(operator_a)
    for url in [
        "/staff/reported/",
        f"/staff/reported/{report.pk}/",
        "/staff/reported/export.csv",
        "/api/cases/reported",
        f"/api/cases/reported/{report.pk}",
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
        body = _text(response)
        _assert_masked(body, url)
        assert report.number in body
    assert "承诺保本保息" in client.get(f"/staff/reported/{report.pk}/").content.decode()
    # Every association route is closed to it: 403 (role), and the attempts are audited.
    for url in [
        "/staff/cases/",
        f"/staff/cases/{report.pk}/",
        "/staff/cases/export.csv",
        f"/staff/cases/{report.pk}/evidence/{report.evidence.first().pk}/",
        "/api/cases/reports",
        f"/api/cases/reports/{report.pk}",
    ]:
        response = client.get(url)
        assert response.status_code == 403, url
        _assert_masked(response.content.decode(), url)
    for url in [f"/staff/cases/{report.pk}/reporter/", f"/api/cases/reports/{report.pk}/reporter"]:
        response = client.post(url)
        assert response.status_code == 403, url
        _assert_masked(response.content.decode(), url)
    assert AuditEntry.objects.filter(action="access.denied", actor_id=operator_a.pk).count() == 5
    assert AuditEntry.objects.filter(
        action=CasesAction.REPORTER_REVEAL_REFUSED, actor_id=operator_a.pk
    ).exists()


def test_another_institution_gets_404(reporter, institution_a, handler, operator_b):
    report = _notified_case(reporter, institution_a, handler)
    client = staff_signed_in(operator_b)
    assert client.get(f"/staff/reported/{report.pk}/").status_code == 404
    assert client.get(f"/api/cases/reported/{report.pk}").status_code == 404
    response = client.post(
        f"/api/cases/reported/{report.pk}/answer", {"answer": "x"}, content_type="application/json"
    )
    assert response.status_code == 404
    assert report.number not in client.get("/staff/reported/").content.decode()
    assert AuditEntry.objects.filter(
        action="access.denied", actor_id=operator_b.pk, object_id=str(report.pk)
    ).exists()


def test_the_institution_sees_nothing_before_it_is_notified(reporter, institution_a, operator_a):
    report = file_report(reporter, institution_a)
    client = staff_signed_in(operator_a)
    assert client.get(f"/staff/reported/{report.pk}/").status_code == 404
    assert report.number not in client.get("/api/cases/reported").content.decode()


def test_other_association_staff_see_a_pseudonym_only(
    reporter, institution_a, handler, association_officer
):
    report = _notified_case(reporter, institution_a, handler)
    client = staff_signed_in(association_officer)
    for url in [
        "/staff/cases/",
        f"/staff/cases/{report.pk}/",
        "/staff/cases/export.csv",
        "/api/cases/reports",
        f"/api/cases/reports/{report.pk}",
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
        body = _text(response)
        _assert_masked(body, url)
        assert report.pseudonym in body, url
    # The 《投诉举报信息处理单》 PDF: the masked facts, no reporter.
    form = client.get(f"/staff/cases/{report.pk}/form.pdf")
    assert form.status_code == 200 and form.content.startswith(b"%PDF-")
    from winddown.cases.tests.test_discipline import pdf_text

    text = pdf_text(form.content)
    _assert_masked(text, "处理单 PDF")
    assert "投诉举报信息处理单" in text and "承诺保本保息" in text
    evidence = report.evidence.first()
    assert client.get(f"/staff/cases/{report.pk}/evidence/{evidence.pk}/").status_code == 403
    for url in [f"/staff/cases/{report.pk}/reporter/", f"/api/cases/reports/{report.pk}/reporter"]:
        response = client.post(url)
        assert response.status_code == 403, url
        _assert_masked(response.content.decode(), url)
    refused = AuditEntry.objects.filter(
        action=CasesAction.REPORTER_REVEAL_REFUSED, actor_id=association_officer.pk
    )
    assert refused.count() == 2
    # The audit log itself carries no identity (who filed is the pseudonym), and the
    # audit page association officers read shows none either.
    for entry in AuditEntry.objects.all():
        _assert_masked(f"{entry.actor_label} {entry.before} {entry.after}", "audit log")
    filed = AuditEntry.objects.get(action=CasesAction.REPORT_FILED)
    assert filed.actor_label == report.pseudonym and filed.source_ip == ""
    _assert_masked(client.get("/staff/audit/").content.decode(), "audit page")


def test_a_handler_sees_the_reporter_and_each_look_is_audited(reporter, institution_a, handler):
    report = _notified_case(reporter, institution_a, handler)
    client = staff_signed_in(handler)
    page = client.get(f"/staff/cases/{report.pk}/").content.decode()
    # The identity is asked for (and audited), not shown with the case; the facts are shown
    # as written, which is what the handler is there to read.
    assert REPORTER_ID not in page and report.pseudonym in page
    assert "查看举报人身份" in page and "承诺保本保息" in page
    shown = client.post(f"/staff/cases/{report.pk}/reporter/").content.decode()
    assert REPORTER_NAME in shown and REPORTER_ID in shown and REPORTER_PHONE in shown
    api = client.post(f"/api/cases/reports/{report.pk}/reporter").json()
    assert api == {
        "name": REPORTER_NAME,
        "id_number": REPORTER_ID,
        "phone": REPORTER_PHONE,
        "contact": "",
    }
    assert (
        AuditEntry.objects.filter(action=CasesAction.REPORTER_REVEALED, actor_id=handler.pk).count()
        == 2
    )
    evidence = report.evidence.first()
    response = client.get(f"/staff/cases/{report.pk}/evidence/{evidence.pk}/")
    assert response.status_code == 200 and response["Content-Type"] == "image/png"


def test_the_reporter_files_on_the_phone_and_reads_the_feedback(reporter, institution_a, handler):
    client = Client()
    client.force_login(reporter.user)
    form = client.get("/m/reports/new/").content.decode()
    assert institution_a.short_name in form and "承诺保本保息" in form
    response = client.post(
        "/m/reports/new/",
        {
            "institution": institution_a.pk,
            "categories": ["R03"],
            "facts": FACTS,
            "evidence": [SimpleUploadedFile("a.png", sample_png(), "image/png")],
        },
    )
    assert response.status_code == 302
    report = reporter.user.lender and services.Report.objects.get()
    page = client.get(response["Location"]).content.decode()
    assert report.number in page and "待受理" in page
    services.report_reject(
        report=report, user=handler, reason="before_authority", opinion="已由法院受理", actor=SYSTEM
    )
    services.feedback_send(
        report=report, user=handler, text="该事项已由法院受理，协会不予受理。", actor=SYSTEM
    )
    assert "该事项已由法院受理" in client.get(f"/m/reports/{report.pk}/").content.decode()
    assert client.get("/api/me/reports").json()[0]["feedback"].startswith("该事项已由法院受理")


def test_bad_input_on_the_phone_gets_a_chinese_message(reporter, institution_a):
    client = Client()
    client.force_login(reporter.user)
    response = client.post("/m/reports/new/", {"categories": ["R03"], "facts": FACTS})
    assert response.status_code == 400
    assert "请选择被举报的机构" in response.content.decode()
    response = client.post(
        "/m/reports/new/",
        {
            "institution": institution_a.pk,
            "categories": ["R03"],
            "facts": FACTS,
            "evidence": [SimpleUploadedFile("run.exe", b"MZ\x90\x00", "application/pdf")],
        },
    )
    assert response.status_code == 400
    assert "第1个证据文件“run.exe”" in response.content.decode()
    for n in range(3):
        created = client.post(
            "/api/me/reports",
            {
                "institution_id": institution_a.pk,
                "categories": ["R0" + str(n + 1)],
                "facts": f"第{n}件：" + "不同的事实" * (n + 3) + "x" * n,
            },
        )
        assert created.status_code == 201, created.content
    response = client.post(
        "/api/me/reports",
        {
            "institution_id": institution_a.pk,
            "categories": ["R05"],
            "facts": "又一件完全不同的举报内容，涉及放贷。",
        },
    )
    assert response.status_code == 429
    assert "每天最多提交三件" in response.json()["message"]


def test_another_person_cannot_read_my_report(reporter, institution_a):
    from winddown.conftest import make_lender

    report = file_report(reporter, institution_a)
    other = make_lender("13500000009")
    client = Client()
    client.force_login(other.user)
    assert client.get(f"/m/reports/{report.pk}/").status_code == 404
    assert client.get(f"/api/me/reports/{report.pk}").status_code == 404


def test_a_flood_of_attempts_is_slowed_down(reporter):
    client = Client()
    client.force_login(reporter.user)
    for _ in range(20):
        assert client.post("/m/reports/new/", {"facts": "x"}).status_code == 400
    response = client.post("/m/reports/new/", {"facts": "x"})
    assert response.status_code == 400 and "提交过于频繁" in response.content.decode()
