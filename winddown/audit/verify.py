"""Verifying the audit chain end to end."""

from dataclasses import dataclass

from winddown.audit.chain import GENESIS_HASH, HASHED_FIELDS, entry_hash
from winddown.audit.models import AuditChainHead, AuditEntry


@dataclass(frozen=True)
class ChainReport:
    ok: bool
    checked: int
    broken_seq: int | None = None
    reason: str = ""


def verify_chain(batch_size: int = 5000) -> ChainReport:
    """Recompute every hash in order; report the first entry whose link is broken."""
    expected_prev = GENESIS_HASH
    expected_seq = 1
    checked = 0
    rows = AuditEntry.objects.order_by("seq").values(*HASHED_FIELDS, "prev_hash", "entry_hash")
    for row in rows.iterator(chunk_size=batch_size):
        seq = row["seq"]
        if seq != expected_seq:
            return ChainReport(False, checked, expected_seq, f"entry #{expected_seq} is missing")
        if row["prev_hash"] != expected_prev:
            return ChainReport(False, checked, seq, "prev_hash does not match the previous entry")
        if entry_hash(row["prev_hash"], row) != row["entry_hash"]:
            return ChainReport(False, checked, seq, "content does not match its hash")
        expected_prev = row["entry_hash"]
        expected_seq += 1
        checked += 1
    head = AuditChainHead.objects.filter(pk=1).first()
    if head is not None and (head.last_seq != checked or head.last_hash != expected_prev):
        return ChainReport(
            False, checked, checked + 1, "entries after the last one present have been removed"
        )
    return ChainReport(True, checked)
