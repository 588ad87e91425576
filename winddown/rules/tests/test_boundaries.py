"""Every rule at each threshold, one unit (one head, one fen / 0.01 m²) below and above.

Each case starts from a motion meeting every other condition and moves one
quantity across one boundary, so a wrong comparison (>= for >), a wrong
fraction or a wrong base fails exactly one of these tests.
"""

from __future__ import annotations

import pytest

from winddown.rules import Group, Motion, Options, Tally, evaluate

from .helpers import crit, decide, holds

# ------------------------------------------------------------------ p2p-exit
# electorate 20 lenders, 900.00 元 outstanding principal.
# participation >= 2/3 (600.00), yes heads > 1/2 attending, yes weight > 1/2 (450.00).
P2P_E = (20, 90000)


@pytest.mark.parametrize(
    ("participating", "expected"),
    [(59999, False), (60000, True), (60001, True)],
)
def test_p2p_participation_weight_not_lower_than_two_thirds(participating, expected):
    d = decide("p2p-exit", P2P_E, yes=(6, 45001), no=(4, participating - 45001))
    assert holds(d, "participation-weight") is expected
    assert holds(d, "yes-heads") and holds(d, "yes-weight")
    assert d.passed is expected


def test_p2p_participation_boundary_when_two_thirds_is_not_whole():
    # electorate 1.00 元: 2/3 is 0.666..., so 0.67 is enough and 0.66 is not.
    assert holds(decide("p2p-exit", (3, 100), yes=(2, 67)), "participation-weight")
    assert not holds(decide("p2p-exit", (3, 100), yes=(2, 66)), "participation-weight")


@pytest.mark.parametrize(("yes_heads", "expected"), [(4, False), (5, False), (6, True)])
def test_p2p_yes_heads_more_than_half_of_attending(yes_heads, expected):
    # 10 attending; exactly half (5) is not "超过（不含）二分之一".
    d = decide("p2p-exit", P2P_E, yes=(yes_heads, 50000), no=(10 - yes_heads, 10000))
    assert holds(d, "yes-heads") is expected
    assert d.passed is expected


def test_p2p_yes_heads_odd_attending():
    assert holds(decide("p2p-exit", P2P_E, yes=(6, 50000), no=(5, 10000)), "yes-heads")
    assert not holds(decide("p2p-exit", P2P_E, yes=(5, 50000), no=(6, 10000)), "yes-heads")


@pytest.mark.parametrize(
    ("yes_weight", "expected"), [(44999, False), (45000, False), (45001, True)]
)
def test_p2p_yes_weight_more_than_half_of_outstanding_principal(yes_weight, expected):
    d = decide("p2p-exit", P2P_E, yes=(6, yes_weight), no=(4, 70000 - yes_weight))
    assert holds(d, "yes-weight") is expected
    assert d.passed is expected


def test_p2p_yes_weight_base_is_the_electorate_not_the_attending():
    # 450.00 of 600.00 attending is 75% but only 50% of the 900.00 outstanding.
    d = decide("p2p-exit", P2P_E, yes=(6, 45000), no=(4, 15000))
    assert crit(d, "yes-weight").base == 90000
    assert not d.passed


def test_p2p_abstentions_count_as_attending_heads():
    # 5 yes / 3 no passes the head count; 2 abstentions make 10 attending, 5 is not > 5.
    assert holds(decide("p2p-exit", P2P_E, yes=(5, 50000), no=(3, 10000)), "yes-heads")
    d = decide("p2p-exit", P2P_E, yes=(5, 50000), no=(3, 10000), abstain=(2, 100))
    assert crit(d, "yes-heads").base == 10
    assert not holds(d, "yes-heads") and not d.passed


def test_p2p_abstentions_count_in_participation_weight():
    assert not holds(decide("p2p-exit", P2P_E, yes=(6, 45001)), "participation-weight")
    d = decide("p2p-exit", P2P_E, yes=(6, 45001), abstain=(1, 14999))
    assert holds(d, "participation-weight") and d.passed


