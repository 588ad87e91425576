"""Reads of the audit log, for other apps and the pages."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.db.models import Count, Max, QuerySet

from winddown.audit.models import AuditCheckpoint, AuditEntry


def recent_failures(
    *, action: str, object_type: str, object_id: str, since: datetime
) -> tuple[int, datetime | None]:
    """How many entries of `action` about (`object_type`, `object_id`) were written since
    `since`, and when the latest was (for sign-in delays)."""
    found = AuditEntry.objects.filter(
        action=action, object_type=object_type, object_id=object_id[:64], created_at__gte=since
    ).aggregate(count=Count("pk"), last=Max("created_at"))
    return found["count"], found["last"]


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


def publication_checkpoint_reason(event_id: int) -> str:
    return f"voting.event_published:{event_id}"


def publication_checkpoint(event_id: int) -> AuditCheckpoint | None:
    """The checkpoint taken when a vote's result was published."""
    reason = publication_checkpoint_reason(event_id)
    return AuditCheckpoint.objects.filter(reason=reason).order_by("seq").first()


def checkpoints_published() -> QuerySet[AuditCheckpoint]:
    return AuditCheckpoint.objects.order_by("-seq", "-pk")


def checkpoint_by_id(checkpoint_id: int) -> AuditCheckpoint | None:
    return AuditCheckpoint.objects.filter(pk=checkpoint_id).first()
