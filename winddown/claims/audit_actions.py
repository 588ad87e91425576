"""Audit actions of claims: claims registers, confirmations and disputes."""

from django.db import models


class ClaimsAction(models.TextChoices):
    REGISTER_UPLOADED = "register.uploaded", "上传债权登记表"
    REGISTER_REJECTED = "register.rejected", "债权登记表校验未通过"
    REGISTER_ACTIVATED = "register.activated", "启用债权登记表版本"
    REGISTER_DISCARDED = "register.discarded", "作废债权登记表版本"
    CLAIM_CONFIRMED = "claim.confirmed", "确认债权"
    CLAIM_CONFIRMATION_VOIDED = "claim.confirmation_voided", "债权确认因金额变更失效"
    DISPUTE_RAISED = "dispute.raised", "提出债权异议"
    DISPUTE_ANSWERED = "dispute.answered", "答复债权异议"
