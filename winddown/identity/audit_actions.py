"""Audit actions of identity: lenders' sign-in, identity verification and voting password."""

from django.db import models


class IdentityAction(models.TextChoices):
    LENDER_LOGIN = "lender.login", "出借人登录"
    LENDER_LOGIN_FAILED = "lender.login_failed", "出借人登录失败"
    SMS_CODE_SENT = "sms.sent", "发送短信验证码"
    SMS_RATE_LIMITED = "sms.rate_limited", "短信验证码限流"
    IDENTITY_SUBMITTED = "identity.submitted", "提交实名信息"
    IDENTITY_REJECTED = "identity.rejected", "实名核验未通过"
    IDENTITY_DUPLICATE = "identity.duplicate", "身份证号已被其他账户认证"
    AGREEMENT_ACCEPTED = "identity.agreement", "同意平台服务协议"
    LIVENESS_PASSED = "identity.liveness_passed", "活体检测通过"
    LIVENESS_FAILED = "identity.liveness_failed", "活体检测未通过"
    VOTING_PASSWORD_SET = "voting_password.set", "设置投票密码"
    VOTING_PASSWORD_CHANGED = "voting_password.changed", "修改投票密码"
    VOTING_PASSWORD_FAILED = "voting_password.failed", "投票密码错误"
    VOTING_PASSWORD_LOCKED = "voting_password.locked", "投票密码错误次数过多，已锁定"
    VOTING_PASSWORD_FORGOTTEN = "voting_password.forgotten", "忘记密码，清空实名与密码"
