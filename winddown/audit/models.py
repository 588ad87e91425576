"""The append-only, hash-chained audit log.

Each entry's hash covers its own canonical content and the previous entry's hash, so any
edit, deletion or reordering breaks the chain from that entry on. Appends are serialised
through the single `AuditChainHead` row (locked for the rest of the writer's transaction),
which also keeps sequence numbers gapless. Database triggers refuse UPDATE and DELETE.
"""

from django.db import models

from winddown.audit.actions import action_label
from winddown.audit.chain import GENESIS_HASH


class AuditChainHead(models.Model):
    """Singleton row (pk=1): the last sequence number and hash of the chain."""

    last_seq = models.BigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default=GENESIS_HASH)

    def __str__(self) -> str:
        return f"audit chain head #{self.last_seq}"


class AuditEntry(models.Model):
    seq = models.BigIntegerField(unique=True)
    created_at = models.DateTimeField()
    actor_id = models.BigIntegerField(null=True)  # not a FK: entries outlive accounts
    actor_label = models.CharField(max_length=200, blank=True)
    # No choices: each app registers its own actions (audit.actions), without a migration here.
    action = models.CharField(max_length=64)
    object_type = models.CharField(max_length=64, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    institution_id = models.BigIntegerField(null=True, db_index=True)
    source_ip = models.CharField(max_length=64, blank=True)
    before = models.JSONField(null=True)
    after = models.JSONField(null=True)
    prev_hash = models.CharField(max_length=64)
    entry_hash = models.CharField(max_length=64)

    class Meta:
        ordering = ["seq"]
        indexes = [models.Index(fields=["action", "created_at"])]

    def __str__(self) -> str:
        return f"#{self.seq} {self.action}"

    @property
    def action_label(self) -> str:
        return action_label(self.action)
