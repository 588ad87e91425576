"""Exact percentage display and number formatting."""

from __future__ import annotations

import pytest

from winddown.rules.text import (
    format_hundredths,
    fraction_name,
    percent,
    threshold_percent,
)


@pytest.mark.parametrize(
    ("value", "shown"),
    [(0, "0.00"), (5, "0.05"), (100, "1.00"), (60000, "600.00"), (10**14, "1000000000000.00")],
)
def test_format_hundredths(value, shown):
    assert format_hundredths(value) == shown


def test_percent_rounds_half_up_not_to_even():
    # 1/8 = 12.5% ; 1/800 = 0.125% -> 0.13 (half-up), banker's rounding would give 0.12
    assert percent(1, 800) == "0.13"
    assert percent(2, 3) == "66.67"
    assert percent(1, 3) == "33.33"
    assert percent(1, 1) == "100.00"


def test_threshold_percent_adds_decimals_only_when_rounding_would_mislead():
    assert threshold_percent(60000, 90000, 2, 3) == ("66.67", 2)  # exactly 2/3
    assert threshold_percent(59999, 90000, 2, 3) == ("66.666", 3)  # just below
    assert threshold_percent(60001, 90000, 2, 3) == ("66.668", 3)  # just above
    assert threshold_percent(59000, 90000, 2, 3) == ("65.56", 2)  # clearly below
    assert threshold_percent(45001, 90000, 1, 2) == ("50.001", 3)
    assert threshold_percent(45000, 90000, 1, 2) == ("50.00", 2)


def test_threshold_percent_with_huge_denominator_is_still_truthful():
    base = 10**14
    shown, places = threshold_percent(66666666666666, base, 2, 3)
    assert places > 2
    assert shown == "66.666666666666"  # 66.666666666666% < 66.666666666667% (2/3 rounded)
    # exactly 66.666666666667%, which 2/3 also rounds to at 12 places: one more decimal
    shown, _ = threshold_percent(66666666666667, base, 2, 3)
    assert shown == "66.6666666666670"


def test_fraction_names():
    assert fraction_name(2, 3) == "三分之二"
    assert fraction_name(1, 2) == "二分之一"
    assert fraction_name(3, 4) == "四分之三"
    assert fraction_name(3, 5) == "5分之3"
