"""The platform's capabilities end to end over JSON: a lender from sign-in to an answered
dispute, an operator from a rejected upload to an activated register, SMS sign-in codes
and the error shapes clients rely on. Over 500 lines: whole journeys, each read top to
bottom."""

from __future__ import annotations

import datetime
import re
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from winddown.api.tests.conftest import (
    PNG_BYTES,
    ApiClient,
    id_number,
    lender_token,
    request_sms_code,
    row,
    staff_token,
    upload_file,
)
from winddown.claims.models import (
    ClaimEntry,
    Confirmation,
    Dispute,
    RegisterImport,
    RegisterVersion,
)
from winddown.conftest import make_lender, register_file, upload_and_activate
from winddown.core.providers import sms as dev_providers
from winddown.identity.models import Lender, SmsCode
from winddown.identity.providers.dev import mark_liveness_passed

pytestmark = pytest.mark.django_db

ERROR_KEYS = {"code", "message", "field"}


def assert_domain_error(response, status: int, code: str, field: str | None = None):
    """Domain errors are {"code", "message", "field"} with a Chinese message."""
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == ERROR_KEYS, body
    assert body["code"] == code
    assert body["field"] == field
    assert re.search(r"[\u4e00-\u9fff]", body["message"]), body["message"]
    return body


# --- A lender from sign-in to an answered dispute ------------------------------------------

NEW_PHONE = "13512345000"
NEW_ID = id_number(11, area="440304", birth=datetime.date(1988, 8, 8))


