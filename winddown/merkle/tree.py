"""RFC 6962 / RFC 9162 Merkle tree hash, inclusion and consistency proofs.

Definitions (RFC 9162 §2.1.1, unchanged from RFC 6962 §2.1), with ``H`` the
log's hash function and ``k`` the largest power of two smaller than ``n``::

    MTH({})        = H()                              empty tree
    MTH({d(0)})    = H(0x00 || d(0))                  leaf hash
    MTH(D[n])      = H(0x01 || MTH(D[0:k]) || MTH(D[k:n]))

Every function here takes *leaf hashes* (``leaf_hash(data)``), never the
leaf data, except :func:`leaf_hash` itself. ``alg`` is ``"sha256"`` (the
default) or ``"sm3"``.

The tree is computed level by level: pair neighbours, hash each pair, carry
an unpaired last node up unchanged. That gives exactly the recursive MTH
above (the split at the largest power of two is what makes the carried node
land where the recursion puts it); a property test checks it against the
recursive definition.
"""

from __future__ import annotations

import hmac
from collections.abc import Iterable, Sequence

from .hashing import LEAF_PREFIX, NODE_PREFIX, Algorithm, get_algorithm

__all__ = [
    "MerkleLog",
    "consistency_proof",
    "consistency_ranges",
    "empty_root",
    "inclusion_proof",
    "inclusion_ranges",
    "leaf_hash",
    "leaf_hashes",
    "node_hash",
    "root",
    "verify_consistency",
    "verify_inclusion",
]


def leaf_hash(data: bytes, alg: str = "sha256") -> bytes:
    """``H(0x00 || data)``."""
    return get_algorithm(alg).new(LEAF_PREFIX + bytes(data)).digest()


def leaf_hashes(items: Iterable[bytes], alg: str = "sha256") -> list[bytes]:
    """``[leaf_hash(d) for d in items]``, in one tight loop."""
    new = get_algorithm(alg).new
    return [new(LEAF_PREFIX + d).digest() for d in items]


def node_hash(left: bytes, right: bytes, alg: str = "sha256") -> bytes:
    """``H(0x01 || left || right)``."""
    return get_algorithm(alg).new(NODE_PREFIX + bytes(left) + bytes(right)).digest()


def empty_root(alg: str = "sha256") -> bytes:
    """The root of the empty tree, ``H()`` (no prefix)."""
    return get_algorithm(alg).new(b"").digest()


def _check_hashes(hashes: Sequence[bytes], a: Algorithm, what: str) -> None:
    sizes = set(map(len, hashes))
    if sizes and sizes != {a.digest_size}:
        raise ValueError(
            f"{what} 须为 {a.digest_size} 字节的哈希 / {what} must be {a.digest_size}-byte hashes "
            f"({a.name}), got lengths {sorted(sizes)[:5]}"
        )


def _up(level: Sequence[bytes], new) -> list[bytes]:
    """One level up: hash neighbouring pairs, carry an odd last node unchanged."""
    it = iter(level)
    upper = [new(NODE_PREFIX + a + b).digest() for a, b in zip(it, it, strict=False)]
    if len(level) & 1:
        upper.append(level[-1])
    return upper


def _root(level: Sequence[bytes], a: Algorithm) -> bytes:
    if not level:
        return a.new(b"").digest()
    new = a.new
    while len(level) > 1:
        level = _up(level, new)
    return bytes(level[0])


def root(leaf_hashes: Sequence[bytes], alg: str = "sha256") -> bytes:
    """MTH over ``leaf_hashes`` (RFC 6962 §2.1); the empty tree gives ``H()``."""
    a = get_algorithm(alg)
    _check_hashes(leaf_hashes, a, "leaf_hashes")
    return _root(leaf_hashes, a)


def _largest_power_of_two_below(n: int) -> int:
    """The largest power of two strictly smaller than ``n`` (``n >= 2``)."""
    return 1 << ((n - 1).bit_length() - 1)


def _check_int(value: object, name: str) -> int:
    if type(value) is not int:
        raise TypeError(f"{name} must be an int, not {type(value).__name__}")
    return value


def inclusion_ranges(index: int, size: int) -> list[tuple[int, int]]:
    """The leaf ranges ``[start, end)`` whose subtree hashes form the
    inclusion proof (RFC 6962 §2.1.1 PATH) of leaf ``index`` in a tree of
    ``size`` leaves, in proof order (from the leaf's sibling up to the root's
    child). They partition ``[0, size)`` minus ``index``.
    """
    _check_int(index, "index")
    _check_int(size, "size")
    if not 0 <= index < size:
        raise ValueError(f"index {index} is outside a tree of {size} leaves")
    top_down: list[tuple[int, int]] = []
    lo, hi = 0, size
    while hi - lo > 1:
        k = _largest_power_of_two_below(hi - lo)
        if index < lo + k:
            top_down.append((lo + k, hi))
            hi = lo + k
        else:
            top_down.append((lo, lo + k))
            lo += k
    top_down.reverse()
    return top_down


