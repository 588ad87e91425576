"""The loan ledger (借款台账, issue 17): versions of an institution's ledger and their
borrowers, loans, holdings (who funded how much of which loan: where each lender's claim
comes from) and repayments; import jobs; collection actions (催收, spec G.5).

A version is one accepted upload of the three files, stored whole (all or nothing); the
newest is the active one and older ones are kept (superseded) because past figures came
from them. Collection actions belong to the institution and name the loan by its number, so
they outlive a new version of the ledger.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from winddown.institutions.models import Institution
from winddown.ledger.vocab import (
    COLLECTION_LABELS,
    PRODUCT_LABELS,
    SOURCE_LABELS,
    BorrowerKind,
    Product,
    Source,
)
from winddown.pii import purposes
from winddown.pii.fields import EncryptedField
from winddown.pii.masking import mask_id_number, mask_name
from winddown.schedules import Method

#: Associated-data purpose of encrypted names (borrowers', lenders' in holdings).
NAME_PURPOSE = "person_name"


def id_index_value(kind: str, number: str) -> str:
    """What the blind index of an ID number is computed over. Resident ID numbers use the
    claims register's form (``resident_id:<number>``), so a holding's lender meets the
    lender's claim-register row (reconciliation, issue 17 item 6)."""
    prefix = "resident_id" if kind == BorrowerKind.PERSON else "uscc"
    return f"{prefix}:{number}"


def _borrower_index_value(borrower: "Borrower", number: str) -> str:
    return id_index_value(borrower.kind, number)


def _holding_index_value(holding: "Holding", number: str) -> str:
    return id_index_value(holding.lender_kind, number)


class VersionStatus(models.TextChoices):
    ACTIVE = "active", "生效中"
    SUPERSEDED = "superseded", "已被替换"


class LedgerVersion(models.Model):
    """One accepted import of an institution's three ledger files."""

    institution = models.ForeignKey(
        Institution, on_delete=models.PROTECT, related_name="ledger_versions"
    )
    number = models.PositiveIntegerField("版本号")
    status = models.CharField(max_length=16, choices=VersionStatus.choices, default="active")
    source_names = models.JSONField(default=dict)  # {"loans": "...", ...}
    source_sha256 = models.JSONField(default=dict)
    borrower_count = models.PositiveIntegerField(default=0)
    loan_count = models.PositiveIntegerField(default=0)
    holding_count = models.PositiveIntegerField(default=0)
    repayment_count = models.PositiveIntegerField(default=0)
    principal_total_fen = models.BigIntegerField(default=0)
    warnings = models.JSONField(default=list)  # accepted, shown to the operator
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    superseded_at = models.DateTimeField(null=True)

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["institution", "number"], name="ledger_number_unique"),
            models.UniqueConstraint(
                fields=["institution"], condition=Q(status="active"), name="one_active_ledger"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.institution} 借款台账第{self.number}版"


class Borrower(models.Model):
    """A borrower: a person by resident ID number or a company by unified social credit
    code. Name and number are encrypted; `id_index` groups one borrower's loans (spec I-10,
    I-61)."""

    version = models.ForeignKey(
        LedgerVersion, on_delete=models.CASCADE, related_name="borrowers", db_constraint=False
    )
    kind = models.CharField(max_length=16, choices=[(k.value, k.label) for k in BorrowerKind])
    name_enc = models.TextField()
    id_number_enc = models.TextField()
    id_index = models.CharField(max_length=32)

    name = EncryptedField(purpose=NAME_PURPOSE, column="name_enc", mask=mask_name)
    id_number = EncryptedField(
        purpose=purposes.ID_NUMBER,
        column="id_number_enc",
        index="id_index",
        mask=mask_id_number,
        index_value=_borrower_index_value,
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["version", "id_index"], name="borrower_unique")
        ]

    def __str__(self) -> str:
        return f"借款人 {self.name.masked}"


class Loan(models.Model):
    version = models.ForeignKey(
        LedgerVersion, on_delete=models.CASCADE, related_name="loans", db_constraint=False
    )
    row_number = models.PositiveIntegerField()
    number = models.CharField("借款编号", max_length=64)
    borrower = models.ForeignKey(
        Borrower, on_delete=models.CASCADE, related_name="loans", db_constraint=False
    )
    product = models.CharField(
        "产品类型", max_length=16, choices=[(p.value, PRODUCT_LABELS[p]) for p in Product]
    )
    principal_fen = models.BigIntegerField("借款本金（分）")
    annual_rate_bp = models.PositiveIntegerField("年化利率（万分之一）")
    months = models.PositiveSmallIntegerField("期限（月）")
    method = models.CharField(
        "还款方式", max_length=24, choices=[(m.value, m.chinese) for m in Method]
    )
    value_date = models.DateField("起息日")
    maturity_date = models.DateField("到期日")
    guarantor = models.CharField("担保方", max_length=100, blank=True)
    collateral = models.CharField("抵押物", max_length=200, blank=True)
    # Spec B.5 AH511: a borrower related to the platform (主要股东 = 5 % or more of the
    # shares or votes; an enterprise it controls directly or indirectly, 5 % or more).
    related_party = models.BooleanField("关联关系", default=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["version", "number"], name="loan_unique")]
        indexes = [models.Index(fields=["version", "value_date"])]

    def __str__(self) -> str:
        return f"借款 {self.number}"

    @property
    def product_label(self) -> str:
        return PRODUCT_LABELS[Product(self.product)]

    @property
    def method_label(self) -> str:
        return Method(self.method).chinese


