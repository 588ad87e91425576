"""The audit log in the staff console (oversight roles)."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.shortcuts import render

from winddown.accounts.permissions import staff_required
from winddown.accounts.roles import Role
from winddown.audit.selectors import log_entries


@staff_required(Role.SYSADMIN, Role.WG_OFFICER, Role.ASSOCIATION_OFFICER)
def audit_log(request):
    institution_id = request.GET.get("institution", "")
    entries = log_entries(institution_id=int(institution_id) if institution_id.isdigit() else None)
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    return render(request, "audit/audit.html", {"page": page})
