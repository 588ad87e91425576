from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "winddown.web"
    verbose_name = "网页"
