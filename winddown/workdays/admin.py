"""The system administrator's page for the years of the calendar (spec I.14).

A system administrator enters a year from the State Council General Office's notice
(国务院办公厅关于XXXX年部分节假日安排的通知): its days off, its make-up working days (调休上班),
the notice, and confirms it. Every save goes through ``services.year_set``, so the core
validates it and the audit log records it. A confirmed year is shown read-only; "修订此年度"
opens it for an amendment (the next year's notice can still move its last days of December).
Years are never deleted: an entry is withdrawn by saving it unconfirmed.
"""

from __future__ import annotations

import re

from django import forms
from django.contrib import admin, messages
from django.db.models import Max
from django.utils import timezone

from winddown.audit.services import actor_from_request
from winddown.core.errors import DomainError
from winddown.web.admin_site import admin_site
from winddown.workdays import selectors
from winddown.workdays.dates import SYNTAX_HINT, format_dates, from_stored
from winddown.workdays.models import WorkYear
from winddown.workdays.seeding import SEED_LABEL
from winddown.workdays.services import year_set, year_spec

# Service field -> form field.
FORM_FIELDS = {
    "year": "year",
    "holidays": "holidays_text",
    "workdays": "workdays_text",
    "notice": "notice",
    "confirmed": "confirmed",
}
AMEND_PARAMETER = "amend"
_NOTICE_NUMBER = re.compile(r"通知（([^）]+)）")


