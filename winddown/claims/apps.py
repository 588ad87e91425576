from django.apps import AppConfig


class ClaimsConfig(AppConfig):
    name = "winddown.claims"
    verbose_name = "债权登记"

    def ready(self) -> None:
        from winddown.audit.actions import register_actions
        from winddown.claims.audit_actions import ClaimsAction

        register_actions(ClaimsAction)
