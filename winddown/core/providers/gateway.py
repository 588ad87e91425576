"""The platform's HTTP gateway: one vendor-operated service that fronts the outside world
(the SMS carrier, the public-security identity check, the liveness check, and the coming
payment and timestamping services). Every production provider talks to it through
`Gateway`; each provider's module documents its own endpoints. Over 500 lines because
the protocol below is the contract the client beneath it implements: they change together.

Wire protocol (version 1)
=========================

All calls go to ``PROVIDER_BASE_URL`` (``https://gw.example.com/winddown/v1``; paths below are
appended to it). Bodies are UTF-8 JSON objects (``Content-Type: application/json;
charset=utf-8``); replies must be JSON objects too, with a 2xx status.

Every request carries these headers::

    X-App-Id:     PROVIDER_APP_ID
    X-Timestamp:  unix time in whole seconds, e.g. 1767225600
    X-Nonce:      32 random hex characters, new on every attempt
    X-Request-Id: 32 hex characters naming the logical call; the SAME on every retry of it
    X-Signature:  lowercase hex HMAC-SHA256 over the canonical string, key PROVIDER_APP_SECRET

The canonical string joins five lines with ``\\n`` (no trailing newline)::

    METHOD                 upper case: POST or GET
    path_with_query        the request target exactly as sent on the request line, i.e. the
                           base URL's path plus the endpoint path, percent-encoded, with
                           ``?query`` when there is one: /winddown/v1/liveness/sessions/ab%2Fc
    timestamp              the X-Timestamp value
    nonce                  the X-Nonce value
    sha256_hex(body)       lowercase hex SHA-256 of the raw body bytes (of b"" for GET)

The gateway should reject (HTTP 401) a wrong app id or signature, a timestamp more than five
minutes off and a nonce it has seen within that window. It should de-duplicate by
``X-Request-Id``: a repeated id within 24 hours returns the first reply without sending a
second SMS or opening a second session (we retry after timeouts, when the first attempt may
have been carried out).

Status codes: 2xx success; 429 and 5xx are retried with exponential backoff and jitter
(``Retry-After`` in seconds or as an HTTP date is honoured, capped); any other status is final.
Connection failures and timeouts are retried too; ``PROVIDER_RETRIES`` is the number of
retries after the first attempt and no retry starts later than ``DEADLINE_SECONDS`` after the
first one.

Errors reach callers as `ProviderError`: ``message`` in Chinese for the lender, ``detail`` for
developers (status, attempts, time, request id, a scrubbed body excerpt). Phone and ID
numbers never appear in full in a detail or a log line (``winddown.pii.masking``).
"""

from __future__ import annotations

import email.utils
import hashlib
import hmac
import json as jsonlib
import logging
import math
import re
import secrets
import ssl
import time
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from typing import Any, TypeVar
from urllib.parse import urlsplit

import httpx
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from tenacity import (
    RetryCallState,
    Retrying,
    retry_if_exception_type,
    stop_after_attempt,
    stop_before_delay,
    wait_exponential_jitter,
)

from winddown.core.providers import ProviderError
from winddown.pii.masking import mask_id_number

logger = logging.getLogger("winddown.providers")

T = TypeVar("T")

# Defaults, read when a Gateway is built (tests shorten them).
BACKOFF_INITIAL_SECONDS = 0.2
BACKOFF_MAX_SECONDS = 2.0
RETRY_AFTER_MAX_SECONDS = 5.0
DEADLINE_SECONDS = 15.0
MAX_RESPONSE_BYTES = 64 * 1024
_EXCERPT_CHARS = 200
REASON_CHARS = 200

AUTH_REJECTED = "服务商拒绝了请求（签名或配置错误），请联系平台管理员"
CONFIG_ERROR = "服务商接口配置错误，请联系平台管理员"


def _unreachable(service: str) -> str:
    return f"{service}暂时无法连接，请稍后重试"


def _timed_out(service: str) -> str:
    return f"{service}响应超时，请稍后重试"


def _busy(service: str) -> str:
    return f"{service}当前繁忙，请稍后重试"


def _unavailable(service: str) -> str:
    return f"{service}暂时不可用，请稍后重试"


def _refused(service: str) -> str:
    return f"{service}未能受理该请求，请联系平台管理员"


def _unreadable(service: str) -> str:
    return f"{service}返回了无法识别的结果，请稍后重试"


# --- Signing and scrubbing -----------------------------------------------------------------


