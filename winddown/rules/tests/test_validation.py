"""Invalid input is refused with the field named, in the Python API and at the JSON edge."""

from __future__ import annotations

import copy

import pytest

from winddown.rules import (
    RULES,
    Motion,
    Options,
    RulesInputError,
    Tally,
    evaluate,
    from_json,
    get_rule,
    parse_weight,
    to_json,
)

from .helpers import crit, decide, motion

# ------------------------------------------------------------------ Python API


@pytest.mark.parametrize(
    ("m", "field"),
    [
        (motion("nope", (1, 1), (1, 1)), "rule"),
        (motion("p2p-exit", (10, 1000), (11, 1000)), "options"),  # more ballots than electorate
        (motion("p2p-exit", (10, 1000), (5, 500), (5, 501)), "options"),  # weight above
        (motion("p2p-exit", (10, 1000), (5, 500), (4, 0), (2, 0)), "options"),  # abstain heads
        (motion("p2p-exit", (10, 1000), (5, 500), (4, 0), (1, 501)), "options"),  # abstain weight
        (motion("p2p-exit", (-1, 1000), (0, 0)), "electorate.heads"),
        (motion("p2p-exit", (10, -5), (0, 0)), "electorate.weight"),
        (motion("p2p-exit", (10, 1000), (1, 1), (-1, 0)), "options.no.heads"),
        (motion("p2p-exit", (10, 1000), (0, 5)), "options.yes.weight"),  # weight with no heads
        (motion("p2p-exit", (0, 5), (0, 0)), "electorate.weight"),
        (motion("p2p-exit", (True, 1000), (1, 1)), "electorate.heads"),  # bool is not an int
        (motion("p2p-exit", (10, 10.0), (1, 1)), "electorate.weight"),  # float refused
        (motion("p2p-exit", (10, 1000), (1, 1), foo="x"), "params.foo"),
        (motion("simple-majority", (10, 1000), (1, 1), basis="area"), "params.basis"),
        (Motion("p2p-exit", options=Options(Tally(1, 1), Tally(0, 0))), "electorate"),
        (Motion("p2p-exit", electorate=Tally(1, 1)), "options"),
        (
            Motion("bankruptcy-reorganization", Tally(1, 1), Options(Tally(1, 1), Tally(0, 0))),
            "electorate",
        ),
        (Motion("bankruptcy-reorganization"), "groups"),
    ],
)
def test_invalid_motions_name_the_field(m, field):
    with pytest.raises(RulesInputError) as err:
        evaluate(m)
    assert err.value.field == field
    assert str(err.value).startswith(f"{field}: ")
    assert " / " in err.value.message  # bilingual


def test_rule_registry():
    assert list(RULES) == [
        "p2p-exit",
        "bankruptcy-general",
        "bankruptcy-reorganization",
        "bankruptcy-settlement",
        "homeowners-ordinary",
        "homeowners-major",
        "committee-supermajority",
        "simple-majority",
    ]
    assert get_rule("p2p-exit").name == "2/3 + 双过半"
    for rule in RULES.values():
        assert rule.quote and rule.citation and rule.name
    with pytest.raises(TypeError):
        RULES["x"] = RULES["p2p-exit"]  # read-only


def test_zero_base_never_holds():
    # 3 * 0 >= 2 * 0 is true arithmetically; a share of nothing must not count as met.
    d = decide("p2p-exit", (10, 0), yes=(10, 0))
    c = crit(d, "participation-weight")
    assert not c.holds and c.percentage is None
    assert "无法计算比例" in c.explanation


# ------------------------------------------------------------------- JSON edge


@pytest.mark.parametrize(
    ("value", "hundredths"),
    [("450.01", 45001), ("450.1", 45010), ("450", 45000), ("0", 0), (450, 45000), (0, 0)],
)
def test_parse_weight_accepts(value, hundredths):
    assert parse_weight(value, "w") == hundredths


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("450.011", "至多两位小数"),
        ("1.000", "至多两位小数"),
        ("-1.00", "不能为负数"),
        (-1, "不能为负数"),
        (1.5, "字符串"),
        (1.0, "字符串"),
        (True, "布尔"),
        (None, "金额字符串"),
        ("", "不是合法的金额"),
        (" 1", "不是合法的金额"),
        ("1e3", "不是合法的金额"),
        (".5", "不是合法的金额"),
        ("1,000.00", "不是合法的金额"),
        ("١٢", "不是合法的金额"),  # non-ASCII digits
        ("9" * 30, "过大"),
    ],
)
def test_parse_weight_refuses(value, message):
    with pytest.raises(RulesInputError) as err:
        parse_weight(value, "options.yes.weight")
    assert err.value.field == "options.yes.weight"
    assert message in err.value.message


