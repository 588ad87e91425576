from django.conf import settings
from django.db import models


class InstitutionStatus(models.TextChoices):
    OPERATING = "operating", "正常运营"
    SUSPENDED = "suspended", "停业"
    WINDING_DOWN = "winding_down", "良性退出中"
    TRANSFORMING = "transforming", "转型中"
    UNDER_INVESTIGATION = "under_investigation", "立案侦查"
    EXITED = "exited", "已退出"


class Institution(models.Model):
    full_name = models.CharField("机构全称", max_length=200, unique=True)
    short_name = models.CharField("机构简称", max_length=50, unique=True)
    credit_code = models.CharField("统一社会信用代码", max_length=18, unique=True)
    registered_address = models.CharField("注册地址", max_length=300)
    business_address = models.CharField("经营地址", max_length=300, blank=True)
    status = models.CharField(
        "状态",
        max_length=32,
        choices=InstitutionStatus.choices,
        default=InstitutionStatus.OPERATING,
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "网贷机构"
        verbose_name_plural = "网贷机构"
        ordering = ["short_name"]

    def __str__(self) -> str:
        return self.short_name

    def audit_snapshot(self) -> dict:
        return {
            "full_name": self.full_name,
            "short_name": self.short_name,
            "credit_code": self.credit_code,
            "registered_address": self.registered_address,
            "business_address": self.business_address,
            "status": self.status,
        }


class Membership(models.Model):
    """An institution operator belongs to exactly one institution."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="membership"
    )
    institution = models.ForeignKey(Institution, on_delete=models.PROTECT, related_name="members")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "机构经办人"
        verbose_name_plural = "机构经办人"

    def __str__(self) -> str:
        return f"{self.user} @ {self.institution}"
