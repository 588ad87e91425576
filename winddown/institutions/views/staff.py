"""Staff console pages that maintain the register of institutions."""

from __future__ import annotations

from django.shortcuts import redirect, render

from winddown.accounts.permissions import staff_required
from winddown.accounts.roles import INSTITUTION_ADMIN_ROLES
from winddown.audit.services import actor_from_request
from winddown.core.errors import DomainError
from winddown.institutions import services as institution_services
from winddown.institutions.models import InstitutionStatus
from winddown.institutions.selectors import access_institution_by_id


def _institution_form_values(request) -> dict[str, str]:
    fields = (
        "full_name",
        "short_name",
        "credit_code",
        "registered_address",
        "business_address",
        "status",
    )
    return {field: request.POST.get(field, "") for field in fields}


@staff_required(*INSTITUTION_ADMIN_ROLES)
def institution_create(request):
    context = {
        "values": {"status": InstitutionStatus.OPERATING},
        "errors": {},
        "statuses": InstitutionStatus.choices,
        "creating": True,
    }
    if request.method == "POST":
        values = _institution_form_values(request)
        context["values"] = values
        try:
            institution = institution_services.institution_create(
                actor=actor_from_request(request), **values
            )
        except DomainError as exc:
            context["errors"] = {exc.field or "form": exc.message}
        else:
            return redirect("web:staff-institution", institution_id=institution.pk)
    return render(request, "institutions/institution_form.html", context)


@staff_required(*INSTITUTION_ADMIN_ROLES)
def institution_edit(request, institution_id: int):
    institution = access_institution_by_id(request.user, institution_id)
    context = {
        "values": institution.audit_snapshot(),
        "errors": {},
        "institution": institution,
        "statuses": InstitutionStatus.choices,
    }
    if request.method == "POST":
        values = _institution_form_values(request)
        context["values"] = values
        try:
            institution_services.institution_update(
                actor=actor_from_request(request), institution=institution, **values
            )
        except DomainError as exc:
            context["errors"] = {exc.field or "form": exc.message}
        else:
            return redirect("web:staff-institution", institution_id=institution.pk)
    return render(request, "institutions/institution_form.html", context)
