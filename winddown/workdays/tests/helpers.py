"""An example 2027 (hypothetical: for tests only, not the real notice)."""

from datetime import date, timedelta

HOLIDAYS_2027 = "2027-01-01..2027-01-03, 2027-02-05..2027-02-11，2027-04-03 至 2027-04-05"
WORKDAYS_2027 = "2027-02-14,2027-02-20"
NOTICE_2027 = "国务院办公厅关于2027年部分节假日安排的通知（测试示例，非真实文号）"


def days(first: date, last: date):
    d = first
    while d <= last:
        yield d
        d += timedelta(days=1)
