"""Writing to the audit log. Call inside the transaction of the change being audited."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import models, transaction
from django.http import HttpRequest
from django.utils import timezone

from winddown.audit.actions import is_registered
from winddown.audit.chain import entry_hash
from winddown.audit.models import AuditChainHead, AuditEntry


@dataclass(frozen=True)
class Actor:
    """Who acted, as the log records it (never a full phone or ID number)."""

    user_id: int | None
    label: str
    source_ip: str = ""

    @classmethod
    def system(cls, label: str = "system") -> Actor:
        return cls(user_id=None, label=label)


def client_ip(request: HttpRequest) -> str:
    """The client address (behind trusted proxies core/client_address.py has put it here)."""
    return request.META.get("REMOTE_ADDR", "")[:64]


def actor_from_request(request: HttpRequest) -> Actor:
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return Actor(user_id=user.pk, label=user.audit_label, source_ip=client_ip(request))
    return Actor(user_id=None, label="anonymous", source_ip=client_ip(request))


def record(
    *,
    actor: Actor,
    action: models.TextChoices,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str | int = "",
    institution_id: int | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> AuditEntry:
    """Append one entry, chained to the previous one, in the caller's transaction."""
    if not is_registered(str(action)):
        raise ValueError(f"audit action {action!r} is not registered (audit.actions)")
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or obj.pk
    with transaction.atomic():
        head, _ = AuditChainHead.objects.select_for_update().get_or_create(pk=1)
        fields = {
            "seq": head.last_seq + 1,
            "created_at": timezone.now(),
            "actor_id": actor.user_id,
            "actor_label": actor.label[:200],
            "action": str(action),
            "object_type": object_type,
            "object_id": str(object_id),
            "institution_id": institution_id,
            "source_ip": actor.source_ip,
            "before": before,
            "after": after,
        }
        digest = entry_hash(head.last_hash, fields)
        entry = AuditEntry.objects.create(**fields, prev_hash=head.last_hash, entry_hash=digest)
        head.last_seq = fields["seq"]
        head.last_hash = digest
        head.save(update_fields=["last_seq", "last_hash"])
    return entry
