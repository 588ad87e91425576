"""Exact number formatting for the Chinese explanations.

Everything here is integer arithmetic: weights are integers in hundredths
(fen, or 0.01 m²), percentages are rounded half-up with integer division.
No floats are used anywhere in the package.
"""

from __future__ import annotations

FRACTION_NAMES: dict[tuple[int, int], str] = {
    (1, 2): "二分之一",
    (2, 3): "三分之二",
    (3, 4): "四分之三",
    (1, 1): "全部",
}


def fraction_name(numerator: int, denominator: int) -> str:
    """Chinese name of a threshold fraction, e.g. ``(2, 3)`` -> ``"三分之二"``."""
    try:
        return FRACTION_NAMES[(numerator, denominator)]
    except KeyError:
        return f"{denominator}分之{numerator}"


def format_hundredths(value: int) -> str:
    """Format an integer amount in hundredths with exactly two decimals.

    >>> format_hundredths(60000)
    '600.00'
    >>> format_hundredths(5)
    '0.05'
    """
    sign = "-" if value < 0 else ""
    value = abs(value)
    return f"{sign}{value // 100}.{value % 100:02d}"


def _div_round_half_up(numerator: int, denominator: int) -> int:
    """``numerator / denominator`` rounded half-up, for non-negative integers."""
    return (2 * numerator + denominator) // (2 * denominator)


def _fixed(value: int, places: int) -> str:
    digits = str(value).rjust(places + 1, "0")
    return f"{digits[:-places]}.{digits[-places:]}"


def percent(quantity: int, base: int, places: int = 2) -> str:
    """``quantity / base`` as a percentage string, rounded half-up to ``places``.

    >>> percent(600, 900)
    '66.67'
    """
    if base <= 0:
        raise ValueError("base must be positive")
    return _fixed(_div_round_half_up(quantity * 100 * 10**places, base), places)


def threshold_percent(
    quantity: int, base: int, numerator: int, denominator: int
) -> tuple[str, int]:
    """Percentage of ``quantity / base`` that cannot be mistaken for the threshold.

    Shows two decimals (rounded half-up). If the ratio differs from the
    threshold ``numerator / denominator`` but both round to the same
    two-decimal figure (e.g. 599.99 / 900 and 2/3 both show as 66.67%), more
    decimals are added until the two figures differ, so a lender comparing the
    printed percentage with the threshold sees the true side. Returns the
    string and the number of decimals used. Terminates because two different
    rationals differ by at least ``1 / (base * denominator)``.

    >>> threshold_percent(59999, 90000, 2, 3)
    ('66.666', 3)
    >>> threshold_percent(600, 900, 2, 3)
    ('66.67', 2)
    """
    if base <= 0:
        raise ValueError("base must be positive")
    exactly_equal = quantity * denominator == numerator * base
    places = 2
    while True:
        scale = 100 * 10**places
        shown = _div_round_half_up(quantity * scale, base)
        if exactly_equal or shown != _div_round_half_up(numerator * scale, denominator):
            return _fixed(shown, places), places
        places += 1
