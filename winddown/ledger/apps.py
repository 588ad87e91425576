from django.apps import AppConfig


class LedgerConfig(AppConfig):
    name = "winddown.ledger"
    verbose_name = "借款台账"

    def ready(self) -> None:
        from winddown.audit.actions import register_actions
        from winddown.ledger.audit_actions import LedgerAction

        register_actions(LedgerAction)

        from winddown.ledger.models import Borrower, Holding
        from winddown.pii.registry import register_personal_data

        register_personal_data(Borrower)
        register_personal_data(Holding)

        from winddown.ledger.selectors import ah05_prefill
        from winddown.reporting.services import register_prefill

        register_prefill("AH-05", ah05_prefill)
