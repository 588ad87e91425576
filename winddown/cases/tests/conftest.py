"""Fixtures of the cases tests: designated officers, reporters, a fixed "today"."""

from __future__ import annotations

import random
from datetime import date

import pytest

from winddown.accounts.roles import Role
from winddown.cases import services
from winddown.cases.models import Designation
from winddown.conftest import SYSTEM, make_lender, make_staff
from winddown.demo.generators import resident_id

# A Monday in a confirmed year (2026), far from holidays.
TODAY = date(2026, 3, 2)
REPORTER_NAME = "欧阳明珠"
REPORTER_ID = resident_id(random.Random(7))
REPORTER_PHONE = "13912345678"
FACTS = "该机构于2026年1月起以高息理财名义向出借人募集资金并承诺保本保息，涉及金额约300万元。"


@pytest.fixture(autouse=True)
def _fresh_calendar():
    """The calendar is cached per process: a year confirmed by one test (then rolled back)
    must not answer in the next."""
    from winddown.workdays.selectors import invalidate

    invalidate()
    yield
    invalidate()


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch):
    day = {"value": TODAY}
    monkeypatch.setattr(services, "today", lambda: day["value"])
    return day


@pytest.fixture
def handler(db):
    user = make_staff("handler", Role.ASSOCIATION_OFFICER)
    services.officer_designate(user=user, designation=Designation.HANDLER, actor=SYSTEM)
    return user


@pytest.fixture
def secretary_general(db):
    user = make_staff("secgen", Role.ASSOCIATION_OFFICER)
    services.officer_designate(user=user, designation=Designation.HANDLER, actor=SYSTEM)
    services.officer_designate(user=user, designation=Designation.SECRETARY_GENERAL, actor=SYSTEM)
    return user


@pytest.fixture
def reporter(db):
    """A verified lender."""
    return make_lender(REPORTER_PHONE, name=REPORTER_NAME, id_number=REPORTER_ID)


def file_report(lender, institution, *, facts=FACTS, categories=("R03",), files=()):
    return services.report_file(
        lender=lender,
        institution=institution,
        categories=list(categories),
        facts=facts,
        evidence_files=list(files),
        actor=SYSTEM,
    )
