"""Staff pages of the ledger: what each role sees, and the institution boundary."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from winddown.conftest import staff_signed_in
from winddown.ledger.models import LedgerImport, LedgerVersion
from winddown.ledger.samples import write_ledger
from winddown.ledger.tests.conftest import ID1

pytestmark = pytest.mark.django_db


def test_operator_uploads_the_three_files(tmp_path, institution_a, operator_a):
    files = write_ledger(tmp_path, 10, seed=2)
    client = staff_signed_in(operator_a)
    uploads = [SimpleUploadedFile(p.name, p.read_bytes()) for p in files.all]
    response = client.post(
        f"/staff/institutions/{institution_a.pk}/ledger/upload/", {"files": uploads}
    )
    job = LedgerImport.objects.get()
    assert response.status_code == 302 and response.url == f"/staff/ledger-imports/{job.pk}/"
    page = client.get(response.url).content.decode()
    assert "已生成第1版（生效中）：借款 10 笔" in page
    overview = client.get(f"/staff/institutions/{institution_a.pk}/ledger/").content.decode()
    assert "第1版" in overview and "导入借款台账" in overview


def test_upload_errors_are_listed_with_file_row_and_column(tmp_path, institution_a, operator_a):
    files = write_ledger(tmp_path, 5, seed=2)
    text = files.loans.read_text(encoding="utf-8-sig").replace("等额本金", "随借随还")
    text = text.replace("等额本息", "随借随还")
    files.loans.write_text(text, encoding="utf-8-sig")
    client = staff_signed_in(operator_a)
    uploads = [SimpleUploadedFile(p.name, p.read_bytes()) for p in files.all]
    response = client.post(
        f"/staff/institutions/{institution_a.pk}/ledger/upload/", {"files": uploads}, follow=True
    )
    page = response.content.decode()
    assert "未保存任何数据" in page and "随借随还" in page and "借款.csv" in page
    assert not LedgerVersion.objects.exists()


def test_operator_of_another_institution_gets_404(tmp_path, institution_a, operator_b):
    client = staff_signed_in(operator_b)
    assert client.get(f"/staff/institutions/{institution_a.pk}/ledger/").status_code == 404
    files = write_ledger(tmp_path, 3, seed=2)
    uploads = [SimpleUploadedFile(p.name, p.read_bytes()) for p in files.all]
    response = client.post(
        f"/staff/institutions/{institution_a.pk}/ledger/upload/", {"files": uploads}
    )
    assert response.status_code == 404 and not LedgerImport.objects.exists()


def test_officers_see_every_institution_but_do_not_upload(
    institution_a, institution_b, wg_officer, association_officer, ledger_a
):
    for officer in (wg_officer, association_officer):
        client = staff_signed_in(officer)
        index = client.get("/staff/ledger/").content.decode()
        assert "网贷机构A" in index and "网贷机构B" in index
        page = client.get(f"/staff/institutions/{institution_a.pk}/ledger/").content.decode()
        assert "第1版" in page and "导入借款台账" not in page
        upload = client.post(f"/staff/institutions/{institution_a.pk}/ledger/upload/", {})
        assert upload.status_code == 403


def test_operator_sees_only_own_institution_in_the_index(institution_b, operator_a):
    page = staff_signed_in(operator_a).get("/staff/ledger/").content.decode()
    assert "网贷机构A" in page and "网贷机构B" not in page


def test_three_files_are_required(institution_a, operator_a):
    client = staff_signed_in(operator_a)
    response = client.post(
        f"/staff/institutions/{institution_a.pk}/ledger/upload/",
        {"files": [SimpleUploadedFile("a.csv", b"x")]},
        follow=True,
    )
    assert "请同时上传借款、出借（持有）和还款三个文件" in response.content.decode()


# --- Loans, schedules, overdue dashboard, AH-05 ---------------------------------------------


def loan_pk(version, number):
    return version.loans.get(number=number).pk


def test_loan_list_filters(worked, institution_a, operator_a):
    client = staff_signed_in(operator_a)
    base = f"/staff/institutions/{institution_a.pk}/ledger/loans/?as_of=2026-06-30"
    page = client.get(base).content.decode()
    assert "共 4 笔" in page and "张*" in page and ID1 not in page
    assert "共 1 笔" in client.get(base + "&status=overdue").content.decode()
    assert "共 1 笔" in client.get(base + "&bucket=90").content.decode()
    assert "共 1 笔" in client.get(base + "&status=settled").content.decode()
    product = client.get(base + "&product=auto").content.decode()
    assert "共 1 笔" in product and "JK2" in product
    guarantor = client.get(base + "&guarantor=安信融资担保有限公司").content.decode()
    assert "共 1 笔" in guarantor and "JK3" in guarantor
    assert "共 3 笔" in client.get(base + "&guarantor=-").content.decode()


def test_loan_schedule_shows_what_was_paid_and_when(worked, operator_a):
    client = staff_signed_in(operator_a)
    page = client.get(f"/staff/loans/{loan_pk(worked, 'JK1')}/?as_of=2026-06-30").content.decode()
    assert "逾期，剩余本金" not in page
    assert "逾期：剩余本金 10,000.00 元，逾期 107 天，逾期金额 3,280.00 元" in page
    assert "2026-03-15 · 借款人 · 未划付" in page
    assert "逾期（借款人已还款，出借人未收到）" in page
    assert "平台自有资金（非代偿）" in page
    assert page.count('<tr><td class="num">') >= 12  # twelve periods


def test_overdue_dashboard(worked, institution_a, wg_officer):
    client = staff_signed_in(wg_officer)
    page = client.get(
        f"/staff/institutions/{institution_a.pk}/ledger/overdue/?as_of=2026-06-30"
    ).content.decode()
    assert "逾期90天（不含）以上" in page and "JK1" in page and "3,280.00" in page


def test_ah05_page_explains_and_drills_down(worked, institution_a, association_officer):
    client = staff_signed_in(association_officer)
    url = f"/staff/institutions/{institution_a.pk}/ledger/ah05/?period=2026-06"
    page = client.get(url).content.decode()
    assert 'data-testid="value-AH503">1.800000<' in page
    assert 'data-testid="value-AH510">72.22<' in page
    assert "不含平台自有资金" in page
    drill = client.get(url + "&code=AH519").content.decode()
    assert "AH519 逾期90天（不含）以上金额 的借款（1 笔）" in drill and "JK1" in drill
    assert client.get(url + "&code=AH999").status_code == 404


def test_other_institutions_operator_gets_404_everywhere(worked, institution_a, operator_b):
    client = staff_signed_in(operator_b)
    for url in (
        f"/staff/institutions/{institution_a.pk}/ledger/loans/",
        f"/staff/institutions/{institution_a.pk}/ledger/overdue/",
        f"/staff/institutions/{institution_a.pk}/ledger/ah05/?period=2026-06",
        f"/staff/loans/{loan_pk(worked, 'JK1')}/",
    ):
        assert client.get(url).status_code == 404, url


def test_pages_without_a_ledger_are_404(institution_a, operator_a):
    client = staff_signed_in(operator_a)
    assert client.get(f"/staff/institutions/{institution_a.pk}/ledger/loans/").status_code == 404
