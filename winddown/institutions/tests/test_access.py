"""The shared ownership boundary: another institution's object is a 404 as if it did not
exist, the attempt is audited under that object's institution, and ids no database can hold
are a plain 404."""

import pytest
from django.http import Http404

from winddown.audit.actions import PlatformAction
from winddown.audit.models import AuditEntry
from winddown.institutions.access import access_by_id
from winddown.institutions.models import Institution

pytestmark = pytest.mark.django_db


def test_an_operator_reaching_into_another_institution_is_denied_and_audited(
    operator_a, institution_b
):
    with pytest.raises(Http404, match="无权访问"):
        access_by_id(
            operator_a,
            Institution.objects.all(),
            institution_b.pk,
            institution_path="pk",
            not_found="机构不存在或无权访问",
        )
    denial = AuditEntry.objects.get(action=PlatformAction.ACCESS_DENIED)
    assert (denial.actor_id, denial.institution_id) == (operator_a.pk, institution_b.pk)
    assert (denial.object_type, denial.object_id) == (
        "institutions.institution",
        str(institution_b.pk),
    )


def test_oversight_roles_see_every_institution(wg_officer, institution_b):
    found = access_by_id(
        wg_officer,
        Institution.objects.all(),
        institution_b.pk,
        institution_path="pk",
        not_found="x",
    )
    assert found == institution_b
    assert not AuditEntry.objects.filter(action=PlatformAction.ACCESS_DENIED).exists()


@pytest.mark.parametrize("object_id", [0, -1, 2**63, 10**20])
def test_ids_no_row_can_have_are_not_found_without_an_audit_row(operator_a, object_id):
    with pytest.raises(Http404):
        access_by_id(
            operator_a,
            Institution.objects.all(),
            object_id,
            institution_path="pk",
            not_found="x",
        )
    assert not AuditEntry.objects.filter(action=PlatformAction.ACCESS_DENIED).exists()
