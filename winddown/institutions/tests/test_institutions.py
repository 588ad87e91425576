import pytest

from winddown.audit.models import AuditEntry
from winddown.audit.services import Actor
from winddown.core.errors import DomainError
from winddown.institutions.audit_actions import InstitutionsAction
from winddown.institutions.creditcode import CreditCodeError, normalize_credit_code
from winddown.institutions.services import institution_create, institution_update

ME = Actor(None, "tests")


@pytest.mark.parametrize(
    "raw",
    ["91440300MA5DC6QX0G", " 9144 0300 ma5d c6qx 0g ", "９１４４０３００ＭＡ５ＤＣ６ＱＸ０Ｇ"],
)
def test_credit_code_normalised(raw):
    assert normalize_credit_code(raw) == "91440300MA5DC6QX0G"


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("91440300MA5DC6QX0H", "校验位"),
        ("91440300MA5DC6QX0", "18位"),
        ("914403O0MA5DC6QX0G", "格式"),
    ],
)
def test_credit_code_errors(raw, message):
    with pytest.raises(CreditCodeError, match=message):
        normalize_credit_code(raw)


@pytest.mark.django_db
def test_create_update_and_uniqueness_are_audited():
    institution = institution_create(
        actor=ME,
        full_name="  深圳某某  信息咨询有限公司",
        short_name="某某",
        credit_code="91440300ma5dc6qx0g",
        registered_address="深圳市",
    )
    assert (
        institution.full_name == "深圳某某 信息咨询有限公司"
        and institution.credit_code == "91440300MA5DC6QX0G"
    )
    with pytest.raises(DomainError) as info:
        institution_create(
            actor=ME,
            full_name="另一家",
            short_name="某某",
            credit_code="91440101MA59Q1WXXK",
            registered_address="广州",
        )
    assert info.value.field == "short_name" and "已被其他机构使用" in info.value.message
    with pytest.raises(DomainError) as info:
        institution_create(
            actor=ME,
            full_name="另一家",
            short_name="另",
            credit_code="91440300MA5DC6QX0G",
            registered_address="广州",
        )
    assert info.value.field == "credit_code"
    with pytest.raises(DomainError) as info:
        institution_create(
            actor=ME,
            full_name="",
            short_name="空",
            credit_code="91440101MA59Q1WXXK",
            registered_address="广州",
        )
    assert info.value.field == "full_name"
    institution_update(actor=ME, institution=institution, status="winding_down")
    institution.refresh_from_db()
    assert institution.status == "winding_down"
    update = AuditEntry.objects.get(action=InstitutionsAction.INSTITUTION_UPDATED)
    assert (update.before["status"], update.after["status"]) == ("operating", "winding_down")
    with pytest.raises(DomainError):
        institution_update(actor=ME, institution=institution, status="bankrupt")
