"""A Merkle tree on disk, so that an inclusion proof reads O(log n) nodes, not n leaves.

The file holds every *complete* subtree of an RFC 6962 tree of ``size`` leaves (RFC 9162
§2.1.1): level 0 is the leaf hashes, level ``k`` node ``j`` is MTH(D[j·2^k : (j+1)·2^k]),
for every ``j < size >> k``. Records are fixed-size digests, levels one after the other, so a
node is one ``pread`` at a computed offset::

    header   96 bytes: b"WDMTREE1", size (8 bytes, big-endian), hash name (16 bytes,
             NUL-padded), root (the digest, NUL-padded to 64 bytes)
    level 0  size digests
    level 1  size >> 1 digests
    ...      up to level size.bit_length() - 1 (one node)

A range that is not a complete subtree (the right edge of a tree whose size is not a power
of two) is the fold of the complete, aligned subtrees its binary decomposition splits it
into (:func:`range_nodes`, :func:`fold`), exactly as MTH splits at the largest power of two.
So an audit path is at most about ``2·log2(size)`` reads. About ``2·size`` digests in all
(64 MB for a million SHA-256 leaves).

Nothing read from the file is trusted: a proof built from it is to be checked with
:func:`winddown.merkle.verify_inclusion` against a root published elsewhere. The writer
refuses (:class:`TreeFileMismatch`) leaves that do not give the expected size and root.

Pure: standard library only, no Django.
"""

from __future__ import annotations

import os
import struct
from collections.abc import Sequence
from pathlib import Path
from types import TracebackType

from .hashing import NODE_PREFIX, get_algorithm
from .tree import inclusion_ranges

__all__ = [
    "HEADER_SIZE",
    "TreeFile",
    "TreeFileError",
    "TreeFileMismatch",
    "TreeFileWriter",
    "fold",
    "level_offset",
    "proof_nodes",
    "range_nodes",
]

MAGIC = b"WDMTREE1"
_HEADER = struct.Struct(">8sQ16s64s")
HEADER_SIZE = _HEADER.size  # 96
_FLUSH_BYTES = 1 << 20


class TreeFileError(ValueError):
    """The file is not a tree file, or is truncated."""


class TreeFileMismatch(ValueError):
    """The leaves given to the writer do not give the size and root it was told to expect."""


def level_offset(size: int, level: int, digest_size: int) -> int:
    """Byte offset of the first node of ``level`` in the file of a tree of ``size`` leaves."""
    return HEADER_SIZE + digest_size * sum(size >> k for k in range(level))


def file_length(size: int, digest_size: int) -> int:
    return level_offset(size, max(size.bit_length(), 0), digest_size)


def range_nodes(start: int, end: int) -> list[tuple[int, int]]:
    """The complete subtrees ``(level, index)`` that make up the leaf range ``[start, end)``,
    left to right: the largest power of two that fits, then the rest. Every range of an
    RFC 6962 audit path (``inclusion_ranges``) decomposes this way into aligned subtrees;
    ValueError for a range that does not (it is no subtree of any RFC 6962 tree)."""
    if not 0 <= start < end:
        raise ValueError(f"empty or negative range [{start}, {end})")
    out: list[tuple[int, int]] = []
    lo = start
    while lo < end:
        level = (end - lo).bit_length() - 1
        width = 1 << level
        if lo % width:
            raise ValueError(f"[{start}, {end}) is not a subtree range (at {lo}, width {width})")
        out.append((level, lo >> level))
        lo += width
    return out


def proof_nodes(index: int, size: int) -> list[list[tuple[int, int]]]:
    """For each hash of the audit path of leaf ``index`` (RFC 6962 §2.1.1, bottom up), the
    complete subtrees to fold into it."""
    return [range_nodes(s, e) for s, e in inclusion_ranges(index, size)]


def fold(hashes: Sequence[bytes], alg: str = "sha256") -> bytes:
    """MTH of consecutive subtrees given by their roots, largest (leftmost) first, as
    MerkleLog folds its frontier: right to left."""
    if not hashes:
        raise ValueError("nothing to fold")
    new = get_algorithm(alg).new
    r = bytes(hashes[-1])
    for h in reversed(hashes[:-1]):
        r = new(NODE_PREFIX + h + r).digest()
    return r


