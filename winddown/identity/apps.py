from django.apps import AppConfig


class IdentityConfig(AppConfig):
    name = "winddown.identity"
    verbose_name = "出借人身份"

    def ready(self) -> None:
        from winddown.audit.actions import register_actions
        from winddown.identity.audit_actions import IdentityAction

        register_actions(IdentityAction)
