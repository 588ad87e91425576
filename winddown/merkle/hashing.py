"""Hash algorithms for the Merkle tree: SHA-256 and SM3 (GB/T 32905-2016).

An algorithm is used through its ``new(data) -> object with .digest()``
constructor, so the tight loops of :mod:`winddown.merkle.tree` can call it
without an extra Python-level wrapper for SHA-256.

SM3 comes from OpenSSL through :mod:`hashlib` when the interpreter's OpenSSL
provides it, and otherwise from the ``cryptography`` package (same algorithm,
a slower per-call path). A test checks that both give identical digests.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

LEAF_PREFIX = b"\x00"
NODE_PREFIX = b"\x01"


class _Digest(Protocol):
    def digest(self) -> bytes: ...


@dataclass(frozen=True)
class Algorithm:
    """A hash function: its name, digest size and ``new(data)`` constructor."""

    name: str
    digest_size: int
    new: Callable[[bytes], _Digest]

    def hash(self, data: bytes) -> bytes:
        return self.new(data).digest()


class _CryptographySM3:
    """``hashlib``-shaped wrapper around ``cryptography``'s SM3."""

    __slots__ = ("_digest",)

    def __init__(self, data: bytes = b"") -> None:
        from cryptography.hazmat.primitives import hashes

        h = hashes.Hash(hashes.SM3())
        h.update(data)
        self._digest = h.finalize()

    def digest(self) -> bytes:
        return self._digest


def _openssl_sm3() -> Callable[[bytes], _Digest] | None:
    try:
        template = hashlib.new("sm3")
    except ValueError:
        return None
    if template.digest_size != 32:  # pragma: no cover - defensive
        return None
    copy = template.copy

    def new(data: bytes = b"") -> _Digest:
        h = copy()
        h.update(data)
        return h

    return new


SHA256 = Algorithm("sha256", 32, hashlib.sha256)
SM3 = Algorithm("sm3", 32, _openssl_sm3() or _CryptographySM3)
SM3_CRYPTOGRAPHY = Algorithm("sm3", 32, _CryptographySM3)

ALGORITHMS: dict[str, Algorithm] = {"sha256": SHA256, "sm3": SM3}


def get_algorithm(alg: str | Algorithm) -> Algorithm:
    """The :class:`Algorithm` named ``alg`` (``"sha256"`` or ``"sm3"``)."""
    if isinstance(alg, Algorithm):
        return alg
    try:
        return ALGORITHMS[alg]
    except (KeyError, TypeError):
        raise ValueError(
            f"未知的哈希算法 {alg!r}（可选 sha256、sm3） / unknown hash algorithm {alg!r} "
            "(sha256 or sm3)"
        ) from None