class TreeFileWriter:
    """Write the tree file of ``size`` leaves fed in order with :meth:`add`; memory is
    O(log size) plus a 1 MiB buffer per level. The file appears (atomically, by rename) only
    when :meth:`close` finds exactly ``size`` leaves whose root is ``expected_root``;
    otherwise it raises :class:`TreeFileMismatch` and leaves nothing behind."""

    def __init__(
        self, path: str | os.PathLike[str], *, size: int, expected_root: bytes, alg: str = "sha256"
    ) -> None:
        self._alg = get_algorithm(alg)
        if type(size) is not int or size < 0:
            raise ValueError(f"size must be a non-negative int, got {size!r}")
        if len(expected_root) != self._alg.digest_size:
            raise ValueError(f"root must be {self._alg.digest_size} bytes")
        self.path = Path(path)
        self.size = size
        self.expected_root = bytes(expected_root)
        self._partial = self.path.with_name(self.path.name + ".part")
        self._fd = os.open(self._partial, os.O_RDWR | os.O_CREAT | os.O_TRUNC, 0o640)
        ds = self._alg.digest_size
        levels = size.bit_length()
        self._offsets = [level_offset(size, k, ds) for k in range(levels)]
        self._written = [0] * levels  # nodes flushed per level
        self._buffers = [bytearray() for _ in range(levels)]
        self._stack: list[tuple[int, bytes]] = []  # (level, hash): the frontier
        self._count = 0
        self._closed = False

    def add(self, leaf_hashes: Sequence[bytes]) -> None:
        """Append leaf hashes (``leaf_hash(line)``), in leaf order."""
        ds = self._alg.digest_size
        new = self._alg.new
        stack, buffers = self._stack, self._buffers
        if self._count + len(leaf_hashes) > self.size:
            self._abort()
            raise TreeFileMismatch(f"more than the {self.size} leaves expected")
        for leaf in leaf_hashes:
            if len(leaf) != ds:
                self._abort()
                raise TreeFileMismatch(f"leaf {self._count} is not a {ds}-byte hash")
            h, level = bytes(leaf), 0
            buffers[0] += h
            while stack and stack[-1][0] == level:
                h = new(NODE_PREFIX + stack.pop()[1] + h).digest()
                level += 1
                buffers[level] += h
            stack.append((level, h))
            self._count += 1
        for level, buffer in enumerate(buffers):
            if len(buffer) >= _FLUSH_BYTES:
                self._flush(level)

    def _flush(self, level: int) -> None:
        buffer = self._buffers[level]
        if buffer:
            ds = self._alg.digest_size
            os.pwrite(self._fd, buffer, self._offsets[level] + self._written[level] * ds)
            self._written[level] += len(buffer) // ds
            buffer.clear()

    def root(self) -> bytes:
        if not self._stack:
            return self._alg.new(b"").digest()
        return fold([h for _, h in self._stack], self._alg.name)

    def _abort(self) -> None:
        if not self._closed:
            self._closed = True
            os.close(self._fd)
            self._partial.unlink(missing_ok=True)

    def close(self) -> Path:
        if self._closed:
            raise ValueError("the writer is closed")
        if self._count != self.size:
            self._abort()
            raise TreeFileMismatch(f"{self._count} leaves, expected {self.size}")
        got = self.root()
        if got != self.expected_root:
            self._abort()
            raise TreeFileMismatch(
                f"the leaves give root {got.hex()}, expected {self.expected_root.hex()}"
            )
        for level in range(len(self._buffers)):
            self._flush(level)
        name = self._alg.name.encode()
        os.pwrite(self._fd, _HEADER.pack(MAGIC, self.size, name, self.expected_root), 0)
        os.fsync(self._fd)
        os.close(self._fd)
        self._closed = True
        os.replace(self._partial, self.path)
        return self.path

    def __enter__(self) -> TreeFileWriter:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if exc_type is None:
            self.close()
        else:
            self._abort()


class TreeFile:
    """A tree file opened for reading: :meth:`node`, :meth:`inclusion_proof`. Raises
    :class:`TreeFileError` for a file that is not one or has the wrong length."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)
        self._fd = os.open(self.path, os.O_RDONLY)
        try:
            header = os.pread(self._fd, HEADER_SIZE, 0)
            if len(header) != HEADER_SIZE:
                raise TreeFileError(f"{self.path.name}: no header")
            magic, size, name, root = _HEADER.unpack(header)
            if magic != MAGIC:
                raise TreeFileError(f"{self.path.name}: not a tree file")
            try:
                self._alg = get_algorithm(name.rstrip(b"\0").decode("ascii"))
            except (UnicodeDecodeError, ValueError, KeyError) as exc:
                raise TreeFileError(f"{self.path.name}: unknown hash {name!r}") from exc
            self.size = size
            self.root = root[: self._alg.digest_size]
            expected = file_length(size, self._alg.digest_size)
            if os.fstat(self._fd).st_size != expected:
                raise TreeFileError(f"{self.path.name}: length is not {expected} bytes")
        except BaseException:
            os.close(self._fd)
            raise
        self.reads = 0  # nodes read so far (the benches and tests count them)

    @property
    def alg(self) -> str:
        return self._alg.name

    def node(self, level: int, index: int) -> bytes:
        """MTH of leaves ``[index·2^level, (index+1)·2^level)``."""
        if level < 0 or not 0 <= index < self.size >> level:
            raise IndexError(f"no node ({level}, {index}) in a tree of {self.size}")
        ds = self._alg.digest_size
        self.reads += 1
        data = os.pread(self._fd, ds, level_offset(self.size, level, ds) + index * ds)
        if len(data) != ds:
            raise TreeFileError(f"{self.path.name}: truncated")
        return data

    def leaf(self, index: int) -> bytes:
        return self.node(0, index)

    def range_root(self, start: int, end: int) -> bytes:
        return fold([self.node(lv, i) for lv, i in range_nodes(start, end)], self.alg)

    def inclusion_proof(self, index: int) -> list[bytes]:
        """The audit path of leaf ``index`` (as ``inclusion_proof``), O(log size) reads."""
        return [self.range_root(s, e) for s, e in inclusion_ranges(index, self.size)]

    def close(self) -> None:
        if self._fd >= 0:
            os.close(self._fd)
            self._fd = -1

    def __enter__(self) -> TreeFile:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
