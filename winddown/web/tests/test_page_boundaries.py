"""Who may open which page (Django test client; the browser tests walk the flows)."""

from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from winddown.accounts.audit_actions import AccountsAction
from winddown.accounts.roles import Role
from winddown.audit.actions import PlatformAction
from winddown.audit.models import AuditEntry
from winddown.claims.models import Dispute
from winddown.conftest import (
    STAFF_PASSWORD,
    current_totp,
    make_lender,
    register_file,
    upload_and_activate,
)
from winddown.core.providers.sms import last_code_for
from winddown.demo.generators import register_rows
from winddown.identity.models import Lender
from winddown.verify import verify_bundle
from winddown.voting.models import Ballot, VotingEvent

pytestmark = pytest.mark.django_db


def staff_client(client, user):
    response = client.post("/staff/login/", {"username": user.username, "password": STAFF_PASSWORD})
    assert response.status_code == 302 and "/staff/login/otp/" in response["Location"]
    response = client.post("/staff/login/otp/", {"otp": current_totp(user)})
    assert response.status_code == 302
    return client


@pytest.fixture
def registers(tmp_path, institution_a, institution_b, operator_a, operator_b):
    rows = list(register_rows(5, seed=1))
    a = upload_and_activate(institution_a, operator_a, register_file(tmp_path, rows, "a.csv"))
    b = upload_and_activate(institution_b, operator_b, register_file(tmp_path, rows[:2], "b.csv"))
    return a, b, rows


def test_staff_pages_need_password_and_totp(client, operator_a, institution_a):
    assert client.get("/staff/").status_code == 302
    client.post("/staff/login/", {"username": "operator_a", "password": STAFF_PASSWORD})
    # Password alone is not a sign-in.
    response = client.get("/staff/")
    assert response.status_code == 302 and "/staff/login/" in response["Location"]
    wrong = "000000" if current_totp(operator_a) != "000000" else "111111"
    response = client.post("/staff/login/otp/", {"otp": wrong})
    assert "动态口令不正确" in response.content.decode()
    # django-otp throttles guessing: right after a failure even the right code must wait.
    response = client.post("/staff/login/otp/", {"otp": current_totp(operator_a)})
    assert "秒后再试" in response.content.decode()
    from django_otp.plugins.otp_totp.models import TOTPDevice

    TOTPDevice.objects.filter(user=operator_a).update(throttling_failure_timestamp=None)
    client.post("/staff/login/otp/", {"otp": current_totp(operator_a)})
    assert client.get("/staff/").status_code == 200


def test_wrong_password_is_audited_and_vague(client, operator_a):
    response = client.post("/staff/login/", {"username": "operator_a", "password": "nope"})
    assert "用户名或密码错误" in response.content.decode()
    assert AuditEntry.objects.filter(
        action=AccountsAction.STAFF_LOGIN_FAILED, object_id="operator_a"
    ).exists()


def test_lenders_cannot_sign_in_as_staff(client, db):
    lender = make_lender("13800138000")
    lender.user.set_password(STAFF_PASSWORD)
    lender.user.save()
    response = client.post(
        "/staff/login/", {"username": lender.user.username, "password": STAFF_PASSWORD}
    )
    assert "用户名或密码错误" in response.content.decode()


def test_operator_sees_only_their_institution(client, registers, operator_a, institution_b):
    a, b, _ = registers
    staff_client(client, operator_a)
    assert client.get(f"/staff/registers/{a.pk}/").status_code == 200
    for url in (
        f"/staff/institutions/{institution_b.pk}/",
        f"/staff/registers/{b.pk}/",
        f"/staff/registers/{b.pk}/entries/",
        f"/staff/institutions/{institution_b.pk}/disputes/",
    ):
        response = client.get(url)
        assert response.status_code == 404, url
        assert "页面不存在" in response.content.decode()
    assert client.post(f"/staff/registers/{b.pk}/activate/").status_code == 404
    assert (
        AuditEntry.objects.filter(
            action=PlatformAction.ACCESS_DENIED, actor_id=operator_a.pk
        ).count()
        >= 5
    )
    dashboard = client.get("/staff/").content.decode()
    assert "网贷机构A" in dashboard and "网贷机构B" not in dashboard


