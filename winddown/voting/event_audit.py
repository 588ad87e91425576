"""Audit entries about a voting event or one of its parts, filed under the event's
institution (so the institution's audit trail and the event's timeline find them)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import models

from winddown.audit.services import Actor, record
from winddown.voting.models import VotingEvent

if TYPE_CHECKING:
    from winddown.audit.models import AuditEntry


def record_event(
    *,
    actor: Actor,
    action: models.TextChoices,
    event: VotingEvent,
    obj: models.Model | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> AuditEntry:
    """Append an entry about `obj` (the event itself unless given)."""
    return record(
        actor=actor,
        action=action,
        obj=obj or event,
        institution_id=event.institution_id,
        before=before,
        after=after,
    )
