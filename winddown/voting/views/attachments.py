"""An event attachment as the pages serve it, to lenders and to staff alike."""

from __future__ import annotations

from django.http import FileResponse
from django.utils.safestring import SafeString, mark_safe

from winddown.core import private_files
from winddown.voting import selectors
from winddown.voting.models import EventAttachment


def attachment_response(attachment: EventAttachment) -> FileResponse:
    """The file itself: PDFs and pictures inline, a Word document downloaded by its name."""
    response = FileResponse(
        private_files.open_plain(attachment.path),
        content_type=attachment.content_type,
        as_attachment=not private_files.shows_inline(attachment.content_type),
        filename=attachment.name,
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def word_html(attachment: EventAttachment) -> SafeString | None:
    """A Word attachment's text for the page (sanitized when attached: `core.word_documents`)."""
    html = selectors.word_html(attachment)
    return None if html is None else mark_safe(html)  # noqa: S308