def test_p2p_example_from_the_brief():
    d = decide("p2p-exit", P2P_E, yes=(6, 45001), no=(4, 14999))
    assert d.passed
    assert crit(d, "participation-weight").explanation == (
        "参与表决的出借人代表的未偿还本金 600.00 元，占网贷机构未偿还本金余额 900.00 元的 66.67%，"
        "恰好等于三分之二；规则要求不低于三分之二（含本数），满足。"
    )


def test_p2p_just_below_two_thirds_is_not_shown_as_66_67():
    d = decide("p2p-exit", P2P_E, yes=(6, 45001), no=(4, 14998))
    c = crit(d, "participation-weight")
    assert not c.holds and not d.passed
    assert c.percentage == "66.666"
    assert "66.67%" not in c.explanation
    assert "略低于三分之二" in c.explanation and c.explanation.endswith("，不满足。")
    assert d.summary.startswith("表决结果：未通过。")


# -------------------------------------------------------- bankruptcy-general
# art. 64: yes heads 过半数 (> 1/2 attending); yes weight 二分之一以上 (>= 1/2 of all unsecured).
BG_E = (30, 100000)


@pytest.mark.parametrize(("yes_weight", "expected"), [(49999, False), (50000, True), (50001, True)])
def test_bankruptcy_general_weight_at_least_half(yes_weight, expected):
    d = decide("bankruptcy-general", BG_E, yes=(6, yes_weight), no=(4, 100))
    assert holds(d, "yes-weight") is expected
    assert d.passed is expected


@pytest.mark.parametrize(("yes_heads", "expected"), [(4, False), (5, False), (6, True)])
def test_bankruptcy_general_heads_more_than_half(yes_heads, expected):
    d = decide("bankruptcy-general", BG_E, yes=(yes_heads, 60000), no=(10 - yes_heads, 100))
    assert holds(d, "yes-heads") is expected
    assert d.passed is expected


def test_bankruptcy_general_has_no_participation_quorum():
    # 2 of 30 creditors attend, both agree and hold 60% of unsecured claims.
    assert decide("bankruptcy-general", BG_E, yes=(2, 60000)).passed


def test_bankruptcy_general_abstention_blocks_head_majority():
    assert decide("bankruptcy-general", BG_E, yes=(2, 60000), no=(1, 1)).passed
    assert not decide("bankruptcy-general", BG_E, yes=(2, 60000), no=(1, 1), abstain=(1, 1)).passed


# ----------------------------------------------------- bankruptcy-settlement
# art. 97: yes heads > 1/2 attending; yes weight 三分之二以上 (>= 2/3 of unsecured).
@pytest.mark.parametrize(("yes_weight", "expected"), [(59999, False), (60000, True), (60001, True)])
def test_bankruptcy_settlement_weight_at_least_two_thirds(yes_weight, expected):
    d = decide("bankruptcy-settlement", (30, 90000), yes=(6, yes_weight), no=(4, 100))
    assert holds(d, "yes-weight") is expected
    assert d.passed is expected


def test_bankruptcy_settlement_two_thirds_not_whole():
    assert decide("bankruptcy-settlement", (3, 100), yes=(2, 67), no=(1, 33)).passed
    assert not decide("bankruptcy-settlement", (3, 100), yes=(2, 66), no=(1, 34)).passed


@pytest.mark.parametrize(("yes_heads", "expected"), [(4, False), (5, False), (6, True)])
def test_bankruptcy_settlement_heads_more_than_half(yes_heads, expected):
    d = decide("bankruptcy-settlement", (30, 90000), yes=(yes_heads, 70000), no=(10 - yes_heads, 1))
    assert d.passed is expected


# ------------------------------------------------- bankruptcy-reorganization
def reorg(*groups: tuple[str, tuple, tuple, tuple, tuple]) -> Motion:
    return Motion(
        rule="bankruptcy-reorganization",
        groups=tuple(
            Group(name, Tally(*e), Options(Tally(*y), Tally(*n), Tally(*a)))
            for name, e, y, n, a in groups
        ),
    )


GOOD = ("有财产担保债权组", (5, 300000), (3, 200000), (1, 1), (0, 0))