def canonical_string(method: str, path_with_query: str, timestamp: str, nonce: str, body: bytes):
    return "\n".join(
        [method.upper(), path_with_query, timestamp, nonce, hashlib.sha256(body).hexdigest()]
    )


def sign(secret: str, method: str, path_with_query: str, timestamp: str, nonce: str, body: bytes):
    message = canonical_string(method, path_with_query, timestamp, nonce, body)
    return hmac.new(secret.encode(), message.encode(), hashlib.sha256).hexdigest()


# Anything that looks like a mobile or ID number (11 to 18 digits, maybe ending in X).
_LONG_NUMBER = re.compile(r"(?<![0-9A-Za-z])\d{10,17}[0-9Xx](?![0-9A-Za-z])")


class Scrubber:
    """Replaces the call's personal values (and any long number) in text bound for logs."""

    def __init__(self, sensitive: Mapping[str, str] | None):
        # Longest first, so a value containing another is replaced whole.
        pairs = sorted((sensitive or {}).items(), key=lambda kv: -len(kv[0]))
        self._pairs = [(raw, masked) for raw, masked in pairs if raw]

    def __call__(self, text: str) -> str:
        for raw, masked in self._pairs:
            text = text.replace(raw, masked)
        return _LONG_NUMBER.sub(lambda m: mask_id_number(m.group()), text)


def _excerpt(content: bytes, scrub: Scrubber) -> str:
    text = content[: _EXCERPT_CHARS * 4].decode("utf-8", errors="replace")
    text = " ".join(text.split())[:_EXCERPT_CHARS]
    return scrub(text)


def _retry_after_seconds(value: str | None) -> float | None:
    """Retry-After as delta seconds or an HTTP date; None when absent or unreadable."""
    if not value:
        return None
    value = value.strip()
    try:
        seconds = float(value)
    except ValueError:
        try:
            when = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            return None
        if when.tzinfo is None:
            when = when.replace(tzinfo=UTC)
        seconds = (when - datetime.now(UTC)).total_seconds()
    if not math.isfinite(seconds):
        return None
    return max(0.0, seconds)


@cache
def _ssl_context() -> ssl.SSLContext:
    """httpx's default verification context, built once (loading the CA bundle is slow)."""
    return httpx.create_ssl_context()


# --- The gateway client --------------------------------------------------------------------


class InvalidReply(Exception):
    """Raised by a reply parser: the JSON lacks a field or has the wrong type."""


class _Transient(Exception):
    def __init__(
        self,
        kind: str,
        what: str,
        *,
        status: int | None = None,
        content: bytes = b"",
        retry_after: float | None = None,
    ):
        super().__init__(what)
        self.kind = kind  # "unreachable" | "timeout" | "busy" | "unavailable"
        self.what = what
        self.status = status
        self.content = content
        self.retry_after = retry_after


@dataclass
class _Call:
    method: str
    path: str
    request_id: str
    service: str
    scrub: Scrubber
    log_context: str
    started: float
    attempts: int = 0

    @property
    def elapsed_ms(self) -> int:
        return round((time.monotonic() - self.started) * 1000)

    def summary(self) -> str:
        return (
            f"{self.method} {self.scrub(self.path)}: {self.attempts} attempt(s) in "
            f"{self.elapsed_ms} ms, request {self.request_id}"
        )


