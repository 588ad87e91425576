"""Personal data on models: one mechanism for every encrypted column and private file.

A model keeps a ciphertext column (named ``*_enc``) and, where lookups need it, a blind-index
column; `EncryptedField` is the attribute over them::

    class Lender(models.Model):
        phone_enc = models.TextField()
        phone_index = models.CharField(max_length=32, unique=True)
        phone = EncryptedField(purpose=PHONE, column="phone_enc", index="phone_index",
                               mask=mask_phone)

    lender.phone = "13800138000"   # encrypts, and sets phone_index
    lender.phone.value             # "13800138000" (decrypted when first asked, then kept)
    lender.phone.masked            # "138****8000"
    str(lender.phone)              # the masked form: printing never shows the value
    Lender.phone.index("13800138000")   # the blind index, for lookups

Files with personal data (a private path column, named ``*_path``) are declared with
`EncryptedFile`; public documents kept in private storage (a vote's attachments, a result
bundle) with `PublicFile`, so every path column says what it holds. The app registers its
models from its AppConfig (`winddown.pii.registry.register_personal_data`), and
`manage.py rotate_pii_keys` re-encrypts everything registered.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any, BinaryIO

from winddown.pii.keys import keyring


def _plain(_instance: Any, value: str) -> str:
    return value


class Sealed:
    """A personal value as stored: decrypted only when `.value` is read."""

    __slots__ = ("_mask", "_purpose", "_token", "_value", "index")

    def __init__(self, token: str, *, purpose: str, mask: Callable[[str], str], index=None):
        self._token = token or ""
        self._purpose = purpose
        self._mask = mask
        self._value: str | None = None
        self.index = index

    @property
    def value(self) -> str:
        if self._value is None:
            self._value = (
                keyring().decrypt(self._token, purpose=self._purpose) if self._token else ""
            )
        return self._value

    @property
    def masked(self) -> str:
        return self._mask(self.value) if self._token else ""

    def __bool__(self) -> bool:
        return bool(self._token)

    def __str__(self) -> str:
        return self.masked

    def __repr__(self) -> str:
        return f"<Sealed {self._purpose} {self.masked}>"


class EncryptedField:
    """The attribute over a ciphertext column and, optionally, its blind-index column.

    `index_value(instance, value)` is the string the index is computed over (e.g. the
    document type and number for ID numbers); it defaults to the value itself.
    """

    def __init__(
        self,
        *,
        purpose: str,
        column: str,
        mask: Callable[[str], str],
        index: str | None = None,
        index_value: Callable[[Any, str], str] = _plain,
    ) -> None:
        self.purpose = purpose
        self.column = column
        self.index_column = index
        self.mask = mask
        self.index_value = index_value
        self.name = ""
        self.model = None

    def __set_name__(self, owner, name: str) -> None:
        self.name = name
        self.model = owner

    def __get__(self, instance, owner=None):
        if instance is None:
            return self
        token = getattr(instance, self.column)
        index = getattr(instance, self.index_column) if self.index_column else None
        return Sealed(token, purpose=self.purpose, mask=self.mask, index=index)

    def __set__(self, instance, value: str) -> None:
        self.store(instance, value)

    def index(self, value: str, instance: Any = None) -> str:
        """The blind index of `value` (for lookups and unique constraints)."""
        return keyring().blind_index(self.index_value(instance, value), purpose=self.purpose)

    def store(self, instance, value: str, ring=None) -> None:
        """Encrypt `value` into the column (and its index); "" clears both."""
        ring = ring or keyring()
        if not value:
            setattr(instance, self.column, "")
            if self.index_column:
                nullable = instance._meta.get_field(self.index_column).null
                setattr(instance, self.index_column, None if nullable else "")
            return
        setattr(instance, self.column, ring.encrypt(value, purpose=self.purpose))
        if self.index_column:
            message = self.index_value(instance, value)
            setattr(instance, self.index_column, ring.blind_index(message, purpose=self.purpose))

    @property
    def columns(self) -> list[str]:
        return [self.column, *([self.index_column] if self.index_column else [])]


class StoredFile:
    """A private file as a model row points at it."""

    __slots__ = ("path", "purpose")

    def __init__(self, path: str, purpose: str | None):
        self.path = path or ""
        self.purpose = purpose

    def __bool__(self) -> bool:
        return bool(self.path)

    def chunks(self) -> Iterator[bytes]:
        from winddown.core import private_files

        if self.purpose is None:
            with private_files.open_plain(self.path) as stream:
                yield from iter(lambda: stream.read(1 << 20), b"")
            return
        yield from private_files.read_decrypted(self.path, purpose=self.purpose)

    def open(self) -> BinaryIO:
        from winddown.core import private_files

        if self.purpose is None:
            return private_files.open_plain(self.path)
        return private_files.open_decrypted(self.path, purpose=self.purpose)

    def delete(self) -> None:
        from winddown.core import private_files

        private_files.delete(self.path)


class EncryptedFile:
    """The attribute over a path column whose file holds personal data, kept encrypted
    under PRIVATE_STORAGE_ROOT (`core.private_files`)."""

    encrypted = True

    def __init__(self, *, purpose: str, column: str, folder: str) -> None:
        self.purpose = purpose
        self.column = column
        self.folder = folder
        self.name = ""
        self.model = None

    def __set_name__(self, owner, name: str) -> None:
        self.name = name
        self.model = owner

    def __get__(self, instance, owner=None):
        if instance is None:
            return self
        return StoredFile(getattr(instance, self.column), self.purpose)

    def save_chunks(self, chunks) -> str:
        """Encrypt a new file for this column; returns its path (the caller stores it)."""
        from winddown.core import private_files

        return private_files.save_encrypted(chunks, purpose=self.purpose, folder=self.folder)

    def store_upload(self, upload, *, limit_bytes: int, allow_word: bool = False):
        """Check an uploaded file by size and content and keep it encrypted for this column
        (`core.private_files.store_encrypted_upload`); raises AttachmentError."""
        from winddown.core import private_files

        return private_files.store_encrypted_upload(
            upload,
            purpose=self.purpose,
            folder=self.folder,
            limit_bytes=limit_bytes,
            allow_word=allow_word,
        )


class PublicFile(EncryptedFile):
    """A path column whose file is a public document (nothing to encrypt or rotate). The
    column may hold one path or, for `many=True`, a JSON list of paths."""

    encrypted = False

    def __init__(self, *, column: str, many: bool = False) -> None:
        super().__init__(purpose="", column=column, folder="")
        self.many = many

    def __get__(self, instance, owner=None):
        if instance is None:
            return self
        value = getattr(instance, self.column)
        if self.many:
            return [StoredFile(path, None) for path in value or []]
        return StoredFile(value, None)
