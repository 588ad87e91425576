"""Claims registers (债权登记): versions of an institution's register and their rows,
lenders' confirmations and disputes."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from winddown.identity.models import Lender
from winddown.institutions.models import Institution
from winddown.pii import purposes
from winddown.pii.fields import EncryptedField, EncryptedFile
from winddown.pii.idnumbers import ID_TYPE_LABELS, IdDocument, IdType
from winddown.pii.masking import mask_id_number, mask_phone


def _document_index_value(entry: "ClaimEntry", number: str) -> str:
    return IdDocument(IdType(entry.id_type), number).index_value


class VersionStatus(models.TextChoices):
    PENDING = "pending", "待启用"
    ACTIVE = "active", "生效中"
    SUPERSEDED = "superseded", "已被替换"
    DISCARDED = "discarded", "已作废"


class RegisterVersion(models.Model):
    """One accepted upload of an institution's register. At most one is active; superseded
    versions are kept because past votes were weighted by them."""

    institution = models.ForeignKey(Institution, on_delete=models.PROTECT, related_name="registers")
    number = models.PositiveIntegerField("版本号")
    status = models.CharField(max_length=16, choices=VersionStatus.choices, default="pending")
    source_name = models.CharField("文件名", max_length=255)
    source_sha256 = models.CharField(max_length=64)
    source_size = models.BigIntegerField()
    lender_count = models.PositiveIntegerField("出借人数")
    principal_total_fen = models.BigIntegerField("待收本金合计（分）")
    interest_total_fen = models.BigIntegerField("待收利息合计（分）")
    has_interest = models.BooleanField(default=False)
    has_loan_count = models.BooleanField(default=False)
    # Diff against `diff_base` (the version active when computed; null for the first one).
    diff_base = models.ForeignKey("self", null=True, on_delete=models.SET_NULL, related_name="+")
    diff_added = models.PositiveIntegerField(default=0)
    diff_removed = models.PositiveIntegerField(default=0)
    diff_changed = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    activated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    activated_at = models.DateTimeField(null=True)
    closed_at = models.DateTimeField(null=True)  # superseded or discarded

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["institution", "number"], name="register_number_unique"
            ),
            models.UniqueConstraint(
                fields=["institution"], condition=Q(status="active"), name="one_active_register"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.institution} 第{self.number}版"


class ClaimEntry(models.Model):
    """One lender's row in a register version. ID and mobile numbers are encrypted; the
    blind index `id_index` is the same one `identity.Lender` carries, which links them."""

    # No database-level foreign key: a register version's rows are bulk-loaded in the same
    # transaction that creates the version, and a per-row constraint trigger would double the
    # cost of loading a million rows. Django still cascades deletes.
    version = models.ForeignKey(
        RegisterVersion, on_delete=models.CASCADE, related_name="entries", db_constraint=False
    )
    row_number = models.PositiveIntegerField()
    name = models.CharField(max_length=50)
    id_type = models.CharField(max_length=24, choices=[(t.value, t.label) for t in IdType])
    id_number_enc = models.TextField()
    id_index = models.CharField(max_length=32)
    phone_enc = models.TextField()
    phone_index = models.CharField(max_length=32)
    principal_fen = models.BigIntegerField()
    interest_fen = models.BigIntegerField(default=0)
    loan_count = models.PositiveIntegerField(null=True)

    id_number = EncryptedField(
        purpose=purposes.ID_NUMBER,
        column="id_number_enc",
        index="id_index",
        mask=mask_id_number,
        index_value=_document_index_value,
    )
    phone = EncryptedField(
        purpose=purposes.PHONE, column="phone_enc", index="phone_index", mask=mask_phone
    )

    class Meta:
        constraints = [
            # Leading id_index: the lender's 我的 page looks rows up by it across versions.
            models.UniqueConstraint(fields=["id_index", "version"], name="entry_lender_unique"),
        ]
        indexes = [models.Index(fields=["version", "row_number"])]

    def __str__(self) -> str:
        return f"{self.version} 第{self.row_number}行"

    @property
    def id_type_label(self) -> str:
        return ID_TYPE_LABELS[IdType(self.id_type)]


class ImportStatus(models.TextChoices):
    QUEUED = "queued", "排队中"
    RUNNING = "running", "校验中"
    FAILED = "failed", "未通过"
    SUCCEEDED = "succeeded", "已生成新版本"


class RegisterImport(models.Model):
    """An upload being (or having been) checked. A failed import stores no register data:
    only this record with the row errors (which never quote ID or mobile numbers)."""

    institution = models.ForeignKey(Institution, on_delete=models.PROTECT, related_name="imports")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    source_name = models.CharField(max_length=255)
    source_size = models.BigIntegerField()
    # Encrypted copy of the upload while it waits for the worker; removed once processed.
    stored_path = models.CharField(max_length=500, blank=True)
    status = models.CharField(max_length=16, choices=ImportStatus.choices, default="queued")
    message = models.CharField(max_length=500, blank=True)
    error_count = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list)  # the first IMPORT_ERRORS_KEPT row errors
    version = models.OneToOneField(
        RegisterVersion, null=True, on_delete=models.SET_NULL, related_name="import_record"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True)
    # The process running it (core.processes): a killed worker's import fails at once.
    runner = models.CharField(max_length=100, blank=True)
    finished_at = models.DateTimeField(null=True)

    upload = EncryptedFile(
        purpose=purposes.REGISTER_FILE, column="stored_path", folder="register-uploads"
    )

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.institution} 上传 {self.source_name}"


class Confirmation(models.Model):
    """A lender confirmed the amounts of one register version (manual 2.1 确认债权信息).
    Voided when a newly activated version changes that lender's amounts."""

    lender = models.ForeignKey(Lender, on_delete=models.CASCADE, related_name="confirmations")
    institution = models.ForeignKey(Institution, on_delete=models.PROTECT, related_name="+")
    version = models.ForeignKey(RegisterVersion, on_delete=models.PROTECT, related_name="+")
    id_index = models.CharField(max_length=32)
    principal_fen = models.BigIntegerField()
    interest_fen = models.BigIntegerField()
    confirmed_at = models.DateTimeField(auto_now_add=True)
    voided_at = models.DateTimeField(null=True)
    void_reason = models.CharField(max_length=200, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["lender", "institution"],
                condition=Q(voided_at__isnull=True),
                name="one_live_confirmation",
            )
        ]

    def __str__(self) -> str:
        return f"{self.lender} 确认 {self.institution}"


