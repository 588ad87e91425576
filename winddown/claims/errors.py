from winddown.core.errors import ErrorCode


class ClaimsErrorCode(ErrorCode):
    FILE_TOO_LARGE = (413, "文件大小 {size_mb} MB 超过上限 {limit_mb} MB，请拆分或压缩后上传")
    FILE_INVALID = (400, "登记表有 {count} 处错误，未保存任何数据；请按提示修改后重新上传")
    VERSION_NOT_PENDING = (409, "只有待启用的版本可以启用或作废，该版本当前为“{status}”")
    NO_CLAIM = (404, "您在该机构没有登记的债权")
    NOT_VERIFIED = (403, "请先完成身份认证后再查看和确认债权")
    REASON_REQUIRED = (400, "请填写异议理由（5至2000字），说明哪项金额不对、应为多少")
    ATTACHMENT_INVALID = (400, "{detail}")
    ATTACHMENT_TOO_LARGE = (413, "附件超过 {limit_mb} MB，请压缩后上传")
    DISPUTE_ALREADY_OPEN = (409, "您对该机构已有一条待处理的异议，请等待机构答复")
    DISPUTE_ALREADY_ANSWERED = (409, "该异议已答复，不能重复处理")
    ANSWER_REQUIRED = (400, "请填写答复内容")
    OUTCOME_INVALID = (400, "处理结果应为“已更正”或“不予更正”")
    CORRECTED_VERSION_INVALID = (400, "更正版本应为本机构待启用或生效中的登记表版本")
