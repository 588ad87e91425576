"""Fetch claims objects with the viewer's institution boundary built in: an operator of
institution A gets 404 for anything of institution B, exactly as if it did not exist."""

from django.http import Http404

from winddown.accounts.models import User
from winddown.claims.models import ClaimEntry, Dispute, RegisterImport, RegisterVersion
from winddown.institutions.selectors import record_denied, visible_institutions


def _visible(user: User):
    return visible_institutions(user).values("pk")


def access_version_by_id(user: User, version_id: int) -> RegisterVersion:
    version = (
        RegisterVersion.objects.select_related("institution", "diff_base")
        .filter(pk=version_id, institution__in=_visible(user))
        .first()
    )
    if version is None:
        record_denied(user, RegisterVersion, version_id, None)
        raise Http404("登记表版本不存在或无权访问")
    return version


def access_import_by_id(user: User, import_id: int) -> RegisterImport:
    job = (
        RegisterImport.objects.select_related("institution", "version")
        .filter(pk=import_id, institution__in=_visible(user))
        .first()
    )
    if job is None:
        record_denied(user, RegisterImport, import_id, None)
        raise Http404("上传记录不存在或无权访问")
    return job


def access_dispute_by_id(user: User, dispute_id: int) -> Dispute:
    dispute = (
        Dispute.objects.select_related("institution", "lender", "version", "corrected_version")
        .filter(pk=dispute_id, institution__in=_visible(user))
        .first()
    )
    if dispute is None:
        record_denied(user, Dispute, dispute_id, None)
        raise Http404("异议不存在或无权访问")
    return dispute


def access_entry_by_id(user: User, entry_id: int) -> ClaimEntry:
    entry = (
        ClaimEntry.objects.select_related("version__institution")
        .filter(pk=entry_id, version__institution__in=_visible(user))
        .first()
    )
    if entry is None:
        record_denied(user, ClaimEntry, entry_id, None)
        raise Http404("记录不存在或无权访问")
    return entry