def inclusion_proof(leaf_hashes: Sequence[bytes], index: int, alg: str = "sha256") -> list[bytes]:
    """The audit path of leaf ``index`` in the tree over ``leaf_hashes``."""
    a = get_algorithm(alg)
    _check_hashes(leaf_hashes, a, "leaf_hashes")
    return [_root(leaf_hashes[s:e], a) for s, e in inclusion_ranges(index, len(leaf_hashes))]


def _valid_hash(value: object, size: int) -> bool:
    return isinstance(value, bytes | bytearray) and len(value) == size


def verify_inclusion(
    leaf_hash: bytes,
    index: int,
    tree_size: int,
    proof: Sequence[bytes],
    root: bytes,
    alg: str = "sha256",
) -> bool:
    """Check an inclusion proof (RFC 9162 §2.1.3.2). Never raises for bad
    proofs: a wrong index, size, leaf, path element or root gives False."""
    a = get_algorithm(alg)
    ds = a.digest_size
    if type(index) is not int or type(tree_size) is not int or not 0 <= index < tree_size:
        return False
    if not _valid_hash(leaf_hash, ds) or not _valid_hash(root, ds):
        return False
    if not all(_valid_hash(p, ds) for p in proof):
        return False
    new = a.new
    fn, sn = index, tree_size - 1
    r = bytes(leaf_hash)
    for p in proof:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            r = new(NODE_PREFIX + p + r).digest()
            if not fn & 1:
                while fn and not fn & 1:
                    fn >>= 1
                    sn >>= 1
        else:
            r = new(NODE_PREFIX + r + p).digest()
        fn >>= 1
        sn >>= 1
    return sn == 0 and hmac.compare_digest(r, bytes(root))


def consistency_ranges(old_size: int, new_size: int) -> list[tuple[int, int]]:
    """The leaf ranges whose subtree hashes form the consistency proof
    (RFC 9162 §2.1.4.1 SUBPROOF) from ``old_size`` to ``new_size``, in proof
    order. Empty when ``old_size`` is 0 or equals ``new_size``."""
    _check_int(old_size, "old_size")
    _check_int(new_size, "new_size")
    if not 0 <= old_size <= new_size:
        raise ValueError(f"need 0 <= old_size <= new_size, got {old_size}, {new_size}")
    if old_size in (0, new_size):
        return []
    top_down: list[tuple[int, int]] = []
    lo, hi, m, complete = 0, new_size, old_size, True
    while True:
        n = hi - lo
        if m == n:
            if not complete:
                top_down.append((lo, hi))
            break
        k = _largest_power_of_two_below(n)
        if m <= k:
            top_down.append((lo + k, hi))
            hi = lo + k
        else:
            top_down.append((lo, lo + k))
            lo += k
            m -= k
            complete = False
    top_down.reverse()
    return top_down


def consistency_proof(
    leaf_hashes: Sequence[bytes], old_size: int, alg: str = "sha256"
) -> list[bytes]:
    """Proof that the tree of the first ``old_size`` leaves is a prefix of
    the tree over all ``leaf_hashes``."""
    a = get_algorithm(alg)
    _check_hashes(leaf_hashes, a, "leaf_hashes")
    return [_root(leaf_hashes[s:e], a) for s, e in consistency_ranges(old_size, len(leaf_hashes))]


def verify_consistency(
    old_size: int,
    new_size: int,
    old_root: bytes,
    new_root: bytes,
    proof: Sequence[bytes],
    alg: str = "sha256",
) -> bool:
    """Check a consistency proof (RFC 9162 §2.1.4.2).

    As in the reference implementation (transparency-dev/merkle): equal
    sizes need an empty proof and equal roots; the empty tree is consistent
    with any tree (empty proof); a smaller new tree is never consistent.
    """
    a = get_algorithm(alg)
    ds = a.digest_size
    if type(old_size) is not int or type(new_size) is not int:
        return False
    if not 0 <= old_size <= new_size:
        return False
    if not all(_valid_hash(p, ds) for p in proof):
        return False
    if old_size == new_size:
        return (
            not proof
            and _valid_hash(old_root, ds)
            and hmac.compare_digest(bytes(old_root), bytes(new_root))
        )
    if old_size == 0:
        return not proof
    if not proof or not _valid_hash(old_root, ds) or not _valid_hash(new_root, ds):
        return False
    path = [bytes(p) for p in proof]
    if old_size & (old_size - 1) == 0:
        path.insert(0, bytes(old_root))
    new = a.new
    fn, sn = old_size - 1, new_size - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr = new(NODE_PREFIX + c + fr).digest()
            sr = new(NODE_PREFIX + c + sr).digest()
            if not fn & 1:
                while fn and not fn & 1:
                    fn >>= 1
                    sn >>= 1
        else:
            sr = new(NODE_PREFIX + sr + c).digest()
        fn >>= 1
        sn >>= 1
    return (
        sn == 0
        and hmac.compare_digest(fr, bytes(old_root))
        and hmac.compare_digest(sr, bytes(new_root))
    )


