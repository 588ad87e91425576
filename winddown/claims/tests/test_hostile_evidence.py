"""Dispute evidence that is a PDF with JavaScript, named as a web page: accepted as a PDF
(its content says so), but never shown inline to the staff who answer the dispute, and
never saved under the uploader's extension."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from winddown.claims import services as claims_services
from winddown.conftest import (
    SYSTEM,
    make_lender,
    register_file,
    staff_signed_in,
    upload_and_activate,
)
from winddown.demo.generators import register_rows
from winddown.testing import sample_png

pytestmark = pytest.mark.django_db

# A one-page PDF whose catalog opens with JavaScript (the probe's file).
SCRIPTED_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R/OpenAction 4 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\n"
    b"4 0 obj<</S/JavaScript/JS(app.alert\\('x'\\))>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


@pytest.fixture
def lender_with_claim(tmp_path, institution_a, operator_a):
    rows = [list(r) for r in register_rows(1, seed=5)]
    upload_and_activate(institution_a, operator_a, register_file(tmp_path, rows))
    return make_lender(rows[0][3], name=rows[0][0], id_number=rows[0][2])


def _dispute(lender, institution, name: str, data: bytes, content_type: str):
    return claims_services.dispute_raise(
        lender=lender,
        institution=institution,
        reason="本金应为 2000 元，不是 1000 元",
        attachment=SimpleUploadedFile(name, data, content_type=content_type),
        actor=SYSTEM,
    )


def test_a_scripted_pdf_named_html_is_downloaded_as_a_pdf(
    lender_with_claim, institution_a, operator_a
):
    dispute = _dispute(lender_with_claim, institution_a, "证明.html", SCRIPTED_PDF, "text/html")
    assert dispute.attachment_type == "application/pdf"  # by content, not by name or header
    response = staff_signed_in(operator_a).get(f"/staff/disputes/{dispute.pk}/attachment/")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment") and ".pdf" in disposition
    assert ".html" not in disposition
    assert "sandbox" in response["Content-Security-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == SCRIPTED_PDF


def test_a_picture_is_shown_sandboxed(lender_with_claim, institution_a, operator_a):
    dispute = _dispute(lender_with_claim, institution_a, "凭证.pdf", sample_png(), "image/png")
    response = staff_signed_in(operator_a).get(f"/staff/disputes/{dispute.pk}/attachment/")
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"].startswith("inline")
    assert ".png" in response["Content-Disposition"]  # not the uploader's ".pdf"
    assert "sandbox" in response["Content-Security-Policy"]


def test_a_web_page_is_not_evidence(lender_with_claim, institution_a):
    from winddown.core.errors import DomainError

    with pytest.raises(DomainError) as caught:
        _dispute(lender_with_claim, institution_a, "证明.pdf", b"<html><script>", "application/pdf")
    assert "PDF、JPG 或 PNG" in caught.value.message
