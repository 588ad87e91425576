"""Every file the platform sends, built in one place.

Whatever the file, the answer says what it is and how to show it, and never lets a browser
guess: the content type given (recognised from the content when the file was stored), the
disposition with the file's name (RFC 6266; UTF-8 names as filename*), `nosniff`, and a
cache policy (personal files are `private, no-store` unless the caller says otherwise).
"""

from __future__ import annotations

from collections.abc import Iterable
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
