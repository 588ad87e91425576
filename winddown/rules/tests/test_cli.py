"""``python -m winddown.rules`` as a subprocess: JSON in on stdin, JSON out, exit 2 on bad input."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[3]


def run(*args: str, stdin: str | bytes = b"") -> subprocess.CompletedProcess[bytes]:
    data = stdin.encode() if isinstance(stdin, str) else stdin
    return subprocess.run(
        [sys.executable, "-m", "winddown.rules", *args],
        input=data,
        capture_output=True,
        cwd=REPO,
        timeout=60,
        check=False,
    )


def evaluate(doc: object) -> subprocess.CompletedProcess[bytes]:
    return run("evaluate", stdin=json.dumps(doc, ensure_ascii=False))


MOTION = {
    "rule": "p2p-exit",
    "params": {},
    "electorate": {"heads": 20, "weight": "900.00"},
    "options": {
        "yes": {"heads": 6, "weight": "450.01"},
        "no": {"heads": 4, "weight": "149.99"},
        "abstain": {"heads": 0, "weight": "0"},
    },
}

ELECTION = {
    "rule": "p2p-exit",
    "electorate": {"heads": 100, "weight": "1000.00"},
    "participation": {"heads": 90, "weight": "900.00"},
    "seats": 2,
    "max_choices": 4,
    "candidates": {
        "王小进": {"heads": 80, "weight": "800.00"},
        "张小英": {"heads": 70, "weight": "700.00"},
        "陈小刚": {"heads": 70, "weight": "700.00"},
        "汪小亮": {"heads": 50, "weight": "500.00"},
    },
}

GROUPED = {
    "rule": "bankruptcy-reorganization",
    "groups": {
        "有财产担保债权组": {
            "electorate": {"heads": 5, "weight": "3000.00"},
            "options": {
                "yes": {"heads": 3, "weight": "2000.00"},
                "no": {"heads": 1, "weight": "0.01"},
            },
        },
        "普通债权组": {
            "electorate": {"heads": 10, "weight": "900.00"},
            "options": {"yes": {"heads": 6, "weight": "599.99"}, "no": {"heads": 4, "weight": "1"}},
        },
    },
}


def test_evaluate_motion():
    p = run("evaluate", stdin=json.dumps(MOTION))
    assert p.returncode == 0, p.stderr.decode()
    out = json.loads(p.stdout)
    assert out["passed"] is True
    assert out["summary"].startswith("表决结果：通过。")
    first = out["criteria"][0]
    assert first == {
        "id": "participation-weight",
        "title": first["title"],
        "measure": "weight",
        "quantity": "600.00",
        "base": "900.00",
        "unit": "元",
        "threshold": "2/3",
        "comparison": ">=",
        "holds": True,
        "percentage": "66.67",
        "explanation": first["explanation"],
    }
    assert "600.00 元" in first["explanation"] and first["explanation"].endswith("满足。")
    assert p.stderr == b""


def test_evaluate_motion_that_fails_still_exits_zero():
    doc = json.loads(json.dumps(MOTION))
    doc["options"]["no"]["weight"] = "149.98"
    p = evaluate(doc)
    assert p.returncode == 0
    out = json.loads(p.stdout)
    assert out["passed"] is False
    assert out["criteria"][0]["percentage"] == "66.666"
    assert out["summary"].startswith("表决结果：未通过。")


def test_evaluate_election():
    p = evaluate(ELECTION)
    assert p.returncode == 0, p.stderr.decode()
    out = json.loads(p.stdout)
    assert out["kind"] == "election"
    assert out["elected"] == ["王小进"]
    assert out["unresolved_tie"] == ["张小英", "陈小刚"]
    assert out["vacant_seats"] == 1
    statuses = {c["name"]: c["status"] for c in out["candidates"]}
    assert statuses == {
        "王小进": "elected",
        "张小英": "tied",
        "陈小刚": "tied",
        "汪小亮": "not-qualified",
    }
    assert all(c["criteria"] for c in out["candidates"])


def test_evaluate_grouped_rule():
    p = evaluate(GROUPED)
    assert p.returncode == 0, p.stderr.decode()
    out = json.loads(p.stdout)
    assert out["passed"] is False
    assert [(g["name"], g["passed"]) for g in out["groups"]] == [
        ("有财产担保债权组", True),
        ("普通债权组", False),
    ]
    weight = next(c for c in out["groups"][1]["criteria"] if c["id"] == "yes-weight")
    assert (weight["quantity"], weight["base"], weight["holds"]) == ("599.99", "900.00", False)
    assert "普通债权组" in out["summary"]


def test_list():
    p = run("list")
    assert p.returncode == 0
    text = p.stdout.decode()
    for rule_id, name in [
        ("p2p-exit", "2/3 + 双过半"),
        ("bankruptcy-general", "《企业破产法》第六十四条"),
        ("bankruptcy-reorganization", "第八十六条"),
        ("bankruptcy-settlement", "第九十七条"),
        ("homeowners-ordinary", "《民法典》第二百七十八条"),
        ("homeowners-major", "重大事项"),
        ("committee-supermajority", "第十二条"),
        ("simple-majority", "简单多数"),
    ]:
        assert rule_id in text and name in text
    rules = json.loads(run("list", "--json").stdout)
    assert len(rules) == 8 and rules[0]["id"] == "p2p-exit"


def bad(base: dict, path: str, value=...) -> dict:
    doc = json.loads(json.dumps(base, ensure_ascii=False))
    *parents, last = path.split("/")
    node = doc
    for p in parents:
        node = node[p]
    if value is ...:
        del node[last]
    else:
        node[last] = value
    return doc


@pytest.mark.parametrize(
    ("doc", "expected"),
    [
        (bad(MOTION, "rule", "p2p"), "rule: 未知规则"),
        (
            bad(MOTION, "options/yes/weight", "450.011"),
            "options.yes.weight: 至多两位小数 / at most two decimals",
        ),
        (bad(MOTION, "options/yes/weight", 450.5), "options.yes.weight: 小数请以字符串给出"),
        (bad(MOTION, "options/yes/weight", True), "options.yes.weight:"),
        (bad(MOTION, "options/no/heads", -4), "options.no.heads: 不能为负数"),
        (bad(MOTION, "electorate/weight", "-900"), "electorate.weight: 不能为负数"),
        (
            bad(MOTION, "electorate/heads", 9),
            "options: yes+no+abstain 人数 10 超过 electorate.heads",
        ),
        (bad(MOTION, "electorate/weight", "599.99"), "options: yes+no+abstain 权重"),
        (
            bad(MOTION, "options/abstain/weight", "300.00"),
            "options.abstain.weight: 人数为 0 时权重须为 0",
        ),
        (bad(MOTION, "options/no"), "options.no: 缺少此字段"),
        (bad(MOTION, "electorate"), "electorate: 缺少此字段"),
        (bad(MOTION, "options/yes/heads", "6"), "options.yes.heads: 须为整数"),
        (bad(MOTION, "options", [1]), "options: 须为 JSON 对象"),
        (bad(MOTION, "params", {"basis": "weight"}), "params.basis:"),
        (bad(MOTION, "quorum", 3), "quorum: 未知字段"),
        (
            bad(GROUPED, "groups/普通债权组/options/yes/weight", "1.234"),
            "groups.普通债权组.options.yes.weight: 至多两位小数",
        ),
        (
            bad(GROUPED, "electorate", {"heads": 1, "weight": "1"}),
            "electorate: 规则 bankruptcy-reorganization 按表决组计票",
        ),
        (
            bad(ELECTION, "candidates/王小进/heads", 91),
            "candidates.王小进.heads: 人数 91 超过 participation.heads",
        ),
        (bad(ELECTION, "max_choices", 1), "candidates: 各候选人得票人数合计"),
        (bad(ELECTION, "participation/weight", "1000.01"), "participation.weight:"),
        (bad(ELECTION, "seats", 0), "seats: 不能小于 1"),
        (bad(ELECTION, "seats"), "seats: 缺少此字段"),
        (bad(ELECTION, "candidates", ["王小进"]), "candidates: 须为 JSON 对象"),
        (bad(ELECTION, "rule", "bankruptcy-reorganization"), "rule: 分组规则"),
    ],
)
def test_invalid_input_exits_2_naming_the_field(doc, expected):
    p = evaluate(doc)
    assert p.returncode == 2, p.stdout.decode()
    assert p.stdout == b""
    assert expected in p.stderr.decode()


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (b"{not json", "stdin: 不是合法的 JSON"),
        (b"", "stdin: 不是合法的 JSON"),
        (b"\xff\xfe", "stdin: 不是 UTF-8"),
        (b'{"rule": "p2p-exit", "rule": "simple-majority"}', "rule: JSON 对象中有重复的键"),
        (b"[]", "须为 JSON 对象"),
    ],
)
def test_unparseable_stdin_exits_2(raw, expected):
    p = run("evaluate", stdin=raw)
    assert p.returncode == 2
    assert expected in p.stderr.decode()


def test_usage_error_exits_2():
    assert run("frobnicate").returncode == 2
    assert run().returncode == 2
