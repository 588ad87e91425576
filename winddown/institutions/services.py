"""Writes to the register of institutions; each one transaction with its audit entry."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction

from winddown.accounts.roles import Role
from winddown.audit.services import Actor, record
from winddown.core.errors import DomainError
from winddown.institutions.audit_actions import InstitutionsAction
from winddown.institutions.creditcode import CreditCodeError, normalize_credit_code
from winddown.institutions.errors import InstitutionsErrorCode as E
from winddown.institutions.models import Institution, InstitutionStatus, Membership
from winddown.pii.normalize import clean_text

if TYPE_CHECKING:
    from winddown.accounts.models import User


def _validated(
    *, full_name: str, short_name: str, credit_code: str, registered_address: str
) -> dict[str, str]:
    values = {
        "full_name": clean_text(full_name),
        "short_name": clean_text(short_name),
        "registered_address": clean_text(registered_address),
    }
    labels = {"full_name": "机构全称", "short_name": "机构简称", "registered_address": "注册地址"}
    for field, label in labels.items():
        if not values[field]:
            raise DomainError(E.REQUIRED, field=field, label=label)
        _check_length(field, label, values[field])
    try:
        values["credit_code"] = normalize_credit_code(credit_code)
    except CreditCodeError as exc:
        raise DomainError(E.CREDIT_CODE_INVALID, field="credit_code", detail=str(exc)) from None
    return values


def _check_length(field: str, label: str, value: str) -> None:
    limit = Institution._meta.get_field(field).max_length
    if len(value) > limit:
        raise DomainError(E.TOO_LONG, field=field, label=label, limit=limit)


def _business_address(raw: str) -> str:
    value = clean_text(raw)
    _check_length("business_address", "经营地址", value)
    return value


def _check_unique(values: dict[str, str], exclude_pk: int | None = None) -> None:
    labels = {"full_name": "机构全称", "short_name": "机构简称", "credit_code": "统一社会信用代码"}
    for field, label in labels.items():
        clash = Institution.objects.filter(**{field: values[field]}).exclude(pk=exclude_pk)
        if clash.exists():
            raise DomainError(E.DUPLICATE, field=field, label=label, value=values[field])


@transaction.atomic
def institution_create(
    *,
    actor: Actor,
    full_name: str,
    short_name: str,
    credit_code: str,
    registered_address: str,
    business_address: str = "",
    status: str = InstitutionStatus.OPERATING,
) -> Institution:
    values = _validated(
        full_name=full_name,
        short_name=short_name,
        credit_code=credit_code,
        registered_address=registered_address,
    )
    if status not in InstitutionStatus.values:
        raise DomainError(E.STATUS_INVALID, field="status")
    _check_unique(values)
    institution = Institution.objects.create(
        **values, business_address=_business_address(business_address), status=status
    )
    record(
        actor=actor,
        action=InstitutionsAction.INSTITUTION_CREATED,
        obj=institution,
        institution_id=institution.pk,
        after=institution.audit_snapshot(),
    )
    return institution


@transaction.atomic
def institution_update(*, actor: Actor, institution: Institution, **changes: str) -> Institution:
    institution = Institution.objects.select_for_update().get(pk=institution.pk)
    before = institution.audit_snapshot()
    merged = {**before, **{k: v for k, v in changes.items() if v is not None}}
    values = _validated(
        full_name=merged["full_name"],
        short_name=merged["short_name"],
        credit_code=merged["credit_code"],
        registered_address=merged["registered_address"],
    )
    if merged["status"] not in InstitutionStatus.values:
        raise DomainError(E.STATUS_INVALID, field="status")
    _check_unique(values, exclude_pk=institution.pk)
    for field, value in values.items():
        setattr(institution, field, value)
    institution.business_address = _business_address(merged["business_address"])
    institution.status = merged["status"]
    institution.save()
    after = institution.audit_snapshot()
    if after != before:
        record(
            actor=actor,
            action=InstitutionsAction.INSTITUTION_UPDATED,
            obj=institution,
            institution_id=institution.pk,
            before=before,
            after=after,
        )
    return institution


def institution_lock(institution_id: int) -> Institution:
    """The institution's row, locked until the caller's transaction ends: other apps'
    writes that must not interleave per institution (a register import numbering its
    version, an activation) take this lock first."""
    return Institution.objects.select_for_update().get(pk=institution_id)


@transaction.atomic
def membership_set(*, actor: Actor, user: User, institution: Institution) -> Membership:
    if user.role != Role.OPERATOR:
        raise DomainError(E.NOT_OPERATOR, field="user")
    previous = Membership.objects.filter(user=user).first()
    membership, _ = Membership.objects.update_or_create(
        user=user, defaults={"institution": institution}
    )
    record(
        actor=actor,
        action=InstitutionsAction.MEMBERSHIP_SET,
        obj=membership,
        institution_id=institution.pk,
        before={"institution_id": previous.institution_id} if previous else None,
        after={"institution_id": institution.pk, "user": user.username},
    )
    return membership