@pytest.mark.parametrize(("yes_weight", "expected"), [(59999, False), (60000, True), (60001, True)])
def test_reorganization_group_weight_at_least_two_thirds(yes_weight, expected):
    d = evaluate(reorg(GOOD, ("普通债权组", (10, 90000), (6, yes_weight), (4, 100), (0, 0))))
    group = d.groups[1]
    assert holds(group, "yes-weight") is expected
    assert group.passed is expected
    assert d.groups[0].passed
    assert d.passed is expected  # art. 86: every group must pass


@pytest.mark.parametrize(("yes_heads", "expected"), [(4, False), (5, False), (6, True)])
def test_reorganization_group_heads_more_than_half(yes_heads, expected):
    group = ("普通债权组", (20, 90000), (yes_heads, 80000), (10 - yes_heads, 100), (0, 0))
    d = evaluate(reorg(GOOD, group))
    assert d.groups[1].passed is expected
    assert d.passed is expected


def test_reorganization_group_abstention_counts_as_attending():
    group = ("普通债权组", (20, 90000), (5, 80000), (3, 100), (2, 100))
    d = evaluate(reorg(GOOD, group))
    assert crit(d.groups[1], "yes-heads").base == 10
    assert not d.passed
    assert "普通债权组" in d.summary and d.summary.startswith("表决结果：未通过")


def test_reorganization_weight_base_is_the_group_total():
    # 2/3 of the group (600.00 of 900.00) though tiny against the other group.
    d = evaluate(
        reorg(
            ("大组", (5, 10**9), (4, 10**9 - 1), (1, 1), (0, 0)),
            ("小组", (3, 90000), (2, 60000), (1, 30000), (0, 0)),
        )
    )
    assert crit(d.groups[1], "yes-weight").base == 90000
    assert d.passed


def test_reorganization_reports_each_group_and_fails_on_an_empty_group():
    d = evaluate(reorg(GOOD, ("空组", (0, 0), (0, 0), (0, 0), (0, 0))))
    assert [g.name for g in d.groups] == ["有财产担保债权组", "空组"]
    assert d.groups[0].passed and not d.groups[1].passed
    assert d.groups[1].reason_code == "empty-electorate"
    assert not d.passed


# ------------------------------------------------------------------ homeowners
# art. 278: participation area >= 2/3 and owners >= 2/3; ordinary: > 1/2 of participating
# area and owners; major: >= 3/4 of both. Electorate: 30 owners, 3000.00 m².
HO_E = (30, 300000)


@pytest.mark.parametrize("rule", ["homeowners-ordinary", "homeowners-major"])
@pytest.mark.parametrize(("owners", "expected"), [(19, False), (20, True), (21, True)])
def test_homeowners_participation_owners_two_thirds(rule, owners, expected):
    # everyone participating agrees; area fixed at 2400.00 m² (>= 2/3).
    d = decide(rule, HO_E, yes=(owners, 240000))
    assert holds(d, "participation-heads") is expected
    assert d.passed is expected


@pytest.mark.parametrize("rule", ["homeowners-ordinary", "homeowners-major"])
@pytest.mark.parametrize(("area", "expected"), [(199999, False), (200000, True), (200001, True)])
def test_homeowners_participation_area_two_thirds(rule, area, expected):
    d = decide(rule, HO_E, yes=(25, area))
    assert holds(d, "participation-area") is expected
    assert d.passed is expected


@pytest.mark.parametrize(("yes_owners", "expected"), [(9, False), (10, False), (11, True)])
def test_homeowners_ordinary_owners_more_than_half(yes_owners, expected):
    d = decide("homeowners-ordinary", HO_E, yes=(yes_owners, 150000), no=(20 - yes_owners, 50000))
    assert holds(d, "yes-heads") is expected
    assert d.passed is expected


@pytest.mark.parametrize(
    ("yes_area", "expected"), [(99999, False), (100000, False), (100001, True)]
)
def test_homeowners_ordinary_area_more_than_half_of_participating(yes_area, expected):
    d = decide("homeowners-ordinary", HO_E, yes=(15, yes_area), no=(5, 200000 - yes_area))
    assert crit(d, "yes-area").base == 200000
    assert holds(d, "yes-area") is expected
    assert d.passed is expected


@pytest.mark.parametrize(("yes_owners", "expected"), [(14, False), (15, True), (16, True)])
def test_homeowners_major_owners_three_quarters(yes_owners, expected):
    d = decide("homeowners-major", HO_E, yes=(yes_owners, 180000), no=(20 - yes_owners, 20000))
    assert holds(d, "yes-heads") is expected
    assert d.passed is expected


