"""Rows for 2004–2026 from the calendar core's seed (the ``holidays`` package, checked
against ``chinesecalendar`` in the tests), for the data migration.

Takes the model class as an argument so the migration can pass its historical model
(``apps.get_model``) and never imports the app's models.
"""

from __future__ import annotations

from django.utils import timezone

from winddown.calendar.seed import SEED_FIRST_YEAR, SEED_LAST_YEAR, seed_year_specs
from winddown.workdays.dates import to_stored

SEED_LABEL = "初始数据：holidays 包（已与 chinesecalendar 逐日核对）"


def seed_years(model, first: int = SEED_FIRST_YEAR, last: int = SEED_LAST_YEAR) -> int:
    """Create the confirmed rows of ``first``–``last`` that are missing; returns how many.

    Rows already present are left alone (an administrator may have amended them)."""
    present = set(model.objects.filter(year__range=(first, last)).values_list("year", flat=True))
    now = timezone.now()
    rows = [
        model(
            year=year,
            holidays=to_stored(spec.holidays),
            workdays=to_stored(spec.workdays),
            confirmed=True,
            notice=spec.notice,
            confirmed_by_label=SEED_LABEL,
            confirmed_at=now,
        )
        for year, spec in seed_year_specs(first, last).items()
        if year not in present
    ]
    model.objects.bulk_create(rows)
    return len(rows)
