"""tally_ballots against a naive oracle; the verifier's fast and slow paths agree."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from winddown.verify import (
    BallotLine,
    TallyError,
    evaluate_tally,
    tally_ballots,
    verify_bundle,
)
from winddown.verify import bundle as bundle_module

from .helpers import (
    CANDIDATES,
    ELECTION_ENTRIES,
    RESOLUTION_ENTRIES,
    build,
    election_manifest,
    make_log,
    resolution_manifest,
)


def oracle(kind, keys, entries):
    """Last entry per voter, counted the obvious way."""
    last = {}
    for v, choice, weight in entries:
        last[v] = (choice, weight)
    counts = {k: {"heads": 0, "weight_fen": 0} for k in keys}
    for choice, weight in last.values():
        for k in choice.split("+"):
            counts[k]["heads"] += 1
            counts[k]["weight_fen"] += weight
    section = "options" if kind == "resolution" else "candidates"
    return {
        "participation": {
            "heads": len(last),
            "weight_fen": sum(w for _, w in last.values()),
        },
        section: counts,
    }


def test_tally_resolution_and_election():
    m = resolution_manifest()
    assert tally_ballots(m, make_log(RESOLUTION_ENTRIES)) == oracle(
        "resolution", ["yes", "no", "abstain"], RESOLUTION_ENTRIES
    )
    tuples = [(f"{v:032x}", c, w) for v, c, w in RESOLUTION_ENTRIES]
    assert tally_ballots(m, tuples) == tally_ballots(m, make_log(RESOLUTION_ENTRIES))
    e = election_manifest()
    assert tally_ballots(e, make_log(ELECTION_ENTRIES)) == oracle(
        "election", list(CANDIDATES), ELECTION_ENTRIES
    )
    assert evaluate_tally(e, tally_ballots(e, make_log(ELECTION_ENTRIES))).elected == (
        "王小进",
        "张小英",
    )


@pytest.mark.parametrize(
    ("manifest", "entries", "message"),
    [
        (resolution_manifest(), [(1, "maybe", 5)], "not an option"),
        (election_manifest(), [(1, "c9", 5)], "unknown candidate c9"),
        (election_manifest(), [(1, "c1+c2+c3", 5)], "more than max_choices"),
        (election_manifest(), [(1, "c2+c1", 5)], "ascending"),
        (election_manifest(), [(1, "c1+c1", 5)], "repeated"),
        (resolution_manifest(), [(1, "yes", 5), (1, "no", 6)], "changes from 5 to 6"),
        (resolution_manifest(heads=1), [(1, "yes", 5), (2, "no", 6)], "electorate.heads"),
        (resolution_manifest(weight_fen=10), [(1, "yes", 5), (2, "no", 6)], "weight_fen"),
    ],
)
def test_tally_refuses(manifest, entries, message):
    with pytest.raises(TallyError, match=message):
        tally_ballots(manifest, make_log(entries))


voters = st.integers(1, 12)
res_choice = st.sampled_from(["yes", "no", "abstain"])
el_choice = st.lists(st.sampled_from(sorted(CANDIDATES)), min_size=1, max_size=2, unique=True).map(
    lambda ks: "+".join(sorted(ks))
)


def _weights(entries):
    """Give every voter one weight (the property is about choices and order)."""
    return [(v, c, 1000 * v + 7) for v, c in entries]


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.lists(st.tuples(voters, res_choice), max_size=60),
    st.lists(st.tuples(voters, el_choice), max_size=60),
    st.integers(40, 400),
)
def test_verifier_recount_equals_oracle(tmp_path_factory, res, el, block):
    tmp = tmp_path_factory.mktemp("p")
    saved = bundle_module.READ_BLOCK
    bundle_module.READ_BLOCK = block
    try:
        for kind, manifest, entries, keys in (
            (
                "resolution",
                resolution_manifest(heads=12, weight_fen=10**6),
                _weights(res),
                ["yes", "no", "abstain"],
            ),
            (
                "election",
                election_manifest(heads=12, weight_fen=10**6),
                _weights(el),
                list(CANDIDATES),
            ),
        ):
            lines = make_log(entries)
            expected = oracle(kind, keys, entries)
            assert tally_ballots(manifest, lines) == expected
            path = build(tmp / f"{kind}.zip", manifest, lines)
            for jobs in (1, 2, -1):
                report = verify_bundle(path, jobs=jobs)
                assert report.ok, report.problems
                assert report.tally == expected
                assert report.voters == expected["participation"]["heads"]
    finally:
        bundle_module.READ_BLOCK = saved


def test_ballot_line_objects_and_tuples_mix():
    lines = make_log(RESOLUTION_ENTRIES[:2])
    mixed = [lines[0], (lines[1].voter, lines[1].choice, lines[1].weight_fen)]
    assert tally_ballots(resolution_manifest(), mixed)["participation"]["heads"] == 2
    assert isinstance(lines[0], BallotLine)
