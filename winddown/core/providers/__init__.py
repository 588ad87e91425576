"""Providers for the outside world (SMS, identity and liveness checks, and later payments
and timestamping), all on one base:

- each kind of provider is a small `Protocol` in the module that owns it
  (`core.providers.sms`, `identity.providers`), with an offline implementation (`dev`: for
  development, the demo and tests) and a production one (`http`: through the platform's
  gateway, `core.providers.gateway`);
- each kind is registered once with the setting that chooses its implementation
  (`register_provider`), and `provider(kind)` builds the chosen one once per process
  (again when a test changes the setting);
- whatever goes wrong outside raises `ProviderError`, with a Chinese message for the person
  and a detail for the logs.

Production refuses the `dev` implementations (settings.py): they show sign-in codes on the
page and pass every check.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.signals import setting_changed
from django.dispatch import receiver


class ProviderError(Exception):
    """The outside service failed. `message` is Chinese for the user; `detail` is for logs."""

    def __init__(self, message: str, *, detail: str = "", retryable: bool = False):
        super().__init__(message)
        self.message = message
        self.detail = detail
        self.retryable = retryable


@dataclass(frozen=True)
class _Kind:
    setting: str
    implementations: dict[str, Callable[[], Any]]


_KINDS: dict[str, _Kind] = {}
_BUILT: dict[str, Any] = {}


def register_provider(
    kind: str, *, setting: str, implementations: dict[str, Callable[[], Any]]
) -> None:
    """`implementations`: name (the setting's value) → a callable building the provider."""
    _KINDS[kind] = _Kind(setting, dict(implementations))
    _BUILT.pop(kind, None)


def provider(kind: str) -> Any:
    """The configured provider of `kind`, built on first use."""
    if kind not in _BUILT:
        spec = _KINDS[kind]
        choice = getattr(settings, spec.setting)
        factory = spec.implementations.get(choice)
        if factory is None:
            names = " or ".join(repr(name) for name in spec.implementations)
            raise ImproperlyConfigured(f"unknown {spec.setting} {choice!r} (use {names})")
        _BUILT[kind] = factory()
    return _BUILT[kind]


def built(kind: str) -> Any | None:
    """The provider of `kind` if this process has built it (to close its connections)."""
    return _BUILT.get(kind)


@receiver(setting_changed)
def _rebuild_on_change(*, setting: str, **_: object) -> None:
    if setting.startswith("PROVIDER_") or any(s.setting == setting for s in _KINDS.values()):
        _BUILT.clear()