@pytest.mark.parametrize(
    ("yes_area", "expected"), [(149999, False), (150000, True), (150001, True)]
)
def test_homeowners_major_area_three_quarters(yes_area, expected):
    d = decide("homeowners-major", HO_E, yes=(18, yes_area), no=(2, 200000 - yes_area))
    assert holds(d, "yes-area") is expected
    assert d.passed is expected


def test_homeowners_abstentions_participate():
    # 15 agree, 5 abstain: 20 of 30 participate (2/3) and 15 of 20 is exactly 3/4;
    # a sixth abstention makes 15 of 21, below 3/4.
    assert decide("homeowners-major", HO_E, yes=(15, 150000), abstain=(5, 50000)).passed
    d = decide("homeowners-major", HO_E, yes=(15, 150000), abstain=(6, 50000))
    assert not holds(d, "yes-heads")


def test_homeowners_use_square_metres():
    d = decide("homeowners-ordinary", HO_E, yes=(20, 200000))
    text = crit(d, "participation-area").explanation
    assert "2000.00 平方米" in text and "3000.00 平方米" in text and "元" not in text


# ------------------------------------------------------ committee-supermajority
# 惩戒办法 第十二条: 赞成人数超过委员会人员三分之二 (> 2/3 of ALL members).
@pytest.mark.parametrize(("yes_heads", "expected"), [(5, False), (6, False), (7, True)])
def test_committee_more_than_two_thirds_of_all_members(yes_heads, expected):
    d = decide("committee-supermajority", (9, 0), yes=(yes_heads, 0), no=(9 - yes_heads, 0))
    assert holds(d, "yes-heads") is expected
    assert d.passed is expected


def test_committee_base_is_all_members_not_attending():
    # 6 of 6 attending agree, but 6 is not more than 2/3 of 9 members.
    d = decide("committee-supermajority", (9, 0), yes=(6, 0))
    assert crit(d, "yes-heads").base == 9
    assert not d.passed


def test_committee_two_thirds_not_whole():
    assert decide("committee-supermajority", (10, 0), yes=(7, 0)).passed
    assert not decide("committee-supermajority", (10, 0), yes=(6, 0), no=(4, 0)).passed


def test_committee_abstentions_do_not_matter():
    assert decide("committee-supermajority", (10, 0), yes=(7, 0), abstain=(3, 0)).passed


# --------------------------------------------------------------- simple-majority
@pytest.mark.parametrize(("yes", "expected"), [(4, False), (5, False), (6, True)])
def test_simple_majority_heads(yes, expected):
    assert decide("simple-majority", (100, 0), yes=(yes, 0), no=(5, 0)).passed is expected


@pytest.mark.parametrize(("yes_w", "expected"), [(49999, False), (50000, False), (50001, True)])
def test_simple_majority_weight(yes_w, expected):
    d = decide("simple-majority", (10, 10**6), yes=(1, yes_w), no=(5, 50000), basis="weight")
    assert d.passed is expected
    assert [c.id for c in d.criteria] == ["yes-weight"]


def test_simple_majority_basis_changes_the_outcome():
    args = ("simple-majority", (10, 10**6), (1, 90000), (5, 50000))
    assert not decide(*args).passed
    assert decide(*args, basis="weight").passed


def test_simple_majority_ignores_abstentions_but_all_abstaining_fails():
    assert decide("simple-majority", (200, 0), yes=(2, 0), no=(1, 0), abstain=(100, 0)).passed
    d = decide("simple-majority", (200, 0), yes=(0, 0), abstain=(100, 0))
    assert not d.passed
    assert "无法计算比例" in d.criteria[0].explanation


# -------------------------------------------------------- empty and zero cases
ALL_UNGROUPED = [
    "p2p-exit",
    "bankruptcy-general",
    "bankruptcy-settlement",
    "homeowners-ordinary",
    "homeowners-major",
    "committee-supermajority",
    "simple-majority",
]