def test_lender_journey(
    institution_a, institution_b, operator_a, tmp_path, django_capture_on_commit_callbacks
):
    upload_and_activate(
        institution_a,
        operator_a,
        register_file(
            tmp_path,
            [
                row("张小英", NEW_ID, NEW_PHONE, "12345.67", "0.05", "3"),
                row("钱多多", id_number(12), "13312345678", "99.99", "0.00"),
            ],
            name="a-v1.csv",
        ),
    )
    lender = ApiClient(lender_token(NEW_PHONE))

    # A first sign-in creates the account; verification comes next.
    me = lender.get("/api/me")
    assert me.status_code == 200
    assert me.json() == {
        "masked_phone": "135****5000",
        "real_name": "",
        "masked_id_number": "",
        "verified": False,
        "next_step": "identity",
        "has_voting_password": False,
        "agreement_version": "",
    }
    assert lender.get("/api/me/claims").json() == []  # nothing before verification
    assert lender.post("/api/me/liveness/start", {"return_url": "/m/"}).status_code == 409

    # Real name and ID number, with the agreement.
    assert_domain_error(
        lender.post(
            "/api/me/identity", {"real_name": "张小英", "id_number": NEW_ID, "agreed": False}
        ),
        400,
        "identity.agreement_required",
        "agreed",
    )
    wrong_check_digit = NEW_ID[:-1] + ("1" if NEW_ID[-1] == "0" else "0")
    assert_domain_error(
        lender.post(
            "/api/me/identity",
            {"real_name": "张小英", "id_number": wrong_check_digit, "agreed": True},
        ),
        400,
        "identity.invalid_id_number",
        "id_number",
    )
    identity = lender.post(
        "/api/me/identity", {"real_name": "张小英", "id_number": NEW_ID, "agreed": True}
    )
    assert identity.status_code == 200, identity.content
    assert identity.json()["next_step"] == "liveness"
    assert identity.json()["masked_id_number"] == NEW_ID[:3] + "*" * 12 + NEW_ID[-3:]

    # Liveness with the offline provider: its page is the dev page, the token in its path.
    evil = lender.post("/api/me/liveness/start", {"return_url": "https://evil.example/x"})
    assert evil.json() == {
        "code": "identity.return_url_invalid",
        "message": "return_url 必须指向本平台的地址",
        "field": "return_url",
    }
    assert evil.status_code == 400
    started = lender.post("/api/me/liveness/start", {"return_url": "/m/liveness/return/"})
    assert started.status_code == 200
    url = urlsplit(started.json()["redirect_url"])
    assert url.path.startswith("/m/dev/liveness/")
    token = url.path.rstrip("/").rsplit("/", 1)[1]
    assert_domain_error(
        lender.post("/api/me/liveness/complete", {"token": token}),
        400,
        "identity.liveness_failed",
    )  # not passed yet
    mark_liveness_passed(token)
    assert_domain_error(
        lender.post("/api/me/liveness/complete", {"token": token + "x"}),
        400,
        "identity.liveness_failed",
    )
    completed = lender.post("/api/me/liveness/complete", {"token": token})
    assert completed.status_code == 200, completed.content
    assert completed.json()["verified"] is True
    assert completed.json()["next_step"] == "password"

    # The six-digit voting password.
    assert_domain_error(
        lender.post(
            "/api/me/voting-password", {"password": "123456", "password_confirm": "123456"}
        ),
        400,
        "identity.password_too_simple",
        "password",
    )
    assert_domain_error(
        lender.post(
            "/api/me/voting-password", {"password": "135790", "password_confirm": "135791"}
        ),
        400,
        "identity.password_mismatch",
        "password_confirm",
    )
    password = lender.post(
        "/api/me/voting-password", {"password": "135790", "password_confirm": "135790"}
    )
    assert password.json() == {"detail": "投票密码设置成功"}
    assert_domain_error(
        lender.post(
            "/api/me/voting-password", {"password": "246801", "password_confirm": "246801"}
        ),
        409,
        "identity.password_already_set",
    )
    me = lender.get("/api/me").json()
    assert (me["verified"], me["next_step"], me["has_voting_password"]) == (True, "done", True)

    # Claims: exact fen integers and two-decimal yuan strings.
    claims = lender.get("/api/me/claims")
    assert claims.status_code == 200
    [claim] = claims.json()
    assert claim["institution_id"] == institution_a.pk
    assert claim["institution_name"] == institution_a.full_name
    assert (claim["principal_fen"], claim["principal"]) == (1234567, "12345.67")
    assert (claim["interest_fen"], claim["interest"]) == (5, "0.05")
    assert type(claim["principal_fen"]) is int and type(claim["interest_fen"]) is int
    assert re.search(r'"principal_fen":\s*1234567[,}]', claims.content.decode())
    assert claim["interest_registered"] is True
    assert claim["loan_count"] == 3
    assert claim["version_number"] == 1
    assert (claim["confirmed"], claim["confirmed_at"]) == (False, None)
    assert claim["confirmation_voided_reason"] == ""
    assert claim["open_dispute_id"] is None

    # Confirm (twice is the same as once).
    confirmed = lender.post(f"/api/me/claims/{institution_a.pk}/confirm")
    assert confirmed.status_code == 200, confirmed.content
    assert confirmed.json()["confirmed"] is True
    assert confirmed.json()["confirmed_at"] is not None
    again = lender.post(f"/api/me/claims/{institution_a.pk}/confirm")
    assert again.json()["confirmed_at"] == confirmed.json()["confirmed_at"]
    assert Confirmation.objects.count() == 1
    assert lender.post(f"/api/me/claims/{institution_b.pk}/confirm").status_code == 404

    # Dispute with a reason and a PNG photo (multipart).
    assert_domain_error(
        lender.multipart(f"/api/me/claims/{institution_a.pk}/disputes", {"reason": "不对"}),
        400,
        "claims.reason_required",
        "reason",
    )
    not_an_image = SimpleUploadedFile("x.png", b"MZ\x90\x00 not an image", "image/png")
    assert_domain_error(
        lender.multipart(
            f"/api/me/claims/{institution_a.pk}/disputes",
            {"reason": "本金应为 12445.67 元", "attachment": not_an_image},
        ),
        400,
        "claims.attachment_invalid",
        "attachment",
    )
    photo = SimpleUploadedFile("借款合同.png", PNG_BYTES, content_type="image/png")
    raised = lender.multipart(
        f"/api/me/claims/{institution_a.pk}/disputes",
        {"reason": "本金应为 12445.67 元，少算了一笔 100 元", "attachment": photo},
    )
    assert raised.status_code == 201, raised.content
    dispute = raised.json()
    assert dispute["status"] == "open"
    assert dispute["status_label"] == "待处理"
    assert dispute["has_attachment"] is True
    assert (dispute["principal_fen"], dispute["interest_fen"]) == (1234567, 5)
    stored = Dispute.objects.get(pk=dispute["id"])
    assert stored.attachment_type == "image/png"
    assert stored.attachment_name == "借款合同.png"
    evidence = b"".join(stored.evidence.chunks())
    assert evidence == PNG_BYTES

    claim = lender.get("/api/me/claims").json()[0]
    assert claim["open_dispute_id"] == dispute["id"]
    assert claim["confirmed"] is False
    assert claim["confirmation_voided_reason"] == "您对债权提出了异议"
    assert_domain_error(
        lender.multipart(
            f"/api/me/claims/{institution_a.pk}/disputes", {"reason": "再提一次异议可以吗"}
        ),
        409,
        "claims.dispute_already_open",
    )

    # The operator sees it, uploads a corrected register and answers.
    operator = ApiClient(staff_token(operator_a))
    queue = operator.get(f"/api/institutions/{institution_a.pk}/disputes")
    assert queue.status_code == 200
    [item] = queue.json()
    assert item["id"] == dispute["id"]
    assert item["lender_name"] == "张小英"
    assert item["lender_masked_phone"] == "135****5000"
    assert item["has_attachment"] is True
    corrected_upload = operator.multipart(
        f"/api/institutions/{institution_a.pk}/registers",
        {
            "file": upload_file(
                tmp_path,
                [
                    row("张小英", NEW_ID, NEW_PHONE, "12445.67", "0.05", "4"),
                    row("钱多多", id_number(12), "13312345678", "99.99", "0.00"),
                ],
                "a-v2.csv",
            )
        },
    )
    assert corrected_upload.json()["status"] == "succeeded", corrected_upload.content
    version_id = corrected_upload.json()["version_id"]

    foreign_version = RegisterVersion.objects.create(
        institution=institution_b,
        number=1,
        source_name="b.csv",
        source_sha256="0" * 64,
        source_size=1,
        lender_count=0,
        principal_total_fen=0,
        interest_total_fen=0,
        created_by=operator_a,
    )
    assert_domain_error(
        operator.post(
            f"/api/disputes/{dispute['id']}/answer",
            {
                "outcome": "corrected",
                "answer": "已更正",
                "corrected_version_id": foreign_version.pk,
            },
        ),
        400,
        "claims.corrected_version_invalid",
        "corrected_version_id",
    )
    assert_domain_error(
        operator.post(
            f"/api/disputes/{dispute['id']}/answer", {"outcome": "rejected", "answer": " "}
        ),
        400,
        "claims.answer_required",
        "answer",
    )
    with django_capture_on_commit_callbacks(execute=True):  # the SMS notice, after commit
        answered = operator.post(
            f"/api/disputes/{dispute['id']}/answer",
            {
                "outcome": "corrected",
                "answer": "经核实少登记一笔 100 元，已在第2版更正",
                "corrected_version_id": version_id,
            },
        )
    assert answered.status_code == 200, answered.content
    assert answered.json()["status"] == "corrected"
    assert answered.json()["corrected_version_number"] == 2
    assert_domain_error(
        operator.post(
            f"/api/disputes/{dispute['id']}/answer", {"outcome": "rejected", "answer": "不予更正"}
        ),
        409,
        "claims.dispute_already_answered",
    )
    assert operator.get(f"/api/institutions/{institution_a.pk}/disputes").json() == []
    assert (
        len(operator.get(f"/api/institutions/{institution_a.pk}/disputes?status=corrected").json())
        == 1
    )

    # The lender sees the answer and got a notice.
    seen = lender.get(f"/api/me/claims/disputes/{dispute['id']}")
    assert seen.status_code == 200
    assert seen.json()["status"] == "corrected"
    assert seen.json()["status_label"] == "已更正"
    assert seen.json()["answer"] == "经核实少登记一笔 100 元，已在第2版更正"
    assert seen.json()["corrected_version_number"] == 2
    assert seen.json()["answered_at"] is not None
    assert [d["id"] for d in lender.get("/api/me/claims/disputes").json()] == [dispute["id"]]
    assert any(m.phone == NEW_PHONE and "异议已有答复" in m.text for m in dev_providers.OUTBOX)
    assert lender.get("/api/me/claims").json()[0]["open_dispute_id"] is None

    # Once activated, the corrected amount is what the lender confirms.
    assert operator.post(f"/api/registers/{version_id}/activate").status_code == 200
    claim = lender.get("/api/me/claims").json()[0]
    assert (claim["principal_fen"], claim["principal"], claim["loan_count"]) == (
        1244567,
        "12445.67",
        4,
    )
    assert lender.post(f"/api/me/claims/{institution_a.pk}/confirm").json()["confirmed"] is True


