"""Writing bundles and verifying untouched ones."""

from __future__ import annotations

import hashlib
import zipfile

import pytest

from winddown.merkle import leaf_hashes, root
from winddown.verify import (
    BallotLine,
    ManifestError,
    UnreadableBundle,
    declare,
    iso_utc,
    read_manifest,
    verify_bundle,
    write_bundle,
)
from winddown.verify import bundle as bundle_module

from .helpers import (
    ELECTION_ENTRIES,
    RESOLUTION_ENTRIES,
    build,
    election_manifest,
    make_log,
    members,
    resolution_manifest,
)


@pytest.fixture
def resolution(tmp_path):
    return build(tmp_path / "resolution.zip", resolution_manifest(), make_log(RESOLUTION_ENTRIES))


@pytest.fixture
def election(tmp_path):
    return build(tmp_path / "election.zip", election_manifest(), make_log(ELECTION_ENTRIES))


def test_write_bundle_computes_hash_count_and_merkle_root(resolution):
    manifest, lines = members(resolution)
    with zipfile.ZipFile(resolution) as zf:
        assert sorted(zf.namelist()) == ["ballots.csv", "manifest.json"]
        data = zf.read("ballots.csv")
    assert manifest["format"] == "winddown-ballot-bundle/1"
    assert manifest["ballots"] == {
        "file": "ballots.csv",
        "count": len(RESOLUTION_ENTRIES),
        "sha256": hashlib.sha256(data).hexdigest(),
    }
    assert manifest["merkle"] == {"size": len(lines), "root": root(leaf_hashes(lines)).hex()}
    assert lines[0] == make_log(RESOLUTION_ENTRIES)[0].to_line().encode()
    assert read_manifest(resolution) == manifest
    assert list(manifest)[:3] == ["format", "event", "rule"]


def test_resolution_bundle_verifies(resolution):
    report = verify_bundle(resolution)
    assert report.ok, report.problems
    assert report.problem is None
    assert (report.entries, report.voters, report.changes) == (11, 6, 5)
    assert report.checked == {"entries": 11, "voters": 6, "changes": 5}
    assert report.tally == {
        "participation": {"heads": 6, "weight_fen": 73_000},
        "options": {
            "yes": {"heads": 4, "weight_fen": 63_000},
            "no": {"heads": 1, "weight_fen": 5_000},
            "abstain": {"heads": 1, "weight_fen": 5_000},
        },
    }
    assert report.result["passed"] is True
    assert report.to_json()["ok"] is True


def test_election_bundle_verifies(election):
    report = verify_bundle(election)
    assert report.ok, report.problems
    assert report.result["elected"] == ["王小进", "张小英"]
    assert report.tally["candidates"]["c1"] == {"heads": 3, "weight_fen": 55_000}
    assert report.tally["participation"] == {"heads": 5, "weight_fen": 78_000}


@pytest.mark.parametrize("jobs", [1, 2, -1])
def test_every_code_path_agrees(tmp_path, jobs, monkeypatch):
    """Two processes, one, and the line-by-line path, with tiny read blocks so
    lines straddle blocks and batches are many."""
    monkeypatch.setattr(bundle_module, "READ_BLOCK", 97)
    lines = make_log(RESOLUTION_ENTRIES * 20)
    lines = [
        BallotLine(i + 1, x.voter, x.receipt, x.choice, x.weight_fen, x.cast_at)
        for i, x in enumerate(lines)
    ]
    path = build(tmp_path / "b.zip", resolution_manifest(), lines)
    reference = verify_bundle(path, jobs=1)
    report = verify_bundle(path, jobs=jobs)
    assert report.ok, report.problems
    assert report.tally == reference.tally
    assert report.voters == reference.voters == 6
    assert report.merkle_root == reference.merkle_root
    assert report.entries == len(lines)


def test_sm3_bundle(tmp_path):
    path = build(
        tmp_path / "sm3.zip", resolution_manifest(hash_alg="sm3"), make_log(RESOLUTION_ENTRIES)
    )
    manifest, lines = members(path)
    assert manifest["merkle"]["root"] == root(leaf_hashes(lines, "sm3"), "sm3").hex()
    assert verify_bundle(path).ok


