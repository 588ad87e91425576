from winddown.core.errors import ErrorCode


class ReportingErrorCode(ErrorCode):
    TABLE_UNKNOWN = (400, "采集表“{table}”不存在，应为 {known} 之一")
    PERIOD_INVALID = (
        400,
        "报送期“{period}”不存在：{table}按{kind}报送，报送期应写作 {example}（{detail}）",
    )
    PERIOD_OPEN = (400, "报送期“{period}”尚未结束（统计时点为{last_day}24时），不能报送")
    CELLS_INVALID = (400, "有{count}处填报内容有误，未保存任何内容。{first}")
    NOT_EDITABLE = (
        409,
        "{table} {period} 第{number}版{state}，不能直接修改；如需更正，请发起更正重报并写明原因",
    )
    REASON_REQUIRED = (400, "更正重报须写明原因（例如哪些指标填错、如何更正）")
    BLOCKING_ERRORS = (400, "还有{count}处错误须改正后才能确认提交。{first}")
    EXPLANATION_MISSING = (400, "还有{count}条提示须填写说明后才能确认提交。{first}")
    SIGNATORY_REQUIRED = (400, "请填写法定代表人姓名，代其确认报送内容（披露办法第十八条）")
    NOT_SIGNED = (400, "提交前须先代法定代表人确认报送内容")
    WRONG_STATE = (409, "{table} {period} 当前为“{state}”，不能{action}")
    COMMENT_REQUIRED = (400, "退回须写明意见，指出需要核实或更正的指标编码")
    UPLOAD_LAYOUT = (400, "上传的表格不是{table}的模板：{detail}。请下载{table}模板填写后上传")
    UPLOAD_UNREADABLE = (400, "{detail}")
    OTHER_INSTITUTION = (403, "您不是该机构的经办人，不能为其报送或修改报送；此次操作已记录")
    OPERATORS_ONLY = (403, "只有机构经办人可以填报和提交")
    ASSOCIATION_ONLY = (403, "只有互联网金融协会可以退回或接收报送")
    EXPLANATION_UNKNOWN = (400, "提示“{key}”不存在或已不适用，请刷新后重试")
    TEXT_TOO_LONG = (400, "{label}不能超过{limit}字")
    DISCLOSURE_EMPTY = (400, "披露内容不能为空：{detail}")
    DISCLOSURE_MAJOR_EVENT = (
        400,
        "重大事项披露须写明事件的起因、目前的状态、可能产生的影响和采取的措施（披露办法第十一条），缺少：{missing}",
    )
    DELAY_INVALID = (400, "{detail}")
