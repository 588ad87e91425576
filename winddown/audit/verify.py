"""Verifying the audit log end to end: the keyed chain, and the checkpoints against it.

What this detects (see README "Audit log"): an entry edited, removed, inserted or reordered
by someone without the chain key (the chain breaks there); a rewrite by someone with the
key, or a tail cut off, once a checkpoint taken before it has been published or timestamped
(the entry at the checkpoint's place no longer matches; the change lies after the last
checkpoint that still matches). What it cannot: a rewrite by someone holding the key, of
entries after the last checkpoint anyone kept; entries that were never written.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from winddown.audit import timestamps
from winddown.audit.chain import GENESIS_HASH, HASHED_FIELDS, entry_hash
from winddown.audit.checkpoints import Published, published
from winddown.audit.keys import chain_keys, public_key_hex
from winddown.audit.models import AuditChainHead, AuditCheckpoint, AuditEntry


@dataclass(frozen=True)
class ChainReport:
    ok: bool
    checked: int
    broken_seq: int | None = None
    reason: str = ""
    checkpoints: int = 0  # checkpoints found consistent with the chain


def stored_checkpoints() -> list[Published]:
    """The platform's own checkpoints, each checked for its signature (under the configured
    key) and its authority's timestamp. Raises ValueError naming a bad one."""
    ours = public_key_hex()
    found = []
    for row in AuditCheckpoint.objects.order_by("seq", "pk"):
        label = f"checkpoint of {row.created_at:%Y-%m-%d %H:%M} (entry #{row.seq})"
        if row.public_key != ours:
            raise ValueError(f"{label} is signed with another key")
        checkpoint = published(
            {"statement": row.statement, "signature": row.signature, "public_key": ours}
        )
        if (checkpoint.seq, checkpoint.entry_hash) != (row.seq, row.entry_hash):
            raise ValueError(f"{label}: its columns differ from its signed statement")
        if row.timestamp_token:
            try:
                timestamps.by_name(row.timestamp_provider).verify(
                    timestamps.decode(row.timestamp_token), row.statement.encode()
                )
            except (timestamps.TimestampInvalid, KeyError, ValueError) as exc:
                raise ValueError(f"{label}: its timestamp does not hold ({exc})") from None
        found.append(checkpoint)
    return found


def verify_chain(
    batch_size: int = 5000, extra_checkpoints: Iterable[Published] = ()
) -> ChainReport:
    """Recompute every link in order and compare the chain with every checkpoint (the
    stored ones and `extra_checkpoints`, e.g. copies taken from the public pages); report
    the first entry whose link is broken or from which the checkpoints no longer hold."""
    try:
        checkpoints = stored_checkpoints()
    except ValueError as exc:
        return ChainReport(False, 0, None, str(exc))
    checkpoints = sorted([*checkpoints, *extra_checkpoints], key=lambda c: c.seq)
    wanted: dict[int, list[Published]] = {}
    for checkpoint in checkpoints:
        wanted.setdefault(checkpoint.seq, []).append(checkpoint)
    keys = chain_keys()
    expected_prev = GENESIS_HASH
    expected_seq = 1
    checked = matched = 0
    last_matching = 0
    keyed = False
    for checkpoint in wanted.get(0, []):  # taken before the first entry
        if checkpoint.entry_hash != GENESIS_HASH:
            return ChainReport(False, 0, 1, "a checkpoint before the first entry does not hold")
        matched += 1
    rows = AuditEntry.objects.order_by("seq").values(
        *HASHED_FIELDS, "prev_hash", "entry_hash", "hash_scheme"
    )
    for row in rows.iterator(chunk_size=batch_size):
        seq = row["seq"]
        if seq != expected_seq:
            return ChainReport(False, checked, expected_seq, f"entry #{expected_seq} is missing")
        if row["prev_hash"] != expected_prev:
            return ChainReport(False, checked, seq, "prev_hash does not match the previous entry")
        scheme = row["hash_scheme"]
        if scheme:
            key = keys.for_scheme(scheme)
            if key is None:
                return ChainReport(False, checked, seq, f"keyed with an unknown key ({scheme})")
            keyed = True
        elif keyed:
            return ChainReport(False, checked, seq, "an unkeyed entry after keyed ones")
        else:
            key = None
        if entry_hash(row["prev_hash"], row, key) != row["entry_hash"]:
            return ChainReport(False, checked, seq, "content does not match its hash")
        for checkpoint in wanted.get(seq, []):
            if checkpoint.entry_hash != row["entry_hash"]:
                return ChainReport(
                    False,
                    checked,
                    last_matching + 1,
                    f"the checkpoint of {checkpoint.created_at} ({checkpoint.reason}) says "
                    f"entry #{seq} was {checkpoint.entry_hash[:16]}…; entries from "
                    f"#{last_matching + 1} to #{seq} have been rewritten since",
                )
            matched += 1
            last_matching = seq
        expected_prev = row["entry_hash"]
        expected_seq += 1
        checked += 1
    beyond = [c for c in checkpoints if c.seq > checked]
    if beyond:
        return ChainReport(
            False,
            checked,
            checked + 1,
            f"the checkpoint of {beyond[0].created_at} covers entry #{beyond[0].seq}, but the "
            f"log ends at #{checked}: entries have been removed",
        )
    head = AuditChainHead.objects.filter(pk=1).first()
    if head is not None and (head.last_seq != checked or head.last_hash != expected_prev):
        return ChainReport(
            False, checked, checked + 1, "entries after the last one present have been removed"
        )
    return ChainReport(True, checked, checkpoints=matched)
