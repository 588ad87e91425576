"""Reads of the loan ledger, for its pages and for other apps."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet

from winddown.ledger.models import LedgerImport, LedgerVersion, VersionStatus

if TYPE_CHECKING:
    from winddown.institutions.models import Institution


def active_ledger(institution: Institution | int) -> LedgerVersion | None:
    institution_id = getattr(institution, "pk", institution)
    return LedgerVersion.objects.filter(
        institution_id=institution_id, status=VersionStatus.ACTIVE
    ).first()


def ledger_versions(institution: Institution) -> QuerySet[LedgerVersion]:
    return LedgerVersion.objects.filter(institution=institution).order_by("-number")


def ledger_imports(institution: Institution, limit: int = 20) -> list[LedgerImport]:
    return list(
        LedgerImport.objects.filter(institution=institution).order_by("-created_at")[:limit]
    )
