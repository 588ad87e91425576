"""Evaluation of motions and elections. Integer arithmetic only."""

from __future__ import annotations

from .model import (
    Candidate,
    CandidateResult,
    Criterion,
    CriterionSpec,
    Decision,
    Election,
    ElectionResult,
    GroupDecision,
    Motion,
    Options,
    RulesInputError,
    Tally,
    compare,
)
from .registry import Rule, get_rule, resolve_plan

_Indexed = tuple[tuple[CriterionSpec, int, int], ...]

REASONS = {
    "empty-electorate": "表决人范围为空（有表决权的人数为 0），无法形成决议",
    "zero-electorate-weight": "{noun}总额为 0，无法按比例计算，不能形成决议",
    "no-ballots": "没有收到任何选票，无法形成决议",
    "no-candidates": "没有候选人",
}


def _join(prefix: str, name: str) -> str:
    return f"{prefix}.{name}" if prefix else name


def _check_int(value: object, path: str, minimum: int = 0) -> None:
    if type(value) is not int:
        raise RulesInputError(path, "须为整数 / must be an integer")
    if value < minimum:
        if minimum == 0:
            raise RulesInputError(path, "不能为负数 / must not be negative")
        raise RulesInputError(path, f"不能小于 {minimum} / must be at least {minimum}")


def _check_tally(tally: object, path: str) -> Tally:
    if type(tally) is Tally:  # fast path for the common, valid case
        h, w = tally.heads, tally.weight
        if type(h) is int and type(w) is int and h >= 0 and (w == 0 or (w > 0 and h > 0)):
            return tally
    if not isinstance(tally, Tally):
        raise RulesInputError(path, "须为 Tally(heads, weight) / must be a Tally")
    _check_int(tally.heads, f"{path}.heads")
    _check_int(tally.weight, f"{path}.weight")
    if tally.heads == 0 and tally.weight != 0:
        raise RulesInputError(f"{path}.weight", "人数为 0 时权重须为 0 / must be 0 when heads is 0")
    return tally


def _check_within(
    heads: int, weight: int, whole: Tally, field: str, what: str, whole_path: str
) -> None:
    """``heads`` / ``weight`` must not exceed ``whole``.

    ``field`` is the reported path: with ``what`` empty the offending
    ``field.heads`` / ``field.weight`` is named, else ``field`` itself (a sum).
    """
    label = f"{what} " if what else ""
    if heads > whole.heads:
        raise RulesInputError(
            field if what else f"{field}.heads",
            f"{label}人数 {heads} 超过 {whole_path}.heads（{whole.heads}） / "
            f"{label}heads ({heads}) exceed {whole_path}.heads ({whole.heads})",
        )
    if weight > whole.weight:
        raise RulesInputError(
            field if what else f"{field}.weight",
            f"{label}权重 {weight} 超过 {whole_path}.weight（{whole.weight}，单位 0.01） / "
            f"{label}weight ({weight}) exceeds {whole_path}.weight ({whole.weight}), "
            "in hundredths",
        )


def validate_ballots(electorate: Tally, options: Options, prefix: str = "") -> None:
    """Check one electorate and its ballots; raise :class:`RulesInputError`.

    Heads and weights must be non-negative ``int`` (``bool`` is refused), a
    tally with no heads must have no weight, and yes + no + abstain must not
    exceed the electorate in heads or in weight.
    """
    o_path = _join(prefix, "options")
    _check_tally(electorate, _join(prefix, "electorate"))
    if not isinstance(options, Options):
        raise RulesInputError(o_path, "须为 Options(yes, no, abstain) / must be Options")
    yes = _check_tally(options.yes, f"{o_path}.yes")
    no = _check_tally(options.no, f"{o_path}.no")
    abstain = _check_tally(options.abstain, f"{o_path}.abstain")
    heads = yes.heads + no.heads + abstain.heads
    weight = yes.weight + no.weight + abstain.weight
    if heads > electorate.heads or weight > electorate.weight:
        _check_within(
            heads, weight, electorate, o_path, "yes+no+abstain", _join(prefix, "electorate")
        )


def _reason(rule: Rule, electorate: Tally, attending_heads: int, uses_weight: bool):
    if electorate.heads == 0:
        return "empty-electorate"
    if uses_weight and electorate.weight == 0:
        return "zero-electorate-weight"
    if attending_heads == 0:
        return "no-ballots"
    return None


def _reason_text(rule: Rule, code: str | None) -> str | None:
    if code is None:
        return None
    return REASONS[code].format(noun=rule.weight_noun)


