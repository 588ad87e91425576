"""Property-based tests (hypothesis) against the exact-fraction oracle in ``oracle.py``."""

from __future__ import annotations

import random
from fractions import Fraction

from hypothesis import example, given, settings
from hypothesis import strategies as st

from winddown.distribution import (
    Allocation,
    Claim,
    Policy,
    allocate,
    allocate_json,
    format_amount,
    largest_remainder,
    policy_from_dict,
    policy_to_dict,
    to_json,
)
from winddown.distribution.engine import _kth_largest

from .oracle import expected, tier_amounts

# Small amounts make ties (equal remainders, equal claims) frequent; a few large ones keep
# the big-integer path honest.
amounts = st.one_of(st.integers(0, 20), st.integers(0, 10**6), st.sampled_from([0, 1, 100, 10**12]))
ids = st.text(alphabet="abcAB李王0", min_size=1, max_size=3)


@st.composite
def claim_lists(draw, max_size=10, carried=True):
    keys = draw(st.lists(ids, max_size=max_size, unique=True))
    out = []
    for k in keys:
        p, r = draw(amounts), draw(amounts)
        c = 0
        if carried and draw(st.integers(0, 4)) == 0:
            c = draw(st.integers(0, p + r))
        out.append(Claim(k, p, r, draw(st.booleans()) and draw(st.booleans()), c))
    return out


@st.composite
def rounds(draw, carried=True):
    claims = draw(claim_lists(carried=carried))
    owed = sum(c.owed_fen - c.carried_fen for c in claims)
    pool = draw(st.one_of(st.integers(0, owed + 5), st.integers(0, 3 * owed + 10)))
    principals = [c.principal_fen for c in claims] or [0]
    threshold = draw(st.one_of(st.just(0), st.integers(1, max(principals) + 1)))
    minimum = draw(st.one_of(st.just(0), st.integers(1, 50), st.integers(1, 10**6)))
    return pool, claims, Policy(threshold, minimum)


def by_id(a: Allocation) -> dict[str, tuple[str, int, int]]:
    return {k: (p.status, p.due_principal_fen, p.due_interest_fen) for k, p in a.payments.items()}


def new_money(a: Allocation, claims: list[Claim]) -> dict[str, tuple[int, int]]:
    """Each claim's share of this round's pool (its due less what it carried in)."""
    out = {}
    for c in claims:
        p = a.payments[c.id]
        cp = min(c.carried_fen, c.principal_fen)
        out[c.id] = (p.due_principal_fen - cp, p.due_interest_fen - (c.carried_fen - cp))
    return out


@settings(max_examples=300)
@given(rounds())
@example((1, [Claim("a", 1, 0), Claim("b", 1, 0)], Policy()))
@example((2, [Claim("a", 1, 0), Claim("z", 3, 0)], Policy()))
def test_matches_the_exact_fraction_oracle(r):
    pool, claims, policy = r
    a = allocate(pool, claims, policy)
    e = expected(pool, claims, policy.small_claims_threshold_fen, policy.min_payment_fen)
    assert by_id(a) == {
        c.id: (e.status[c.id], e.due_principal[c.id], e.due_interest[c.id]) for c in claims
    }
    assert a.left_fen == e.left
    # the quota rule: every due is its exact share rounded down or up, never further
    for c in claims:
        due = a.payments[c.id].due_fen
        assert abs(due - e.exact_due[c.id]) < 1


@given(rounds())
def test_everything_adds_up(r):
    pool, claims, policy = r
    a = allocate(pool, claims, policy)
    net_owed = sum(c.owed_fen - c.carried_fen for c in claims)
    # the pool goes out exactly (or everything owed is covered, and the rest is left)
    assert a.allocated_fen == min(pool, net_owed)
    assert a.left_fen == max(0, pool - net_owed)
    assert sum(sum(v) for v in new_money(a, claims).values()) == a.allocated_fen
    # and every fen of it is accounted for in one place
    assert a.pool_fen + a.carried_fen == (
        a.paid_principal_fen + a.paid_interest_fen + a.held_fen + a.reserved_fen + a.left_fen
    )
    sums = {"paid": 0, "held": 0, "reserved": 0}
    for p in a.payments.values():
        places = [p.paid_fen, p.held_fen, p.reserved_fen]
        assert sum(1 for x in places if x) <= 1  # one place only
        assert sum(places) == p.due_fen
        sums["paid"] += p.paid_fen
        sums["held"] += p.held_fen
        sums["reserved"] += p.reserved_fen
    assert sums == {"paid": a.paid_fen, "held": a.held_fen, "reserved": a.reserved_fen}
    assert a.owed_fen == sum(c.owed_fen for c in claims)
    assert a.carried_fen == sum(c.carried_fen for c in claims)


