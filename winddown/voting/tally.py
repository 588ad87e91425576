"""Counting an event's current ballots and deciding it with the rules engine.

The tally document has the shape the published bundle declares and the independent
verifier recomputes (winddown/verify/README.md): participation and, per option or candidate
key, {"heads", "weight_fen"}. Candidates enter the rules engine under their names (which are
unique within an event), as the verifier does.
"""

from __future__ import annotations

from django.db.models import Count, Sum

from winddown.rules import (
    Candidate,
    Election,
    Motion,
    Options,
    Tally,
    evaluate,
    evaluate_election,
    to_json,
)
from winddown.voting.models import Ballot, EventKind, VotingEvent

RESOLUTION_OPTIONS = ("yes", "no", "abstain")
OPTION_LABELS = {"yes": "同意", "no": "不同意", "abstain": "弃权"}


def event_options(event: VotingEvent) -> tuple[str, ...]:
    return RESOLUTION_OPTIONS if event.allow_abstain else RESOLUTION_OPTIONS[:2]


def choice_keys(choice: str) -> list[str]:
    """A stored choice's parts: one option, or candidate keys joined with '+'."""
    return [key for key in choice.split("+") if key]


def candidate_keys(event: VotingEvent) -> list[str]:
    """In the order the ballot lists them (Candidate.Meta.ordering)."""
    return list(event.candidates.values_list("key", flat=True))


def candidate_names(event: VotingEvent) -> dict[str, str]:
    return dict(event.candidates.values_list("key", "name"))


def choice_words(event: VotingEvent, choice: str, names: dict[str, str] | None = None) -> str:
    """A choice as a lender reads it: 同意, or the candidates' names (`names` from
    candidate_names, passed in when many choices of one event are worded)."""
    if event.kind == EventKind.RESOLUTION:
        return OPTION_LABELS.get(choice, choice)
    names = candidate_names(event) if names is None else names
    return "、".join(names.get(key, key) for key in choice_keys(choice))


def ordered_counts(event: VotingEvent, counted: dict) -> list[tuple[str, dict]]:
    """The counts of a stored tally in ballot order: 同意, 不同意, 弃权, or the candidates as
    listed. The stored document's key order cannot be relied on (PostgreSQL's jsonb orders
    keys by length, which puts 不同意 first)."""
    if event.kind == EventKind.RESOLUTION:
        options = counted.get("options") or {}
        return [(o, options.get(o, _count(0, 0))) for o in event_options(event)]
    candidates = counted.get("candidates") or {}
    return [(key, candidates[key]) for key in candidate_keys(event) if key in candidates]


def choice_totals(event: VotingEvent) -> dict[str, tuple[int, int]]:
    """{choice string: (heads, weight_fen)} over current ballots: one grouped query."""
    rows = (
        Ballot.objects.filter(event=event, is_current=True)
        .values("choice")
        .annotate(heads=Count("id"), weight=Sum("weight_fen"))
        .order_by()
    )
    return {row["choice"]: (row["heads"], int(row["weight"] or 0)) for row in rows}


def _count(heads: int, weight: int) -> dict[str, int]:
    return {"heads": heads, "weight_fen": weight}


def tally(event: VotingEvent) -> dict:
    totals = choice_totals(event)
    participation = _count(sum(h for h, _ in totals.values()), sum(w for _, w in totals.values()))
    if event.kind == EventKind.RESOLUTION:
        options = {o: _count(*totals.get(o, (0, 0))) for o in event_options(event)}
        return {"participation": participation, "options": options}
    keys = candidate_keys(event)
    sums = {key: [0, 0] for key in keys}
    for choice, (heads, weight) in totals.items():
        for key in choice.split("+"):
            sums[key][0] += heads
            sums[key][1] += weight
    return {"participation": participation, "candidates": {k: _count(*sums[k]) for k in keys}}


def decide(event: VotingEvent, counted: dict):
    """The rules engine's decision for the tally (a Decision or an ElectionResult)."""
    electorate = Tally(event.electorate_heads or 0, event.electorate_weight_fen or 0)
    if event.kind == EventKind.RESOLUTION:
        options = counted["options"]
        zero = _count(0, 0)

        def tally_of(option: str) -> Tally:
            count = options.get(option, zero)
            return Tally(count["heads"], count["weight_fen"])

        return evaluate(
            Motion(
                event.rule_id,
                electorate,
                Options(yes=tally_of("yes"), no=tally_of("no"), abstain=tally_of("abstain")),
                params=event.rule_params,
            )
        )
    names = dict(event.candidates.values_list("key", "name"))
    participation = counted["participation"]
    return evaluate_election(
        Election(
            event.rule_id,
            electorate,
            Tally(participation["heads"], participation["weight_fen"]),
            event.seats,
            event.max_choices,
            tuple(
                Candidate(names[key], Tally(count["heads"], count["weight_fen"]))
                for key, count in counted["candidates"].items()
            ),
            params=event.rule_params,
        )
    )


def result_document(event: VotingEvent) -> dict:
    """What counting stores and the bundle declares: the tally and the decision with its
    reasons (winddown.rules.to_json)."""
    counted = tally(event)
    return {"tally": counted, "result": to_json(decide(event, counted))}
