"""Providers for SMS and identity/liveness verification, chosen in settings.

`dev` works offline (codes go to the server log, every well-formed identity passes);
`http` talks to the production gateway (see `http.py`).
"""

from functools import cache

from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver

from winddown.identity.providers.base import IdentityVerifier, ProviderError, SmsSender

__all__ = ["ProviderError", "identity_verifier", "sms_sender"]


@cache
def sms_sender() -> SmsSender:
    if settings.SMS_PROVIDER == "http":
        from winddown.identity.providers.http import HttpSmsSender, gateway_from_settings

        return HttpSmsSender(gateway_from_settings())
    if settings.SMS_PROVIDER == "dev":
        from winddown.identity.providers.dev import DevSmsSender

        return DevSmsSender()
    raise ValueError(f"unknown SMS_PROVIDER {settings.SMS_PROVIDER!r} (use 'dev' or 'http')")


@cache
def identity_verifier() -> IdentityVerifier:
    if settings.IDENTITY_PROVIDER == "http":
        from winddown.identity.providers.http import HttpIdentityVerifier, gateway_from_settings

        return HttpIdentityVerifier(gateway_from_settings())
    if settings.IDENTITY_PROVIDER == "dev":
        from winddown.identity.providers.dev import DevIdentityVerifier

        return DevIdentityVerifier()
    raise ValueError(
        f"unknown IDENTITY_PROVIDER {settings.IDENTITY_PROVIDER!r} (use 'dev' or 'http')"
    )


@receiver(setting_changed)
def _reset_providers(*, setting: str, **_: object) -> None:
    if setting.startswith(("SMS_", "IDENTITY_", "PROVIDER_")):
        sms_sender.cache_clear()
        identity_verifier.cache_clear()
