"""Importing, diffing and activating register versions, and what lenders see."""

import io
import random
import socket
import subprocess
import sys

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from winddown.audit.models import AuditEntry
from winddown.audit.services import Actor
from winddown.audit.verify import verify_chain
from winddown.claims import selectors, services
from winddown.claims.audit_actions import ClaimsAction
from winddown.claims.models import (
    ClaimEntry,
    Confirmation,
    ImportStatus,
    RegisterImport,
    RegisterVersion,
    VersionStatus,
)
from winddown.conftest import make_lender, register_file, upload_and_activate
from winddown.core.errors import DomainError
from winddown.demo.generators import resident_id

pytestmark = pytest.mark.django_db
ME = Actor(None, "tests")


@pytest.fixture
def people():
    rng = random.Random(11)
    return [(f"出借人{i}", resident_id(rng), f"1380000{i:04d}") for i in range(6)]


def rows(people, amounts):
    return [
        [name, "身份证", number, phone, amount, "1.00", "1"]
        for (name, number, phone), amount in zip(people, amounts, strict=False)
    ]


def import_file(institution, operator, path):
    return services.register_import(
        institution=institution,
        open_source=lambda: open(path, "rb"),
        source_name=path.name,
        user=operator,
        actor=Actor(operator.pk, operator.audit_label),
    )


def test_first_version_totals_and_encryption(tmp_path, institution_a, operator_a, people):
    path = register_file(tmp_path, rows(people[:3], ["100.00", "0.01", "2,000,000.99"]))
    result = import_file(institution_a, operator_a, path)
    version = result.version
    assert result.ok and version.status == VersionStatus.PENDING and version.number == 1
    assert (version.lender_count, version.principal_total_fen, version.interest_total_fen) == (
        3,
        200010100,
        300,
    )
    assert (version.diff_added, version.diff_removed, version.diff_changed) == (3, 0, 0)
    entry = ClaimEntry.objects.get(version=version, row_number=2)
    assert entry.id_number.value == people[0][1] and people[0][1] not in entry.id_number_enc
    assert entry.phone.value == people[0][2] and people[0][2] not in entry.phone_enc
    assert AuditEntry.objects.filter(action=ClaimsAction.REGISTER_UPLOADED).count() == 1


def test_a_file_with_any_error_stores_nothing(tmp_path, institution_a, operator_a, people):
    bad = rows(people[:3], ["100.00", "1.001", "-3"])
    result = import_file(institution_a, operator_a, register_file(tmp_path, bad))
    assert not result.ok and result.error_count == 2
    assert [(e.row, e.column) for e in result.errors] == [(3, "待收本金(元)"), (4, "待收本金(元)")]
    assert not RegisterVersion.objects.exists() and not ClaimEntry.objects.exists()
    entry = AuditEntry.objects.get(action=ClaimsAction.REGISTER_REJECTED)
    assert entry.after["error_count"] == 2
    # The next good upload gets number 1: the rejected one consumed nothing.
    good = import_file(
        institution_a, operator_a, register_file(tmp_path, rows(people[:3], ["1", "2", "3"]))
    )
    assert good.version.number == 1


def test_diff_against_the_active_version_and_activation(
    tmp_path, institution_a, operator_a, people
):
    v1 = upload_and_activate(
        institution_a,
        operator_a,
        register_file(tmp_path, rows(people[:4], ["10", "20", "30", "40"]), "v1.csv"),
    )
    # v2: person 0 unchanged, 1 changed, 2 removed, 3 changed interest only, 4 added.
    interest_changed = [people[3][0], "身份证", people[3][1], people[3][2], "40", "9.99", "1"]
    v2_rows = [*rows(people[:2], ["10", "25"]), interest_changed, *rows(people[4:5], ["50"])]
    result = import_file(institution_a, operator_a, register_file(tmp_path, v2_rows, "v2.csv"))
    v2 = result.version
    assert v2.diff_base_id == v1.pk
    assert (v2.diff_added, v2.diff_removed, v2.diff_changed) == (1, 1, 2)
    changed = selectors.version_diff(v2, "changed")
    assert {(row.base.principal_fen, row.entry.principal_fen) for row in changed} == {
        (2000, 2500),
        (4000, 4000),
    }
    removed = selectors.version_diff(v2, "removed")
    assert [row.base.id_number.value for row in removed] == [people[2][1]]
    services.version_activate(version=v2, user=operator_a, actor=ME)
    v1.refresh_from_db()
    v2.refresh_from_db()
    assert (v1.status, v2.status) == (VersionStatus.SUPERSEDED, VersionStatus.ACTIVE)
    with pytest.raises(DomainError):
        services.version_activate(version=v2, user=operator_a, actor=ME)
    assert verify_chain().ok


