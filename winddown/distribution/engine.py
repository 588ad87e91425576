"""Pro-rata repayment rounds: principal first, largest-remainder rounding.

Sources:

* 关于停业网贷机构存量业务处置和机构退出的指导意见（十五）: "制定合理的资产清偿方案，按照
  先本金后收益的原则，优先偿还出借人资金" — every claim's principal is paid before any
  收益 (regulatory-spec F.5; I-51: pro rata by outstanding principal, then by unpaid 收益).
* 《企业破产法》第一百一十九条: "破产财产分配时，对于诉讼或者仲裁未决的债权，管理人应当将其
  分配额提存。" — the model for disputed claims: their share is computed like any other
  and reserved (提存), never paid and never given to others in the same round.
* DESIGN.md: "largest remainder (Hamilton), as Shopify's money allocator does; never
  round-robin".

The waterfall, for a round with pool D (README.md has the worked examples):

1. Tiers, in order: with a small-claims threshold T > 0, ``min(principal, T)`` of every claim,
   then the rest of principal; with T = 0, principal. Then interest.
2. A tier the remaining pool covers is paid in full. A tier it does not cover gets all of it,
   pro rata: claim i's exact share is ``D * o_i / O`` (o_i its amount in the tier, O the
   tier's total); each share is floored to the fen and the ``L = D - sum(floors)`` leftover
   fen go one each to the L claims with the largest remainders ``D * o_i mod O``; equal
   remainders go to the larger o_i, then to the lower id (Python string order). Later tiers
   get nothing. What remains after the last tier is ``left``.
3. A claim's due is its carried money plus its shares. Disputed: reserved. Below the minimum
   payment M and short of settling the claim in full: held. Otherwise paid.
"""

from __future__ import annotations

import heapq
from collections.abc import Sequence
from itertools import compress
from operator import add, attrgetter
from typing import Any

from .model import Allocation, Claim, DistributionInputError, Policy, Status

__all__ = ["allocate", "largest_remainder"]

_ID = attrgetter("id")
_PRINCIPAL = attrgetter("principal_fen")
_INTEREST = attrgetter("interest_fen")
_CARRIED = attrgetter("carried_fen")
_DISPUTED = attrgetter("disputed")


