"""The audit log in the staff console (oversight roles)."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.shortcuts import render

from winddown.accounts.permissions import staff_required
from winddown.accounts.roles import Role
from winddown.audit.selectors import log_entries
from winddown.core.params import id_param


@staff_required(Role.SYSADMIN, Role.WG_OFFICER, Role.ASSOCIATION_OFFICER)
def audit_log(request):
    entries = log_entries(institution_id=id_param(request.GET.get("institution"), label="机构"))
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    return render(request, "audit/audit.html", {"page": page})
