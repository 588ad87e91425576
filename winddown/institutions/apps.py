from django.apps import AppConfig


class InstitutionsConfig(AppConfig):
    name = "winddown.institutions"
    verbose_name = "网贷机构"

    def ready(self) -> None:
        from winddown.audit.actions import register_actions
        from winddown.institutions.audit_actions import InstitutionsAction

        register_actions(InstitutionsAction)
