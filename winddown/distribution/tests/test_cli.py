"""``python -m winddown.distribution`` as a subprocess: JSON in on stdin, JSON out, exit 2 on bad
input naming the field; the README's examples are run as written."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[3]
README = Path(__file__).resolve().parents[1] / "README.md"

ISSUE_INPUT = (
    '{"pool": "1000.00", "claims": [{"id": "a", "principal": "600.00", "interest": "100.00"}, '
    '{"id": "b", "principal": "500.00", "interest": "50.00"}], "small_claims_first": "0"}'
)


def run(stdin: str | bytes, *args: str) -> subprocess.CompletedProcess[bytes]:
    data = stdin.encode() if isinstance(stdin, str) else stdin
    return subprocess.run(
        [sys.executable, "-m", "winddown.distribution", *args],
        input=data,
        capture_output=True,
        cwd=REPO,
        timeout=60,
        check=False,
    )


def test_issue_example_exact_output():
    p = run(ISSUE_INPUT)
    assert p.returncode == 0, p.stderr.decode()
    assert p.stderr == b""
    out = json.loads(p.stdout)
    assert out["payments"] == {
        "a": {"principal": "545.45", "interest": "0.00", "held": "0.00", "reserved": "0.00"},
        "b": {"principal": "454.55", "interest": "0.00", "held": "0.00", "reserved": "0.00"},
    }
    assert out["left"] == "0.00"
    assert list(out) == ["payments", "left", "totals", "policy"]
    compact = run(ISSUE_INPUT, "--compact")
    assert compact.stdout.count(b"\n") == 1
    assert json.loads(compact.stdout) == out


def readme_examples() -> list[tuple[str, str]]:
    text = README.read_text(encoding="utf-8")
    blocks = re.findall(r"<!-- example-(input|output) -->\n```json\n(.*?)```", text, re.S)
    assert [kind for kind, _ in blocks] == ["input", "output"] * (len(blocks) // 2)
    return [(blocks[i][1], blocks[i + 1][1]) for i in range(0, len(blocks), 2)]


def test_readme_has_the_examples():
    assert len(readme_examples()) == 4


@pytest.mark.parametrize(("doc", "shown"), readme_examples())
def test_readme_examples_reproduce(doc, shown):
    p = run(doc)
    assert p.returncode == 0, p.stderr.decode()
    out = json.loads(p.stdout)
    for key, value in json.loads(shown).items():
        assert out[key] == value, key


@pytest.mark.parametrize(
    ("stdin", "field", "words"),
    [
        (ISSUE_INPUT.replace('"600.00"', '"600.001"'), "claims[0].principal", "至多两位小数"),
        (ISSUE_INPUT.replace('"600.00"', "600.5"), "claims[0].principal", "字符串"),
        (ISSUE_INPUT.replace('"50.00"', '"-50.00"'), "claims[1].interest", "不能为负数"),
        (ISSUE_INPUT.replace('"id": "b"', '"id": "a"'), "claims[1].id", "重复"),
        (ISSUE_INPUT.replace('"pool": "1000.00", ', ""), "pool", "缺少"),
        (ISSUE_INPUT.replace(', "interest": "50.00"', ""), "claims[1].interest", "缺少"),
        (
            ISSUE_INPUT.replace('"small_claims_first"', '"small_claim_first"'),
            "small_claim_first",
            "未知字段",
        ),
        (ISSUE_INPUT.replace('"pool": "1000.00"', '"pool": "1", "pool": "2"'), "pool", "重复的键"),
        ('{"pool": NaN, "claims": []}', "stdin", "NaN"),
        ("{", "stdin", "不是合法的 JSON"),
        (b"\xff\xfe", "stdin", "UTF-8"),
        ("[]", "(document)", "JSON 对象"),
    ],
)
def test_bad_input_exits_2_naming_the_field(stdin, field, words):
    p = run(stdin)
    assert p.returncode == 2
    assert p.stdout == b""
    err = p.stderr.decode()
    assert err.startswith(f"error: {field}: "), err
    assert words in err
    assert err.count("\n") == 1


def test_usage_error_exits_2():
    assert run(ISSUE_INPUT, "--nope").returncode == 2


def test_utf8_bom_and_chinese_ids():
    doc = (
        '\ufeff{"pool": "0.01", "claims": [{"id": "王", "principal": "0.01", "interest": "0"}, '
        '{"id": "李", "principal": "0.01", "interest": "0"}]}'
    )
    p = run(doc.encode("utf-8"))
    assert p.returncode == 0, p.stderr.decode()
    out = json.loads(p.stdout)
    assert out["payments"]["李"]["principal"] == "0.01"  # 李 U+674E sorts before 王 U+738B
    assert out["payments"]["王"]["principal"] == "0.00"
    assert "王" in p.stdout.decode("utf-8")  # not \u-escaped
