"""Files that hold personal data (dispute evidence, uploads waiting for the worker):
encrypted at rest under PRIVATE_STORAGE_ROOT, readable only through views that check
ownership. Attachments are recognised by their content, not by the name the client sent."""

from __future__ import annotations

import io
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from django.conf import settings

from winddown.core import word_documents
from winddown.pii.keys import keyring
from winddown.pii.normalize import clean_text

# Magic numbers of the evidence types lenders send from a phone.
ATTACHMENT_TYPES = {
    b"%PDF-": ("application/pdf", ".pdf"),
    b"\xff\xd8\xff": ("image/jpeg", ".jpg"),
    b"\x89PNG\r\n\x1a\n": ("image/png", ".png"),
}


class AttachmentError(ValueError):
    """Chinese message: what is wrong with the file and what to send instead."""


def sniff_attachment(head: bytes, *, allow_word: bool = False) -> str:
    """The type by the first bytes. With `allow_word`, a ZIP or OLE file is taken for a Word
    document, whose content the caller then checks (`check_word`)."""
    for magic, (content_type, _) in ATTACHMENT_TYPES.items():
        if head.startswith(magic):
            return content_type
    if not allow_word:
        raise AttachmentError("附件只支持 PDF、JPG 或 PNG 格式")
    if word_documents.looks_like_word(head):
        return word_documents.DOCX_TYPE
    raise AttachmentError("附件只支持 PDF、Word（.docx）、JPG 或 PNG 格式")


def check_word(data: bytes) -> None:
    try:
        word_documents.check(data)
    except word_documents.WordDocumentError as exc:
        raise AttachmentError(str(exc)) from None


@dataclass(frozen=True)
class StoredUpload:
    path: str  # relative to PRIVATE_STORAGE_ROOT, encrypted
    name: str  # the name the person gave the file
    content_type: str  # recognised from the content


def store_encrypted_upload(
    upload, *, purpose: str, folder: str, limit_bytes: int, allow_word: bool = False
) -> StoredUpload:
    """Check an uploaded PDF/JPG/PNG (and, with `allow_word`, .docx) by size and content and
    keep it encrypted; raises AttachmentError with a Chinese message."""
    if upload.size > limit_bytes:
        raise AttachmentError(f"文件超过 {limit_bytes // 2**20} MB，请压缩后上传")
    upload.seek(0)
    content_type = sniff_attachment(upload.read(16), allow_word=allow_word)
    upload.seek(0)
    if content_type == word_documents.DOCX_TYPE:
        check_word(upload.read())
        upload.seek(0)
    path = save_encrypted(upload.chunks(), purpose=purpose, folder=folder)
    return StoredUpload(path, clean_text(upload.name or "附件")[:255], content_type)


def _root() -> Path:
    root = Path(settings.PRIVATE_STORAGE_ROOT)
    root.mkdir(parents=True, exist_ok=True)
    return root


def _resolve(relative: str) -> Path:
    path = (_root() / relative).resolve()
    if _root().resolve() not in path.parents:
        raise ValueError("path escapes the private storage root")
    return path


def save_encrypted(chunks: Iterable[bytes], *, purpose: str, folder: str) -> str:
    """Encrypt the chunks into a new file; return its path relative to the storage root."""
    relative = f"{folder}/{uuid.uuid4().hex}.enc"
    path = _resolve(relative)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".part")
    with open(tmp, "wb") as out:
        for block in keyring().encrypt_stream(iter(chunks), purpose=purpose):
            out.write(block)
    tmp.replace(path)  # a crash never leaves a half-written file under the final name
    return relative


def save_plain(chunks: Iterable[bytes], *, folder: str) -> str:
    """Store a public document (e.g. a vote's attachment) as it is; return its path."""
    relative = f"{folder}/{uuid.uuid4().hex}.bin"
    path = _resolve(relative)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".part")
    with open(tmp, "wb") as out:
        for chunk in chunks:
            out.write(chunk)
    tmp.replace(path)
    return relative


def open_plain(relative: str) -> BinaryIO:
    return open(_resolve(relative), "rb")


def read_decrypted(relative: str, *, purpose: str) -> Iterator[bytes]:
    with open(_resolve(relative), "rb") as stream:
        yield from keyring().decrypt_stream(stream, purpose=purpose)


def delete(relative: str) -> None:
    if relative:
        _resolve(relative).unlink(missing_ok=True)


class _ChunkReader(io.RawIOBase):
    """A read-only binary stream over an iterator of byte chunks."""

    def __init__(self, chunks: Iterator[bytes]):
        self._chunks = chunks
        self._pending = b""

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        while not self._pending:
            try:
                self._pending = next(self._chunks)
            except StopIteration:
                return 0
        size = min(len(buffer), len(self._pending))
        buffer[:size] = self._pending[:size]
        self._pending = self._pending[size:]
        return size


def open_decrypted(relative: str, *, purpose: str) -> BinaryIO:
    """A fresh binary stream of the plaintext (decrypted chunk by chunk, never on disk)."""
    return io.BufferedReader(_ChunkReader(read_decrypted(relative, purpose=purpose)), 1 << 20)
