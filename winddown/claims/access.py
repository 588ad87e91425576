"""Fetch claims objects with the viewer's institution boundary built in
(`institutions.access.access_by_id`): an operator of institution A gets 404 for anything of
institution B, exactly as if it did not exist."""

from __future__ import annotations

from typing import TYPE_CHECKING

from winddown.claims.models import ClaimEntry, Dispute, RegisterImport, RegisterVersion
from winddown.institutions.access import access_by_id

if TYPE_CHECKING:
    from winddown.accounts.models import User


def access_version_by_id(user: User, version_id: int) -> RegisterVersion:
    return access_by_id(
        user,
        RegisterVersion.objects.select_related("institution", "diff_base"),
        version_id,
        institution_path="institution",
        not_found="登记表版本不存在或无权访问",
    )


def access_import_by_id(user: User, import_id: int) -> RegisterImport:
    return access_by_id(
        user,
        RegisterImport.objects.select_related("institution", "version"),
        import_id,
        institution_path="institution",
        not_found="上传记录不存在或无权访问",
    )


def access_dispute_by_id(user: User, dispute_id: int) -> Dispute:
    return access_by_id(
        user,
        Dispute.objects.select_related("institution", "lender", "version", "corrected_version"),
        dispute_id,
        institution_path="institution",
        not_found="异议不存在或无权访问",
    )


def access_entry_by_id(user: User, entry_id: int) -> ClaimEntry:
    return access_by_id(
        user,
        ClaimEntry.objects.select_related("version__institution"),
        entry_id,
        institution_path="version__institution",
        not_found="记录不存在或无权访问",
    )
