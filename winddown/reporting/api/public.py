"""The public disclosure column over the API (anyone, no token): the association's index
of institutions, each institution's column and every past version."""

from __future__ import annotations

from datetime import date, datetime

from django.http import Http404
from ninja import Router, Schema

from winddown.api.schemas import DetailOut, ValidationErrorOut
from winddown.core.params import ApiId
from winddown.reporting import disclosure, selectors
from winddown.reporting.models import Disclosure, DisclosureSection

public_router = Router(tags=["信息披露（公开）"])


class DisclosureItemOut(Schema):
    item: str
    label: str
    value: str


class DisclosureOut(Schema):
    id: int
    institution_id: int
    section: str
    section_name: str
    number: int
    title: str
    items: list[DisclosureItemOut]
    period: str
    occurred_at: datetime | None
    published_at: datetime
    late: bool
    signatory: str
    retain_until: date


class DisclosureInstitutionOut(Schema):
    id: int
    short_name: str
    full_name: str
    last_published_at: datetime | None


def disclosure_out(d: Disclosure) -> dict:
    return {
        "id": d.pk,
        "institution_id": d.institution_id,
        "section": d.section,
        "section_name": d.get_section_display(),
        "number": d.number,
        "title": d.title,
        "items": d.content,
        "period": d.period,
        "occurred_at": d.occurred_at,
        "published_at": d.published_at,
        "late": disclosure.is_late(d),
        "signatory": d.signatory,
        "retain_until": d.retain_until,
    }


@public_router.get(
    "/institutions", response=list[DisclosureInstitutionOut], summary="信息披露机构索引"
)
def index(request):
    return [
        {"id": r["id"], "short_name": r["short_name"], "full_name": r["full_name"],
         "last_published_at": r["last"]}
        for r in selectors.disclosure_index()
    ]  # fmt: skip


@public_router.get(
    "/institutions/{institution_id}",
    response={200: list[DisclosureOut], 404: DetailOut, 422: ValidationErrorOut},
    summary="机构信息披露专栏（各栏目最新版本）",
)
def column(request, institution_id: ApiId):
    found = selectors.disclosure_column(institution_id)
    if not found:
        raise Http404("该机构尚无信息披露")
    return [disclosure_out(d) for d in found]


@public_router.get(
    "/institutions/{institution_id}/{section}",
    response={200: list[DisclosureOut], 404: DetailOut, 422: ValidationErrorOut},
    summary="某栏目的全部历史版本",
)
def versions(request, institution_id: ApiId, section: str):
    if section not in DisclosureSection.values:
        raise Http404("栏目不存在")
    found = list(selectors.disclosure_versions(institution_id, section)[:500])
    if not found:
        raise Http404("该栏目尚无披露")
    return [disclosure_out(d) for d in found]
