from django.apps import AppConfig


class IdentityConfig(AppConfig):
    name = "winddown.identity"
    verbose_name = "出借人身份"
