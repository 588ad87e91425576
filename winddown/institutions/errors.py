from winddown.core.errors import ErrorCode


class InstitutionsErrorCode(ErrorCode):
    REQUIRED = (400, "请填写{label}")
    TOO_LONG = (400, "{label}不能超过{limit}个字")
    CREDIT_CODE_INVALID = (400, "{detail}")
    DUPLICATE = (409, "{label}“{value}”已被其他机构使用")
    STATUS_INVALID = (400, "机构状态无效")
    NOT_OPERATOR = (400, "只有机构经办人可以绑定机构")