def test_officers_see_everything_but_cannot_act_for_the_institution(
    client, registers, wg_officer, institution_b
):
    a, b, rows = registers
    staff_client(client, wg_officer)
    assert client.get(f"/staff/registers/{b.pk}/").status_code == 200
    assert client.post(f"/staff/registers/{b.pk}/discard/").status_code == 403
    assert client.post(f"/staff/institutions/{institution_b.pk}/upload/").status_code == 403
    # Masked by default; the full value is revealed on request and audited.
    entries = client.get(f"/staff/registers/{a.pk}/entries/").content.decode()
    assert rows[0][2] not in entries and rows[0][2][:3] + "*" * 12 + rows[0][2][-3:] in entries
    entry_id = a.entries.get(row_number=2).pk
    revealed = client.post(f"/staff/entries/{entry_id}/reveal/").content.decode()
    assert rows[0][2] in revealed
    assert AuditEntry.objects.filter(action=PlatformAction.PII_REVEALED).count() == 1


def test_reveal_is_for_the_working_group_only(client, registers, association_officer, operator_a):
    a, _, _ = registers
    entry_id = a.entries.get(row_number=2).pk
    staff_client(client, association_officer)
    assert client.post(f"/staff/entries/{entry_id}/reveal/").status_code == 403
    assert client.get("/staff/audit/").status_code == 200
    client.logout()
    staff_client(client, operator_a)
    assert client.post(f"/staff/entries/{entry_id}/reveal/").status_code == 403
    assert client.get("/staff/audit/").status_code == 403
    assert client.get("/staff/users/").status_code == 403


