"""PDF attachments as page images, so lenders read them inside the page on any phone.

Phone browsers (and WeChat's) do not show a PDF inside a web page; they download it or show
nothing. Lenders must read the attachments before voting (手册：点击阅读附件后方可投票), so
each PDF is rendered once, when it is attached, to one JPEG per page at a width that stays
sharp on a 3x phone screen; the page shows the images. Attachments cannot change after an
event opens, so the images never go stale.

A PDF is a program for its renderer: a 1.3 KB file with a page 1 pt wide and 14,400 pt
tall asked for 9.1 GB. Each page's size is checked before it is drawn (a page may be at
most MAX_ASPECT times as tall as it is wide, and between MIN_SIDE_PT and MAX_SIDE_PT on
each side, so no image exceeds PAGE_WIDTH_PX × PAGE_WIDTH_PX·MAX_ASPECT pixels), and the
whole rendering runs in a child process with a memory and a time limit (core/isolation.py).
"""

from __future__ import annotations

import io
from collections.abc import Iterator

# 360 CSS px at a device pixel ratio of 3.
PAGE_WIDTH_PX = 1080
JPEG_QUALITY = 80
MAX_ASPECT = 4  # A4 is 1.41; a long receipt photographed into a PDF may reach 3
MIN_SIDE_PT = 36  # half an inch
MAX_SIDE_PT = 14_400  # the PDF format's own limit (200 inches)
MAX_PIXELS = PAGE_WIDTH_PX * PAGE_WIDTH_PX * MAX_ASPECT


class UnreadablePdf(ValueError):
    """The file says it is a PDF but cannot be opened (damaged or password-protected)."""


class PageTooLarge(ValueError):
    """A page whose size no document has; the message says which and what to do."""


def render_isolated(pdf: bytes, max_pages: str = "100") -> Iterator[bytes]:
    """For core.isolation: the page count (ASCII digits), then the JPEG of each of the
    first `max_pages` pages. Runs in the child; imports pdfium there only."""
    import pypdfium2 as pdfium

    try:
        document = pdfium.PdfDocument(pdf)
    except pdfium.PdfiumError as exc:
        raise UnreadablePdf(str(exc)) from None
    try:
        count = len(document)
        if count == 0:
            raise UnreadablePdf("no pages")
        yield str(count).encode()
        pages = min(count, int(max_pages))
        for index in range(pages):  # every size first: refuse before drawing anything
            width_pt, height_pt = document.get_page_size(index)
            check_page_size(index + 1, width_pt, height_pt)
        for index in range(pages):
            page = document[index]
            try:
                width_pt, height_pt = page.get_size()
                scale = PAGE_WIDTH_PX / width_pt
                if round(width_pt * scale) * round(height_pt * scale) > MAX_PIXELS:
                    raise PageTooLarge(f"第 {index + 1} 页过大")
                image = page.render(scale=scale).to_pil().convert("RGB")
                out = io.BytesIO()
                image.save(out, format="JPEG", quality=JPEG_QUALITY, optimize=True)
                yield out.getvalue()
            finally:
                page.close()
    finally:
        document.close()


def check_page_size(number: int, width_pt: float, height_pt: float) -> None:
    """Refuse page `number` if no real document has its size (points; 72 to the inch)."""
    sides_ok = all(MIN_SIDE_PT <= side <= MAX_SIDE_PT for side in (width_pt, height_pt))
    if not sides_ok or height_pt > width_pt * MAX_ASPECT or width_pt > height_pt * MAX_ASPECT:
        raise PageTooLarge(
            f"第 {number} 页的尺寸异常（{width_pt / 72 * 2.54:.2f} × "
            f"{height_pt / 72 * 2.54:.2f} 厘米），请将文件另存为 A4 等常规页面尺寸的 PDF 后重新上传"
        )