def largest_remainder(amount: int, weights: Sequence[int], ids: Sequence[str]) -> list[int]:
    """Split ``amount`` fen pro rata to ``weights`` (Hamilton's method).

    Requires ``0 <= amount <= sum(weights)`` (when it is equal, every share is exact). Each
    share is ``floor(amount * w / W)`` plus one leftover fen for the ``L`` largest remainders;
    ties go to the larger weight, then to the lower id. The shares add up to ``amount`` and
    no share exceeds its weight: a claim with a remainder has an exact share below its
    weight, so its floor is at most ``w - 1``. At least ``L + 1`` remainders are non-zero
    (they add up to ``L * W``, each below ``W``), so every leftover fen goes to a claim
    whose exact share has a fractional part.
    """
    total = sum(weights)
    if not 0 <= amount <= total:
        raise ValueError("amount must lie between 0 and the sum of the weights")
    if amount == total:
        return list(weights)
    shares = [amount * w // total for w in weights]
    leftover = amount - sum(shares)
    if not leftover:
        return shares
    remainders = [amount * w % total for w in weights]
    n = len(remainders)
    # The leftover-th largest remainder; every claim strictly above it gets a fen, then the
    # number still needed among the claims exactly at it, by (larger weight, lower id).
    cut = _kth_largest(remainders, leftover)
    above = list(map(cut.__lt__, remainders))  # bools: True adds one fen
    shares = list(map(add, shares, above))
    at = list(compress(range(n), map(cut.__eq__, remainders)))
    for i in _first_by_weight_then_id(at, leftover - sum(above), weights, ids):
        shares[i] += 1
    return shares


def _first_by_weight_then_id(
    candidates: list[int], need: int, weights: Sequence[int], ids: Sequence[str]
) -> list[int]:
    """The ``need`` candidates (indices) with the larger weight, then the lower id."""
    if need >= len(candidates):
        return candidates
    cw = [weights[i] for i in candidates]
    wcut = _kth_largest(cw, need)
    chosen = [i for i, w in zip(candidates, cw, strict=True) if w > wcut]
    tied = [i for i, w in zip(candidates, cw, strict=True) if w == wcut]
    rest = need - len(chosen)
    if rest < len(tied):
        # the rest lowest ids: up to the rest-th smallest (ids are unique; if a caller of
        # largest_remainder passed equal ids, sort instead)
        tied_ids = [ids[i] for i in tied]
        last = _kth_largest(tied_ids, len(tied) - rest + 1)
        picked = [i for i, x in zip(tied, tied_ids, strict=True) if x <= last]
        if len(picked) != rest:
            picked = sorted(tied, key=ids.__getitem__)[:rest]
        tied = picked
    return chosen + tied


def _kth_largest(values: list[Any], k: int) -> Any:
    """The k-th largest of ``values`` (1 <= k <= len(values); ints, or the ids), exactly.

    A full sort of a million big integers is most of a round's time, so a strided sample
    first brackets the answer and only the values inside the bracket are sorted; if the
    bracket misses (it cannot for long on real data, but any data is allowed), fall back to
    the full sort. The answer is the same either way.
    """
    n = len(values)
    if n < 20_000:
        return sorted(values, reverse=True)[k - 1]
    # Near either end a bracket from the sample can miss (about n / 4096 values lie beyond
    # the sample's extremes), and a heap of a few thousand is cheap there.
    if k <= 4096:
        return heapq.nlargest(k, values)[-1]
    if n - k < 4096:
        return heapq.nsmallest(n - k + 1, values)[-1]
    step = n // 4096
    sample = sorted(values[::step], reverse=True)
    s = len(sample)
    j = k * s // n
    margin = 64 + s // 64
    hi = sample[max(0, j - margin)]
    lo = sample[min(s - 1, j + margin)]
    above = sum(map(hi.__lt__, values))
    inside = [v for v in compress(values, map(lo.__le__, values)) if v <= hi]
    if above < k <= above + len(inside):
        inside.sort(reverse=True)
        return inside[k - above - 1]
    return sorted(values, reverse=True)[k - 1]


def _first_bad_amount(values: list, name: str) -> None:
    for i, v in enumerate(values):
        if type(v) is not int:
            raise DistributionInputError(
                f"claims[{i}].{name}", "须为整数（分） / must be an int number of fen"
            )
        if v < 0:
            raise DistributionInputError(f"claims[{i}].{name}", "不能为负数 / must not be negative")


def _check_amounts(values: list, name: str) -> None:
    if not set(map(type, values)) <= {int} or min(values, default=0) < 0:
        _first_bad_amount(values, name)


def _validate(pool_fen: object, claims: Sequence[Claim], policy: object) -> None:
    if type(pool_fen) is not int:
        raise DistributionInputError("pool", "须为整数（分） / must be an int number of fen")
    if pool_fen < 0:
        raise DistributionInputError("pool", "不能为负数 / must not be negative")
    if not isinstance(policy, Policy):
        raise DistributionInputError("policy", "须为 Policy / must be a Policy")
    if not set(map(type, claims)) <= {Claim}:
        for i, c in enumerate(claims):
            if not isinstance(c, Claim):
                raise DistributionInputError(f"claims[{i}]", "须为 Claim / must be a Claim")


def _validate_columns(
    ids: list, principal: list, interest: list, carried: list, disputed: list
) -> None:
    if not set(map(type, ids)) <= {str} or not all(ids):
        for i, x in enumerate(ids):
            if type(x) is not str or not x:
                raise DistributionInputError(
                    f"claims[{i}].id", "须为非空字符串 / must be a non-empty string"
                )
    if len(set(ids)) != len(ids):
        seen: dict[str, int] = {}
        for i, x in enumerate(ids):
            if x in seen:
                raise DistributionInputError(
                    f"claims[{i}].id",
                    f"编号 {x!r} 与 claims[{seen[x]}] 重复 / duplicate id (as claims[{seen[x]}])",
                )
            seen[x] = i
    _check_amounts(principal, "principal")
    _check_amounts(interest, "interest")
    _check_amounts(carried, "carried")
    if not set(map(type, disputed)) <= {bool}:
        for i, d in enumerate(disputed):
            if type(d) is not bool:
                raise DistributionInputError(
                    f"claims[{i}].disputed", "须为 true 或 false / must be a boolean"
                )
    if not any(carried):
        return
    for i, (c, p, r) in enumerate(zip(carried, principal, interest, strict=True)):
        if c > p + r:
            raise DistributionInputError(
                f"claims[{i}].carried",
                "留存金额超过应付本息 / carried above principal + interest owed",
            )


def allocate(pool_fen: int, claims: Sequence[Claim], policy: Policy | None = None) -> Allocation:
    """Allocate one repayment round of ``pool_fen`` over ``claims`` under ``policy``.

    Deterministic and independent of the order of ``claims`` (results are reported in input
    order). Raises :class:`DistributionInputError` naming the field (``pool``,
    ``claims[3].principal``, ...) for non-int or negative amounts, duplicate or empty ids,
    carried money above what is owed.
    """
    policy = Policy() if policy is None else policy
    claims = list(claims)
    _validate(pool_fen, claims, policy)
    ids = list(map(_ID, claims))
    principal = list(map(_PRINCIPAL, claims))
    interest = list(map(_INTEREST, claims))
    carried = list(map(_CARRIED, claims))
    disputed = list(map(_DISPUTED, claims))
    _validate_columns(ids, principal, interest, carried, disputed)

    # Carried money counts as already allocated, principal first.
    if any(carried):
        carried_p = [c if c < p else p for c, p in zip(carried, principal, strict=True)]
        carried_i = [c - cp for c, cp in zip(carried, carried_p, strict=True)]
        net_p = [p - cp for p, cp in zip(principal, carried_p, strict=True)]
        net_i = [r - ci for r, ci in zip(interest, carried_i, strict=True)]
    else:
        carried_p = carried_i = None
        net_p, net_i = principal, interest

    threshold = policy.small_claims_threshold_fen
    tiers: list[tuple[bool, list[int]]]  # (is principal, amounts)
    if threshold:
        small = [p if p < threshold else threshold for p in net_p]
        rest = [p - s for p, s in zip(net_p, small, strict=True)]
        tiers = [(True, small), (True, rest), (False, net_i)]
    else:
        tiers = [(True, net_p), (False, net_i)]

    remaining = pool_fen
    due_p: list[int] | None = None
    due_i: list[int] | None = None
    for is_principal, owed in tiers:
        if not remaining:
            break
        total = sum(owed)
        if not total:
            continue
        if remaining >= total:
            got = owed
            remaining -= total
        else:
            got = largest_remainder(remaining, owed, ids)
            remaining = 0
        if is_principal:
            due_p = list(got) if due_p is None else [a + b for a, b in zip(due_p, got, strict=True)]
        else:
            due_i = list(got)
    n = len(claims)
    zeros = [0] * n
    due_p = zeros if due_p is None else due_p
    due_i = zeros if due_i is None else due_i
    if carried_p is not None and carried_i is not None:
        due_p = [a + b for a, b in zip(due_p, carried_p, strict=True)]
        due_i = [a + b for a, b in zip(due_i, carried_i, strict=True)]

    statuses = _statuses(policy.min_payment_fen, due_p, due_i, principal, interest, disputed)
    sums = dict.fromkeys(("paid_p", "paid_i", "held", "reserved"), 0)
    if statuses.count("paid") != len(statuses):
        for s, p, r in zip(statuses, due_p, due_i, strict=True):
            if s == "paid":
                sums["paid_p"] += p
                sums["paid_i"] += r
            elif s == "held":
                sums["held"] += p + r
            elif s == "reserved":
                sums["reserved"] += p + r
    else:
        sums["paid_p"] = sum(due_p)
        sums["paid_i"] = sum(due_i)
    return Allocation(
        pool_fen=pool_fen,
        policy=policy,
        claim_ids=tuple(ids),
        statuses=tuple(statuses),
        due_principal_fen=tuple(due_p),
        due_interest_fen=tuple(due_i),
        owed_fen=sum(principal) + sum(interest),
        carried_fen=sum(carried),
        paid_principal_fen=sums["paid_p"],
        paid_interest_fen=sums["paid_i"],
        held_fen=sums["held"],
        reserved_fen=sums["reserved"],
        left_fen=remaining,
    )


def _statuses(
    minimum: int,
    due_p: list[int],
    due_i: list[int],
    principal: list[int],
    interest: list[int],
    disputed: list[bool],
) -> list[Status]:
    """reserved (disputed) > none (nothing due) > held (below M, claim not settled) > paid."""
    if not minimum and not any(disputed):
        return ["paid" if p or r else "none" for p, r in zip(due_p, due_i, strict=True)]
    out: list[Status] = []
    append = out.append
    for p, r, owed_p, owed_r, d in zip(due_p, due_i, principal, interest, disputed, strict=True):
        due = p + r
        if d:
            append("reserved")
        elif not due:
            append("none")
        elif due < minimum and due < owed_p + owed_r:
            append("held")
        else:
            append("paid")
    return out
