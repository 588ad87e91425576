"""Reporting and disclosure over the API: an institution's own system files directly; the
association reviews; the public reads the disclosure column; boundaries hold."""

from __future__ import annotations

import io

from django.core.files.uploadedfile import SimpleUploadedFile

from winddown.api.tests.conftest import ApiClient, staff_token
from winddown.audit.models import AuditEntry
from winddown.indicators import TABLES
from winddown.reporting import layout
from winddown.reporting.models import Filing
from winddown.reporting.tests.conftest import complete


def test_tables_over_the_api(operator_a):
    client = ApiClient(staff_token(operator_a))
    body = client.get("/api/reporting/tables").json()
    assert sum(len(t["indicators"]) for t in body) == 241


def test_an_institutions_system_files_directly(operator_a, institution_a, association_officer):
    client = ApiClient(staff_token(operator_a))
    r = client.post(
        f"/api/reporting/institutions/{institution_a.pk}/filings",
        {"table": "AH-04", "period": "2026-Q3"},
    )
    assert r.status_code == 201, r.content
    filing = r.json()
    assert filing["state"] in ("draft", "overdue") and filing["deadline"] == "2026-10-20"
    fid = filing["id"]
    r = client.put(f"/api/reporting/filings/{fid}/cells", {"cells": {"AH4001": "一百"}})
    assert r.status_code == 400
    assert r.json()["field"] == "AH4001" and "不是数字" in r.json()["message"]
    cells = {**complete("AH-04"), "AH4016": "10", "AH4017": "1", "AH4018": "2", "AH4020": "1"}
    del cells["AH4019"], cells["AH4021"]
    r = client.put(f"/api/reporting/filings/{fid}/cells", {"cells": cells})
    body = r.json()
    assert r.status_code == 200
    assert body["current"]["cells"]["AH4019"] == "9.000000"  # computed (V5)
    assert body["current"]["cells"]["AH4021"] == "8.000000"  # computed (V6)
    amounts = {a["key"]: a for a in body["current"]["amounts"]}
    assert amounts["AH4019"]["amount_fen"] == 9_000_000
    warnings = [f for f in body["current"]["findings"] if f["severity"] == "warning"]
    explanations = {f["key"]: "表内加减项口径与营业利润不一致，已核对" for f in warnings}
    client.put(f"/api/reporting/filings/{fid}/cells", {"explanations": explanations})
    r = client.post(f"/api/reporting/filings/{fid}/submit", {"signatory": "张三", "confirm": True})
    assert r.status_code == 200, r.content
    assert r.json()["status"] == "submitted" and r.json()["late"] is True

    association = ApiClient(staff_token(association_officer))
    r = association.post(f"/api/reporting/filings/{fid}/return", {"comment": "AH4016 请核实"})
    assert r.json()["status"] == "returned"
    r = client.post(f"/api/reporting/filings/{fid}/resubmit", {"reason": "按协会意见更正"})
    assert r.json()["current"]["number"] == 2
    versions = client.get(f"/api/reporting/filings/{fid}/versions").json()
    assert [v["number"] for v in versions] == [2, 1]
    assert versions[1]["review_comment"] == "AH4016 请核实"
    from winddown.reporting.selectors import periods_back

    board = association.get("/api/reporting/dashboard", {"table": "AH-04", "periods": 2}).json()
    assert board["periods"] == [p.label for p in periods_back("quarter", 2)]
    assert any(r["institution_id"] == institution_a.pk for r in board["rows"])


def test_upload_over_the_api_and_another_tables_layout(operator_a, institution_a):
    client = ApiClient(staff_token(operator_a))
    fid = client.post(
        f"/api/reporting/institutions/{institution_a.pk}/filings",
        {"table": "AH-07", "period": "2026-10"},
    ).json()["id"]
    wrong = layout.template_xlsx(TABLES["AH-05"], cells=complete("AH-05"))
    r = client.multipart(
        f"/api/reporting/filings/{fid}/upload",
        {"file": SimpleUploadedFile("x.xlsx", wrong, content_type=layout.XLSX)},
    )
    assert r.status_code == 400 and "AH-05的模板" in r.json()["message"]
    right = layout.template_xlsx(TABLES["AH-07"], cells=complete("AH-07"))
    r = client.multipart(
        f"/api/reporting/filings/{fid}/upload",
        {"file": SimpleUploadedFile("x.xlsx", right, content_type=layout.XLSX)},
    )
    assert r.status_code == 200 and r.json()["current"]["source"] == "upload"
    assert io.BytesIO(right)  # the template itself is the upload format


def test_operator_of_another_institution_gets_404_and_is_audited(
    operator_a, operator_b, institution_a
):
    a = ApiClient(staff_token(operator_a))
    fid = a.post(
        f"/api/reporting/institutions/{institution_a.pk}/filings",
        {"table": "AH-05", "period": "2026-10"},
    ).json()["id"]
    b = ApiClient(staff_token(operator_b))
    assert b.get(f"/api/reporting/filings/{fid}").status_code == 404
    assert (
        b.put(f"/api/reporting/filings/{fid}/cells", {"cells": {"AH501": "1"}}).status_code == 404
    )
    r = b.post(
        f"/api/reporting/institutions/{institution_a.pk}/filings",
        {"table": "AH-05", "period": "2026-09"},
    )
    assert r.status_code == 404
    assert not Filing.objects.filter(period="2026-09").exists()
    assert (
        AuditEntry.objects.filter(action="access.denied", institution_id=institution_a.pk).count()
        == 3
    )


def test_operators_cannot_review_and_lenders_cannot_file(operator_a, institution_a):
    a = ApiClient(staff_token(operator_a))
    fid = a.post(
        f"/api/reporting/institutions/{institution_a.pk}/filings",
        {"table": "AH-05", "period": "2026-10"},
    ).json()["id"]
    assert a.post(f"/api/reporting/filings/{fid}/accept", {}).status_code == 403
    assert a.get("/api/reporting/dashboard").status_code == 403
    assert ApiClient().get(f"/api/reporting/filings/{fid}").status_code == 401


def test_disclosure_over_the_api(operator_a, institution_a):
    a = ApiClient(staff_token(operator_a))
    r = a.post(
        f"/api/reporting/institutions/{institution_a.pk}/disclosures",
        {"section": "complaints", "signatory": "张三",
         "items": [{"label": "咨询、投诉、举报联系电话", "value": "0551-12345678"}]},
    )  # fmt: skip
    assert r.status_code == 201, r.content
    public = ApiClient()
    index = public.get("/api/disclosure/institutions").json()
    assert [i["id"] for i in index] == [institution_a.pk]
    column = public.get(f"/api/disclosure/institutions/{institution_a.pk}").json()
    assert column[0]["items"][0]["value"] == "0551-12345678"
    versions = public.get(f"/api/disclosure/institutions/{institution_a.pk}/complaints").json()
    assert versions[0]["number"] == 1 and versions[0]["signatory"] == "张三"
    assert public.get(f"/api/disclosure/institutions/{institution_a.pk}/nope").status_code == 404
