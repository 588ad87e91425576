"""Reads of institutions, always through the viewer's boundary."""

from django.db.models import QuerySet
from django.http import Http404

from winddown.accounts.models import User
from winddown.accounts.roles import OVERSIGHT_ROLES, Role
from winddown.audit.actions import PlatformAction
from winddown.audit.services import Actor, record
from winddown.institutions.models import Institution, Membership


def operator_institution_id(user: User) -> int | None:
    if user.role != Role.OPERATOR:
        return None
    membership = Membership.objects.filter(user=user).only("institution_id").first()
    return membership.institution_id if membership else None


def visible_institutions(user: User) -> QuerySet[Institution]:
    """Institutions the staff member may see: all for oversight roles, one for operators."""
    if user.role in OVERSIGHT_ROLES:
        return Institution.objects.all()
    if user.role == Role.OPERATOR:
        return Institution.objects.filter(members__user=user)
    return Institution.objects.none()


def access_institution_by_id(user: User, institution_id: int) -> Institution:
    """The institution if the user may see it; otherwise 404, so existence is not leaked."""
    institution = visible_institutions(user).filter(pk=institution_id).first()
    if institution is None:
        record_denied(user, Institution, institution_id, institution_id)
        raise Http404("机构不存在或无权访问")
    return institution


def record_denied(user: User, model, object_id: int, institution_id: int | None) -> None:
    """Audit an attempt to reach something that exists but lies outside the user's boundary
    (the user still just sees 404)."""
    if not model.objects.filter(pk=object_id).exists():
        return
    record(
        actor=Actor(user.pk, user.audit_label),
        action=PlatformAction.ACCESS_DENIED,
        object_type=model._meta.label_lower,
        object_id=object_id,
        institution_id=institution_id,
    )


def find_institution(key: str) -> Institution | None:
    """By short name or unified social credit code (for management commands)."""
    return (
        Institution.objects.filter(short_name=key).first()
        or Institution.objects.filter(credit_code=key.strip().upper()).first()
    )
