"""The ledger's vocabulary: product types (004 借款端 product lines), sources of repayments
(spec G.4), collection actions (spec G.5). Plain Python, shared by the importer (which runs
without Django models) and the models."""

from __future__ import annotations

from enum import StrEnum


class Product(StrEnum):
    """产品类型 (issue 17; 004 names these lines of business)."""

    CREDIT = "credit"
    AUTO = "auto"
    BUSINESS = "business"
    MORTGAGE = "mortgage"
    OTHER = "other"

    @property
    def label(self) -> str:
        return PRODUCT_LABELS[self]


PRODUCT_LABELS = {
    Product.CREDIT: "信用贷",
    Product.AUTO: "车贷",
    Product.BUSINESS: "企业贷",
    Product.MORTGAGE: "房产抵押贷",
    Product.OTHER: "其他",
}
PRODUCT_BY_NAME = {label: product for product, label in PRODUCT_LABELS.items()}


class Source(StrEnum):
    """资金来源 of a repayment (spec G.4). Only THIRD_PARTY is 代偿 (spec B.5 AH521: "第三方
    （非借款人、非网贷机构）"; G.4: a platform-funded risk reserve is not). PLATFORM money is
    flagged for the working group (spec B.7 V18)."""

    BORROWER = "borrower"
    THIRD_PARTY = "third_party"
    RISK_RESERVE = "risk_reserve"
    PLATFORM = "platform"

    @property
    def label(self) -> str:
        return SOURCE_LABELS[self]


SOURCE_LABELS = {
    Source.BORROWER: "借款人",
    Source.THIRD_PARTY: "第三方代偿",
    Source.RISK_RESERVE: "风险准备金",
    Source.PLATFORM: "平台自有资金",
}
SOURCE_BY_NAME = {label: source for source, label in SOURCE_LABELS.items()}
COMPENSATION_SOURCES = frozenset({Source.THIRD_PARTY})


class BorrowerKind(StrEnum):
    PERSON = "person"  # resident identity card number, GB 11643-1999
    COMPANY = "company"  # unified social credit code, GB 32100-2015

    @property
    def label(self) -> str:
        return "个人" if self is BorrowerKind.PERSON else "企业"


class CollectionKind(StrEnum):
    """催收 steps of spec G.5 (002 L193, L199, L211)."""

    SMS = "sms"
    PHONE = "phone"
    DEFAULT_NOTICE = "default_notice"
    PLAN = "plan"
    LITIGATION = "litigation"

    @property
    def label(self) -> str:
        return COLLECTION_LABELS[self]


COLLECTION_LABELS = {
    CollectionKind.SMS: "短信提醒",
    CollectionKind.PHONE: "电话催收",
    CollectionKind.DEFAULT_NOTICE: "违约通知",
    CollectionKind.PLAN: "协商还款（分期还款计划）",
    CollectionKind.LITIGATION: "法律诉讼",
}

#: Penalty interest (罚息) per product, in millionths of the overdue amount per day
#: (500 = 0.05 % a day). 002 L205 asks for "合理的逾期利息和罚金制度" and gives no rate;
#: these defaults are overridable with the setting LEDGER_PENALTY_DAILY_PPM.
PENALTY_DAILY_PPM = {
    Product.CREDIT: 500,
    Product.AUTO: 500,
    Product.BUSINESS: 300,
    Product.MORTGAGE: 300,
    Product.OTHER: 500,
}
