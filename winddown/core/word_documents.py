"""Word documents (.docx) as attachments and résumés, read as text inside the page.

Institutions write their exit plans in Word and lenders keep their résumés in WeChat chats,
where most files are Word documents (manual 2.1: 上传的简历附件只能选择微信聊天记录中的
文件; the sample event attaches 模拟业主投票数据.docx). Phones cannot open a .docx inside a
web page, so each one is turned once into HTML that reflows on a narrow screen: mammoth
maps Word's structure (headings, paragraphs, lists, tables, pictures) to plain HTML and nh3
removes everything that could run or load anything (scripts, handlers, styles, links to
other schemes); pictures stay inline as data: URLs, nothing is fetched.

A .docx is a ZIP archive: it is checked before it is parsed, so a small file that unpacks
to gigabytes (a ZIP bomb) is refused instead of filling memory. The legacy binary .doc
format is refused with how to save it as .docx or PDF.
"""

from __future__ import annotations

import base64
import io
import zipfile

import mammoth
import nh3

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Word 97-2003 .doc (and encrypted .docx)

MAX_UNPACKED_BYTES = 100 * 2**20  # all parts together, once unpacked
MAX_PARTS = 2000
MAX_RATIO = 200  # unpacked : packed, per part; text XML rarely exceeds ~30

ALLOWED_TAGS = {
    "p", "br", "h1", "h2", "h3", "h4", "h5", "h6", "strong", "em", "u", "s", "sub", "sup",
    "ul", "ol", "li", "table", "thead", "tbody", "tr", "th", "td", "img", "a", "blockquote",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"img": {"src", "alt"}, "td": {"colspan", "rowspan"},
                      "th": {"colspan", "rowspan"}, "a": {"href"}}  # fmt: skip
INLINE_IMAGE_TYPES = ("image/png", "image/jpeg", "image/gif")
MAX_INLINE_IMAGE_BYTES = 2 * 2**20
MAX_INLINE_IMAGES_BYTES = 8 * 2**20  # all pictures of one document


class WordDocumentError(ValueError):
    """Chinese message: what is wrong with the file and what to send instead."""


SAVE_AS = "请在 Word 或 WPS 中另存为 .docx 或 PDF 后重新上传"


def looks_like_word(head: bytes) -> bool:
    """A ZIP (which a .docx is) or an OLE compound file (a .doc): worth a closer look."""
    return head.startswith(ZIP_MAGIC) or head.startswith(OLE_MAGIC)


def check(data: bytes) -> None:
    """Refuse anything that is not a well-formed .docx of sane unpacked size."""
    if data.startswith(OLE_MAGIC):
        raise WordDocumentError(f"不支持旧版 Word 文档（.doc）或加密的文档，{SAVE_AS}")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        parts = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError, EOFError):
        raise WordDocumentError(f"文件已损坏，无法打开，{SAVE_AS}") from None
    names = {part.filename for part in parts}
    if "word/document.xml" not in names:
        raise WordDocumentError(f"压缩包不是 Word 文档（.docx），{SAVE_AS}")
    if len(parts) > MAX_PARTS or sum(part.file_size for part in parts) > MAX_UNPACKED_BYTES:
        raise WordDocumentError(f"文档解压后过大，{SAVE_AS}")
    for part in parts:
        if part.file_size > MAX_RATIO * max(part.compress_size, 1024):
            raise WordDocumentError(f"文档内容异常（压缩比过高），{SAVE_AS}")


def _image_converter():
    """Pictures inline as data: URLs, within a budget per picture and per document so the
    page stays light on a phone; any other picture (too large, a format browsers cannot show
    such as EMF, linked from outside the file, unreadable) keeps only its description."""
    budget = [MAX_INLINE_IMAGES_BYTES]

    def convert(image) -> dict[str, str]:
        instead = {"alt": f"{image.alt_text or '图片'}（请下载原文件查看）"}
        if image.content_type not in INLINE_IMAGE_TYPES:
            return instead
        try:
            with image.open() as stream:
                data = stream.read(MAX_INLINE_IMAGE_BYTES + 1)
        except Exception:  # an external or broken picture
            return instead
        if len(data) > min(MAX_INLINE_IMAGE_BYTES, budget[0]):
            return instead
        budget[0] -= len(data)
        encoded = base64.b64encode(data).decode("ascii")
        return {"src": f"data:{image.content_type};base64,{encoded}"}

    return mammoth.images.img_element(convert)


def to_html(data: bytes) -> str:
    """The document's content as sanitized HTML; raises WordDocumentError."""
    check(data)
    try:
        converted = mammoth.convert_to_html(io.BytesIO(data), convert_image=_image_converter())
    except Exception:
        raise WordDocumentError(f"文档内容无法读取，{SAVE_AS}") from None
    html = sanitize(converted.value)
    if not html.strip():
        raise WordDocumentError("文档没有可显示的内容，请检查后重新上传")
    return html


def sanitize(html: str) -> str:
    """Only structure and text; pictures as data: URLs; links to web pages only."""
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "data"},
        attribute_filter=_only_pictures_and_web_links,
        link_rel="noopener noreferrer nofollow",
    )


def _only_pictures_and_web_links(tag: str, attribute: str, value: str) -> str | None:
    """Pictures only as data: URLs of picture types (nothing is fetched, not even a relative
    URL); links only to absolute web addresses."""
    if tag == "img" and attribute == "src":
        kinds = tuple(f"data:{kind};" for kind in INLINE_IMAGE_TYPES)
        return value if value.lower().startswith(kinds) else None
    if tag == "a" and attribute == "href":
        return value if value.lower().startswith(("http://", "https://")) else None
    return value
