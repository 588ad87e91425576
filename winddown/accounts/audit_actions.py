"""Audit actions of accounts: staff accounts, sign-in and API tokens."""

from django.db import models


class AccountsAction(models.TextChoices):
    STAFF_LOGIN = "staff.login", "工作人员登录"
    STAFF_LOGIN_FAILED = "staff.login_failed", "工作人员登录失败"
    STAFF_TOTP_ENROLLED = "staff.totp_enrolled", "绑定动态口令"
    STAFF_CREATED = "staff.created", "创建工作人员账户"
    API_TOKEN_ISSUED = "api.token_issued", "签发接口令牌"
    API_TOKENS_REVOKED = "api.tokens_revoked", "吊销账户全部接口令牌"
    STAFF_DEACTIVATED = "staff.deactivated", "停用工作人员账户"
    STAFF_REACTIVATED = "staff.reactivated", "重新启用工作人员账户"
    STAFF_PASSWORD_RESET = "staff.password_reset", "重置工作人员密码"
    STAFF_TOTP_RESET = "staff.totp_reset", "重置工作人员动态口令"
    ENROLMENT_LINK_ISSUED = "staff.enrolment_link_issued", "签发一次性绑定链接"
    ENROLMENT_COMPLETED = "staff.enrolment_completed", "通过绑定链接设置密码和动态口令"
