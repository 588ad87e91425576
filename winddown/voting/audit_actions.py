"""Audit actions of voting: voting events, sign-ups and exports."""

from django.db import models


class VotingAction(models.TextChoices):
    EVENT_CREATED = "event.created", "创建投票活动"
    EVENT_UPDATED = "event.updated", "修改投票活动"
    EVENT_SUBMITTED = "event.submitted", "提交审核"
    EVENT_APPROVED = "event.approved", "批准投票活动"
    EVENT_RETURNED = "event.returned", "退回投票活动"
    EVENT_CANCELLED = "event.cancelled", "取消投票活动"
    EVENT_OPENED = "event.opened", "投票开始（冻结表决权名单）"
    EVENT_CLOSED = "event.closed", "投票截止"
    EVENT_COUNTED = "event.counted", "计票完成"
    EVENT_PUBLISHED = "event.published", "公布结果"
    SIGNUP_CREATED = "signup.created", "报名出借人代表"
    SIGNUP_WITHDRAWN = "signup.withdrawn", "撤回报名"
    SIGNUP_REVIEWED = "signup.reviewed", "审核报名"
    CANDIDATES_IMPORTED = "event.candidates_imported", "由报名生成候选人"
    ROSTER_EXPORTED = "event.roster_exported", "导出投票名册"