class Gateway:
    """Signed JSON calls to the provider gateway, with timeouts and retries (thread-safe)."""

    def __init__(
        self,
        base_url: str,
        *,
        app_id: str,
        app_secret: str,
        timeout: float = 5.0,
        connect_timeout: float | None = None,
        retries: int = 3,
        backoff_initial: float | None = None,
        backoff_max: float | None = None,
        retry_after_max: float | None = None,
        deadline: float | None = None,
        transport: httpx.BaseTransport | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ):
        self.base_url = base_url.rstrip("/")
        self.app_id = app_id
        self._secret = app_secret
        self.retries = max(0, int(retries))
        self.backoff_initial = (
            BACKOFF_INITIAL_SECONDS if backoff_initial is None else backoff_initial
        )
        self.backoff_max = BACKOFF_MAX_SECONDS if backoff_max is None else backoff_max
        self.retry_after_max = (
            RETRY_AFTER_MAX_SECONDS if retry_after_max is None else retry_after_max
        )
        self.deadline = DEADLINE_SECONDS if deadline is None else deadline
        self._sleep = sleep
        self._backoff = wait_exponential_jitter(
            multiplier=self.backoff_initial, max=self.backoff_max, jitter=self.backoff_initial
        )
        self._client = httpx.Client(
            base_url=self.base_url,
            timeout=httpx.Timeout(timeout, connect=connect_timeout or timeout),
            follow_redirects=False,
            verify=_ssl_context(),
            transport=transport,
            headers={"Accept": "application/json", "User-Agent": "winddown-provider/1"},
        )

    def __repr__(self) -> str:
        return f"<Gateway {self.base_url} app {self.app_id}>"

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> Gateway:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # Public calls ----------------------------------------------------------------------

    def post(
        self,
        path: str,
        json: Mapping[str, Any],
        *,
        service: str = "服务商接口",
        sensitive: Mapping[str, str] | None = None,
        log_context: str = "",
        parse: Callable[[dict[str, Any]], T] | None = None,
        request_id: str | None = None,
    ) -> Any:
        """POST `json`; return the reply object, or `parse(reply)` when given."""
        body = jsonlib.dumps(json, ensure_ascii=False, separators=(",", ":")).encode()
        return self._call(
            "POST", path, body, None, service, sensitive, log_context, parse, request_id
        )

    def get(
        self,
        path: str,
        params: Mapping[str, str] | None = None,
        *,
        service: str = "服务商接口",
        sensitive: Mapping[str, str] | None = None,
        log_context: str = "",
        parse: Callable[[dict[str, Any]], T] | None = None,
        request_id: str | None = None,
    ) -> Any:
        """GET with query `params`; return the reply object, or `parse(reply)` when given."""
        return self._call(
            "GET", path, b"", params, service, sensitive, log_context, parse, request_id
        )

    # Internals -------------------------------------------------------------------------

    def _call(self, method, path, body, params, service, sensitive, log_context, parse, rid):
        call = _Call(
            method=method,
            path=path,
            request_id=rid or uuid.uuid4().hex,
            service=service,
            scrub=Scrubber(sensitive),
            log_context=log_context,
            started=time.monotonic(),
        )
        retrying = Retrying(
            stop=stop_after_attempt(self.retries + 1) | stop_before_delay(self.deadline),
            wait=self._wait,
            retry=retry_if_exception_type(_Transient),
            sleep=self._sleep,
            before_sleep=lambda state: self._log_retry(call, state),
            reraise=True,
        )
        try:
            status, content = retrying(self._attempt, call, body, params)
        except _Transient as exc:
            message = {
                "unreachable": _unreachable,
                "timeout": _timed_out,
                "busy": _busy,
                "unavailable": _unavailable,
            }[exc.kind](service)
            detail = f"{call.summary()}; last: {exc.what}"
            if exc.status is not None:
                detail += f"; body: {_excerpt(exc.content, call.scrub)!r}"
            raise self._failed(call, message, detail, retryable=True) from exc
        except httpx.HTTPError as exc:  # not a network fault: a bad URL, proxy or protocol
            detail = f"{call.summary()}; {type(exc).__name__}: {call.scrub(str(exc))}"
            raise self._failed(call, CONFIG_ERROR, detail) from exc

        if status in (401, 403):
            raise self._failed(call, AUTH_REJECTED, self._status_detail(call, status, content))
        if not 200 <= status < 300:
            message = _refused(service)
            raise self._failed(call, message, self._status_detail(call, status, content))
        try:
            data = jsonlib.loads(content.decode("utf-8"))  # UnicodeDecodeError is a ValueError
        except ValueError:
            detail = f"{self._status_detail(call, status, content)}; reply is not JSON"
            raise self._failed(call, _unreadable(service), detail) from None
        try:
            if not isinstance(data, dict):
                raise InvalidReply("reply is not a JSON object")
            result = parse(data) if parse is not None else data
        except InvalidReply as exc:
            detail = f"{self._status_detail(call, status, content)}; {exc}"
            raise self._failed(call, _unreadable(service), detail) from None
        except ProviderError as exc:  # the parser's own verdict (e.g. SMS refused)
            exc.detail = f"{self._status_detail(call, status, content)}; {exc.detail}"
            raise self._failed(call, exc.message, exc.detail, retryable=exc.retryable) from None
        logger.info(
            "%s %s ok: HTTP %d, %d attempt(s), %d ms, request %s%s",
            method,
            call.scrub(path),
            status,
            call.attempts,
            call.elapsed_ms,
            call.request_id,
            f", {log_context}" if log_context else "",
        )
        return result

    def _attempt(self, call: _Call, body: bytes, params) -> tuple[int, bytes]:
        call.attempts += 1
        headers = {"X-Request-Id": call.request_id}
        if call.method != "GET":
            headers["Content-Type"] = "application/json; charset=utf-8"
        request = self._client.build_request(
            call.method, call.path, content=body or None, params=params, headers=headers
        )
        timestamp = str(int(time.time()))
        nonce = secrets.token_hex(16)
        request.headers["X-App-Id"] = self.app_id
        request.headers["X-Timestamp"] = timestamp
        request.headers["X-Nonce"] = nonce
        request.headers["X-Signature"] = sign(
            self._secret,
            call.method,
            request.url.raw_path.decode("ascii"),
            timestamp,
            nonce,
            body,
        )
        try:
            response = self._client.send(request, stream=True)
            try:
                content = self._read(response)
            finally:
                response.close()
        except httpx.TimeoutException as exc:
            raise _Transient("timeout", f"{type(exc).__name__}: {exc}") from exc
        except (httpx.NetworkError, httpx.RemoteProtocolError) as exc:
            raise _Transient("unreachable", f"{type(exc).__name__}: {exc}") from exc
        status = response.status_code
        if status == 429 or status >= 500:
            raise _Transient(
                "busy" if status == 429 else "unavailable",
                f"HTTP {status}",
                status=status,
                content=content,
                retry_after=_retry_after_seconds(response.headers.get("Retry-After")),
            )
        return status, content

    @staticmethod
    def _read(response: httpx.Response) -> bytes:
        chunks: list[bytes] = []
        size = 0
        for chunk in response.iter_bytes():
            chunks.append(chunk)
            size += len(chunk)
            if size > MAX_RESPONSE_BYTES:  # a JSON reply is small; keep an excerpt only
                break
        return b"".join(chunks)

    def _wait(self, state: RetryCallState) -> float:
        exc = state.outcome.exception() if state.outcome else None
        if isinstance(exc, _Transient) and exc.retry_after is not None:
            return min(exc.retry_after, self.retry_after_max)
        return self._backoff(state)

    def _log_retry(self, call: _Call, state: RetryCallState) -> None:
        exc = state.outcome.exception() if state.outcome else None
        logger.warning(
            "%s %s attempt %d failed (%s), retrying in %.2f s, request %s",
            call.method,
            call.scrub(call.path),
            call.attempts,
            exc.what if isinstance(exc, _Transient) else exc,
            state.upcoming_sleep,
            call.request_id,
        )

    @staticmethod
    def _status_detail(call: _Call, status: int, content: bytes) -> str:
        return f"{call.summary()}; HTTP {status}; body: {_excerpt(content, call.scrub)!r}"

    @staticmethod
    def _failed(call: _Call, message: str, detail: str, *, retryable=False) -> ProviderError:
        logger.warning(
            "%s failed: %s%s",
            call.service,
            detail,
            f", {call.log_context}" if call.log_context else "",
        )
        return ProviderError(message, detail=detail, retryable=retryable)


