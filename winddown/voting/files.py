"""The files of voting events as the pages and the API send them: an attachment's original,
its page images and its text, a sign-up's photo and résumé (all through
`core.file_responses`)."""

from __future__ import annotations

from pathlib import PurePath

from django.http import Http404, HttpResponse

from winddown.core.file_responses import file_response, uploaded_file_response
from winddown.voting import selectors
from winddown.voting.models import EventAttachment, SignUp

# A Word attachment's HTML is sanitized, and its answer may still run or fetch nothing.
DOCUMENT_CSP = "default-src 'none'; img-src data:; style-src 'unsafe-inline'"
PAGE_CACHE = "private, max-age=3600"


def attachment_original(attachment: EventAttachment) -> HttpResponse:
    """The file itself: pictures shown, a PDF or Word document downloaded (phones read a
    PDF as the page images rendered when it was attached)."""
    return uploaded_file_response(
        attachment.original.open(),
        content_type=attachment.content_type,
        filename=attachment.name,
    )


def attachment_page(attachment: EventAttachment, page: int) -> HttpResponse:
    """Page `page` (from 1) of a PDF attachment as the JPEG rendered when it was attached."""
    pages = attachment.pages
    if not 1 <= page <= len(pages):
        raise Http404("没有这一页")
    return file_response(
        pages[page - 1].open(),
        content_type="image/jpeg",
        filename=f"{PurePath(attachment.name).stem}-{page}.jpg",
        disposition="inline",
        cache=PAGE_CACHE,
    )


def attachment_html(attachment: EventAttachment) -> HttpResponse:
    """A Word attachment's text as sanitized HTML, to show on its own (API clients)."""
    html = selectors.word_html(attachment)
    if html is None:
        raise Http404("该附件不是 Word 文档")
    return file_response(
        html.encode(),
        content_type="text/html; charset=utf-8",
        filename=f"{PurePath(attachment.name).stem}.html",
        disposition="inline",
        cache=PAGE_CACHE,
        csp=DOCUMENT_CSP,
    )


def signup_file(signup: SignUp, which: str) -> HttpResponse:
    """A sign-up's photo or résumé, decrypted as it streams."""
    stored, content_type, name = signup.stored_file(which)
    if not stored:
        raise Http404("文件不存在")
    return uploaded_file_response(stored.chunks(), content_type=content_type, filename=name)
