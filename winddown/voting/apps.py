from django.apps import AppConfig


class VotingConfig(AppConfig):
    name = "winddown.voting"
    verbose_name = "投票表决"

    def ready(self) -> None:
        from winddown.audit.actions import register_actions
        from winddown.voting.audit_actions import VotingAction

        register_actions(VotingAction)

        from winddown.core.upload_routes import register_upload_route

        for pattern, example in (
            (r"/staff/events/\d+/edit/", "/staff/events/1/edit/"),
            (r"/api/staff/events/\d+/attachments", "/api/staff/events/1/attachments"),
        ):
            register_upload_route(pattern, limit_setting="ATTACHMENT_MAX_BYTES", example=example)
        for pattern, example in (  # a photo and a résumé
            (r"/m/events/\d+/signup/", "/m/events/1/signup/"),
            (r"/api/events/\d+/signups", "/api/events/1/signups"),
        ):
            register_upload_route(
                pattern, limit_setting="ATTACHMENT_MAX_BYTES", example=example, files=2
            )

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
