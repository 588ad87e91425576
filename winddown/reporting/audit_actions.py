"""Audit actions of association reporting (信息报送) and public disclosure (信息披露)."""

from django.db import models


class ReportingAction(models.TextChoices):
    FILING_DRAFTED = "reporting.filing_drafted", "创建报送草稿"
    FILING_SAVED = "reporting.filing_saved", "保存报送数据"
    FILING_UPLOADED = "reporting.filing_uploaded", "上传报送表格"
    FILING_SIGNED = "reporting.filing_signed", "代法定代表人确认报送内容"
    FILING_DELAY_EXPLAINED = "reporting.filing_delay_explained", "说明不能按时报送的原因"
    FILING_SUBMITTED = "reporting.filing_submitted", "提交报送"
    FILING_RESUBMISSION_OPENED = "reporting.filing_resubmission_opened", "发起更正重报"
    FILING_RETURNED = "reporting.filing_returned", "协会退回报送"
    FILING_ACCEPTED = "reporting.filing_accepted", "协会接收报送"
    FILING_REFUSED = "reporting.filing_refused", "拒绝越权或非法的报送操作"
    PERIOD_EXPORTED = "reporting.period_exported", "导出一期报送数据"
    REMINDERS_SENT = "reporting.reminders_sent", "发送报送期限提醒"
    DISCLOSURE_PUBLISHED = "reporting.disclosure_published", "发布信息披露"
    EXIT_ANNOUNCED = "reporting.exit_announced", "发布退出公告并短信通知出借人"
