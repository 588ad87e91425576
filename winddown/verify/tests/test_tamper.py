"""Tamper with one thing at a time: the verifier fails (exit 1) and its first
problem names the entry (seq, line) or the manifest field."""

from __future__ import annotations

import io
import json

import pytest

from winddown.verify import verify_bundle
from winddown.verify.cli import main

from .helpers import (
    ELECTION_ENTRIES,
    RESOLUTION_ENTRIES,
    build,
    election_manifest,
    make_log,
    members,
    replace_field,
    resolution_manifest,
    tamper,
    write_raw,
)

SEQ, VOTER, RECEIPT, CHOICE, WEIGHT, CAST_AT = range(6)


@pytest.fixture
def resolution(tmp_path):
    return build(tmp_path / "resolution.zip", resolution_manifest(), make_log(RESOLUTION_ENTRIES))


@pytest.fixture
def election(tmp_path):
    return build(tmp_path / "election.zip", election_manifest(), make_log(ELECTION_ENTRIES))


def run(path) -> tuple[int, str]:
    out = io.StringIO()
    code = main([str(path)], out=out)
    return code, out.getvalue()


def first_problem(path, *, check, field=None, seq=None, line=None, words=()):
    """Assert exit status 1 and the first problem's kind, field, seq and wording."""
    code, text = run(path)
    assert code == 1, text
    report = verify_bundle(path)
    p = report.problem
    assert p is not None
    assert p.check == check, report.problems
    if field is not None:
        assert p.field == field, p
    if seq is not None:
        assert p.seq == seq, p
        assert f"seq {seq}" in p.message
    if line is not None:
        assert p.line == line, p
    for w in words:
        assert w in p.message, p.message
    assert p.message in text  # the CLI prints it
    assert "核验未通过" in text
    zh, en = p.message.split(" / ", 1)
    assert zh and en  # bilingual, Chinese first
    return report


def test_untouched_bundles_exit_0(resolution, election):
    for path in (resolution, election):
        code, text = run(path)
        assert code == 0, text
        assert "核验通过 / VERIFIED" in text


# ---------------------------------------------------------------- the ballot file


def test_changed_choice_is_a_merkle_root_mismatch(resolution, tmp_path):
    def vote_no(lines):
        lines[8] = replace_field(lines[8], CHOICE, "no")  # seq 9: v6 yes -> no
        return lines

    bad = tamper(resolution, tmp_path / "bad.zip", vote_no)
    report = first_problem(bad, check="merkle", field="merkle.root", words=["Merkle"])
    # the recount disagrees too, and says where
    tally = next(p for p in report.problems if p.check == "tally")
    assert tally.field == "declared.tally.options.yes.heads"
    assert (tally.expected, tally.found) == ("3", "4")


def test_changed_choice_without_fixing_the_file_hash(resolution, tmp_path):
    def vote_no(lines):
        lines[8] = replace_field(lines[8], CHOICE, "no")
        return lines

    bad = tamper(resolution, tmp_path / "bad.zip", vote_no, fix_sha=False)
    first_problem(bad, check="sha256", field="ballots.sha256", words=["SHA-256"])


def test_changed_choice_with_a_forged_root_is_caught_by_the_recount(resolution, tmp_path):
    def vote_no(lines):
        lines[8] = replace_field(lines[8], CHOICE, "no")
        return lines

    bad = tamper(resolution, tmp_path / "bad.zip", vote_no, fix_merkle=True)
    first_problem(bad, check="tally", field="declared.tally.options.yes.heads")


def test_dropped_line_is_a_seq_gap(resolution, tmp_path):
    bad = tamper(resolution, tmp_path / "bad.zip", lambda lines: lines[:3] + lines[4:])
    first_problem(
        bad, check="entry", field="seq", seq=5, line=5, words=["seq should be 4, found 5"]
    )


def test_reordered_lines(resolution, tmp_path):
    def swap(lines):
        lines[4], lines[5] = lines[5], lines[4]
        return lines

    bad = tamper(resolution, tmp_path / "bad.zip", swap)
    first_problem(bad, check="entry", field="seq", seq=6, line=6, words=["should be 5, found 6"])


def test_reordered_and_renumbered_lines_change_the_root(resolution, tmp_path):
    def swap_renumber(lines):
        lines[4], lines[5] = lines[5], lines[4]
        return [replace_field(x, SEQ, str(i)) for i, x in enumerate(lines, start=1)]

    bad = tamper(resolution, tmp_path / "bad.zip", swap_renumber)
    report = first_problem(bad, check="merkle", field="merkle.root")
    assert [p.check for p in report.problems] == ["merkle"]  # the final ballots are the same


