"""Identity and liveness checks (manual 一): the `identity` provider kind, chosen by
settings.IDENTITY_PROVIDER. `dev` works offline (every well-formed identity passes; liveness
happens on a local page), `http` goes through the gateway (`http.py`)."""

from winddown.core.providers import ProviderError, provider, register_provider
from winddown.identity.providers.base import IdentityVerifier


def _http() -> IdentityVerifier:
    from winddown.core.providers.gateway import gateway_from_settings
    from winddown.identity.providers.http import HttpIdentityVerifier

    return HttpIdentityVerifier(gateway_from_settings())


def _dev() -> IdentityVerifier:
    from winddown.identity.providers.dev import DevIdentityVerifier

    return DevIdentityVerifier()


register_provider(
    "identity", setting="IDENTITY_PROVIDER", implementations={"dev": _dev, "http": _http}
)


def identity_verifier() -> IdentityVerifier:
    return provider("identity")


__all__ = ["ProviderError", "identity_verifier"]