def test_only_admins_manage_accounts_and_admin_site_needs_totp(client, sysadmin, institution_a):
    assert client.get("/admin/").status_code == 302
    staff_client(client, sysadmin)
    assert client.get("/admin/").status_code == 200
    response = client.post(
        "/staff/users/", {"username": "op2", "role": "operator", "institution": ""}
    )
    assert "机构经办人必须绑定一家机构" in response.content.decode()
    response = client.post(
        "/staff/users/",
        {"username": "op2", "role": "operator", "institution": str(institution_a.pk)},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "一次性绑定链接" in page and "/staff/enrol/" in page
    assert AuditEntry.objects.filter(action=AccountsAction.STAFF_CREATED).exists()


def test_the_initial_password_alone_no_longer_binds_an_authenticator(client, db):
    """Whoever first knew the initial password used to bind the authenticator at the first
    sign-in; now the password step says to ask for an enrolment link, and nothing binds."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from winddown.accounts.models import User

    User.objects.create_user("newbie", STAFF_PASSWORD, role=Role.WG_OFFICER)
    response = client.post("/staff/login/", {"username": "newbie", "password": STAFF_PASSWORD})
    assert response.status_code == 200
    assert "请向系统管理员索取一次性绑定链接" in response.content.decode()
    assert client.get("/staff/login/enroll/").status_code == 404
    assert client.post("/staff/login/enroll/", {"otp": "123456"}).status_code == 404
    assert client.get("/staff/login/otp/").status_code == 302  # no half-signed-in session
    assert not TOTPDevice.objects.filter(user__username="newbie").exists()
    assert client.get("/staff/").status_code == 302


def test_lender_sees_only_own_claims_and_disputes(client, registers, institution_a):
    _, _, rows = registers
    name, _, number, phone = rows[0][:4]
    me = make_lender(phone, name=name, id_number=number)
    other = make_lender(rows[1][3], name=rows[1][0], id_number=rows[1][2])
    dispute = Dispute.objects.create(
        lender=other,
        institution=institution_a,
        version=institution_a.registers.get(),
        principal_fen=1,
        interest_fen=0,
        reason="别人的异议",
    )
    client.force_login(me.user)
    page = client.get("/m/me/").content.decode()
    assert name in page and rows[1][0] not in page
    assert client.get(f"/m/disputes/{dispute.pk}/").status_code == 404
    assert client.get(f"/m/disputes/{dispute.pk}/attachment/").status_code == 404
    # Lenders are not staff.
    response = client.get("/staff/")
    assert response.status_code == 302 and "/staff/login/" in response["Location"]


def test_sms_endpoint_is_rate_limited_per_address(client, db, settings):
    for i in range(20):
        client.post("/m/login/code/", {"phone": f"1380000{i:04d}"})
    response = client.post("/m/login/code/", {"phone": "13900001111"})
    assert "当前网络获取验证码过于频繁" in response.content.decode()
    assert last_code_for("13900001111") is None


def test_oversized_uploads_are_refused_before_reading(client, operator_a, institution_a, settings):
    staff_client(client, operator_a)
    settings.REGISTER_UPLOAD_MAX_BYTES = 1024 * 1024
    response = client.post(
        f"/staff/institutions/{institution_a.pk}/upload/",
        data=b"x",
        content_type="multipart/form-data; boundary=x",
        CONTENT_LENGTH=str(50 * 1024 * 1024),
    )
    assert response.status_code == 413 and "超过上限 1 MB" in response.content.decode()
    response = client.post(
        "/api/institutions/1/registers",
        data=b"x",
        content_type="application/octet-stream",
        CONTENT_LENGTH=str(50 * 1024 * 1024),
    )
    assert response.status_code == 413 and response.json()["code"] == "request.too_large"


def test_demo_data_loads_and_its_lender_can_sign_in(client, db):
    call_command("load_demo")
    call_command("load_demo")  # idempotent
    client.post("/m/login/code/", {"phone": "13800138000"})
    response = client.post(
        "/m/login/", {"phone": "13800138000", "code": last_code_for("13800138000")}
    )
    assert response.status_code == 302 and response["Location"] == "/m/me/"
    page = client.get("/m/me/").content.decode()
    assert "125,000.00" in page and "网贷机构B" in page

    # Voting in every stage that matters: open at A (the plan attached), published at B,
    # where the demo lender voted and can check the receipt.
    home = client.get("/m/").content.decode()
    for title in ("良性退出方案的表决", "征集网贷机构A出借人代表", "选举网贷机构B监督委员会成员"):
        assert title in home
    vote = VotingEvent.objects.get(title="关于网贷机构A良性退出方案的表决")
    plan = vote.attachments.get()
    assert vote.status == "open" and plan.page_count == len(plan.page_images) >= 2
    election = VotingEvent.objects.get(title="选举网贷机构B监督委员会成员")
    assert election.status == "published"
    assert election.result["result"]["elected"] == ["陈立新", "赵国强", "刘美华"]
    lender = Lender.objects.get(real_name="王小金")
    receipt = Ballot.objects.get(event=election, elector__id_index=lender.id_index).receipt
    assert (
        f"/m/events/{election.pk}/ballots/{receipt}/"
        in client.get(f"/m/events/{election.pk}/").content.decode()
    )
    bundle = Path(settings.PRIVATE_STORAGE_ROOT) / election.bundle_path
    assert verify_bundle(bundle).ok


def test_nul_characters_in_forms_are_refused(client, db):
    response = client.post("/staff/login/", {"username": "admin\x00", "password": "x"})
    assert response.status_code == 400 and "无效字符" in response.content.decode()
    assert client.get("/m/login/?next=%00").status_code == 400


def test_missing_client_address_is_still_rate_limited(client, db):
    for i in range(21):
        response = client.post("/m/login/code/", {"phone": f"1380000{i:04d}"}, REMOTE_ADDR="")
    assert "当前网络获取验证码过于频繁" in response.content.decode()
