"""Read-only admin views of filings and disclosures for system administrators: every
change goes through the pages or the API (services, audited), never through the admin."""

from __future__ import annotations

from django.contrib import admin

from winddown.reporting.models import Disclosure, Filing, FilingVersion
from winddown.web.admin_site import admin_site


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Filing, site=admin_site)
class FilingAdmin(ReadOnly):
    list_display = ("institution", "table", "period", "status", "deadline", "late")
    list_filter = ("table", "status", "late")
    search_fields = ("institution__short_name", "period")


@admin.register(FilingVersion, site=admin_site)
class FilingVersionAdmin(ReadOnly):
    list_display = ("filing", "number", "status", "signatory", "submitted_at")
    list_filter = ("status",)


@admin.register(Disclosure, site=admin_site)
class DisclosureAdmin(ReadOnly):
    list_display = ("institution", "section", "number", "title", "published_at", "signatory")
    list_filter = ("section",)
