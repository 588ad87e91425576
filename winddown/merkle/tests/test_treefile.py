"""The tree file against the in-memory definitions: the same audit path as
`inclusion_proof` for every leaf of every size, O(log n) node reads, aligned subtree
decompositions of every audit range, and a writer that refuses leaves not giving the
expected root or size."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from winddown.merkle import inclusion_proof, inclusion_ranges, leaf_hash, root, verify_inclusion
from winddown.merkle.treefile import (
    HEADER_SIZE,
    TreeFile,
    TreeFileError,
    TreeFileMismatch,
    TreeFileWriter,
    fold,
    proof_nodes,
    range_nodes,
)


def _leaves(n: int, salt: int = 0, alg: str = "sha256") -> list[bytes]:
    return [leaf_hash(b"%d:%d" % (salt, i), alg) for i in range(n)]


def _write(folder: Path, leaves: list[bytes], alg: str = "sha256", chunk: int = 7) -> Path:
    path = folder / "t.tree"
    with TreeFileWriter(path, size=len(leaves), expected_root=root(leaves, alg), alg=alg) as w:
        for i in range(0, len(leaves), chunk):
            w.add(leaves[i : i + chunk])
    return path


@settings(max_examples=60, deadline=None)
@given(size=st.integers(1, 300), salt=st.integers(0, 5), chunk=st.integers(1, 64))
def test_every_audit_path_from_the_file_is_the_in_memory_one(size, salt, chunk):
    leaves = _leaves(size, salt)
    with (
        tempfile.TemporaryDirectory() as folder,
        TreeFile(_write(Path(folder), leaves, chunk=chunk)) as tree,
    ):
        assert (tree.size, tree.root, tree.alg) == (size, root(leaves), "sha256")
        bound = 2 * size.bit_length()
        for index in range(size):
            before = tree.reads
            path = tree.inclusion_proof(index)
            assert path == inclusion_proof(leaves, index)
            assert tree.reads - before <= bound  # O(log n) reads, never a scan
            assert tree.leaf(index) == leaves[index]
            assert verify_inclusion(leaves[index], index, size, path, root(leaves))


@settings(max_examples=200, deadline=None)
@given(data=st.data())
def test_audit_ranges_split_into_aligned_complete_subtrees(data):
    size = data.draw(st.integers(1, 1 << 40))
    index = data.draw(st.integers(0, size - 1))
    for (start, end), nodes in zip(
        inclusion_ranges(index, size), proof_nodes(index, size), strict=True
    ):
        covered = start
        levels = [level for level, _ in nodes]
        assert levels == sorted(levels, reverse=True) and len(set(levels)) == len(levels)
        for level, node in nodes:
            assert node << level == covered  # aligned, consecutive
            assert (node + 1) << level <= size  # a complete subtree of this tree
            covered += 1 << level
        assert covered == end


@given(n=st.integers(1, 64))
def test_folding_subtree_roots_is_mth(n):
    leaves = _leaves(n)
    nodes = range_nodes(0, n)
    parts = [root(leaves[i << lv : (i + 1) << lv]) for lv, i in nodes]
    assert fold(parts) == root(leaves)


def test_unaligned_ranges_are_refused():
    with pytest.raises(ValueError):
        range_nodes(1, 3)  # no RFC 6962 subtree starts at 1 with width 2


def test_sm3_trees_work_the_same(tmp_path):
    leaves = _leaves(37, alg="sm3")
    with TreeFile(_write(tmp_path, leaves, alg="sm3")) as tree:
        assert tree.alg == "sm3"
        assert tree.inclusion_proof(20) == inclusion_proof(leaves, 20, "sm3")


def test_the_writer_refuses_a_wrong_root_or_count_and_leaves_nothing(tmp_path):
    leaves = _leaves(10)
    path = tmp_path / "t.tree"
    for size, expected, fed in (
        (10, root(leaves[:9] + leaves[:1]), leaves),  # another root
        (10, root(leaves), leaves[:9]),  # too few
        (9, root(leaves), leaves),  # too many
    ):
        writer = TreeFileWriter(path, size=size, expected_root=expected)
        with pytest.raises(TreeFileMismatch):
            writer.add(fed)
            writer.close()
    assert list(tmp_path.iterdir()) == []


def test_a_tampered_node_gives_a_proof_that_does_not_verify(tmp_path):
    leaves = _leaves(100)
    path = _write(tmp_path, leaves)
    data = bytearray(path.read_bytes())
    data[HEADER_SIZE + 32 * 100 + 5] ^= 1  # a byte of level 1, node 0 (leaves 0 and 1)
    path.write_bytes(bytes(data))
    with TreeFile(path) as tree:
        proof = tree.inclusion_proof(3)  # its path includes node (1, 0)
        assert not verify_inclusion(leaves[3], 3, 100, proof, root(leaves))


def test_truncated_or_foreign_files_are_refused(tmp_path):
    path = _write(tmp_path, _leaves(20))
    path.write_bytes(path.read_bytes()[:-1])
    with pytest.raises(TreeFileError):
        TreeFile(path)
    path.write_bytes(b"not a tree" * 20)
    with pytest.raises(TreeFileError):
        TreeFile(path)