def test_forgotten_voting_password_means_verifying_again(institution_a):
    make_lender("13612340000", name="王小金", id_number=NEW_ID, password="135790")
    lender = ApiClient(lender_token("13612340000"))
    changed = lender.put(
        "/api/me/voting-password",
        {"old_password": "135790", "password": "246801", "password_confirm": "246801"},
    )
    assert changed.json() == {"detail": "投票密码修改成功"}
    wrong = lender.put(
        "/api/me/voting-password",
        {"old_password": "135790", "password": "975310", "password_confirm": "975310"},
    )
    assert_domain_error(wrong, 400, "identity.password_wrong", "password")
    assert "还可尝试 4 次" in wrong.json()["message"]
    forgot = lender.post("/api/me/voting-password/forgot")
    assert forgot.status_code == 200
    assert forgot.json()["next_step"] == "identity"
    assert forgot.json()["verified"] is False
    assert forgot.json()["masked_id_number"] == ""


# --- An operator from a rejected upload to an activated register ---------------------------

ID_A = id_number(21)
ID_B = id_number(22, area="310104")
ID_C = id_number(23, area="320102")
ID_D = id_number(24, area="510107")


def test_register_upload_review_and_activation(institution_a, operator_a, tmp_path):
    upload_and_activate(
        institution_a,
        operator_a,
        register_file(
            tmp_path,
            [
                row("甲一", ID_A, "13811112222", "1000.00", "10.00"),
                row("乙二", ID_B, "13822223333", "2000.50", "0.00"),
                row("丙三", ID_C, "13833334444", "3.33", "0.33"),
            ],
            name="v1.csv",
        ),
    )
    make_lender("13811112222", name="甲一", id_number=ID_A)
    make_lender("13822223333", name="乙二", id_number=ID_B)
    lender_a = ApiClient(lender_token("13811112222"))
    lender_b = ApiClient(lender_token("13822223333"))
    for lender in (lender_a, lender_b):
        assert lender.post(f"/api/me/claims/{institution_a.pk}/confirm").json()["confirmed"]
    operator = ApiClient(staff_token(operator_a))
    versions_before = RegisterVersion.objects.count()
    entries_before = ClaimEntry.objects.count()

    # A file with mistakes: every error with row, column and message; nothing stored.
    bad = operator.multipart(
        f"/api/institutions/{institution_a.pk}/registers",
        {
            "file": upload_file(
                tmp_path,
                [
                    row("甲一", ID_A, "13811112222", "1000.00", "10.00"),
                    row("乙二", ID_B[:-1] + ("0" if ID_B[-1] != "0" else "1"), "138", "-5", "0"),
                    row("丁四", ID_D, "13844445555", "12.345", "abc"),
                ],
                "bad.csv",
            )
        },
    )
    assert bad.status_code == 200, bad.content
    job = bad.json()
    assert job["status"] == "failed"
    assert job["version_id"] is None
    assert job["error_count"] == len(job["errors"]) >= 4
    assert job["message"]
    for error in job["errors"]:
        assert set(error) == {"row", "column", "message"}
        assert isinstance(error["row"], int) and error["column"] and error["message"]
    assert {e["row"] for e in job["errors"]} == {3, 4}  # the header is row 1
    assert RegisterVersion.objects.count() == versions_before
    assert ClaimEntry.objects.count() == entries_before
    assert operator.get(f"/api/register-imports/{job['id']}").json() == job

    # Fixed: B's amount changes, C leaves, D arrives.
    good = operator.multipart(
        f"/api/institutions/{institution_a.pk}/registers",
        {
            "file": upload_file(
                tmp_path,
                [
                    row("甲一", ID_A, "13811112222", "1000.00", "10.00"),
                    row("乙二", ID_B, "13822223333", "2100.50", "0.01"),
                    row("丁四", ID_D, "13844445555", "0.99", "0.00"),
                ],
                "good.csv",
            )
        },
    )
    assert good.status_code == 200
    assert good.json()["status"] == "succeeded", good.json()
    assert good.json()["errors"] == [] and good.json()["error_count"] == 0
    version_id = good.json()["version_id"]

    version = operator.get(f"/api/registers/{version_id}")
    assert version.status_code == 200
    expected = {
        "id": version_id,
        "institution_id": institution_a.pk,
        "number": 2,
        "status": "pending",
        "source_name": "good.csv",
        "lender_count": 3,
        "principal_total_fen": 100000 + 210050 + 99,
        "principal_total": "3101.49",
        "interest_total_fen": 1001,
        "interest_total": "10.01",
        "diff_base_number": 1,
        "diff_added": 1,
        "diff_removed": 1,
        "diff_changed": 1,
        "activated_at": None,
    }
    assert {key: version.json()[key] for key in expected} == expected
    assert re.fullmatch(r"[0-9a-f]{64}", version.json()["source_sha256"])

    changed = operator.get(f"/api/registers/{version_id}/diff", {"kind": "changed"}).json()
    assert [
        (
            r["name"],
            r["old_principal_fen"],
            r["principal_fen"],
            r["old_interest_fen"],
            r["interest_fen"],
        )
        for r in changed
    ] == [("乙二", 200050, 210050, 0, 1)]
    assert changed[0]["masked_id_number"] == ID_B[:3] + "*" * 12 + ID_B[-3:]
    added = operator.get(f"/api/registers/{version_id}/diff", {"kind": "added"}).json()
    assert [(r["name"], r["old_principal_fen"], r["principal_fen"]) for r in added] == [
        ("丁四", None, 99)
    ]
    removed = operator.get(f"/api/registers/{version_id}/diff", {"kind": "removed"}).json()
    assert [(r["name"], r["old_principal_fen"], r["principal_fen"]) for r in removed] == [
        ("丙三", 333, None)
    ]
    assert (
        operator.get(f"/api/registers/{version_id}/diff", {"kind": "changed", "offset": 1}).json()
        == []
    )
    listed = operator.get(f"/api/institutions/{institution_a.pk}/registers").json()
    assert sorted((v["number"], v["status"]) for v in listed) == [(1, "active"), (2, "pending")]

    # Until activation lenders still see the old register.
    assert lender_b.get("/api/me/claims").json()[0]["principal_fen"] == 200050

    activated = operator.post(f"/api/registers/{version_id}/activate")
    assert activated.status_code == 200, activated.content
    assert activated.json()["status"] == "active"
    assert activated.json()["activated_at"] is not None
    assert_domain_error(
        operator.post(f"/api/registers/{version_id}/activate"), 409, "claims.version_not_pending"
    )
    listed = operator.get(f"/api/institutions/{institution_a.pk}/registers").json()
    assert sorted((v["number"], v["status"]) for v in listed) == [
        (1, "superseded"),
        (2, "active"),
    ]

    # B's amounts changed: new amounts, confirmation voided with the reason. A's did not.
    claim_b = lender_b.get("/api/me/claims").json()[0]
    assert (claim_b["principal_fen"], claim_b["principal"]) == (210050, "2100.50")
    assert (claim_b["interest_fen"], claim_b["interest"]) == (1, "0.01")
    assert claim_b["version_number"] == 2
    assert claim_b["confirmed"] is False
    assert claim_b["confirmation_voided_reason"] == "第2版登记表变更了您的债权金额，请重新确认"
    claim_a = lender_a.get("/api/me/claims").json()[0]
    assert claim_a["confirmed"] is True
    assert claim_a["confirmation_voided_reason"] == ""
    reconfirmed = lender_b.post(f"/api/me/claims/{institution_a.pk}/confirm").json()
    assert reconfirmed["confirmed"] is True
    assert reconfirmed["confirmation_voided_reason"] == ""


