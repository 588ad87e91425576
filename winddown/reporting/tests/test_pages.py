"""Staff pages: an operator files (entry, upload, sign-off, submit), the association
reviews and exports; the institution boundary holds on every page."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from winddown.audit.models import AuditEntry
from winddown.conftest import staff_signed_in
from winddown.indicators import TABLES
from winddown.reporting import layout
from winddown.reporting.models import Filing, FilingStatus, FilingVersion
from winddown.reporting.tests.conftest import complete


@pytest.fixture
def client_a(operator_a):
    return staff_signed_in(operator_a)


def new_filing(client, institution, table="AH-03", period="2026-Q2"):
    r = client.post(
        f"/staff/reporting/institutions/{institution.pk}/new/", {"table": table, "period": period}
    )
    assert r.status_code == 302, r.content.decode()[:500]
    return Filing.objects.get(institution=institution, table=table, period=period)


def post_cells(client, filing, cells, **extra):
    data = {f"cell-{k}": v for k, v in cells.items()} | extra
    return client.post(f"/staff/reporting/filings/{filing.pk}/save/", data)


def test_operator_home_lists_reminders_and_the_new_filing_form(client_a, institution_a):
    r = client_a.get("/staff/reporting/", follow=True)
    page = r.content.decode()
    assert r.status_code == 200
    assert "新建报送" in page and "待报提醒" in page


def test_entry_submit_and_association_return(
    client_a, operator_a, institution_a, association_officer
):
    filing = new_filing(client_a, institution_a)
    r = client_a.get(f"/staff/reporting/filings/{filing.pk}/")
    assert "AH3001" in r.content.decode() and "一、资产合计" in r.content.decode()
    r = post_cells(client_a, filing, {**complete("AH-03"), "AH3002": "abc"})
    assert r.status_code == 400
    assert "AH3002" in r.content.decode() and "不是数字" in r.content.decode()
    assert FilingVersion.objects.get(filing=filing).cells.get("AH3001") is None
    r = post_cells(client_a, filing, {**complete("AH-03"), "AH3029": "5", "AH3030": "5"})
    assert r.status_code == 302
    page = client_a.get(f"/staff/reporting/filings/{filing.pk}/").content.decode()
    assert "需复核" in page and 'name="explain-V17:AH3029"' in page
    r = client_a.post(
        f"/staff/reporting/filings/{filing.pk}/submit/", {"signatory": "张三", "confirm": "yes"}
    )
    assert r.status_code == 400 and "提示须填写说明" in r.content.decode()
    post_cells(client_a, filing, {}, **{"explain-V17:AH3029": "系代垫费用，已于7月收回"})
    r = client_a.post(
        f"/staff/reporting/filings/{filing.pk}/submit/", {"signatory": "张三", "confirm": "yes"}
    )
    assert r.status_code == 302
    filing.refresh_from_db()
    assert filing.status == FilingStatus.SUBMITTED

    association = staff_signed_in(association_officer)
    page = association.get(f"/staff/reporting/filings/{filing.pk}/").content.decode()
    assert "系代垫费用" in page and "协会审核" in page
    r = association.post(
        f"/staff/reporting/filings/{filing.pk}/review/",
        {"decision": "return", "comment": "AH3029 请附说明材料"},
    )
    assert r.status_code == 302
    page = client_a.get(f"/staff/reporting/filings/{filing.pk}/").content.decode()
    assert "AH3029 请附说明材料" in page and "更正重报" in page


def test_an_operator_of_another_institution_gets_404_and_is_audited(
    client_a, institution_a, institution_b, operator_b
):
    filing = new_filing(client_a, institution_a)
    client_b = staff_signed_in(operator_b)
    assert client_b.get(f"/staff/reporting/filings/{filing.pk}/").status_code == 404
    assert post_cells(client_b, filing, {"AH3002": "1"}).status_code == 404
    r = client_b.post(
        f"/staff/reporting/institutions/{institution_a.pk}/new/",
        {"table": "AH-05", "period": "2026-09"},
    )
    assert r.status_code == 404
    assert client_b.get(f"/staff/reporting/institutions/{institution_a.pk}/").status_code == 404
    denied = AuditEntry.objects.filter(action="access.denied", institution_id=institution_a.pk)
    assert denied.count() == 4
    assert not Filing.objects.filter(table="AH-05").exists()


def test_operators_cannot_review_or_see_the_dashboard(client_a, institution_a):
    filing = new_filing(client_a, institution_a)
    r = client_a.post(f"/staff/reporting/filings/{filing.pk}/review/", {"decision": "accept"})
    assert r.status_code == 403
    assert client_a.get("/staff/reporting/dashboard/").status_code == 403
    assert client_a.get("/staff/reporting/export.xlsx?period=2026-Q2").status_code == 403


def test_wg_officer_sees_but_cannot_file(wg_officer, institution_a, client_a):
    filing = new_filing(client_a, institution_a)
    wg = staff_signed_in(wg_officer)
    page = wg.get(f"/staff/reporting/filings/{filing.pk}/").content.decode()
    assert 'name="cell-AH3001"' not in page
    assert post_cells(wg, filing, {"AH3001": "1"}).status_code == 403


def test_template_download_upload_round_trip(client_a, institution_a):
    filing = new_filing(client_a, institution_a)
    r = client_a.get("/staff/reporting/templates/AH-03.xlsx")
    assert r.status_code == 200
    sheet = load_workbook(io.BytesIO(r.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "表 AH-03 资产负债采集指标表"
    assert rows[2][:3] == ("序号", "指标编码", "指标名称")
    assert rows[3][1] == "AH3001"
    filled = layout.template_xlsx(TABLES["AH-03"], cells={**complete("AH-03"), "AH3002": "12.34"})
    upload = io.BytesIO(filled)
    upload.name = "ah03.xlsx"
    r = client_a.post(f"/staff/reporting/filings/{filing.pk}/upload/", {"file": upload})
    assert r.status_code == 302
    version = FilingVersion.objects.get(filing=filing)
    assert version.cells["AH3002"] == "12.340000" and version.source == "upload"


def test_an_upload_in_another_tables_layout_is_refused(client_a, institution_a):
    filing = new_filing(client_a, institution_a)
    upload = io.BytesIO(layout.template_xlsx(TABLES["AH-05"], cells=complete("AH-05")))
    upload.name = "ah05.xlsx"
    r = client_a.post(f"/staff/reporting/filings/{filing.pk}/upload/", {"file": upload})
    assert r.status_code == 400
    page = r.content.decode()
    assert "AH-05的模板" in page
    assert FilingVersion.objects.get(filing=filing).cells == {}


def test_dashboard_filters_and_exports(association_officer, client_a, institution_a, institution_b):
    from winddown.reporting.selectors import periods_back

    new_filing(client_a, institution_a, "AH-05", periods_back("month", 1)[0].label)
    association = staff_signed_in(association_officer)
    page = association.get("/staff/reporting/dashboard/?table=AH-05&periods=3").content.decode()
    assert "网贷机构A" in page and "网贷机构B" in page and "草稿" in page
    page = association.get("/staff/reporting/dashboard/?table=AH-05&periods=3&state=draft")
    assert "网贷机构B" not in page.content.decode()
    r = association.get("/staff/reporting/dashboard.xlsx?table=AH-05&periods=3")
    rows = list(load_workbook(io.BytesIO(r.content)).active.iter_rows(values_only=True))
    assert rows[1][0] == "机构" and {rows[2][0], rows[3][0]} == {"网贷机构A", "网贷机构B"}


def test_period_export_in_the_standards_layout_writes_text(
    association_officer, operator_a, client_a, institution_a
):
    filing = new_filing(client_a, institution_a)
    post_cells(client_a, filing, {**complete("AH-03"), "AH3002": "0.5"})
    client_a.post(
        f"/staff/reporting/filings/{filing.pk}/submit/", {"signatory": "张三", "confirm": "yes"}
    )
    association = staff_signed_in(association_officer)
    r = association.get("/staff/reporting/export.xlsx?period=2026-Q2")
    assert r.status_code == 200
    book = load_workbook(io.BytesIO(r.content))
    assert book.sheetnames == ["AH-03", "AH-04"]
    rows = list(book["AH-03"].iter_rows(values_only=True))
    assert rows[1][-1] == institution_a.full_name
    ah3002 = next(row for row in rows if row[1] == "AH3002")
    assert ah3002[-1] == "0.500000"  # text, as entered
    assert AuditEntry.objects.filter(action="reporting.period_exported").count() == 1
    r = association.get("/staff/reporting/export.xlsx?period=2026-13", follow=True)
    assert "不存在" in r.content.decode()


@pytest.mark.parametrize(
    ("table", "period"),
    [("AH-01", "2025"), ("AH-02", "2025"), ("AH-04", "2026-Q3"), ("AH-06", "2026-10"),
     ("AH-07", "2026-10")],
)  # fmt: skip
def test_every_table_has_an_entry_page(client_a, institution_a, table, period):
    filing = new_filing(client_a, institution_a, table, period)
    page = client_a.get(f"/staff/reporting/filings/{filing.pk}/?groups=2&person=add")
    assert page.status_code == 200
    first = TABLES[table].indicators[0]
    assert f'name="cell-{first.code}"' in page.content.decode()
    if TABLES[table].per:
        assert f'name="cell-{first.code}#2"' in page.content.decode()
    if table == "AH-02":
        assert 'name="cell-AH2031#2"' in page.content.decode()


def test_repeated_groups_saved_from_the_page(client_a, institution_a):
    filing = new_filing(client_a, institution_a, "AH-07", "2026-10")
    one = complete("AH-07")
    cells = {**one, **{f"{k}#2": v for k, v in one.items()}, "AH701#2": "某保险公司"}
    assert post_cells(client_a, filing, cells).status_code == 302
    version = FilingVersion.objects.get(filing=filing)
    assert version.cells["AH701#2"] == "某保险公司"


def test_fixing_a_warning_while_its_explanation_is_posted_still_saves(client_a, institution_a):
    filing = new_filing(client_a, institution_a)
    post_cells(client_a, filing, {**complete("AH-03"), "AH3029": "5", "AH3030": "5"})
    r = post_cells(client_a, filing, {"AH3029": "0", "AH3030": "0"}, **{"explain-V17:AH3029": "x"})
    assert r.status_code == 302
    version = FilingVersion.objects.get(filing=filing)
    assert version.cells["AH3029"] == "0.000000" and version.explanations == {}
