from __future__ import annotations

import pytest

from winddown.audit.services import Actor
from winddown.indicators import TABLES, Kind
from winddown.workdays import selectors as workdays
from winddown.workdays.models import WorkYear
from winddown.workdays.seeding import seed_years


@pytest.fixture(autouse=True)
def calendar(db):
    seed_years(WorkYear)
    workdays.invalidate()
    yield
    workdays.invalidate()


def actor_of(user) -> Actor:
    return Actor(user.pk, user.audit_label)


def complete(table_code: str, value: str = "0") -> dict[str, str]:
    """Every cell of a table filled with a valid value (0 for numbers)."""
    cells = {}
    for i in TABLES[table_code].indicators:
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
        elif i.kind is Kind.ATTACHMENT:
            continue
        else:
            cells[i.code] = "无"
    return cells
