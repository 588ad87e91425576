from datetime import timedelta

import pytest
from django.utils import timezone

from winddown.audit.models import AuditEntry
from winddown.audit.services import Actor
from winddown.conftest import make_lender
from winddown.core.errors import DomainError
from winddown.core.providers import ProviderError
from winddown.identity import services
from winddown.identity.audit_actions import IdentityAction
from winddown.identity.errors import IdentityErrorCode as E
from winddown.identity.models import Lender
from winddown.identity.providers import base
from winddown.identity.providers.dev import mark_liveness_passed

pytestmark = pytest.mark.django_db
ME = Actor(None, "lender", "198.51.100.2")
ID = "110101198001010053"


def _error(fn, **kwargs) -> DomainError:
    with pytest.raises(DomainError) as info:
        fn(**kwargs)
    return info.value


def _verified(phone="13800138000", number=ID) -> Lender:
    return _verify(make_lender(phone), number)


def _verify(lender: Lender, number=ID) -> Lender:
    lender = services.identity_submit(
        lender=lender, real_name="王小金", id_number_raw=number, agreed=True, actor=ME
    )
    url = services.liveness_start(lender=lender, return_url="http://testserver/m/liveness/return/")
    token = url.split("/")[-2]
    mark_liveness_passed(token)
    return services.liveness_complete(
        lender=Lender.objects.get(pk=lender.pk), token=token, actor=ME
    )


def test_full_verification_records_each_step():
    lender = _verified()
    assert lender.is_verified and lender.next_step == "password"
    assert (
        lender.real_name == "王小金"
        and lender.id_number.value == ID
        and ID not in lender.id_number_enc
    )
    assert lender.id_number.masked == "110************053"
    assert lender.agreement_version and lender.agreement_accepted_at
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {
        IdentityAction.IDENTITY_SUBMITTED,
        IdentityAction.AGREEMENT_ACCEPTED,
        IdentityAction.LIVENESS_PASSED,
    } <= actions
    # The audit log never holds the full ID number.
    assert not AuditEntry.objects.filter(after__icontains=ID).exists()


@pytest.mark.parametrize(
    ("name", "number", "agreed", "code", "field"),
    [
        ("", ID, True, E.NAME_REQUIRED, "real_name"),
        ("王", ID, True, E.NAME_INVALID, "real_name"),
        ("王小金1", ID, True, E.NAME_INVALID, "real_name"),
        ("王小金", "110101198001010054", True, E.INVALID_ID_NUMBER, "id_number"),
        ("王小金", ID, False, E.AGREEMENT_REQUIRED, "agreed"),
    ],
)
def test_bad_identity_input(name, number, agreed, code, field):
    lender = make_lender("13800138000")
    error = _error(
        services.identity_submit,
        lender=lender,
        real_name=name,
        id_number_raw=number,
        agreed=agreed,
        actor=ME,
    )
    assert error.error_code is code and error.field == field
    assert Lender.objects.get(pk=lender.pk).identity_checked_at is None


def test_names_with_middle_dot_and_full_width_id():
    lender = make_lender("13800138000")
    lender = services.identity_submit(
        lender=lender,
        real_name="买买提•艾力",
        id_number_raw="１１０１０１１９８００１０１００５３",
        agreed=True,
        actor=ME,
    )
    assert lender.real_name == "买买提·艾力" and lender.id_number.value == ID


def test_one_person_one_account():
    _verified("13800138000")
    other = make_lender("13900139000")
    error = _error(
        services.identity_submit,
        lender=other,
        real_name="王小金",
        id_number_raw=ID,
        agreed=True,
        actor=ME,
    )
    assert error.error_code is E.ID_ALREADY_BOUND
    assert AuditEntry.objects.filter(action=IdentityAction.IDENTITY_DUPLICATE).exists()


def test_identity_provider_mismatch_and_outage(monkeypatch):
    lender = make_lender("13800138000")

    class Mismatch:
        def check_identity(self, **_):
            return base.IdentityCheck(matched=False, reason="姓名与号码不匹配")

    class Down:
        def check_identity(self, **_):
            raise ProviderError("实名核验服务响应超时，请稍后重试")

    monkeypatch.setattr(services, "identity_verifier", lambda: Mismatch())
    error = _error(
        services.identity_submit,
        lender=lender,
        real_name="王小金",
        id_number_raw=ID,
        agreed=True,
        actor=ME,
    )
    assert error.error_code is E.IDENTITY_MISMATCH and "不匹配" in error.message
    monkeypatch.setattr(services, "identity_verifier", lambda: Down())
    error = _error(
        services.identity_submit,
        lender=lender,
        real_name="王小金",
        id_number_raw=ID,
        agreed=True,
        actor=ME,
    )
    assert error.error_code is E.IDENTITY_UNAVAILABLE and "超时" in error.message
    assert Lender.objects.get(pk=lender.pk).id_index is None


