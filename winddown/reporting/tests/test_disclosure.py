"""The public disclosure column (spec A): versions, sign-off, masking, the 48-hour rule, the
monthly operating figures from the AH-05 filing, the exit announcement by SMS, the public
index and the institution boundary."""

from __future__ import annotations

import random
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from winddown.audit.models import AuditEntry
from winddown.conftest import committed, register_file, staff_signed_in, upload_and_activate
from winddown.core.errors import DomainError
from winddown.core.providers import sms as dev_sms
from winddown.demo.generators import resident_id
from winddown.reporting import disclosure
from winddown.reporting.models import Disclosure
from winddown.reporting.tests.conftest import actor_of, complete
from winddown.reporting.tests.test_services import submit_complete


def publish(operator, institution, section, items, **kw):
    return disclosure.disclosure_publish(
        user=operator, actor=actor_of(operator), institution=institution, section=section,
        title=kw.pop("title", ""), items=items, signatory=kw.pop("signatory", "张三"), **kw,
    )  # fmt: skip


def test_every_publication_is_a_new_version_kept_five_years(operator_a, institution_a):
    items = disclosure.institution_items(institution_a)
    first = publish(operator_a, institution_a, "institution", items)
    second = publish(
        operator_a,
        institution_a,
        "institution",
        [*items, {"label": "资金存管信息", "value": "某银行"}],
    )
    assert (first.number, second.number) == (1, 2)
    assert first.retain_until.year == timezone.localdate().year + 5
    page = Client().get(f"/disclosure/{institution_a.pk}/").content.decode()
    assert "某银行" in page and "第2版" in page and "张三" in page
    old = Client().get(f"/disclosure/v/{first.pk}/").content.decode()
    assert "第1版" in old and "某银行" not in old
    versions = Client().get(f"/disclosure/{institution_a.pk}/institution/").content.decode()
    assert "第1版" in versions and "第2版" in versions


def test_sign_off_is_required(operator_a, institution_a):
    with pytest.raises(DomainError, match="法定代表人"):
        publish(
            operator_a,
            institution_a,
            "complaints",
            [{"label": "电子邮箱", "value": "a@b.cn"}],
            signatory="",
        )


def test_project_information_is_masked(operator_a, institution_a):
    d = publish(operator_a, institution_a, "projects", [
        {"label": "借款用途", "value": "联系人 110101198505170013 13812345678"},
        {"label": "借款人姓名", "value": "张小三"},
    ])  # fmt: skip
    value = d.content[0]["value"]
    assert "110101198505170013" not in value and "13812345678" not in value
    assert value == "联系人 110************013 138****5678"
    assert d.content[1]["value"] == "张**"


def test_major_event_needs_the_four_fields_and_is_marked_late_after_48_hours(
    operator_a, institution_a
):
    with pytest.raises(DomainError, match="可能产生的影响"):
        one = [{"label": "事件的起因", "value": "停业"}]
        publish(operator_a, institution_a, "major_events", one, occurred_at=timezone.now())
    items = [{"label": f, "value": "……"} for f in disclosure.MAJOR_EVENT_FIELDS]
    on_time = publish(operator_a, institution_a, "major_events", items, occurred_at=timezone.now())
    late = publish(
        operator_a, institution_a, "major_events", items,
        occurred_at=timezone.now() - timedelta(hours=49),
    )  # fmt: skip
    assert not disclosure.is_late(on_time) and disclosure.is_late(late)
    assert "超过48小时披露" in Client().get(f"/disclosure/{institution_a.pk}/").content.decode()


def test_operating_figures_come_from_the_ah05_filing_in_yuan(operator_a, institution_a):
    cells = {**complete("AH-05"), "AH503": "1234.5678", "AH504": "200", "AH513": "12.345678",
             "AH514": "3", "AH509": "12.5"}  # fmt: skip
    version = submit_complete(operator_a, institution_a, "AH-05", "2026-09", cells)
    items = {i["label"]: i["value"] for i in disclosure.operations_items(version.filing)}
    assert items["借贷余额（元）"] == "12345678.00"
    assert items["逾期金额（元）"] == "123456.78"
    assert items["项目逾期率"] == "1.50%"
    assert items["金额逾期率"] == "1.00%"
    assert items["前十大借款人待还金额占比（%）"] == "12.50"


