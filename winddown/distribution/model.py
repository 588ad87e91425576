"""Frozen dataclasses of the distribution core: inputs, policy, results, the input error.

Every amount is an ``int`` number of fen (分). See README.md for the semantics.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Literal

Status = Literal["paid", "held", "reserved", "none"]
#: What a claim's share of the round is, in order of precedence: ``reserved`` (disputed:
#: 提存), ``none`` (nothing due), ``held`` (below the minimum payment: kept for the next
#: round), ``paid``.
STATUSES: tuple[Status, ...] = ("paid", "held", "reserved", "none")


class DistributionInputError(ValueError):
    """Invalid input. ``field`` is the JSON path (``claims[3].principal``), ``message`` is
    bilingual (Chinese / English); ``str(exc)`` is ``"<field>: <message>"``."""

    def __init__(self, field: str, message: str) -> None:
        self.field = field
        self.message = message
        super().__init__(f"{field}: {message}")


@dataclass(frozen=True, slots=True)
class Claim:
    """One lender's claim at the round.

    ``principal_fen`` and ``interest_fen`` are what is still owed (outstanding principal and
    unpaid 收益). ``carried_fen`` is money held for this claim in earlier rounds (below the
    minimum payment, not yet paid out, so still included in what is owed); it counts as
    already allocated, principal first. ``disputed``: the claim's share is reserved (提存),
    not paid.
    """

    id: str
    principal_fen: int
    interest_fen: int
    disputed: bool = False
    carried_fen: int = 0

    @property
    def owed_fen(self) -> int:
        return self.principal_fen + self.interest_fen


@dataclass(frozen=True)
class Policy:
    """The round's policy; ``0`` switches an option off.

    ``small_claims_threshold_fen`` (T): each claim's first ``min(principal, T)`` forms a tier
    paid before the rest of principal. ``min_payment_fen`` (M): a claim's share below M is
    held for the next round, unless it settles the claim in full.
    """

    small_claims_threshold_fen: int = 0
    min_payment_fen: int = 0

    def __post_init__(self) -> None:
        for name, path in (
            ("small_claims_threshold_fen", "small_claims_first"),
            ("min_payment_fen", "min_payment"),
        ):
            value = getattr(self, name)
            if type(value) is not int:
                raise DistributionInputError(path, "须为整数（分） / must be an int number of fen")
            if value < 0:
                raise DistributionInputError(path, "不能为负数 / must not be negative")


@dataclass(frozen=True, slots=True)
class Payment:
    """One claim's result.

    ``due_principal_fen`` / ``due_interest_fen``: what the round assigns to the claim (money
    carried from earlier rounds plus its share of this pool), principal first. The due
    amount goes to exactly one place, named by ``status``: paid out now
    (``principal_fen`` / ``interest_fen``), ``held_fen`` or ``reserved_fen``.
    """

    status: Status
    due_principal_fen: int
    due_interest_fen: int

    @property
    def due_fen(self) -> int:
        return self.due_principal_fen + self.due_interest_fen

    @property
    def principal_fen(self) -> int:
        """Principal paid out in this round."""
        return self.due_principal_fen if self.status == "paid" else 0

    @property
    def interest_fen(self) -> int:
        """Interest (收益) paid out in this round."""
        return self.due_interest_fen if self.status == "paid" else 0

    @property
    def paid_fen(self) -> int:
        return self.due_fen if self.status == "paid" else 0

    @property
    def held_fen(self) -> int:
        """Held for the next round (below the minimum payment); pass it back as
        ``Claim.carried_fen``."""
        return self.due_fen if self.status == "held" else 0

    @property
    def reserved_fen(self) -> int:
        """Reserved for a disputed claim (提存) until the dispute ends."""
        return self.due_fen if self.status == "reserved" else 0


class Payments(Mapping[str, Payment]):
    """Read-only map claim id -> :class:`Payment`, in input order, built on access (a round of
    a million claims keeps its results as columns, not a million objects)."""

    __slots__ = ("_alloc", "_index")

    def __init__(self, alloc: Allocation) -> None:
        self._alloc = alloc
        self._index: dict[str, int] | None = None

    def _payment(self, i: int) -> Payment:
        a = self._alloc
        return Payment(a.statuses[i], a.due_principal_fen[i], a.due_interest_fen[i])

    def __getitem__(self, claim_id: str) -> Payment:
        if self._index is None:
            self._index = {cid: i for i, cid in enumerate(self._alloc.claim_ids)}
        return self._payment(self._index[claim_id])

    def __iter__(self) -> Iterator[str]:
        return iter(self._alloc.claim_ids)

    def __len__(self) -> int:
        return len(self._alloc.claim_ids)

    def items_in_order(self) -> Iterator[tuple[str, Payment]]:
        for i, cid in enumerate(self._alloc.claim_ids):
            yield cid, self._payment(i)


@dataclass(frozen=True)
class Allocation:
    """The result of :func:`winddown.distribution.allocate`.

    Per claim, as columns in input order: ``claim_ids``, ``statuses``, ``due_principal_fen``,
    ``due_interest_fen``; ``payments`` gives them as :class:`Payment` objects by id.

    Totals reconcile exactly:
    ``pool_fen + carried_fen == paid_principal_fen + paid_interest_fen + held_fen
    + reserved_fen + left_fen``, and ``left_fen = max(0, pool_fen - (owed_fen - carried_fen))``
    is the part of the pool beyond everything owed, reported and never paid.
    """

    pool_fen: int
    policy: Policy
    claim_ids: tuple[str, ...] = field(repr=False)
    statuses: tuple[Status, ...] = field(repr=False)
    due_principal_fen: tuple[int, ...] = field(repr=False)
    due_interest_fen: tuple[int, ...] = field(repr=False)
    owed_fen: int
    carried_fen: int
    paid_principal_fen: int
    paid_interest_fen: int
    held_fen: int
    reserved_fen: int
    left_fen: int

    @cached_property
    def payments(self) -> Payments:
        return Payments(self)

    @property
    def paid_fen(self) -> int:
        return self.paid_principal_fen + self.paid_interest_fen

    @property
    def allocated_fen(self) -> int:
        """The part of this round's pool given to claims: ``pool_fen - left_fen``."""
        return self.pool_fen - self.left_fen
