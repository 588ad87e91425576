"""An independent restatement of the round, with exact fractions, for the property tests.

Written from README.md's rules, not from the engine: exact shares as ``Fraction``, a full
sort of every claim by (fractional part desc, tier amount desc, id asc), no shortcuts.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from winddown.distribution import Claim


@dataclass
class Expected:
    due_principal: dict[str, int]
    due_interest: dict[str, int]
    status: dict[str, str]
    left: int
    # exact (unrounded) due per claim, and the tiers the pool covered in full
    exact_due: dict[str, Fraction]
    full_tiers: int
    rounded: bool  # some exact share in the round was not a whole fen


def tier_amounts(claims: list[Claim], threshold: int) -> list[tuple[str, dict[str, int]]]:
    """(kind, {id: amount}) per tier, after carried money is taken off principal first."""
    net_p, net_i = {}, {}
    for c in claims:
        cp = min(c.carried_fen, c.principal_fen)
        net_p[c.id] = c.principal_fen - cp
        net_i[c.id] = c.interest_fen - (c.carried_fen - cp)
    if threshold:
        small = {k: min(v, threshold) for k, v in net_p.items()}
        rest = {k: v - small[k] for k, v in net_p.items()}
        return [("principal", small), ("principal", rest), ("interest", net_i)]
    return [("principal", net_p), ("interest", net_i)]


def expected(pool: int, claims: list[Claim], threshold: int = 0, minimum: int = 0) -> Expected:
    due_p = {c.id: min(c.carried_fen, c.principal_fen) for c in claims}
    due_i = {c.id: c.carried_fen - due_p[c.id] for c in claims}
    exact = {c.id: Fraction(c.carried_fen) for c in claims}
    remaining = pool
    full = 0
    rounded = False
    for kind, owed in tier_amounts(claims, threshold):
        target = due_p if kind == "principal" else due_i
        total = sum(owed.values())
        if remaining >= total:
            for k, v in owed.items():
                target[k] += v
                exact[k] += v
            remaining -= total
            full += 1
            continue
        shares = {k: Fraction(remaining * v, total) for k, v in owed.items()}
        floors = {k: s.numerator // s.denominator for k, s in shares.items()}
        leftover = remaining - sum(floors.values())
        rounded = rounded or any(s.denominator != 1 for s in shares.values())
        ranked = sorted(owed, key=lambda k: (-(shares[k] - floors[k]), -owed[k], k))
        for k in ranked[:leftover]:
            floors[k] += 1
        for k in owed:
            target[k] += floors[k]
            exact[k] += shares[k]
        remaining = 0
        break
    status = {}
    for c in claims:
        due = due_p[c.id] + due_i[c.id]
        if c.disputed:
            status[c.id] = "reserved"
        elif due == 0:
            status[c.id] = "none"
        elif due < minimum and due < c.principal_fen + c.interest_fen:
            status[c.id] = "held"
        else:
            status[c.id] = "paid"
    return Expected(due_p, due_i, status, remaining, exact, full, rounded)
