"""JSON edge: decimal strings in, decimal strings out (README.md has the schema).

The core works on ``int`` fen; this module is the only place where amounts are parsed from
and formatted to decimal strings (``"545.45"``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from winddown.money import format_yuan

from .engine import allocate
from .model import Allocation, Claim, DistributionInputError, Policy

#: Upper bound for any amount at the JSON edge, in fen (10^16 yuan).
MAX_FEN = 10**18
#: Longest accepted claim id, in characters.
MAX_ID_LENGTH = 200

#: Identifies the allocation method; a verifier refuses a policy naming another one.
METHOD = "winddown.distribution/1"
_FIXED_POLICY = {
    "method": METHOD,
    "order": ["small-claims-tier", "principal", "interest"],
    "rounding": "floor-then-largest-remainder",
    "tie_break": ["larger-remainder", "larger-tier-amount", "lower-id"],
}
_POLICY_KEYS = frozenset({*_FIXED_POLICY, "small_claims_first", "min_payment"})

_AMOUNT = re.compile(r"[0-9]+(?:\.[0-9]{1,2})?")
_TOO_MANY_DECIMALS = re.compile(r"-?[0-9]+\.[0-9]{3,}")
_DOC_KEYS = frozenset({"pool", "claims", "small_claims_first", "min_payment"})
_CLAIM_KEYS = frozenset({"id", "principal", "interest", "disputed", "carried"})


@dataclass(frozen=True)
class RoundInput:
    """A parsed input document."""

    pool_fen: int
    claims: tuple[Claim, ...]
    policy: Policy


def parse_amount(value: object, path: str) -> int:
    """Parse a decimal string with at most two decimals (``"600"``, ``"600.5"``,
    ``"600.50"``) into fen.

    Refused, naming ``path``: JSON numbers (binary floats cannot carry fen exactly, so every
    amount is a string), booleans, negatives, more than two decimals, signs, exponents,
    spaces, separators, amounts above :data:`MAX_FEN`.
    """
    if isinstance(value, str):
        if _AMOUNT.fullmatch(value):
            whole, _, frac = value.partition(".")
            if len(whole) > 19:
                raise DistributionInputError(path, "金额过大 / amount too large")
            fen = int(whole) * 100 + int(frac.ljust(2, "0") or "0")
            if fen > MAX_FEN:
                raise DistributionInputError(path, "金额过大 / amount too large")
            return fen
        if _TOO_MANY_DECIMALS.fullmatch(value):
            raise DistributionInputError(
                path, "至多两位小数（精确到分） / at most two decimals (fen)"
            )
        if value.startswith("-") and _AMOUNT.fullmatch(value[1:]):
            raise DistributionInputError(path, "不能为负数 / must not be negative")
        raise DistributionInputError(
            path, f'不是合法的金额 {value!r}，应如 "600.00" / not a decimal amount like "600.00"'
        )
    if isinstance(value, bool):
        raise DistributionInputError(
            path,
            '须为金额字符串，如 "600.00"，不能是布尔值 / must be a decimal string, not a boolean',
        )
    if isinstance(value, int | float):
        raise DistributionInputError(
            path,
            '金额须以字符串给出，如 "600.00"，不能是 JSON 数字 / give amounts as decimal strings, '
            'e.g. "600.00", not JSON numbers',
        )
    raise DistributionInputError(path, '须为金额字符串，如 "600.00" / must be a decimal string')


def format_amount(fen: int) -> str:
    """12345 -> ``"123.45"`` (two decimals, no grouping)."""
    return format_yuan(fen, grouping=False)


def _object(value: object, path: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise DistributionInputError(path, "须为 JSON 对象 / must be a JSON object")
    return value


def _only(obj: Mapping[str, Any], allowed: frozenset[str], path: str) -> None:
    for key in obj:
        if key not in allowed:
            where = f"{path}.{key}" if path else str(key)
            raise DistributionInputError(
                where, f"未知字段 / unknown field (allowed: {', '.join(sorted(allowed))})"
            )


def _required(obj: Mapping[str, Any], key: str, path: str) -> Any:
    if key not in obj:
        raise DistributionInputError(f"{path}.{key}" if path else key, "缺少此字段 / missing")
    return obj[key]


def _fen(value: object) -> int | None:
    """Fast path of :func:`parse_amount` for a valid amount string; ``None`` otherwise."""
    if type(value) is not str or len(value) > 22 or not _AMOUNT.fullmatch(value):
        return None
    dot = value.find(".")
    if dot < 0:
        fen = int(value) * 100
    else:
        fen = int(value[:dot] + value[dot + 1 :])
        if len(value) - dot == 2:  # one decimal
            fen *= 10
    return fen if fen <= MAX_FEN else None


def _fast_claim(value: object) -> Claim | None:
    """The common, valid claim, without building error paths; ``None`` sends the claim to
    :func:`_parse_claim`, which accepts exactly the same documents and names what is wrong."""
    if type(value) is not dict or not value.keys() <= _CLAIM_KEYS:
        return None
    cid = value.get("id")
    if type(cid) is not str or not 0 < len(cid) <= MAX_ID_LENGTH:
        return None
    principal = _fen(value.get("principal"))
    interest = _fen(value.get("interest"))
    if principal is None or interest is None:
        return None
    disputed = value.get("disputed", False)
    carried = _fen(value["carried"]) if "carried" in value else 0
    if type(disputed) is not bool or carried is None or carried > principal + interest:
        return None
    return Claim(cid, principal, interest, disputed, carried)


def _parse_claim(value: object, path: str) -> Claim:
    obj = _object(value, path)
    _only(obj, _CLAIM_KEYS, path)
    cid = _required(obj, "id", path)
    if not isinstance(cid, str) or not cid:
        raise DistributionInputError(f"{path}.id", "须为非空字符串 / must be a non-empty string")
    if len(cid) > MAX_ID_LENGTH:
        raise DistributionInputError(
            f"{path}.id", f"至多 {MAX_ID_LENGTH} 个字符 / at most {MAX_ID_LENGTH} characters"
        )
    principal = parse_amount(_required(obj, "principal", path), f"{path}.principal")
    interest = parse_amount(_required(obj, "interest", path), f"{path}.interest")
    disputed = obj.get("disputed", False)
    if not isinstance(disputed, bool):
        raise DistributionInputError(
            f"{path}.disputed", "须为 true 或 false / must be true or false"
        )
    carried = parse_amount(obj["carried"], f"{path}.carried") if "carried" in obj else 0
    if carried > principal + interest:
        raise DistributionInputError(
            f"{path}.carried", "留存金额超过应付本息 / carried above principal + interest owed"
        )
    return Claim(cid, principal, interest, disputed, carried)


def from_json(doc: object) -> RoundInput:
    """Build a :class:`RoundInput` from a parsed JSON document.

    Raises :class:`DistributionInputError` naming the field (``pool``, ``claims[3].principal``,
    ``claims[2].id`` for a duplicate, ``small_claims_first``, ...); unknown fields are refused.
    """
    obj = _object(doc, "(document)")
    _only(obj, _DOC_KEYS, "")
    pool = parse_amount(_required(obj, "pool", ""), "pool")
    raw_claims = _required(obj, "claims", "")
    if not isinstance(raw_claims, list):
        raise DistributionInputError("claims", "须为 JSON 数组 / must be a JSON array")
    claims = []
    seen: dict[str, int] = {}
    for i, raw in enumerate(raw_claims):
        claim = _fast_claim(raw) or _parse_claim(raw, f"claims[{i}]")
        if claim.id in seen:
            first = seen[claim.id]
            raise DistributionInputError(
                f"claims[{i}].id",
                f"编号 {claim.id!r} 与 claims[{first}] 重复 / duplicate id (as claims[{first}])",
            )
        seen[claim.id] = i
        claims.append(claim)
    policy = Policy(
        small_claims_threshold_fen=parse_amount(
            obj.get("small_claims_first", "0"), "small_claims_first"
        ),
        min_payment_fen=parse_amount(obj.get("min_payment", "0"), "min_payment"),
    )
    return RoundInput(pool, tuple(claims), policy)


def policy_to_dict(policy: Policy) -> dict[str, Any]:
    """The policy as published in a round's bundle: the method and its fixed rules, and the
    two options as decimal strings. :func:`policy_from_dict` reads it back."""
    return {
        **{k: list(v) if isinstance(v, list) else v for k, v in _FIXED_POLICY.items()},
        "small_claims_first": format_amount(policy.small_claims_threshold_fen),
        "min_payment": format_amount(policy.min_payment_fen),
    }


def policy_from_dict(doc: object) -> Policy:
    """Read a dict written by :func:`policy_to_dict`. Every key is required; ``method``,
    ``order``, ``rounding`` and ``tie_break`` must be this core's, so a bundle computed
    under other rules is refused rather than recomputed differently."""
    obj = _object(doc, "policy")
    _only(obj, _POLICY_KEYS, "policy")
    for key, expected in _FIXED_POLICY.items():
        if _required(obj, key, "policy") != expected:
            raise DistributionInputError(
                f"policy.{key}",
                f"本核心只实现 {expected!r} / this core implements only {expected!r}",
            )
    return Policy(
        small_claims_threshold_fen=parse_amount(
            _required(obj, "small_claims_first", "policy"), "policy.small_claims_first"
        ),
        min_payment_fen=parse_amount(_required(obj, "min_payment", "policy"), "policy.min_payment"),
    )


def to_json(allocation: Allocation) -> dict[str, Any]:
    """Serialize an :class:`Allocation` (see README.md): ``payments`` (every claim, input
    order: ``principal``, ``interest`` paid now, ``held``, ``reserved``), ``left``,
    ``totals``, ``policy``."""
    zero = "0.00"
    payments: dict[str, dict[str, str]] = {}
    for cid, status, p, r in zip(
        allocation.claim_ids,
        allocation.statuses,
        allocation.due_principal_fen,
        allocation.due_interest_fen,
        strict=True,
    ):
        if status == "paid":
            row = {"principal": format_amount(p), "interest": format_amount(r)}
            row["held"] = row["reserved"] = zero
        else:
            due = zero if status == "none" else format_amount(p + r)
            row = {
                "principal": zero,
                "interest": zero,
                "held": due if status == "held" else zero,
                "reserved": due if status == "reserved" else zero,
            }
        payments[cid] = row
    a = allocation
    return {
        "payments": payments,
        "left": format_amount(a.left_fen),
        "totals": {
            "pool": format_amount(a.pool_fen),
            "owed": format_amount(a.owed_fen),
            "carried": format_amount(a.carried_fen),
            "principal": format_amount(a.paid_principal_fen),
            "interest": format_amount(a.paid_interest_fen),
            "held": format_amount(a.held_fen),
            "reserved": format_amount(a.reserved_fen),
            "left": format_amount(a.left_fen),
        },
        "policy": policy_to_dict(a.policy),
    }


def allocate_json(doc: object) -> dict[str, Any]:
    """``to_json(allocate(...))`` of a parsed input document."""
    parsed = from_json(doc)
    return to_json(allocate(parsed.pool_fen, parsed.claims, parsed.policy))
