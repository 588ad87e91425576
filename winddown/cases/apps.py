from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "winddown.cases"
    verbose_name = "投诉举报与惩戒"

    def ready(self) -> None:
        from winddown.audit.actions import register_actions
        from winddown.cases.audit_actions import CasesAction

        register_actions(CasesAction)

        from winddown.cases.models import (
            DocumentFile,
            Report,
            ReporterDay,
            ReporterIdentity,
            ReportEvidence,
        )
        from winddown.pii.purposes import ID_NUMBER
        from winddown.pii.registry import IndexCopy, register_personal_data

        # The reporter's identity lives only in ReporterIdentity (举报办法 第二条、第十二条);
        # the report and the daily counter carry a copy of the ID number's blind index.
        register_personal_data(ReporterIdentity)
        register_personal_data(ReportEvidence)
        register_personal_data(DocumentFile)
        register_personal_data(Report, index_copies=(IndexCopy("reporter_index", ID_NUMBER),))
        register_personal_data(ReporterDay, index_copies=(IndexCopy("reporter_index", ID_NUMBER),))
