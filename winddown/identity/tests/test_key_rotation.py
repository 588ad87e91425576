"""Rotating the personal-data keys: everything stays readable and findable."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from winddown.audit.actions import PlatformAction
from winddown.audit.models import AuditEntry
from winddown.audit.services import Actor
from winddown.claims import selectors
from winddown.claims.models import ClaimEntry
from winddown.claims.services import confirm_claim, iter_decrypted_attachment, raise_dispute
from winddown.conftest import make_lender, register_file, upload_and_activate
from winddown.identity.models import Lender
from winddown.identity.services import phone_index
from winddown.pii.crypto import generate_key

pytestmark = pytest.mark.django_db
PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(200))


def test_rotation_of_encryption_and_index_keys(tmp_path, settings, institution_a, operator_a):
    rows = [
        ["王小金", "身份证", "110101198001010053", "13800138000", "100.00", "0", "1"],
        ["李四", "身份证", "440305199203150027", "13900139000", "5.00", "0", "1"],
    ]
    upload_and_activate(institution_a, operator_a, register_file(tmp_path, rows))
    lender = make_lender("13800138000", name="王小金", id_number="110101198001010053")
    confirm_claim(lender=lender, institution=institution_a, actor=Actor(None, "t"))
    dispute = raise_dispute(
        lender=lender,
        institution=institution_a,
        reason="本金应为 120 元",
        attachment=SimpleUploadedFile("a.png", PNG),
        actor=Actor(None, "t"),
    )
    old_keys = settings.PII_ENCRYPTION_KEYS
    settings.PII_ENCRYPTION_KEYS = f"rot2:{generate_key()},{old_keys}"
    settings.PII_INDEX_KEY = generate_key()
    call_command("rotate_pii_keys")
    # Only the new key is needed from now on.
    settings.PII_ENCRYPTION_KEYS = settings.PII_ENCRYPTION_KEYS.split(",")[0]
    lender = Lender.objects.get(pk=lender.pk)
    assert lender.phone == "13800138000" and lender.id_number == "110101198001010053"
    assert Lender.objects.get(phone_index=phone_index("13800138000")).pk == lender.pk
    assert all(entry.phone_enc.startswith("rot2$") for entry in ClaimEntry.objects.all())
    claims = selectors.lender_claims(lender)
    assert [c.entry.principal_fen for c in claims] == [10000]
    dispute.refresh_from_db()
    assert b"".join(iter_decrypted_attachment(dispute)) == PNG
    entry = AuditEntry.objects.get(action=PlatformAction.PII_KEYS_ROTATED)
    assert (
        entry.after["entries"] == 2
        and entry.after["lenders"] == 1
        and entry.after["attachments"] == 1
    )
