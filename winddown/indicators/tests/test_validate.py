"""The validation engine: cells, the B.7 rules, month-on-month checks (property tests for
the arithmetic, examples for the messages)."""

from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from winddown.indicators import ERROR, TABLES, WARNING, Kind, format_scaled, parse_cell, validate
from winddown.indicators.validate import MOM_FACTOR
from winddown.indicators.values import CellError, parse_amount, uscc_error

AH01, AH02, AH03, AH04, AH05 = (TABLES[f"AH-0{n}"] for n in range(1, 6))


def complete(table, value="0"):
    cells = {}
    for i in table.indicators:
        if i.kind in (Kind.AMOUNT, Kind.COUNT, Kind.PERCENT, Kind.NUMBER):
            cells[i.code] = value
        elif i.kind is Kind.AMOUNT_PAIR:
            cells[i.code] = f"{value}；{value}"
        elif i.kind in (Kind.DATE, Kind.DATES):
            cells[i.code] = "2015-01-31"
        elif i.kind is Kind.DATE_RANGE:
            cells[i.code] = "2019-01-01至2020-12-31"
        elif i.kind is Kind.ENUM:
            cells[i.code] = i.choices[0]
        elif i.code == "AH1004":
            cells[i.code] = "91440300MA5DC6QX0G"
        else:
            cells[i.code] = "无"
    return cells


def rules_of(report):
    return {f.rule for f in report.findings}


@given(st.integers(min_value=-(10**15), max_value=10**15))
def test_amounts_round_trip_exactly_through_six_decimals_of_wan(fen):
    assert parse_amount(format_scaled(fen), allow_negative=True) == fen


@given(st.integers(min_value=1, max_value=10**12), st.sampled_from(["元", "亿元", "千元"]))
def test_an_amount_in_another_unit_is_refused(fen, unit):
    try:
        parse_amount(format_scaled(fen) + unit)
    except CellError as exc:
        assert exc.kind == "unit" and "万元" in exc.message
    else:
        raise AssertionError("accepted")


@given(st.text(max_size=30))
def test_any_text_in_any_cell_gives_a_value_or_a_cell_error(text):
    for table in TABLES.values():
        report = validate(table, {i.code: text for i in table.indicators})
        for f in report.findings:
            assert f.message and f.codes[0].startswith("AH")


@given(st.integers(0, 10**6), st.integers(0, 10**6), st.integers(0, 10**6))
def test_v1_branch_total_holds_exactly_when_it_is_the_sum(total, home, abroad):
    cells = {**complete(AH01), "AH1015": str(total), "AH1016": str(home), "AH1017": str(abroad)}
    report = validate(AH01, cells)
    assert ("V1" in rules_of(report)) == (total != home + abroad)


@given(st.integers(-(10**12), 10**12), st.integers(0, 10**12), st.integers(0, 10**12))
def test_v5_total_profit(operating, other_in, other_out):
    total = operating + other_in - other_out
    cells = {
        **complete(AH04),
        "AH4016": format_scaled(operating),
        "AH4017": format_scaled(other_in),
        "AH4018": format_scaled(other_out),
        "AH4019": format_scaled(total),
        "AH4021": format_scaled(total),
    }
    assert "V5" not in rules_of(validate(AH04, cells))
    cells["AH4019"] = format_scaled(total + 1)
    assert "V5" in rules_of(validate(AH04, cells))


@given(st.integers(1, 10**9), st.integers(1, 10**9))
def test_month_on_month_flags_exactly_the_ten_thousand_fold_jumps(before, now):
    previous = validate(AH05, {**complete(AH05), "AH503": format_scaled(before)}).values
    report = validate(AH05, {**complete(AH05), "AH503": format_scaled(now)}, previous=previous)
    flagged = any(f.rule == "MOM" and f.codes == ("AH503",) for f in report.findings)
    assert flagged == (now >= MOM_FACTOR * before or before >= MOM_FACTOR * now)


def test_a_complete_zero_filing_has_no_blocking_error():
    for table in TABLES.values():
        report = validate(table, complete(table))
        assert report.ok, [f.message for f in report.errors]


def test_text_in_a_number_cell_names_the_code_and_the_fix():
    report = validate(AH03, {**complete(AH03), "AH3002": "一百万"})
    (error,) = report.errors
    assert error.codes == ("AH3002",)
    assert "AH3002" in error.message and "不是数字" in error.message


