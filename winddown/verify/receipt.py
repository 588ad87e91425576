"""A lender's check: is the ballot behind my receipt in the published log, and is it final?"""

from __future__ import annotations

import os
import re
from typing import Any

from winddown.merkle import MerkleLog, get_algorithm, inclusion_ranges, verify_inclusion
from winddown.merkle.hashing import LEAF_PREFIX

from .bundle import (
    iter_blocks,
    iter_line_batches,
    member_names,
    open_bundle,
    read_manifest_member,
)
from .spec import (
    BALLOTS_NAME,
    MANIFEST_NAME,
    UnreadableBundle,
    check_commitments,
    parse_manifest,
)

_RECEIPT = re.compile(r"[A-Z2-7]{16}")


class ReceiptNotFound(LookupError):
    """No entry of the ballot log carries this receipt."""


def normalize_receipt(code: str) -> str:
    """Upper-case the code and drop spaces and hyphens (``abcd-efgh ...``).
    Raises ValueError if it is not 16 base32 characters."""
    text = re.sub(r"[\s\-]", "", code).upper()
    if not _RECEIPT.fullmatch(text):
        raise ValueError(
            f"回执码应为 16 位字母（A-Z）和数字（2-7），实为 {code!r} / a receipt is 16 characters "
            f"A-Z and 2-7, got {code!r}"
        )
    return text


def _hits(lines: list[bytes], needle: bytes, field: int, value: bytes) -> list[int]:
    """Indexes of the lines whose ``field`` (0-based CSV column) equals ``value``."""
    joined = b"\n".join(lines)
    out: list[int] = []
    pos = joined.find(needle)
    while pos >= 0:
        i = joined.count(b"\n", 0, pos)
        parts = lines[i].split(b",")
        if len(parts) > field and parts[field] == value and (not out or out[-1] != i):
            out.append(i)
        pos = joined.find(needle, pos + 1)
    return out


class _RightRanges:
    """Roots of consecutive leaf ranges ``[s, e)`` fed leaf by leaf from ``start``."""

    def __init__(self, ranges: list[tuple[int, int]], alg: str, start: int) -> None:
        self.ranges = ranges
        self.logs = [MerkleLog(alg) for _ in ranges]
        self.i = 0
        self.pos = start

    def feed(self, leaves: list[bytes]) -> None:
        k = 0
        while k < len(leaves) and self.i < len(self.ranges):
            _s, e = self.ranges[self.i]
            take = min(e - self.pos, len(leaves) - k)
            self.logs[self.i].extend(leaves[k : k + take])
            k += take
            self.pos += take
            if self.pos == e:
                self.i += 1

    def roots(self) -> dict[tuple[int, int], bytes] | None:
        if self.i < len(self.ranges):
            return None  # the file ended early
        return {r: log.root() for r, log in zip(self.ranges, self.logs, strict=True)}


def inclusion_proof_for_receipt(path: str | os.PathLike[str], receipt: str) -> dict[str, Any]:
    """Find the entry with ``receipt`` and prove it is in the published tree.

    Returns ``receipt``, ``seq``, ``index`` (0-based leaf index), ``line``
    (the CSV line), ``voter``, ``leaf_hash``, ``proof`` (hex, RFC 6962 audit
    path), ``size`` and ``root`` (the manifest's ``merkle``), ``hash_alg``,
    ``verified`` (the proof checks against that root), ``final`` (no later
    entry of the same voter: this ballot is the one counted),
    ``superseded_by_later`` (the opposite), ``duplicate`` (another entry
    carries the same receipt; it should never happen) and ``entries``.

    Raises :class:`ReceiptNotFound`, ValueError for a malformed code,
    :class:`~winddown.verify.UnreadableBundle` or
    :class:`~winddown.verify.ManifestError` for a bundle that cannot be read.
    """
    code = normalize_receipt(receipt).encode()
    with open_bundle(path) as zf:
        names = member_names(zf)
        for name in (MANIFEST_NAME, BALLOTS_NAME):
            if name not in names:
                raise UnreadableBundle(f"缺少 {name} / no {name} in the bundle")
        doc = read_manifest_member(zf)
        spec = parse_manifest(doc)
        check_commitments(doc, spec)
        alg = spec.hash_alg
        new = get_algorithm(alg).new
        size = doc["merkle"]["size"]
        root = bytes.fromhex(doc["merkle"]["root"])
        needle = b"," + code + b","

        left = MerkleLog(alg)
        right: _RightRanges | None = None
        index: int | None = None
        line = voter = b""
        voter_needle = b""
        later = duplicate = False
        base = 0
        header = True
        with zf.open(BALLOTS_NAME) as fp:
            for lines, _terminated in iter_line_batches(iter_blocks(fp)):
                if header:
                    header = False
                    lines = lines[1:]
                leaves = [new(LEAF_PREFIX + x).digest() for x in lines]
                if index is None:
                    hits = _hits(lines, needle, 2, code)
                    if not hits:
                        left.extend(leaves)
                    else:
                        j = hits[0]
                        duplicate = len(hits) > 1
                        index = base + j
                        line = lines[j]
                        voter = line.split(b",")[1]
                        voter_needle = b"," + voter + b","
                        left.extend(leaves[:j])
                        if index < size:
                            wanted = [r for r in inclusion_ranges(index, size) if r[0] > index]
                            right = _RightRanges(sorted(wanted), alg, index + 1)
                            right.feed(leaves[j + 1 :])
                        later = bool(_hits(lines[j + 1 :], voter_needle, 1, voter))
                else:
                    if right is not None:
                        right.feed(leaves)
                    duplicate = duplicate or bool(_hits(lines, needle, 2, code))
                    later = later or bool(_hits(lines, voter_needle, 1, voter))
                base += len(lines)

    if index is None:
        raise ReceiptNotFound(
            f"结果包中没有回执码为 {code.decode()} 的选票 / no ballot with receipt {code.decode()} "
            "in this bundle"
        )
    leaf = new(LEAF_PREFIX + line).digest()
    proof: list[bytes] = []
    verified = False
    roots = right.roots() if right is not None else None
    if roots is not None:
        known = {(s, e): h for s, e, h in left.compact_range()}
        known.update(roots)
        proof = [known[r] for r in inclusion_ranges(index, size)]
        verified = verify_inclusion(leaf, index, size, proof, root, alg)
    seq_field = line.split(b",")[0]
    return {
        "receipt": code.decode(),
        "seq": int(seq_field) if seq_field.isdigit() else None,
        "index": index,
        "line": line.decode("utf-8", "replace"),
        "voter": voter.decode("utf-8", "replace"),
        "leaf_hash": leaf.hex(),
        "proof": [p.hex() for p in proof],
        "size": size,
        "root": root.hex(),
        "hash_alg": alg,
        "verified": verified,
        "final": not later,
        "superseded_by_later": later,
        "duplicate": duplicate,
        "entries": base,
    }