class DisputeStatus(models.TextChoices):
    OPEN = "open", "待处理"
    CORRECTED = "corrected", "已更正"
    REJECTED = "rejected", "不予更正"


class Dispute(models.Model):
    """A lender's objection to the registered amounts, answered by the institution."""

    lender = models.ForeignKey(Lender, on_delete=models.CASCADE, related_name="disputes")
    institution = models.ForeignKey(Institution, on_delete=models.PROTECT, related_name="disputes")
    version = models.ForeignKey(RegisterVersion, on_delete=models.PROTECT, related_name="+")
    principal_fen = models.BigIntegerField()
    interest_fen = models.BigIntegerField()
    reason = models.TextField("异议理由", max_length=2000)
    attachment_path = models.CharField(max_length=500, blank=True)  # encrypted at rest
    attachment_name = models.CharField(max_length=255, blank=True)
    attachment_type = models.CharField(max_length=100, blank=True)
    status = models.CharField(max_length=16, choices=DisputeStatus.choices, default="open")
    answer = models.TextField("答复", blank=True)
    corrected_version = models.ForeignKey(
        RegisterVersion, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    answered_at = models.DateTimeField(null=True)
    created_at = models.DateTimeField(auto_now_add=True)

    evidence = EncryptedFile(
        purpose=purposes.ATTACHMENT_FILE, column="attachment_path", folder="disputes"
    )

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["institution", "status", "created_at"])]

    def __str__(self) -> str:
        return f"{self.lender} 对 {self.institution} 的异议"
