"""Writes of the public disclosure column (信息披露专栏; 披露办法 003:L44–183, 披露标准
L185–483; spec A), each one transaction with its audit entry.

Each institution's column has the sections of :class:`DisclosureSection`. Publishing a
section makes a new, immutable version; every version stays viewable (第十六条: "自披露之日起
保存五年以上": ``retain_until`` is five years after publication, and nothing is deleted).
Every version names the legal representative who signed it off (第十八条).

* Institution information (A.2.1–A.2.2) is pre-filled from the institution register.
* Operating figures (A.2.4, monthly) come from the institution's AH‑05 filing of the month
  — the same figures, converted from 万元 to 元 with two decimals (A1‑12, I‑12), plus the
  two rates disclosure alone has (项目逾期率, 金额逾期率; B.6 #9).
* Project information (A.2.5) is masked: ID and mobile numbers in any value are masked
  before it is stored (第七条 "对相应信息进行脱敏处理").
* Major events (A.2.6) carry the four required fields and the time they occurred; a
  publication more than 48 hours later is marked late (第十一条 "于发生之日起48小时内").
* Exit items (001 (十四)): 退出决定, 退出方案, 办公地点, 客服电话, 投诉渠道; publishing them
  sends an SMS to every lender of the institution's active claims register.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from winddown.audit.services import Actor, record
from winddown.core.errors import DomainError
from winddown.indicators import TABLES, validate
from winddown.pii.masking import mask_id_number, mask_name, mask_phone
from winddown.reporting import policies
from winddown.reporting.audit_actions import ReportingAction
from winddown.reporting.errors import ReportingErrorCode as E
from winddown.reporting.models import Disclosure, DisclosureSection, Filing, VersionStatus

RETENTION_YEARS = 5
MAJOR_EVENT_HOURS = 48
MAJOR_EVENT_FIELDS = ("事件的起因", "目前的状态", "可能产生的影响", "采取的措施")
EXIT_ITEMS = ("退出决定", "退出方案", "办公地点", "客服电话", "投诉渠道")
COMPLAINT_ITEMS = ("咨询、投诉、举报联系电话", "电子邮箱", "通讯地址")
MAX_ITEMS = 200
MAX_VALUE = 20_000
EXIT_SMS = (
    "【网贷机构退出平台】{institution}已发布退出公告：{decision}。"
    "客服电话{hotline}，详情见平台信息披露专栏。"
)

_ID = re.compile(r"(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])")
_MOBILE = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")


def mask_text(text: str) -> str:
    """ID and mobile numbers anywhere in ``text``, masked (披露办法 第七条)."""
    text = _ID.sub(lambda m: mask_id_number(m.group(0)), text)
    return _MOBILE.sub(lambda m: mask_phone(m.group(0)), text)


#: Project items naming a natural person: only the surname is shown (第七条 脱敏).
PERSON_LABELS = ("姓名", "借款人名称", "借款人", "担保人")


def mask_project_value(label: str, value: str) -> str:
    if any(word in label for word in PERSON_LABELS) and len(value) <= 10 and " " not in value:
        return mask_name(value)
    return mask_text(value)


def _retain_until(published: datetime) -> date:
    d = timezone.localdate(published)
    try:
        return d.replace(year=d.year + RETENTION_YEARS)
    except ValueError:  # 29 February
        return d.replace(year=d.year + RETENTION_YEARS, day=28)


def _clean_items(items) -> list[dict]:
    out = []
    for item in items or []:
        label = " ".join(str(item.get("label", "")).split())
        value = str(item.get("value", "")).strip()
        if not label and not value:
            continue
        if not label or not value:
            raise DomainError(
                E.DISCLOSURE_EMPTY, field="items", detail=f"“{label or value}”缺少名称或内容"
            )
        if len(value) > MAX_VALUE or len(label) > 200:
            raise DomainError(E.TEXT_TOO_LONG, field="items", label=label, limit=MAX_VALUE)
        out.append({"item": str(item.get("item", "")), "label": label, "value": value})
    if not out:
        raise DomainError(E.DISCLOSURE_EMPTY, field="items", detail="请至少填写一项")
    if len(out) > MAX_ITEMS:
        raise DomainError(E.DISCLOSURE_EMPTY, field="items", detail=f"至多{MAX_ITEMS}项")
    return out


def _require(items: list[dict], labels: tuple[str, ...], code: E) -> None:
    have = {i["label"] for i in items}
    missing = [label for label in labels if label not in have]
    if missing:
        raise DomainError(code, field="items", missing="、".join(missing))


def disclosure_publish(
    *,
    user,
    actor: Actor,
    institution,
    section: str,
    title: str,
    items: list[dict],
    signatory: str,
    period: str = "",
    occurred_at: datetime | None = None,
) -> Disclosure:
    """Publish a new version of one section of the institution's column."""
    refusal = policies.filer_refusal(user, institution.pk)
    if refusal:
        record(
            actor=actor,
            action=ReportingAction.FILING_REFUSED,
            object_type="reporting.disclosure",
            object_id=section[:64],
            institution_id=institution.pk,
            after={"refused": refusal.error_code.code, "operation": f"publish {section}"},
        )
        raise refusal
    if section not in DisclosureSection.values:
        raise DomainError(E.DISCLOSURE_EMPTY, field="section", detail=f"栏目“{section}”不存在")
    signatory = " ".join(str(signatory or "").split())
    if not signatory:
        raise DomainError(E.SIGNATORY_REQUIRED, field="signatory")
    title = " ".join(str(title or "").split())[:200] or DisclosureSection(section).label
    items = _clean_items(items)
    if section == DisclosureSection.PROJECTS:
        items = [{**i, "value": mask_project_value(i["label"], i["value"])} for i in items]
    if section == DisclosureSection.MAJOR_EVENTS:
        _require(items, MAJOR_EVENT_FIELDS, E.DISCLOSURE_MAJOR_EVENT)
        if occurred_at is None:
            raise DomainError(E.DISCLOSURE_EMPTY, field="occurred_at", detail="请填写事项发生时间")
    if section == DisclosureSection.EXIT:
        missing = [label for label in EXIT_ITEMS if label not in {i["label"] for i in items}]
        if missing:
            raise DomainError(
                E.DISCLOSURE_EMPTY,
                field="items",
                detail=f"退出公告须包括{'、'.join(EXIT_ITEMS)}（001意见（十四）），缺少{'、'.join(missing)}",
            )
    now = timezone.now()
    with transaction.atomic():
        last = (
            Disclosure.objects.select_for_update()
            .filter(institution=institution, section=section)
            .aggregate(n=Max("number"))["n"]
        )
        disclosure = Disclosure.objects.create(
            institution=institution,
            section=section,
            number=(last or 0) + 1,
            title=title,
            content=items,
            period=period,
            occurred_at=occurred_at,
            published_at=now,
            signatory=signatory,
            published_by=user,
            retain_until=_retain_until(now),
        )
        record(
            actor=actor,
            action=ReportingAction.DISCLOSURE_PUBLISHED,
            obj=disclosure,
            institution_id=institution.pk,
            after=disclosure.audit_snapshot(),
        )
        if section == DisclosureSection.EXIT:
            from winddown.reporting.tasks import exit_sms_send

            pk = disclosure.pk
            transaction.on_commit(lambda: exit_sms_send.enqueue(pk))
    return disclosure