@given(rounds())
def test_no_claim_gets_more_than_it_is_owed(r):
    pool, claims, policy = r
    a = allocate(pool, claims, policy)
    for c in claims:
        p = a.payments[c.id]
        assert 0 <= p.due_principal_fen <= c.principal_fen
        assert 0 <= p.due_interest_fen <= c.interest_fen
        assert p.principal_fen <= c.principal_fen and p.interest_fen <= c.interest_fen


@given(rounds())
def test_principal_comes_first(r):
    pool, claims, policy = r
    a = allocate(pool, claims, policy)
    got = new_money(a, claims)
    tiers = tier_amounts(claims, policy.small_claims_threshold_fen)
    net_principal = {c.id: sum(t[c.id] for kind, t in tiers if kind == "principal") for c in claims}
    if any(got[c.id][0] < net_principal[c.id] for c in claims):
        # some principal still unpaid: not one fen of this pool went to interest
        assert all(got[c.id][1] == 0 for c in claims)
    if policy.small_claims_threshold_fen:
        small = tiers[0][1]
        if any(got[c.id][0] < small[c.id] for c in claims):
            # the small-claims tier is not complete: nothing beyond it
            assert all(got[c.id][0] <= small[c.id] for c in claims)


@given(rounds(), st.randoms(use_true_random=False))
def test_the_order_of_the_claims_changes_nothing(r, rnd):
    pool, claims, policy = r
    shuffled = list(claims)
    rnd.shuffle(shuffled)
    a, b = allocate(pool, claims, policy), allocate(pool, shuffled, policy)
    assert by_id(a) == by_id(b)
    assert list(b.payments) == [c.id for c in shuffled]  # reported in input order
    assert (a.paid_fen, a.held_fen, a.reserved_fen, a.left_fen) == (
        b.paid_fen,
        b.held_fen,
        b.reserved_fen,
        b.left_fen,
    )


def scaled(claims: list[Claim], k: int) -> list[Claim]:
    return [
        Claim(c.id, k * c.principal_fen, k * c.interest_fen, c.disputed, k * c.carried_fen)
        for c in claims
    ]


def scaled_policy(policy: Policy, k: int) -> Policy:
    return Policy(k * policy.small_claims_threshold_fen, k * policy.min_payment_fen)


# Scaling. "Scaling every amount by an integer scales the result" cannot hold exactly with
# any rounding that keeps each claim within one fen of its exact share (the quota rule that
# largest remainder guarantees): 0.01 over two claims of 0.01 gives one of them 0.01 (the
# lower id); scaled by 2, 0.02 over two claims of 0.02 gives each 0.01 — not 0.02 and 0.00.
# What does hold, when the pool, every principal, interest and carried amount, T and M are
# all multiplied by the same k >= 1 (test_scaling_*):
#  1. exactly: the tiers the pool covers in full are the same ones and are paid k times
#     over; left, the amount allocated and every total that does not depend on rounding
#     scale by k; disputed claims are reserved either way;
#  2. each claim's due lies in [k * floor(S), k * ceil(S)], S its exact share in the
#     unscaled round, so it differs from k times its unscaled due by at most k fen (the
#     floors scale, but the leftover fen are re-dealt: k times the old leftover need not be
#     the new leftover);
#  3. when no rounding was needed (every exact share a whole fen), the scaled round is
#     exactly k times the original in every figure, held and reserved included — and any
#     round becomes such a round when scaled by its short tier's total.
@given(rounds(), st.integers(1, 50))
@example((1, [Claim("a", 1, 0), Claim("b", 1, 0)], Policy()), 2)
def test_scaling_what_holds_exactly_and_within_k_fen(r, k):
    pool, claims, policy = r
    a = allocate(pool, claims, policy)
    b = allocate(k * pool, scaled(claims, k), scaled_policy(policy, k))
    assert b.left_fen == k * a.left_fen
    assert b.allocated_fen == k * a.allocated_fen
    assert b.owed_fen == k * a.owed_fen and b.carried_fen == k * a.carried_fen
    e = expected(pool, claims, policy.small_claims_threshold_fen, policy.min_payment_fen)
    eb = expected(
        k * pool,
        scaled(claims, k),
        k * policy.small_claims_threshold_fen,
        k * policy.min_payment_fen,
    )
    assert eb.full_tiers == e.full_tiers
    for c in claims:
        pa, pb = a.payments[c.id], b.payments[c.id]
        s = e.exact_due[c.id]
        floor, ceil = s.numerator // s.denominator, -(-s.numerator // s.denominator)
        assert k * floor <= pb.due_fen <= k * ceil
        assert abs(pb.due_fen - k * pa.due_fen) <= k
        assert (pa.status == "reserved") == (pb.status == "reserved") == c.disputed
    if not e.rounded:
        assert_exactly_scaled(a, b, k)


