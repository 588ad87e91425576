"""Worked examples, computed by hand (the arithmetic is in the comments)."""

from __future__ import annotations

import pytest

from winddown.distribution import Claim, Policy, allocate, largest_remainder

YUAN = 100


def dues(a):
    return {cid: (p.due_principal_fen, p.due_interest_fen) for cid, p in a.payments.items()}


def test_issue_example_principal_pro_rata():
    # 1000.00 over principal 600 + 500 = 1100 (the pool is short of principal):
    # a: 100000 * 60000 / 110000 = 54545.45..  floor 54545, remainder 50000
    # b: 100000 * 50000 / 110000 = 45454.54..  floor 45454, remainder 60000
    # one leftover fen (100000 - 99999) to the larger remainder: b.
    a = allocate(1000 * YUAN, [Claim("a", 600 * YUAN, 100 * YUAN), Claim("b", 500 * YUAN, 50)])
    assert dues(a) == {"a": (54545, 0), "b": (45455, 0)}
    assert a.payments["a"].principal_fen == 54545
    assert a.payments["a"].status == "paid"
    assert (a.paid_principal_fen, a.paid_interest_fen, a.left_fen) == (100000, 0, 0)


def test_interest_only_after_every_principal():
    # 1200.00: principal 1100 in full, then 100.00 over interest 100 + 50 = 150:
    # a: 10000 * 10000 / 15000 = 6666.66..  remainder 10000 -> gets the leftover fen
    # b: 10000 *  5000 / 15000 = 3333.33..  remainder  5000
    claims = [Claim("a", 60000, 10000), Claim("b", 50000, 5000)]
    a = allocate(120000, claims)
    assert dues(a) == {"a": (60000, 6667), "b": (50000, 3333)}
    assert (a.paid_principal_fen, a.paid_interest_fen, a.left_fen) == (110000, 10000, 0)


def test_pool_above_everything_owed_is_left_not_paid():
    a = allocate(130000, [Claim("a", 60000, 10000), Claim("b", 50000, 5000)])
    assert dues(a) == {"a": (60000, 10000), "b": (50000, 5000)}
    assert a.left_fen == 5000
    assert a.allocated_fen == 125000
    assert a.pool_fen == a.paid_fen + a.left_fen


def test_one_interest_fen_short():
    # 1249.99: principal 1100 in full, then 149.99 over interest 100 + 50 = 150:
    # a: 14999 * 10000 / 15000 = 9999.33..  remainder  5000
    # b: 14999 *  5000 / 15000 = 4999.66..  remainder 10000 -> the one leftover fen
    a = allocate(124999, [Claim("a", 60000, 10000), Claim("b", 50000, 5000)])
    assert dues(a) == {"a": (60000, 9999), "b": (50000, 5000)}


def test_ties_go_to_the_larger_claim_then_the_lower_id():
    # 0.02 over 0.01 and 0.03: exact 0.005 and 0.015, both remainders 2 (of 4): the larger
    # claim gets the leftover fen, whatever the ids.
    assert largest_remainder(2, [1, 3], ["a", "z"]) == [0, 2]
    assert largest_remainder(2, [3, 1], ["z", "a"]) == [2, 0]
    # equal claims, equal remainders: lower id (Python string order, i.e. code points).
    assert largest_remainder(1, [1, 1], ["b", "a"]) == [0, 1]
    assert largest_remainder(1, [5, 5], ["a", "B"]) == [0, 1]  # "B" (U+0042) < "a"
    assert largest_remainder(1, [5, 5], ["王", "李"]) == [0, 1]  # 李 U+674E < 王 U+738B
    # a larger remainder beats a larger claim: 1 fen over 1 and 2 -> 1/3 and 2/3.
    assert largest_remainder(1, [1, 2], ["a", "b"]) == [0, 1]
    # and three-way: 2 fen over 1, 1, 1 -> a and b
    assert largest_remainder(2, [1, 1, 1], ["c", "a", "b"]) == [0, 1, 1]


def test_largest_remainder_bounds():
    assert largest_remainder(0, [3, 4], ["a", "b"]) == [0, 0]
    assert largest_remainder(7, [3, 4], ["a", "b"]) == [3, 4]
    assert largest_remainder(0, [], []) == []
    with pytest.raises(ValueError):
        largest_remainder(8, [3, 4], ["a", "b"])


def test_small_claims_first_tiers():
    # T = 100.00, pool 1000.00. Tier 1: min(principal, 100) = 100 + 100 + 50 = 250, paid.
    # Tier 2, 750.00 over the rest 500 + 400 + 0 = 900:
    #   a: 75000 * 50000 / 90000 = 41666.66.. remainder 60000 -> leftover fen
    #   b: 75000 * 40000 / 90000 = 33333.33.. remainder 30000
    # c's principal is paid in full; no interest yet, since a and b still have principal.
    claims = [Claim("a", 60000, 10000), Claim("b", 50000, 5000), Claim("c", 5000, 500)]
    a = allocate(100000, claims, Policy(small_claims_threshold_fen=10000))
    assert dues(a) == {"a": (51667, 0), "b": (43333, 0), "c": (5000, 0)}
    # without the option: 100000 over 115000, c gets 4347.82.. -> 4348
    plain = allocate(100000, claims)
    assert dues(plain) == {"a": (52174, 0), "b": (43478, 0), "c": (4348, 0)}


def test_small_claims_first_short_in_the_first_tier():
    # T = 100.00, pool 200.00 over tier 1 = 100 + 100 + 50 = 250: pro rata within the tier,
    # 80.00, 80.00, 40.00 exactly.
    claims = [Claim("a", 60000, 10000), Claim("b", 50000, 5000), Claim("c", 5000, 500)]
    a = allocate(20000, claims, Policy(small_claims_threshold_fen=10000))
    assert dues(a) == {"a": (8000, 0), "b": (8000, 0), "c": (4000, 0)}


