from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "winddown.demo"
    verbose_name = "演示数据"
