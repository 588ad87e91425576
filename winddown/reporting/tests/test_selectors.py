"""The dashboard: counts over every institution, pages of institutions, state filters."""

from datetime import date

from winddown.conftest import make_institution
from winddown.institutions.models import Institution
from winddown.reporting import selectors
from winddown.reporting.models import Filing

TODAY = date(2026, 10, 20)  # 2026-08 and 2026-09 AH-07 deadlines have passed, 2026-10 not due


def test_counts_pages_and_filters(db):
    made = [make_institution(f"机构{n:02d}", code) for n, code in enumerate(
        ["91440300MA5DC6QX0G", "91440101MA59Q1WXXK", "91110000600037341L"]
    )]  # fmt: skip
    a, b, c = made
    Filing.objects.create(institution=a, table="AH-07", period="2026-09", status="submitted")
    Filing.objects.create(institution=a, table="AH-07", period="2026-08", status="accepted")
    Filing.objects.create(institution=b, table="AH-07", period="2026-09", status="draft")
    periods = selectors.periods_back("month", 3, date(2026, 11, 2))  # 10, 09, 08
    assert [p.label for p in periods] == ["2026-10", "2026-09", "2026-08"]
    board = selectors.dashboard(
        institutions=Institution.objects.all(), table="AH-07", periods=periods, today=TODAY
    )
    assert board.total == 3
    states = {name: s for _i, name, s in board.rows}
    assert states["机构00"] == ["not_filed", "submitted", "accepted"]
    assert states["机构01"] == ["not_filed", "overdue", "overdue"]  # a draft past its deadline
    assert board.counts == {"not_filed": 3, "submitted": 1, "accepted": 1, "overdue": 4}
    overdue = selectors.dashboard(
        institutions=Institution.objects.all(), table="AH-07", periods=periods, state="overdue",
        today=TODAY,
    )  # fmt: skip
    assert {name for _i, name, _s in overdue.rows} == {"机构01", "机构02"}
    assert overdue.counts == board.counts  # counts stay those of every institution
    paged = selectors.dashboard(
        institutions=Institution.objects.all(), table="AH-07", periods=periods, per_page=2,
        page=2, today=TODAY,
    )  # fmt: skip
    assert paged.pages == 2 and [name for _i, name, _s in paged.rows] == ["机构02"]
    assert c.pk in {i for i, _n, _s in paged.rows}