@given(rounds(), st.integers(2, 50))
def test_scaling_a_round_that_needs_no_rounding_is_exact(r, k):
    pool, claims, policy = r
    # Scale the round by its short tier's total first: every exact share is then whole.
    short = [
        sum(t.values())
        for _, t in tier_amounts(claims, policy.small_claims_threshold_fen)
        if sum(t.values())
    ]
    m = 1
    remaining = pool
    for total in short:
        if remaining < total:
            m = total
            break
        remaining -= total
    base = allocate(m * pool, scaled(claims, m), scaled_policy(policy, m))
    assert not expected(
        m * pool, scaled(claims, m), m * policy.small_claims_threshold_fen, 0
    ).rounded
    big = allocate(k * m * pool, scaled(claims, k * m), scaled_policy(policy, k * m))
    assert_exactly_scaled(base, big, k)


def assert_exactly_scaled(a: Allocation, b: Allocation, k: int) -> None:
    for cid, pa in a.payments.items():
        pb = b.payments[cid]
        assert pb.status == pa.status
        assert (pb.due_principal_fen, pb.due_interest_fen) == (
            k * pa.due_principal_fen,
            k * pa.due_interest_fen,
        )
    for name in ("paid_principal_fen", "paid_interest_fen", "held_fen", "reserved_fen"):
        assert getattr(b, name) == k * getattr(a, name)


def test_scaling_counterexample_is_real():
    a = allocate(1, [Claim("a", 1, 0), Claim("b", 1, 0)])
    b = allocate(2, [Claim("a", 2, 0), Claim("b", 2, 0)])
    assert [p.due_fen for p in a.payments.values()] == [1, 0]
    assert [p.due_fen for p in b.payments.values()] == [1, 1]  # not [2, 0]


@given(rounds())
def test_minimum_payment_holds_and_disputes_reserve(r):
    pool, claims, policy = r
    a = allocate(pool, claims, policy)
    plain = allocate(pool, claims, Policy(policy.small_claims_threshold_fen))
    for c in claims:
        p, q = a.payments[c.id], plain.payments[c.id]
        # the minimum changes where money goes, never how much a claim is due
        assert (p.due_principal_fen, p.due_interest_fen) == (
            q.due_principal_fen,
            q.due_interest_fen,
        )
        if c.disputed:
            assert p.status == "reserved" and p.reserved_fen == p.due_fen
        elif p.status == "held":
            assert 0 < p.due_fen < policy.min_payment_fen and p.due_fen < c.owed_fen
        elif p.status == "paid":
            assert p.due_fen >= policy.min_payment_fen or p.due_fen == c.owed_fen
    assert a.left_fen == plain.left_fen


@settings(max_examples=60)
@given(claim_lists(carried=False), st.lists(st.integers(0, 10**6), min_size=1, max_size=5))
def test_held_money_is_never_lost_over_rounds(claims, pools):
    """Round after round with a minimum payment, then a last round with none: every claim
    has been paid exactly what one round of all the pools together pays it, held money
    included (reserved claims aside, whose shares are reserved each round)."""
    claims = [Claim(c.id, c.principal_fen, c.interest_fen) for c in claims]
    policy = Policy(min_payment_fen=5000)
    owed = {c.id: (c.principal_fen, c.interest_fen) for c in claims}
    carried = dict.fromkeys(owed, 0)
    paid = dict.fromkeys(owed, 0)
    left = 0
    for i, pool in enumerate([*pools, 0]):
        last = i == len(pools)
        round_claims = [Claim(k, p, r, carried_fen=carried[k]) for k, (p, r) in owed.items()]
        a = allocate(pool, round_claims, Policy() if last else policy)
        left += a.left_fen
        for k, pay in a.payments.items():
            paid[k] += pay.paid_fen
            carried[k] = pay.held_fen
            p, r = owed[k]
            owed[k] = (p - pay.principal_fen, r - pay.interest_fen)
    assert not any(carried.values())
    assert sum(paid.values()) + left == sum(pools)
    # pro rata holds across rounds up to rounding: one round of the sum pays each claim
    # within (number of rounds) fen of what the rounds together paid
    one = allocate(sum(pools), claims)
    for k in owed:
        assert abs(paid[k] - one.payments[k].paid_fen) <= len(pools) + 1