def is_late(disclosure: Disclosure) -> bool:
    """A major event published more than 48 hours after it occurred (第十一条; I‑18)."""
    if disclosure.section != DisclosureSection.MAJOR_EVENTS or disclosure.occurred_at is None:
        return False
    return disclosure.published_at - disclosure.occurred_at > timedelta(hours=MAJOR_EVENT_HOURS)


def institution_items(institution) -> list[dict]:
    """Institution information pre-filled from the register (A.2.2 #6–#15)."""
    rows = [
        ("6", "公司全称", institution.full_name),
        ("7", "公司简称", institution.short_name),
        ("8", "统一社会信用代码", institution.credit_code),
        ("11", "注册地址", institution.registered_address),
        ("12", "经营地址", institution.business_address),
        ("15", "经营状态", institution.get_status_display()),
    ]
    return [{"item": n, "label": label, "value": value} for n, label, value in rows if value]


def _yuan(fen: int) -> str:
    sign = "-" if fen < 0 else ""
    whole, cents = divmod(abs(fen), 100)
    return f"{sign}{whole}.{cents:02d}"


def _ratio(num: int, den: int) -> str:
    """``num / den`` as a percentage with two decimals, half up (integers only)."""
    if den <= 0:
        return "0.00%"
    hundredths = (num * 10_000 * 2 + den) // (2 * den)
    return f"{hundredths // 100}.{hundredths % 100:02d}%"