def test_pending_version_can_be_discarded(institution_a, operator_a, tmp_path):
    operator = ApiClient(staff_token(operator_a))
    uploaded = operator.multipart(
        f"/api/institutions/{institution_a.pk}/registers",
        {"file": upload_file(tmp_path, [row("甲一", ID_A, "13811112222", "1.00", "0")], "x.csv")},
    ).json()
    assert uploaded["status"] == "succeeded"
    version = operator.get(f"/api/registers/{uploaded['version_id']}").json()
    assert (version["diff_base_number"], version["diff_added"]) == (None, 1)
    discarded = operator.post(f"/api/registers/{uploaded['version_id']}/discard")
    assert discarded.json()["status"] == "discarded"
    assert_domain_error(
        operator.post(f"/api/registers/{uploaded['version_id']}/activate"),
        409,
        "claims.version_not_pending",
    )
    assert ClaimEntry.objects.count() == 0


def test_upload_that_is_not_a_register(institution_a, operator_a):
    operator = ApiClient(staff_token(operator_a))
    job = operator.multipart(
        f"/api/institutions/{institution_a.pk}/registers",
        {"file": SimpleUploadedFile("photo.png", PNG_BYTES, "image/png")},
    ).json()
    assert job["status"] == "failed"
    assert job["error_count"] >= 1
    assert RegisterVersion.objects.count() == 0
    missing = operator.multipart(f"/api/institutions/{institution_a.pk}/registers", {})
    assert missing.status_code == 422


