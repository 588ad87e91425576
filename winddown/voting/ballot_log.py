"""The ballot log: each ballot (and each change) is one line of the published CSV and one
leaf of an RFC 6962 Merkle tree. `BallotLog` keeps the running root so closing an event
costs nothing extra, and the bundle writer recomputes it from the lines to cross-check."""

from __future__ import annotations

import base64
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime

from winddown.merkle import MerkleLog, leaf_hash
from winddown.verify import BallotLine, iso_utc
from winddown.voting.models import VotingEvent

HASH_ALG = "sha256"


def voter_pseudonym(event: VotingEvent, id_index: str) -> str:
    """Stable within one event, unlinkable across events and to the identity."""
    return hmac.digest(bytes.fromhex(event.voter_key), id_index.encode(), "sha256").hex()[:32]


def new_receipt() -> str:
    return base64.b32encode(secrets.token_bytes(10)).decode()  # 16 characters, no padding


def ballot_line(
    *, seq: int, voter: str, receipt: str, choice: str, weight_fen: int, cast_at: datetime
) -> str:
    return BallotLine(seq, voter, receipt, choice, weight_fen, iso_utc(cast_at)).to_line()


@dataclass(frozen=True)
class Appended:
    """The log head after one more line: what `BallotLog` stores, and the line's leaf."""

    size: int
    frontier: list[str]  # hex digests, largest subtree first
    root: str
    leaf: str


def append(size: int, frontier: list[str], line: str) -> Appended:
    """Add one line's leaf to the log head of `size` entries with `frontier`."""
    leaf = leaf_hash(line.encode(), HASH_ALG)
    merkle = MerkleLog.restore(size, [bytes.fromhex(h) for h in frontier], HASH_ALG)
    merkle.append(leaf)
    return Appended(
        size=merkle.size,
        frontier=[h.hex() for h in merkle.frontier],
        root=merkle.root().hex(),
        leaf=leaf.hex(),
    )


# The root of a log with no entries (RFC 6962 2.1: the hash of the empty string), which the
# verifier computes for an event nobody voted in.
EMPTY_ROOT = MerkleLog(HASH_ALG).root().hex()
