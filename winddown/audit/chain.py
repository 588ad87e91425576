"""Hashing of audit entries (pure: no database access).

An entry's hash covers the previous entry's hash and its own canonical content, keyed with
HMAC-SHA256 (scheme "hmac-sha256:<key id>"): without the key, kept outside the database,
nobody can recompute the chain after editing a row. Entries written before the chain was
keyed carry the scheme "" (plain SHA-256); none may follow a keyed one (audit/verify.py).
"""

import hashlib
import hmac
import json
from datetime import UTC, datetime
from typing import Any

GENESIS_HASH = "0" * 64

HASHED_FIELDS = (
    "seq",
    "created_at",
    "actor_id",
    "actor_label",
    "action",
    "object_type",
    "object_id",
    "institution_id",
    "source_ip",
    "before",
    "after",
)


def canonical_created_at(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def entry_hash(prev_hash: str, fields: dict[str, Any], key: bytes | None) -> str:
    """HMAC-SHA256 with `key` (plain SHA-256 for the entries before the keyed chain: `key`
    None) over the previous hash and the canonical JSON of the entry's fields."""
    content = {name: fields[name] for name in HASHED_FIELDS}
    content["created_at"] = canonical_created_at(content["created_at"])
    payload = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    message = f"{prev_hash}\n{payload}".encode()
    if key is None:
        return hashlib.sha256(message).hexdigest()
    return hmac.new(key, message, hashlib.sha256).hexdigest()
