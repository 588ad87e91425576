"""Every file the platform sends, built in one place.

Whatever the file, the answer says what it is and how to show it, and never lets a browser
guess: the content type given (recognised from the content when the file was stored), the
disposition with the file's name (RFC 6266; UTF-8 names as filename*), `nosniff`, and a
cache policy (personal files are `private, no-store` unless the caller says otherwise).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import PurePath
from typing import BinaryIO, Literal

from django.http import FileResponse, HttpResponse
from django.utils.http import content_disposition_header

PRIVATE = "private, no-store"
Disposition = Literal["inline", "attachment"]


def file_response(
    content: bytes | BinaryIO | Iterable[bytes],
    *,
    content_type: str,
    filename: str,
    disposition: Disposition,
    cache: str = PRIVATE,
    csp: str = "",
) -> HttpResponse:
    """`content`: bytes, an open binary file (closed when sent) or an iterator of chunks
    (streamed, e.g. decrypted as it goes)."""
    if isinstance(content, bytes):
        response = HttpResponse(content, content_type=content_type)
    else:
        response = FileResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(
        disposition == "attachment", filename
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = cache
    if csp:
        response["Content-Security-Policy"] = csp
    return response


# What a file someone uploaded may be shown as in the browser. A PDF can carry JavaScript
# and forms, so the original is always downloaded (the platform shows its own page images);
# pictures are shown. The extension follows the recognised type, never the uploader's name
# ("证明.html" that is a PDF is saved as "证明.pdf").
SHOWN_INLINE = frozenset({"image/jpeg", "image/png"})
EXTENSIONS = {
    "application/pdf": ".pdf",
    "image/jpeg": ".jpg",
    "image/png": ".png",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ".docx",
}
# Even where a browser renders it, nothing in an uploaded file runs or loads anything.
UPLOADED_FILE_CSP = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox"


def uploaded_file_response(
    content: bytes | BinaryIO | Iterable[bytes],
    *,
    content_type: str,
    filename: str,
    cache: str = PRIVATE,
) -> HttpResponse:
    """A file a person uploaded (evidence, attachments, photos, résumés), as the browser may
    safely receive it: pictures inline, everything else (PDF, Word) as a download, under a
    name whose extension matches the type recognised from the content, sandboxed."""
    extension = EXTENSIONS.get(content_type, ".bin")
    stem = PurePath(filename).stem or "附件"
    return file_response(
        content,
        content_type=content_type,
        filename=stem + extension,
        disposition="inline" if content_type in SHOWN_INLINE else "attachment",
        cache=cache,
        csp=UPLOADED_FILE_CSP,
    )