_OPERATIONS = (
    ("39", "累计借贷金额（元）", "AH501", "amount"),
    ("40", "累计借贷笔数", "AH502", "count"),
    ("41", "借贷余额（元）", "AH503", "amount"),
    ("42", "借贷余额笔数", "AH504", "count"),
    ("43", "累计出借人数量", "AH505", "count"),
    ("44", "累计借款人数量", "AH506", "count"),
    ("45", "当前出借人数量", "AH507", "count"),
    ("46", "当前借款人数量", "AH508", "count"),
    ("47", "前十大借款人待还金额占比（%）", "AH509", "percent"),
    ("48", "最大单一借款人待还金额占比（%）", "AH510", "percent"),
    ("49", "关联关系借款余额（元）", "AH511", "amount"),
    ("50", "关联关系借款笔数", "AH512", "count"),
    ("51", "逾期金额（元）", "AH513", "amount"),
    ("52", "逾期笔数", "AH514", "count"),
    ("55", "逾期90天（不含）以上金额（元）", "AH519", "amount"),
    ("56", "逾期90天（不含）以上笔数", "AH520", "count"),
    ("57", "累计代偿金额（元）", "AH521", "amount"),
    ("58", "累计代偿笔数", "AH522", "count"),
)


def operations_items(filing: Filing) -> list[dict]:
    """The monthly operating figures (A.2.4 #39–#58) from the AH‑05 filing's latest
    submitted (or accepted) version, in 元."""
    version = (
        filing.versions.filter(status__in=[VersionStatus.SUBMITTED, VersionStatus.ACCEPTED])
        .order_by("-number")
        .first()
    )
    if version is None:
        raise DomainError(E.DISCLOSURE_EMPTY, field="filing", detail="该月 AH-05 尚未提交")
    values = validate(TABLES["AH-05"], version.cells).values
    out = []
    for n, label, code, kind in _OPERATIONS:
        v = values.get(code)
        if v is None:
            continue
        if kind == "amount":
            text = _yuan(v)  # the filing's 万元 are held as fen: 元 with two decimals
        elif kind == "percent":
            whole, frac = divmod(v, 1_000_000)
            text = f"{whole}.{frac // 10_000:02d}"
        else:
            text = str(v)
        out.append({"item": n, "label": label, "value": text})
    loans, overdue = values.get("AH504"), values.get("AH514")
    balance, overdue_amount = values.get("AH503"), values.get("AH513")
    if isinstance(loans, int) and isinstance(overdue, int):
        out.append({"item": "53", "label": "项目逾期率", "value": _ratio(overdue, loans)})
    if isinstance(balance, int) and isinstance(overdue_amount, int):
        out.append({"item": "54", "label": "金额逾期率", "value": _ratio(overdue_amount, balance)})
    return out


@dataclass(frozen=True, slots=True)
class OperationsDue:
    """The monthly operating disclosure owed now: 披露办法 第九条 "应当在每月前5个工作日内，
    向公众披露截至上一月末…" (spec A.2.4)."""

    period: str  # the month just ended
    due: date | None  # the 5th working day of this month (None: the year is not confirmed)
    published: bool
    overdue: bool


def operations_due(institution_id: int, *, today: date | None = None) -> OperationsDue:
    from winddown.calendar import NthWorkingDayAfter, Period, UnconfirmedYear
    from winddown.workdays import selectors as workdays

    today = today or timezone.localdate()
    m = today.year * 12 + today.month - 2
    period = Period("month", m // 12, m % 12 + 1)
    try:
        due = NthWorkingDayAfter(5).deadline(workdays.calendar(), period)
    except UnconfirmedYear:
        due = None
    published = Disclosure.objects.filter(
        institution_id=institution_id, section=DisclosureSection.OPERATIONS, period=period.label
    ).exists()
    return OperationsDue(
        period.label, due, published, not published and due is not None and today > due
    )