class MerkleLog:
    """An append-only log that knows its root at any size, in O(log n) memory.

    It keeps the *compact range* of the log: the roots of the perfect
    subtrees that the binary decomposition of ``size`` splits the leaves
    into, left to right (``size = 13 = 8 + 4 + 1`` -> three hashes). Appending
    a leaf merges equal-sized subtrees like a binary counter; :meth:`root`
    folds them right to left. :meth:`extend` hashes whole aligned blocks
    level by level, so feeding a million leaves costs about as much as
    :func:`root`.

    To keep a running root across processes, store ``size`` and
    ``frontier`` and rebuild with :meth:`restore`.
    """

    __slots__ = ("_alg", "_hashes", "_size")

    def __init__(self, alg: str = "sha256") -> None:
        self._alg = get_algorithm(alg)
        self._size = 0
        self._hashes: list[bytes] = []

    @classmethod
    def restore(cls, size: int, frontier: Sequence[bytes], alg: str = "sha256") -> MerkleLog:
        """A log of ``size`` leaves from its saved :attr:`frontier`."""
        log = cls(alg)
        _check_int(size, "size")
        if size < 0 or len(frontier) != size.bit_count():
            raise ValueError(
                f"a log of {size} leaves has {max(size, 0).bit_count()} frontier hashes, "
                f"got {len(frontier)}"
            )
        _check_hashes(frontier, log._alg, "frontier")
        log._size = size
        log._hashes = [bytes(h) for h in frontier]
        return log

    @property
    def alg(self) -> str:
        return self._alg.name

    @property
    def size(self) -> int:
        """Number of leaves appended."""
        return self._size

    def __len__(self) -> int:
        return self._size

    @property
    def frontier(self) -> tuple[bytes, ...]:
        """The compact range's subtree roots, left (largest) to right."""
        return tuple(self._hashes)

    def compact_range(self) -> list[tuple[int, int, bytes]]:
        """``(start, end, subtree root)`` for each frontier subtree, left to right."""
        out = []
        start = 0
        bits = [1 << i for i in range(self._size.bit_length() - 1, -1, -1) if self._size >> i & 1]
        for width, h in zip(bits, self._hashes, strict=True):
            out.append((start, start + width, h))
            start += width
        return out

    def _push(self, h: bytes, width: int) -> None:
        """Add the root of a perfect subtree of ``width`` leaves; ``size``
        must be a multiple of ``width``."""
        new = self._alg.new
        units = self._size // width
        hashes = self._hashes
        while units & 1:
            h = new(NODE_PREFIX + hashes.pop() + h).digest()
            units >>= 1
        hashes.append(h)
        self._size += width

    def append(self, leaf_hash: bytes) -> None:
        """Append one leaf hash (``leaf_hash(data)``, not the data)."""
        if not _valid_hash(leaf_hash, self._alg.digest_size):
            raise ValueError(f"leaf hash must be {self._alg.digest_size} bytes")
        self._push(bytes(leaf_hash), 1)

    def extend(self, leaf_hashes: Sequence[bytes]) -> None:
        """Append many leaf hashes, hashing aligned blocks level by level."""
        a = self._alg
        _check_hashes(leaf_hashes, a, "leaf_hashes")
        new = a.new
        i, total = 0, len(leaf_hashes)
        while i < total:
            width = 1 << ((total - i).bit_length() - 1)
            if self._size:
                width = min(width, self._size & -self._size)
            level = leaf_hashes[i : i + width]
            while len(level) > 1:
                level = _up(level, new)
            self._push(bytes(level[0]), width)
            i += width

    def root(self) -> bytes:
        """MTH of the leaves appended so far."""
        hashes = self._hashes
        if not hashes:
            return self._alg.new(b"").digest()
        new = self._alg.new
        r = hashes[-1]
        for h in reversed(hashes[:-1]):
            r = new(NODE_PREFIX + h + r).digest()
        return r
