"""Merkle trees as in RFC 6962 / RFC 9162 (Certificate Transparency): pure Python, no Django.

>>> from winddown.merkle import leaf_hash, root, inclusion_proof, verify_inclusion
>>> leaves = [leaf_hash(b) for b in (b"a", b"b", b"c")]
>>> r = root(leaves)
>>> verify_inclusion(leaves[2], 2, 3, inclusion_proof(leaves, 2), r)
True

``alg`` is ``"sha256"`` (default) or ``"sm3"``. See README.md in this directory.
"""

from .hashing import ALGORITHMS, Algorithm, get_algorithm
from .tree import (
    MerkleLog,
    consistency_proof,
    consistency_ranges,
    empty_root,
    inclusion_proof,
    inclusion_ranges,
    leaf_hash,
    leaf_hashes,
    node_hash,
    root,
    verify_consistency,
    verify_inclusion,
)

__all__ = [
    "ALGORITHMS",
    "Algorithm",
    "MerkleLog",
    "consistency_proof",
    "consistency_ranges",
    "empty_root",
    "get_algorithm",
    "inclusion_proof",
    "inclusion_ranges",
    "leaf_hash",
    "leaf_hashes",
    "node_hash",
    "root",
    "verify_consistency",
    "verify_inclusion",
]
