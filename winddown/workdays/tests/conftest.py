"""The seeded years present and an empty calendar cache for every workdays test.

Transactional tests elsewhere (browser tests, the crash test) flush every table, the rows
of the seed migration included: put them back, with the migration's own code."""

from __future__ import annotations

import pytest

from winddown.workdays import selectors
from winddown.workdays.models import WorkYear
from winddown.workdays.seeding import seed_years


@pytest.fixture(autouse=True)
def _fresh_calendar():
    selectors.invalidate()
    yield
    selectors.invalidate()


@pytest.fixture
def seeded(db):
    seed_years(WorkYear)
    selectors.invalidate()
