from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "winddown.audit"
    verbose_name = "审计日志"

    def ready(self) -> None:
        from winddown.audit import timestamps

        timestamps.register()
