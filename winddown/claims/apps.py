from django.apps import AppConfig


class ClaimsConfig(AppConfig):
    name = "winddown.claims"
    verbose_name = "债权登记"
