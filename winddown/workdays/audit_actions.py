"""Audit actions of workdays: a year of the calendar entered, confirmed, amended."""

from django.db import models


class WorkdaysAction(models.TextChoices):
    YEAR_CONFIRMED = "workdays.year_confirmed", "确认年度节假日安排"
    YEAR_AMENDED = "workdays.year_amended", "修订已确认的年度节假日安排"
    YEAR_DRAFTED = "workdays.year_drafted", "录入年度节假日安排（未确认）"
    YEAR_UNCONFIRMED = "workdays.year_unconfirmed", "撤销年度节假日安排的确认"
