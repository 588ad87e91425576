"""The counting rules: ids, Chinese names, sources and conditions. Over 500 lines: every
rule reads next to its source text, which is the point of this module.

Boundary words follow Chinese legal usage (民法典 第一千二百五十九条: “以上”、
“以下”、“以内”、“届满”包括本数；“不满”、“超过”、“以外”不包括本数; and the
Anhui disclosure rules 第二十六条: 不超过、以内、以下，包括本数):

* 以上, 不低于, 不得低于, 不超过, 以下, 以内 include the number  -> ``>=`` / ``<=``
* 超过, 过半数, 不满 exclude it                                   -> ``>`` / ``<``

Each condition is ``quantity / base  <cmp>  numerator / denominator`` and is
decided by integer cross-multiplication (``quantity * denominator`` vs
``numerator * base``). The quantities a condition may use are the keys of
:data:`QUANTITIES`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from .model import Comparison, CriterionSpec, Measure, RulesInputError

#: Counts a condition may compare, computed by the engine for every motion/group:
#: ``yes``: ballots for the motion (or naming the candidate); ``attending``:
#: yes + no + abstain (abstentions attend; in elections: all participating
#: ballots); ``electorate``: everyone entitled to vote and the total weight;
#: ``valid``: yes + no (abstentions are not valid ballots for simple majority).
QUANTITIES: tuple[str, ...] = (
    "yes_heads",
    "yes_weight",
    "attending_heads",
    "attending_weight",
    "electorate_heads",
    "electorate_weight",
    "valid_heads",
    "valid_weight",
)
_INDEX = {name: i for i, name in enumerate(QUANTITIES)}

Context = str  # "motion" | "election"
_YES_IN_ELECTION = "选择该候选人"


@dataclass(frozen=True, slots=True)
class ParamSpec:
    """A rule parameter: allowed string values and the default."""

    name: str
    choices: tuple[str, ...]
    default: str
    description: str


Builder = Callable[[Mapping[str, str], str], tuple[CriterionSpec, ...]]


@dataclass(frozen=True, slots=True)
class Rule:
    """A counting rule.

    ``name`` is the Chinese name, ``citation`` a short reference to the
    source and ``quote`` the source text the conditions implement. Weights of
    this rule are ``weight_noun`` measured in ``weight_unit`` (hundredths of
    it in the API). Grouped rules take :class:`~winddown.rules.model.Group`
    s instead of one electorate.
    """

    id: str
    name: str
    citation: str
    quote: str
    description: str
    weight_noun: str
    weight_unit: str
    grouped: bool = False
    params: tuple[ParamSpec, ...] = ()
    build: Builder = field(default=lambda params, context: (), repr=False, compare=False)

    def normalize_params(self, params: Mapping[str, str], path: str = "params") -> dict[str, str]:
        """Validate ``params`` and fill in defaults. Raises :class:`RulesInputError`."""
        if not isinstance(params, Mapping):
            raise RulesInputError(path, "须为 JSON 对象 / must be a mapping")
        known = {p.name: p for p in self.params}
        for key in params:
            if key not in known:
                raise RulesInputError(
                    f"{path}.{key}",
                    f"规则 {self.id} 没有此参数 / unknown parameter for rule {self.id}"
                    + (f" (known: {', '.join(known)})" if known else " (it takes none)"),
                )
        out: dict[str, str] = {}
        for name, spec in known.items():
            value = params.get(name, spec.default)
            if not isinstance(value, str) or value not in spec.choices:
                raise RulesInputError(
                    f"{path}.{name}",
                    f"取值须为 {' / '.join(spec.choices)} 之一 / must be one of "
                    f"{', '.join(repr(c) for c in spec.choices)}",
                )
            out[name] = value
        return out

    def conditions(
        self, params: Mapping[str, str] | None = None, context: Context = "motion"
    ) -> tuple[CriterionSpec, ...]:
        """The conditions of this rule for (normalized) ``params``.

        ``context`` is ``"motion"`` or ``"election"`` (only the Chinese labels differ).
        """
        return _plan(self, self.normalize_params(params or {}), context)[0]

    def uses_weight(self, params: Mapping[str, str] | None = None) -> bool:
        """Whether any condition compares weights (else weights may be omitted)."""
        return any(s.measure == "weight" for s in self.conditions(params))


_PLANS: dict[tuple[str, tuple[tuple[str, str], ...], str], tuple] = {}


def _plan(
    rule: Rule, params: dict[str, str], context: Context
) -> tuple[tuple[CriterionSpec, ...], tuple[tuple[CriterionSpec, int, int], ...], bool]:
    """Conditions of ``rule`` with the engine's quantity indexes, cached.

    ``params`` must already be normalized.
    """
    key = (rule.id, tuple(sorted(params.items())), context)
    plan = _PLANS.get(key)
    if plan is None:
        specs = rule.build(params, context)
        indexed = tuple((s, _INDEX[s.quantity], _INDEX[s.base]) for s in specs)
        plan = (specs, indexed, any(s.measure == "weight" for s in specs))
        _PLANS[key] = plan
    return plan


_RAW_PLANS: dict[tuple, tuple] = {}


def resolve_plan(
    rule: Rule, params: Mapping[str, str], context: Context
) -> tuple[tuple[CriterionSpec, ...], tuple[tuple[CriterionSpec, int, int], ...], bool]:
    """Like :func:`_plan` but takes raw ``params``, validating them (cached when valid)."""
    try:
        key = (rule.id, context, tuple(params.items()))
        plan = _RAW_PLANS.get(key)
    except (AttributeError, TypeError):  # not a mapping, or unhashable values
        key, plan = None, None
    if plan is None:
        plan = _plan(rule, rule.normalize_params(params), context)
        if key is not None and len(_RAW_PLANS) < 4096:
            _RAW_PLANS[key] = plan
    return plan


def _spec(
    id: str,
    title: str,
    measure: Measure,
    quantity: str,
    base: str,
    fraction: tuple[int, int],
    comparison: Comparison,
    quantity_label: str,
    base_label: str,
    unit: str,
) -> CriterionSpec:
    return CriterionSpec(
        id=id,
        title=title,
        measure=measure,
        quantity=quantity,
        base=base,
        numerator=fraction[0],
        denominator=fraction[1],
        comparison=comparison,
        quantity_label=quantity_label,
        base_label=base_label,
        unit=unit,
    )


def _yes(context: Context, motion_word: str) -> str:
    return _YES_IN_ELECTION if context == "election" else motion_word


# ---------------------------------------------------------------- the rules


def _p2p_exit(params: Mapping[str, str], context: Context) -> tuple[CriterionSpec, ...]:
    """``p2p-exit`` — 2/3 + 双过半. No parameters.

    Source: 深圳网贷机构退出网络投票系统 出借人操作手册 4.0, 2.2 计票规则:
    “2/3+双过半原则”，即参与表决的出借人代表的未偿还本金总额不得低于网贷机构未偿还本金余额的2/3，
    且表决事项必须由出席会议的有表决权出借人超过（不含）二分之一通过，且其所代表的债权额占表决时
    网贷机构未偿还本金余额超过（不含）二分之一方能通过。

    不得低于 -> ``>=``; 超过（不含） -> ``>``. The last base is the outstanding
    principal at voting time (the electorate weight), not the attending weight.
    """
    yes = _yes(context, "同意")
    return (
        _spec(
            "participation-weight",
            "参与表决的出借人代表的未偿还本金不低于机构未偿还本金余额的三分之二",
            "weight",
            "attending_weight",
            "electorate_weight",
            (2, 3),
            ">=",
            "参与表决的出借人代表的未偿还本金",
            "网贷机构未偿还本金余额",
            "元",
        ),
        _spec(
            "yes-heads",
            f"{yes}的出借人超过出席会议的有表决权出借人的二分之一",
            "heads",
            "yes_heads",
            "attending_heads",
            (1, 2),
            ">",
            f"{yes}的出借人",
            "出席会议的有表决权出借人",
            "人",
        ),
        _spec(
            "yes-weight",
            f"{yes}的出借人所代表的债权额超过表决时机构未偿还本金余额的二分之一",
            "weight",
            "yes_weight",
            "electorate_weight",
            (1, 2),
            ">",
            f"{yes}的出借人所代表的债权额",
            "表决时网贷机构未偿还本金余额",
            "元",
        ),
    )


def _bankruptcy(
    fraction: tuple[int, int], fraction_cn: str
) -> Callable[[Mapping[str, str], Context], tuple[CriterionSpec, ...]]:
    """``bankruptcy-general`` (1/2) and ``bankruptcy-settlement`` (2/3). No parameters.

    Source: 企业破产法 第六十四条: 债权人会议的决议，由出席会议的有表决权的债权人过半数通过，
    并且其所代表的债权额占无财产担保债权总额的二分之一以上。
    第九十七条: 债权人会议通过和解协议的决议，由出席会议的有表决权的债权人过半数同意，
    并且其所代表的债权额占无财产担保债权总额的三分之二以上。

    过半数 -> ``>`` 1/2 of attending heads; 以上 -> ``>=`` of the total unsecured
    claims (the electorate weight).
    """

    def build(params: Mapping[str, str], context: Context) -> tuple[CriterionSpec, ...]:
        yes = _yes(context, "同意")
        return (
            _spec(
                "yes-heads",
                f"{yes}的债权人过半数（超过出席会议的有表决权债权人的二分之一）",
                "heads",
                "yes_heads",
                "attending_heads",
                (1, 2),
                ">",
                f"{yes}的债权人",
                "出席会议的有表决权的债权人",
                "人",
            ),
            _spec(
                "yes-weight",
                f"{yes}的债权人所代表的债权额占无财产担保债权总额的{fraction_cn}以上",
                "weight",
                "yes_weight",
                "electorate_weight",
                fraction,
                ">=",
                f"{yes}的债权人所代表的债权额",
                "无财产担保债权总额",
                "元",
            ),
        )

    return build


def _reorganization(params: Mapping[str, str], context: Context) -> tuple[CriterionSpec, ...]:
    """``bankruptcy-reorganization``, per voting group. No parameters.

    Source: 企业破产法 第八十四条: 出席会议的同一表决组的债权人过半数同意重整计划草案，并且其所
    代表的债权额占该组债权总额的三分之二以上的，即为该组通过重整计划草案。
    第八十六条: 各表决组均通过重整计划草案时，重整计划即为通过。

    Applied to each group's electorate and ballots; the engine requires all groups.
    """
    yes = _yes(context, "同意")
    return (
        _spec(
            "yes-heads",
            f"本组{yes}的债权人过半数（超过本组出席会议债权人的二分之一）",
            "heads",
            "yes_heads",
            "attending_heads",
            (1, 2),
            ">",
            f"本组{yes}的债权人",
            "本组出席会议的债权人",
            "人",
        ),
        _spec(
            "yes-weight",
            f"本组{yes}的债权人所代表的债权额占该组债权总额的三分之二以上",
            "weight",
            "yes_weight",
            "electorate_weight",
            (2, 3),
            ">=",
            f"本组{yes}的债权人所代表的债权额",
            "本组债权总额",
            "元",
        ),
    )


def _homeowners(major: bool) -> Callable[[Mapping[str, str], Context], tuple[CriterionSpec, ...]]:
    """``homeowners-ordinary`` / ``homeowners-major``. No parameters. Weight = area (0.01 m²).

    Source: 民法典 第二百七十八条第二款: 业主共同决定事项，应当由专有部分面积占比三分之二以上的
    业主且人数占比三分之二以上的业主参与表决。决定前款第六项至第八项规定的事项，应当经参与表决
    专有部分面积四分之三以上的业主且参与表决人数四分之三以上的业主同意。决定前款其他事项，应当经
    参与表决专有部分面积过半数的业主且参与表决人数过半数的业主同意。

    以上 -> ``>=``; 过半数 -> ``>``. Yes shares are of the *participating* area / owners.
    """

    def build(params: Mapping[str, str], context: Context) -> tuple[CriterionSpec, ...]:
        yes = _yes(context, "同意")
        fraction, comparison, word = (
            ((3, 4), ">=", "四分之三以上") if major else ((1, 2), ">", "过半数")
        )
        return (
            _spec(
                "participation-area",
                "参与表决的业主专有部分面积占比三分之二以上",
                "weight",
                "attending_weight",
                "electorate_weight",
                (2, 3),
                ">=",
                "参与表决业主的专有部分面积",
                "全体业主专有部分总面积",
                "平方米",
            ),
            _spec(
                "participation-heads",
                "参与表决的业主人数占比三分之二以上",
                "heads",
                "attending_heads",
                "electorate_heads",
                (2, 3),
                ">=",
                "参与表决的业主",
                "业主总人数",
                "人",
            ),
            _spec(
                "yes-area",
                f"{yes}的业主专有部分面积占参与表决专有部分面积的{word}",
                "weight",
                "yes_weight",
                "attending_weight",
                fraction,
                comparison,
                f"{yes}的业主的专有部分面积",
                "参与表决业主的专有部分面积",
                "平方米",
            ),
            _spec(
                "yes-heads",
                f"{yes}的业主人数占参与表决人数的{word}",
                "heads",
                "yes_heads",
                "attending_heads",
                fraction,
                comparison,
                f"{yes}的业主",
                "参与表决的业主",
                "人",
            ),
        )

    return build


def _committee(params: Mapping[str, str], context: Context) -> tuple[CriterionSpec, ...]:
    """``committee-supermajority``. No parameters; weights unused.

    Source: 安徽省互联网金融协会网络借贷信息中介机构惩戒办法 第十二条: 协会应当通过召开会议作出
    惩戒决定。会议由专业委员会投票表决通过，赞成人数超过委员会人员三分之二则表决有效。

    超过 -> ``>``; the base is all committee members (electorate heads), not those attending.
    """
    yes = _yes(context, "赞成")
    return (
        _spec(
            "yes-heads",
            f"{yes}人数超过委员会全体委员的三分之二",
            "heads",
            "yes_heads",
            "electorate_heads",
            (2, 3),
            ">",
            f"{yes}的委员",
            "委员会全体委员",
            "人",
        ),
    )


def _simple_majority(params: Mapping[str, str], context: Context) -> tuple[CriterionSpec, ...]:
    """``simple-majority``. Parameter ``basis``: ``"heads"`` (default) or ``"weight"``.

    Source: generic rule — 有效票中赞成票多于反对票即为通过（弃权票不计入有效票）.
    yes > no is expressed as yes ``>`` 1/2 of (yes + no), so it reports like the others.
    """
    yes = _yes(context, "赞成")
    if params["basis"] == "weight":
        return (
            _spec(
                "yes-weight",
                f"{yes}票代表的权重多于反对票（超过有效票权重的二分之一）",
                "weight",
                "yes_weight",
                "valid_weight",
                (1, 2),
                ">",
                f"{yes}票代表的权重",
                "有效票（赞成与反对）代表的权重",
                "元",
            ),
        )
    return (
        _spec(
            "yes-heads",
            f"{yes}票多于反对票（超过有效票的二分之一）",
            "heads",
            "yes_heads",
            "valid_heads",
            (1, 2),
            ">",
            f"{yes}票",
            "有效票（赞成与反对）",
            "票",
        ),
    )


_ART_278 = (
    "业主共同决定事项，应当由专有部分面积占比三分之二以上的业主且人数占比三分之二以上的业主参与表决。"
    "决定前款第六项至第八项规定的事项，应当经参与表决专有部分面积四分之三以上的业主且参与表决人数"
    "四分之三以上的业主同意。决定前款其他事项，应当经参与表决专有部分面积过半数的业主且参与表决人数"
    "过半数的业主同意。"
)

_RULE_LIST: tuple[Rule, ...] = (
    Rule(
        id="p2p-exit",
        name="2/3 + 双过半",
        citation="《深圳网贷机构退出网络投票系统 出借人操作手册》2.2 计票规则",
        quote=(
            "“2/3+双过半原则”，即参与表决的出借人代表的未偿还本金总额不得低于网贷机构未偿还本金余额的2/3，"
            "且表决事项必须由出席会议的有表决权出借人超过（不含）二分之一通过，且其所代表的债权额占表决时"
            "网贷机构未偿还本金余额超过（不含）二分之一方能通过。"
        ),
        description=(
            "Participating weight >= 2/3 of the institution's outstanding principal; "
            "yes heads > 1/2 of attending heads; yes weight > 1/2 of the outstanding principal."
        ),
        weight_noun="未偿还本金",
        weight_unit="元",
        build=_p2p_exit,
    ),
    Rule(
        id="bankruptcy-general",
        name="债权人会议一般决议",
        citation="《企业破产法》第六十四条",
        quote=(
            "债权人会议的决议，由出席会议的有表决权的债权人过半数通过，并且其所代表的债权额占无财产担保"
            "债权总额的二分之一以上。"
        ),
        description=(
            "Yes heads > 1/2 of attending creditors; yes weight >= 1/2 of total unsecured claims."
        ),
        weight_noun="债权额",
        weight_unit="元",
        build=_bankruptcy((1, 2), "二分之一"),
    ),
    Rule(
        id="bankruptcy-reorganization",
        name="重整计划草案分组表决",
        citation="《企业破产法》第八十四条、第八十六条",
        quote=(
            "第八十四条：出席会议的同一表决组的债权人过半数同意重整计划草案，并且其所代表的债权额占该组"
            "债权总额的三分之二以上的，即为该组通过重整计划草案。"
            "第八十六条：各表决组均通过重整计划草案时，重整计划即为通过。"
        ),
        description=(
            "Per group: yes heads > 1/2 of the group's attending creditors and yes weight >= 2/3 "
            "of the group's total claims; the plan passes when every group passes."
        ),
        weight_noun="债权额",
        weight_unit="元",
        grouped=True,
        build=_reorganization,
    ),
    Rule(
        id="bankruptcy-settlement",
        name="和解协议决议",
        citation="《企业破产法》第九十七条",
        quote=(
            "债权人会议通过和解协议的决议，由出席会议的有表决权的债权人过半数同意，并且其所代表的债权额"
            "占无财产担保债权总额的三分之二以上。"
        ),
        description=(
            "Yes heads > 1/2 of attending creditors; yes weight >= 2/3 of total unsecured claims."
        ),
        weight_noun="债权额",
        weight_unit="元",
        build=_bankruptcy((2, 3), "三分之二"),
    ),
    Rule(
        id="homeowners-ordinary",
        name="业主共同决定（一般事项）",
        citation="《民法典》第二百七十八条第二款",
        quote=_ART_278,
        description=(
            "Participation: area >= 2/3 and owners >= 2/3; ordinary matters: yes area > 1/2 of "
            "participating area and yes owners > 1/2 of participating owners. Weight = area."
        ),
        weight_noun="专有部分面积",
        weight_unit="平方米",
        build=_homeowners(major=False),
    ),
    Rule(
        id="homeowners-major",
        name="业主共同决定（第六项至第八项重大事项）",
        citation="《民法典》第二百七十八条第二款",
        quote=_ART_278,
        description=(
            "Participation: area >= 2/3 and owners >= 2/3; major matters (items 6-8): yes area "
            ">= 3/4 of participating area and yes owners >= 3/4 of participating owners."
        ),
        weight_noun="专有部分面积",
        weight_unit="平方米",
        build=_homeowners(major=True),
    ),
    Rule(
        id="committee-supermajority",
        name="专业委员会惩戒表决",
        citation="《安徽省互联网金融协会网络借贷信息中介机构惩戒办法》第十二条",
        quote="会议由专业委员会投票表决通过，赞成人数超过委员会人员三分之二则表决有效。",
        description="Yes heads > 2/3 of ALL committee members (the electorate heads).",
        weight_noun="权重",
        weight_unit="元",
        build=_committee,
    ),
    Rule(
        id="simple-majority",
        name="简单多数",
        citation="通用规则：赞成票多于反对票",
        quote="有效票中赞成票多于反对票即为通过（弃权票不计入有效票）。",
        description=(
            "Yes > no among valid ballots (abstentions excluded), by heads or by weight "
            '(param "basis": "heads" | "weight", default "heads").'
        ),
        weight_noun="权重",
        weight_unit="元",
        params=(
            ParamSpec(
                name="basis",
                choices=("heads", "weight"),
                default="heads",
                description="count ballots by heads or by weight",
            ),
        ),
        build=_simple_majority,
    ),
)

#: Registry of all rules by id, in documentation order.
RULES: Mapping[str, Rule] = MappingProxyType({r.id: r for r in _RULE_LIST})


def get_rule(rule_id: str) -> Rule:
    """The rule with id ``rule_id``; raises :class:`RulesInputError` (field ``rule``)."""
    try:
        return RULES[rule_id]
    except (KeyError, TypeError):
        raise RulesInputError(
            "rule", f"未知规则 {rule_id!r} / unknown rule (known: {', '.join(RULES)})"
        ) from None