def test_upload_too_large(institution_a, operator_a, tmp_path, settings):
    settings.REGISTER_UPLOAD_MAX_BYTES = 100
    operator = ApiClient(staff_token(operator_a))
    rows = [row("甲一", ID_A, "13811112222", "1.00", "0")] * 5
    assert_domain_error(
        operator.multipart(
            f"/api/institutions/{institution_a.pk}/registers",
            {"file": upload_file(tmp_path, rows, "big.csv")},
        ),
        413,
        "claims.file_too_large",
        "file",
    )
    assert RegisterImport.objects.count() == 0


# --- SMS sign-in codes ----------------------------------------------------------------------

PHONE = "13700001111"


def _token_call(phone: str, code: str):
    return ApiClient().post("/api/auth/lender/token", {"phone": phone, "code": code})


def _wrong(code: str) -> str:
    return f"{(int(code) + 1) % 10**6:06d}"


def test_wrong_code(db):
    assert request_sms_code(PHONE).json() == {
        "masked_phone": "137****1111",
        "expires_in_seconds": 300,
        "resend_after_seconds": 60,
    }
    body = assert_domain_error(
        _token_call(PHONE, _wrong(dev_providers.last_code_for(PHONE))),
        400,
        "identity.code_invalid",
        "code",
    )
    assert body["message"] == "验证码不正确或已失效，请重新获取"
    assert not Lender.objects.exists()


