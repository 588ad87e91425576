"""Receipt lookups: the proof of inclusion, final or superseded."""

from __future__ import annotations

import io

import pytest

from winddown.merkle import leaf_hash, verify_inclusion
from winddown.verify import (
    ReceiptNotFound,
    inclusion_proof_for_receipt,
    normalize_receipt,
)
from winddown.verify import bundle as bundle_module
from winddown.verify.cli import main

from .helpers import (
    RESOLUTION_ENTRIES,
    build,
    make_log,
    members,
    receipt,
    replace_field,
    resolution_manifest,
    tamper,
)


@pytest.fixture
def resolution(tmp_path):
    return build(tmp_path / "resolution.zip", resolution_manifest(), make_log(RESOLUTION_ENTRIES))


def run(*args) -> tuple[int, str]:
    out = io.StringIO()
    return main([str(a) for a in args], out=out), out.getvalue()


def test_every_receipt_has_a_valid_proof(tmp_path, monkeypatch):
    monkeypatch.setattr(bundle_module, "READ_BLOCK", 53)  # receipts in every batch position
    entries = RESOLUTION_ENTRIES * 3
    lines = make_log(entries)
    path = build(tmp_path / "b.zip", resolution_manifest(), lines)
    manifest, raw = members(path)
    last_seq = {}
    for x in lines:
        last_seq[x.voter] = x.seq
    for x in lines:
        info = inclusion_proof_for_receipt(path, x.receipt)
        assert info["seq"] == x.seq and info["index"] == x.seq - 1
        assert info["line"] == x.to_line()
        assert info["leaf_hash"] == leaf_hash(raw[x.seq - 1]).hex()
        assert info["verified"], x
        assert info["final"] == (last_seq[x.voter] == x.seq)
        assert info["superseded_by_later"] == (not info["final"])
        assert not info["duplicate"]
        assert info["root"] == manifest["merkle"]["root"]
        assert info["size"] == len(lines) == info["entries"]
        assert verify_inclusion(
            bytes.fromhex(info["leaf_hash"]),
            info["index"],
            info["size"],
            [bytes.fromhex(h) for h in info["proof"]],
            bytes.fromhex(info["root"]),
        )


def test_cli_final_receipt(resolution):
    final = receipt(9)  # v6's only ballot
    code, text = run(resolution, "--receipt", final.lower()[:8] + "-" + final.lower()[8:])
    assert code == 0, text
    assert "VALID" in text and "final ballot, counted" in text
    assert make_log(RESOLUTION_ENTRIES)[8].to_line() in text


def test_cli_superseded_receipt(resolution):
    code, text = run(resolution, "--receipt", receipt(1))  # v1 changed at seq 5
    assert code == 1, text
    assert "VALID" in text  # the old entry is still in the log
    assert "superseded by a later ballot of the same voter" in text
    assert "已被同一出借人之后的选票取代" in text
    assert receipt(5) not in text  # the replacing receipt is not shown


def test_cli_receipt_json(resolution):
    import json

    code, text = run(resolution, "--receipt", receipt(11), "--json")
    assert code == 0
    info = json.loads(text)
    assert info["final"] and info["verified"] and info["seq"] == 11


def test_unknown_and_malformed_receipts(resolution):
    with pytest.raises(ReceiptNotFound):
        inclusion_proof_for_receipt(resolution, "A" * 16)
    code, text = run(resolution, "--receipt", "A" * 16)
    assert code == 1 and "no ballot with receipt" in text
    with pytest.raises(ValueError):
        normalize_receipt("not-a-receipt-1")
    assert run(resolution, "--receipt", "0000")[0] == 2
    assert normalize_receipt(" abcd efgh-ijkl mnop ") == "ABCDEFGHIJKLMNOP"


def test_receipt_in_a_tampered_log_does_not_verify(resolution, tmp_path):
    def vote_no(lines):
        lines[8] = replace_field(lines[8], 3, "no")
        return lines

    bad = tamper(resolution, tmp_path / "bad.zip", vote_no)
    info = inclusion_proof_for_receipt(bad, receipt(9))
    assert not info["verified"]
    code, text = run(bad, "--receipt", receipt(9))
    assert code == 1 and "INVALID" in text
    # untouched entries of the tampered log do not verify either: a sibling changed
    assert not inclusion_proof_for_receipt(bad, receipt(10))["verified"]


def test_duplicate_receipt_is_flagged(resolution, tmp_path):
    def reuse(lines):
        lines[6] = replace_field(lines[6], 2, receipt(9))
        return lines

    bad = tamper(resolution, tmp_path / "bad.zip", reuse, fix_merkle=True)
    info = inclusion_proof_for_receipt(bad, receipt(9))
    assert info["duplicate"] and info["seq"] == 7
    assert run(bad, "--receipt", receipt(9))[0] == 1


def test_short_file_cannot_prove(resolution, tmp_path):
    bad = tamper(resolution, tmp_path / "bad.zip", lambda lines: lines[:-2])
    info = inclusion_proof_for_receipt(bad, receipt(2))
    assert not info["verified"] and info["proof"] == []
