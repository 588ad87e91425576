"""Real files for tests: PDFs (the platform renders their pages for phones), Word documents
(turned into HTML for phones) and images."""

from __future__ import annotations

import functools
import io
import zipfile
from xml.sax.saxutils import escape

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


W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
IMAGE_REL = f"{R_NS}/image"
LINK_REL = f"{R_NS}/hyperlink"
PICTURE = (  # an inline picture, as Word writes it, pointing at relationship rImg
    '<w:r><w:drawing><wp:inline xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/'
    'wordprocessingDrawing"><wp:extent cx="9525" cy="9525"/><wp:docPr id="1" name="图片 1" '
    'descr="公司公章"/><a:graphic xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main">'
    '<a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture"><pic:pic '
    'xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture"><pic:blipFill>'
    f'<a:blip r:embed="rImg" xmlns:r="{R_NS}"/></pic:blipFill></pic:pic></a:graphicData>'
    "</a:graphic></wp:inline></w:drawing></w:r>"
)


def _run(text: str, bold: bool = False) -> str:
    props = "<w:rPr><w:b/></w:rPr>" if bold else ""
    return f'<w:r>{props}<w:t xml:space="preserve">{escape(text)}</w:t></w:r>'


def sample_docx(title: str = "良性退出方案", body: list[str] | None = None) -> bytes:
    """A Word document as Word writes one: a bold title, paragraphs, a two-row table, a PNG
    picture and two links (one to a web page, one `javascript:` that must never survive)."""
    body = body or ["一、兑付安排：按出借人待收本金比例分期兑付。", "<script>alert(1)</script>"]
    paragraphs = [f"<w:p>{_run(title, bold=True)}</w:p>"]
    paragraphs += [f"<w:p>{_run(text)}</w:p>" for text in body]
    cells = [["期次", "兑付比例"], ["第一期", "10%"]]
    rows = "".join(
        "<w:tr>" + "".join(f"<w:tc><w:p>{_run(c)}</w:p></w:tc>" for c in row) + "</w:tr>"
        for row in cells
    )
    paragraphs.append(f"<w:tbl>{rows}</w:tbl>")
    paragraphs.append(f"<w:p>{PICTURE}</w:p>")
    paragraphs.append(
        f'<w:p><w:hyperlink r:id="rWeb">{_run("监管公告")}</w:hyperlink>'
        f'<w:hyperlink r:id="rJs">{_run("点我")}</w:hyperlink></w:p>'
    )
    document = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="{W_NS}" '
        f'xmlns:r="{R_NS}"><w:body>{"".join(paragraphs)}</w:body></w:document>'
    )
    document_rels = (
        f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{REL_NS}">'
        f'<Relationship Id="rImg" Type="{IMAGE_REL}" Target="media/image1.png"/>'
        f'<Relationship Id="rWeb" Type="{LINK_REL}" Target="https://www.example.org/notice" '
        'TargetMode="External"/>'
        f'<Relationship Id="rJs" Type="{LINK_REL}" Target="javascript:alert(1)" '
        'TargetMode="External"/></Relationships>'
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:

        def part(name: str, data: str | bytes) -> None:
            # A fixed time stamp: the same bytes on every call (zipfile would stamp "now").
            stamped = zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0))
            archive.writestr(stamped, data, zipfile.ZIP_DEFLATED)

        part(
            "[Content_Types].xml",
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
            'package/2006/content-types"><Default Extension="rels" ContentType="application/'
            'vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" '
            'ContentType="application/xml"/><Default Extension="png" ContentType="image/png"/>'
            '<Override PartName="/word/document.xml" ContentType="application/vnd.'
            'openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
        )
        part(
            "_rels/.rels",
            f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{REL_NS}">'
            f'<Relationship Id="rId1" Type="{R_NS}/officeDocument" Target="word/document.xml"/>'
            "</Relationships>",
        )
        part("word/document.xml", document)
        part("word/_rels/document.xml.rels", document_rels)
        part("word/media/image1.png", sample_png())
    return out.getvalue()