def gateway_from_settings() -> Gateway:
    missing = [
        name
        for name in ("PROVIDER_BASE_URL", "PROVIDER_APP_ID", "PROVIDER_APP_SECRET")
        if not getattr(settings, name, "")
    ]
    if missing:
        raise ImproperlyConfigured(
            f"The http provider needs {', '.join(missing)} "
            "(environment WINDDOWN_PROVIDER_BASE_URL, _APP_ID, _APP_SECRET)."
        )
    base_url = settings.PROVIDER_BASE_URL
    parts = urlsplit(base_url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ImproperlyConfigured(f"PROVIDER_BASE_URL must be an http(s) URL, got {base_url!r}.")
    timeout = float(settings.PROVIDER_TIMEOUT_SECONDS)
    if not timeout > 0:
        raise ImproperlyConfigured("PROVIDER_TIMEOUT_SECONDS must be positive.")
    retries = int(settings.PROVIDER_RETRIES)
    if retries < 0:
        raise ImproperlyConfigured("PROVIDER_RETRIES must be 0 or more.")
    return Gateway(
        base_url,
        app_id=settings.PROVIDER_APP_ID,
        app_secret=settings.PROVIDER_APP_SECRET,
        timeout=timeout,
        retries=retries,
    )


# --- Reply fields --------------------------------------------------------------------------


def reply_text(data: dict[str, Any], key: str, *, required: bool = False, limit: int = 0) -> str:
    value = data.get(key)
    if value is None and not required:
        return ""
    if not isinstance(value, str) or (required and not value.strip()):
        raise InvalidReply(f"field {key!r} missing or not a non-empty string")
    value = value.strip()
    return value[:limit] if limit else value
