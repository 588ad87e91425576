"""What the platform fills into a new draft (issue 19: "pre-filled wherever the platform knows
the answer").

Each table has a list of prefill functions ``fn(institution, period) -> {key: text}``; the
draft takes the union (earlier functions win), and records which keys were pre-filled so
the page can say so. Other apps add theirs from their AppConfig.ready:

    from winddown.reporting.services import register_prefill
    register_prefill("AH-05", ledger_ah05)   # the loan ledger, at the merge

``ledger_ah05`` receives the institution and the :class:`~winddown.calendar.Period` and
returns the AH501–AH529 texts in 万元 (``winddown.indicators.format_scaled(fen)``), 当期 /
当年 as 报送标准 L1183 defines them and the choices of spec I‑4 … I‑10. Nothing in this app
depends on the ledger.

Totals the platform can compute from the filer's own figures (AH1015 from AH1016+AH1017,
AH4019 from V5, AH4021 from V6) are filled when the total is blank: :func:`computed_totals`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING

from winddown.indicators import TABLES, format_scaled
from winddown.indicators.values import CellError, parse_amount, parse_count

if TYPE_CHECKING:
    from winddown.calendar import Period
    from winddown.institutions.models import Institution

Prefill = Callable[["Institution", "Period"], Mapping[str, str]]

_PREFILLS: dict[str, list[Prefill]] = {code: [] for code in TABLES}


def register_prefill(table: str, fn: Prefill) -> None:
    if table not in _PREFILLS:
        raise KeyError(table)
    if fn not in _PREFILLS[table]:
        _PREFILLS[table].append(fn)


def unregister_prefill(table: str, fn: Prefill) -> None:
    if fn in _PREFILLS.get(table, ()):
        _PREFILLS[table].remove(fn)


def prefill(table: str, institution: Institution, period: Period) -> dict[str, str]:
    out: dict[str, str] = {}
    for fn in _PREFILLS[table]:
        for key, value in fn(institution, period).items():
            out.setdefault(key, value)
    return out


def institution_register_ah01(institution: Institution, period: Period) -> dict[str, str]:
    """AH‑01 from the institution register (AH1001 全称, AH1002 简称, AH1004 社会信用代码,
    AH1011 经营地址)."""
    out = {
        "AH1001": institution.full_name,
        "AH1002": institution.short_name,
        "AH1004": institution.credit_code,
    }
    address = institution.business_address or institution.registered_address
    if address:
        out["AH1011"] = address
    return out


register_prefill("AH-01", institution_register_ah01)


_TOTALS = {
    # total: (kind, plus, minus)
    "AH1015": ("count", ("AH1016", "AH1017"), ()),  # V1, L738
    "AH4019": ("amount", ("AH4016", "AH4017"), ("AH4018",)),  # V5, L1130
    "AH4021": ("amount", ("AH4019",), ("AH4020",)),  # V6
}


def computed_totals(table: str, cells: Mapping[str, str]) -> dict[str, str]:
    """The totals of ``table`` that are blank in ``cells`` and computable from it."""
    out: dict[str, str] = {}
    merged = dict(cells)
    for total, (kind, plus, minus) in _TOTALS.items():
        if not total.startswith(f"AH{table[-1]}") or str(merged.get(total, "")).strip():
            continue
        try:
            if kind == "count":
                value = sum(parse_count(str(merged[c]).strip()) for c in plus) - sum(
                    parse_count(str(merged[c]).strip()) for c in minus
                )
                text = str(value)
            else:
                value = sum(
                    parse_amount(str(merged[c]).strip(), allow_negative=True) for c in plus
                ) - sum(parse_amount(str(merged[c]).strip(), allow_negative=True) for c in minus)
                text = format_scaled(value)
        except (KeyError, CellError):
            continue
        out[total] = merged[total] = text
    return out
