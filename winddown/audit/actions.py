"""Audit event types: fixed constants, one Chinese label each."""

from django.db import models


class AuditAction(models.TextChoices):
    # Accounts and sign-in
    STAFF_LOGIN = "staff.login", "工作人员登录"
    STAFF_LOGIN_FAILED = "staff.login_failed", "工作人员登录失败"
    STAFF_TOTP_ENROLLED = "staff.totp_enrolled", "绑定动态口令"
    STAFF_CREATED = "staff.created", "创建工作人员账户"
    LENDER_LOGIN = "lender.login", "出借人登录"
    LENDER_LOGIN_FAILED = "lender.login_failed", "出借人登录失败"
    SMS_CODE_SENT = "sms.sent", "发送短信验证码"
    SMS_RATE_LIMITED = "sms.rate_limited", "短信验证码限流"
    API_TOKEN_ISSUED = "api.token_issued", "签发接口令牌"
    # Lender identity and voting password
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
    # Institutions
    INSTITUTION_CREATED = "institution.created", "登记机构"
    INSTITUTION_UPDATED = "institution.updated", "修改机构信息"
    MEMBERSHIP_SET = "institution.membership", "设置机构经办人"
    # Claims registers
    REGISTER_UPLOADED = "register.uploaded", "上传债权登记表"
    REGISTER_REJECTED = "register.rejected", "债权登记表校验未通过"
    REGISTER_ACTIVATED = "register.activated", "启用债权登记表版本"
    REGISTER_DISCARDED = "register.discarded", "作废债权登记表版本"
    CLAIM_CONFIRMED = "claim.confirmed", "确认债权"
    CLAIM_CONFIRMATION_VOIDED = "claim.confirmation_voided", "债权确认因金额变更失效"
    DISPUTE_RAISED = "dispute.raised", "提出债权异议"
    DISPUTE_ANSWERED = "dispute.answered", "答复债权异议"
    # Access to personal data and boundaries
    PII_REVEALED = "pii.revealed", "查看完整个人信息"
    ACCESS_DENIED = "access.denied", "越权访问被拒绝"
    PII_KEYS_ROTATED = "pii.keys_rotated", "轮换个人信息密钥"
