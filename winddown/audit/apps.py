from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "winddown.audit"
    verbose_name = "审计日志"
