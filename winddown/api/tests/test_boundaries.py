"""Every boundary of the JSON API, with bearer tokens obtained the real way.

Who may call what (401/403), the institution boundary (an operator of A gets 404 for
anything of B, exactly as for something that does not exist), lenders seeing only their
own claims and disputes, how tokens are issued, revoked and expire, and masking. Over 500
lines: every boundary of the API in one place, so a missing one stands out.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from winddown.accounts import throttle
from winddown.accounts.audit_actions import AccountsAction
from winddown.accounts.models import ApiToken
from winddown.accounts.roles import Role
from winddown.api.routers import api as ninja_api
from winddown.api.tests.conftest import (
    ID_1,
    ID_2,
    ID_4,
    PHONE_1,
    PHONE_2,
    PHONE_3,
    ApiClient,
    World,
    lender_token,
    staff_token,
    upload_file,
)
from winddown.audit.models import AuditEntry
from winddown.claims.models import Dispute, DisputeStatus, RegisterImport, VersionStatus
from winddown.conftest import STAFF_PASSWORD, current_totp, make_staff
from winddown.institutions.models import Institution

pytestmark = pytest.mark.django_db

MASKED_PHONE = re.compile(r"^1\d{2}\*{4}\d{4}$")


def _operations() -> list[tuple[str, str, bool]]:
    """(method, path template, needs authentication) for every operation in the schema."""
    schema = ninja_api.get_openapi_schema()
    return [
        (method.upper(), path, bool(operation.get("security")))
        for path, operations in schema["paths"].items()
        for method, operation in operations.items()
    ]


OPERATIONS = _operations()
AUTHENTICATED = [(m, p) for m, p, secured in OPERATIONS if secured]
PUBLIC = {(m, p) for m, p, secured in OPERATIONS if not secured}
LENDER_PATHS = ("/api/me", "/api/events", "/api/notices")
LENDER_OPERATIONS = [(m, p) for m, p in AUTHENTICATED if p.startswith(LENDER_PATHS)]
STAFF_OPERATIONS = [
    (m, p) for m, p in AUTHENTICATED if not p.startswith((*LENDER_PATHS, "/api/auth"))
]


def _fill(path: str, **ids: int) -> str:
    return re.sub(r"\{(\w+)\}", lambda m: str(ids.get(m.group(1), 1)), path)


def _valid_payload(method: str, path: str, world: World | None = None):
    """A body that passes schema validation, so that only the role can refuse the call."""
    bodies = {
        ("POST", "/api/me/identity"): {"real_name": "王小金", "id_number": ID_1, "agreed": True},
        ("POST", "/api/me/liveness/start"): {"return_url": "/m/"},
        ("POST", "/api/me/liveness/complete"): {"token": "abc"},
        ("POST", "/api/me/voting-password"): {"password": "135790", "password_confirm": "135790"},
        ("PUT", "/api/me/voting-password"): {
            "old_password": "135790",
            "password": "246801",
            "password_confirm": "246801",
        },
        ("POST", "/api/institutions"): {
            "full_name": "网贷机构C信息咨询有限公司",
            "short_name": "网贷机构C",
            "credit_code": "91310000MA1FL1234Q",
            "registered_address": "上海市黄浦区中山东一路 1 号",
        },
        ("PATCH", "/api/institutions/{institution_id}"): {"short_name": "改名"},
        ("POST", "/api/disputes/{dispute_id}/answer"): {
            "outcome": "rejected",
            "answer": "不予更正",
        },
        # Voting
        ("POST", "/api/events/{event_id}/ballots"): {"choice": "yes", "password": "135790"},
        ("POST", "/api/staff/events"): {
            "kind": "resolution",
            "title": "是否同意清退方案",
            "content": "请表决。",
            "rule_id": "p2p-exit",
            "opens_at": "2030-01-01T09:00:00+08:00",
            "closes_at": "2030-01-04T09:00:00+08:00",
        },
        ("PATCH", "/api/staff/events/{event_id}"): {"title": "改名"},
        ("POST", "/api/staff/events/{event_id}/candidates"): {"name": "张小英"},
        ("POST", "/api/staff/events/{event_id}/return"): {"comment": "请修改"},
        ("POST", "/api/staff/events/{event_id}/cancel"): {"reason": "不再需要表决"},
        ("POST", "/api/staff/signups/{signup_id}/review"): {"approve": True},
        ("POST", "/api/staff/events/{event_id}/candidates-from-signups"): {"recruitment_id": 1},
        # Reporting
        ("POST", "/api/reporting/institutions/{institution_id}/filings"): {
            "table": "AH-05",
            "period": "2026-09",
        },
        ("PUT", "/api/reporting/filings/{filing_id}/cells"): {"cells": {}},
        ("POST", "/api/reporting/filings/{filing_id}/submit"): {
            "signatory": "张三",
            "confirm": True,
        },
        ("POST", "/api/reporting/filings/{filing_id}/resubmit"): {"reason": "更正"},
        ("POST", "/api/reporting/filings/{filing_id}/delay"): {
            "reason": "对账未完成",
            "expected": "2030-01-01",
        },
        ("POST", "/api/reporting/filings/{filing_id}/return"): {"comment": "请核实"},
        ("POST", "/api/reporting/filings/{filing_id}/accept"): {},
        ("POST", "/api/reporting/institutions/{institution_id}/disclosures"): {
            "section": "complaints",
            "signatory": "张三",
            "items": [{"label": "电子邮箱", "value": "kf@example.cn"}],
        },
        # Cases
        ("POST", "/api/cases/reported/{report_id}/answer"): {"answer": "已整改，详见附件"},
    }
    return bodies.get((method, path))


def _call(client: ApiClient, method: str, path: str, world: World, tmp_path, **ids):
    """Call one operation with a valid request (multipart where the operation takes files)."""
    url = _fill(path, **ids)
    if path == "/api/institutions/{institution_id}/registers" and method == "POST":
        return client.multipart(
            url, {"file": upload_file(tmp_path, [["甲", "身份证", ID_4, PHONE_3, "1"]], "x.csv")}
        )
    if path == "/api/reporting/filings/{filing_id}/upload":
        return client.multipart(url, {"file": upload_file(tmp_path, [], "r.csv")})
    if path == "/api/me/claims/{institution_id}/disputes":
        return client.multipart(url, {"reason": "本金不对，应为 200 元"})
    return client.call(method, url, _valid_payload(method, path, world))


def _ids(world: World, *, b: bool = False) -> dict[str, int]:
    if b:
        return {
            "institution_id": world.institution_b.pk,
            "version_id": world.pending_b.pk,
            "dispute_id": world.dispute_b.pk,
            "import_id": world.import_b.pk,
        }
    return {
        "institution_id": world.institution_a.pk,
        "version_id": world.version_a.pk,
        "dispute_id": world.dispute_a.pk,
        "import_id": world.import_b.pk,
    }


# --- Who may call at all --------------------------------------------------------------------


def test_schema_lists_only_the_sign_in_operations_as_public():
    assert {
        ("POST", "/api/auth/lender/sms-code"),
        ("POST", "/api/auth/lender/token"),
        ("POST", "/api/auth/staff/token"),
        # Published voting results are for everyone (lenders who distrust the institution).
        ("GET", "/api/results"),
        ("GET", "/api/results/{event_id}"),
        ("GET", "/api/results/{event_id}/bundle"),
        ("GET", "/api/results/{event_id}/receipts/{code}"),
        # The disclosure column is public by law (披露办法 第十五条 "可供社会公众随时查阅").
        ("GET", "/api/disclosure/institutions"),
        ("GET", "/api/disclosure/institutions/{institution_id}"),
        ("GET", "/api/disclosure/institutions/{institution_id}/{section}"),
    } == PUBLIC
    assert len(AUTHENTICATED) >= 25


@pytest.mark.parametrize(("method", "path"), AUTHENTICATED, ids=lambda v: str(v))
@pytest.mark.parametrize("header", [None, "Bearer wd_not-a-token", "Basic b3BlcmF0b3I6eA=="])
def test_no_valid_token_gives_401_everywhere(institution_a, method, path, header):
    # A real client: CSRF is enforced, yet a write without a session is 401, not a CSRF 403.
    client = Client(enforce_csrf_checks=True)
    headers = {"Authorization": header} if header else {}
    url = _fill(path, institution_id=institution_a.pk)
    payload = _valid_payload(method, path)
    if payload is None:
        response = getattr(client, method.lower())(url, headers=headers)
    else:
        response = getattr(client, method.lower())(
            url, payload, content_type="application/json", headers=headers
        )
    assert response.status_code == 401, (method, url, response.content)
    assert response.json() == {"detail": "请先登录（缺少或无效的令牌）"}


def test_lender_token_on_staff_endpoints_gives_403(world, tmp_path):
    client = ApiClient(lender_token(PHONE_1))
    for method, path in STAFF_OPERATIONS:
        response = _call(client, method, path, world, tmp_path, **_ids(world))
        assert response.status_code == 403, (method, path, response.content)
        assert response.json() == {"detail": "您的角色无权使用该接口"}
    # Nothing changed on the way.
    assert RegisterImport.objects.filter(institution=world.institution_a).count() == 0
    assert Dispute.objects.get(pk=world.dispute_a.pk).status == DisputeStatus.OPEN
    assert not Institution.objects.filter(short_name="网贷机构C").exists()


def test_staff_token_on_lender_endpoints_gives_403(world, tmp_path):
    client = ApiClient(staff_token(world.operator_a))
    for method, path in LENDER_OPERATIONS:
        response = _call(client, method, path, world, tmp_path, **_ids(world))
        assert response.status_code == 403, (method, path, response.content)
        assert response.json() == {"detail": "该接口仅供出借人使用"}


# --- The institution boundary ---------------------------------------------------------------


READS = [
    "/api/institutions/{institution_id}",
    "/api/institutions/{institution_id}/registers",
    "/api/registers/{version_id}",
    "/api/registers/{version_id}/diff",
    "/api/register-imports/{import_id}",
    "/api/institutions/{institution_id}/disputes",
    "/api/disputes/{dispute_id}",
]


def test_operator_of_a_gets_404_for_everything_of_b(world, tmp_path):
    client = ApiClient(staff_token(world.operator_a))
    b = _ids(world, b=True)
    for path in READS:
        for version in (world.version_b.pk, world.pending_b.pk):
            response = client.get(_fill(path, **{**b, "version_id": version}))
            assert response.status_code == 404, (path, response.content)
            # Exactly as for something that does not exist: nothing leaks.
            missing = client.get(_fill(path, **dict.fromkeys(b, 987654)))
            assert missing.status_code == 404
            assert response.json() == missing.json()

    upload = client.multipart(
        _fill("/api/institutions/{institution_id}/registers", **b),
        {"file": upload_file(tmp_path, [["甲", "身份证", ID_4, PHONE_3, "1"]], "evil.csv")},
    )
    assert upload.status_code == 404
    activate = client.post(f"/api/registers/{world.pending_b.pk}/activate")
    assert activate.status_code == 404
    discard = client.post(f"/api/registers/{world.pending_b.pk}/discard")
    assert discard.status_code == 404
    answer = client.post(
        f"/api/disputes/{world.dispute_b.pk}/answer", {"outcome": "rejected", "answer": "不予更正"}
    )
    assert answer.status_code == 404
    # Nor may an operator edit any institution, its own or another.
    patch = client.patch(f"/api/institutions/{world.institution_b.pk}", {"short_name": "x"})
    assert patch.status_code == 403

    assert RegisterImport.objects.filter(institution=world.institution_b).count() == 1
    world.pending_b.refresh_from_db()
    assert world.pending_b.status == VersionStatus.PENDING
    world.dispute_b.refresh_from_db()
    assert world.dispute_b.status == DisputeStatus.OPEN
    assert Institution.objects.get(pk=world.institution_b.pk).short_name == "网贷机构B"


def test_operator_sees_own_institution_only(world):
    client = ApiClient(staff_token(world.operator_a))
    listed = client.get("/api/institutions")
    assert listed.status_code == 200
    assert [item["id"] for item in listed.json()] == [world.institution_a.pk]
    # The same reads that are 404 for B work for A: the 404 above is the boundary.
    for path in READS:
        if path.startswith("/api/register-imports"):
            continue
        response = client.get(_fill(path, **_ids(world)))
        assert response.status_code == 200, (path, response.content)


def test_operator_cannot_create_institutions(world):
    client = ApiClient(staff_token(world.operator_a))
    response = client.post("/api/institutions", _valid_payload("POST", "/api/institutions"))
    assert response.status_code == 403
    assert not Institution.objects.filter(short_name="网贷机构C").exists()


def test_operator_of_b_is_refused_a_import_of_a(world, tmp_path):
    """The boundary works both ways, also for upload records (A's record, seen from B)."""
    own = ApiClient(staff_token(world.operator_a)).multipart(
        f"/api/institutions/{world.institution_a.pk}/registers",
        {"file": upload_file(tmp_path, [["甲", "身份证", ID_4, PHONE_3, "1"]], "a.csv")},
    )
    assert own.status_code == 200, own.content
    other = ApiClient(staff_token(world.operator_b))
    assert other.get(f"/api/register-imports/{own.json()['id']}").status_code == 404
    assert other.get(f"/api/registers/{own.json()['version_id']}").status_code == 404


def test_working_group_officer_sees_all_but_cannot_operate(world, wg_officer, tmp_path):
    client = ApiClient(staff_token(wg_officer))
    listed = client.get("/api/institutions")
    assert {item["id"] for item in listed.json()} == {
        world.institution_a.pk,
        world.institution_b.pk,
    }
    for ids in (_ids(world), _ids(world, b=True)):
        for path in READS:
            response = client.get(_fill(path, **ids))
            assert response.status_code == 200, (path, response.content)

    b = _ids(world, b=True)
    refused = [
        client.multipart(
            _fill("/api/institutions/{institution_id}/registers", **b),
            {"file": upload_file(tmp_path, [["甲", "身份证", ID_4, PHONE_3, "1"]], "wg.csv")},
        ),
        client.post(f"/api/registers/{world.pending_b.pk}/activate"),
        client.post(f"/api/registers/{world.pending_b.pk}/discard"),
        client.post(
            f"/api/disputes/{world.dispute_b.pk}/answer",
            {"outcome": "rejected", "answer": "不予更正"},
        ),
    ]
    assert [r.status_code for r in refused] == [403, 403, 403, 403]
    world.pending_b.refresh_from_db()
    assert world.pending_b.status == VersionStatus.PENDING
    assert Dispute.objects.get(pk=world.dispute_b.pk).status == DisputeStatus.OPEN
    assert RegisterImport.objects.filter(institution=world.institution_b).count() == 1

    # The working group maintains the register of institutions.
    created = client.post("/api/institutions", _valid_payload("POST", "/api/institutions"))
    assert created.status_code == 201, created.content
    assert created.json()["credit_code"] == "91310000MA1FL1234Q"


def test_association_officer_is_read_only(world, association_officer, tmp_path):
    client = ApiClient(staff_token(association_officer))
    assert len(client.get("/api/institutions").json()) == 2
    for ids in (_ids(world), _ids(world, b=True)):
        for path in READS:
            assert client.get(_fill(path, **ids)).status_code == 200, path
    # Its writes: reviewing institutions' filings (报送办法 第八条(二)), and handling reports
    # (监督举报反馈处置办法; revealing a reporter is for designated handlers, tested in cases).
    reviews = {
        ("POST", "/api/reporting/filings/{filing_id}/return"),
        ("POST", "/api/reporting/filings/{filing_id}/accept"),
        ("POST", "/api/cases/reports/{report_id}/reporter"),
    }
    for method, path in STAFF_OPERATIONS:
        if method == "GET" or (method, path) in reviews:
            continue
        response = _call(client, method, path, world, tmp_path, **_ids(world, b=True))
        assert response.status_code == 403, (method, path, response.content)
    assert Institution.objects.count() == 2
    world.pending_b.refresh_from_db()
    assert world.pending_b.status == VersionStatus.PENDING


def test_sysadmin_sees_all_institutions(world, sysadmin):
    client = ApiClient(staff_token(sysadmin))
    assert len(client.get("/api/institutions").json()) == 2
    assert client.get(f"/api/disputes/{world.dispute_b.pk}").status_code == 200


# --- Lenders see only their own -------------------------------------------------------------


def test_lender_sees_only_own_claims_and_disputes(world):
    one = ApiClient(lender_token(PHONE_1))
    two = ApiClient(lender_token(PHONE_2))
    three = ApiClient(lender_token(PHONE_3))

    claims_one = {c["institution_id"]: c for c in one.get("/api/me/claims").json()}
    assert set(claims_one) == {world.institution_a.pk, world.institution_b.pk}
    assert claims_one[world.institution_a.pk]["principal_fen"] == 1234567
    assert claims_one[world.institution_b.pk]["principal_fen"] == 50000
    claims_two = two.get("/api/me/claims").json()
    assert [(c["institution_id"], c["principal_fen"]) for c in claims_two] == [
        (world.institution_a.pk, 10000)
    ]
    assert three.get("/api/me/claims").json() == []

    assert [d["id"] for d in one.get("/api/me/claims/disputes").json()] == [world.dispute_b.pk]
    assert [d["id"] for d in two.get("/api/me/claims/disputes").json()] == [world.dispute_a.pk]
    assert three.get("/api/me/claims/disputes").json() == []

    # Another lender's dispute is 404, exactly like one that does not exist.
    foreign = one.get(f"/api/me/claims/disputes/{world.dispute_a.pk}")
    missing = one.get("/api/me/claims/disputes/987654")
    assert foreign.status_code == missing.status_code == 404
    assert foreign.json() == missing.json()
    assert one.get(f"/api/me/claims/disputes/{world.dispute_b.pk}").status_code == 200

    # No claim at an institution: neither confirming nor disputing there.
    assert two.post(f"/api/me/claims/{world.institution_b.pk}/confirm").status_code == 404
    assert (
        three.multipart(
            f"/api/me/claims/{world.institution_a.pk}/disputes", {"reason": "我也要提异议啊"}
        ).status_code
        == 404
    )
    assert Dispute.objects.filter(lender=world.lender_3).count() == 0


# --- Tokens ---------------------------------------------------------------------------------


@pytest.mark.parametrize("otp", ["", "000000", "12345", "abcdef", "1234567"])
def test_staff_token_needs_a_valid_totp_code(operator_a, otp):
    if otp == "000000" and current_totp(operator_a) == otp:
        otp = "000001"
    response = ApiClient().post(
        "/api/auth/staff/token",
        {"username": operator_a.username, "password": STAFF_PASSWORD, "otp": otp},
    )
    assert response.status_code == 401
    assert response.json() == {
        "code": "accounts.totp_invalid",
        "message": "动态口令不正确，请查看身份验证器中的最新口令",
        "field": "otp",
    }
    assert not ApiToken.objects.filter(user=operator_a).exists()
    failures = AuditEntry.objects.filter(
        action=AccountsAction.STAFF_LOGIN_FAILED, object_id=operator_a.username
    )
    assert [entry.after for entry in failures] == [{"factor": "totp"}]


def test_staff_token_without_otp_field_is_refused(operator_a):
    response = ApiClient().post(
        "/api/auth/staff/token", {"username": operator_a.username, "password": STAFF_PASSWORD}
    )
    assert response.status_code == 422
    assert not ApiToken.objects.filter(user=operator_a).exists()


def test_staff_without_enrolled_totp_gets_no_token(db):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    user = make_staff("newcomer", Role.WG_OFFICER)
    TOTPDevice.objects.filter(user=user).delete()
    response = ApiClient().post(
        "/api/auth/staff/token",
        {"username": "newcomer", "password": STAFF_PASSWORD, "otp": "123456"},
    )
    assert response.status_code == 403
    assert response.json()["code"] == "accounts.totp_not_enrolled"
    assert not ApiToken.objects.filter(user=user).exists()


@pytest.mark.parametrize("username", ["operator_a", "nobody", "lender-13800138000"])
def test_wrong_password_is_refused_and_audited(operator_a, username):
    from winddown.conftest import make_lender

    make_lender(PHONE_1)  # a lender account is never a staff account, whatever the password
    response = ApiClient().post(
        "/api/auth/staff/token",
        {"username": username, "password": "Wrong-horse-42", "otp": current_totp(operator_a)},
    )
    assert response.status_code == 401
    assert response.json() == {
        "code": "accounts.bad_credentials",
        "message": "用户名或密码错误",
        "field": None,
    }
    assert not ApiToken.objects.exists()
    entry = AuditEntry.objects.get(action=AccountsAction.STAFF_LOGIN_FAILED)
    assert entry.object_id == username
    assert entry.source_ip == "127.0.0.1"


def test_wrong_passwords_slow_the_username_down_without_locking_it(operator_a):
    for _ in range(throttle.FREE_FAILURES + 1):
        response = ApiClient().post(
            "/api/auth/staff/token",
            {"username": "operator_a", "password": "Wrong-horse-42", "otp": "123456"},
        )
        assert response.status_code == 401
    response = ApiClient().post(
        "/api/auth/staff/token",
        {"username": "operator_a", "password": STAFF_PASSWORD, "otp": current_totp(operator_a)},
    )
    assert response.status_code == 429
    assert response.json()["code"] == "accounts.login_throttled"
    assert "秒后再试" in response.json()["message"]
    assert not ApiToken.objects.filter(user=operator_a).exists()


def test_one_address_cannot_try_passwords_without_end(db):
    """The probe's 300 tries in 31 s: the 31st try in an hour from one address is refused
    without checking the password or writing an audit row."""
    for n in range(30):
        response = ApiClient().post(
            "/api/auth/staff/token",
            {"username": f"guess{n}", "password": "Wrong-horse-42", "otp": "123456"},
        )
        assert response.status_code == 401
    response = ApiClient().post(
        "/api/auth/staff/token",
        {"username": "guess-more", "password": "Wrong-horse-42", "otp": "123456"},
    )
    assert response.status_code == 429
    assert response.json()["code"] == "accounts.login_address_limited"
    assert AuditEntry.objects.filter(action=AccountsAction.STAFF_LOGIN_FAILED).count() == 30


def test_token_is_stored_hashed_and_lives_twelve_hours(operator_a):
    before = timezone.now()
    key = staff_token(operator_a)
    after = timezone.now()
    token = ApiToken.objects.get(user=operator_a)
    assert token.key_hash == ApiToken.hash_key(key) != key
    assert before + timedelta(hours=12) <= token.expires_at <= after + timedelta(hours=12)
    assert AuditEntry.objects.filter(action=AccountsAction.API_TOKEN_ISSUED).count() == 1


def test_revoked_token_gives_401(world):
    lender = ApiClient(lender_token(PHONE_1))
    staff = ApiClient(staff_token(world.operator_a))
    assert lender.get("/api/me").status_code == 200
    assert staff.get("/api/institutions").status_code == 200
    assert lender.delete("/api/auth/token").status_code == 200
    assert staff.delete("/api/auth/token").status_code == 200
    assert lender.get("/api/me").status_code == 401
    assert staff.get("/api/institutions").status_code == 401
    assert ApiToken.objects.filter(revoked_at__isnull=True).count() == 0


def test_revoking_one_token_keeps_the_others(world):
    first = ApiClient(lender_token(PHONE_1))
    second = ApiClient(lender_token(PHONE_2))
    first.delete("/api/auth/token")
    assert first.get("/api/me").status_code == 401
    assert second.get("/api/me").status_code == 200


def test_expired_token_gives_401(world):
    lender = ApiClient(lender_token(PHONE_1))
    staff = ApiClient(staff_token(world.operator_a))
    assert lender.get("/api/me").status_code == 200
    ApiToken.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    assert lender.get("/api/me").status_code == 401
    assert staff.get("/api/institutions").status_code == 401


def test_token_use_is_recorded_at_most_every_five_minutes(world):
    lender = ApiClient(lender_token(PHONE_1))
    assert lender.get("/api/me").status_code == 200
    first_use = ApiToken.objects.get().last_used_at
    assert first_use is not None
    assert lender.get("/api/me").status_code == 200
    assert ApiToken.objects.get().last_used_at == first_use  # not a write per request
    long_ago = timezone.now() - timedelta(minutes=6)
    ApiToken.objects.update(last_used_at=long_ago)
    assert lender.get("/api/me").status_code == 200
    assert ApiToken.objects.get().last_used_at > long_ago + timedelta(minutes=5)


def test_token_of_deactivated_account_gives_401(world):
    staff = ApiClient(staff_token(world.operator_a))
    world.operator_a.is_active = False
    world.operator_a.save()
    assert staff.get("/api/institutions").status_code == 401


# --- Browser sessions -----------------------------------------------------------------------


def test_staff_session_without_totp_step_is_not_accepted(world):
    # The password step of the console alone: the session holds a pending sign-in only.
    browser = Client()
    step_one = browser.post("/staff/login/", {"username": "operator_a", "password": STAFF_PASSWORD})
    assert step_one.status_code == 302
    assert "/staff/login/otp/" in step_one["Location"]
    assert browser.get("/api/institutions").status_code == 401

    # Even a fully logged-in Django session counts only after the TOTP step.
    forced = Client()
    forced.force_login(world.operator_a)
    assert forced.get("/api/institutions").status_code == 401
    assert forced.get(f"/api/disputes/{world.dispute_a.pk}").status_code == 401

    # Finishing the TOTP step is what makes the session count.
    step_two = browser.post("/staff/login/otp/", {"otp": current_totp(world.operator_a)})
    assert step_two.status_code == 302
    listed = browser.get("/api/institutions")
    assert listed.status_code == 200
    assert [item["id"] for item in listed.json()] == [world.institution_a.pk]


def test_session_writes_need_csrf(world):
    # Sign in through the console's forms (CSRF-protected themselves) with the form token.
    page = Client(enforce_csrf_checks=True)
    page.get("/staff/login/")
    csrf = page.cookies["csrftoken"].value
    page.post(
        "/staff/login/",
        {"username": "operator_a", "password": STAFF_PASSWORD, "csrfmiddlewaretoken": csrf},
    )
    done = page.post(
        "/staff/login/otp/",
        {"otp": current_totp(world.operator_a), "csrfmiddlewaretoken": csrf},
    )
    assert done.status_code == 302
    assert page.get("/api/institutions").status_code == 200
    refused = page.post(
        f"/api/disputes/{world.dispute_a.pk}/answer",
        {"outcome": "rejected", "answer": "不予更正"},
        content_type="application/json",
    )
    assert refused.status_code == 403
    assert refused.json() == {"detail": "CSRF 校验失败，请刷新页面后重试"}
    assert Dispute.objects.get(pk=world.dispute_a.pk).status == DisputeStatus.OPEN


# --- Masking --------------------------------------------------------------------------------


def _assert_no_full_numbers(text: str) -> None:
    for secret in (PHONE_1, PHONE_2, ID_1, ID_2, ID_4, "13600136000"):
        assert secret not in text


def test_staff_see_masked_values_only(world, wg_officer, association_officer):
    clients = [
        (world.operator_a, ApiClient(staff_token(world.operator_a))),
        (world.operator_b, ApiClient(staff_token(world.operator_b))),
        (wg_officer, ApiClient(staff_token(wg_officer))),
        (association_officer, ApiClient(staff_token(association_officer))),
    ]
    expected = {world.dispute_a.pk: "139****9000", world.dispute_b.pk: "138****8000"}
    for user, client in clients:
        visible = [
            i
            for i in (world.institution_a, world.institution_b)
            if user.role != Role.OPERATOR or i.members.filter(user=user).exists()
        ]
        for institution in visible:
            for status in ("open", ""):
                listed = client.get(
                    f"/api/institutions/{institution.pk}/disputes",
                    {"status": status} if status else {},
                )
                assert listed.status_code == 200, listed.content
                _assert_no_full_numbers(listed.content.decode())
                for item in listed.json():
                    assert MASKED_PHONE.match(item["lender_masked_phone"])
                    assert item["lender_masked_phone"] == expected[item["id"]]
                    assert re.fullmatch(r"\d{3}\*{12}\d{2}[\dX]", item["lender_masked_id_number"])
                    detail = client.get(f"/api/disputes/{item['id']}")
                    assert detail.json()["lender_masked_phone"] == expected[item["id"]]
                    _assert_no_full_numbers(detail.content.decode())
            for version in institution.registers.all():
                for kind in ("added", "removed", "changed"):
                    diff = client.get(f"/api/registers/{version.pk}/diff", {"kind": kind})
                    assert diff.status_code == 200
                    _assert_no_full_numbers(diff.content.decode())
                _assert_no_full_numbers(client.get(f"/api/registers/{version.pk}").content.decode())


def test_lender_sees_own_numbers_masked(world):
    me = ApiClient(lender_token(PHONE_1)).get("/api/me").json()
    assert me["masked_phone"] == "138****8000"
    assert me["masked_id_number"] == ID_1[:3] + "*" * 12 + ID_1[-3:]
    assert me["real_name"] == "王小金"
