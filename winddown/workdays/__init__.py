"""Working days from the database: the confirmed years of the calendar core.

One ``WorkYear`` row per year (its days off, its make-up working days 调休, the State
Council General Office's notice it was checked against, confirmed or not), seeded for
2004–2026 by a migration from ``winddown.calendar.seed``; 2027 and later count only once a
system administrator confirms them (admin, or ``manage.py workdays set-year``). Reads go
through :mod:`winddown.workdays.selectors` (a per-process cached
:class:`~winddown.calendar.Calendar`), writes through :mod:`winddown.workdays.services`.
See README.md in this directory.
"""
