"""Elections (manual 2.2 选举监委会成员): per-candidate rule, ranking, ties, validation."""

from __future__ import annotations

import pytest

from winddown.rules import (
    Candidate,
    Election,
    RulesInputError,
    Tally,
    evaluate_election,
)

# 100 lenders holding 1000.00 元; 90 of them (900.00 元) take part: participation >= 2/3.
E = Tally(100, 100000)
P = Tally(90, 90000)


def election(candidates, seats=2, max_choices=3, rule="p2p-exit", electorate=E, part=P, **params):
    return Election(
        rule=rule,
        electorate=electorate,
        participation=part,
        seats=seats,
        max_choices=max_choices,
        candidates=tuple(Candidate(n, Tally(h, w)) for n, h, w in candidates),
        params=params,
    )


def status(result):
    return {c.name: c.status for c in result.candidates}


def test_top_n_of_the_qualified_by_weight():
    r = evaluate_election(
        election(
            [
                ("陈小刚", 60, 60000),
                ("王小进", 80, 80000),
                ("汪小亮", 50, 50000),  # weight exactly 1/2 of 1000.00: not "超过", fails
                ("张小英", 70, 70000),
            ]
        )
    )
    assert r.elected == ("王小进", "张小英")
    assert r.unresolved_tie == ()
    assert status(r) == {
        "王小进": "elected",
        "张小英": "elected",
        "陈小刚": "not-elected",
        "汪小亮": "not-qualified",
    }
    assert [c.name for c in r.candidates] == ["王小进", "张小英", "陈小刚", "汪小亮"]
    assert [c.rank for c in r.candidates] == [1, 2, 3, None]
    assert r.summary.startswith("选举结果：应选 2 名，当选 2 名：王小进、张小英。")


def test_candidate_is_judged_with_participation_as_attending():
    r = evaluate_election(election([("甲", 46, 50001), ("乙", 45, 60000)], seats=2))
    by_name = {c.name: c for c in r.candidates}
    heads = next(c for c in by_name["乙"].criteria if c.id == "yes-heads")
    assert (heads.quantity, heads.base) == (45, 90)  # 45 of 90 is not more than half
    assert r.elected == ("甲",)
    assert r.vacant_seats == 1
    assert "空缺 1 个席位" in r.summary


def test_tie_across_the_last_seat_is_unresolved_and_nobody_in_it_is_elected():
    r = evaluate_election(
        election(
            [("甲", 80, 80000), ("乙", 70, 70000), ("丙", 70, 70000), ("丁", 60, 60000)],
            max_choices=4,
        )
    )
    assert r.elected == ("甲",)
    assert r.unresolved_tie == ("乙", "丙")
    assert status(r)["丁"] == "not-elected"
    assert r.vacant_seats == 1
    assert "乙、丙 得票完全相同" in r.summary and "均不当选" in r.summary
    assert [c.rank for c in r.candidates[:3]] == [1, 2, 2]


def test_tie_for_the_first_seat_elects_nobody():
    r = evaluate_election(election([("甲", 70, 70000), ("乙", 70, 70000)], seats=1))
    assert r.elected == ()
    assert r.unresolved_tie == ("甲", "乙")
    assert r.summary.startswith("选举结果：应选 1 名，无人当选。")


def test_tie_inside_the_seats_elects_all_tied():
    r = evaluate_election(
        election(
            [("甲", 80, 80000), ("乙", 70, 70000), ("丙", 70, 70000), ("丁", 60, 60000)],
            seats=3,
            max_choices=4,
        )
    )
    assert r.elected == ("甲", "乙", "丙")
    assert r.unresolved_tie == ()


def test_equal_weight_is_broken_by_heads():
    r = evaluate_election(election([("甲", 60, 70000), ("乙", 61, 70000)], seats=1))
    assert r.elected == ("乙",)
    assert r.unresolved_tie == ()


def test_heads_only_rule_ranks_by_heads_ignoring_weight():
    r = evaluate_election(
        election(
            [("甲", 60, 80000), ("乙", 61, 10000)],
            seats=1,
            rule="simple-majority",
        )
    )
    assert r.elected == ("乙",)


def test_participation_quorum_failure_elects_nobody():
    r = evaluate_election(election([("甲", 59, 59999)], part=Tally(60, 59999)))
    assert r.elected == ()
    assert status(r) == {"甲": "not-qualified"}
    text = r.candidates[0].criteria[0].explanation
    assert "参与表决的出借人代表的未偿还本金 599.99 元" in text and text.endswith("不满足。")


def test_no_participation_and_no_candidates_have_reasons():
    r = evaluate_election(election([("甲", 0, 0)], part=Tally(0, 0)))
    assert (r.elected, r.reason_code) == ((), "no-ballots")
    r = evaluate_election(election([]))
    assert (r.elected, r.reason_code) == ((), "no-candidates")
    r = evaluate_election(election([], electorate=Tally(0, 0), part=Tally(0, 0)))
    assert r.reason_code == "empty-electorate"
    assert r.summary.startswith("选举结果：应选 2 名，无人当选。原因：")


def test_election_labels_say_candidate_not_agree():
    r = evaluate_election(election([("甲", 80, 80000)], seats=1))
    texts = [c.explanation for c in r.candidates[0].criteria]
    assert any(t.startswith("选择该候选人的出借人 80 人") for t in texts)


def test_committee_rule_in_an_election():
    r = evaluate_election(
        election(
            [("甲", 7, 0), ("乙", 6, 0)],
            seats=2,
            rule="committee-supermajority",
            electorate=Tally(9, 0),
            part=Tally(9, 0),
        )
    )
    assert r.elected == ("甲",)


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"candidates": [("甲", 91, 1000)]}, "candidates.甲.heads"),
        ({"candidates": [("甲", 1, 90001)]}, "candidates.甲.weight"),
        ({"candidates": [("甲", 90, 1000), ("乙", 1, 1000)], "max_choices": 1}, "candidates"),
        (
            {"candidates": [("甲", 45, 90000), ("乙", 45, 1)], "max_choices": 1},
            "candidates",
        ),
        ({"candidates": [("甲", 1, 1)], "part": Tally(101, 1)}, "participation.heads"),
        ({"candidates": [("甲", 1, 1)], "part": Tally(1, 100001)}, "participation.weight"),
        ({"candidates": [("甲", 1, 1)], "seats": 0}, "seats"),
        ({"candidates": [("甲", 1, 1)], "max_choices": 0}, "max_choices"),
        ({"candidates": [("甲", 1, 1), ("甲", 2, 2)]}, "candidates.甲"),
        ({"candidates": [("甲", -1, 1)]}, "candidates.甲.heads"),
        ({"candidates": [("甲", 1, 1)], "rule": "bankruptcy-reorganization"}, "rule"),
        ({"candidates": [("甲", 1, 1)], "rule": "nope"}, "rule"),
    ],
)
def test_invalid_elections_name_the_field(kwargs, field):
    with pytest.raises(RulesInputError) as err:
        evaluate_election(election(**kwargs))
    assert err.value.field == field


def test_two_hundred_candidates_fifty_seats():
    cands = [(f"候选人{i:03d}", 46 + (i % 40), 50001 + 100 * i) for i in range(200)]
    part = Tally(90, 90000)
    r = evaluate_election(
        election(cands, seats=50, max_choices=200, electorate=Tally(100, 100000), part=part)
    )
    weights = {c.name: c.votes.weight for c in r.candidates}
    assert len(r.elected) == 50
    lowest_elected = min(weights[n] for n in r.elected)
    assert all(weights[c.name] < lowest_elected for c in r.candidates if c.status == "not-elected")
