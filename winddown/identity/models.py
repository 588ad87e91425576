from django.conf import settings
from django.db import models

from winddown.pii import purposes
from winddown.pii.fields import EncryptedField
from winddown.pii.idnumbers import IdDocument, IdType
from winddown.pii.masking import mask_id_number, mask_phone


def resident_id_index_value(_lender, number: str) -> str:
    """Lenders verify with a resident identity card: the index is the one register rows of
    that card carry, so a lender and their rows share it."""
    return IdDocument(IdType.RESIDENT_ID, number).index_value


class Lender(models.Model):
    """A lender's identity: mobile number, verified real name and ID, voting password.

    Verification has three steps recorded separately (manual 一): name + ID number checked by
    the identity provider, the platform agreement accepted, a liveness check passed.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="lender"
    )
    phone_enc = models.TextField()
    phone_index = models.CharField(max_length=32, unique=True)

    real_name = models.CharField("真实姓名", max_length=50, blank=True)
    id_number_enc = models.TextField(blank=True)
    # One person, one account: the unique blind index of the verified ID number.
    # NULL (not "") while unverified, so the unique constraint ignores unverified lenders.
    id_index = models.CharField(max_length=32, null=True, unique=True)  # noqa: DJ001
    identity_checked_at = models.DateTimeField(null=True)
    agreement_version = models.CharField(max_length=32, blank=True)
    agreement_accepted_at = models.DateTimeField(null=True)
    liveness_token = models.CharField(max_length=128, blank=True)
    liveness_passed_at = models.DateTimeField(null=True)

    voting_password_hash = models.CharField(max_length=200, blank=True)
    voting_password_set_at = models.DateTimeField(null=True)
    failed_password_attempts = models.PositiveSmallIntegerField(default=0)
    voting_locked_until = models.DateTimeField(null=True)

    created_at = models.DateTimeField(auto_now_add=True)

    phone = EncryptedField(
        purpose=purposes.PHONE, column="phone_enc", index="phone_index", mask=mask_phone
    )
    id_number = EncryptedField(
        purpose=purposes.ID_NUMBER,
        column="id_number_enc",
        index="id_index",
        mask=mask_id_number,
        index_value=resident_id_index_value,
    )

    class Meta:
        verbose_name = "出借人"
        verbose_name_plural = "出借人"

    def __str__(self) -> str:
        return f"出借人 {self.phone.masked}"

    @property
    def is_verified(self) -> bool:
        return bool(
            self.identity_checked_at and self.agreement_accepted_at and self.liveness_passed_at
        )

    @property
    def has_voting_password(self) -> bool:
        return bool(self.voting_password_hash)

    @property
    def next_step(self) -> str:
        """The first unfinished onboarding step: identity, liveness, password or done."""
        if not (self.identity_checked_at and self.agreement_accepted_at):
            return "identity"
        if not self.liveness_passed_at:
            return "liveness"
        if not self.voting_password_hash:
            return "password"
        return "done"


class SmsCode(models.Model):
    """A one-time sign-in code. Only a keyed hash is kept; each code is usable once."""

    phone_index = models.CharField(max_length=32)
    purpose = models.CharField(max_length=16, default="login")
    code_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    consumed_at = models.DateTimeField(null=True)
    source_ip = models.CharField(max_length=64, blank=True)

    class Meta:
        indexes = [models.Index(fields=["phone_index", "purpose", "created_at"])]

    def __str__(self) -> str:
        return f"SMS code #{self.pk}"