def _decide(
    rule: Rule, indexed: _Indexed, uses_weight: bool, electorate: Tally, options: Options
) -> tuple[bool, tuple[Criterion, ...], str | None]:
    yes, no, abstain = options.yes, options.no, options.abstain
    attending_heads = yes.heads + no.heads + abstain.heads
    values = (
        yes.heads,
        yes.weight,
        attending_heads,
        yes.weight + no.weight + abstain.weight,
        electorate.heads,
        electorate.weight,
        yes.heads + no.heads,
        yes.weight + no.weight,
    )
    criteria = []
    passed = True
    for spec, q, b in indexed:
        holds = compare(spec, values[q], values[b])
        passed = passed and holds
        criteria.append(Criterion(spec, values[q], values[b], holds))
    code = _reason(rule, electorate, attending_heads, uses_weight)
    return passed and code is None, tuple(criteria), code


def evaluate(motion: Motion) -> Decision:
    """Decide ``motion`` under its rule.

    Ungrouped rules need ``motion.electorate`` and ``motion.options``;
    grouped rules (``bankruptcy-reorganization``) need ``motion.groups`` (at
    least one, unique names) and pass only when every group passes. An empty
    electorate, a zero total weight (for rules comparing weights) or no
    ballots gives ``passed=False`` with ``reason_code`` set, never an error.

    Raises :class:`RulesInputError` for invalid input (unknown rule or
    parameter, negative or non-int numbers, more ballots than electorate ...).
    """
    if not isinstance(motion, Motion):
        raise RulesInputError("", "须为 Motion / must be a Motion")
    rule = get_rule(motion.rule)
    _specs, indexed, uses_weight = resolve_plan(rule, motion.params, "motion")
    if rule.grouped:
        if motion.electorate is not None or motion.options is not None:
            raise RulesInputError(
                "electorate" if motion.electorate is not None else "options",
                f"规则 {rule.id} 按表决组计票，请在 groups 中给出 / rule {rule.id} is grouped: "
                "give electorate and options per group under groups",
            )
        if not motion.groups:
            raise RulesInputError("groups", "至少需要一个表决组 / at least one group is required")
        seen: set[str] = set()
        for group in motion.groups:
            if not isinstance(group.name, str) or not group.name:
                raise RulesInputError("groups", "表决组名称不能为空 / group name must be non-empty")
            if group.name in seen:
                raise RulesInputError(
                    f"groups.{group.name}", "表决组名称重复 / duplicate group name"
                )
            seen.add(group.name)
            validate_ballots(group.electorate, group.options, f"groups.{group.name}")
        decisions = []
        for group in motion.groups:
            passed, criteria, code = _decide(
                rule, indexed, uses_weight, group.electorate, group.options
            )
            decisions.append(
                GroupDecision(group.name, passed, criteria, code, _reason_text(rule, code))
            )
        return Decision(
            rule=rule,
            passed=all(d.passed for d in decisions),
            criteria=(),
            groups=tuple(decisions),
        )
    if motion.groups:
        raise RulesInputError(
            "groups", f"规则 {rule.id} 不分组 / rule {rule.id} does not take groups"
        )
    if motion.electorate is None:
        raise RulesInputError("electorate", "缺少此字段 / missing")
    if motion.options is None:
        raise RulesInputError("options", "缺少此字段 / missing")
    validate_ballots(motion.electorate, motion.options)
    passed, criteria, code = _decide(rule, indexed, uses_weight, motion.electorate, motion.options)
    return Decision(rule, passed, criteria, (), code, _reason_text(rule, code))


