"""Reads of claims registers, confirmations and disputes."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Exists, OuterRef, Q, QuerySet

from winddown.claims.models import (
    ClaimEntry,
    Confirmation,
    Dispute,
    DisputeStatus,
    RegisterImport,
    RegisterVersion,
    VersionStatus,
)

if TYPE_CHECKING:
    from winddown.identity.models import Lender
    from winddown.institutions.models import Institution


@dataclass(frozen=True)
class LenderClaim:
    """What a lender sees for one institution under 我的."""

    entry: ClaimEntry
    institution: Institution
    confirmation: Confirmation | None  # live confirmation, if any
    voided_confirmation: Confirmation | None  # the latest voided one, to explain why
    open_dispute: Dispute | None

    @property
    def confirmed(self) -> bool:
        return self.confirmation is not None


def active_register(institution: Institution) -> RegisterVersion | None:
    return RegisterVersion.objects.filter(
        institution=institution, status=VersionStatus.ACTIVE
    ).first()


def diff_querysets(version: RegisterVersion, base: RegisterVersion | None) -> dict:
    """Rows added, removed and with changed amounts, as querysets over ClaimEntry."""
    new = ClaimEntry.objects.filter(version=version)
    if base is None:
        return {
            "added": new,
            "removed": ClaimEntry.objects.none(),
            "changed": ClaimEntry.objects.none(),
        }
    old = ClaimEntry.objects.filter(version=base)
    in_old = old.filter(id_index=OuterRef("id_index"))
    in_new = new.filter(id_index=OuterRef("id_index"))
    amounts_differ = in_old.exclude(
        principal_fen=OuterRef("principal_fen"), interest_fen=OuterRef("interest_fen")
    )
    return {
        "added": new.exclude(Exists(in_old)),
        "removed": old.exclude(Exists(in_new)),
        "changed": new.filter(Exists(amounts_differ)),
    }


def positive_entries(version: RegisterVersion) -> QuerySet[ClaimEntry]:
    """The rows that make up an electorate: lenders with outstanding principal above zero."""
    return ClaimEntry.objects.filter(version=version, principal_fen__gt=0)


def lender_claims(lender: Lender) -> list[LenderClaim]:
    """Every institution where the verified lender has a row in the active register.
    Three indexed queries whatever the size of the registers."""
    if not lender.is_verified or not lender.id_index:
        return []
    entries = list(
        ClaimEntry.objects.select_related("version__institution")
        .filter(id_index=lender.id_index, version__status=VersionStatus.ACTIVE)
        .order_by("version__institution__short_name")
    )
    institution_ids = [entry.version.institution_id for entry in entries]
    confirmations: dict[int, Confirmation] = {}
    voided: dict[int, Confirmation] = {}
    for confirmation in Confirmation.objects.filter(
        lender=lender, institution_id__in=institution_ids
    ).order_by("confirmed_at"):
        target = voided if confirmation.voided_at else confirmations
        target[confirmation.institution_id] = confirmation
    disputes = {
        dispute.institution_id: dispute
        for dispute in Dispute.objects.filter(
            lender=lender, institution_id__in=institution_ids, status=DisputeStatus.OPEN
        )
    }
    return [
        LenderClaim(
            entry=entry,
            institution=entry.version.institution,
            confirmation=confirmations.get(entry.version.institution_id),
            voided_confirmation=None
            if entry.version.institution_id in confirmations
            else voided.get(entry.version.institution_id),
            open_dispute=disputes.get(entry.version.institution_id),
        )
        for entry in entries
    ]


def lender_claim(lender: Lender, institution_id: int) -> LenderClaim | None:
    for claim in lender_claims(lender):
        if claim.institution.pk == institution_id:
            return claim
    return None


def lender_disputes(lender: Lender) -> QuerySet[Dispute]:
    return Dispute.objects.filter(lender=lender).select_related("institution", "corrected_version")


def institution_versions(institution: Institution) -> QuerySet[RegisterVersion]:
    return RegisterVersion.objects.filter(institution=institution).select_related(
        "created_by", "activated_by"
    )


def institution_imports(institution: Institution, limit: int = 20) -> QuerySet[RegisterImport]:
    return RegisterImport.objects.filter(institution=institution).select_related("version")[:limit]


def version_entries(version: RegisterVersion) -> QuerySet[ClaimEntry]:
    return ClaimEntry.objects.filter(version=version).order_by("row_number")


@dataclass(frozen=True)
class DiffRow:
    entry: ClaimEntry | None  # row in the new version (None when removed)
    base: ClaimEntry | None  # row in the base version (None when added)


def version_diff(
    version: RegisterVersion, kind: str, *, limit: int = 50, offset: int = 0
) -> list[DiffRow]:
    """One page of the diff of `version` against its base: added, removed or changed."""
    base = version.diff_base  # kept current for pending versions by version_diff_refresh
    querysets = diff_querysets(version, base)
    page = list(querysets[kind].order_by("row_number")[offset : offset + limit])
    if kind == "added":
        return [DiffRow(entry=e, base=None) for e in page]
    if kind == "removed":
        return [DiffRow(entry=None, base=e) for e in page]
    olds = {
        e.id_index: e
        for e in ClaimEntry.objects.filter(version=base, id_index__in=[e.id_index for e in page])
    }
    return [DiffRow(entry=e, base=olds.get(e.id_index)) for e in page]


def dispute_queue(
    institution: Institution, status: str | None = DisputeStatus.OPEN
) -> QuerySet[Dispute]:
    disputes = Dispute.objects.filter(institution=institution).select_related("lender", "version")
    return disputes.filter(status=status) if status else disputes


def institutions_owing(id_index: str) -> QuerySet:
    """The ids of the institutions whose active register lists the identity with principal
    outstanding (a values() queryset, to use as a subquery)."""
    return ClaimEntry.objects.filter(
        id_index=id_index, version__status=VersionStatus.ACTIVE, principal_fen__gt=0
    ).values("version__institution_id")


def is_listed(id_index: str, *, version_id: int | None, institution_id: int) -> bool:
    """Whether the identity has a row in register version `version_id` or in the
    institution's active register (whatever its amounts)."""
    return (
        ClaimEntry.objects.filter(id_index=id_index)
        .filter(
            Q(version_id=version_id)
            | Q(version__institution_id=institution_id, version__status=VersionStatus.ACTIVE)
        )
        .exists()
    )