@given(rounds())
def test_deterministic_and_json_agrees(r):
    pool, claims, policy = r
    a = allocate(pool, claims, policy)
    assert by_id(a) == by_id(allocate(pool, claims, policy))
    doc = {
        "pool": format_amount(pool),
        "claims": [
            {
                "id": c.id,
                "principal": format_amount(c.principal_fen),
                "interest": format_amount(c.interest_fen),
                "disputed": c.disputed,
                "carried": format_amount(c.carried_fen),
            }
            for c in claims
        ],
        "small_claims_first": format_amount(policy.small_claims_threshold_fen),
        "min_payment": format_amount(policy.min_payment_fen),
    }
    assert allocate_json(doc) == to_json(a)
    assert policy_from_dict(policy_to_dict(policy)) == policy


@given(st.lists(st.integers(0, 10**9), max_size=40), st.data())
def test_largest_remainder_against_sorting_fractions(weights, data):
    keys = [f"k{i}" for i in range(len(weights))]
    amount = data.draw(st.integers(0, sum(weights)))
    shares = largest_remainder(amount, weights, keys)
    assert sum(shares) == amount
    total = sum(weights)
    if total:
        exact = [Fraction(amount * w, total) for w in weights]
        assert all(abs(s - x) < 1 for s, x in zip(shares, exact, strict=True))
        assert all(s <= w for s, w in zip(shares, weights, strict=True))


def test_kth_largest_on_big_lists_and_its_fallback():
    rng = random.Random(18)
    cases = [
        [rng.randrange(10**15) for _ in range(50_000)],
        [rng.randrange(3) for _ in range(50_000)],  # the bracket is all ties
        sorted(rng.randrange(10**6) for _ in range(40_000)),  # sorted: a strided sample is exact
        [0] * 39_000 + list(range(1000)),
        # the strided sample sees only the large values: the bracket misses, full sort
        [10**6 if i % 9 == 0 else i % 7 for i in range(40_000)],
    ]
    for values in cases:
        ordered = sorted(values, reverse=True)
        n = len(values)
        for k in (1, 7, 4096, 4097, n // 8, n // 2, n - 4096, n - 4095, n - 1, n):
            assert _kth_largest(values, k) == ordered[k - 1]


def test_large_round_agrees_with_the_oracle():
    rng = random.Random(7)
    claims = [
        Claim(f"c{rng.randrange(10**9)}-{i}", rng.choice([100000, rng.randrange(1, 10**8)]), 0)
        for i in range(30_000)
    ]
    pool = sum(c.principal_fen for c in claims) * 3 // 10 + 12345
    a = allocate(pool, claims)
    e = expected(pool, claims)
    assert all(a.payments[c.id].due_principal_fen == e.due_principal[c.id] for c in claims)


def test_a_large_all_tied_round_goes_by_id():
    # 60,000 equal claims: every remainder ties, so the leftover fen go to the lowest ids
    # (selected through the sampled bracket on strings, not a sort).
    rng = random.Random(3)
    keys = [f"L{i:06d}" for i in range(60_000)]
    rng.shuffle(keys)
    amount = 60_000 * 7 + 25_001  # 7 fen each and 25,001 leftover fen
    shares = largest_remainder(amount, [100] * len(keys), keys)
    lowest = set(sorted(keys)[:25_001])
    assert shares == [8 if k in lowest else 7 for k in keys]


def test_largest_remainder_with_equal_ids_still_adds_up():
    # allocate() refuses duplicate ids; the bare function falls back to a stable sort
    assert largest_remainder(1, [1, 1], ["a", "a"]) == [1, 0]