def test_pending_diff_follows_what_is_active_now(tmp_path, institution_a, operator_a, people):
    upload_and_activate(
        institution_a, operator_a, register_file(tmp_path, rows(people[:2], ["1", "2"]), "a.csv")
    )
    p2 = import_file(
        institution_a,
        operator_a,
        register_file(tmp_path, rows(people[:3], ["1", "2", "3"]), "b.csv"),
    ).version
    p3 = import_file(
        institution_a,
        operator_a,
        register_file(tmp_path, rows(people[:3], ["1", "2", "4"]), "c.csv"),
    ).version
    assert p3.diff_added == 1
    services.version_activate(version=p2, user=operator_a, actor=ME)
    p3 = services.version_diff_refresh(RegisterVersion.objects.get(pk=p3.pk))
    assert (p3.diff_base_id, p3.diff_added, p3.diff_changed) == (p2.pk, 0, 1)


def test_discard_removes_rows_but_keeps_the_record(tmp_path, institution_a, operator_a, people):
    version = import_file(
        institution_a, operator_a, register_file(tmp_path, rows(people[:3], ["1", "2", "3"]))
    ).version
    services.version_discard(version=version, actor=ME)
    version.refresh_from_db()
    assert (
        version.status == VersionStatus.DISCARDED
        and not ClaimEntry.objects.filter(version=version).exists()
    )
    with pytest.raises(DomainError):
        services.version_activate(version=version, user=operator_a, actor=ME)


def test_lender_sees_only_their_claims_and_confirmation_is_voided_by_a_change(
    tmp_path, institution_a, institution_b, operator_a, operator_b, people
):
    name, number, phone = people[0]
    upload_and_activate(
        institution_a,
        operator_a,
        register_file(tmp_path, rows(people[:3], ["100.00", "1", "2"]), "a1.csv"),
    )
    upload_and_activate(
        institution_b, operator_b, register_file(tmp_path, rows(people[:1], ["7.07"]), "b1.csv")
    )
    lender = make_lender(phone, name=name, id_number=number)
    other = make_lender(people[1][2], name=people[1][0], id_number=people[1][1])
    claims = selectors.lender_claims(lender)
    assert [(c.institution.short_name, c.entry.principal_fen) for c in claims] == [
        ("网贷机构A", 10000),
        ("网贷机构B", 707),
    ]
    assert [c.entry.principal_fen for c in selectors.lender_claims(other)] == [100]
    services.claim_confirm(lender=lender, institution=institution_a, actor=ME)
    services.claim_confirm(lender=lender, institution=institution_a, actor=ME)  # idempotent
    services.claim_confirm(lender=other, institution=institution_a, actor=ME)
    assert Confirmation.objects.filter(voided_at__isnull=True).count() == 2
    # v2 changes the lender's amount but not the other lender's.
    upload_and_activate(
        institution_a,
        operator_a,
        register_file(tmp_path, rows(people[:3], ["90.00", "1", "2"]), "a2.csv"),
    )
    claim = selectors.lender_claim(lender, institution_a.pk)
    assert claim.entry.principal_fen == 9000 and not claim.confirmed
    assert "重新确认" in claim.voided_confirmation.void_reason
    assert selectors.lender_claim(other, institution_a.pk).confirmed
    activated = (
        AuditEntry.objects.filter(action=ClaimsAction.REGISTER_ACTIVATED).order_by("-seq").first()
    )
    assert activated.after["confirmations_voided"] == 1


def test_unverified_lender_sees_no_claims(tmp_path, institution_a, operator_a, people):
    upload_and_activate(institution_a, operator_a, register_file(tmp_path, rows(people[:1], ["1"])))
    lender = make_lender(people[0][2])
    assert selectors.lender_claims(lender) == []
    with pytest.raises(DomainError):
        services.claim_confirm(lender=lender, institution=institution_a, actor=ME)


PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def test_dispute_lifecycle(tmp_path, institution_a, operator_a, people, settings):
    name, number, phone = people[0]
    upload_and_activate(
        institution_a, operator_a, register_file(tmp_path, rows(people[:2], ["100.00", "1"]))
    )
    lender = make_lender(phone, name=name, id_number=number)
    services.claim_confirm(lender=lender, institution=institution_a, actor=ME)
    with pytest.raises(DomainError, match="异议理由"):
        services.dispute_raise(lender=lender, institution=institution_a, reason="短", actor=ME)
    with pytest.raises(DomainError, match="PDF、JPG 或 PNG"):
        services.dispute_raise(
            lender=lender,
            institution=institution_a,
            reason="本金应为 120 元",
            attachment=SimpleUploadedFile("x.exe", b"MZ\x90\x00", "application/octet-stream"),
            actor=ME,
        )
    dispute = services.dispute_raise(
        lender=lender,
        institution=institution_a,
        reason="本金应为 120 元，见合同",
        attachment=SimpleUploadedFile("合同.png", PNG, "image/png"),
        actor=ME,
    )
    stored = list((settings.PRIVATE_STORAGE_ROOT / "disputes").iterdir())
    assert len(stored) == 1 and PNG not in stored[0].read_bytes()
    assert b"".join(dispute.evidence.chunks()) == PNG
    # Disputing withdraws the confirmation; a second open dispute is refused.
    assert not selectors.lender_claim(lender, institution_a.pk).confirmed
    with pytest.raises(DomainError, match="待处理"):
        services.dispute_raise(
            lender=lender, institution=institution_a, reason="再说一次本金不对", actor=ME
        )
    assert list(selectors.dispute_queue(institution_a)) == [dispute]
    with pytest.raises(DomainError, match="答复内容"):
        services.dispute_answer(
            dispute=dispute, outcome="rejected", answer="", user=operator_a, actor=ME
        )
    services.dispute_answer(
        dispute=dispute,
        outcome="rejected",
        answer="经核对合同，本金无误",
        user=operator_a,
        actor=ME,
    )
    dispute.refresh_from_db()
    assert dispute.status == "rejected" and dispute.answered_by == operator_a
    with pytest.raises(DomainError, match="已答复"):
        services.dispute_answer(
            dispute=dispute, outcome="corrected", answer="已在新版更正", user=operator_a, actor=ME
        )
    assert not list(selectors.dispute_queue(institution_a))


def test_web_upload_path_through_the_task_queue(
    tmp_path, institution_a, operator_a, people, settings
):
    path = register_file(tmp_path, rows(people[:2], ["1", "2"]))
    upload = SimpleUploadedFile("登记表.csv", path.read_bytes(), "text/csv")
    job = services.register_import_queue(institution=institution_a, upload=upload, user=operator_a)
    assert job.status == ImportStatus.SUCCEEDED and job.version.lender_count == 2
    assert job.stored_path == "" and not list(
        (settings.PRIVATE_STORAGE_ROOT / "register-uploads").iterdir()
    )
    bad = SimpleUploadedFile("bad.csv", b"\xef\xbb\xbf\xe5\xa7\x93\xe5\x90\x8d\n", "text/csv")
    job = services.register_import_queue(institution=institution_a, upload=bad, user=operator_a)
    assert job.status == ImportStatus.FAILED and job.error_count >= 4 and job.errors[0]["column"]
    settings.REGISTER_UPLOAD_MAX_BYTES = 10
    with pytest.raises(DomainError, match="超过上限"):
        services.register_import_queue(institution=institution_a, upload=upload, user=operator_a)
    assert RegisterImport.objects.count() == 2


