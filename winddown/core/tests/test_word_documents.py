"""Word documents become HTML a phone shows in the page; nothing in them may run or load."""

from __future__ import annotations

import io
import time
import zipfile
from html.parser import HTMLParser

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from winddown.core import word_documents
from winddown.core.word_documents import (
    ALLOWED_ATTRIBUTES,
    ALLOWED_TAGS,
    OLE_MAGIC,
    WordDocumentError,
    check,
    sanitize,
    to_html,
)
from winddown.testing import sample_docx


def test_a_word_document_reads_as_its_text_tables_and_pictures():
    html = to_html(sample_docx("清退方案（草案）", ["第一条 兑付顺序按本金比例。"]))
    assert "<strong>清退方案（草案）</strong>" in html
    assert "<p>第一条 兑付顺序按本金比例。</p>" in html
    assert "<td><p>第一期</p></td><td><p>10%</p></td>" in html
    assert '<img alt="公司公章" src="data:image/png;base64,' in html
    assert 'href="https://www.example.org/notice"' in html


def test_script_text_stays_text_and_javascript_links_lose_their_target():
    html = to_html(sample_docx())
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script" not in html and "javascript:" not in html
    assert "<a rel=" in html  # the link text remains, without a target


@pytest.mark.parametrize("limit", ["MAX_INLINE_IMAGE_BYTES", "MAX_INLINE_IMAGES_BYTES"])
def test_pictures_beyond_the_budget_keep_only_their_description(monkeypatch, limit):
    monkeypatch.setattr(word_documents, limit, 10)  # the sample's PNG is larger
    html = to_html(sample_docx())
    assert '<img alt="公司公章（请下载原文件查看）">' in html and "data:" not in html


def _zip(parts: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return out.getvalue()


@pytest.mark.parametrize(
    ("data", "says"),
    [
        (OLE_MAGIC + b"\0" * 504, "不支持旧版 Word 文档（.doc）"),
        (sample_docx()[:300], "文件已损坏"),
        (_zip({"xl/workbook.xml": b"<workbook/>"}), "不是 Word 文档"),
        (_zip({"word/document.xml": b"\0" * 50_000_000}), "压缩比过高"),
        (_zip({"word/document.xml": b"<not-word"}), "文档内容无法读取"),
    ],
    ids=["doc", "truncated", "spreadsheet", "zip-bomb", "not-xml"],
)
def test_files_that_are_not_a_readable_docx_are_refused_with_what_to_do(data, says):
    started = time.perf_counter()
    with pytest.raises(WordDocumentError) as refused:
        to_html(data)
    assert says in str(refused.value)
    assert "另存为 .docx 或 PDF" in str(refused.value)
    assert time.perf_counter() - started < 5  # the bomb is refused before it is unpacked


def test_a_document_of_too_many_parts_is_refused(monkeypatch):
    monkeypatch.setattr(word_documents, "MAX_PARTS", 3)
    with pytest.raises(WordDocumentError, match="解压后过大"):
        check(sample_docx())


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=400))
def test_any_bytes_are_either_a_document_or_a_clear_refusal(tail):
    for data in (word_documents.ZIP_MAGIC + tail, sample_docx()[:200] + tail):
        try:
            html = to_html(data)
        except WordDocumentError as refused:
            assert "请" in str(refused)
        else:
            assert isinstance(html, str)


@pytest.mark.parametrize(
    "url",
    [
        "//evil.example/x.png",
        "/x.png",
        "x.png",
        "https://evil.example/x.png",
        "data:image/svg+xml,<svg/>",
    ],
)
def test_pictures_never_load_from_anywhere(url):
    assert sanitize(f'<p><img src="{url}" alt="章"></p>') == '<p><img alt="章"></p>'


@pytest.mark.parametrize("url", ["//evil.example/", "/m/me/", "javascript:alert(1)", "data:,x"])
def test_links_only_go_to_web_addresses(url):
    assert "href" not in sanitize(f'<a href="{url}">公告</a>')


class _Tags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.found: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, attrs))


TAGS = sorted(ALLOWED_TAGS | {"script", "style", "iframe", "svg", "object", "div", "span"})
ATTRIBUTES = ["href", "src", "onerror", "onclick", "style", "class", "alt", "colspan"]
VALUES = [
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "data:image/svg+xml;base64,PHN2Zz4=",
    "data:image/png;base64,iVBORw0KGgo=",
    "https://www.example.org/",
    "//evil.example/x.png",
    "vbscript:msgbox(1)",
    "1",
]
ELEMENT = st.builds(
    lambda tag, attrs, text: (
        f"<{tag} " + " ".join(f'{name}="{value}"' for name, value in attrs) + f">{text}</{tag}>"
    ),
    st.sampled_from(TAGS),
    st.lists(st.tuples(st.sampled_from(ATTRIBUTES), st.sampled_from(VALUES)), max_size=3),
    st.text(max_size=10),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(ELEMENT, max_size=6).map("".join))
def test_sanitized_html_keeps_only_structure_pictures_and_web_links(html):
    parser = _Tags()
    parser.feed(sanitize(html))
    for tag, attrs in parser.found:
        assert tag in ALLOWED_TAGS
        for name, value in attrs:
            assert name in ALLOWED_ATTRIBUTES.get(tag, set()) | {"rel"}, (tag, name)
            if name == "src":
                assert value.startswith(("data:image/png;", "https://")), value
            if name == "href":
                assert value.startswith("https://"), value
