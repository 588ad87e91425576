"""Reads of the audit log, for other apps and the pages."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.db.models import QuerySet

from winddown.audit.models import AuditEntry


def count_recent(*, action: str, object_id: str, since: datetime) -> int:
    """How many entries of `action` about `object_id` were written since `since` (e.g. failed
    sign-ins of one username, for a lockout)."""
    return AuditEntry.objects.filter(
        action=action, object_id=object_id[:64], created_at__gte=since
    ).count()


def object_history(
    *, object_type: str, object_id: int | str, institution_id: int | None, actions: Iterable[str]
) -> list[AuditEntry]:
    """The entries about one object (filed under its institution), oldest first."""
    return list(
        AuditEntry.objects.filter(
            institution_id=institution_id,
            object_type=object_type,
            object_id=str(object_id),
            action__in=list(actions),
        ).order_by("seq")
    )


def log_entries(*, institution_id: int | None = None) -> QuerySet[AuditEntry]:
    """The log, newest first; one institution's entries when given."""
    entries = AuditEntry.objects.order_by("-seq")
    if institution_id is not None:
        entries = entries.filter(institution_id=institution_id)
    return entries
