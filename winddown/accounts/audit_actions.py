"""Audit actions of accounts: staff accounts, sign-in and API tokens."""

from django.db import models


class AccountsAction(models.TextChoices):
    STAFF_LOGIN = "staff.login", "工作人员登录"
    STAFF_LOGIN_FAILED = "staff.login_failed", "工作人员登录失败"
    STAFF_TOTP_ENROLLED = "staff.totp_enrolled", "绑定动态口令"
    STAFF_CREATED = "staff.created", "创建工作人员账户"
    API_TOKEN_ISSUED = "api.token_issued", "签发接口令牌"
