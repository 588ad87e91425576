"""Which models hold personal data: every app registers its models from its AppConfig, and
key rotation (`winddown.pii.rotation`) covers exactly what is registered. A test checks
that every ``*_enc`` column and every ``*_path`` column of every model is declared
(`EncryptedField`, `EncryptedFile`, `PublicFile`) and that every model declaring one is
registered, so a new column cannot be forgotten by the rotation."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from winddown.pii.fields import EncryptedField, EncryptedFile


@dataclass(frozen=True)
class IndexCopy:
    """A column that holds a copy of a blind index computed elsewhere (an elector's
    identity, a confirmation's): when the index key changes it is rewritten through the
    old → new map the rotation builds from the registered fields of the same purpose."""

    column: str
    purpose: str


@dataclass(frozen=True)
class Registration:
    model: type
    fields: tuple[EncryptedField, ...]
    files: tuple[EncryptedFile, ...]
    index_copies: tuple[IndexCopy, ...] = ()
    # Runs after the rotation (e.g. expire what the new keys invalidate); returns a count.
    after_rotation: Callable[[], int] | None = None
    # A reason the blind-index key may not change now (e.g. a vote is open), or None.
    index_key_guard: Callable[[], str | None] | None = field(default=None)


_REGISTRY: dict[type, Registration] = {}


def declared(model: type) -> tuple[list[EncryptedField], list[EncryptedFile]]:
    """The personal-data attributes a model class declares (its own and inherited)."""
    fields, files = [], []
    for klass in reversed(model.__mro__):
        for value in vars(klass).values():
            if isinstance(value, EncryptedField):
                fields.append(value)
            elif isinstance(value, EncryptedFile):
                files.append(value)
    return fields, files


def register_personal_data(
    model: type,
    *,
    index_copies: tuple[IndexCopy, ...] = (),
    after_rotation: Callable[[], int] | None = None,
    index_key_guard: Callable[[], str | None] | None = None,
) -> None:
    fields, files = declared(model)
    _REGISTRY[model] = Registration(
        model=model,
        fields=tuple(fields),
        files=tuple(f for f in files if f.encrypted),
        index_copies=tuple(index_copies),
        after_rotation=after_rotation,
        index_key_guard=index_key_guard,
    )


def registrations() -> list[Registration]:
    return list(_REGISTRY.values())


def is_registered(model: type) -> bool:
    return model in _REGISTRY
