"""Key rotation covers the reporter's store, the evidence files and the pseudonyms: after
``rotate_pii_keys`` the identity reads under the new keys only, and the daily limit and
repeat linking still recognise the same reporter (the index copies follow)."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from winddown.cases.errors import CasesErrorCode as E
from winddown.cases.models import Report, ReporterDay, ReporterIdentity
from winddown.cases.tests.conftest import REPORTER_ID, REPORTER_NAME, file_report
from winddown.core.errors import DomainError
from winddown.identity.models import Lender
from winddown.pii.crypto import generate_key
from winddown.testing import sample_png

pytestmark = pytest.mark.django_db

OTHER = [
    "平台将一年期项目拆分为三个月期限销售，误导出借人。",
    "平台在商场设门店推介理财并收取现金。",
]


def test_rotation_keeps_the_reporter_readable_and_recognisable(settings, reporter, institution_a):
    report = file_report(
        reporter, institution_a, files=[SimpleUploadedFile("a.png", sample_png(), "image/png")]
    )
    for facts in OTHER:
        file_report(reporter, institution_a, facts=facts)
    settings.PII_ENCRYPTION_KEYS = f"rot2:{generate_key()},{settings.PII_ENCRYPTION_KEYS}"
    settings.PII_INDEX_KEY = generate_key()
    call_command("rotate_pii_keys", stdout=io.StringIO())
    settings.PII_ENCRYPTION_KEYS = settings.PII_ENCRYPTION_KEYS.split(",")[0]

    identity = ReporterIdentity.objects.get(report=report)
    assert identity.name_enc.startswith("rot2$")
    assert (identity.name.value, identity.id_number.value) == (REPORTER_NAME, REPORTER_ID)
    assert b"".join(report.evidence.get().file.chunks()) == sample_png()
    lender = Lender.objects.get(pk=reporter.pk)
    report.refresh_from_db()
    assert report.reporter_index == lender.id_index == identity.id_index
    assert ReporterDay.objects.get().reporter_index == lender.id_index
    # Still the same reporter today: a fourth report is refused …
    with pytest.raises(DomainError) as exc:
        file_report(lender, institution_a, facts="又一件不同的举报：平台自行发放贷款给关联企业。")
    assert exc.value.error_code is E.DAILY_LIMIT
    assert Report.objects.count() == 3
    assert "承诺保本保息" in Report.objects.get(pk=report.pk).facts
