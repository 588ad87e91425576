"""PDF attachments become page images at upload, so phones show them inside the page."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from winddown.conftest import committed
from winddown.core.errors import DomainError
from winddown.testing import sample_pdf
from winddown.voting import attachment_pages
from winddown.voting.models import EventAttachment
from winddown.voting.services import authoring
from winddown.voting.tests.conftest import ME, make_event

DAMAGED = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def stored_files(settings) -> list[str]:
    root = settings.PRIVATE_STORAGE_ROOT
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


def _pdf_with_page(width_pt: float, height_pt: float) -> bytes:
    """A 1 KB PDF of one blank page of the given size (the probe's bomb is 1 × 14,400 pt)."""
    objects = [
        b"<</Type/Catalog/Pages 2 0 R>>",
        b"<</Type/Pages/Kids[3 0 R]/Count 1>>",
        f"<</Type/Page/Parent 2 0 R/MediaBox[0 0 {width_pt} {height_pt}]>>".encode(),
    ]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj".encode() + body + b"endobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    out += f"trailer<</Size {len(objects) + 1}/Root 1 0 R>>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def test_every_page_renders_as_a_sharp_jpeg():
    frames = list(attachment_pages.render_isolated(sample_pdf(3), "10"))
    assert frames[0] == b"3" and len(frames) == 4
    for data in frames[1:]:
        image = Image.open(io.BytesIO(data))
        assert image.format == "JPEG" and image.width == attachment_pages.PAGE_WIDTH_PX
        assert image.height > image.width  # A4, portrait
    assert len(list(attachment_pages.render_isolated(sample_pdf(3), "2"))) == 3


@pytest.mark.parametrize("data", [DAMAGED, b"%PDF-1.7 garbage" + bytes(range(256)) * 40])
def test_a_pdf_that_cannot_be_opened_is_reported(data):
    with pytest.raises(attachment_pages.UnreadablePdf):
        list(attachment_pages.render_isolated(data))


@pytest.mark.parametrize(
    "size", [(1, 14_400), (14_400, 1), (200, 14_400), (0.5, 0.5), (20_000, 20_000)]
)
def test_pages_no_document_has_are_refused_before_drawing(size, institution_a, operator_a):
    bomb = _pdf_with_page(*size)
    assert len(bomb) < 1500
    with pytest.raises(attachment_pages.PageTooLarge, match="第 1 页的尺寸异常"):
        list(attachment_pages.render_isolated(bomb))
    event = make_event(institution_a, operator_a)
    with pytest.raises(DomainError) as error:
        authoring.attachment_add(
            event=event,
            user=event.created_by,
            upload=SimpleUploadedFile("方案.pdf", bomb),
            actor=ME,
        )
    assert "第 1 页的尺寸异常" in error.value.message and "A4" in error.value.message
    assert not EventAttachment.objects.exists()


def test_ordinary_page_sizes_render(institution_a, operator_a):
    for size in [(595, 842), (842, 595), (612, 1008), (300, 1150)]:  # A4, landscape, legal, slip
        frames = list(attachment_pages.render_isolated(_pdf_with_page(*size)))
        assert frames[0] == b"1" and Image.open(io.BytesIO(frames[1])).width == 1080


def test_attaching_a_pdf_stores_its_pages(institution_a, operator_a, settings):
    event = make_event(institution_a, operator_a)
    attachment = authoring.attachment_add(
        event=event,
        user=event.created_by,
        upload=SimpleUploadedFile("方案.pdf", sample_pdf(3)),
        actor=ME,
    )
    assert attachment.page_count == 3 and len(attachment.page_images) == 3
    assert attachment.pages_not_shown == 0
    assert len(stored_files(settings)) == 4  # the PDF and three pages

    with committed():  # the files go once the removal has committed
        authoring.attachment_remove(
            attachment=attachment, user=attachment.event.created_by, actor=ME
        )
    assert stored_files(settings) == []


def test_long_pdfs_show_the_first_pages(institution_a, operator_a, settings):
    settings.ATTACHMENT_MAX_PAGE_IMAGES = 2
    event = make_event(institution_a, operator_a)
    attachment = authoring.attachment_add(
        event=event,
        user=event.created_by,
        upload=SimpleUploadedFile("方案.pdf", sample_pdf(5)),
        actor=ME,
    )
    assert attachment.page_count == 5 and len(attachment.page_images) == 2
    assert attachment.pages_not_shown == 3


def test_a_damaged_pdf_is_refused_and_nothing_kept(institution_a, operator_a, settings):
    event = make_event(institution_a, operator_a)
    with pytest.raises(DomainError) as error:
        authoring.attachment_add(
            event=event,
            user=event.created_by,
            upload=SimpleUploadedFile("方案.pdf", DAMAGED),
            actor=ME,
        )
    assert error.value.field == "attachment"
    assert "PDF 文件无法打开（文件已损坏或设有打开密码）" in error.value.message
    assert not EventAttachment.objects.exists()
    assert stored_files(settings) == []


def test_no_attachment_once_submitted_and_nothing_kept(
    institution_a, operator_a, active_register, settings
):
    event = make_event(institution_a, operator_a)
    authoring.event_submit(event=event, user=event.created_by, actor=ME)
    with pytest.raises(DomainError) as error:
        authoring.attachment_add(
            event=event,
            user=event.created_by,
            upload=SimpleUploadedFile("方案.pdf", sample_pdf()),
            actor=ME,
        )
    assert error.value.error_code.name == "NOT_EDITABLE"
    assert not EventAttachment.objects.exists() and stored_files(settings) == []