def test_changed_weight(resolution, tmp_path):
    def heavier(lines):
        lines[4] = replace_field(lines[4], WEIGHT, "31000")  # seq 5: v1's second entry
        return lines

    bad = tamper(resolution, tmp_path / "bad.zip", heavier)
    report = first_problem(bad, check="entry", field="weight_fen", seq=5, line=6)
    assert (report.problem.expected, report.problem.found) == ("30000", "31000")


def test_extra_ballot_of_a_final_voter_with_another_weight(resolution, tmp_path):
    def duplicate(lines):
        final_v6 = lines[8]  # seq 9, v6's only (final) ballot
        extra = replace_field(replace_field(final_v6, SEQ, "12"), WEIGHT, "4000")
        return [*lines, replace_field(extra, RECEIPT, "ZZZZZZZZZZZZZZZZ")]

    bad = tamper(resolution, tmp_path / "bad.zip", duplicate, fix_merkle=True)
    first_problem(bad, check="entry", field="weight_fen", seq=12, line=13, words=["3000"])


def test_more_voters_than_the_electorate(resolution, tmp_path):
    bad = tamper(
        resolution,
        tmp_path / "bad.zip",
        manifest=lambda m: m["electorate"].update(heads=5),
    )
    first_problem(
        bad, check="entry", field="electorate.heads", seq=9, words=["electorate.heads (5)"]
    )


def test_more_weight_than_the_electorate(resolution, tmp_path):
    bad = tamper(
        resolution,
        tmp_path / "bad.zip",
        manifest=lambda m: m["electorate"].update(weight_fen=70_000),
    )
    first_problem(bad, check="entry", field="electorate.weight_fen", seq=9, words=["73000"])


def test_bad_sha256(resolution, tmp_path):
    bad = tamper(
        resolution,
        tmp_path / "bad.zip",
        manifest=lambda m: m["ballots"].update(sha256="0" * 64),
        fix_sha=False,
    )
    report = first_problem(bad, check="sha256", field="ballots.sha256")
    assert report.problem.expected == "0" * 64


def test_unknown_candidate(election, tmp_path):
    def c9(lines):
        lines[3] = replace_field(lines[3], CHOICE, "c9")  # seq 4
        return lines

    bad = tamper(election, tmp_path / "bad.zip", c9)
    first_problem(
        bad, check="entry", field="choice", seq=4, line=5, words=["unknown candidate c9", "未知"]
    )


def test_too_many_choices(election, tmp_path):
    def three(lines):
        lines[1] = replace_field(lines[1], CHOICE, "c1+c3+c4")  # seq 2, max_choices 2
        return lines

    bad = tamper(election, tmp_path / "bad.zip", three)
    first_problem(bad, check="entry", field="choice", seq=2, words=["more than max_choices (2)"])


@pytest.mark.parametrize(
    ("choice", "words"),
    [("c3+c1", "ascending"), ("c1+c1", "repeated"), ("c1+", "empty candidate key"), ("yes", "")],
)
def test_other_invalid_election_choices(election, tmp_path, choice, words):
    def change(lines):
        lines[1] = replace_field(lines[1], CHOICE, choice)
        return lines

    bad = tamper(election, tmp_path / "bad.zip", change)
    first_problem(bad, check="entry", field="choice", seq=2, words=[words])


def test_unknown_resolution_option(resolution, tmp_path):
    def maybe(lines):
        lines[6] = replace_field(lines[6], CHOICE, "maybe")
        return lines

    bad = tamper(resolution, tmp_path / "bad.zip", maybe)
    first_problem(bad, check="entry", field="choice", seq=7, words=["not an option"])


@pytest.mark.parametrize(
    ("index", "value", "field"),
    [
        (VOTER, "ABCDEF0123456789ABCDEF0123456789", "voter"),
        (RECEIPT, "abc", "receipt"),
        (WEIGHT, "-5", "weight_fen"),
        (WEIGHT, "05000", "weight_fen"),
        (CAST_AT, "2026-12-02 10:00:00", "cast_at"),
        (SEQ, "0x3", "seq"),
    ],
)
def test_malformed_fields(resolution, tmp_path, index, value, field):
    def change(lines):
        lines[2] = replace_field(lines[2], index, value)
        return lines

    bad = tamper(resolution, tmp_path / "bad.zip", change)
    first_problem(bad, check="entry", field=field, line=4, words=[f"field {field}"])


