"""Typed inputs and results of the counting-rules engine.

All quantities are plain ``int``: ``heads`` counts voters (or ballots) and
``weight`` is an amount in hundredths — fen for money (元), 0.01 m² for area
(平方米). Every class is a frozen dataclass; results render their Chinese
explanations lazily from the exact integers they carry, so the verdict never
depends on the text.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

from .text import fraction_name, threshold_percent

if TYPE_CHECKING:  # pragma: no cover
    from .registry import Rule

Measure = Literal["heads", "weight"]
Comparison = Literal[">=", ">"]


class RulesInputError(ValueError):
    """Invalid input. ``field`` is the dotted path of the offending field.

    The path uses the JSON names (``electorate.heads``,
    ``options.yes.weight``, ``groups.<name>.options.no.heads``,
    ``candidates.<name>.weight``, ``params.basis``, ``rule`` ...), so the same
    message serves Python callers and the CLI. ``message`` is bilingual
    ("中文 / English").
    """

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


# --------------------------------------------------------------------- inputs


@dataclass(frozen=True, slots=True)
class Tally:
    """A number of voters and the weight they carry (hundredths: fen / 0.01 m²)."""

    heads: int
    weight: int = 0


ZERO = Tally(0, 0)


@dataclass(frozen=True, slots=True)
class Options:
    """Ballots cast on a motion. Abstentions are attending ballots."""

    yes: Tally
    no: Tally
    abstain: Tally = ZERO


@dataclass(frozen=True, slots=True)
class Group:
    """One voting group (表决组) of a grouped rule such as ``bankruptcy-reorganization``."""

    name: str
    electorate: Tally
    options: Options


@dataclass(frozen=True, slots=True)
class Motion:
    """A motion to decide under ``rule``.

    Ungrouped rules take ``electorate`` (everyone entitled to vote and the
    total weight, e.g. the institution's outstanding principal) and
    ``options``; grouped rules take ``groups`` instead. ``params`` holds the
    rule's parameters as strings (e.g. ``{"basis": "weight"}``).
    """

    rule: str
    electorate: Tally | None = None
    options: Options | None = None
    groups: tuple[Group, ...] = ()
    params: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Candidate:
    """A candidate and the ballots naming them (heads, weight of those voters)."""

    name: str
    votes: Tally


@dataclass(frozen=True, slots=True)
class Election:
    """An election of ``seats`` members, each voter naming at most ``max_choices``.

    ``participation`` is every ballot cast in the election (heads and the
    weight of those voters); each candidate is judged under ``rule`` with
    "yes" = the ballots naming them and "attending" = ``participation``.
    """

    rule: str
    electorate: Tally
    participation: Tally
    seats: int
    max_choices: int
    candidates: tuple[Candidate, ...]
    params: Mapping[str, str] = field(default_factory=dict)


# -------------------------------------------------------------------- results


@dataclass(frozen=True, slots=True)
class CriterionSpec:
    """A condition of a rule: ``quantity / base  <comparison>  numerator / denominator``.

    ``quantity`` and ``base`` name the counts compared (see
    ``registry.QUANTITIES``); the labels and unit are the Chinese words used in
    the explanation.
    """

    id: str
    title: str
    measure: Measure
    quantity: str
    base: str
    numerator: int
    denominator: int
    comparison: Comparison
    quantity_label: str
    base_label: str
    unit: str
    # derived once, for rendering speed
    threshold: str = field(init=False, repr=False, compare=False)
    fraction_cn: str = field(init=False, repr=False, compare=False)
    requirement: str = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        name = fraction_name(self.numerator, self.denominator)
        if self.comparison == ">=":
            requirement = f"不低于{name}（含本数）"
        else:
            requirement = f"超过{name}（不含本数）"
        # threshold: the fraction as a string, e.g. "2/3"; requirement: the Chinese
        # legal wording, e.g. "不低于三分之二（含本数）"
        object.__setattr__(self, "threshold", f"{self.numerator}/{self.denominator}")
        object.__setattr__(self, "fraction_cn", name)
        object.__setattr__(self, "requirement", requirement)


def compare(spec: CriterionSpec, quantity: int, base: int) -> bool:
    """The verdict of one condition, by integer cross-multiplication only.

    ``quantity * denominator >= numerator * base`` (or ``>``). A condition
    whose base is zero never holds (there is nothing to take a share of).
    """
    if base <= 0:
        return False
    left = quantity * spec.denominator
    right = spec.numerator * base
    return left >= right if spec.comparison == ">=" else left > right


@dataclass(frozen=True, slots=True)
class Criterion:
    """The outcome of one condition: the two quantities compared and whether it holds."""

    spec: CriterionSpec
    quantity: int
    base: int
    holds: bool

    @property
    def id(self) -> str:
        return self.spec.id

    @property
    def percentage(self) -> str | None:
        """``quantity / base`` in percent, with enough decimals to be unambiguous."""
        if self.base <= 0:
            return None
        s = self.spec
        return threshold_percent(self.quantity, self.base, s.numerator, s.denominator)[0]

    def _show(self, value: int) -> str:
        s = self.spec
        if s.measure == "weight":
            return f"{value // 100}.{value % 100:02d} {s.unit}"
        return f"{value} {s.unit}"

    @property
    def explanation(self) -> str:
        """One Chinese sentence stating the comparison and ``满足`` / ``不满足``."""
        return self.render()[1]

    def render(self) -> tuple[str | None, str]:
        """``(percentage, explanation)`` computed together (the JSON layer needs both)."""
        s = self.spec
        verdict = "满足" if self.holds else "不满足"
        head = f"{s.quantity_label} {self._show(self.quantity)}"
        if self.base <= 0:
            return None, (
                f"{head}，{s.base_label}为 {self._show(0)}，无法计算比例；"
                f"规则要求{s.requirement}，{verdict}。"
            )
        pct, places = threshold_percent(self.quantity, self.base, s.numerator, s.denominator)
        left = self.quantity * s.denominator
        right = s.numerator * self.base
        relation = "高于" if left > right else "恰好等于" if left == right else "低于"
        if places > 2:
            relation = "略" + relation
        return pct, (
            f"{head}，占{s.base_label} {self._show(self.base)}的 {pct}%，"
            f"{relation}{s.fraction_cn}；规则要求{s.requirement}，{verdict}。"
        )


def _failed_titles(criteria: tuple[Criterion, ...]) -> str:
    return "；".join(c.spec.title for c in criteria if not c.holds)


@dataclass(frozen=True, slots=True)
class GroupDecision:
    """The outcome of one voting group of a grouped rule."""

    name: str
    passed: bool
    criteria: tuple[Criterion, ...]
    reason_code: str | None = None
    reason: str | None = None

    @property
    def summary(self) -> str:
        if self.passed:
            return f"{self.name}：通过，{len(self.criteria)} 项条件均满足。"
        if self.reason is not None:
            return f"{self.name}：未通过。原因：{self.reason}。"
        return f"{self.name}：未通过，不满足的条件：{_failed_titles(self.criteria)}。"


@dataclass(frozen=True, slots=True)
class Decision:
    """The outcome of a motion.

    ``passed`` comes from the integer comparisons only. ``criteria`` lists
    every condition (for grouped rules it is empty and ``groups`` holds one
    :class:`GroupDecision` per group). ``reason_code`` / ``reason`` are set
    when the motion cannot pass for a structural reason (empty electorate,
    zero total weight, no ballots).
    """

    rule: Rule
    passed: bool
    criteria: tuple[Criterion, ...]
    groups: tuple[GroupDecision, ...] = ()
    reason_code: str | None = None
    reason: str | None = None

    @property
    def summary(self) -> str:
        """The overall Chinese sentence; starts with ``表决结果：通过`` or ``表决结果：未通过``."""
        basis = f"依据“{self.rule.name}”规则（{self.rule.citation}）"
        if self.groups:
            failed = [g.name for g in self.groups if not g.passed]
            if self.passed:
                return f"表决结果：通过。{basis}，全部 {len(self.groups)} 个表决组均通过。"
            return (
                f"表决结果：未通过。{basis}，共 {len(self.groups)} 个表决组，"
                f"其中 {len(failed)} 个未通过：{'、'.join(failed)}。"
            )
        if self.passed:
            return f"表决结果：通过。{basis}，全部 {len(self.criteria)} 项条件均满足。"
        if self.reason is not None:
            return f"表决结果：未通过。原因：{self.reason}。"
        return f"表决结果：未通过。{basis}，不满足的条件：{_failed_titles(self.criteria)}。"


CandidateStatus = Literal["elected", "tied", "not-elected", "not-qualified"]


@dataclass(frozen=True, slots=True)
class CandidateResult:
    """One candidate of an election.

    ``passed``: the candidate meets the rule. ``rank``: competition rank among
    qualified candidates (by weight, then heads; equal keys share a rank),
    ``None`` when not qualified. ``status``: ``elected``; ``tied`` (qualified,
    in an unresolved tie across the last seat); ``not-elected`` (qualified
    but ranked below the seats); ``not-qualified``.
    """

    name: str
    votes: Tally
    passed: bool
    rank: int | None
    status: CandidateStatus
    criteria: tuple[Criterion, ...]

    @property
    def summary(self) -> str:
        if self.status == "elected":
            return f"{self.name}：符合当选条件，排名第 {self.rank}，当选。"
        if self.status == "tied":
            return (
                f"{self.name}：符合当选条件，排名第 {self.rank}，但与其他候选人得票完全相同，"
                "并列争夺最后的席位，无法决出，暂不当选。"
            )
        if self.status == "not-elected":
            return f"{self.name}：符合当选条件，排名第 {self.rank}，在应选名额之外，未当选。"
        failed = _failed_titles(self.criteria) or "无人投票"
        return f"{self.name}：不符合当选条件（不满足：{failed}），未当选。"


@dataclass(frozen=True, slots=True)
class ElectionResult:
    """The outcome of an election.

    ``elected`` lists the winners in rank order; ``unresolved_tie`` lists the
    qualified candidates with equal weight and heads straddling the last seat
    (none of them is elected); ``vacant_seats`` is the number of seats left
    unfilled. ``candidates`` holds every candidate, qualified ones first in
    rank order, then the others in input order. ``ranked_by_weight`` is
    False when the rule compares no weights (ranking is then by heads only).
    """

    rule: Rule
    seats: int
    max_choices: int
    elected: tuple[str, ...]
    unresolved_tie: tuple[str, ...]
    candidates: tuple[CandidateResult, ...]
    reason_code: str | None = None
    reason: str | None = None
    ranked_by_weight: bool = True

    @property
    def vacant_seats(self) -> int:
        return self.seats - len(self.elected)

    @property
    def summary(self) -> str:
        """The overall Chinese sentence; starts with ``选举结果：``."""
        head = f"选举结果：应选 {self.seats} 名"
        if self.reason is not None:
            return f"{head}，无人当选。原因：{self.reason}。"
        parts = [head]
        if self.elected:
            parts.append(f"，当选 {len(self.elected)} 名：{'、'.join(self.elected)}。")
        else:
            parts.append("，无人当选。")
        if self.unresolved_tie:
            open_seats = self.seats - len(self.elected)
            same = f"{self.rule.weight_noun}与人数均相同" if self.ranked_by_weight else "人数相同"
            parts.append(
                f"{'、'.join(self.unresolved_tie)} 得票完全相同（{same}），"
                f"并列争夺最后 {open_seats} 个席位，无法决出，均不当选。"
            )
        if self.vacant_seats:
            parts.append(f"空缺 {self.vacant_seats} 个席位。")
        parts.append(f"依据“{self.rule.name}”规则（{self.rule.citation}）逐一判断候选人。")
        return "".join(parts)