def test_expired_code(db):
    request_sms_code(PHONE)
    SmsCode.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    body = assert_domain_error(
        _token_call(PHONE, dev_providers.last_code_for(PHONE)), 400, "identity.code_invalid", "code"
    )
    assert body["message"] == "验证码不正确或已失效，请重新获取"


def test_replayed_code(db):
    request_sms_code(PHONE)
    code = dev_providers.last_code_for(PHONE)
    assert _token_call(PHONE, code).status_code == 200
    body = assert_domain_error(_token_call(PHONE, code), 400, "identity.code_invalid", "code")
    assert body["message"] == "验证码不正确或已失效，请重新获取"


def test_code_for_another_number_does_not_work(db):
    request_sms_code(PHONE)
    request_sms_code("13700002222")
    code, other = dev_providers.last_code_for(PHONE), dev_providers.last_code_for("13700002222")
    if code == other:  # one in a million
        code = _wrong(code)
    assert_domain_error(_token_call("13700002222", code), 400, "identity.code_invalid", "code")


def test_a_new_code_replaces_the_old_one(db):
    request_sms_code(PHONE)
    first = dev_providers.last_code_for(PHONE)
    SmsCode.objects.update(created_at=timezone.now() - timedelta(seconds=61))
    assert request_sms_code(PHONE).status_code == 200
    second = dev_providers.last_code_for(PHONE)
    if first != second:
        assert_domain_error(_token_call(PHONE, first), 400, "identity.code_invalid", "code")
    assert _token_call(PHONE, second).status_code == 200


def test_five_wrong_codes_burn_the_code(db):
    request_sms_code(PHONE)
    code = dev_providers.last_code_for(PHONE)
    for _ in range(4):
        assert_domain_error(_token_call(PHONE, _wrong(code)), 400, "identity.code_invalid", "code")
    body = assert_domain_error(
        _token_call(PHONE, _wrong(code)), 429, "identity.code_too_many_attempts", "code"
    )
    assert body["message"] == "验证码错误次数过多，请重新获取验证码"
    assert_domain_error(_token_call(PHONE, code), 429, "identity.code_too_many_attempts", "code")


@pytest.mark.parametrize("phone", ["12345", "1380013800", "23800138000", "abc"])
def test_invalid_phone(db, phone):
    assert_domain_error(request_sms_code(phone), 400, "identity.invalid_phone", "phone")
    assert not SmsCode.objects.exists()


def test_phone_is_normalised(db):
    sent = request_sms_code("+86 138-0013-8000")
    assert sent.status_code == 200, sent.content
    assert sent.json()["masked_phone"] == "138****8000"
    token = _token_call("13800138000", dev_providers.last_code_for("13800138000"))
    assert token.status_code == 200


