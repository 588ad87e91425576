from datetime import timedelta

import pytest
from django.utils import timezone

from winddown.audit.models import AuditEntry
from winddown.audit.services import Actor
from winddown.core.errors import DomainError
from winddown.core.providers.sms import OUTBOX, last_code_for
from winddown.identity import services
from winddown.identity.audit_actions import IdentityAction
from winddown.identity.errors import IdentityErrorCode as E
from winddown.identity.models import Lender, SmsCode

pytestmark = pytest.mark.django_db
WEB = Actor(None, "anonymous", "203.0.113.9")
PHONE = "13588890000"


def _code_error(**kwargs) -> DomainError:
    with pytest.raises(DomainError) as info:
        services.lender_login(actor=WEB, **kwargs)
    return info.value


def _age_codes(seconds: int) -> None:
    SmsCode.objects.update(created_at=timezone.now() - timedelta(seconds=seconds))


def test_first_sign_in_creates_one_lender_account():
    sent = services.login_code_send(phone_raw="135 8889 0000", actor=WEB)
    assert sent.masked_phone == "135****0000"
    assert "验证码" in OUTBOX[-1].text
    user = services.lender_login(phone_raw=PHONE, code_raw=last_code_for(PHONE), actor=WEB)
    assert user.is_lender and not user.has_usable_password()
    lender = Lender.objects.get(user=user)
    assert lender.phone.value == PHONE and PHONE not in lender.phone_enc
    # The same number signs in to the same account.
    _age_codes(120)
    services.login_code_send(phone_raw=PHONE, actor=WEB)
    again = services.lender_login(phone_raw=f"+86{PHONE}", code_raw=last_code_for(PHONE), actor=WEB)
    assert again.pk == user.pk and Lender.objects.count() == 1


def test_code_is_single_use():
    services.login_code_send(phone_raw=PHONE, actor=WEB)
    code = last_code_for(PHONE)
    services.lender_login(phone_raw=PHONE, code_raw=code, actor=WEB)
    assert _code_error(phone_raw=PHONE, code_raw=code).error_code is E.CODE_INVALID


def test_wrong_code_five_times_burns_the_code():
    services.login_code_send(phone_raw=PHONE, actor=WEB)
    code = last_code_for(PHONE)
    wrong = "000000" if code != "000000" else "111111"
    for _ in range(4):
        assert _code_error(phone_raw=PHONE, code_raw=wrong).error_code is E.CODE_INVALID
    assert _code_error(phone_raw=PHONE, code_raw=wrong).error_code is E.CODE_TOO_MANY_ATTEMPTS
    # Even the right code no longer works.
    assert _code_error(phone_raw=PHONE, code_raw=code).error_code is E.CODE_TOO_MANY_ATTEMPTS
    assert AuditEntry.objects.filter(action=IdentityAction.LENDER_LOGIN_FAILED).count() == 6


def test_expired_code_is_refused():
    services.login_code_send(phone_raw=PHONE, actor=WEB)
    SmsCode.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    assert _code_error(phone_raw=PHONE, code_raw=last_code_for(PHONE)).error_code is E.CODE_INVALID


def test_new_code_replaces_the_old_one():
    services.login_code_send(phone_raw=PHONE, actor=WEB)
    first = last_code_for(PHONE)
    _age_codes(61)
    services.login_code_send(phone_raw=PHONE, actor=WEB)
    second = last_code_for(PHONE)
    if first != second:
        assert _code_error(phone_raw=PHONE, code_raw=first).error_code is E.CODE_INVALID
    assert services.lender_login(phone_raw=PHONE, code_raw=second, actor=WEB)


def test_resend_interval_and_daily_cap_per_number():
    services.login_code_send(phone_raw=PHONE, actor=WEB)
    with pytest.raises(DomainError) as info:
        services.login_code_send(phone_raw=PHONE, actor=WEB)
    assert info.value.error_code is E.SMS_TOO_SOON and "秒后再试" in info.value.message
    for _ in range(9):
        _age_codes(61)
        services.login_code_send(phone_raw=PHONE, actor=WEB)
    _age_codes(61)
    with pytest.raises(DomainError) as info:
        services.login_code_send(phone_raw=PHONE, actor=WEB)
    assert info.value.error_code is E.SMS_DAILY_LIMIT
    assert AuditEntry.objects.filter(action=IdentityAction.SMS_RATE_LIMITED).exists()
    # Another number is unaffected.
    services.login_code_send(phone_raw="13900139000", actor=WEB)


@pytest.mark.parametrize("phone", ["", "123", "23588890000"])
def test_invalid_numbers_get_a_message_and_no_code(phone):
    with pytest.raises(DomainError) as info:
        services.login_code_send(phone_raw=phone, actor=WEB)
    assert info.value.field == "phone" and info.value.message
    assert not SmsCode.objects.exists() and not OUTBOX


def test_codes_and_phones_are_not_stored_in_the_clear():
    services.login_code_send(phone_raw=PHONE, actor=WEB)
    row = SmsCode.objects.get()
    assert last_code_for(PHONE) not in row.code_hash
    assert PHONE not in row.phone_index
    entry = AuditEntry.objects.get(action=IdentityAction.SMS_CODE_SENT)
    assert entry.object_id == "135****0000" and entry.source_ip == "203.0.113.9"
