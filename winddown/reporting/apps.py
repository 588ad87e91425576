from django.apps import AppConfig


class ReportingConfig(AppConfig):
    name = "winddown.reporting"
    verbose_name = "信息报送与信息披露"

    def ready(self) -> None:
        from winddown.audit.actions import register_actions
        from winddown.reporting.audit_actions import ReportingAction

        register_actions(ReportingAction)
