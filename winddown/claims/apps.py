from django.apps import AppConfig


class ClaimsConfig(AppConfig):
    name = "winddown.claims"
    verbose_name = "债权登记"

    def ready(self) -> None:
        from winddown.audit.actions import register_actions
        from winddown.claims.audit_actions import ClaimsAction

        register_actions(ClaimsAction)

        from winddown.claims.models import ClaimEntry, Confirmation, Dispute, RegisterImport
        from winddown.pii.purposes import ID_NUMBER
        from winddown.pii.registry import IndexCopy, register_personal_data

        register_personal_data(ClaimEntry)
        register_personal_data(RegisterImport)
        register_personal_data(Dispute)
        register_personal_data(Confirmation, index_copies=(IndexCopy("id_index", ID_NUMBER),))
