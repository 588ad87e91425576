"""Key rotation covers every registered column and private file: after the README's steps
(new key first, `rotate_pii_keys`, old key removed) lenders, register rows, confirmations,
dispute evidence, sign-ups with their photos and résumés, and electorates all read and
match as before."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from winddown.accounts.roles import Role
from winddown.audit.actions import PlatformAction
from winddown.audit.models import AuditEntry
from winddown.claims import selectors as claims_selectors
from winddown.claims.models import ClaimEntry
from winddown.claims.services import claim_confirm, dispute_raise
from winddown.conftest import (
    make_lender,
    make_staff,
    register_file,
    staff_signed_in,
    upload_and_activate,
)
from winddown.demo.generators import register_rows
from winddown.identity.models import Lender, SmsCode
from winddown.identity.services import login_code_send
from winddown.pii.crypto import generate_key
from winddown.voting import selectors as voting_selectors
from winddown.voting.models import Elector, SignUp
from winddown.voting.tests.conftest import (
    ME,
    PASSWORD,
    SIGNUP_PHOTO,
    SIGNUP_RESUME,
    close_now,
    make_event,
    open_now,
    sign_up,
)

pytestmark = pytest.mark.django_db
PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(200))


@pytest.fixture
def officer(db):
    return make_staff("wg_rotation", Role.WG_OFFICER)


@pytest.fixture
def lenders(tmp_path, institution_a, operator_a):
    rows = list(register_rows(6, seed=77))
    for row in rows:
        row[4] = "100.00"
    upload_and_activate(institution_a, operator_a, register_file(tmp_path, rows))
    return [
        make_lender(row[3], name=row[0], id_number=row[2], password=PASSWORD) for row in rows[:5]
    ]


@pytest.fixture
def world(institution_a, operator_a, officer, lenders):
    """A confirmation, a dispute with evidence, a closed recruitment with one sign-up, and a
    pending sign-in code."""
    claim_confirm(lender=lenders[1], institution=institution_a, actor=ME)
    dispute = dispute_raise(
        lender=lenders[0],
        institution=institution_a,
        reason="本金应为 120 元",
        attachment=SimpleUploadedFile("a.png", PNG),
        actor=ME,
    )
    recruitment = open_now(make_event(institution_a, operator_a, kind="recruitment"), officer)
    signup = sign_up(recruitment, lenders[0])
    close_now(recruitment)
    login_code_send(phone_raw=lenders[2].phone.value, actor=ME)
    return {"dispute": dispute, "signup": signup, "recruitment": recruitment}


def rotate(settings, *, index_key: bool = True) -> None:
    """README steps 2–3: the new key goes first, the rotation runs, the old key goes."""
    settings.PII_ENCRYPTION_KEYS = f"rot2:{generate_key()},{settings.PII_ENCRYPTION_KEYS}"
    if index_key:
        settings.PII_INDEX_KEY = generate_key()
    call_command("rotate_pii_keys", stdout=io.StringIO())
    settings.PII_ENCRYPTION_KEYS = settings.PII_ENCRYPTION_KEYS.split(",")[0]


def test_everything_registered_reads_and_matches_under_the_new_keys_only(
    settings, world, lenders, officer
):
    rotate(settings)

    lender = Lender.objects.get(pk=lenders[0].pk)
    assert lender.phone_enc.startswith("rot2$") and lender.id_number_enc.startswith("rot2$")
    assert Lender.objects.get(phone_index=Lender.phone.index(lender.phone.value)).pk == lender.pk
    assert all(e.phone_enc.startswith("rot2$") for e in ClaimEntry.objects.all())
    # Lender and register rows still share the (new) index: the claims are found.
    assert [c.entry.principal_fen for c in claims_selectors.lender_claims(lender)] == [10000]
    assert claims_selectors.lender_claims(Lender.objects.get(pk=lenders[1].pk))[0].confirmed
    # The electorate's copies of the index follow: the lender still sees the recruitment.
    assert Elector.objects.filter(id_index=lender.id_index).exists()
    assert voting_selectors.lender_events(lender).filter(pk=world["recruitment"].pk).exists()

    dispute = world["dispute"]
    dispute.refresh_from_db()
    assert b"".join(dispute.evidence.chunks()) == PNG

    signup = SignUp.objects.get(pk=world["signup"].pk)
    assert signup.id_number.value == lender.id_number.value
    assert signup.phone.value == "13712345678"
    assert b"".join(signup.photo.chunks()) == SIGNUP_PHOTO
    assert b"".join(signup.resume.chunks()) == SIGNUP_RESUME
    page = staff_signed_in(officer).get(f"/staff/events/{world['recruitment'].pk}/signups/")
    assert page.status_code == 200 and "13712345678" in page.content.decode()

    # A pending sign-in code's hash covered the old index: it no longer works.
    assert not SmsCode.objects.filter(consumed_at__isnull=True).exists()

    entry = AuditEntry.objects.get(action=PlatformAction.PII_KEYS_ROTATED)
    assert entry.after["index_key_changed"] is True
    assert entry.after["rows"]["voting.signup"] == 1
    assert entry.after["rows"]["claims.claimentry"] == 6
    assert entry.after["files"] == {
        "cases.documentfile": 0,
        "cases.reportevidence": 0,
        "claims.registerimport": 0,
        "claims.dispute": 1,
        "voting.signup": 2,
    }
    assert entry.after["index_copies"]["voting.elector.id_index"] == 6
    assert entry.after["index_copies"]["claims.confirmation.id_index"] == 1


def test_the_index_key_does_not_change_while_a_vote_is_open(
    settings, lenders, institution_a, operator_a, officer
):
    open_now(make_event(institution_a, operator_a), officer)
    before = list(Lender.objects.order_by("pk").values_list("id_index", "phone_enc"))
    settings.PII_ENCRYPTION_KEYS = f"rot2:{generate_key()},{settings.PII_ENCRYPTION_KEYS}"
    settings.PII_INDEX_KEY = generate_key()
    with pytest.raises(CommandError, match="投票活动正在进行"):
        call_command("rotate_pii_keys")
    assert list(Lender.objects.order_by("pk").values_list("id_index", "phone_enc")) == before


def test_a_new_encryption_key_alone_may_be_rolled_in_during_a_vote(
    settings, lenders, institution_a, operator_a, officer
):
    event = open_now(make_event(institution_a, operator_a), officer)
    rotate(settings, index_key=False)
    lender = Lender.objects.get(pk=lenders[0].pk)
    assert lender.phone_enc.startswith("rot2$")
    assert voting_selectors.lender_events(lender).filter(pk=event.pk).exists()


def test_rotating_again_changes_nothing_readable(settings, world):
    rotate(settings)
    first = [(e.id_index, e.id_number.value) for e in ClaimEntry.objects.order_by("pk")]
    call_command("rotate_pii_keys", stdout=io.StringIO())
    assert [(e.id_index, e.id_number.value) for e in ClaimEntry.objects.order_by("pk")] == first