GOOD = {
    "rule": "p2p-exit",
    "params": {},
    "electorate": {"heads": 20, "weight": "900.00"},
    "options": {
        "yes": {"heads": 6, "weight": "450.01"},
        "no": {"heads": 4, "weight": "149.99"},
        "abstain": {"heads": 0, "weight": "0"},
    },
}


def edit(path: str, value=...):
    doc = copy.deepcopy(GOOD)
    *parents, last = path.split(".")
    node = doc
    for p in parents:
        node = node[p]
    if value is ...:
        del node[last]
    else:
        node[last] = value
    return doc


def test_from_json_builds_int_hundredths():
    m = from_json(GOOD)
    assert m == Motion(
        "p2p-exit",
        Tally(20, 90000),
        Options(Tally(6, 45001), Tally(4, 14999), Tally(0, 0)),
    )
    out = to_json(evaluate(m))
    assert out["passed"] is True
    assert [c["quantity"] for c in out["criteria"]] == ["600.00", 6, "450.01"]
    assert [c["threshold"] for c in out["criteria"]] == ["2/3", "1/2", "1/2"]
    assert [c["comparison"] for c in out["criteria"]] == [">=", ">", ">"]


@pytest.mark.parametrize(
    ("doc", "field", "message"),
    [
        (edit("rule", "p2p"), "rule", "未知规则"),
        (edit("rule", 3), "rule", "字符串"),
        (edit("rule"), "rule", "缺少"),
        (edit("options.yes.weight", "450.011"), "options.yes.weight", "至多两位小数"),
        (edit("options.yes.weight", 450.5), "options.yes.weight", "字符串"),
        (edit("options.yes.weight", False), "options.yes.weight", "布尔"),
        (edit("options.yes.heads", "6"), "options.yes.heads", "整数"),
        (edit("options.yes.heads", 6.0), "options.yes.heads", "整数"),
        (edit("options.yes.heads", True), "options.yes.heads", "整数"),
        (edit("options.no.heads", -4), "options.no.heads", "负数"),
        (edit("electorate.weight", "-900.00"), "electorate.weight", "负数"),
        (edit("options.no"), "options.no", "缺少"),
        (edit("options.yes.weight"), "options.yes.weight", "缺少"),
        (edit("electorate"), "electorate", "缺少"),
        (edit("options", []), "options", "JSON 对象"),
        (edit("params", {"basis": "heads"}), "params.basis", "没有此参数"),
        (edit("electorat", {}), "electorat", "未知字段"),
        (edit("options.maybe", {"heads": 0, "weight": "0"}), "options.maybe", "未知字段"),
        (edit("electorate.heads", 9), "options", "超过 electorate.heads"),
        (edit("electorate.weight", "599.99"), "options", "超过 electorate.weight"),
        (edit("groups", {}), "groups", "不分组"),
    ],
)
def test_from_json_refuses(doc, field, message):
    with pytest.raises(RulesInputError) as err:
        evaluate(from_json(doc))
    assert err.value.field == field
    assert message in err.value.message


def test_weight_may_be_omitted_only_when_the_rule_ignores_weights():
    doc = {
        "rule": "committee-supermajority",
        "electorate": {"heads": 9},
        "options": {"yes": {"heads": 7}, "no": {"heads": 2}},
    }
    assert evaluate(from_json(doc)).passed
    doc["rule"] = "bankruptcy-general"
    with pytest.raises(RulesInputError) as err:
        from_json(doc)
    assert err.value.field == "electorate.weight"


def test_from_json_is_not_a_document():
    with pytest.raises(RulesInputError):
        from_json([1, 2])
