"""Trusted timestamps of audit checkpoints: a time-stamping authority (RFC 3161) signs that
a checkpoint's statement existed at a time, so whoever controls the database and the
platform's keys still cannot produce a checkpoint for an earlier day.

A provider kind (core/providers) with two implementations:
- `http`: an RFC 3161 authority at WINDDOWN_TSA_URL, whose certificate chain (PEM) is
  WINDDOWN_TSA_CERTIFICATES; requests and tokens are built and checked with rfc3161-client;
- `dev`: offline, for development and tests: an Ed25519 statement of time and digest under a
  key derived from the platform's own checkpoint key (so it proves nothing to an outsider;
  production refuses it).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Protocol

import httpx
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.conf import settings
from django.utils import timezone

from winddown.core.providers import ProviderError, provider, register_provider

KIND = "timestamp"


class TimestampInvalid(ValueError):
    """The token does not timestamp this statement (or is not the authority's)."""


@dataclass(frozen=True)
class Stamp:
    token: bytes
    at: datetime


class Timestamper(Protocol):
    name: str

    def stamp(self, message: bytes) -> Stamp: ...

    def verify(self, token: bytes, message: bytes) -> datetime: ...


class DevTimestamper:
    name = "dev"

    def _key(self) -> Ed25519PrivateKey:
        seed = hmac.new(settings.AUDIT_SIGNING_KEY.encode(), b"dev-tsa", hashlib.sha256)
        return Ed25519PrivateKey.from_private_bytes(seed.digest())

    def stamp(self, message: bytes) -> Stamp:
        at = timezone.now().astimezone(UTC).replace(microsecond=0)
        body = {"digest": hashlib.sha256(message).hexdigest(), "time": at.isoformat()}
        signed = json.dumps(body, sort_keys=True).encode()
        token = {**body, "signature": self._key().sign(signed).hex()}
        return Stamp(json.dumps(token, sort_keys=True).encode(), at)

    def verify(self, token: bytes, message: bytes) -> datetime:
        try:
            data = json.loads(token)
            body = {"digest": data["digest"], "time": data["time"]}
            self._key().public_key().verify(
                bytes.fromhex(data["signature"]), json.dumps(body, sort_keys=True).encode()
            )
        except (ValueError, KeyError, TypeError, InvalidSignature):
            raise TimestampInvalid("not a valid development timestamp") from None
        if body["digest"] != hashlib.sha256(message).hexdigest():
            raise TimestampInvalid("the timestamp is of another statement")
        return datetime.fromisoformat(body["time"])


class Rfc3161Timestamper:
    name = "http"

    def _certificates(self):
        from cryptography import x509

        if not settings.TSA_CERTIFICATES:
            raise ProviderError("时间戳服务未配置", detail="WINDDOWN_TSA_CERTIFICATES is empty")
        with open(settings.TSA_CERTIFICATES, "rb") as pem:
            return x509.load_pem_x509_certificates(pem.read())

    def _verifier(self, builder):
        chain = self._certificates()
        builder = builder.tsa_certificate(chain[0]).add_root_certificate(chain[-1])
        for intermediate in chain[1:-1]:
            builder = builder.add_intermediate_certificate(intermediate)
        return builder.build()

    def stamp(self, message: bytes) -> Stamp:
        from rfc3161_client import (
            TimestampRequestBuilder,
            VerificationError,
            VerifierBuilder,
            decode_timestamp_response,
        )

        request = TimestampRequestBuilder().data(message).nonce(nonce=True).build()
        try:
            answer = httpx.post(
                settings.TSA_URL,
                content=request.as_bytes(),
                headers={"Content-Type": "application/timestamp-query"},
                timeout=settings.PROVIDER_TIMEOUT_SECONDS,
            )
            answer.raise_for_status()
            response = decode_timestamp_response(answer.content)
            self._verifier(VerifierBuilder.from_request(request)).verify_message(response, message)
        except (httpx.HTTPError, ValueError, VerificationError) as exc:
            raise ProviderError(
                "时间戳服务暂不可用", detail=f"{type(exc).__name__}: {exc}", retryable=True
            ) from None
        return Stamp(answer.content, response.tst_info.gen_time)

    def verify(self, token: bytes, message: bytes) -> datetime:
        from rfc3161_client import VerificationError, VerifierBuilder, decode_timestamp_response

        try:
            response = decode_timestamp_response(token)
            self._verifier(VerifierBuilder()).verify_message(response, message)
        except (ValueError, VerificationError) as exc:
            raise TimestampInvalid(f"{type(exc).__name__}: {exc}") from None
        return response.tst_info.gen_time


IMPLEMENTATIONS = {"dev": DevTimestamper, "http": Rfc3161Timestamper}


def register() -> None:
    register_provider(KIND, setting="TIMESTAMP_PROVIDER", implementations=IMPLEMENTATIONS)


def timestamper() -> Timestamper:
    return provider(KIND)


def by_name(name: str) -> Timestamper:
    """The implementation that made a stored token (to check it later)."""
    return IMPLEMENTATIONS[name]()


def encode(token: bytes) -> str:
    return base64.b64encode(token).decode()


def decode(text: str) -> bytes:
    return base64.b64decode(text)
