"""Reads of association reporting, for the pages, the API and other apps."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date

from django.db.models import Count, QuerySet
from django.utils import timezone

from winddown.calendar import Period
from winddown.indicators import TABLES
from winddown.reporting import deadlines
from winddown.reporting.models import Filing, FilingStatus, FilingVersion, VersionStatus

#: Dashboard states (issue 19): 未报 / 草稿 / 已报 / 退回 / 逾期 (and 已接收).
NOT_FILED, DRAFT, SUBMITTED, RETURNED, OVERDUE, ACCEPTED = (
    "not_filed",
    "draft",
    "submitted",
    "returned",
    "overdue",
    "accepted",
)
STATE_LABELS = {
    NOT_FILED: "未报",
    DRAFT: "草稿",
    SUBMITTED: "已报",
    RETURNED: "退回",
    OVERDUE: "逾期",
    ACCEPTED: "已接收",
}
#: 报送办法 第八条(四): "年度累计达三次警告" (calendar year, spec I‑29).
WARNINGS_BEFORE_CENSURE = 3


def state_of(status: str | None, deadline: date | None, today: date) -> str:
    """The dashboard state of a filing (``status`` None: no filing)."""
    if status in (FilingStatus.SUBMITTED, FilingStatus.ACCEPTED):
        return SUBMITTED if status == FilingStatus.SUBMITTED else ACCEPTED
    if deadline is not None and today > deadline:
        return OVERDUE
    if status == FilingStatus.RETURNED:
        return RETURNED
    if status == FilingStatus.DRAFT:
        return DRAFT
    return NOT_FILED


def current_version(filing: Filing) -> FilingVersion | None:
    return filing.versions.order_by("-number").first()


def versions(filing: Filing) -> QuerySet[FilingVersion]:
    return filing.versions.select_related("created_by", "submitted_by", "reviewed_by").order_by(
        "-number"
    )


def filings_of(institution_id: int) -> QuerySet[Filing]:
    return Filing.objects.filter(institution_id=institution_id).order_by("-period", "table")


def periods_back(kind: str, count: int, today: date | None = None) -> list[Period]:
    """The last ``count`` ended periods of ``kind`` (newest first)."""
    today = today or timezone.localdate()
    out: list[Period] = []
    if kind == "month":
        m = today.year * 12 + today.month - 2
        for _ in range(count):
            out.append(Period("month", m // 12, m % 12 + 1))
            m -= 1
    elif kind == "quarter":
        q = today.year * 4 + (today.month - 1) // 3 - 1
        for _ in range(count):
            out.append(Period("quarter", q // 4, q % 4 + 1))
            q -= 1
    else:
        for k in range(count):
            out.append(Period("year", today.year - 1 - k))
    return out


@dataclass(frozen=True, slots=True)
class Dashboard:
    table: str
    periods: list[Period]
    rows: list[tuple[int, str, list[str]]]  # (institution id, short name, state per period)
    counts: Counter  # cells by state, over every visible institution (unfiltered)
    late_this_year: dict[int, int]  # institution id → filings marked late this year
    total: int  # institutions matching the filter
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


DASHBOARD_PAGE = 100


def _matching(institutions: QuerySet, table: str, labels, past, state: str) -> QuerySet:
    """The institutions with at least one cell in ``state`` (SQL only: no row per cell)."""
    if not state:
        return institutions
    open_ = [label for label in labels if label not in past]
    filings = Filing.objects.filter(table=table)
    done = [FilingStatus.SUBMITTED, FilingStatus.ACCEPTED]
    if state in (SUBMITTED, ACCEPTED):
        ids = filings.filter(period__in=labels, status=state)
    elif state in (DRAFT, RETURNED):
        ids = filings.filter(period__in=open_, status=state)
    elif state == OVERDUE:
        if not past:
            return institutions.none()
        complete = (
            filings.filter(period__in=past, status__in=done)
            .values("institution_id")
            .annotate(n=Count("pk"))
            .filter(n=len(past))
            .values("institution_id")
        )
        return institutions.exclude(pk__in=complete)
    else:  # not filed: an open period without any filing
        if not open_:
            return institutions.none()
        complete = (
            filings.filter(period__in=open_)
            .values("institution_id")
            .annotate(n=Count("pk"))
            .filter(n=len(open_))
            .values("institution_id")
        )
        return institutions.exclude(pk__in=complete)
    return institutions.filter(pk__in=ids.values("institution_id"))


def dashboard(
    *,
    institutions: QuerySet,
    table: str,
    periods: list[Period],
    state: str = "",
    page: int = 1,
    per_page: int = DASHBOARD_PAGE,
    today: date | None = None,
) -> Dashboard:
    """Institutions × periods of one table with their states, a page of institutions at a
    time; the counts cover every visible institution. Queries stay small whatever the size:
    one aggregate for the counts, the page's institutions, and their filings."""
    today = today or timezone.localdate()
    labels = [p.label for p in periods]
    period_deadlines = {p.label: deadlines.dates(table, p)[1] for p in periods}
    past = {label for label, d in period_deadlines.items() if d is not None and today > d}
    counts: Counter = Counter()
    visible = institutions.count()
    filed: Counter = Counter()
    for period, status, n in (
        Filing.objects.filter(table=table, period__in=labels, institution__in=institutions)
        .values_list("period", "status")
        .annotate(n=Count("pk"))
        .values_list("period", "status", "n")
    ):
        counts[state_of(status, period_deadlines[period], today)] += n
        filed[period] += n
    for label in labels:
        counts[OVERDUE if label in past else NOT_FILED] += visible - filed[label]
    matching = _matching(institutions, table, labels, past, state)
    total = matching.count()
    page = max(1, min(page, max(1, -(-total // per_page))))
    chunk = list(
        matching.order_by("short_name").values_list("pk", "short_name")[
            (page - 1) * per_page : page * per_page
        ]
    )
    ids = [pk for pk, _name in chunk]
    found = {
        (i, p): s
        for i, p, s in Filing.objects.filter(
            table=table, period__in=labels, institution_id__in=ids
        ).values_list("institution_id", "period", "status")
    }
    rows = [
        (
            inst_id,
            name,
            [
                state_of(found.get((inst_id, label)), period_deadlines[label], today)
                for label in labels
            ],
        )
        for inst_id, name in chunk
    ]
    late = Counter(
        Filing.objects.filter(
            late=True, first_submitted_at__year=today.year, institution_id__in=ids
        ).values_list("institution_id", flat=True)
    )
    return Dashboard(table, periods, rows, counts, dict(late), total, page, per_page)


def period_filings(table: str, period: str) -> list[tuple]:
    """For the export: the latest submitted/returned/accepted version of every filing of
    ``table`` for ``period`` (drafts are not the institution's word yet)."""
    out = []
    rows = (
        FilingVersion.objects.filter(
            filing__table=table,
            filing__period=period,
            status__in=[VersionStatus.SUBMITTED, VersionStatus.RETURNED, VersionStatus.ACCEPTED],
        )
        .order_by("filing__institution__short_name")
        .values_list(
            "filing__institution__full_name",
            "filing__institution__credit_code",
            "filing__table",
            "status",
            "number",
            "filing__late",
            "cells",
        )
    )
    labels = dict(VersionStatus.choices)
    for name, credit, t, status, number, late, cells in rows.iterator(chunk_size=500):
        out.append((name, credit, t, labels[status], number, late, cells))
    return out


def tables_of_period(period: Period) -> list:
    kind = {"year": "annual", "quarter": "quarterly", "month": "monthly"}[period.kind]
    return [t for t in TABLES.values() if t.frequency.value == kind]


def due_soon(*, within_days: int, today: date | None = None) -> list[tuple[str, Period, date]]:
    """(table, period, due) of the periods whose due date is in the next ``within_days``."""
    today = today or timezone.localdate()
    out = []
    for code, table in TABLES.items():
        kind = table.frequency.period_kind
        for period in periods_back(kind, 2, today):
            due, _deadline = deadlines.dates(code, period)
            if due is not None and 0 <= (due - today).days <= within_days:
                out.append((code, period, due))
    return out


@dataclass(frozen=True, slots=True)
class Reminder:
    table: str
    period: Period
    due: date
    deadline: date | None
    state: str  # not_filed | draft | returned | overdue

    @property
    def text(self) -> str:
        name = TABLES[self.table].name
        what = f"{self.table} {name}（{self.period.name}）"
        if self.state == OVERDUE:
            return f"{what}已逾期，报送期限为{self.deadline}，请尽快报送"
        return f"{what}应于{self.due}前报送，当前{STATE_LABELS[self.state]}"


def reminders_for(
    institution_id: int, *, within_days: int = 7, today: date | None = None
) -> list[Reminder]:
    """Filings of the institution due within ``within_days`` or overdue and not yet
    submitted (报送办法 第七条: a filer who cannot file on time must say so before the
    deadline; the platform reminds before it)."""
    today = today or timezone.localdate()
    out = []
    for code, table in TABLES.items():
        for period in periods_back(table.frequency.period_kind, 2, today):
            due, deadline = deadlines.dates(code, period)
            if due is None:
                continue
            filing = (
                Filing.objects.filter(
                    institution_id=institution_id, table=code, period=period.label
                )
                .values_list("status", flat=True)
                .first()
            )
            state = state_of(filing, deadline, today)
            if state in (SUBMITTED, ACCEPTED):
                continue
            if state == OVERDUE or (due - today).days <= within_days:
                out.append(Reminder(code, period, due, deadline, state))
    return sorted(out, key=lambda r: r.due)


def late_count(institution_id: int, year: int) -> int:
    """Filings first submitted late in ``year`` (spec B.1: consequences count per calendar
    year, I‑29)."""
    return Filing.objects.filter(
        institution_id=institution_id, late=True, first_submitted_at__year=year
    ).count()


# --- Disclosure ---------------------------------------------------------------------------


def disclosure_index() -> list[dict]:
    """The association's public index of institutions with a disclosure column (披露办法
    第二十四条 "协会搭建行业信息共享、查询平台"): each with its latest publication time."""
    from django.db.models import Max

    from winddown.reporting.models import Disclosure

    rows = (
        Disclosure.objects.values(
            "institution_id", "institution__short_name", "institution__full_name"
        )
        .annotate(last=Max("published_at"))
        .order_by("institution__short_name")
    )
    return [
        {
            "id": r["institution_id"],
            "short_name": r["institution__short_name"],
            "full_name": r["institution__full_name"],
            "last": r["last"],
        }
        for r in rows
    ]


def disclosure_column(institution_id: int) -> list:
    """The latest version of each section, in the sections' order."""
    from winddown.reporting.models import Disclosure, DisclosureSection

    latest = {}
    for d in Disclosure.objects.filter(institution_id=institution_id).order_by(
        "section", "-number"
    ):
        latest.setdefault(d.section, d)
    return [latest[s] for s in DisclosureSection.values if s in latest]


def disclosure_versions(institution_id: int, section: str):
    from winddown.reporting.models import Disclosure

    return Disclosure.objects.filter(institution_id=institution_id, section=section).order_by(
        "-number"
    )
