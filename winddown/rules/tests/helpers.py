"""Shared builders for the rules tests."""

from __future__ import annotations

from winddown.rules import Decision, Motion, Options, Tally, evaluate

Pair = tuple[int, int]


def motion(
    rule: str,
    electorate: Pair,
    yes: Pair,
    no: Pair = (0, 0),
    abstain: Pair = (0, 0),
    **params: str,
) -> Motion:
    return Motion(
        rule=rule,
        electorate=Tally(*electorate),
        options=Options(Tally(*yes), Tally(*no), Tally(*abstain)),
        params=params,
    )


def decide(rule: str, electorate: Pair, yes: Pair, no: Pair = (0, 0), abstain: Pair = (0, 0), **p):
    return evaluate(motion(rule, electorate, yes, no, abstain, **p))


def holds(decision: Decision, criterion_id: str) -> bool:
    return crit(decision, criterion_id).holds


def crit(decision: Decision, criterion_id: str):
    matches = [c for c in decision.criteria if c.id == criterion_id]
    assert len(matches) == 1, (criterion_id, [c.id for c in decision.criteria])
    return matches[0]
