"""The append-only, hash-chained audit log.

Each entry's hash covers its own canonical content and the previous entry's hash, keyed with
a secret kept outside the database (audit/chain.py), so any edit, deletion or reordering
breaks the chain from that entry on, and recomputing it needs the key. Signed checkpoints
of the chain's head (`AuditCheckpoint`), timestamped by an outside authority and published,
catch a rewrite by someone who has the key too, and a cut tail. Appends are serialised
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
    # "hmac-sha256:<key id>"; "" for the entries written before the chain was keyed.
    hash_scheme = models.CharField(max_length=40, blank=True, default="")

    class Meta:
        ordering = ["seq"]
        indexes = [models.Index(fields=["action", "created_at"])]

    def __str__(self) -> str:
        return f"#{self.seq} {self.action}"

    @property
    def action_label(self) -> str:
        return action_label(self.action)


class AuditCheckpoint(models.Model):
    """The chain's head at a moment (daily, and at every vote's publication), signed with
    the platform's checkpoint key and timestamped by a time-stamping authority (RFC 3161).
    Its statement is published (the public checkpoint page, the result pages), so a copy
    outlives any rewrite of this table."""

    seq = models.BigIntegerField()
    entry_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField()
    reason = models.CharField(max_length=200)
    statement = models.TextField()  # the canonical JSON that was signed and timestamped
    signature = models.CharField(max_length=128)  # Ed25519, hex
    public_key = models.CharField(max_length=64)  # hex
    timestamp_provider = models.CharField(max_length=16, blank=True)
    timestamp_token = models.TextField(blank=True)  # base64 of the authority's token
    timestamp_at = models.DateTimeField(null=True)

    class Meta:
        ordering = ["seq", "pk"]

    def __str__(self) -> str:
        return f"audit checkpoint #{self.seq} ({self.reason})"
