"""PDF attachments as page images, so lenders read them inside the page on any phone.

Phone browsers (and WeChat's) do not show a PDF inside a web page; they download it or show
nothing. Lenders must read the attachments before voting (手册：点击阅读附件后方可投票), so
each PDF is rendered once, when it is attached, to one JPEG per page at a width that stays
sharp on a 3x phone screen; the page shows the images. Attachments cannot change after an
event opens, so the images never go stale.
"""

from __future__ import annotations

import io
from collections.abc import Iterator

import pypdfium2 as pdfium

# 360 CSS px at a device pixel ratio of 3.
PAGE_WIDTH_PX = 1080
JPEG_QUALITY = 80


class UnreadablePdf(ValueError):
    """The file says it is a PDF but cannot be opened (damaged or password-protected)."""


def page_count(pdf: bytes) -> int:
    document = _open(pdf)
    try:
        return len(document)
    finally:
        document.close()


def render_pages(pdf: bytes, *, max_pages: int) -> Iterator[bytes]:
    """JPEG bytes of the first `max_pages` pages, one page at a time (memory stays flat)."""
    document = _open(pdf)
    try:
        for index in range(min(len(document), max_pages)):
            page = document[index]
            try:
                width_pt = page.get_width() or PAGE_WIDTH_PX
                bitmap = page.render(scale=PAGE_WIDTH_PX / width_pt)
                image = bitmap.to_pil().convert("RGB")
                out = io.BytesIO()
                image.save(out, format="JPEG", quality=JPEG_QUALITY, optimize=True)
                yield out.getvalue()
            finally:
                page.close()
    finally:
        document.close()


def _open(pdf: bytes) -> pdfium.PdfDocument:
    try:
        document = pdfium.PdfDocument(pdf)
    except pdfium.PdfiumError as exc:
        raise UnreadablePdf(str(exc)) from None
    if len(document) == 0:
        document.close()
        raise UnreadablePdf("no pages")
    return document
