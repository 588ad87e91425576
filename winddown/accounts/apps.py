from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "winddown.accounts"
    verbose_name = "账户"
