"""The seven tables hold every row of 报送标准 as spec B.5 quotes it (241 rows, B.3)."""

import json
import re
import subprocess
import sys
from pathlib import Path

from winddown.indicators import TABLES, Frequency, Kind, tables_json

REPO = Path(__file__).resolve().parents[3]


def test_seven_tables_and_241_indicators():
    counts = {code: len(t.indicators) for code, t in TABLES.items()}
    assert counts == {
        "AH-01": 23, "AH-02": 36, "AH-03": 102, "AH-04": 22, "AH-05": 29, "AH-06": 18, "AH-07": 11,
    }  # fmt: skip
    assert sum(counts.values()) == 241


def test_codes_are_as_written_and_unique():
    codes = [i.code for t in TABLES.values() for i in t.indicators]
    assert len(set(codes)) == 241
    for t in TABLES.values():
        width = 4 if t.code in {"AH-01", "AH-02", "AH-03", "AH-04"} else 3  # spec B.6 #18
        prefix = f"AH{t.code[-1]}"
        for row, i in enumerate(t.indicators, 1):
            assert i.row == row
            assert re.fullmatch(rf"{prefix}\d{{{width - 1}}}", i.code), i.code


def test_spot_checks():
    ah01, ah02, ah03 = TABLES["AH-01"], TABLES["AH-02"], TABLES["AH-03"]
    assert ah01.indicator("AH1001").name == "法人机构全称"
    assert ah01.indicator("AH1006").name == "公司注册资本、 、实缴资本"  # as written, B.6 #16
    assert ah01.indicator("AH1006").kind is Kind.AMOUNT_PAIR
    assert ah01.indicator("AH1020").unit == "人"
    assert ah02.indicator("AH2034").sub == "7.2.2"  # the source's own numbering, B.6 #17
    assert ah02.indicator("AH2031").repeats
    assert not ah02.indicator("AH2001").required  # <1% may be blank (L806)
    assert ah03.indicator("AH3017").name == "从银行业金融机构买入"
    assert ah03.indicator("AH3102").name == "减：库存股"
    assert ah03.indicator("AH3001").unit == "万元"
    ah04, ah05 = TABLES["AH-04"], TABLES["AH-05"]
    assert ah04.name == "利润情况采集指标表" and ah04.heading == "利润采集指标表"
    assert ah04.indicator("AH4021").negative
    assert ah05.indicator("AH501").name == "平台成立以来的累计借贷金额"
    assert ah05.indicator("AH523").unit == "%"
    assert ah05.indicator("AH524").unit == "月"
    assert ah05.indicator("AH529").code == "AH529"
    ah06, ah07 = TABLES["AH-06"], TABLES["AH-07"]
    assert ah06.frequency is Frequency.MONTHLY
    assert ah06.indicator("AH601").frequency is Frequency.QUARTERLY  # B.6 #4
    assert ah06.indicator("AH614").kind is Kind.ATTACHMENT and not ah06.indicator("AH614").required
    assert ah07.indicator("AH711").name == "合作机构负面信息"
    assert ah07.per == "partner" and ah06.per == "product"


def test_json_shape_of_the_issue():
    data = tables_json()
    assert [t["table"] for t in data] == [f"AH-0{n}" for n in range(1, 8)]
    first = data[0]
    assert first["name"] == "基本情况采集指标表" and first["frequency"] == "annual"
    assert set(first) == {"table", "name", "frequency", "indicators"}
    assert first["indicators"][0] == {"code": "AH1001", "name": "法人机构全称", "unit": ""}
    assert {t["frequency"] for t in data} == {"annual", "quarterly", "monthly"}


def test_command_line_prints_the_tables():
    run = subprocess.run(
        [sys.executable, "-m", "winddown.indicators", "tables"],
        cwd=REPO, capture_output=True, timeout=60, check=True,
    )  # fmt: skip
    data = json.loads(run.stdout)
    assert sum(len(t["indicators"]) for t in data) == 241


def test_command_line_validates_a_filing():
    cells = json.dumps({"cells": {"AH1015": "3", "AH1016": "1", "AH1017": "1"}})
    run = subprocess.run(
        [sys.executable, "-m", "winddown.indicators", "validate", "AH-01"],
        cwd=REPO, input=cells.encode(), capture_output=True, timeout=60, check=False,
    )  # fmt: skip
    assert run.returncode == 1  # blocking errors
    findings = json.loads(run.stdout)
    assert any(f["rule"] == "V1" and f["severity"] == "error" for f in findings)
    bad = subprocess.run(
        [sys.executable, "-m", "winddown.indicators", "validate", "AH-09"],
        cwd=REPO, input=b"{}", capture_output=True, timeout=60, check=False,
    )  # fmt: skip
    assert bad.returncode == 2 and "AH-01" in bad.stderr.decode()
