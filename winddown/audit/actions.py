"""Audit event types: fixed constants with one Chinese label each, owned by their domains.

Each app declares its own `TextChoices` enum in `<app>/audit_actions.py` and registers it
from its AppConfig (`register_actions`), so a new domain adds its actions without touching
this app or its migrations (the `action` column has no choices). Values are namespaced
strings ("event.opened") and must be unique across the platform: registering a value twice
is refused at start-up. `record()` refuses an action nobody registered.
"""

from __future__ import annotations

from django.db import models


class PlatformAction(models.TextChoices):
    """Actions about the platform itself rather than one domain."""

    PII_REVEALED = "pii.revealed", "查看完整个人信息"
    ACCESS_DENIED = "access.denied", "越权访问被拒绝"
    PII_KEYS_ROTATED = "pii.keys_rotated", "轮换个人信息密钥"


_LABELS: dict[str, str] = {}
_OWNERS: dict[str, type[models.TextChoices]] = {}


def register_actions(actions: type[models.TextChoices]) -> None:
    """Make an app's actions known (idempotent for the same enum; all or nothing)."""
    for member in actions:
        owner = _OWNERS.get(member.value)
        if owner is not None and owner is not actions:
            raise ValueError(
                f"audit action {member.value!r} of {actions.__name__} is already "
                f"registered by {owner.__name__}"
            )
    for member in actions:
        _OWNERS[member.value] = actions
        _LABELS[member.value] = str(member.label)


def is_registered(action: str) -> bool:
    return action in _LABELS


def action_label(action: str) -> str:
    """The Chinese label of a stored action value (the value itself if no app knows it,
    e.g. an action whose app was removed: old entries stay readable)."""
    return _LABELS.get(action, action)


def registered_actions() -> dict[str, str]:
    """Every registered action value with its label."""
    return dict(_LABELS)


register_actions(PlatformAction)