def test_a_unit_mistaken_names_the_conversion():
    report = validate(AH03, {**complete(AH03), "AH3003": "1500000元"})
    (error,) = report.errors
    assert error.rule == "CELL.unit" and "1万元＝10000元" in error.message


def test_more_than_six_decimals_refused():
    report = validate(AH03, {**complete(AH03), "AH3003": "1.1234567"})
    assert [f.rule for f in report.errors] == ["CELL.decimals"]


def test_unknown_code_is_another_tables_layout():
    report = validate(AH05, {**complete(AH05), "AH3001": "1"})
    assert any(f.rule == "CELL.unknown" and "AH3001" in f.message for f in report.errors)


def test_dates_padded_or_not():
    d = TABLES["AH-01"].indicator("AH1005")
    assert parse_cell(d, "2015-1-31") == date(2015, 1, 31)
    assert parse_cell(d, "2015-01-31 00:00:00") == date(2015, 1, 31)
    for bad in ("2015/01/31", "2015-02-30", "昨天"):
        try:
            parse_cell(d, bad)
        except CellError as exc:
            assert exc.kind == "date"
        else:
            raise AssertionError(bad)


def test_v3_credit_code_check_digit():
    assert uscc_error("91440300MA5DC6QX0G") is None
    assert "校验位" in uscc_error("91440300MA5DC6QX0H")
    report = validate(AH01, {**complete(AH01), "AH1004": "91440300MA5DC6QX0H"})
    assert "V3" in {f.rule for f in report.errors}


def test_v4_shareholders_over_100_percent_block_and_order_warns():
    cells = {**complete(AH02), "AH2006": "40", "AH2012": "70"}
    report = validate(AH02, cells)
    assert "V4" in {f.rule for f in report.errors}
    assert "V4b" in {f.rule for f in report.warnings}


def test_v7_sub_row_over_parent_blocks_and_sector_split_warns():
    cells = {**complete(AH03), "AH3005": "10", "AH3006": "11", "AH3004": "10"}
    assert "V7" in {f.rule for f in validate(AH03, cells).errors}
    cells = {**complete(AH03), "AH3015": "10", "AH3016": "6", "AH3017": "6"}
    report = validate(AH03, cells)
    assert report.ok and "V7s" in {f.rule for f in report.warnings}


def test_v8_allows_two_decimal_rounding():
    cells = {**complete(AH03), "AH3029": "0", "AH3030": "1.004", "AH3031": "1.004"}
    cells["AH3029"] = "2.01"  # 2.008 rounded to two decimals
    assert "V8" not in rules_of(validate(AH03, cells))


def test_red_flags_are_warnings_for_review():
    report = validate(AH03, {**complete(AH03), "AH3029": "5", "AH3030": "5"})
    (flag,) = [f for f in report.findings if f.rule == "V17"]
    assert flag.severity == WARNING and flag.review


def test_v10_buckets_nested_and_v12_percent_bounds():
    cells = {**complete(AH05), "AH515": "1", "AH517": "2", "AH510": "30", "AH509": "20"}
    report = validate(AH05, cells)
    assert {"V10", "V12"} <= {f.rule for f in report.warnings}
    assert report.ok


def test_v13_cumulative_figures_never_decrease_and_v14_resets_in_january():
    previous = validate(AH05, {**complete(AH05), "AH501": "100", "AH525": "50"}).values
    now = {**complete(AH05), "AH501": "90", "AH525": "10"}
    assert {"V13", "V14"} <= rules_of(validate(AH05, now, previous=previous))
    january = validate(AH05, now, previous=previous, same_year_previous=False)
    assert "V14" not in rules_of(january)


def test_repeated_row_sets_are_validated_each():
    ah07 = TABLES["AH-07"]
    one = complete(ah07)
    cells = {**one, **{f"{k}#2": v for k, v in one.items()}, "AH708#2": "abc"}
    report = validate(ah07, cells)
    (error,) = report.errors
    assert error.instance == 2 and "第2组" in error.message


def test_findings_have_stable_keys():
    report = validate(AH03, {**complete(AH03), "AH3029": "5", "AH3030": "5"})
    keys = [f.key for f in report.findings]
    assert "V17:AH3029" in keys and len(set(keys)) == len(keys)
    assert all(f.severity in (ERROR, WARNING) for f in report.findings)
