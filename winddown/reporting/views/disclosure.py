"""Disclosure pages: the institution's publishing page (staff) and the public column, its
past versions and the association's index (anyone, no sign-in)."""

from __future__ import annotations

from datetime import datetime

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from winddown.accounts.permissions import staff_required
from winddown.accounts.roles import Role
from winddown.audit.services import actor_from_request
from winddown.core.errors import DomainError
from winddown.institutions.selectors import access_institution_by_id
from winddown.reporting import disclosure as services
from winddown.reporting import policies, selectors
from winddown.reporting.models import Disclosure, DisclosureSection, Filing

FORMS = {
    DisclosureSection.INSTITUTION: ("机构信息", None),
    DisclosureSection.COMPLAINTS: ("消费者咨询投诉渠道", services.COMPLAINT_ITEMS),
    DisclosureSection.EXIT: ("退出公告", services.EXIT_ITEMS),
    DisclosureSection.MAJOR_EVENTS: ("重大事项", services.MAJOR_EVENT_FIELDS),
}


def _lines(text: str) -> list[dict]:
    """ "名称：内容" per line."""
    out = []
    for line in text.splitlines():
        label, sep, value = line.partition("：") if "：" in line else line.partition(":")
        if line.strip():
            out.append({"label": label.strip(), "value": value.strip() if sep else ""})
    return out


@staff_required()
def manage(request, institution_id: int):
    institution = access_institution_by_id(request.user, institution_id)
    context = {
        "institution": institution,
        "column": selectors.disclosure_column(institution.pk),
        "can_publish": policies.can_file(request.user, institution.pk),
        "institution_items": services.institution_items(institution),
        "complaint_items": services.COMPLAINT_ITEMS,
        "exit_items": services.EXIT_ITEMS,
        "event_fields": services.MAJOR_EVENT_FIELDS,
        "operations_due": services.operations_due(institution.pk),
        "monthly": Filing.objects.filter(institution=institution, table="AH-05")
        .exclude(first_submitted_at=None)
        .order_by("-period")[:24],
    }
    return render(request, "reporting/staff/disclosure.html", context)


@require_POST
@staff_required(Role.OPERATOR)
def publish(request, institution_id: int):
    institution = access_institution_by_id(request.user, institution_id)
    section = request.POST.get("section", "")
    post = request.POST
    period = ""
    occurred_at = None
    try:
        if section == DisclosureSection.OPERATIONS:
            filing = Filing.objects.filter(
                institution=institution, table="AH-05", pk=post.get("filing") or 0
            ).first()
            if filing is None:
                raise DomainError(services.E.DISCLOSURE_EMPTY, field="filing", detail="请选择月份")
            items, period = services.operations_items(filing), filing.period
        elif section == DisclosureSection.INSTITUTION:
            items = services.institution_items(institution) + _lines(post.get("extra", ""))
        elif section == DisclosureSection.PROJECTS:
            items = _lines(post.get("extra", ""))
        else:
            labels = FORMS.get(section, ("", ()))[1] or ()
            items = [{"label": label, "value": post.get(f"item-{label}", "")} for label in labels]
            items = [i for i in items if i["value"].strip()] + _lines(post.get("extra", ""))
            if section == DisclosureSection.MAJOR_EVENTS and post.get("occurred_at"):
                try:
                    occurred_at = timezone.make_aware(datetime.fromisoformat(post["occurred_at"]))
                except ValueError:
                    raise DomainError(
                        services.E.DISCLOSURE_EMPTY, field="occurred_at",
                        detail="发生时间应写作 2026-09-30 14:00",
                    ) from None  # fmt: skip
        services.disclosure_publish(
            user=request.user,
            actor=actor_from_request(request),
            institution=institution,
            section=section,
            title=post.get("title", ""),
            items=items,
            signatory=post.get("signatory", ""),
            period=period,
            occurred_at=occurred_at,
        )
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("reporting:staff-disclosure", institution_id=institution.pk)
    messages.success(request, "已发布")
    return redirect("reporting:staff-disclosure", institution_id=institution.pk)


def public_index(request):
    return render(request, "reporting/public/index.html", {"rows": selectors.disclosure_index()})


def _column_institution(institution_id: int):
    column = selectors.disclosure_column(institution_id)
    if not column:
        raise Http404("该机构尚无信息披露")
    return column[0].institution, column


def public_column(request, institution_id: int):
    institution, column = _column_institution(institution_id)
    context = {
        "institution": institution,
        "column": [(d, services.is_late(d)) for d in column],
        "operations_due": services.operations_due(institution.pk),
    }
    return render(request, "reporting/public/column.html", context)


def public_versions(request, institution_id: int, section: str):
    institution, _column = _column_institution(institution_id)
    versions = list(selectors.disclosure_versions(institution_id, section))
    if not versions:
        raise Http404("该栏目尚无披露")
    context = {
        "institution": institution,
        "section": DisclosureSection(section).label,
        "versions": [(d, services.is_late(d)) for d in versions],
    }
    return render(request, "reporting/public/versions.html", context)


def public_version(request, disclosure_id: int):
    d = Disclosure.objects.select_related("institution").filter(pk=disclosure_id).first()
    if d is None:
        raise Http404("披露不存在")
    return render(
        request,
        "reporting/public/version.html",
        {"d": d, "late": services.is_late(d), "institution": d.institution},
    )
