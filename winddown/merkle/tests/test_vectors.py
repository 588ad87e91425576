"""Known-answer tests: the RFC 6962 vectors published with Certificate
Transparency's reference code (transparency-dev/merkle ``proof/verify_test.go``,
Google trillian), SM3 vectors from GB/T 32905-2016."""

from __future__ import annotations

import hashlib

import pytest

from winddown.merkle import (
    consistency_proof,
    empty_root,
    get_algorithm,
    inclusion_proof,
    leaf_hash,
    node_hash,
    root,
    verify_consistency,
    verify_inclusion,
)
from winddown.merkle.hashing import SM3_CRYPTOGRAPHY, _openssl_sm3

DATA = [
    bytes.fromhex(h)
    for h in (
        "",
        "00",
        "10",
        "2021",
        "3031",
        "40414243",
        "5051525354555657",
        "606162636465666768696a6b6c6d6e6f",
    )
]
LEAVES = [leaf_hash(d) for d in DATA]
# ROOTS[n] = MTH of the first n leaves.
ROOTS = [
    bytes.fromhex(h)
    for h in (
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
        "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
        "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
        "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
        "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
        "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
    )
]


def h(*hexes: str) -> list[bytes]:
    return [bytes.fromhex(x) for x in hexes]


# (index, size, proof); the reference file numbers leaves from 1.
INCLUSION = [
    (
        0,
        8,
        h(
            "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
        ),
    ),
    (
        5,
        8,
        h(
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
            "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        ),
    ),
    (2, 3, h("fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125")),
    (
        1,
        5,
        h(
            "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
        ),
    ),
]

# (old size, new size, proof)
CONSISTENCY = [
    (
        1,
        8,
        h(
            "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
        ),
    ),
    (
        6,
        8,
        h(
            "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
            "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        ),
    ),
    (
        2,
        5,
        h(
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
        ),
    ),
    (
        6,
        7,
        h(
            "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
            "b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        ),
    ),
]

SOME_HASH = bytes.fromhex("abacaba000000000000000000000000000000000000000000060061e00123456")


def test_leaf_and_node_prefixes():
    assert leaf_hash(b"") == ROOTS[1]
    assert leaf_hash(b"") == hashlib.sha256(b"\x00").digest()
    assert node_hash(LEAVES[0], LEAVES[1]) == ROOTS[2]
    assert (
        node_hash(b"L" * 32, b"R" * 32) == hashlib.sha256(b"\x01" + b"L" * 32 + b"R" * 32).digest()
    )


@pytest.mark.parametrize("n", range(9))
def test_published_roots(n):
    assert root(LEAVES[:n]) == ROOTS[n]


def test_empty_tree_is_the_hash_of_nothing():
    assert empty_root() == ROOTS[0] == root([])


@pytest.mark.parametrize(("index", "size", "proof"), INCLUSION)
def test_published_inclusion_proofs(index, size, proof):
    assert inclusion_proof(LEAVES[:size], index) == proof
    assert verify_inclusion(LEAVES[index], index, size, proof, ROOTS[size])


def _corrupt_inclusion(index, size, proof, root_, leaf):
    """The probes of the reference test suite (corruptInclusionProof)."""
    probes = [
        (index - 1, size, root_, leaf, proof),
        (index + 1, size, root_, leaf, proof),
        (index ^ 2, size, root_, leaf, proof),
        (index, size * 2, root_, leaf, proof),
        (index, size // 2, root_, leaf, proof),
        (index, size, root_, b"WrongLeaf", proof),
        (index, size, ROOTS[0], leaf, proof),
        (index, size, SOME_HASH, leaf, proof),
        (index, size, root_, leaf, [*proof, b""]),
        (index, size, root_, leaf, [*proof, root_]),
        (index, size, root_, leaf, [b"", *proof]),
        (index, size, root_, leaf, [root_, *proof]),
    ]
    for i in range(len(proof)):
        wrong = list(proof)
        wrong[i] = bytes([wrong[i][0] ^ 8]) + wrong[i][1:]
        probes.append((index, size, root_, leaf, wrong))
    if proof:
        probes.append((index, size, root_, leaf, proof[:-1]))
    if len(proof) > 1:
        probes.append((index, size, root_, leaf, [proof[0], SOME_HASH, *proof[1:]]))
    return probes


@pytest.mark.parametrize(("index", "size", "proof"), INCLUSION)
def test_corrupted_inclusion_proofs_fail(index, size, proof):
    for probe in _corrupt_inclusion(index, size, proof, ROOTS[size], LEAVES[index]):
        i, n, r, leaf, p = probe
        assert not verify_inclusion(leaf, i, n, p, r), probe


def test_single_leaf_tree():
    leaf = leaf_hash(b"data")
    assert verify_inclusion(leaf, 0, 1, [], leaf)
    assert not verify_inclusion(leaf, 0, 1, [], b"")
    assert not verify_inclusion(b"", 0, 1, [], leaf)
    for index, size in ((0, 0), (1, 0), (2, 1)):
        assert not verify_inclusion(SOME_HASH, index, size, [], ROOTS[0])


@pytest.mark.parametrize(("old", "new", "proof"), CONSISTENCY)
def test_published_consistency_proofs(old, new, proof):
    assert consistency_proof(LEAVES[:new], old) == proof
    assert verify_consistency(old, new, ROOTS[old], ROOTS[new], proof)


@pytest.mark.parametrize(("old", "new", "proof"), CONSISTENCY)
def test_corrupted_consistency_proofs_fail(old, new, proof):
    r1, r2 = ROOTS[old], ROOTS[new]
    probes = [
        (old - 1, new, r1, r2, proof),
        (old + 1, new, r1, r2, proof),
        (old ^ 2, new, r1, r2, proof),
        (old, new * 2, r1, r2, proof),
        (old, new // 2, r1, r2, proof),
        (old, new, b"WrongRoot", r2, proof),
        (old, new, r1, b"WrongRoot", proof),
        (old, new, r2, r1, proof),
        (old, new, r1, r2, []),
        (old, new, r1, r2, [*proof, b""]),
        (old, new, r1, r2, [*proof, r1]),
        (old, new, r1, r2, [*proof, r2]),
        (old, new, r1, r2, [b"", *proof]),
        (old, new, r1, r2, [r1, *proof]),
        (old, new, r1, r2, [r2, *proof]),
        (old, new, r1, r2, [proof[0], *proof]),
        (old, new, r1, r2, proof[:-1]),
    ]
    for i in range(len(proof)):
        wrong = list(proof)
        wrong[i] = bytes([wrong[i][0] ^ 16]) + wrong[i][1:]
        probes.append((old, new, r1, r2, wrong))
    for probe in probes:
        assert not verify_consistency(*probe), probe


def test_consistency_edge_cases():
    a, b = b"\x01" * 32, b"\x02" * 32
    assert not verify_consistency(0, 0, a, b, [])
    assert not verify_consistency(1, 1, a, b, [])
    assert verify_consistency(0, 0, a, a, [])
    assert verify_consistency(0, 1, a, b, [])
    assert verify_consistency(1, 1, b, b, [])
    assert not verify_consistency(1, 0, a, b, [])
    assert not verify_consistency(2, 1, a, b, [])
    assert not verify_consistency(1, 2, a, b, [])
    assert not verify_consistency(0, 0, ROOTS[0], ROOTS[0], [ROOTS[0]])
    assert not verify_consistency(0, 1, ROOTS[0], ROOTS[0], [ROOTS[0]])
    assert not verify_consistency(1, 1, ROOTS[0], ROOTS[0], [ROOTS[0]])


# SM3 (GB/T 32905-2016, appendix A): "abc" and "abcd" x 16.
SM3_VECTORS = [
    (b"abc", "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"),
    (b"abcd" * 16, "debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732"),
]


@pytest.mark.parametrize(("data", "digest"), SM3_VECTORS)
def test_sm3_known_answers(data, digest):
    assert get_algorithm("sm3").hash(data).hex() == digest
    assert SM3_CRYPTOGRAPHY.hash(data).hex() == digest


def test_sm3_openssl_and_cryptography_agree():
    openssl = _openssl_sm3()
    for data in (b"", b"\x00", b"\x01" + bytes(range(64)), bytes(1000)):
        expected = SM3_CRYPTOGRAPHY.hash(data)
        if openssl is not None:
            assert openssl(data).digest() == expected
        assert get_algorithm("sm3").hash(data) == expected


def test_sm3_tree():
    leaves = [leaf_hash(d, "sm3") for d in DATA]
    assert leaves[0] == SM3_CRYPTOGRAPHY.hash(b"\x00")
    assert leaves[0] != LEAVES[0]
    r = root(leaves, "sm3")
    expected = SM3_CRYPTOGRAPHY.hash(
        b"\x01"
        + SM3_CRYPTOGRAPHY.hash(
            b"\x01"
            + SM3_CRYPTOGRAPHY.hash(b"\x01" + leaves[0] + leaves[1])
            + SM3_CRYPTOGRAPHY.hash(b"\x01" + leaves[2] + leaves[3])
        )
        + SM3_CRYPTOGRAPHY.hash(
            b"\x01"
            + SM3_CRYPTOGRAPHY.hash(b"\x01" + leaves[4] + leaves[5])
            + SM3_CRYPTOGRAPHY.hash(b"\x01" + leaves[6] + leaves[7])
        )
    )
    assert r == expected
    for i in range(8):
        proof = inclusion_proof(leaves, i, "sm3")
        assert verify_inclusion(leaves[i], i, 8, proof, r, "sm3")
        assert not verify_inclusion(leaves[i], i, 8, proof, r, "sha256")
    assert verify_consistency(
        3, 8, root(leaves[:3], "sm3"), r, consistency_proof(leaves, 3, "sm3"), "sm3"
    )
    assert empty_root("sm3") == SM3_CRYPTOGRAPHY.hash(b"")


def test_unknown_algorithm_and_bad_input():
    with pytest.raises(ValueError, match="sha1"):
        leaf_hash(b"", "sha1")
    with pytest.raises(ValueError, match="32-byte"):
        root([b"short"])
    with pytest.raises(ValueError):
        inclusion_proof(LEAVES, 8)
    with pytest.raises(TypeError):
        inclusion_proof(LEAVES, True)
    assert not verify_inclusion(LEAVES[0], True, 8, INCLUSION[0][2], ROOTS[8])
    assert not verify_inclusion(LEAVES[0], -1, 8, INCLUSION[0][2], ROOTS[8])
