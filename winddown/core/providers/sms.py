"""SMS, for every domain: sign-in codes and notices to lenders.

`sms_sender()` is the configured implementation (settings.SMS_PROVIDER): `dev` works offline
(messages go to the server log and to `OUTBOX`, where tests and the development sign-in
page read them), `http` sends through the platform's gateway (`core.providers.gateway`):

``POST /sms/send``
    ``{"phone": "13800138000", "template": "login_code", "params": {"code": "123456",
    "ttl_minutes": "5"}}`` → ``{"ok": true, "message_id": "<str>"}``.
    ``template`` is either the registered template code ``login_code`` (the sign-in code,
    params ``code`` and ``ttl_minutes``) or, for notices, the literal message text with
    ``{name}`` placeholders filled from ``params`` (every param value is a string).
    ``{"ok": false, "reason": "<Chinese text shown to the user>"}`` reports a send the
    carrier refused (e.g. the number is out of service).
"""

from __future__ import annotations

import logging
from collections import deque
from dataclasses import dataclass
from typing import Any, Protocol

from winddown.core.providers import ProviderError, provider, register_provider
from winddown.core.providers.gateway import (
    REASON_CHARS,
    Gateway,
    InvalidReply,
    Scrubber,
    gateway_from_settings,
)
from winddown.pii.masking import mask_phone

logger = logging.getLogger("winddown.sms")
SMS_SERVICE = "短信服务"


class SmsSender(Protocol):
    def send_code(self, *, phone: str, code: str, ttl_minutes: int) -> None: ...

    def send_notice(self, *, phone: str, template: str, params: dict[str, str]) -> None: ...


def sms_sender() -> SmsSender:
    return provider("sms")


# --- Offline (development, demo, tests) ----------------------------------------------------


@dataclass(frozen=True)
class SentMessage:
    phone: str
    text: str
    code: str = ""


OUTBOX: deque[SentMessage] = deque(maxlen=1000)


def last_code_for(phone: str) -> str | None:
    for message in reversed(OUTBOX):
        if message.phone == phone and message.code:
            return message.code
    return None


class DevSmsSender:
    def send_code(self, *, phone: str, code: str, ttl_minutes: int) -> None:
        text = f"【网贷退出投票】您的验证码为 {code}，{ttl_minutes} 分钟内有效。"
        OUTBOX.append(SentMessage(phone=phone, text=text, code=code))
        logger.info("DEV SMS to %s: %s", phone, text)

    def send_notice(self, *, phone: str, template: str, params: dict[str, str]) -> None:
        text = template.format(**params)
        OUTBOX.append(SentMessage(phone=phone, text=text))
        logger.info("DEV SMS to %s: %s", phone, text)


# --- Through the gateway (production) ------------------------------------------------------


class HttpSmsSender:
    def __init__(self, gateway: Gateway):
        self.gateway = gateway

    def send_code(self, *, phone: str, code: str, ttl_minutes: int) -> None:
        self._send(
            phone=phone,
            template="login_code",
            params={"code": code, "ttl_minutes": str(ttl_minutes)},
            secrets_={code: "******"},
            label="login_code",
        )

    def send_notice(self, *, phone: str, template: str, params: dict[str, str]) -> None:
        params = {key: str(value) for key, value in params.items()}
        try:
            template.format(**params)
        except (KeyError, IndexError, ValueError) as exc:
            raise ProviderError(
                "短信内容模板有误，请联系平台管理员",
                detail=f"notice template does not format with params {sorted(params)}: {exc!r}",
            ) from None
        self._send(phone=phone, template=template, params=params, label="notice")

    def _send(self, *, phone, template, params, label, secrets_=None) -> None:
        masked = mask_phone(phone)
        scrub = Scrubber({phone: masked, **(secrets_ or {})})

        def parse(data: dict[str, Any]) -> str:
            if data.get("ok") is not True:
                if data.get("ok") is not False:
                    raise InvalidReply("field 'ok' missing or not a boolean")
                reason = data.get("reason")
                reason = scrub(reason.strip())[:REASON_CHARS] if isinstance(reason, str) else ""
                raise ProviderError(
                    reason or "短信服务未能发送短信，请稍后重试",
                    detail=f"gateway refused the SMS: {reason!r}",
                )
            message_id = data.get("message_id")
            if isinstance(message_id, bool) or not isinstance(message_id, str | int):
                raise InvalidReply("field 'message_id' missing")
            if not str(message_id).strip():
                raise InvalidReply("field 'message_id' is empty")
            return str(message_id)

        self.gateway.post(
            "/sms/send",
            {"phone": phone, "template": template, "params": params},
            service=SMS_SERVICE,
            sensitive={phone: masked, **(secrets_ or {})},
            log_context=f"phone={masked} template={label}",
            parse=parse,
        )


register_provider(
    "sms",
    setting="SMS_PROVIDER",
    implementations={"dev": DevSmsSender, "http": lambda: HttpSmsSender(gateway_from_settings())},
)