def test_cast_outside_the_voting_period(resolution, tmp_path):
    def late(lines):
        lines[2] = replace_field(lines[2], CAST_AT, "2026-12-15T01:00:00Z")  # = closes_at
        return lines

    bad = tamper(resolution, tmp_path / "bad.zip", late)
    first_problem(bad, check="entry", field="cast_at", seq=3, words=["outside the voting period"])

    def early(lines):
        lines[0] = replace_field(lines[0], CAST_AT, "2026-12-01T00:59:59.999999Z")
        return lines

    bad = tamper(resolution, tmp_path / "bad2.zip", early)
    first_problem(bad, check="entry", field="cast_at", seq=1)


def test_cast_at_the_opening_instant_is_fine(resolution, tmp_path):
    def on_time(lines):
        lines[0] = replace_field(lines[0], CAST_AT, "2026-12-01T01:00:00Z")
        lines[1] = replace_field(lines[1], CAST_AT, "2026-12-15T00:59:59.999999Z")
        return lines

    ok = tamper(resolution, tmp_path / "ok.zip", on_time, fix_merkle=True)
    assert verify_bundle(ok).ok


def test_impossible_date(resolution, tmp_path):
    def november_31(lines):
        lines[2] = replace_field(lines[2], CAST_AT, "2026-11-31T05:00:00Z")  # no 31 November
        return lines

    bad = tamper(resolution, tmp_path / "bad.zip", november_31)
    first_problem(bad, check="entry", field="cast_at", seq=3, words=["not a valid date"])


def test_crlf_line_endings(resolution, tmp_path):
    bad = tamper(resolution, tmp_path / "bad.zip", raw=lambda b: b.replace(b"\n", b"\r\n"))
    first_problem(bad, check="header")
    bad = tamper(resolution, tmp_path / "bad2.zip", raw=lambda b: b.replace(b"Z\n", b"Z\r\n"))
    first_problem(bad, check="entry", seq=1, line=2, words=["\\r"])


def test_truncated_file(resolution, tmp_path):
    bad = tamper(resolution, tmp_path / "bad.zip", raw=lambda b: b[:-1])
    first_problem(bad, check="entry", seq=11, line=12, words=["no newline"])
    bad = tamper(resolution, tmp_path / "bad2.zip", raw=lambda b: b[:-30])
    first_problem(bad, check="entry", line=12)


def test_changed_header(resolution, tmp_path):
    bad = tamper(resolution, tmp_path / "bad.zip", raw=lambda b: b.replace(b"cast_at", b"time", 1))
    first_problem(bad, check="header", field="header", line=1)


def test_empty_ballot_file(resolution, tmp_path):
    bad = tamper(resolution, tmp_path / "bad.zip", raw=lambda b: b"")
    first_problem(bad, check="header", words=["empty"])


# ---------------------------------------------------------------- the manifest


def test_declared_passed_flipped(resolution, tmp_path):
    bad = tamper(
        resolution,
        tmp_path / "bad.zip",
        manifest=lambda m: m["declared"]["result"].update(passed=False),
    )
    report = first_problem(bad, check="result", field="declared.result.passed")
    assert (report.problem.expected, report.problem.found) == ("true", "false")


def test_declared_elected_changed(election, tmp_path):
    bad = tamper(
        election,
        tmp_path / "bad.zip",
        manifest=lambda m: m["declared"]["result"].update(elected=["王小进", "陈小刚"]),
    )
    report = first_problem(bad, check="result", field="declared.result.elected")
    assert "陈小刚" in report.problem.found and "张小英" in report.problem.expected


def test_declared_tie_and_criteria_changed(election, resolution, tmp_path):
    bad = tamper(
        election,
        tmp_path / "bad.zip",
        manifest=lambda m: m["declared"]["result"].update(unresolved_tie=["陈小刚"]),
    )
    first_problem(bad, check="result", field="declared.result.unresolved_tie")

    def flip_holds(m):
        m["declared"]["result"]["criteria"][0]["holds"] = False

    bad = tamper(resolution, tmp_path / "bad2.zip", manifest=flip_holds)
    first_problem(bad, check="result", field="declared.result.criteria.participation-weight.holds")


def test_chinese_sentences_are_not_compared(resolution, tmp_path):
    def reword(m):
        m["declared"]["result"]["summary"] = "措辞不同"
        m["declared"]["result"]["criteria"][0]["explanation"] = "措辞不同"

    assert verify_bundle(tamper(resolution, tmp_path / "ok.zip", manifest=reword)).ok


