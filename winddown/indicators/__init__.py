"""The association's indicator tables (报送标准, 003) as data, and the validation of a filing.

Pure core: no Django, no app. ``python -m winddown.indicators tables`` prints the tables as
JSON; ``python -m winddown.indicators validate AH-03 < cells.json`` validates a filing.
"""

from .model import DEFINITIONS_VERSION, Frequency, Indicator, Kind, Table
from .tables import TABLES
from .validate import ERROR, RULES, WARNING, Finding, Report, Rule, make_key, split_key, validate
from .values import CellError, format_scaled, format_value, parse_cell

__all__ = [
    "DEFINITIONS_VERSION",
    "ERROR",
    "RULES",
    "TABLES",
    "WARNING",
    "CellError",
    "Finding",
    "Frequency",
    "Indicator",
    "Kind",
    "Report",
    "Rule",
    "Table",
    "format_scaled",
    "format_value",
    "make_key",
    "parse_cell",
    "split_key",
    "tables_json",
    "validate",
]


def tables_json(*, full: bool = False) -> list[dict]:
    """The tables in the shape of issue 19: ``[{"table", "name", "frequency",
    "indicators": [{"code", "name", "unit"}]}]`` (``full``: every attribute)."""
    return [t.as_full_dict() if full else t.as_dict() for t in TABLES.values()]