def test_sms_too_soon(db):
    assert request_sms_code(PHONE).status_code == 200
    body = assert_domain_error(request_sms_code(PHONE), 429, "identity.sms_too_soon", "phone")
    assert re.fullmatch(r"验证码发送过于频繁，请 (59|60) 秒后再试", body["message"])
    assert SmsCode.objects.count() == 1


def test_sms_daily_limit_per_number(db):
    for _ in range(10):
        assert request_sms_code(PHONE).status_code == 200
        SmsCode.objects.update(created_at=timezone.now() - timedelta(seconds=61))
    body = assert_domain_error(request_sms_code(PHONE), 429, "identity.sms_daily_limit", "phone")
    assert body["message"] == "该手机号今日获取验证码次数已达上限，请明天再试"
    assert SmsCode.objects.count() == 10


def test_sms_limit_per_address(db):
    for n in range(20):
        assert request_sms_code(f"1370000{n:04d}").status_code == 200
    body = assert_domain_error(request_sms_code("13799999999"), 429, "identity.sms_ip_limit")
    assert body["message"] == "当前网络获取验证码过于频繁，请稍后再试"
    assert SmsCode.objects.count() == 20


def test_login_attempts_limited_per_address(db):
    request_sms_code(PHONE)
    code = dev_providers.last_code_for(PHONE)
    for n in range(60):
        # Different numbers, so that the per-code limit does not kick in first.
        response = _token_call(f"1360000{n:04d}", code)
        assert response.status_code == 400
    assert_domain_error(_token_call(PHONE, code), 429, "identity.login_rate_limited")


# --- Error shapes ---------------------------------------------------------------------------


def test_validation_errors_are_422_with_details(db):
    response = ApiClient().post("/api/auth/lender/sms-code", {"phone": 13800138000})
    assert response.status_code == 422
    body = response.json()
    assert body["detail"] == "请求格式不正确"
    assert isinstance(body["errors"], list) and body["errors"]
    extra = ApiClient().post("/api/auth/lender/sms-code", {"phone": "13800138000", "x": 1})
    assert extra.status_code == 422
    assert not SmsCode.objects.exists()


@pytest.mark.parametrize("body", [b"{not json", b"\x00", b"\xff\xfe{}", b"[" * 100_000])
def test_unparsable_body_is_a_400_in_the_error_shape(db, body):
    broken = ApiClient().client.post(
        "/api/auth/lender/sms-code", body, content_type="application/json"
    )
    assert_domain_error(broken, 400, "api.invalid_body")
    assert broken.json()["message"] == "请求体无法解析，请发送 UTF-8 编码的 JSON"
    assert not SmsCode.objects.exists()


@pytest.mark.parametrize(
    "content_type",
    ["text/plain", "text/plain; charset=utf-8", "application/x-www-form-urlencoded", ""],
)
def test_a_cross_site_simple_request_cannot_send_sms_codes(db, content_type):
    """Another website can make a visitor's browser POST these types without a CORS
    preflight; the body is valid JSON all the same."""
    response = ApiClient().client.generic(
        "POST",
        "/api/auth/lender/sms-code",
        b'{"phone": "13800138000"}',
        content_type=content_type,
    )
    assert response.status_code == 415
    assert response.json()["code"] == "request.unsupported_media_type"
    assert "application/json" in response.json()["message"]
    assert not SmsCode.objects.exists() and not dev_providers.OUTBOX
    sent = ApiClient().client.post(
        "/api/auth/lender/sms-code", {"phone": "13800138000"}, content_type="application/json"
    )
    assert sent.status_code == 200 and SmsCode.objects.count() == 1


def test_every_domain_error_has_its_own_code():
    """Two codes with the same status and template must not collapse into one (an Enum
    alias would report the first one's code to API clients)."""
    from winddown.accounts.errors import AccountsErrorCode
    from winddown.claims.errors import ClaimsErrorCode
    from winddown.identity.errors import IdentityErrorCode
    from winddown.institutions.errors import InstitutionsErrorCode

    for enum_class in (
        AccountsErrorCode,
        ClaimsErrorCode,
        IdentityErrorCode,
        InstitutionsErrorCode,
    ):
        names = list(enum_class.__members__)
        assert [member.name for member in enum_class.__members__.values()] == names
        codes = [member.code for member in enum_class.__members__.values()]
        assert len(set(codes)) == len(codes)
