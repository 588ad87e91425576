"""The staff side of a resolution, in a 1280×800 browser: the operator drafts it with an
attachment and submits it; the working group returns it with a comment; the operator fixes
and resubmits; the working group approves. While it is open the progress panel shows
participation (live, htmx) and never a yes/no figure; after counting the officer publishes and
downloads the announcement and the roster."""

from __future__ import annotations

import io
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from openpyxl import load_workbook
from playwright.sync_api import expect

from winddown.audit.services import Actor
from winddown.conftest import make_lender, register_file, upload_and_activate
from winddown.demo.generators import register_rows
from winddown.testing import sample_pdf
from winddown.voting.models import EventStatus, VotingEvent
from winddown.voting.services import casting, lifecycle

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "258036"
ME = Actor(None, "tests")
PDF = sample_pdf()
TITLE = "关于网贷机构A良性退出方案的表决"
# Yes: 1,000 + 2,000 (+ 8,000 later); no: 4,000 — none of these sums is a participation total.
WEIGHTS = ["1000.00", "2000.00", "4000.00", "8000.00"]


@pytest.fixture
def lenders(tmp_path, institution_a, operator_a):
    rows = [list(r) for r in register_rows(len(WEIGHTS), seed=77)]
    for row, weight in zip(rows, WEIGHTS, strict=True):
        row[4] = weight
    upload_and_activate(institution_a, operator_a, register_file(tmp_path, rows))
    return [make_lender(r[3], name=r[0], id_number=r[2], password=PASSWORD) for r in rows]


def vote(event, lender, choice):
    for attachment in event.attachments.all():
        casting.attachment_open_record(attachment=attachment, lender=lender)
    casting.ballot_cast(event=event, lender=lender, choice=choice, password=PASSWORD, actor=ME)


