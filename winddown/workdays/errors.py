from winddown.core.errors import ErrorCode
from winddown.workdays.dates import SYNTAX_HINT


class WorkdaysErrorCode(ErrorCode):
    YEAR_INVALID = (400, "年份应为{low}–{high}之间的整数，收到“{value}”")
    DATE_SYNTAX = (400, "{label}中的{detail}；" + SYNTAX_HINT)
    YEAR_DATA = (400, "{label}：{detail}")
    TOO_LONG = (400, "{label}不能超过{limit}个字")
