"""JSON edge: decimal strings in, decimal strings out.

The core works on ``int`` hundredths; this module is the only place where
weights are parsed from and formatted to decimal strings (``"450.01"``).
See README.md for the schema.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from .engine import evaluate, evaluate_election
from .model import (
    Candidate,
    CandidateResult,
    Criterion,
    Decision,
    Election,
    ElectionResult,
    Group,
    Motion,
    Options,
    RulesInputError,
    Tally,
)
from .registry import Rule, get_rule
from .text import format_hundredths

#: Upper bound for heads and for weights in hundredths accepted at the JSON edge.
MAX_VALUE = 10**18

_DECIMAL = re.compile(r"[0-9]+(?:\.[0-9]{1,2})?")
_TOO_MANY_DECIMALS = re.compile(r"[0-9]+\.[0-9]{3,}")
_MOTION_KEYS = frozenset({"rule", "params", "electorate", "options", "groups"})
_ELECTION_KEYS = frozenset(
    {"rule", "params", "electorate", "participation", "seats", "max_choices", "candidates"}
)
_ELECTION_MARKERS = frozenset({"participation", "seats", "max_choices", "candidates"})


def parse_weight(value: object, path: str) -> int:
    """Parse a weight into hundredths.

    Accepts a decimal string with at most two decimals (``"450.01"``,
    ``"450.1"``, ``"450"``) or a JSON integer (``450`` -> 45000). Refuses
    JSON non-integer numbers (ask for a string: binary floats cannot carry
    fen exactly), booleans, negative values, signs, exponents, spaces.
    """
    if isinstance(value, bool):
        raise RulesInputError(
            path, "须为金额字符串，不能是布尔值 / must be a decimal string, not a boolean"
        )
    if isinstance(value, int):
        if value < 0:
            raise RulesInputError(path, "不能为负数 / must not be negative")
        hundredths = value * 100
    elif isinstance(value, float):
        raise RulesInputError(
            path,
            '小数请以字符串给出，如 "450.01" / give non-integer amounts as a decimal string, '
            'e.g. "450.01"',
        )
    elif isinstance(value, str):
        if _DECIMAL.fullmatch(value):
            whole, _, frac = value.partition(".")
            if len(whole) > 20:
                raise RulesInputError(path, "数值过大 / too large")
            hundredths = int(whole) * 100 + int(frac.ljust(2, "0") or "0")
        elif value.startswith("-") and _DECIMAL.fullmatch(value[1:]):
            raise RulesInputError(path, "不能为负数 / must not be negative")
        elif _TOO_MANY_DECIMALS.fullmatch(value.lstrip("-")):
            raise RulesInputError(path, "至多两位小数 / at most two decimals")
        else:
            raise RulesInputError(
                path,
                f'不是合法的金额 {value!r}，应如 "450.01" / not a decimal amount like "450.01"',
            )
    else:
        raise RulesInputError(path, '须为金额字符串，如 "450.01" / must be a decimal string')
    if hundredths > MAX_VALUE:
        raise RulesInputError(path, f"数值过大 / too large (max {MAX_VALUE} hundredths)")
    return hundredths


def parse_count(value: object, path: str, minimum: int = 0) -> int:
    """Parse a JSON integer count (heads, seats). Refuses booleans, floats, strings."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise RulesInputError(path, "须为整数 / must be an integer")
    if value < minimum:
        if minimum == 0:
            raise RulesInputError(path, "不能为负数 / must not be negative")
        raise RulesInputError(path, f"不能小于 {minimum} / must be at least {minimum}")
    if value > MAX_VALUE:
        raise RulesInputError(path, f"数值过大 / too large (max {MAX_VALUE})")
    return value