def test_resolution_from_draft_to_published(
    pages, shot, staff_sign_in, institution_a, operator_a, wg_officer, lenders
):
    operator = pages.staff()
    staff_sign_in(operator, operator_a)

    # --- The operator drafts a resolution from the institution's page
    operator.goto(f"/staff/institutions/{institution_a.pk}/")
    operator.locator("#institution-events").get_by_role("link", name="新建活动").click()
    expect(operator.get_by_role("heading", name="新建投票活动")).to_be_visible()
    expect(operator.get_by_role("radio", name="决议")).to_be_checked()
    expect(operator.get_by_label("应选人数（N）")).to_be_hidden()  # election-only fields
    operator.get_by_label("标题").fill(TITLE)
    operator.get_by_label("活动内容（出借人可见）").fill(
        "请各位出借人阅读附件中的良性退出方案，并就是否同意该方案进行表决。"
    )
    expect(operator.get_by_label("计票规则")).to_have_value("p2p-exit")
    abstain = operator.get_by_label("设“弃权”选项（决议：同意 / 不同意 / 弃权）")
    expect(abstain).not_to_be_checked()  # 同意 / 不同意 as in the manual, unless asked for
    abstain.check()
    expect(operator.locator(".rule-info:visible")).to_contain_text("2/3+双过半原则")
    shot(operator, "01-new")
    operator.get_by_role("button", name="保存草稿，下一步添加附件").click()
    expect(operator.get_by_role("heading", name=f"修改活动：{TITLE} 草稿")).to_be_visible()
    event = VotingEvent.objects.get(title=TITLE)

    operator.get_by_label(
        "上传附件（PDF、Word（.docx）、JPG 或 PNG；手机上可直接在页面中打开）"
    ).set_input_files(
        files=[{"name": "良性退出方案.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    operator.get_by_role("button", name="上传", exact=True).click()
    expect(operator.locator(".messages")).to_contain_text("已上传附件“良性退出方案.pdf”")
    expect(operator.get_by_role("link", name="良性退出方案.pdf")).to_be_visible()
    shot(operator, "02-draft-with-attachment")
    operator.get_by_role("button", name="保存并提交审核").click()
    expect(operator.get_by_test_id("event-status")).to_have_text("待审核")

    # --- The working group returns it with a comment
    officer = pages.staff()
    staff_sign_in(officer, wg_officer)
    officer.get_by_role("navigation").get_by_role("link", name="投票活动").click()
    queue = officer.get_by_test_id("review-queue")
    expect(queue).to_contain_text(TITLE)
    shot(officer, "03-review-queue")
    queue.get_by_role("link", name=TITLE).click()
    officer.get_by_role("button", name="退回修改").click()
    expect(officer.locator("p.error")).to_have_text("请填写退回意见，说明需要修改什么")
    officer.get_by_label("退回意见（必填，经办人可见）").fill("请在标题中注明表决事项的编号。")
    officer.get_by_role("button", name="退回修改").click()
    expect(officer.get_by_test_id("event-status")).to_have_text("已退回")

    # --- The operator sees the comment, fixes the title and resubmits
    operator.goto(f"/staff/events/{event.pk}/")
    expect(operator.get_by_test_id("review-comment")).to_contain_text(
        "请在标题中注明表决事项的编号。"
    )
    operator.get_by_role("link", name="修改 / 提交审核").click()
    expect(operator.get_by_test_id("review-comment")).to_be_visible()
    shot(operator, "04-returned")
    operator.get_by_label("标题").fill(f"{TITLE}（第1号）")
    operator.get_by_role("button", name="保存并提交审核").click()
    expect(operator.get_by_test_id("event-status")).to_have_text("待审核")

    # --- The working group approves
    officer.goto(f"/staff/events/{event.pk}/")
    officer.get_by_role("button", name="批准").click()
    expect(officer.get_by_test_id("event-status")).to_have_text("已批准，待开始")
    expect(officer.get_by_test_id("timeline")).to_contain_text("退回投票活动")
    expect(officer.get_by_test_id("timeline")).to_contain_text("批准投票活动")

    # --- The opening time comes; three lenders vote
    VotingEvent.objects.filter(pk=event.pk).update(opens_at=timezone.now() - timedelta(seconds=1))
    event = lifecycle.event_open(event.pk)
    assert event.status == EventStatus.OPEN
    vote(event, lenders[0], "no")
    vote(event, lenders[0], "yes")  # changed
    vote(event, lenders[1], "yes")
    vote(event, lenders[2], "no")

    officer.goto(f"/staff/events/{event.pk}/")
    progress = officer.get_by_test_id("progress")
    expect(progress.get_by_test_id("voted-heads")).to_have_text("3 / 4")
    expect(progress.get_by_test_id("voted-weight")).to_have_text("7,000.00 / 15,000.00")
    expect(progress.get_by_test_id("changes")).to_have_text("1")
    expect(progress.get_by_test_id("quorum")).to_contain_text(
        "参与表决本金需不低于三分之二：尚未达到"
    )
    expect(officer.get_by_test_id("record-date")).to_contain_text("第1版")
    shot(officer, "05-progress")

    # The panel refreshes itself (htmx, every 10 s) when another lender votes.
    vote(event, lenders[3], "yes")
    expect(progress.get_by_test_id("voted-heads")).to_have_text("4 / 4", timeout=15_000)
    expect(progress.get_by_test_id("quorum")).to_contain_text("已达到")
    for sealed in ("3,000.00", "11,000.00", "4,000.00", "同意"):
        expect(progress).not_to_contain_text(sealed)
    expect(officer.get_by_test_id("tally")).to_have_count(0)
    expect(officer.locator("main")).not_to_contain_text("11,000.00")
    shot(officer, "06-progress-live")

    # --- Closing and counting (the worker's job), then the officer publishes
    VotingEvent.objects.filter(pk=event.pk).update(closes_at=timezone.now())
    event = lifecycle.event_count(event.pk)
    assert event.status == EventStatus.COUNTED
    officer.reload()
    tally = officer.get_by_test_id("tally")
    expect(tally.locator("tr").filter(has_text="不同意")).to_contain_text("4,000.00")
    expect(tally.locator("tr").filter(has_text="弃权")).to_contain_text("0.00")
    expect(officer.get_by_test_id("verdict")).to_have_text("通过")
    expect(officer.get_by_test_id("merkle-root")).to_have_text(event.merkle_root)
    shot(officer, "07-counted")
    officer.get_by_role("button", name="公布结果").click()
    expect(officer.get_by_test_id("event-status")).to_have_text("已公布")
    expect(officer.get_by_test_id("published")).to_contain_text(f"/events/{event.pk}/result/")
    shot(officer, "08-published")

    # --- Exports
    with officer.expect_download() as info:
        officer.get_by_role("link", name="下载结果公告（PDF）").click()
    pdf = Path(info.value.path()).read_bytes()
    assert pdf.startswith(b"%PDF") and b"/Type /Page" in pdf
    with officer.expect_download() as info:
        officer.get_by_role("link", name="下载投票名册（XLSX，完整身份）").click()
    roster = load_workbook(io.BytesIO(Path(info.value.path()).read_bytes()))["投票名册"]
    rows = list(roster.iter_rows(min_row=2, values_only=True))
    assert len(rows) == 4
    assert {row[2] for row in rows} == {lender.id_number.value for lender in lenders}

    # The operator's roster is masked.
    operator.goto(f"/staff/events/{event.pk}/")
    with operator.expect_download() as info:
        operator.get_by_role("link", name="下载投票名册（XLSX，身份已脱敏）").click()
    masked = load_workbook(io.BytesIO(Path(info.value.path()).read_bytes()))["投票名册"]
    assert all("*" in row[2] for row in masked.iter_rows(min_row=2, values_only=True))
