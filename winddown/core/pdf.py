"""PDF building blocks every app's documents share: a font that covers Chinese and the
paragraph styles of the platform's documents (the voting result announcement, the cases'
惩戒告知书 and 惩戒决定书). reportlab is imported only when a document is built."""

from __future__ import annotations

from pathlib import Path

FONT_NAME = "WinddownCJK"
FONT_FILES = (
    ("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", 0),
    ("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", 0),
)
CID_FALLBACK = "STSong-Light"
_registered: dict[tuple, str] = {}


def cjk_font(candidates: tuple[tuple[str, int], ...] | None = None) -> str:
    """Register (once) and name a font that covers Chinese: the first TrueType font that
    loads (embedded as a subset), else reportlab's built-in CID font, which needs no file."""
    candidates = FONT_FILES if candidates is None else candidates
    if candidates in _registered:
        return _registered[candidates]
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfbase.ttfonts import TTFError, TTFont

    name = CID_FALLBACK
    for number, (path, index) in enumerate(candidates):
        if not Path(path).is_file():
            continue
        try:
            font = TTFont(f"{FONT_NAME}{number}", path, subfontIndex=index)
        except (TTFError, OSError, ValueError):
            continue  # e.g. OpenType CFF outlines, which reportlab cannot embed
        pdfmetrics.registerFont(font)
        name = font.fontName
        break
    else:
        pdfmetrics.registerFont(UnicodeCIDFont(CID_FALLBACK))
    _registered[candidates] = name
    return name


def styles(font: str) -> dict:
    from reportlab.lib import colors
    from reportlab.lib.enums import TA_CENTER, TA_RIGHT
    from reportlab.lib.styles import ParagraphStyle

    body = ParagraphStyle(
        "body", fontName=font, fontSize=10.5, leading=17, wordWrap="CJK", spaceAfter=4
    )
    return {
        "title": ParagraphStyle(
            "title",
            parent=body,
            fontSize=18,
            leading=26,
            alignment=TA_CENTER,
            spaceAfter=6,
        ),
        "subtitle": ParagraphStyle(
            "subtitle", parent=body, fontSize=12, leading=18, alignment=TA_CENTER, spaceAfter=12
        ),
        "draft": ParagraphStyle(
            "draft", parent=body, alignment=TA_CENTER, textColor=colors.HexColor("#d83931")
        ),
        "heading": ParagraphStyle(
            "heading", parent=body, fontSize=12.5, leading=20, spaceBefore=10, spaceAfter=4
        ),
        "body": body,
        "cell": ParagraphStyle("cell", parent=body, fontSize=9.5, leading=14, spaceAfter=0),
        "cell_num": ParagraphStyle(
            "cell_num", parent=body, fontSize=9.5, leading=14, spaceAfter=0, alignment=TA_RIGHT
        ),
        "mono": ParagraphStyle("mono", parent=body, fontSize=9, leading=14),
        "sign": ParagraphStyle("sign", parent=body, alignment=TA_RIGHT, spaceBefore=16),
    }
