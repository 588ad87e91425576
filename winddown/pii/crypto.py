"""Authenticated encryption at rest and keyed blind indexes for personal data.

Ciphertexts are text: ``<key id>$<base64(nonce || AES-256-GCM ciphertext+tag)>``. The key id
lets several keys coexist during a rotation: the first key of the ring encrypts, every key
decrypts. The ``purpose`` string (e.g. ``"id_number"``) is bound in as associated data so a
ciphertext copied into another column fails to decrypt instead of being misread.

Blind indexes are HMAC-SHA256 under a separate key, truncated to 128 bits (hex): equal values
give equal indexes, so unique constraints and lookups work without decrypting, while the
database alone reveals nothing about the value.
"""

from __future__ import annotations

import base64
import binascii
import hmac
import os
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

NONCE_BYTES = 12
INDEX_HEX_CHARS = 32
STREAM_CHUNK_BYTES = 1024 * 1024


class KeySpecError(ValueError):
    """A key specification is malformed."""


class DecryptionError(ValueError):
    """A ciphertext is corrupt, truncated, bound to another purpose or under an unknown key."""


def _decode_key(kid: str, encoded: str) -> bytes:
    try:
        key = base64.urlsafe_b64decode(encoded.strip() + "=" * (-len(encoded.strip()) % 4))
    except (binascii.Error, ValueError) as exc:
        raise KeySpecError(f"key {kid!r} is not valid base64") from exc
    if len(key) != 32:
        raise KeySpecError(f"key {kid!r} must be 32 bytes, got {len(key)}")
    return key


@dataclass(frozen=True)
class Keyring:
    """Encryption keys by id (the first is the primary) plus the blind-index key."""

    primary_id: str
    keys: dict[str, bytes]
    index_key: bytes

    @classmethod
    def from_specs(cls, encryption_keys: str, index_key: str) -> Keyring:
        """Parse ``"kid:base64,kid:base64"`` and a base64 index key."""
        keys: dict[str, bytes] = {}
        order: list[str] = []
        for part in encryption_keys.split(","):
            part = part.strip()
            if not part:
                continue
            kid, sep, encoded = part.partition(":")
            if not sep or not kid.isalnum():
                raise KeySpecError(
                    "encryption keys look like 'kid:base64key' with an alphanumeric kid"
                )
            if kid in keys:
                raise KeySpecError(f"key id {kid!r} appears twice")
            keys[kid] = _decode_key(kid, encoded)
            order.append(kid)
        if not order:
            raise KeySpecError("at least one encryption key is required")
        return cls(primary_id=order[0], keys=keys, index_key=_decode_key("index", index_key))

    @cached_property
    def _aeads(self) -> dict[str, AESGCM]:
        return {kid: AESGCM(key) for kid, key in self.keys.items()}

    def _aead(self, kid: str) -> AESGCM:
        try:
            return self._aeads[kid]
        except KeyError as exc:
            raise DecryptionError(f"unknown key id {kid!r}") from exc

    def encrypt(self, plaintext: str, *, purpose: str) -> str:
        nonce = os.urandom(NONCE_BYTES)
        sealed = self._aead(self.primary_id).encrypt(nonce, plaintext.encode(), purpose.encode())
        return f"{self.primary_id}${base64.b64encode(nonce + sealed).decode()}"

    def decrypt(self, token: str, *, purpose: str) -> str:
        kid, sep, body = token.partition("$")
        if not sep:
            raise DecryptionError("not a ciphertext")
        aead = self._aead(kid)
        try:
            raw = base64.b64decode(body, validate=True)
            plain = aead.decrypt(raw[:NONCE_BYTES], raw[NONCE_BYTES:], purpose.encode())
        except (binascii.Error, InvalidTag, ValueError) as exc:
            raise DecryptionError("ciphertext failed authentication") from exc
        return plain.decode()

    def key_id_of(self, token: str) -> str:
        return token.partition("$")[0]

    def blind_index(self, value: str, *, purpose: str) -> str:
        message = f"{purpose}\x00{value}".encode()
        return hmac.digest(self.index_key, message, "sha256").hex()[:INDEX_HEX_CHARS]

    # --- Files: chunked AES-GCM so large uploads never sit on disk in the clear ---------
    def encrypt_stream(self, chunks: Iterator[bytes], *, purpose: str) -> Iterator[bytes]:
        """Yield an encrypted stream: header line, then length-prefixed sealed chunks.

        Each chunk's associated data carries its index and whether it is the last one, so
        reordering, dropping or truncating chunks is detected on decryption.
        """
        aead = self._aead(self.primary_id)
        yield f"WDENC1 {self.primary_id}\n".encode()
        index = 0
        buffer = bytearray()
        for chunk in chunks:
            buffer.extend(chunk)
            while len(buffer) > STREAM_CHUNK_BYTES:
                head = bytes(buffer[:STREAM_CHUNK_BYTES])
                del buffer[:STREAM_CHUNK_BYTES]
                yield _seal_chunk(aead, head, purpose, index, last=False)
                index += 1
        yield _seal_chunk(aead, bytes(buffer), purpose, index, last=True)

    def decrypt_stream(self, stream, *, purpose: str) -> Iterator[bytes]:
        header = stream.readline()
        if not header.startswith(b"WDENC1 "):
            raise DecryptionError("not an encrypted file")
        aead = self._aead(header[7:].strip().decode())
        index = 0
        while True:
            size_bytes = stream.read(4)
            if len(size_bytes) < 4:
                raise DecryptionError("encrypted file is truncated")
            size = int.from_bytes(size_bytes, "big")
            sealed = stream.read(size)
            if len(sealed) < size:
                raise DecryptionError("encrypted file is truncated")
            for last in (False, True):
                try:
                    plain = aead.decrypt(
                        sealed[:NONCE_BYTES], sealed[NONCE_BYTES:], _chunk_aad(purpose, index, last)
                    )
                except InvalidTag:
                    continue
                yield plain
                if last:
                    return
                break
            else:
                raise DecryptionError(f"encrypted chunk {index} failed authentication")
            index += 1


def _chunk_aad(purpose: str, index: int, last: bool) -> bytes:
    return f"{purpose}\x00{index}\x00{int(last)}".encode()


def _seal_chunk(aead: AESGCM, data: bytes, purpose: str, index: int, *, last: bool) -> bytes:
    nonce = os.urandom(NONCE_BYTES)
    sealed = nonce + aead.encrypt(nonce, data, _chunk_aad(purpose, index, last))
    return len(sealed).to_bytes(4, "big") + sealed


def generate_key() -> str:
    """A new random 256-bit key, base64 (for `manage.py generate_pii_key`)."""
    return base64.urlsafe_b64encode(os.urandom(32)).decode()