class Holding(models.Model):
    """One lender's share of one loan (出借本金). The lender's name and ID number are
    encrypted; `lender_index` is the claims register's blind index of the same number."""

    version = models.ForeignKey(
        LedgerVersion, on_delete=models.CASCADE, related_name="holdings", db_constraint=False
    )
    loan = models.ForeignKey(
        Loan, on_delete=models.CASCADE, related_name="holdings", db_constraint=False
    )
    row_number = models.PositiveIntegerField()
    lender_kind = models.CharField(max_length=16, default=BorrowerKind.PERSON)
    lender_name_enc = models.TextField()
    lender_id_enc = models.TextField()
    lender_index = models.CharField(max_length=32)
    amount_fen = models.BigIntegerField("出借本金（分）")

    lender_name = EncryptedField(purpose=NAME_PURPOSE, column="lender_name_enc", mask=mask_name)
    lender_id = EncryptedField(
        purpose=purposes.ID_NUMBER,
        column="lender_id_enc",
        index="lender_index",
        mask=mask_id_number,
        index_value=_holding_index_value,
    )

    class Meta:
        indexes = [models.Index(fields=["version", "lender_index"])]

    def __str__(self) -> str:
        return f"{self.loan} 出借 {self.amount_fen} 分"


class Repayment(models.Model):
    version = models.ForeignKey(
        LedgerVersion, on_delete=models.CASCADE, related_name="repayments", db_constraint=False
    )
    loan = models.ForeignKey(
        Loan, on_delete=models.CASCADE, related_name="repayments", db_constraint=False
    )
    row_number = models.PositiveIntegerField()
    period = models.PositiveSmallIntegerField("期次")
    paid_on = models.DateField("还款日期")
    principal_fen = models.BigIntegerField("还款本金（分）")
    interest_fen = models.BigIntegerField("还款利息（分）")
    penalty_fen = models.BigIntegerField("罚息（分）")
    source = models.CharField(
        "资金来源", max_length=16, choices=[(s.value, SOURCE_LABELS[s]) for s in Source]
    )
    # 划付出借人日期: when the money reached the lenders' bank accounts (spec G.3 point 1);
    # empty while it has not.
    lenders_received_on = models.DateField("划付出借人日期", null=True)

    class Meta:
        indexes = [models.Index(fields=["loan", "period"])]

    def __str__(self) -> str:
        return f"{self.loan} 第{self.period}期还款"

    @property
    def source_label(self) -> str:
        return SOURCE_LABELS[Source(self.source)]


class ImportStatus(models.TextChoices):
    FAILED = "failed", "未通过"
    SUCCEEDED = "succeeded", "已生成新版本"


class LedgerImport(models.Model):
    """An import attempt. A failed one stores no ledger data: only this record with the
    row errors (which never quote ID numbers or names)."""

    institution = models.ForeignKey(
        Institution, on_delete=models.PROTECT, related_name="ledger_imports"
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    source_names = models.JSONField(default=dict)
    status = models.CharField(max_length=16, choices=ImportStatus.choices)
    error_count = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list)  # the first IMPORT_ERRORS_KEPT
    warnings = models.JSONField(default=list)
    version = models.OneToOneField(
        LedgerVersion, null=True, on_delete=models.SET_NULL, related_name="import_record"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.institution} 借款台账导入 {self.created_at:%Y-%m-%d %H:%M}"


class CollectionAction(models.Model):
    """One 催收 step taken for an overdue loan (spec G.5). A negotiated plan (协商还款 /
    分期还款计划) keeps the rescheduled instalments computed by the schedules core."""

    institution = models.ForeignKey(
        Institution, on_delete=models.PROTECT, related_name="collection_actions"
    )
    loan_number = models.CharField("借款编号", max_length=64)
    kind = models.CharField(
        "催收方式", max_length=24, choices=[(k.value, v) for k, v in COLLECTION_LABELS.items()]
    )
    note = models.TextField("说明", blank=True)
    recording_ref = models.CharField("录音编号", max_length=100, blank=True)
    plan = models.JSONField(null=True, blank=True)  # the schedules core's JSON output
    days_overdue = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["institution", "loan_number", "created_at"])]

    def __str__(self) -> str:
        return f"{self.loan_number} {self.get_kind_display()}"
