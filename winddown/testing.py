"""Real files for tests: PDFs (the platform renders their pages for phones) and images."""

from __future__ import annotations

import functools
import io

from PIL import Image
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas


@functools.cache
def sample_pdf(pages: int = 2, title: str = "良性退出方案") -> bytes:
    """An A4 document of `pages` pages, each titled in Chinese with its page number."""
    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    out = io.BytesIO()
    document = canvas.Canvas(out, pagesize=A4)
    for number in range(1, pages + 1):
        document.setFont("STSong-Light", 24)
        document.drawString(72, 760, f"{title} 第 {number} 页")
        document.showPage()
    document.save()
    return out.getvalue()


@functools.cache
def sample_png() -> bytes:
    """A valid 1×1 white PNG."""
    out = io.BytesIO()
    Image.new("RGB", (1, 1), "white").save(out, format="PNG")
    return out.getvalue()
