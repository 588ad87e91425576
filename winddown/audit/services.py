"""Writing to the audit log. Call inside the transaction of the change being audited."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from django.db import models, transaction
from django.http import HttpRequest
from django.utils import timezone

from winddown.audit import checkpoints, timestamps
from winddown.audit.actions import is_registered
from winddown.audit.chain import canonical_created_at, entry_hash
from winddown.audit.keys import chain_keys, public_key_hex
from winddown.audit.models import AuditChainHead, AuditCheckpoint, AuditEntry
from winddown.core.providers import ProviderError

logger = logging.getLogger(__name__)


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
        keys = chain_keys()
        digest = entry_hash(head.last_hash, fields, keys.keys[keys.primary_id])
        entry = AuditEntry.objects.create(
            **fields, prev_hash=head.last_hash, entry_hash=digest, hash_scheme=keys.scheme()
        )
        head.last_seq = fields["seq"]
        head.last_hash = digest
        head.save(update_fields=["last_seq", "last_hash"])
    return entry


def checkpoint_create(*, reason: str) -> AuditCheckpoint:
    """Sign the chain's head, have it timestamped, and keep the checkpoint (append-only).
    A timestamping authority that cannot be reached leaves the checkpoint signed but
    without its token (the next checkpoint tries again); it never blocks the caller."""
    head = AuditChainHead.objects.filter(pk=1).first() or AuditChainHead(last_seq=0)
    created_at = timezone.now()
    statement = checkpoints.statement_text(
        seq=head.last_seq,
        entry_hash=head.last_hash,
        created_at=canonical_created_at(created_at),
        reason=reason[:200],
    )
    stamper = timestamps.timestamper()
    try:
        stamp = stamper.stamp(statement.encode())
    except ProviderError:
        logger.warning("audit checkpoint #%s not timestamped", head.last_seq, exc_info=True)
        stamp = None
    return AuditCheckpoint.objects.create(
        seq=head.last_seq,
        entry_hash=head.last_hash,
        created_at=created_at,
        reason=reason[:200],
        statement=statement,
        signature=checkpoints.sign(statement),
        public_key=public_key_hex(),
        timestamp_provider=stamper.name if stamp else "",
        timestamp_token=timestamps.encode(stamp.token) if stamp else "",
        timestamp_at=stamp.at if stamp else None,
    )
