"""A Word attachment's text for the pages (lenders and staff see the same)."""

from __future__ import annotations

from django.utils.safestring import SafeString, mark_safe

from winddown.voting import selectors
from winddown.voting.models import EventAttachment


def word_html(attachment: EventAttachment) -> SafeString | None:
    """A Word attachment's text for the page (sanitized when attached: `core.word_documents`)."""
    html = selectors.word_html(attachment)
    return None if html is None else mark_safe(html)  # noqa: S308
