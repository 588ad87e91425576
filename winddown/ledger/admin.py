"""System administrators' read-only view of ledger versions, imports and collection
actions. Ledgers change only by importing (services.ledger_import), never by editing rows
here: a figure reported to the association must be reproducible from a version."""

from django.contrib import admin

from winddown.ledger.models import CollectionAction, LedgerImport, LedgerVersion
from winddown.web.admin_site import admin_site


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(LedgerVersion, site=admin_site)
class LedgerVersionAdmin(ReadOnlyAdmin):
    list_display = (
        "institution",
        "number",
        "status",
        "loan_count",
        "holding_count",
        "repayment_count",
        "principal_total_fen",
        "created_at",
    )
    list_filter = ("status", "institution")


@admin.register(LedgerImport, site=admin_site)
class LedgerImportAdmin(ReadOnlyAdmin):
    list_display = ("institution", "status", "error_count", "uploaded_by", "created_at")
    list_filter = ("status", "institution")


@admin.register(CollectionAction, site=admin_site)
class CollectionActionAdmin(ReadOnlyAdmin):
    list_display = (
        "institution",
        "loan_number",
        "kind",
        "days_overdue",
        "created_by",
        "created_at",
    )
    list_filter = ("kind", "institution")
