"""The audit log in the staff console (oversight roles)."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.shortcuts import render

from winddown.accounts.permissions import staff_required
from winddown.accounts.roles import Role
from winddown.audit.models import AuditEntry


@staff_required(Role.SYSADMIN, Role.WG_OFFICER, Role.ASSOCIATION_OFFICER)
def audit_log(request):
    entries = AuditEntry.objects.order_by("-seq")
    institution_id = request.GET.get("institution")
    if institution_id and institution_id.isdigit():
        entries = entries.filter(institution_id=int(institution_id))
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    return render(request, "audit/audit.html", {"page": page})