def test_exit_announcement_reaches_the_lenders_of_the_register_by_sms(
    operator_a, institution_a, tmp_path
):
    rng = random.Random(7)
    rows = [["李四", "身份证", resident_id(rng), "13900000001", "100.00", "0", "1"],
            ["王五", "身份证", resident_id(rng), "13900000002", "200.00", "0", "1"]]  # fmt: skip
    upload_and_activate(institution_a, operator_a, register_file(tmp_path, rows))
    with pytest.raises(DomainError, match="投诉渠道"):
        publish(operator_a, institution_a, "exit", [{"label": "退出决定", "value": "良性退出"}])
    items = [{"label": label, "value": f"{label}内容"} for label in disclosure.EXIT_ITEMS]
    items[3]["value"] = "0551-12345678"
    dev_sms.OUTBOX.clear()
    with committed():
        d = publish(operator_a, institution_a, "exit", items, title="退出公告")
    phones = {m.phone for m in dev_sms.OUTBOX}
    assert phones == {"13900000001", "13900000002"}
    assert "0551-12345678" in dev_sms.OUTBOX[0].text
    d.refresh_from_db()
    assert d.sms_sent == 2


def test_operator_of_another_institution_cannot_publish_and_is_audited(operator_b, institution_a):
    with pytest.raises(DomainError) as exc:
        publish(operator_b, institution_a, "complaints", [{"label": "电子邮箱", "value": "x@y.cn"}])
    assert exc.value.http_status == 403
    assert not Disclosure.objects.exists()
    assert AuditEntry.objects.filter(
        action="reporting.filing_refused", institution_id=institution_a.pk
    ).exists()


def test_public_index_lists_institutions_with_a_column(operator_a, institution_a, institution_b):
    publish(operator_a, institution_a, "complaints", [{"label": "电子邮箱", "value": "a@b.cn"}])
    page = Client().get("/disclosure/").content.decode()
    assert "网贷机构A" in page and "网贷机构B" not in page
    assert Client().get(f"/disclosure/{institution_b.pk}/").status_code == 404


def test_staff_page_publishes_and_boundary(operator_a, operator_b, institution_a):
    client = staff_signed_in(operator_a)
    page = client.get(f"/staff/reporting/institutions/{institution_a.pk}/disclosure/")
    assert page.status_code == 200 and "退出公告" in page.content.decode()
    r = client.post(
        f"/staff/reporting/institutions/{institution_a.pk}/disclosure/publish/",
        {"section": "complaints", "item-电子邮箱": "kf@a.cn", "signatory": "张三"},
    )
    assert r.status_code == 302
    assert Disclosure.objects.get().content == [
        {"item": "", "label": "电子邮箱", "value": "kf@a.cn"}
    ]
    other = staff_signed_in(operator_b)
    r = other.post(
        f"/staff/reporting/institutions/{institution_a.pk}/disclosure/publish/",
        {"section": "complaints", "item-电子邮箱": "evil@a.cn", "signatory": "李四"},
    )
    assert r.status_code == 404
    assert Disclosure.objects.count() == 1


def test_monthly_operating_disclosure_is_due_on_the_fifth_working_day(operator_a, institution_a):
    from datetime import date

    status = disclosure.operations_due(institution_a.pk, today=date(2026, 10, 12))
    assert (status.period, status.due) == ("2026-09", date(2026, 10, 13))  # 国庆: 9–13 Oct
    assert not status.overdue
    late = disclosure.operations_due(institution_a.pk, today=date(2026, 10, 14))
    assert late.overdue and not late.published
