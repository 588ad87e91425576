"""Staff pages of the ledger: what each role sees, and the institution boundary."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from winddown.conftest import staff_signed_in
from winddown.ledger.models import LedgerImport, LedgerVersion
from winddown.ledger.samples import write_ledger

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
