from django.apps import AppConfig


class InstitutionsConfig(AppConfig):
    name = "winddown.institutions"
    verbose_name = "网贷机构"
