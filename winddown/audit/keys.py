"""The audit log's keys, from the environment (never the database): the HMAC keys of the
chain ("kid:base64key[,kid:base64key...]", the first one keys new entries, the others
still verify older ones) and the Ed25519 key that signs checkpoints."""

from __future__ import annotations

import base64
from dataclasses import dataclass
from functools import cache

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver


def _decode(name: str, encoded: str) -> bytes:
    try:
        key = base64.urlsafe_b64decode(encoded.strip() + "=" * (-len(encoded.strip()) % 4))
    except ValueError as exc:
        raise ValueError(f"{name} is not valid base64") from exc
    if len(key) != 32:
        raise ValueError(f"{name} must be 32 bytes, got {len(key)}")
    return key


@dataclass(frozen=True)
class ChainKeys:
    primary_id: str
    keys: dict[str, bytes]

    def scheme(self) -> str:
        return f"hmac-sha256:{self.primary_id}"

    def for_scheme(self, scheme: str) -> bytes | None:
        """The key of an entry's scheme; None for an unknown key id."""
        return self.keys.get(scheme.removeprefix("hmac-sha256:"))


@cache
def chain_keys() -> ChainKeys:
    keys: dict[str, bytes] = {}
    for part in settings.AUDIT_KEYS.split(","):
        kid, sep, encoded = part.strip().partition(":")
        if not sep or not kid.isalnum() or kid in keys:
            raise ValueError("WINDDOWN_AUDIT_KEYS looks like 'kid:base64key[,kid:base64key]'")
        keys[kid] = _decode(f"audit key {kid!r}", encoded)
    return ChainKeys(next(iter(keys)), keys)


@cache
def signing_key() -> Ed25519PrivateKey:
    return Ed25519PrivateKey.from_private_bytes(
        _decode("WINDDOWN_AUDIT_SIGNING_KEY", settings.AUDIT_SIGNING_KEY)
    )


def public_key_hex() -> str:
    """The checkpoints' public key, as published (README, the public checkpoint page)."""
    return signing_key().public_key().public_bytes(Encoding.Raw, PublicFormat.Raw).hex()


def public_key(hex_key: str) -> Ed25519PublicKey:
    return Ed25519PublicKey.from_public_bytes(bytes.fromhex(hex_key))


@receiver(setting_changed)
def _reset(*, setting: str, **_: object) -> None:
    if setting in {"AUDIT_KEYS", "AUDIT_SIGNING_KEY"}:
        chain_keys.cache_clear()
        signing_key.cache_clear()
