from django.apps import AppConfig


class VotingConfig(AppConfig):
    name = "winddown.voting"
    verbose_name = "投票表决"

    def ready(self) -> None:
        from winddown.audit.actions import register_actions
        from winddown.voting.audit_actions import VotingAction

        register_actions(VotingAction)