def test_threshold_above_every_principal_changes_nothing():
    claims = [Claim("a", 60000, 10000), Claim("b", 50000, 5000), Claim("c", 5000, 500)]
    for pool in (0, 1, 99999, 115000, 120000, 200000):
        assert dues(allocate(pool, claims, Policy(small_claims_threshold_fen=60000))) == dues(
            allocate(pool, claims)
        )


def test_min_payment_holds_small_allocations():
    # pool 100.00 over principal 9000.00 + 900.00 + 99.99 + 0.01 = 10000.00, 1 % each:
    # exact shares in fen 9000, 900, 99.99, 0.01; floors 9000 + 900 + 99 + 0 = 9999, one
    # leftover fen: remainders 10000 * w mod 1000000 are c 990000, d 10000, so c gets it
    # (1.00) and d nothing. M = 10.00: b (9.00) and c (1.00) are held.
    claims = [
        Claim("a", 900000, 0),
        Claim("b", 90000, 0),
        Claim("c", 9999, 0),
        Claim("d", 1, 0),
    ]
    a = allocate(10000, claims, Policy(min_payment_fen=1000))
    got = {cid: (p.status, p.paid_fen, p.held_fen) for cid, p in a.payments.items()}
    assert got == {
        "a": ("paid", 9000, 0),
        "b": ("held", 0, 900),
        "c": ("held", 0, 100),
        "d": ("none", 0, 0),
    }
    # held money is not given to a in this round: it is c's and b's
    assert (a.paid_fen, a.held_fen, a.reserved_fen, a.left_fen) == (9000, 1000, 0, 0)
    assert a.pool_fen == a.paid_fen + a.held_fen + a.reserved_fen + a.left_fen


def test_min_payment_never_holds_what_settles_a_claim():
    # d owes 0.50 in all and gets it in full: paid although below M = 10.00.
    claims = [Claim("a", 100000, 0), Claim("d", 40, 10)]
    a = allocate(200000, claims, Policy(min_payment_fen=1000))
    assert a.payments["d"].status == "paid"
    assert (a.payments["d"].principal_fen, a.payments["d"].interest_fen) == (40, 10)
    assert a.left_fen == 200000 - 100050


def test_held_money_is_carried_into_the_next_round():
    # Round 1: 100.00 over a 9000.00 and b 1000.00 -> 90.00 and 10.00; M = 20.00 holds b's.
    claims = [Claim("a", 900000, 0), Claim("b", 100000, 0)]
    r1 = allocate(10000, claims, Policy(min_payment_fen=2000))
    assert r1.payments["b"].held_fen == 1000 and r1.payments["a"].paid_fen == 9000
    # Round 2: a is owed 8910.00, b still 1000.00 with 10.00 carried (counted as allocated:
    # net 990.00). 100.00 over 8910 + 990 = 9900: a 90.00, b 10.00; b's due 20.00 >= M: paid.
    claims2 = [Claim("a", 891000, 0), Claim("b", 100000, 0, carried_fen=1000)]
    r2 = allocate(10000, claims2, Policy(min_payment_fen=2000))
    assert dues(r2) == {"a": (9000, 0), "b": (2000, 0)}
    assert r2.payments["b"].paid_fen == 2000
    assert r2.pool_fen + r2.carried_fen == r2.paid_fen + r2.held_fen + r2.reserved_fen
    # Two rounds together paid exactly what one round of 200.00 would have: 180.00 and 20.00.
    assert dues(allocate(20000, claims)) == {"a": (18000, 0), "b": (2000, 0)}


def test_final_round_with_no_minimum_pays_every_carried_fen():
    claims = [Claim("a", 100000, 0), Claim("b", 50000, 0, carried_fen=300)]
    a = allocate(0, claims)
    assert a.payments["b"].paid_fen == 300 and a.payments["b"].status == "paid"
    assert a.payments["a"].status == "none"


def test_disputed_share_is_reserved():
    # 1000.00 over 600 + 500 as in the issue's example, b disputed: same shares, b reserved.
    claims = [Claim("a", 60000, 10000), Claim("b", 50000, 5000, disputed=True)]
    a = allocate(100000, claims, Policy(min_payment_fen=10**9))  # M does not apply to 提存
    assert a.payments["b"].status == "reserved"
    assert a.payments["b"].reserved_fen == 45455
    assert a.payments["b"].principal_fen == 0
    assert a.payments["a"].status == "held"  # 545.45 below M = 10,000,000.00
    assert (a.paid_fen, a.held_fen, a.reserved_fen) == (0, 54545, 45455)


def test_disputed_claim_with_nothing_due_is_still_reserved_at_zero():
    a = allocate(0, [Claim("a", 1, 0, disputed=True)])
    assert a.payments["a"].status == "reserved" and a.payments["a"].reserved_fen == 0


def test_empty_round():
    a = allocate(500, [])
    assert a.left_fen == 500 and len(a.payments) == 0
    z = allocate(0, [Claim("a", 100, 10)])
    assert z.payments["a"].status == "none" and z.left_fen == 0


def test_claims_owed_nothing():
    a = allocate(100, [Claim("a", 0, 0), Claim("b", 50, 0)])
    assert dues(a) == {"a": (0, 0), "b": (50, 0)}
    assert a.left_fen == 50


def test_payments_mapping():
    a = allocate(100000, [Claim("b", 50000, 5000), Claim("a", 60000, 10000)])
    assert list(a.payments) == ["b", "a"]  # input order
    assert dict(a.payments.items_in_order()) == dict(a.payments.items())
    assert "a" in a.payments and "x" not in a.payments
    with pytest.raises(KeyError):
        a.payments["x"]