def entries_by_identity(version_id: int, id_indexes: list[str]) -> dict[str, ClaimEntry]:
    """The rows of one version for these identities, by blind index."""
    rows = ClaimEntry.objects.filter(version_id=version_id, id_index__in=id_indexes)
    return {entry.id_index: entry for entry in rows}


def register_columns() -> tuple[list[str], list[str]]:
    """The register template's required and optional column names (for the upload form)."""
    from winddown.claims.importers import OPTIONAL_COLUMNS, REQUIRED_COLUMNS

    return list(REQUIRED_COLUMNS), list(OPTIONAL_COLUMNS)


def active_register_phones(institution_id: int) -> Iterator[str]:
    """The mobile numbers of the lenders in the institution's active register, each once
    (decrypted, for the announcements an institution owes its lenders: the exit decision
    of 001 (十四) "通过…移动电话等方式向出借人…公示告知"). Never for display."""
    version = RegisterVersion.objects.filter(
        institution_id=institution_id, status=VersionStatus.ACTIVE
    ).first()
    if version is None:
        return
    seen: set[str] = set()
    rows = ClaimEntry.objects.filter(version=version).only("phone_enc", "phone_index")
    for entry in rows.order_by("row_number").iterator(chunk_size=1000):
        if entry.phone_index in seen:
            continue
        seen.add(entry.phone_index)
        yield entry.phone.value


def active_register_amounts(institution: Institution) -> dict[str, tuple[str, int, int]]:
    """The active register's amounts per lender, keyed by the ID-number blind index:
    {id_index: (name, principal_fen, interest_fen)} (empty without an active register).
    For the loan ledger's reconciliation (issue 17 item 6)."""
    version = active_register(institution)
    if version is None:
        return {}
    rows = ClaimEntry.objects.filter(version=version).values_list(
        "id_index", "name", "principal_fen", "interest_fen"
    )
    return {index: (name, principal, interest) for index, name, principal, interest in rows}


def active_register_phones_by_lender(institution: Institution) -> dict[str, str]:
    """The active register's mobile numbers per lender ({id_index: phone}), decrypted: for
    a register version generated from the loan ledger, whose files carry no phone numbers."""
    version = active_register(institution)
    if version is None:
        return {}
    return {
        entry.id_index: entry.phone.value
        for entry in ClaimEntry.objects.filter(version=version).only("id_index", "phone_enc")
    }
