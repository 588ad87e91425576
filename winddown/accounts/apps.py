from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "winddown.accounts"
    verbose_name = "账户"

    def ready(self) -> None:
        from winddown.accounts.audit_actions import AccountsAction
        from winddown.audit.actions import register_actions

        register_actions(AccountsAction)
