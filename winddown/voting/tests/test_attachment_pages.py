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


def test_every_page_renders_as_a_sharp_jpeg():
    images = list(attachment_pages.render_pages(sample_pdf(3), max_pages=10))
    assert len(images) == 3
    for data in images:
        image = Image.open(io.BytesIO(data))
        assert image.format == "JPEG" and image.width == attachment_pages.PAGE_WIDTH_PX
        assert image.height > image.width  # A4, portrait
    assert len(list(attachment_pages.render_pages(sample_pdf(3), max_pages=2))) == 2
    assert attachment_pages.page_count(sample_pdf(3)) == 3


@pytest.mark.parametrize("data", [DAMAGED, b"%PDF-1.7 garbage" + bytes(range(256)) * 40])
def test_a_pdf_that_cannot_be_opened_is_reported(data):
    with pytest.raises(attachment_pages.UnreadablePdf):
        attachment_pages.page_count(data)


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