def test_stale_running_imports_are_failed(institution_a, operator_a):
    from datetime import timedelta

    from django.utils import timezone

    from winddown.core.processes import this_runner

    def running(**fields):
        return RegisterImport.objects.create(
            institution=institution_a,
            uploaded_by=operator_a,
            source_name="x.csv",
            source_size=1,
            status=ImportStatus.RUNNING,
            **fields,
        )

    # A worker on another host, three hours without finishing; a worker here that was
    # killed a minute ago (its process is gone); this process, still at work.
    elsewhere = running(started_at=timezone.now() - timedelta(hours=3), runner="other:1:1")
    killed = subprocess.Popen([sys.executable, "-c", ""])
    killed.wait()
    gone = running(
        started_at=timezone.now() - timedelta(minutes=1),
        runner=f"{socket.gethostname()}:{killed.pid}:123",
    )
    alive = running(started_at=timezone.now() - timedelta(minutes=1), runner=this_runner())
    assert services.stale_imports_fail() == 2
    for job in (elsewhere, gone):
        job.refresh_from_db()
        assert job.status == ImportStatus.FAILED and "中断" in job.message
    alive.refresh_from_db()
    assert alive.status == ImportStatus.RUNNING


@pytest.mark.parametrize("workers", [1, 2])
def test_names_survive_bulk_loading_and_worker_processes(
    tmp_path, institution_a, operator_a, people, workers
):
    """Backslashes and quotes reach the database unchanged (COPY text escaping), whether rows
    are prepared in this process or in worker processes."""
    odd = ["张\\三", 'O"Brien Lee', "李\\\\四"]
    rows = [
        [name, "身份证", number, phone, "1.00", "", ""]
        for name, (_, number, phone) in zip(odd, people, strict=False)
    ]
    path = register_file(tmp_path, rows)
    result = services.register_import(
        institution=institution_a,
        open_source=lambda: open(path, "rb"),  # noqa: SIM115
        source_name=path.name,
        user=operator_a,
        actor=Actor(operator_a.pk, operator_a.audit_label),
        workers=workers,
    )
    assert result.ok, [str(e) for e in result.errors]
    stored = list(
        ClaimEntry.objects.filter(version=result.version)
        .order_by("row_number")
        .values_list("name", flat=True)
    )
    assert stored == odd
    assert [
        e.id_number.value
        for e in ClaimEntry.objects.filter(version=result.version).order_by("row_number")
    ] == [p[1] for p in people[:3]]


def test_duplicates_across_worker_chunks_are_found(
    tmp_path, institution_a, operator_a, monkeypatch
):
    from winddown.claims import pipeline

    monkeypatch.setattr(pipeline, "CHUNK_ROWS", 3)
    rows = list(register_rows_for_test(10))
    rows.append(list(rows[1]))  # the same lender again, in a later chunk
    path = register_file(tmp_path, rows)
    result = services.register_import(
        institution=institution_a,
        open_source=lambda: open(path, "rb"),  # noqa: SIM115
        source_name=path.name,
        user=operator_a,
        actor=Actor(operator_a.pk, operator_a.audit_label),
        workers=2,
    )
    assert not result.ok and [(e.row, e.column) for e in result.errors] == [(12, "证件号码")]
    assert "第3行" in result.errors[0].message


def register_rows_for_test(count):
    from winddown.demo.generators import register_rows

    return register_rows(count, seed=31)


def _workbook(rows_: list[list[str]]) -> bytes:
    from openpyxl import Workbook

    from winddown.demo.generators import HEADER

    book = Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append(HEADER)
    for row in rows_:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_a_workbook_beyond_the_parsers_limits_fails_its_own_import(
    institution_a, operator_a, people, settings
):
    """XLSX registers are read in a child process with a memory limit (core/isolation.py):
    one that exceeds it fails with a Chinese reason, and the worker carries on."""
    many = rows(people[:1], ["100.00"]) * 60_000  # the reader needs about 90 MB for these
    settings.PARSE_MEMORY_BYTES = 40 * 2**20
    upload = SimpleUploadedFile("登记表.xlsx", _workbook(many))
    job = services.register_import_queue(institution=institution_a, upload=upload, user=operator_a)
    assert job.status == ImportStatus.FAILED
    assert "无法在限定的内存（40 MB）和时间内读取" in job.errors[0]["message"]
    assert "另存为 CSV" in job.errors[0]["message"]
    assert not RegisterVersion.objects.exists()

    upload = SimpleUploadedFile("登记表.xlsx", _workbook(rows(people[:2], ["100.00", "200.00"])))
    job = services.register_import_queue(institution=institution_a, upload=upload, user=operator_a)
    assert job.status == ImportStatus.SUCCEEDED, job.errors
    assert job.version.lender_count == 2