def validate_election(election: Election) -> Rule:
    """Check ``election``; return its rule. Raises :class:`RulesInputError`.

    Besides the tally checks: ``seats`` and ``max_choices`` are ints >= 1;
    participation does not exceed the electorate; no candidate is named on
    more ballots (or more weight) than participated; the ballots naming
    candidates total at most ``max_choices`` x participation, in heads and in
    weight; candidate names are non-empty and unique.
    """
    if not isinstance(election, Election):
        raise RulesInputError("", "须为 Election / must be an Election")
    rule = get_rule(election.rule)
    if rule.grouped:
        raise RulesInputError(
            "rule",
            f"分组规则 {rule.id} 不能用于选举 / grouped rule {rule.id} cannot decide an election",
        )
    rule.normalize_params(election.params)
    _check_int(election.seats, "seats", 1)
    _check_int(election.max_choices, "max_choices", 1)
    electorate = _check_tally(election.electorate, "electorate")
    participation = _check_tally(election.participation, "participation")
    _check_within(
        participation.heads, participation.weight, electorate, "participation", "", "electorate"
    )
    seen: set[str] = set()
    sum_heads = sum_weight = 0
    for cand in election.candidates:
        if not isinstance(cand, Candidate):
            raise RulesInputError("candidates", "须为 Candidate / must be a Candidate")
        if not isinstance(cand.name, str) or not cand.name:
            raise RulesInputError(
                "candidates", "候选人姓名不能为空 / candidate name must be non-empty"
            )
        if cand.name in seen:
            raise RulesInputError(f"candidates.{cand.name}", "候选人重复 / duplicate candidate")
        seen.add(cand.name)
        path = f"candidates.{cand.name}"
        votes = _check_tally(cand.votes, path)
        _check_within(votes.heads, votes.weight, participation, path, "", "participation")
        sum_heads += votes.heads
        sum_weight += votes.weight
    k = election.max_choices
    if sum_heads > k * participation.heads:
        raise RulesInputError(
            "candidates",
            f"各候选人得票人数合计 {sum_heads} 超过 max_choices × participation.heads"
            f"（{k} × {participation.heads}） / votes for candidates ({sum_heads}) exceed "
            f"max_choices x participation.heads ({k} x {participation.heads})",
        )
    if sum_weight > k * participation.weight:
        raise RulesInputError(
            "candidates",
            f"各候选人得票权重合计 {sum_weight} 超过 max_choices × participation.weight"
            f"（{k} × {participation.weight}） / candidate weights ({sum_weight}) exceed "
            f"max_choices x participation.weight ({k} x {participation.weight})",
        )
    return rule


def evaluate_election(election: Election) -> ElectionResult:
    """Elect up to ``election.seats`` candidates.

    Each candidate is judged under the election's rule with yes = the ballots
    naming them, no = the other participating ballots, abstain = 0 (so
    "attending" is the whole participation). Qualified candidates are ranked
    by weight, then heads (by heads only when the rule compares no weights);
    the top ``seats`` are elected. If equal keys straddle the last seat, every
    candidate with that key is reported in ``unresolved_tie`` and none of
    them is elected (the seat stays vacant until resolved by other means).
    """
    rule = validate_election(election)
    _specs, indexed, uses_weight = resolve_plan(rule, election.params, "election")
    electorate, participation = election.electorate, election.participation
    code = _reason(rule, electorate, participation.heads, uses_weight)
    if code is None and not election.candidates:
        code = "no-candidates"

    decided: list[tuple[Candidate, bool, tuple[Criterion, ...]]] = []
    for cand in election.candidates:
        votes = cand.votes
        options = Options(
            yes=votes,
            no=Tally(participation.heads - votes.heads, participation.weight - votes.weight),
        )
        passed, criteria, _ = _decide(rule, indexed, uses_weight, electorate, options)
        decided.append((cand, passed and code is None, criteria))

    def key(c: Candidate) -> tuple[int, int]:
        return (c.votes.weight, c.votes.heads) if uses_weight else (0, c.votes.heads)

    qualified = sorted(
        (d for d in decided if d[1]), key=lambda d: key(d[0]), reverse=True
    )  # sorted() is stable: equal keys keep input order
    seats = election.seats
    tie_key = None
    if len(qualified) > seats and key(qualified[seats - 1][0]) == key(qualified[seats][0]):
        tie_key = key(qualified[seats - 1][0])
    results: list[CandidateResult] = []
    elected: list[str] = []
    tied: list[str] = []
    rank = 0
    previous = None
    for position, (cand, _passed, criteria) in enumerate(qualified, start=1):
        k = key(cand)
        if k != previous:
            rank, previous = position, k
        if tie_key is not None and k == tie_key:
            status = "tied"
            tied.append(cand.name)
        elif (k > tie_key) if tie_key is not None else (position <= seats):
            status = "elected"
            elected.append(cand.name)
        else:
            status = "not-elected"
        results.append(CandidateResult(cand.name, cand.votes, True, rank, status, criteria))
    for cand, passed, criteria in decided:
        if not passed:
            results.append(
                CandidateResult(cand.name, cand.votes, False, None, "not-qualified", criteria)
            )
    return ElectionResult(
        rule=rule,
        seats=seats,
        max_choices=election.max_choices,
        elected=tuple(elected),
        unresolved_tie=tuple(tied),
        candidates=tuple(results),
        reason_code=code,
        reason=_reason_text(rule, code),
        ranked_by_weight=uses_weight,
    )
