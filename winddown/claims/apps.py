from django.apps import AppConfig


class ClaimsConfig(AppConfig):
    name = "winddown.claims"
    verbose_name = "债权登记"

    def ready(self) -> None:
        from winddown.audit.actions import register_actions
        from winddown.claims.audit_actions import ClaimsAction

        register_actions(ClaimsAction)

        from winddown.core.upload_routes import register_upload_route

        for pattern, example in (
            (r"/staff/institutions/\d+/upload/", "/staff/institutions/1/upload/"),
            (r"/api/institutions/\d+/registers", "/api/institutions/1/registers"),
        ):
            register_upload_route(
                pattern, limit_setting="REGISTER_UPLOAD_MAX_BYTES", example=example
            )
        for pattern, example in (
            (r"/m/claims/\d+/dispute/", "/m/claims/1/dispute/"),
            (r"/api/me/claims/\d+/disputes", "/api/me/claims/1/disputes"),
        ):
            register_upload_route(pattern, limit_setting="ATTACHMENT_MAX_BYTES", example=example)

        from winddown.claims.models import ClaimEntry, Confirmation, Dispute, RegisterImport
        from winddown.pii.purposes import ID_NUMBER
        from winddown.pii.registry import IndexCopy, register_personal_data

        register_personal_data(ClaimEntry)
        register_personal_data(RegisterImport)
        register_personal_data(Dispute)
        register_personal_data(Confirmation, index_copies=(IndexCopy("id_index", ID_NUMBER),))
