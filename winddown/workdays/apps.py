from django.apps import AppConfig


class WorkdaysConfig(AppConfig):
    name = "winddown.workdays"
    verbose_name = "工作日与节假日"

    def ready(self) -> None:
        from winddown.audit.actions import register_actions
        from winddown.workdays.audit_actions import WorkdaysAction

        register_actions(WorkdaysAction)
