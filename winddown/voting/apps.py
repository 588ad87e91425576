from django.apps import AppConfig


class VotingConfig(AppConfig):
    name = "winddown.voting"
    verbose_name = "投票表决"