def test_declared_tally_changed(resolution, tmp_path):
    bad = tamper(
        resolution,
        tmp_path / "bad.zip",
        manifest=lambda m: m["declared"]["tally"]["participation"].update(heads=7),
    )
    report = first_problem(bad, check="tally", field="declared.tally.participation.heads")
    assert (report.problem.expected, report.problem.found) == ("6", "7")


def test_count_and_merkle_size(resolution, tmp_path):
    bad = tamper(resolution, tmp_path / "bad.zip", manifest=lambda m: m["ballots"].update(count=12))
    first_problem(bad, check="count", field="ballots.count")
    bad = tamper(resolution, tmp_path / "bad2.zip", manifest=lambda m: m["merkle"].update(size=10))
    first_problem(bad, check="merkle", field="merkle.size")
    bad = tamper(
        resolution, tmp_path / "bad3.zip", manifest=lambda m: m["merkle"].update(root="ab" * 32)
    )
    first_problem(bad, check="merkle", field="merkle.root")


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (lambda m: m.update(format="winddown-ballot-bundle/2"), "format"),
        (lambda m: m["event"].update(kind="referendum"), "event.kind"),
        (lambda m: m["event"].update(closes_at="2026-11-01T00:00:00Z"), "event.closes_at"),
        (lambda m: m["rule"].update(id="no-such-rule"), "rule.id"),
        (lambda m: m["rule"].update(id="bankruptcy-reorganization"), "rule.id"),
        (lambda m: m["rule"].update(params={"basis": "acres"}), "rule.params.basis"),
        (lambda m: m["electorate"].update(heads=True), "electorate.heads"),
        (lambda m: m["resolution"].update(options=["yes"]), "resolution.options"),
        (lambda m: m.update(hash_alg="md5"), "hash_alg"),
        (lambda m: m.update(extra=1), "extra"),
        (lambda m: m["merkle"].update(root="XYZ"), "merkle.root"),
        (lambda m: m.pop("declared"), "declared"),
        (lambda m: m.update(election={"seats": 1}), "election"),
    ],
)
def test_bad_manifest_fields(resolution, tmp_path, change, field):
    bad = tamper(resolution, tmp_path / "bad.zip", manifest=change)
    first_problem(bad, check="manifest", field=field, words=[field])


def test_duplicate_candidate_names(election, tmp_path):
    bad = tamper(
        election,
        tmp_path / "bad.zip",
        manifest=lambda m: m["election"]["candidates"].update(c2="王小进"),
    )
    first_problem(bad, check="manifest", field="election.candidates.c2")


# ---------------------------------------------------------------- the ZIP


def test_extra_or_missing_member(resolution, tmp_path):
    manifest, lines = members(resolution)
    csv = b"seq,voter,receipt,choice,weight_fen,cast_at\n" + b"".join(x + b"\n" for x in lines)
    extra = write_raw(tmp_path / "extra.zip", manifest, csv, **{"notes.txt": b"hi"})
    first_problem(extra, check="members", words=["notes.txt"])


def test_unreadable_manifest_exits_2(resolution, tmp_path):
    _manifest, lines = members(resolution)
    csv = b"seq,voter,receipt,choice,weight_fen,cast_at\n" + b"".join(x + b"\n" for x in lines)
    for body in (b"{not json", b'{"a": 1, "a": 2}', "清单".encode("gbk"), b"[NaN]"):
        path = write_raw(tmp_path / "bad.zip", body, csv)
        code, _ = run(path)
        assert code == 2, body
    not_object = write_raw(tmp_path / "list.zip", json.dumps([1]).encode(), csv)
    assert run(not_object)[0] == 1


def test_two_processes_report_the_same_problems(resolution, election, tmp_path):
    def vote_no(lines):
        lines[8] = replace_field(lines[8], CHOICE, "no")
        return lines

    def c9(lines):
        lines[3] = replace_field(lines[3], CHOICE, "c9")
        return lines

    cases = [
        tamper(resolution, tmp_path / "a.zip", vote_no),
        tamper(resolution, tmp_path / "b.zip", vote_no, fix_merkle=True),
        tamper(resolution, tmp_path / "c.zip", lambda lines: lines[:3] + lines[4:]),
        tamper(election, tmp_path / "d.zip", c9),
        tamper(resolution, tmp_path / "e.zip", raw=lambda b: b[:-1]),
        tamper(
            resolution,
            tmp_path / "f.zip",
            manifest=lambda m: m["declared"]["result"].update(passed=False),
        ),
    ]
    for path in cases:
        one, two = verify_bundle(path, jobs=1), verify_bundle(path, jobs=2)
        assert one.problems == two.problems, path
        assert (one.entries, one.voters, one.tally) == (two.entries, two.voters, two.tally)
