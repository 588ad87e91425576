"""Checkpoint statements: what is signed, timestamped and published about the chain's head.

A statement is canonical JSON of the head's sequence number and hash, the time and the
reason; it is signed with the platform's checkpoint key (Ed25519; the public key is
published) and timestamped by an outside authority (audit/timestamps.py). Anyone holding a
copy of a statement (from the public checkpoint page or a result page) can later check that
the log still contains exactly that entry at that place: `manage.py verify_audit
--checkpoint FILE`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from cryptography.exceptions import InvalidSignature

from winddown.audit import keys

FORMAT = "winddown-audit-checkpoint-1"


def statement_text(*, seq: int, entry_hash: str, created_at: str, reason: str) -> str:
    body = {
        "format": FORMAT,
        "seq": seq,
        "entry_hash": entry_hash,
        "created_at": created_at,
        "reason": reason,
    }
    return json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def sign(statement: str) -> str:
    return keys.signing_key().sign(statement.encode()).hex()


@dataclass(frozen=True)
class Published:
    """A checkpoint as published: its statement, signature and public key."""

    seq: int
    entry_hash: str
    created_at: str
    reason: str
    statement: str
    signature: str
    public_key: str


def published(data: dict[str, Any]) -> Published:
    """Read a published checkpoint (the JSON the public page offers), checking that its
    signature is valid under its public key. Raises ValueError."""
    try:
        statement, signature, public_key = data["statement"], data["signature"], data["public_key"]
        body = json.loads(statement)
        if body.get("format") != FORMAT:
            raise ValueError("not a Winddown audit checkpoint")
        keys.public_key(public_key).verify(bytes.fromhex(signature), statement.encode())
        return Published(
            int(body["seq"]),
            str(body["entry_hash"]),
            str(body["created_at"]),
            str(body["reason"]),
            statement,
            signature,
            public_key,
        )
    except InvalidSignature:
        raise ValueError("the signature does not match the statement") from None
    except (KeyError, TypeError, AttributeError) as exc:
        raise ValueError(f"incomplete checkpoint ({exc})") from None
