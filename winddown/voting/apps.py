from django.apps import AppConfig


class VotingConfig(AppConfig):
    name = "winddown.voting"
    verbose_name = "投票表决"

    def ready(self) -> None:
        from winddown.audit.actions import register_actions
        from winddown.voting.audit_actions import VotingAction

        register_actions(VotingAction)

        from winddown.pii.purposes import ID_NUMBER
        from winddown.pii.registry import IndexCopy, register_personal_data
        from winddown.voting.models import Elector, EventAttachment, SignUp, VotingEvent
        from winddown.voting.selectors import index_key_change_refusal

        register_personal_data(SignUp)
        register_personal_data(
            Elector,
            index_copies=(IndexCopy("id_index", ID_NUMBER),),
            index_key_guard=index_key_change_refusal,
        )
        register_personal_data(EventAttachment)  # public documents only: nothing to rotate
        register_personal_data(VotingEvent)