class WorkYearForm(forms.ModelForm):
    holidays_text = forms.CharField(
        label="放假日期",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4, "cols": 90}),
        help_text="通知中的全部放假日（含放假的周六、周日）。"
        + SYNTAX_HINT
        + "（也可用 ~ 或 至）。",
    )
    workdays_text = forms.CharField(
        label="调休上班日",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "cols": 90}),
        help_text="通知中写明“上班”的周六、周日，例如 2027-02-14, 2027-02-20；没有则留空。",
    )
    confirmed = forms.BooleanField(
        label="已与国务院办公厅通知逐日核对，确认本年度安排",
        required=False,
        help_text="确认后本年度即用于计算工作日和报送期限；不勾选则保存为草稿（未确认的年度不参与计算）。",
    )

    class Meta:
        model = WorkYear
        fields = ["year", "notice", "confirmed"]
        widgets = {"notice": forms.Textarea(attrs={"rows": 3, "cols": 90})}
        help_texts = {
            "year": "例如 2027",
            "notice": "通知全称及文号，例如：国务院办公厅关于2026年部分节假日安排的通知"
            "（国办发明电〔2025〕7号）",
        }
        error_messages = {
            "year": {"unique": "该年度已录入：请在列表中打开该年度，点击“修订此年度”。"}
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial.setdefault(
                "holidays_text", format_dates(from_stored(self.instance.holidays))
            )
            self.initial.setdefault(
                "workdays_text", format_dates(from_stored(self.instance.workdays))
            )

    def clean(self):
        data = super().clean()
        year = data.get("year") if "year" in self.fields else self.instance.year
        if year is None:
            return data
        try:
            year_spec(
                year=year,
                holidays=data.get("holidays_text", ""),
                workdays=data.get("workdays_text", ""),
                notice=data.get("notice", ""),
                confirm=bool(data.get("confirmed")),
            )
        except DomainError as error:
            field = FORM_FIELDS.get(error.field or "")
            self.add_error(field if field in self.fields else None, error.message)
        return data


@admin.register(WorkYear, site=admin_site)
class WorkYearAdmin(admin.ModelAdmin):
    form = WorkYearForm
    list_display = (
        "year",
        "status",
        "days_off_count",
        "make_up_count",
        "notice_number",
        "confirmed_by_short",
        "confirmed_on",
    )
    list_display_links = ("year",)
    list_filter = ("confirmed",)
    ordering = ("-year",)
    list_per_page = 50

    EDIT_FIELDS = ("year", "holidays_text", "workdays_text", "notice", "confirmed")
    INFO_FIELDS = ("confirmed_by_label", "confirmed_at", "updated_at")
    LOCKED_FIELDS = (
        "year",
        "status",
        "holidays_display",
        "workdays_display",
        "notice",
        *INFO_FIELDS,
    )

    # --- read-only unless amending -----------------------------------------------------

    def _locked(self, request, obj) -> bool:
        return bool(obj is not None and obj.confirmed and request.GET.get(AMEND_PARAMETER) != "1")

    def get_fields(self, request, obj=None):
        if obj is None:
            return list(self.EDIT_FIELDS)
        if self._locked(request, obj):
            return list(self.LOCKED_FIELDS)
        return [*self.EDIT_FIELDS, *self.INFO_FIELDS]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return ()
        if self._locked(request, obj):
            return self.LOCKED_FIELDS
        return ("year", *self.INFO_FIELDS)

    def has_change_permission(self, request, obj=None):
        if obj is not None and self._locked(request, obj):
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, object_id)
        context = {
            **(extra_context or {}),
            "workdays_locked": self._locked(request, obj),
            "workdays_amending": bool(obj and obj.confirmed and not self._locked(request, obj)),
            "workdays_recheck_seconds": int(selectors.RECHECK_SECONDS),
        }
        return super().change_view(request, object_id, form_url, extra_context=context)

    def changelist_view(self, request, extra_context=None):
        # From the table, not the calendar: the page must open even if a row were broken.
        last = WorkYear.objects.filter(confirmed=True).aggregate(last=Max("year"))["last"]
        context = {**(extra_context or {}), "workdays_last_confirmed": last}
        return super().changelist_view(request, extra_context=context)

    # --- every save through the service (validated by the core, audited) -----------------

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        saved = year_set(
            actor=actor_from_request(request),
            year=obj.year,
            holidays=data["holidays_text"],
            workdays=data["workdays_text"],
            notice=data["notice"],
            confirm=bool(data["confirmed"]),
        )
        obj.pk = saved.pk
        obj.refresh_from_db()
        if saved.confirmed:
            self.message_user(
                request,
                f"{saved.year}年的节假日安排已确认并记入审计日志：本服务进程立即生效，"
                f"其他服务进程最迟{int(selectors.RECHECK_SECONDS)}秒内生效。",
                messages.SUCCESS,
            )

    # --- columns ------------------------------------------------------------------------

    @admin.display(description="状态", ordering="confirmed")
    def status(self, obj: WorkYear) -> str:
        return "已确认" if obj.confirmed else "未确认（不参与计算）"

    @admin.display(description="放假（工作日）")
    def days_off_count(self, obj: WorkYear) -> str:
        days = from_stored(obj.holidays)
        weekdays = sum(1 for d in days if d.weekday() < 5)
        return f"{len(days)} 天（{weekdays}）"

    @admin.display(description="调休上班")
    def make_up_count(self, obj: WorkYear) -> str:
        return f"{len(obj.workdays)} 天"

    @admin.display(description="依据通知（文号）")
    def notice_number(self, obj: WorkYear) -> str:
        """The document number of the year's notice (国办发明电〔2025〕7号), "等" when the
        year also names other notices; the whole text is on the year's page."""
        match = _NOTICE_NUMBER.search(obj.notice)
        if match is None:
            return obj.notice if len(obj.notice) <= 30 else obj.notice[:30] + "…"
        return match.group(1) + (" 等" if "；" in obj.notice else "")

    @admin.display(description="确认人")
    def confirmed_by_short(self, obj: WorkYear) -> str:
        return "初始数据" if obj.confirmed_by_label == SEED_LABEL else obj.confirmed_by_label

    @admin.display(description="确认日期", ordering="confirmed_at")
    def confirmed_on(self, obj: WorkYear) -> str:
        if obj.confirmed_at is None:
            return "—"
        return timezone.localtime(obj.confirmed_at).date().isoformat()

    @admin.display(description="放假日期")
    def holidays_display(self, obj: WorkYear) -> str:
        return format_dates(from_stored(obj.holidays)) or "无"

    @admin.display(description="调休上班日")
    def workdays_display(self, obj: WorkYear) -> str:
        return format_dates(from_stored(obj.workdays)) or "无"