def test_empty_log_verifies(tmp_path):
    path = build(tmp_path / "empty.zip", resolution_manifest(), [])
    manifest, lines = members(path)
    assert lines == []
    assert manifest["merkle"]["root"] == hashlib.sha256(b"").hexdigest()
    report = verify_bundle(path)
    assert report.ok, report.problems
    assert report.result["passed"] is False
    assert report.result["reason_code"] == "no-ballots"


def test_write_bundle_refuses_bad_lines_and_leaves_no_file(tmp_path):
    doc = resolution_manifest()
    lines = make_log(RESOLUTION_ENTRIES)
    doc["declared"] = declare(doc, lines)
    target = tmp_path / "x.zip"
    gap = [lines[0], lines[2]]
    with pytest.raises(ValueError, match="expected 2, got 3"):
        write_bundle(target, doc, gap)
    bad = [BallotLine(1, "NOT-HEX", "A" * 16, "yes", 1, "2026-12-02T00:00:00Z")]
    with pytest.raises(ValueError, match="field voter"):
        write_bundle(target, doc, bad)
    assert list(tmp_path.iterdir()) == []
    with pytest.raises(ManifestError, match="declared"):
        write_bundle(target, resolution_manifest(), lines)
    with pytest.raises(ManifestError, match=r"rule\.id"):
        write_bundle(target, {**doc, "rule": {"id": "nope"}}, lines)


def test_ballot_line_round_trip():
    line = make_log(ELECTION_ENTRIES)[1]
    assert BallotLine.from_line(line.to_line()) == line
    assert BallotLine.from_line(line.to_line().encode()) == line
    with pytest.raises(ValueError, match="weight_fen"):
        BallotLine.from_line(line.to_line().replace(",20000,", ",020000,"))


def test_iso_utc():
    import datetime as dt

    shanghai = dt.timezone(dt.timedelta(hours=8))
    assert iso_utc(dt.datetime(2026, 12, 1, 9, 0, 5, tzinfo=shanghai)) == "2026-12-01T01:00:05Z"
    assert iso_utc(dt.datetime(2026, 12, 1, 1, 0, 5, 120, tzinfo=dt.UTC)) == (
        "2026-12-01T01:00:05.000120Z"
    )
    with pytest.raises(ValueError):
        iso_utc(dt.datetime(2026, 12, 1))


def test_unreadable_inputs(tmp_path):
    with pytest.raises(UnreadableBundle):
        verify_bundle(tmp_path / "missing.zip")
    junk = tmp_path / "junk.zip"
    junk.write_bytes(b"not a zip at all")
    with pytest.raises(UnreadableBundle):
        verify_bundle(junk)
    with pytest.raises(UnreadableBundle):
        read_manifest(junk)


def test_two_processes_from_a_threaded_program(resolution):
    """With other threads running, the worker is spawned rather than forked."""
    import threading

    results = []
    worker = threading.Thread(target=lambda: results.append(verify_bundle(resolution, jobs=2)))
    worker.start()
    worker.join(timeout=120)
    assert results and results[0].ok, results


def test_the_platform_may_leave_out_format_and_hash_alg(tmp_path):
    doc = resolution_manifest()
    del doc["format"], doc["hash_alg"]
    lines = make_log(RESOLUTION_ENTRIES)
    doc["declared"] = declare(doc, lines)
    written = write_bundle(tmp_path / "b.zip", doc, lines)
    assert written["format"] == "winddown-ballot-bundle/1" and written["hash_alg"] == "sha256"
    assert "format" not in doc
    assert verify_bundle(tmp_path / "b.zip").ok


def test_default_number_of_processes(monkeypatch):
    from winddown.verify import check

    monkeypatch.setattr(check, "_cpus", lambda: 2)
    monkeypatch.setattr(check, "_idle_cpus", lambda window=0.2: 1.9)
    assert check._default_jobs(4_000_000) == 2
    assert check._default_jobs(1000) == 1  # small logs: not worth a process
    monkeypatch.setattr(check, "_idle_cpus", lambda window=0.2: 0.3)
    assert check._default_jobs(4_000_000) == 1  # busy machine
    monkeypatch.setattr(check, "_cpus", lambda: 1)
    monkeypatch.setattr(check, "_idle_cpus", lambda window=0.2: 1.0)
    assert check._default_jobs(4_000_000) == 1
    idle = check._idle_cpus(0.01)
    assert idle is None or idle >= 0
