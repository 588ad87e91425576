"""The verifier's whole-batch fast path never accepts what the line-by-line
path refuses, and when both accept they count the same."""

from __future__ import annotations

from unittest import mock

from hypothesis import example, given, settings
from hypothesis import strategies as st

from winddown.verify import check as check_module
from winddown.verify import parse_manifest
from winddown.verify.check import _Scanner

from .helpers import (
    CANDIDATES,
    ELECTION_ENTRIES,
    RESOLUTION_ENTRIES,
    election_manifest,
    make_log,
    resolution_manifest,
)

INTERESTING = b"0123456789abcdefgxyzABCZ27,\n:-T.+_ \r\x00\xe4"
RES = [x.to_line().encode() for x in make_log(RESOLUTION_ENTRIES)]
ELE = [x.to_line().encode() for x in make_log(ELECTION_ENTRIES)]


def scanners(manifest):
    spec = parse_manifest(manifest)
    fast, slow = _Scanner(spec), _Scanner(spec)
    fast.header_seen = slow.header_seen = True
    return fast, slow


def check(manifest, lines):
    _check(manifest, lines)
    with mock.patch.object(check_module, "_SLICE", 3):  # several dict slices per batch
        _check(manifest, lines)


def _check(manifest, lines):
    segment = b"\n".join(lines)
    fast, slow = scanners(manifest)
    accepted = fast._fast(segment, segment.split(b"\n"))
    slow._slow(segment.split(b"\n"), True)
    if slow.problem is not None:
        assert not accepted, (lines, slow.problem)
    elif accepted:
        # choice ids are assigned in another order; compare what they name
        assert {v: fast.choice_keys[c] for v, c in fast.final.items()} == {
            v: slow.choice_keys[c] for v, c in slow.final.items()
        }
        assert fast.weight_of == slow.weight_of
        assert list(fast.final) == list(fast.weight_of)
        assert fast.weight_total == slow.weight_total
        assert fast.next_seq == slow.next_seq


@st.composite
def mutated(draw):
    election = draw(st.booleans())
    lines = list(ELE if election else RES)
    manifest = (
        election_manifest(
            heads=draw(st.integers(3, 10)), weight_fen=draw(st.integers(50_000, 10**6))
        )
        if election
        else resolution_manifest(
            heads=draw(st.integers(4, 10)), weight_fen=draw(st.integers(60_000, 10**6))
        )
    )
    for _ in range(draw(st.integers(1, 3))):
        i = draw(st.integers(0, len(lines) - 1))
        line = lines[i]
        op = draw(st.sampled_from(["set", "insert", "delete", "field", "swap", "move"]))
        if op in ("set", "insert", "delete") and line:
            pos = draw(st.integers(0, len(line) - 1))
            byte = bytes([draw(st.sampled_from(INTERESTING))])
            if op == "set":
                line = line[:pos] + byte + line[pos + 1 :]
            elif op == "insert":
                line = line[:pos] + byte + line[pos:]
            else:
                line = line[:pos] + line[pos + 1 :]
            lines[i] = line
        elif op == "field":
            parts = line.split(b",")
            k = draw(st.integers(0, len(parts) - 1))
            parts[k] = draw(
                st.sampled_from(
                    [
                        b"",
                        b"0",
                        b"01",
                        b"-1",
                        b"+1",
                        b" 1",
                        b"1_0",
                        b"99",
                        b"yes",
                        b"no",
                        b"c1+c2",
                        b"c2+c1",
                        b"c1+c1",
                        b"c9",
                        b"c1+c2+c3",
                        b"ABCDEFGHIJKLMNOP",
                        b"a" * 32,
                        b"A" * 32,
                        b"2026-12-01T24:00:00Z",
                        b"2026-12-02T10:60:00Z",
                        b"2026-12-31T10:00:00Z",
                        b"2026-02-30T10:00:00Z",
                        b"2026-12-02T10:00:00.5Z",
                        b"2026-12-01T01:00:00Z",
                        b"2026-12-15T01:00:00Z",
                        b"2026-12-15T00:59:59Z",
                        b"123456789012345678",
                        b"1234567890123456789",
                    ]
                )
            )
            lines[i] = b",".join(parts)
        elif op == "swap":
            j = draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
        elif i + 1 < len(lines):
            # move the first field of the next line onto the end of this one: the
            # comma-separated stream is unchanged, the lines are not
            head, _, rest = lines[i + 1].partition(b",")
            lines[i] = lines[i] + b"," + head
            lines[i + 1] = rest
    return manifest, lines


@settings(max_examples=600, deadline=None)
@given(mutated())
@example((resolution_manifest(), RES))
@example((election_manifest(), ELE))
def test_fast_path_is_never_laxer(case):
    manifest, lines = case
    check(manifest, lines)


def test_regrouped_fields_are_refused():
    """Seven fields on one line and five on the next read like two good
    records once the newline is ignored; the fast path must not be fooled."""
    lines = list(RES)
    head, _, rest = lines[3].partition(b",")
    lines[2] += b"," + head
    lines[3] = rest
    check(resolution_manifest(), lines)
    fast, _ = scanners(resolution_manifest())
    segment = b"\n".join(lines)
    assert not fast._fast(segment, segment.split(b"\n"))


def test_valid_batches_take_the_fast_path():
    for manifest, lines in ((resolution_manifest(), RES), (election_manifest(), ELE)):
        fast, _ = scanners(manifest)
        segment = b"\n".join(lines)
        assert fast._fast(segment, segment.split(b"\n"))
    assert set(CANDIDATES) == {"c1", "c2", "c3", "c4"}
