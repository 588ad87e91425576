from winddown.core.errors import ErrorCode


class LedgerErrorCode(ErrorCode):
    FILES_INVALID = (400, "借款台账有 {count} 处错误，未保存任何数据；请按提示修改后重新上传")
    FILE_TOO_LARGE = (
        413,
        "文件“{name}”大小 {size_mb} MB 超过网页上传上限 {limit_mb} MB，"
        "请使用 manage.py import_ledger 导入",
    )
    FILES_MISSING = (400, "请同时上传借款、出借（持有）和还款三个文件")
    NO_LEDGER = (404, "该机构尚未导入借款台账")
    LOAN_NOT_OVERDUE = (409, "借款 {number} 当前未逾期，无需登记催收")
    ACTION_KIND_INVALID = (400, "催收方式应为：{choices}")
    RECORDING_REQUIRED = (400, "电话催收请填写录音编号（录音文件在催收系统中的编号）")
    NOTE_TOO_LONG = (400, "催收说明不能超过 {limit} 字")
    PLAN_INVALID = (400, "分期还款计划：{detail}")
    PERIOD_INVALID = (400, "月份应为 YYYY-MM 格式（例如 2026-09），收到“{value}”")
    REGISTER_CONTACTS_MISSING = (
        409,
        "有 {count} 位出借人不在生效的债权登记表中（或不是个人），台账中没有其手机号，"
        "无法生成登记表：{names}；请先在登记表中补充这些出借人",
    )
    FIGURE_UNKNOWN = (404, "指标 {code} 不在 AH-05 表中")
