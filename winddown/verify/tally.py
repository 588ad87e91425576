"""Counting final ballots and deciding with the rules engine.

A voter's final ballot is their log entry with the highest ``seq``; only final
ballots count. ``tally_ballots`` is what the platform's own counting can call;
the verifier counts with its own streaming code (:mod:`winddown.verify.check`)
and shares only :func:`aggregate`, :func:`sum_by_choice` and :func:`evaluate_tally`
with it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from winddown.rules import (
    Candidate,
    Decision,
    Election,
    ElectionResult,
    Motion,
    Options,
    Tally,
    evaluate,
    evaluate_election,
    to_json,
)

from .spec import FIELD_RE, EventSpec, parse_manifest, with_defaults


class TallyError(ValueError):
    """A ballot that cannot be counted (bad choice, changing weight ...)."""


def _spec(manifest_or_spec: Mapping[str, Any] | EventSpec) -> EventSpec:
    if isinstance(manifest_or_spec, EventSpec):
        return manifest_or_spec
    return parse_manifest(with_defaults(manifest_or_spec))


def _count(heads: int, weight: int) -> dict[str, int]:
    return {"heads": heads, "weight_fen": weight}


def aggregate(
    spec: EventSpec, per_choice: Mapping[tuple[str, ...], tuple[int, int]]
) -> dict[str, Any]:
    """The tally document from the final ballots grouped by choice.

    ``per_choice`` maps the option / candidate keys of a choice (``("yes",)``,
    ``("c1", "c3")``) to ``(heads, weight_fen)`` of the voters whose final
    ballot it is. Resolution: ``{"participation": {...}, "options": {key:
    {"heads", "weight_fen"}}}``; election: ``{"participation": ...,
    "candidates": ...}``, keys in manifest order, zero counts included.
    """
    keys = spec.options if spec.kind == "resolution" else tuple(spec.candidates)
    heads = dict.fromkeys(keys, 0)
    weights = dict.fromkeys(keys, 0)
    total_heads = total_weight = 0
    for names, (h, w) in per_choice.items():
        total_heads += h
        total_weight += w
        for key in names:
            heads[key] += h
            weights[key] += w
    section = "options" if spec.kind == "resolution" else "candidates"
    return {
        "participation": _count(total_heads, total_weight),
        section: {k: _count(heads[k], weights[k]) for k in keys},
    }


def sum_by_choice(finals: Iterable[tuple[Any, int]]) -> dict[Any, tuple[int, int]]:
    """``(choice, weight)`` per voter -> ``{choice: (heads, weight sum)}``."""
    heads: dict[Any, int] = {}
    weights: dict[Any, int] = {}
    for choice, weight in finals:
        heads[choice] = heads.get(choice, 0) + 1
        weights[choice] = weights.get(choice, 0) + weight
    return {c: (heads[c], weights[c]) for c in heads}


def tally_ballots(
    manifest: Mapping[str, Any] | EventSpec,
    ballots: Iterable[Any],
) -> dict[str, Any]:
    """Count the final ballots of an event's ballot log.

    ``ballots``: the log in ``seq`` order, as :class:`~winddown.verify.BallotLine`
    objects or ``(voter, choice, weight_fen)`` tuples. Each voter counts once,
    with their last entry. Raises :class:`TallyError` naming the entry (its
    position, 1-based, and seq when known) for a choice not valid for the
    event, a voter whose weight changes, a malformed voter, or more voters
    or weight than the electorate.

    Returns the tally document (see :func:`aggregate`); put it in the
    manifest as ``declared.tally``.
    """
    spec = _spec(manifest)
    final: dict[str, int] = {}
    weight_of: dict[str, int] = {}
    ids: dict[str, int] = {}
    choice_keys: list[tuple[str, ...]] = []
    voter_re = FIELD_RE["voter"]
    total_weight = 0
    for position, item in enumerate(ballots, start=1):
        if isinstance(item, tuple):
            voter, choice, weight = item
            where = f"第 {position} 条 / entry {position}"
        else:
            voter, choice, weight = item.voter, item.choice, item.weight_fen
            where = f"seq {item.seq}"
        cid = ids.get(choice)
        if cid is None:
            keys = spec.choice_keys(choice.encode()) if isinstance(choice, str) else "not a str"
            if isinstance(keys, str):
                raise TallyError(f"{where}: choice {choice!r}: {keys}")
            cid = ids[choice] = len(choice_keys)
            choice_keys.append(keys)
        if type(weight) is not int or weight < 0:
            raise TallyError(f"{where}: weight_fen 须为非负整数 / must be a non-negative int")
        old = weight_of.get(voter)
        if old is None:
            if not isinstance(voter, str) or not voter_re.fullmatch(voter.encode()):
                raise TallyError(f"{where}: voter {voter!r}: 格式错误 / malformed")
            if len(weight_of) + 1 > spec.electorate_heads:
                raise TallyError(
                    f"{where}: 投票人数超过 electorate.heads（{spec.electorate_heads}） / more "
                    f"voters than electorate.heads ({spec.electorate_heads})"
                )
            total_weight += weight
            if total_weight > spec.electorate_weight:
                raise TallyError(
                    f"{where}: 投票人权重合计超过 electorate.weight_fen（{spec.electorate_weight}）"
                    f" / voters' weight exceeds electorate.weight_fen ({spec.electorate_weight})"
                )
            weight_of[voter] = weight
        elif old != weight:
            raise TallyError(
                f"{where}: 出借人 {voter} 的 weight_fen 由 {old} 变为 {weight} / weight_fen of "
                f"voter {voter} changes from {old} to {weight}"
            )
        final[voter] = cid
    sums = sum_by_choice(zip(final.values(), weight_of.values(), strict=True))
    return aggregate(spec, {choice_keys[cid]: hw for cid, hw in sums.items()})


def _tally(obj: Any, path: str) -> Tally:
    if not isinstance(obj, Mapping):
        raise TallyError(f"{path}: 须为对象 / must be an object")
    heads, weight = obj.get("heads"), obj.get("weight_fen")
    if type(heads) is not int or type(weight) is not int:
        raise TallyError(f"{path}: heads / weight_fen 须为整数 / must be integers")
    return Tally(heads, weight)


def evaluate_tally(
    manifest: Mapping[str, Any] | EventSpec, tally: Mapping[str, Any]
) -> Decision | ElectionResult:
    """Decide a tally with :mod:`winddown.rules`.

    Resolution: a :class:`~winddown.rules.Motion` with the manifest's
    electorate and options yes / no / abstain. Election: an
    :class:`~winddown.rules.Election` whose candidates are the manifest's
    candidates *by display name*, in manifest order. Raises
    :class:`~winddown.rules.RulesInputError` if the engine refuses the numbers.
    """
    spec = _spec(manifest)
    electorate = Tally(spec.electorate_heads, spec.electorate_weight)
    participation = _tally(tally.get("participation"), "participation")
    if spec.kind == "resolution":
        opts = tally.get("options")
        if not isinstance(opts, Mapping):
            raise TallyError("options: 须为对象 / must be an object")
        zero = {"heads": 0, "weight_fen": 0}
        options = Options(
            yes=_tally(opts.get("yes"), "options.yes"),
            no=_tally(opts.get("no"), "options.no"),
            abstain=_tally(opts.get("abstain", zero), "options.abstain"),
        )
        return evaluate(
            Motion(spec.rule, electorate=electorate, options=options, params=spec.params)
        )
    cands = tally.get("candidates")
    if not isinstance(cands, Mapping):
        raise TallyError("candidates: 须为对象 / must be an object")
    return evaluate_election(
        Election(
            rule=spec.rule,
            electorate=electorate,
            participation=participation,
            seats=spec.seats,
            max_choices=spec.max_choices,
            candidates=tuple(
                Candidate(name, _tally(cands.get(key), f"candidates.{key}"))
                for key, name in spec.candidates.items()
            ),
            params=spec.params,
        )
    )


def declare(manifest: Mapping[str, Any], ballots: Iterable[Any]) -> dict[str, Any]:
    """``{"tally": ..., "result": ...}`` for the manifest's ``declared`` section:
    :func:`tally_ballots`, then :func:`evaluate_tally` rendered with
    :func:`winddown.rules.to_json`."""
    tally = tally_ballots(manifest, ballots)
    return {"tally": tally, "result": to_json(evaluate_tally(manifest, tally))}
