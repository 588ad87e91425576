from winddown.core.errors import ErrorCode


class AccountsErrorCode(ErrorCode):
    BAD_CREDENTIALS = (401, "用户名或密码错误")
    LOGIN_THROTTLED = (429, "登录失败次数较多，为保护账户安全，请 {seconds} 秒后再试")
    LOGIN_ADDRESS_LIMITED = (429, "当前网络的登录尝试过于频繁，请稍后再试")
    TOTP_REQUIRED = (401, "请输入动态口令（6位数字）")
    TOTP_INVALID = (401, "动态口令不正确，请查看身份验证器中的最新口令")
    TOTP_THROTTLED = (429, "动态口令错误次数较多，请 {seconds} 秒后再试")
    TOTP_NOT_ENROLLED = (403, "该账户尚未绑定动态口令，请先在网页端登录完成绑定")
    NOT_STAFF = (403, "该账户不是工作人员账户")
    USERNAME_TAKEN = (409, "用户名“{username}”已存在")
    INVALID_ROLE = (400, "角色无效")
    PASSWORD_WEAK = (400, "{detail}")
    INSTITUTION_REQUIRED = (400, "机构经办人必须绑定一家机构")