def test_liveness_needs_the_identity_step_and_a_passing_recording():
    lender = make_lender("13800138000")
    assert (
        _error(services.liveness_start, lender=lender, return_url="/").error_code
        is E.IDENTITY_STEP_MISSING
    )
    lender = services.identity_submit(
        lender=lender, real_name="王小金", id_number_raw=ID, agreed=True, actor=ME
    )
    url = services.liveness_start(lender=lender, return_url="/")
    token = url.split("/")[-2]
    lender.refresh_from_db()
    error = _error(services.liveness_complete, lender=lender, token=token, actor=ME)
    assert error.error_code is E.LIVENESS_FAILED and "眨眼" in error.message
    assert (
        _error(services.liveness_complete, lender=lender, token="forged", actor=ME).error_code
        is E.LIVENESS_FAILED
    )
    assert not Lender.objects.get(pk=lender.pk).is_verified


# --- Voting password ------------------------------------------------------------------------


def test_password_can_only_be_set_after_verification():
    lender = make_lender("13800138000")
    error = _error(
        services.voting_password_set, lender=lender, password="258036", confirm="258036", actor=ME
    )
    assert error.error_code is E.NOT_VERIFIED


@pytest.mark.parametrize(
    ("password", "confirm", "code"),
    [
        ("12345", "12345", E.PASSWORD_FORMAT),
        ("12345a", "12345a", E.PASSWORD_FORMAT),
        ("123456", "123456", E.PASSWORD_TOO_SIMPLE),
        ("888888", "888888", E.PASSWORD_TOO_SIMPLE),
        ("654321", "654321", E.PASSWORD_TOO_SIMPLE),
        ("258036", "258037", E.PASSWORD_MISMATCH),
    ],
)
def test_password_rules(password, confirm, code):
    lender = _verified()
    assert (
        _error(
            services.voting_password_set,
            lender=lender,
            password=password,
            confirm=confirm,
            actor=ME,
        ).error_code
        is code
    )


def test_password_is_peppered_and_never_stored_or_logged(caplog, settings):
    lender = _verified()
    services.voting_password_set(lender=lender, password="２５８０３６", confirm="258036", actor=ME)
    lender.refresh_from_db()
    assert (
        lender.voting_password_hash.startswith("$argon2id$")
        and "258036" not in lender.voting_password_hash
    )
    services.voting_password_check(lender=lender, password="258036", actor=ME)
    assert "258036" not in caplog.text
    assert not AuditEntry.objects.filter(after__icontains="258036").exists()
    # Without the server-side pepper the database copy is useless.
    settings.PASSWORD_PEPPER = "another-pepper"
    assert (
        _error(
            services.voting_password_check, lender=lender, password="258036", actor=ME
        ).error_code
        is E.PASSWORD_WRONG
    )


def test_five_wrong_tries_lock_for_fifteen_minutes():
    lender = _verified()
    services.voting_password_set(lender=lender, password="258036", confirm="258036", actor=ME)
    remaining = []
    for _ in range(4):
        error = _error(services.voting_password_check, lender=lender, password="111112", actor=ME)
        remaining.append(error.params["remaining"])
    assert remaining == [4, 3, 2, 1]
    error = _error(services.voting_password_check, lender=lender, password="111112", actor=ME)
    assert error.error_code is E.PASSWORD_LOCKED and error.http_status == 423
    # Locked: even the right password is refused until the lock expires.
    assert (
        _error(
            services.voting_password_check, lender=lender, password="258036", actor=ME
        ).error_code
        is E.PASSWORD_LOCKED
    )
    assert AuditEntry.objects.filter(action=IdentityAction.VOTING_PASSWORD_LOCKED).count() == 1
    Lender.objects.filter(pk=lender.pk).update(
        voting_locked_until=timezone.now() - timedelta(seconds=1)
    )
    services.voting_password_check(lender=lender, password="258036", actor=ME)


def test_change_needs_the_old_password():
    lender = _verified()
    services.voting_password_set(lender=lender, password="258036", confirm="258036", actor=ME)
    error = _error(
        services.voting_password_change,
        lender=lender,
        old_password="111112",
        new_password="369147",
        confirm="369147",
        actor=ME,
    )
    assert error.error_code is E.PASSWORD_WRONG
    error = _error(
        services.voting_password_change,
        lender=lender,
        old_password="258036",
        new_password="258036",
        confirm="258036",
        actor=ME,
    )
    assert error.error_code is E.PASSWORD_SAME
    services.voting_password_change(
        lender=lender, old_password="258036", new_password="369147", confirm="369147", actor=ME
    )
    services.voting_password_check(lender=lender, password="369147", actor=ME)
    assert (
        _error(
            services.voting_password_check, lender=lender, password="258036", actor=ME
        ).error_code
        is E.PASSWORD_WRONG
    )
    assert (
        _error(
            services.voting_password_set,
            lender=lender,
            password="147258",
            confirm="147258",
            actor=ME,
        ).error_code
        is E.PASSWORD_ALREADY_SET
    )


def test_forgot_password_wipes_identity_and_password():
    lender = _verified()
    services.voting_password_set(lender=lender, password="258036", confirm="258036", actor=ME)
    services.voting_password_forget(lender=lender, actor=ME)
    lender.refresh_from_db()
    assert not lender.is_verified and not lender.has_voting_password
    assert lender.id_index is None and lender.real_name == "" and lender.next_step == "identity"
    assert AuditEntry.objects.filter(action=IdentityAction.VOTING_PASSWORD_FORGOTTEN).exists()
    # The ID number is free again: the same person verifies again and sets a new password.
    again = _verify(lender)
    services.voting_password_set(lender=again, password="369147", confirm="369147", actor=ME)
