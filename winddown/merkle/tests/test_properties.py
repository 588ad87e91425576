"""Property tests: the level-by-level tree against the recursive definition,
proofs for every leaf and every prefix, tampering always detected, the
incremental log always agreeing with the batch root."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from winddown.merkle import (
    MerkleLog,
    consistency_proof,
    consistency_ranges,
    inclusion_proof,
    inclusion_ranges,
    leaf_hash,
    root,
    verify_consistency,
    verify_inclusion,
)

REPO = Path(__file__).resolve().parents[3]


def _leaves(n: int, salt: int = 0) -> list[bytes]:
    return [leaf_hash(b"%d:%d" % (salt, i)) for i in range(n)]


def _k(n: int) -> int:
    k = 1
    while k * 2 < n:
        k *= 2
    return k


def ref_mth(d: list[bytes]) -> bytes:
    """RFC 6962 §2.1, written as the recursion in the RFC."""
    n = len(d)
    if n == 0:
        return hashlib.sha256(b"").digest()
    if n == 1:
        return d[0]
    k = _k(n)
    return hashlib.sha256(b"\x01" + ref_mth(d[:k]) + ref_mth(d[k:])).digest()


def ref_path(m: int, d: list[bytes]) -> list[bytes]:
    """RFC 6962 §2.1.1 PATH(m, D[n])."""
    n = len(d)
    if n == 1:
        return []
    k = _k(n)
    if m < k:
        return [*ref_path(m, d[:k]), ref_mth(d[k:])]
    return [*ref_path(m - k, d[k:]), ref_mth(d[:k])]


def ref_subproof(m: int, d: list[bytes], b: bool) -> list[bytes]:
    """RFC 6962 §2.1.2 SUBPROOF(m, D[n], b)."""
    n = len(d)
    if m == n:
        return [] if b else [ref_mth(d)]
    k = _k(n)
    if m <= k:
        return [*ref_subproof(m, d[:k], b), ref_mth(d[k:])]
    return [*ref_subproof(m - k, d[k:], False), ref_mth(d[:k])]


def _directions(index: int, size: int) -> list[bool]:
    """For each audit path element: is the sibling on the right?"""
    return [start > index for start, _end in inclusion_ranges(index, size)]


def _flip(b: bytes, i: int = 0) -> bytes:
    return b[:i] + bytes([b[i] ^ 1]) + b[i + 1 :]


@settings(max_examples=150, deadline=None)
@given(st.integers(0, 300), st.integers(0, 2**32))
def test_iterative_root_equals_recursive_definition(n, salt):
    d = _leaves(n, salt)
    assert root(d) == ref_mth(d)


@pytest.mark.parametrize("n", range(1, 70))
def test_every_inclusion_proof_verifies(n):
    d = _leaves(n)
    r = root(d)
    for i in range(n):
        proof = inclusion_proof(d, i)
        assert proof == ref_path(i, d)
        assert verify_inclusion(d[i], i, n, proof, r)
        assert len(inclusion_ranges(i, n)) == len(proof)


@settings(max_examples=200, deadline=None)
@given(st.data())
def test_tampering_with_an_inclusion_proof_fails(data):
    n = data.draw(st.integers(1, 300), label="size")
    i = data.draw(st.integers(0, n - 1), label="index")
    d = _leaves(n, n)
    r = root(d)
    proof = inclusion_proof(d, i)
    assert verify_inclusion(d[i], i, n, proof, r)
    byte = data.draw(st.integers(0, 31), label="byte")
    # a flipped byte in the leaf, the root or any proof element
    assert not verify_inclusion(_flip(d[i], byte), i, n, proof, r)
    assert not verify_inclusion(d[i], i, n, proof, _flip(r, byte))
    for j in range(len(proof)):
        bad = list(proof)
        bad[j] = _flip(bad[j], byte)
        assert not verify_inclusion(d[i], i, n, bad, r)
    # another leaf's hash, a wrong index, a wrong size
    if n > 1:
        other = data.draw(st.integers(0, n - 1).filter(lambda x: x != i), label="other")
        assert not verify_inclusion(d[other], i, n, proof, r)
        assert not verify_inclusion(d[i], other, n, proof, r)
    # A wrong size fails, except where it gives the audit path the very same
    # shape (index 0 of 65 leaves and of 66: seven right siblings each). Then
    # the proof cannot tell the sizes apart and the root must: a published
    # root commits to its size, and the root of 66 leaves is another hash.
    assert not verify_inclusion(d[i], i, n * 2, proof, r)
    assert not verify_inclusion(d[i], i, n // 2, proof, r)
    wrong_size = data.draw(st.integers(1, 600).filter(lambda x: x != n), label="wrong_size")
    same_shape = wrong_size > i and _directions(i, wrong_size) == _directions(i, n)
    assert verify_inclusion(d[i], i, wrong_size, proof, r) == same_shape
    # a missing or an extra element
    if proof:
        assert not verify_inclusion(d[i], i, n, proof[:-1], r)
    assert not verify_inclusion(d[i], i, n, [*proof, r], r)


@pytest.mark.parametrize("n", range(1, 40))
def test_every_consistency_proof_verifies(n):
    d = _leaves(n, 7)
    r = root(d)
    for m in range(0, n + 1):
        proof = consistency_proof(d, m)
        if 0 < m < n:
            assert proof == ref_subproof(m, d, True)
        else:
            assert proof == []
        assert len(consistency_ranges(m, n)) == len(proof)
        assert verify_consistency(m, n, root(d[:m]), r, proof)


@settings(max_examples=200, deadline=None)
@given(st.data())
def test_tampering_with_a_consistency_proof_fails(data):
    n = data.draw(st.integers(2, 300), label="new size")
    m = data.draw(st.integers(1, n - 1), label="old size")
    d = _leaves(n, n + 1)
    r1, r2 = root(d[:m]), root(d)
    proof = consistency_proof(d, m)
    assert verify_consistency(m, n, r1, r2, proof)
    byte = data.draw(st.integers(0, 31), label="byte")
    assert not verify_consistency(m, n, _flip(r1, byte), r2, proof)
    assert not verify_consistency(m, n, r1, _flip(r2, byte), proof)
    for j in range(len(proof)):
        bad = list(proof)
        bad[j] = _flip(bad[j], byte)
        assert not verify_consistency(m, n, r1, r2, bad)
    # a log that rewrote history: same sizes, one old leaf changed
    changed = list(d)
    k = data.draw(st.integers(0, m - 1), label="rewritten leaf")
    changed[k] = _flip(changed[k], byte)
    assert not verify_consistency(m, n, r1, root(changed), consistency_proof(changed, m))


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 300), st.lists(st.integers(1, 80), max_size=8))
def test_merkle_log_agrees_with_root(n, cuts):
    d = _leaves(n, 3)
    log = MerkleLog()
    assert log.root() == root([])
    for i, h in enumerate(d):
        log.append(h)
        assert log.size == i + 1
        assert log.root() == root(d[: i + 1])
    # extend() in arbitrary pieces gives the same root and frontier
    pieces = MerkleLog()
    at = 0
    for c in cuts:
        pieces.extend(d[at : at + c])
        at = min(n, at + c)
        assert pieces.root() == root(d[:at])
    pieces.extend(d[at:])
    assert pieces.size == n
    assert pieces.root() == log.root()
    assert pieces.frontier == log.frontier
    # the frontier is exactly the compact range: perfect subtrees of the size's bits
    start = 0
    for s, e, h in log.compact_range():
        assert s == start and (e - s) & (e - s - 1) == 0
        assert h == root(d[s:e])
        start = e
    assert start == n
    restored = MerkleLog.restore(log.size, log.frontier)
    extra = _leaves(5, 99)
    restored.extend(extra)
    assert restored.root() == root(d + extra)


def test_merkle_log_restore_refuses_a_wrong_frontier():
    with pytest.raises(ValueError):
        MerkleLog.restore(3, [b"\x00" * 32])
    with pytest.raises(ValueError):
        MerkleLog.restore(1, [b"short"])
    with pytest.raises(ValueError):
        MerkleLog().append(b"short")


def test_sm3_properties():
    d = [leaf_hash(b"%d" % i, "sm3") for i in range(37)]
    r = root(d, "sm3")
    log = MerkleLog("sm3")
    log.extend(d)
    assert log.root() == r
    assert log.alg == "sm3"
    for i in range(37):
        assert verify_inclusion(d[i], i, 37, inclusion_proof(d, i, "sm3"), r, "sm3")
    for m in range(38):
        assert verify_consistency(
            m, 37, root(d[:m], "sm3"), r, consistency_proof(d, m, "sm3"), "sm3"
        )
