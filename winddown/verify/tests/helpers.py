"""Builders for bundles in tests: events, ballot logs, and tampering."""

from __future__ import annotations

import base64
import copy
import hashlib
import json
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from winddown.merkle import leaf_hashes, root
from winddown.verify import FORMAT, BallotLine, declare, write_bundle

EVENT = {
    "id": 12,
    "institution": "网贷机构A",
    "title": "网贷机构A良性退出方案表决",
    "opens_at": "2026-12-01T01:00:00Z",
    "closes_at": "2026-12-15T01:00:00Z",
}


def voter(i: int) -> str:
    return hashlib.sha256(b"voter:%d" % i).hexdigest()[:32]


def receipt(seq: int, salt: str = "") -> str:
    digest = hashlib.sha256(f"receipt:{salt}:{seq}".encode()).digest()
    return base64.b32encode(digest[:10]).decode()


def resolution_manifest(
    heads: int = 10, weight_fen: int = 100_000, rule: str = "p2p-exit", **extra: Any
) -> dict[str, Any]:
    return {
        "format": FORMAT,
        "event": {**EVENT, "kind": "resolution"},
        "rule": {"id": rule, "params": {}},
        "electorate": {"heads": heads, "weight_fen": weight_fen},
        "resolution": {"options": ["yes", "no", "abstain"]},
        "hash_alg": "sha256",
        **extra,
    }


CANDIDATES = {"c1": "王小进", "c2": "张小英", "c3": "陈小刚", "c4": "汪小亮"}


def election_manifest(
    heads: int = 10, weight_fen: int = 100_000, seats: int = 2, max_choices: int = 2, **extra: Any
) -> dict[str, Any]:
    return {
        "format": FORMAT,
        "event": {**EVENT, "kind": "election", "title": "选举监委会成员"},
        "rule": {"id": "p2p-exit", "params": {}},
        "electorate": {"heads": heads, "weight_fen": weight_fen},
        "election": {"seats": seats, "max_choices": max_choices, "candidates": dict(CANDIDATES)},
        "hash_alg": "sha256",
        **extra,
    }


def make_log(entries: list[tuple[int, str, int]], start_minute: int = 60) -> list[BallotLine]:
    """``(voter number, choice, weight_fen)`` in log order -> BallotLines."""
    lines = []
    for seq, (v, choice, weight) in enumerate(entries, start=1):
        minute = start_minute + seq
        cast_at = f"2026-12-0{1 + minute // 1440}T{minute // 60 % 24:02d}:{minute % 60:02d}:07Z"
        lines.append(BallotLine(seq, voter(v), receipt(seq), choice, weight, cast_at))
    return lines


# Six lenders; three change their minds. Final: v1 yes, v2 yes, v3 yes, v4 no,
# v5 abstain, v6 yes -> yes 4 heads / 63,000 fen of 100,000: passes p2p-exit.
RESOLUTION_ENTRIES = [
    (1, "no", 30_000),
    (2, "yes", 20_000),
    (3, "yes", 10_000),
    (4, "yes", 5_000),
    (1, "yes", 30_000),
    (3, "no", 10_000),
    (5, "abstain", 5_000),
    (4, "abstain", 5_000),
    (6, "yes", 3_000),
    (4, "no", 5_000),
    (3, "yes", 10_000),
]

# Final: v1 c1+c2, v2 c1+c3, v3 c2, v4 c1+c4, v5 c2+c3 -> c1 (550.00 元) and c2
# (530.00 元) elected; c3 and c4 do not qualify.
ELECTION_ENTRIES = [
    (1, "c3", 30_000),
    (2, "c1+c3", 20_000),
    (1, "c1+c2", 30_000),
    (3, "c4", 15_000),
    (4, "c1+c4", 5_000),
    (3, "c2", 15_000),
    (5, "c2+c3", 8_000),
]


def build(path: Path, manifest: dict[str, Any], lines: list[BallotLine]) -> Path:
    doc = copy.deepcopy(manifest)
    doc["declared"] = declare(doc, lines)
    write_bundle(path, doc, lines)
    return path


def members(path: Path) -> tuple[dict[str, Any], list[bytes]]:
    with zipfile.ZipFile(path) as zf:
        manifest = json.loads(zf.read("manifest.json"))
        data = zf.read("ballots.csv")
    lines = data.split(b"\n")
    assert lines[0] == b"seq,voter,receipt,choice,weight_fen,cast_at" and lines[-1] == b""
    return manifest, lines[1:-1]


def write_raw(path: Path, manifest: dict[str, Any] | bytes, csv: bytes, **extra: bytes) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("ballots.csv", csv)
        body = manifest if isinstance(manifest, bytes) else json.dumps(manifest).encode()
        zf.writestr("manifest.json", body)
        for name, data in extra.items():
            zf.writestr(name, data)
    return path


def tamper(
    src: Path,
    dst: Path,
    lines: Callable[[list[bytes]], list[bytes]] | None = None,
    manifest: Callable[[dict[str, Any]], None] | None = None,
    *,
    fix_sha: bool = True,
    fix_merkle: bool = False,
    raw: Callable[[bytes], bytes] | None = None,
) -> Path:
    """Rewrite a bundle the way a forger would: change lines and/or the
    manifest, then (optionally) make the manifest's file hash, count and
    Merkle root agree with the new file."""
    doc, entries = members(src)
    if lines is not None:
        entries = lines(list(entries))
    csv = b"seq,voter,receipt,choice,weight_fen,cast_at\n" + b"".join(e + b"\n" for e in entries)
    if raw is not None:
        csv = raw(csv)
    if manifest is not None:
        manifest(doc)
    if fix_sha:
        doc["ballots"]["sha256"] = hashlib.sha256(csv).hexdigest()
    if fix_merkle:
        doc["ballots"]["count"] = doc["merkle"]["size"] = len(entries)
        doc["merkle"]["root"] = root(leaf_hashes(entries)).hex()
    return write_raw(dst, doc, csv)


def replace_field(line: bytes, index: int, value: str) -> bytes:
    parts = line.split(b",")
    parts[index] = value.encode()
    return b",".join(parts)
