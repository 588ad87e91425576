"""Filings through the institution boundary (404 and an audited denial otherwise)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from winddown.institutions.access import access_by_id
from winddown.reporting.models import Filing, FilingVersion

if TYPE_CHECKING:
    from winddown.accounts.models import User


def access_filing_by_id(user: User, filing_id: int) -> Filing:
    return access_by_id(
        user,
        Filing.objects.select_related("institution"),
        filing_id,
        institution_path="institution",
        not_found="报送不存在或无权访问",
    )


def access_version_by_id(user: User, version_id: int) -> FilingVersion:
    return access_by_id(
        user,
        FilingVersion.objects.select_related("filing", "filing__institution"),
        version_id,
        institution_path="filing__institution",
        not_found="报送版本不存在或无权访问",
    )
