from winddown.core.errors import ErrorCode


class AccountsErrorCode(ErrorCode):
    BAD_CREDENTIALS = (401, "用户名或密码错误")
    LOGIN_THROTTLED = (429, "登录失败次数较多，为保护账户安全，请 {seconds} 秒后再试")
    LOGIN_ADDRESS_LIMITED = (429, "当前网络的登录尝试过于频繁，请稍后再试")
    TOTP_REQUIRED = (401, "请输入动态口令（6位数字）")
    TOTP_INVALID = (401, "动态口令不正确，请查看身份验证器中的最新口令")
    TOTP_THROTTLED = (429, "动态口令错误次数较多，请 {seconds} 秒后再试")
    TOTP_NOT_ENROLLED = (403, "该账户尚未绑定动态口令，请向系统管理员索取一次性绑定链接")
    NOT_STAFF = (403, "该账户不是工作人员账户")
    USERNAME_TAKEN = (409, "用户名“{username}”已存在")
    USERNAME_REQUIRED = (400, "请填写用户名")
    INVALID_ROLE = (400, "角色无效")
    PASSWORD_WEAK = (400, "{detail}")
    INSTITUTION_REQUIRED = (400, "机构经办人必须绑定一家机构")
    ADMIN_ONLY = (403, "只有系统管理员可以{action}")
    NOT_STAFF_ACCOUNT = (404, "找不到该工作人员账户")
    SELF_DEACTIVATION = (409, "不能停用自己的账户，请由另一位系统管理员操作")
    LAST_ADMIN = (
        409,
        "“{username}”是唯一启用的系统管理员，{action}后将无人能管理账户；"
        "请先新建或启用另一位系统管理员，再由其操作",
    )
    ALREADY_INACTIVE = (409, "账户“{username}”已停用")
    ALREADY_ACTIVE = (409, "账户“{username}”已启用")
    ACCOUNT_INACTIVE = (409, "账户“{username}”已停用，请先重新启用再{action}")
    ENROLMENT_LINK_INVALID = (
        404,
        "绑定链接无效、已使用、已过期或已被更新的链接取代，请向系统管理员索取新的绑定链接",
    )
    PASSWORDS_DIFFER = (400, "两次输入的密码不一致，请重新输入")
