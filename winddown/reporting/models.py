"""Association reporting (信息报送) and public disclosure (信息披露).

A :class:`Filing` is one institution's table for one period (报送标准 (二)2: "一个独立法人
报送一个文件"); its :class:`FilingVersion` s are every text it was submitted with. A
resubmission is a new version with its reason (报送办法 第十条: "有权对已提交的并且有错误的
信息进行撤回并做出修改"); the association returns a version with comments (第八条(二)) or
accepts it. Nothing is deleted (第八条: "统一整理、存档"; spec B1‑18).

Cell texts are stored canonical (万元 with six decimals, ISO dates): lossless, since six
decimals of 万元 are one fen. ``amounts_fen`` holds every amount of the version as integer
fen, for exports and comparisons (spec I‑12).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from winddown.institutions.models import Institution


class FilingStatus(models.TextChoices):
    DRAFT = "draft", "草稿"
    SUBMITTED = "submitted", "已报"
    RETURNED = "returned", "退回"
    ACCEPTED = "accepted", "已接收"


class VersionStatus(models.TextChoices):
    DRAFT = "draft", "草稿"
    SUBMITTED = "submitted", "已报"
    RETURNED = "returned", "退回"
    ACCEPTED = "accepted", "已接收"
    SUPERSEDED = "superseded", "已被更正"


class Filing(models.Model):
    institution = models.ForeignKey(Institution, on_delete=models.PROTECT, related_name="+")
    table = models.CharField("采集表", max_length=8)  # AH-01 … AH-07
    period = models.CharField("报送期", max_length=8)  # 2025 | 2026-Q3 | 2026-09
    status = models.CharField(
        "状态", max_length=16, choices=FilingStatus.choices, default=FilingStatus.DRAFT
    )
    due = models.DateField("提示日", null=True)  # null: the calendar year is not confirmed
    deadline = models.DateField("报送期限", null=True)
    # The first submission's lateness (报送办法 第三条 "不得…拖延报送"); kept when corrected.
    first_submitted_at = models.DateTimeField("首次提交时间", null=True)
    late = models.BooleanField("逾期报送", default=False)
    # 报送办法 第七条: "因故不能…及时报送信息的，应当在规定报送期限前向协会说明原因以及预计报送时间"
    delay_reason = models.TextField("不能按时报送的原因", blank=True)
    delay_expected = models.DateField("预计报送日期", null=True)
    delay_noted_at = models.DateTimeField("说明时间", null=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "报送"
        verbose_name_plural = "报送"
        ordering = ["institution_id", "table", "period"]
        constraints = [
            models.UniqueConstraint(
                fields=["institution", "table", "period"], name="one_filing_per_table_period"
            )
        ]
        # Covers the dashboard's counts and filters (table, periods → status, institution).
        indexes = [
            models.Index(
                fields=["table", "period", "status", "institution"], name="filing_dashboard"
            )
        ]

    def __str__(self) -> str:
        return f"{self.institution} {self.table} {self.period}"

    def audit_snapshot(self) -> dict:
        return {
            "institution": self.institution_id,
            "table": self.table,
            "period": self.period,
            "status": self.status,
            "late": self.late,
        }


class FilingVersion(models.Model):
    filing = models.ForeignKey(Filing, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField("版本号")
    status = models.CharField(
        "状态", max_length=16, choices=VersionStatus.choices, default=VersionStatus.DRAFT
    )
    reason = models.TextField("更正原因", blank=True)  # required from version 2 on
    definitions_version = models.CharField("指标定义版本", max_length=40)  # spec I‑64
    cells = models.JSONField("填报内容", default=dict)  # key → canonical text
    amounts_fen = models.JSONField("金额（分）", default=dict)  # key → integer fen
    findings = models.JSONField("校验结果", default=list)
    explanations = models.JSONField("提示说明", default=dict)  # finding key → text
    prefilled = models.JSONField("平台预填", default=list)  # keys the platform filled
    source = models.CharField("来源", max_length=16, default="entry")  # entry|upload|api
    signatory = models.CharField("法定代表人", max_length=100, blank=True)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    signed_at = models.DateTimeField(null=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True)
    review_comment = models.TextField("协会意见", blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "报送版本"
        verbose_name_plural = "报送版本"
        ordering = ["filing_id", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["filing", "number"], name="filing_version_unique"),
            models.UniqueConstraint(
                fields=["filing"], condition=Q(status="draft"), name="one_draft_per_filing"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.filing} 第{self.number}版"

    @property
    def editable(self) -> bool:
        return self.status == VersionStatus.DRAFT

    def audit_snapshot(self) -> dict:
        return {
            "filing": self.filing_id,
            "number": self.number,
            "status": self.status,
            "reason": self.reason,
            "cells": len(self.cells),
            "errors": sum(1 for f in self.findings if f.get("severity") == "error"),
            "warnings": sum(1 for f in self.findings if f.get("severity") == "warning"),
            "signatory": self.signatory,
        }


class DisclosureSection(models.TextChoices):
    """The public disclosure column's parts (披露办法 第八条–第十二条; 001 (十四); spec A.2)."""

    INSTITUTION = "institution", "机构信息（备案信息、组织信息）"
    OPERATIONS = "operations", "运营信息"
    PROJECTS = "projects", "项目信息（脱敏）"
    MAJOR_EVENTS = "major_events", "重大风险信息"
    COMPLAINTS = "complaints", "消费者咨询投诉渠道"
    EXIT = "exit", "退出信息"


class Disclosure(models.Model):
    """One published version of one section of an institution's disclosure column.

    Versions are immutable and every one stays viewable (披露办法 第十六条: "自披露之日起保存
    五年以上"; spec A.7). ``content`` is a list of ``{"item", "label", "value"}``.
    """

    institution = models.ForeignKey(Institution, on_delete=models.PROTECT, related_name="+")
    section = models.CharField("栏目", max_length=16, choices=DisclosureSection.choices)
    number = models.PositiveIntegerField("版本号")
    title = models.CharField("标题", max_length=200)
    content = models.JSONField("内容", default=list)
    period = models.CharField("统计期", max_length=8, blank=True)  # operations: 2026-09
    occurred_at = models.DateTimeField("事项发生时间", null=True)  # major events (48 h)
    published_at = models.DateTimeField("发布时间")
    signatory = models.CharField("法定代表人签字确认", max_length=100)  # 第十八条
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    sms_sent = models.PositiveIntegerField("短信通知人数", default=0)
    retain_until = models.DateField("保存至")

    class Meta:
        verbose_name = "信息披露"
        verbose_name_plural = "信息披露"
        ordering = ["institution_id", "section", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["institution", "section", "number"], name="disclosure_version_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.institution} {self.get_section_display()} 第{self.number}版"

    def audit_snapshot(self) -> dict:
        return {
            "institution": self.institution_id,
            "section": self.section,
            "number": self.number,
            "title": self.title,
            "items": len(self.content),
            "signatory": self.signatory,
        }
