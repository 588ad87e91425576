"""Demo data of association reporting and disclosure: filings of 网贷机构A in every state
(accepted, submitted with an explained warning, returned with the association's comment,
a draft), 网贷机构B with nothing filed (逾期 on the dashboard), and A's disclosure column
(institution information, complaint channels, the monthly operating figures from its
AH-05, a major event and the exit announcement)."""

from __future__ import annotations

from django.utils import timezone

from winddown.audit.services import Actor
from winddown.indicators import TABLES, Kind
from winddown.reporting import disclosure, selectors, services

LEGAL_REPRESENTATIVE = "陈明"


def _cells(table: str, seed: int) -> dict[str, str]:
    out: dict[str, str] = {}
    for i in TABLES[table].indicators:
        if i.kind in (Kind.AMOUNT, Kind.COUNT, Kind.PERCENT, Kind.NUMBER):
            out[i.code] = "0"
        elif i.kind is Kind.AMOUNT_PAIR:
            out[i.code] = "5000；5000"
        elif i.kind in (Kind.DATE, Kind.DATES):
            out[i.code] = "2015-06-18"
        elif i.kind is Kind.DATE_RANGE:
            out[i.code] = "2018-01-01至2020-12-31"
        elif i.kind is Kind.ENUM:
            out[i.code] = i.choices[0]
        elif i.kind is not Kind.ATTACHMENT:
            out[i.code] = "无"
    if table == "AH-05":
        balance = 38_000 - seed * 900  # 万元, falling as the wind-down goes on (三降)
        out |= {
            "AH501": "152340.25", "AH502": "48210", "AH503": f"{balance}.5", "AH504": "3120",
            "AH505": "21870", "AH506": "9560", "AH507": "12030", "AH508": "2410",
            "AH509": "6.8", "AH510": "1.2", "AH513": "3120.75", "AH514": "410",
            "AH515": "2900", "AH516": "380", "AH517": "2700", "AH518": "350",
            "AH519": "2500", "AH520": "320",
        }  # fmt: skip
    return out


def _submit(operator, institution, table, period, cells, explain=None):
    actor = Actor(operator.pk, operator.audit_label)
    version = services.filing_draft(
        user=operator, actor=actor, institution=institution, table=table, period=period
    )
    version = services.filing_save(user=operator, actor=actor, version=version, cells=cells)
    warnings = [f["key"] for f in version.findings if f["severity"] == "warning"]
    if warnings:
        version = services.filing_save(
            user=operator, actor=actor, version=version, cells={},
            explanations={k: explain or "已核对，数据无误" for k in warnings},
        )  # fmt: skip
    version = services.filing_sign(
        user=operator, actor=actor, version=version, signatory=LEGAL_REPRESENTATIVE
    )
    return services.filing_submit(user=operator, actor=actor, version=version)


def load_demo_reporting(*, users: dict, institutions: dict) -> None:
    a = institutions["网贷机构A"]
    operator = users["operator_a"]
    association = users["association"]
    review = Actor(association.pk, association.audit_label)
    months = [p.label for p in selectors.periods_back("month", 3)]
    # the two older months accepted, the latest left as a draft
    for n, period in enumerate(reversed(months[1:])):
        v = _submit(operator, a, "AH-05", period, _cells("AH-05", n))
        services.filing_accept(user=association, actor=review, filing=v.filing)
    draft = services.filing_draft(
        user=operator, actor=Actor(operator.pk, operator.audit_label), institution=a,
        table="AH-05", period=months[0],
    )  # fmt: skip
    services.filing_save(
        user=operator, actor=Actor(operator.pk, operator.audit_label), version=draft,
        cells={"AH501": "152340.25", "AH503": "35000"},
    )  # fmt: skip
    quarter = selectors.periods_back("quarter", 1)[0].label
    cells = _cells("AH-03", 0) | {"AH3001": "5200", "AH3003": "4100", "AH3064": "5200",
                                  "AH3029": "300", "AH3031": "300"}  # fmt: skip
    _submit(operator, a, "AH-03", quarter, cells, "系为出借人垫付的存管银行手续费，已于季后收回")
    year = selectors.periods_back("year", 1)[0].label
    ah01 = _cells("AH-01", 0) | {
        "AH1004": a.credit_code, "AH1015": "2", "AH1016": "2", "AH1017": "0",
        "AH1020": "35", "AH1021": "30",
    }  # fmt: skip
    v = _submit(operator, a, "AH-01", year, ah01)
    services.filing_return(
        user=association, actor=review, filing=v.filing,
        comment="AH1013 平台资金存管信息请填写存管银行全称；AH1022 技术团队简介过于简略",
    )  # fmt: skip

    actor = Actor(operator.pk, operator.audit_label)

    def publish(section, items, **kw):
        return disclosure.disclosure_publish(
            user=operator, actor=actor, institution=a, section=section,
            signatory=LEGAL_REPRESENTATIVE, items=items, **kw,
        )  # fmt: skip

    publish("institution", [
        *disclosure.institution_items(a),
        {"label": "资金存管信息", "value": "某商业银行股份有限公司深圳分行"},
        {"label": "主要人员信息", "value": f"法定代表人：{LEGAL_REPRESENTATIVE}"},
    ], title="机构信息")  # fmt: skip
    publish("complaints", [
        {"label": "咨询、投诉、举报联系电话", "value": "0755-88886666"},
        {"label": "电子邮箱", "value": "kefu@example.cn"},
        {"label": "通讯地址", "value": a.business_address},
    ], title="咨询投诉渠道")  # fmt: skip
    from winddown.reporting.models import Filing

    accepted = Filing.objects.filter(institution=a, table="AH-05", status="accepted")
    latest = accepted.order_by("-period").first()
    publish("operations", disclosure.operations_items(latest), period=latest.period,
            title=f"{latest.period} 运营信息")  # fmt: skip
    publish("major_events", [
        {"label": "事件的起因", "value": "公司主要业务陷入停顿，启动良性退出"},
        {"label": "目前的状态", "value": "已停止新增业务，存量项目按计划清收"},
        {"label": "可能产生的影响", "value": "出借人本金兑付周期延长"},
        {"label": "采取的措施", "value": "成立清退小组，按月公布兑付进展"},
    ], title="停止新增业务", occurred_at=timezone.now())  # fmt: skip
    publish("exit", [
        {"label": "退出决定", "value": "经股东会决议，本机构良性退出网贷行业"},
        {"label": "退出方案", "value": "存量债权按月清收、按比例兑付，详见退出方案全文"},
        {"label": "办公地点", "value": a.business_address},
        {"label": "客服电话", "value": "0755-88886666"},
        {"label": "投诉渠道", "value": "kefu@example.cn；0755-88886666"},
    ], title="退出公告")  # fmt: skip