@pytest.mark.parametrize("rule", ALL_UNGROUPED)
def test_empty_electorate_is_not_passed_with_a_reason(rule):
    d = decide(rule, (0, 0), yes=(0, 0))
    assert not d.passed
    assert d.reason_code == "empty-electorate"
    assert d.summary.startswith("表决结果：未通过。原因：表决人范围为空")


@pytest.mark.parametrize("rule", ALL_UNGROUPED)
def test_no_ballots_is_not_passed_with_a_reason(rule):
    d = decide(rule, (10, 100000), yes=(0, 0))
    assert not d.passed
    assert d.reason_code == "no-ballots"
    assert "没有收到任何选票" in d.summary


@pytest.mark.parametrize("rule", ["p2p-exit", "bankruptcy-general", "homeowners-ordinary"])
def test_zero_total_weight_is_not_passed_with_a_reason(rule):
    # Without the guard, 3 * 0 >= 2 * 0 would "pass" the participation quorum.
    d = decide(rule, (10, 0), yes=(10, 0))
    assert not d.passed
    assert d.reason_code == "zero-electorate-weight"


def test_committee_does_not_need_weights():
    assert decide("committee-supermajority", (3, 0), yes=(3, 0)).reason_code is None


# ----------------------------------------------------------------- large values
BIG_HEADS = 10**7
BIG_WEIGHT = 10**14  # 10^12 元 in fen


def test_p2p_at_10_to_the_12_yuan():
    # 2/3 of 10^14 fen is 66_666_666_666_666.67: one fen below and exactly enough.
    below = decide("p2p-exit", (BIG_HEADS, BIG_WEIGHT), yes=(BIG_HEADS, 66_666_666_666_666))
    enough = decide("p2p-exit", (BIG_HEADS, BIG_WEIGHT), yes=(BIG_HEADS, 66_666_666_666_667))
    assert not holds(below, "participation-weight")
    assert holds(enough, "participation-weight") and enough.passed
    text = crit(below, "participation-weight").explanation
    assert "666666666666.66 元" in text and "略低于三分之二" in text and "66.67%" not in text


@pytest.mark.parametrize(
    ("yes_weight", "expected"),
    [(BIG_WEIGHT // 2 - 1, False), (BIG_WEIGHT // 2, False), (BIG_WEIGHT // 2 + 1, True)],
)
def test_p2p_yes_weight_at_10_to_the_14_fen(yes_weight, expected):
    d = decide(
        "p2p-exit",
        (BIG_HEADS, BIG_WEIGHT),
        yes=(BIG_HEADS // 2 + 1, yes_weight),
        no=(BIG_HEADS // 2 - 1, BIG_WEIGHT - yes_weight),
    )
    assert d.passed is expected


@pytest.mark.parametrize(
    ("yes_heads", "expected"),
    [(BIG_HEADS // 2 - 1, False), (BIG_HEADS // 2, False), (BIG_HEADS // 2 + 1, True)],
)
def test_bankruptcy_heads_at_10_to_the_7(yes_heads, expected):
    d = decide(
        "bankruptcy-general",
        (BIG_HEADS, BIG_WEIGHT),
        yes=(yes_heads, BIG_WEIGHT // 2),
        no=(BIG_HEADS - yes_heads, BIG_WEIGHT // 2),
    )
    assert d.passed is expected


@pytest.mark.parametrize(
    ("yes_weight", "expected"),
    [(3 * 10**13 - 1, False), (3 * 10**13, True), (3 * 10**13 + 1, True)],
)
def test_homeowners_major_area_at_large_scale(yes_weight, expected):
    e = (BIG_HEADS, 4 * 10**13)  # participation = everyone; 3/4 of 4e13 = 3e13
    d = decide(
        "homeowners-major",
        e,
        yes=(BIG_HEADS - 1, yes_weight),
        no=(1, 4 * 10**13 - yes_weight),
    )
    assert holds(d, "yes-area") is expected
    assert d.passed is expected


def test_committee_at_10_to_the_7_members():
    # 2/3 of 10^7 = 6_666_666.67 -> 6_666_667 is more, 6_666_666 is not.
    assert decide("committee-supermajority", (BIG_HEADS, 0), yes=(6_666_667, 0)).passed
    assert not decide("committee-supermajority", (BIG_HEADS, 0), yes=(6_666_666, 0)).passed
