"""Fetching an object with the institution boundary built in, for every app.

An operator of institution A asking for anything of institution B gets 404, exactly as if it
did not exist; the attempt is audited (ACCESS_DENIED, filed under the object's institution)
when the object does exist. Oversight roles see every institution. Each app's
`access_<thing>_by_id` is one call to `access_by_id` with its queryset and the path from the
model to its institution.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Model, QuerySet
from django.http import Http404

from winddown.audit.actions import PlatformAction
from winddown.audit.services import Actor, record
from winddown.core.params import MAX_ID
from winddown.institutions.selectors import visible_institutions

if TYPE_CHECKING:
    from winddown.accounts.models import User


def access_by_id(
    user: User, queryset: QuerySet, object_id: int, *, institution_path: str, not_found: str
) -> Model:
    """The object of `queryset` with primary key `object_id` if it belongs to an institution
    the user may see (`institution_path`: "institution", "version__institution" …)."""
    if not 0 < object_id <= MAX_ID:
        raise Http404(not_found)
    visible = visible_institutions(user).values("pk")
    found = queryset.filter(pk=object_id, **{f"{institution_path}__in": visible}).first()
    if found is None:
        record_denied(user, queryset.model, object_id, institution_path)
        raise Http404(not_found)
    return found


def record_denied(user: User, model: type[Model], object_id: int, institution_path: str) -> None:
    """Audit an attempt to reach something that exists but lies outside the user's boundary
    (the user still just sees 404)."""
    rows = model.objects.filter(pk=object_id)
    institution_id = rows.values_list(institution_path, flat=True).first()
    if institution_id is None:  # no such object: nothing was denied
        return
    record(
        actor=Actor(user.pk, user.audit_label),
        action=PlatformAction.ACCESS_DENIED,
        object_type=model._meta.label_lower,
        object_id=object_id,
        institution_id=institution_id,
    )
