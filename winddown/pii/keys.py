"""The process-wide keyring, built once from settings (rebuilt when tests override them)."""

from functools import cache

from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver

from winddown.pii.crypto import Keyring
from winddown.pii.purposes import ATTACHMENT_FILE, ID_NUMBER, PHONE, REGISTER_FILE

__all__ = ["ATTACHMENT_FILE", "ID_NUMBER", "PHONE", "REGISTER_FILE", "keyring"]


@cache
def keyring() -> Keyring:
    return Keyring.from_specs(settings.PII_ENCRYPTION_KEYS, settings.PII_INDEX_KEY)


@receiver(setting_changed)
def _reset_keyring(*, setting: str, **_: object) -> None:
    if setting in {"PII_ENCRYPTION_KEYS", "PII_INDEX_KEY"}:
        keyring.cache_clear()
