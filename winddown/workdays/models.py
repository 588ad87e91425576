"""The table of years of the working-day calendar (spec I.14)."""

from django.conf import settings
from django.db import models

from winddown.calendar import YearSpec
from winddown.workdays.dates import from_stored


class WorkYear(models.Model):
    """One calendar year as the State Council General Office's notice fixes it
    (国务院办公厅关于XXXX年部分节假日安排的通知).

    ``holidays`` are the days off of the year and ``workdays`` its Saturdays and Sundays
    that are working days (调休上班), both stored as sorted lists of ISO date strings, one
    per day. Only a ``confirmed`` year answers working-day questions; a year without a row
    is not confirmed either. The core's :class:`~winddown.calendar.YearSpec` checks the
    data (services validate through it before anything is saved).
    """

    year = models.PositiveSmallIntegerField("年份", unique=True)
    holidays = models.JSONField("放假日期", default=list, blank=True)
    workdays = models.JSONField("调休上班日", default=list, blank=True)
    confirmed = models.BooleanField("已确认", default=False)
    notice = models.TextField("依据通知", blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="确认人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,  # confirmed_by_label keeps the name
        related_name="+",
    )
    # Who confirmed, as the audit log names them: also a command or the seed migration.
    confirmed_by_label = models.CharField("确认人（记录）", max_length=200, blank=True)
    confirmed_at = models.DateTimeField("确认时间", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField("最后修改", auto_now=True)

    class Meta:
        verbose_name = "年度节假日安排"
        verbose_name_plural = "年度节假日安排"
        ordering = ["-year"]

    def __str__(self) -> str:
        return f"{self.year}年"

    def spec(self) -> YearSpec:
        return YearSpec(
            year=self.year,
            holidays=from_stored(self.holidays),
            workdays=from_stored(self.workdays),
            confirmed=self.confirmed,
            notice=self.notice,
        )

    def audit_snapshot(self) -> dict:
        return {
            "year": self.year,
            "holidays": list(self.holidays),
            "workdays": list(self.workdays),
            "confirmed": self.confirmed,
            "notice": self.notice,
        }