def _object(value: object, path: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise RulesInputError(path or "(document)", "须为 JSON 对象 / must be a JSON object")
    return value


def _only(obj: Mapping[str, Any], allowed: frozenset[str] | set[str], path: str) -> None:
    for key in obj:
        if key not in allowed:
            where = f"{path}.{key}" if path else key
            raise RulesInputError(
                where, f"未知字段 / unknown field (allowed: {', '.join(sorted(allowed))})"
            )


def _required(obj: Mapping[str, Any], key: str, path: str) -> Any:
    if key not in obj:
        raise RulesInputError(f"{path}.{key}" if path else key, "缺少此字段 / missing")
    return obj[key]


def parse_tally(value: object, path: str, weight_required: bool = True) -> Tally:
    """Parse ``{"heads": int, "weight": "decimal"}``; weight may be omitted
    (0) only when the rule compares no weights."""
    obj = _object(value, path)
    _only(obj, {"heads", "weight"}, path)
    heads = parse_count(_required(obj, "heads", path), f"{path}.heads")
    if "weight" in obj or weight_required:
        weight = parse_weight(_required(obj, "weight", path), f"{path}.weight")
    else:
        weight = 0
    return Tally(heads, weight)


def _parse_options(value: object, path: str, weight_required: bool) -> Options:
    obj = _object(value, path)
    _only(obj, {"yes", "no", "abstain"}, path)
    yes = parse_tally(_required(obj, "yes", path), f"{path}.yes", weight_required)
    no = parse_tally(_required(obj, "no", path), f"{path}.no", weight_required)
    abstain = (
        parse_tally(obj["abstain"], f"{path}.abstain", weight_required)
        if "abstain" in obj
        else Tally(0, 0)
    )
    return Options(yes, no, abstain)


def _parse_params(doc: Mapping[str, Any], rule: Rule) -> dict[str, str]:
    params = _object(doc.get("params", {}), "params")
    return rule.normalize_params(params)


def from_json(doc: object) -> Motion | Election:
    """Build a :class:`Motion` or :class:`Election` from a parsed JSON document.

    A document with any of ``participation``, ``seats``, ``max_choices``,
    ``candidates`` is an election. Raises :class:`RulesInputError` naming the
    field for anything invalid; unknown fields are refused.
    """
    obj = _object(doc, "")
    rule_id = _required(obj, "rule", "")
    if not isinstance(rule_id, str):
        raise RulesInputError("rule", "须为字符串 / must be a string")
    rule = get_rule(rule_id)
    params = _parse_params(obj, rule)
    weight_required = rule.uses_weight(params)
    if _ELECTION_MARKERS & obj.keys():
        _only(obj, _ELECTION_KEYS, "")
        candidates_obj = _object(_required(obj, "candidates", ""), "candidates")
        return Election(
            rule=rule.id,
            params=params,
            electorate=parse_tally(_required(obj, "electorate", ""), "electorate", weight_required),
            participation=parse_tally(
                _required(obj, "participation", ""), "participation", weight_required
            ),
            seats=parse_count(_required(obj, "seats", ""), "seats", 1),
            max_choices=parse_count(_required(obj, "max_choices", ""), "max_choices", 1),
            candidates=tuple(
                Candidate(name, parse_tally(v, f"candidates.{name}", weight_required))
                for name, v in candidates_obj.items()
            ),
        )
    _only(obj, _MOTION_KEYS, "")
    if rule.grouped:
        for key in ("electorate", "options"):
            if key in obj:
                raise RulesInputError(
                    key,
                    f"规则 {rule.id} 按表决组计票，请在 groups 中给出 / rule {rule.id} is grouped: "
                    "give electorate and options per group under groups",
                )
        groups_obj = _object(_required(obj, "groups", ""), "groups")
        if not groups_obj:
            raise RulesInputError("groups", "至少需要一个表决组 / at least one group is required")
        groups = []
        for name, g in groups_obj.items():
            path = f"groups.{name}"
            gobj = _object(g, path)
            _only(gobj, {"electorate", "options"}, path)
            groups.append(
                Group(
                    name=name,
                    electorate=parse_tally(
                        _required(gobj, "electorate", path), f"{path}.electorate", weight_required
                    ),
                    options=_parse_options(
                        _required(gobj, "options", path), f"{path}.options", weight_required
                    ),
                )
            )
        return Motion(rule=rule.id, params=params, groups=tuple(groups))
    if "groups" in obj:
        raise RulesInputError(
            "groups", f"规则 {rule.id} 不分组 / rule {rule.id} does not take groups"
        )
    return Motion(
        rule=rule.id,
        params=params,
        electorate=parse_tally(_required(obj, "electorate", ""), "electorate", weight_required),
        options=_parse_options(_required(obj, "options", ""), "options", weight_required),
    )


def _amount(measure: str, value: int) -> int | str:
    return format_hundredths(value) if measure == "weight" else value


def criterion_to_json(c: Criterion, _memo: dict | None = None) -> dict[str, Any]:
    """One condition: the two quantities compared, threshold, comparison, verdict, sentence.

    Heads are JSON integers, weights decimal strings. ``holds`` is true iff
    ``quantity * denominator  <comparison>  numerator * base`` (and base > 0).
    ``_memo`` (internal) shares identical renderings within one result, e.g.
    the participation condition that every candidate of an election repeats.
    """
    s = c.spec
    key = (id(s), c.quantity, c.base)
    if _memo is not None and key in _memo:
        return dict(_memo[key])
    percentage, explanation = c.render()
    out = {
        "id": s.id,
        "title": s.title,
        "measure": s.measure,
        "quantity": _amount(s.measure, c.quantity),
        "base": _amount(s.measure, c.base),
        "unit": s.unit,
        "threshold": s.threshold,
        "comparison": s.comparison,
        "holds": c.holds,
        "percentage": percentage,
        "explanation": explanation,
    }
    if _memo is not None:
        _memo[key] = out
    return out


def _rule_head(rule: Rule) -> dict[str, Any]:
    return {"rule": rule.id, "rule_name": rule.name, "citation": rule.citation}


def _candidate_to_json(c: CandidateResult, memo: dict) -> dict[str, Any]:
    return {
        "name": c.name,
        "heads": c.votes.heads,
        "weight": format_hundredths(c.votes.weight),
        "passed": c.passed,
        "status": c.status,
        "rank": c.rank,
        "summary": c.summary,
        "criteria": [criterion_to_json(x, memo) for x in c.criteria],
    }


def to_json(result: Decision | ElectionResult) -> dict[str, Any]:
    """Serialize a :class:`Decision` or :class:`ElectionResult` (see README.md)."""
    if isinstance(result, Decision):
        out: dict[str, Any] = {"kind": "motion", **_rule_head(result.rule)}
        out["passed"] = result.passed
        out["summary"] = result.summary
        out["reason_code"] = result.reason_code
        out["reason"] = result.reason
        out["criteria"] = [criterion_to_json(c) for c in result.criteria]
        if result.rule.grouped:
            out["groups"] = [
                {
                    "name": g.name,
                    "passed": g.passed,
                    "summary": g.summary,
                    "reason_code": g.reason_code,
                    "reason": g.reason,
                    "criteria": [criterion_to_json(c) for c in g.criteria],
                }
                for g in result.groups
            ]
        return out
    if isinstance(result, ElectionResult):
        memo: dict = {}  # specs stay alive during the call, so id() keys are safe
        return {
            "kind": "election",
            **_rule_head(result.rule),
            "seats": result.seats,
            "max_choices": result.max_choices,
            "elected": list(result.elected),
            "unresolved_tie": list(result.unresolved_tie),
            "vacant_seats": result.vacant_seats,
            "summary": result.summary,
            "reason_code": result.reason_code,
            "reason": result.reason,
            "candidates": [_candidate_to_json(c, memo) for c in result.candidates],
        }
    raise TypeError(f"cannot serialize {type(result).__name__}")


def evaluate_json(doc: object) -> dict[str, Any]:
    """``to_json(evaluate(from_json(doc)))`` (or the election equivalent)."""
    parsed = from_json(doc)
    if isinstance(parsed, Election):
        return to_json(evaluate_election(parsed))
    return to_json(evaluate(parsed))
