from django.apps import AppConfig


class IdentityConfig(AppConfig):
    name = "winddown.identity"
    verbose_name = "出借人身份"

    def ready(self) -> None:
        from winddown.audit.actions import register_actions
        from winddown.identity.audit_actions import IdentityAction

        register_actions(IdentityAction)

        from winddown.accounts.roles import Role
        from winddown.accounts.services import register_profile
        from winddown.identity.models import Lender, SmsCode
        from winddown.identity.services import sms_codes_expire_pending
        from winddown.pii.registry import register_personal_data

        register_profile(Role.LENDER, Lender)  # loaded with the user on every API call
        register_personal_data(Lender)
        # A pending code's hash covers the phone's blind index: after a rotation lenders
        # simply ask for a new code.
        register_personal_data(SmsCode, after_rotation=sms_codes_expire_pending)
