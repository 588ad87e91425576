"""A lender on a phone (360×780) through the three kinds of voting event: signing up as a
representative (attachment first, photo and résumé, password; withdraw and sign up again),
electing 2 of 3 candidates and changing the vote, a resolution with a wrong password first;
then, once counted and published through the services, the public result page and the
receipt check."""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from playwright.sync_api import expect

from winddown.conftest import make_lender, register_file, upload_and_activate
from winddown.demo.generators import register_rows
from winddown.testing import sample_docx, sample_pdf, sample_png
from winddown.voting.models import Ballot, SignUp, SignUpStatus, VotingEvent
from winddown.voting.services import authoring, lifecycle
from winddown.voting.tests.conftest import ME, close_now, make_event, open_now

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = "13500003333"
NAME = "林晓雯"
LENDER_ID = "440305199203150027"
PASSWORD = "135790"
PDF = sample_pdf()


@pytest.fixture
def snap(shot):
    """A screenshot, after checking the page fits the phone's width (no sideways scrolling)."""

    def take(page, step: str, *, full_page: bool = True):
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 360, f"{step}: the page is {width} px wide on a 360 px screen"
        return shot(page, step, full_page=full_page)

    return take


@pytest.fixture
def lender(institution_a, operator_a, tmp_path):
    """The lender holds 600.00 of the 800.00 yuan 网贷机构A owes (two others: 100.00 each)."""
    others = list(register_rows(2, seed=61))
    for row in others:
        row[4] = "100.00"
    rows = [*others, [NAME, "身份证", LENDER_ID, PHONE, "600.00", "0", "2"]]
    upload_and_activate(institution_a, operator_a, register_file(tmp_path, rows))
    return make_lender(PHONE, name=NAME, id_number=LENDER_ID, password=PASSWORD)


def event_open(institution, operator, officer, *, attachment: str = "", **values):
    event = make_event(institution, operator, **values)
    if attachment:
        authoring.attachment_add(
            event=event, user=event.created_by, upload=SimpleUploadedFile(attachment, PDF), actor=ME
        )
    return open_now(event, officer)


def signed_in_phone(pages, lender_sign_in):
    phone = pages.lender()
    lender_sign_in(phone, PHONE)
    phone.goto("/m/")
    return phone


def confirm_with_password(phone, password: str) -> None:
    expect(phone.get_by_role("heading", name="请确认您的选择")).to_be_visible()
    phone.fill("#vote-password", password)
    phone.locator("#confirm-button").click()


def test_recruitment_sign_up_withdraw_and_again(
    pages, snap, lender_sign_in, lender, institution_a, operator_a, wg_officer
):
    event = event_open(
        institution_a,
        operator_a,
        wg_officer,
        kind="recruitment",
        title="征集出借人代表",
        attachment="征集公告.pdf",
    )
    phone = signed_in_phone(pages, lender_sign_in)
    card = phone.get_by_test_id("event-card").filter(has_text="征集出借人代表")
    expect(card).to_contain_text("未报名")
    snap(phone, "01-home")
    card.click()

    # --- The sign-up form stays disabled until the attachment has been opened
    expect(phone.get_by_test_id("unread-hint")).to_have_text(
        "点击阅读附件后方可报名（还有1个未读）"
    )
    expect(phone.locator("#signup-button")).to_be_disabled()
    expect(phone.locator("#signup-phone")).to_be_disabled()
    snap(phone, "02-unread")
    phone.get_by_test_id("attachment").click()
    expect(phone.get_by_test_id("attachment-name")).to_have_text("征集公告.pdf（共 2 页）")
    expect(phone.get_by_test_id("attachment-viewer")).to_be_visible()
    # The PDF's pages are images inside the page, as wide as the phone's screen.
    pages = phone.get_by_test_id("attachment-page")
    expect(pages).to_have_count(2)
    phone.wait_for_function(
        "() => [...document.querySelectorAll('[data-testid=attachment-page]')]"
        ".every(img => img.complete && img.naturalWidth > 0)"
    )
    widths = pages.evaluate_all("imgs => imgs.map(img => [img.naturalWidth, img.width])")
    assert widths == [[1080, widths[0][1]]] * 2 and 300 <= widths[0][1] <= 360
    snap(phone, "03-attachment", full_page=False)
    phone.locator("#attachment-back").click()
    expect(phone.get_by_test_id("unread-hint")).to_have_count(0)
    expect(phone.get_by_test_id("attachment")).to_contain_text("已读")

    # --- Name read-only from the verified identity, ID number masked
    expect(phone.locator("input[name=name]")).to_have_value(NAME)
    expect(phone.locator("#signup-form")).to_contain_text("440************027")

    def fill_form(password: str) -> None:
        phone.fill("#signup-introduction", "从事会计工作十五年，愿意为出借人核对清退账目。")
        phone.set_input_files(
            "#signup-photo", {"name": "me.png", "mimeType": "image/png", "buffer": sample_png()}
        )
        phone.set_input_files(
            "#signup-resume", {"name": "简历.pdf", "mimeType": "application/pdf", "buffer": PDF}
        )
        phone.fill("#signup-password", password)
        phone.locator("#signup-button").click()

    fill_form("000000")
    expect(phone.get_by_role("alert")).to_have_text("投票密码错误，还可尝试 4 次")
    expect(phone.locator("#signup-introduction")).to_have_value(
        "从事会计工作十五年，愿意为出借人核对清退账目。"
    )
    fill_form(PASSWORD)
    expect(phone.get_by_test_id("signup-status")).to_have_text("已报名")
    snap(phone, "04-signed-up")

    # --- Withdraw (confirmed in a dialog), then sign up again
    phone.once("dialog", lambda dialog: dialog.accept())
    phone.locator("#withdraw-button").click()
    expect(phone.get_by_text("您已撤回报名，截止前可以重新报名。")).to_be_visible()
    fill_form(PASSWORD)
    expect(phone.get_by_test_id("signup-status")).to_have_text("已报名")
    snap(phone, "05-signed-up-again")
    statuses = list(
        SignUp.objects.filter(event=event).order_by("created_at").values_list("status", flat=True)
    )
    assert statuses == [SignUpStatus.WITHDRAWN, SignUpStatus.ACTIVE]
    signup = SignUp.objects.get(event=event, status=SignUpStatus.ACTIVE)
    assert signup.photo_type == "image/png" and signup.resume_type == "application/pdf"


def test_election_two_of_three_then_change(
    pages, snap, lender_sign_in, lender, institution_a, operator_a, wg_officer
):
    election = make_event(institution_a, operator_a, kind="election", seats=2, max_choices=2)
    for name, about in (("王小进", "律师"), ("张小英", "会计师"), ("陈小刚", "出借人代表")):
        authoring.candidate_add(
            event=election, user=election.created_by, name=name, description=about
        )
    election = open_now(election, wg_officer)

    phone = signed_in_phone(pages, lender_sign_in)
    card = phone.get_by_test_id("event-card").filter(has_text="选举监委会成员")
    expect(card).to_contain_text("尚未投票")
    card.click()
    expect(
        phone.get_by_text("每人最多2票，每项只能投一票，投票后可以更改，请慎重投票")
    ).to_be_visible()
    boxes = phone.locator("input[name=choice]")
    expect(boxes).to_have_count(3)

    # --- Two choices: the third box is locked in the page (the server checks anyway)
    boxes.nth(0).check()
    boxes.nth(1).check()
    expect(boxes.nth(2)).to_be_disabled()
    expect(phone.locator("#choice-count")).to_have_text("2")
    snap(phone, "01-two-chosen")
    phone.locator("#vote-button").click()
    expect(phone.get_by_test_id("confirm-choice")).to_have_text("王小进、张小英")
    snap(phone, "02-password")
    confirm_with_password(phone, PASSWORD)
    expect(phone.get_by_role("heading", name="投票成功")).to_be_visible()
    expect(phone.get_by_test_id("receipt-choice")).to_have_text("王小进、张小英")
    first = phone.get_by_test_id("receipt-code").inner_text()
    assert re.fullmatch(r"[A-Z2-7]{16}", first)
    snap(phone, "03-receipt")

    # --- Change: 王小进 and 陈小刚; the earlier ballot stays in the history
    phone.get_by_role("link", name="返回活动").click()
    expect(phone.get_by_test_id("current-choice")).to_have_text("王小进、张小英")
    expect(boxes.nth(0)).to_be_checked()
    boxes.nth(1).uncheck()
    expect(boxes.nth(2)).to_be_enabled()
    boxes.nth(2).check()
    phone.get_by_role("button", name="修改投票").click()
    expect(phone.get_by_test_id("confirm-choice")).to_have_text("王小进、陈小刚")
    confirm_with_password(phone, PASSWORD)
    expect(phone.get_by_role("heading", name="投票成功")).to_be_visible()
    second = phone.get_by_test_id("receipt-code").inner_text()
    assert second != first
    phone.get_by_role("link", name="返回活动").click()
    expect(phone.get_by_test_id("current-choice")).to_have_text("王小进、陈小刚")
    expect(phone.get_by_test_id("history")).to_contain_text(first)
    expect(phone.get_by_test_id("history")).to_contain_text("王小进、张小英")
    snap(phone, "04-changed")
    assert list(
        Ballot.objects.filter(event=election).order_by("seq").values_list("choice", "is_current")
    ) == [("c1+c2", False), ("c1+c3", True)]


def test_resolution_wrong_password_then_published_result_and_receipt(
    pages, snap, lender_sign_in, lender, institution_a, operator_a, wg_officer
):
    event = event_open(
        institution_a, operator_a, wg_officer, title="是否同意清退方案", attachment="清退方案.pdf"
    )
    phone = signed_in_phone(pages, lender_sign_in)
    phone.get_by_test_id("event-card").filter(has_text="是否同意清退方案").click()
    expect(phone.get_by_test_id("rule")).to_contain_text("2/3 + 双过半")
    expect(phone.locator("#vote-button")).to_be_disabled()
    phone.get_by_test_id("attachment").click()
    phone.locator("#attachment-back").click()
    phone.get_by_text("同意", exact=True).click()
    phone.locator("#vote-button").click()

    # --- Wrong password first: the message and the tries left, still on the password step
    confirm_with_password(phone, "000000")
    expect(phone.get_by_role("alert")).to_have_text("投票密码错误，还可尝试 4 次")
    snap(phone, "01-wrong-password")
    confirm_with_password(phone, PASSWORD)
    expect(phone.get_by_role("heading", name="投票成功")).to_be_visible()
    expect(phone.get_by_test_id("receipt-choice")).to_have_text("同意")
    receipt = phone.get_by_test_id("receipt-code").inner_text()
    snap(phone, "02-receipt")

    # --- Closed, counted and published through the services (the worker's and officer's part)
    event = close_now(VotingEvent.objects.get(pk=event.pk))
    event = lifecycle.event_publish(event=event, user=wg_officer, actor=ME)
    assert event.result["result"]["passed"] is True

    # --- The lender is told (消息 badge) and finds the result from the event page
    phone.goto("/m/")
    expect(phone.get_by_test_id("unread-badge")).to_have_text("2")  # opened + published
    phone.get_by_test_id("tab-notices").click()
    expect(phone.get_by_test_id("notice").first).to_contain_text("结果已公布")
    expect(phone.get_by_test_id("unread-badge")).to_have_count(0)
    snap(phone, "03-notices")

    # --- The public result page, as anyone opens it (no sign-in)
    visitor = pages.lender()
    visitor.goto(f"/events/{event.pk}/result/")
    expect(visitor.get_by_test_id("verdict")).to_contain_text("表决结果：通过")
    expect(visitor.get_by_test_id("electorate-heads")).to_have_text("3 人")
    expect(visitor.get_by_test_id("electorate-weight")).to_have_text("800.00 元")
    expect(visitor.get_by_test_id("tally")).to_contain_text("75.00%")  # 600 of 800 yuan
    criteria = visitor.get_by_test_id("criterion")
    expect(criteria).to_have_count(3)
    for criterion in event.result["result"]["criteria"]:
        expect(visitor.get_by_test_id("criteria")).to_contain_text(criterion["explanation"])
    expect(visitor.get_by_test_id("merkle-root")).to_have_text(event.merkle_root)
    expect(visitor.get_by_test_id("bundle-link")).to_have_attribute(
        "href", f"/events/{event.pk}/bundle.zip"
    )
    snap(visitor, "04-result")

    visitor.fill("#receipt-input", receipt.lower())
    visitor.locator("#receipt-lookup").click()
    expect(visitor.get_by_test_id("proof-verdict")).to_contain_text("已核验")
    expect(visitor.get_by_test_id("final")).to_contain_text("已计入结果")
    expect(visitor.get_by_test_id("proof-root")).to_have_text(event.merkle_root)
    snap(visitor, "05-receipt-verified")


def test_word_attachment_reads_on_the_phone_then_the_vote_opens(
    pages, snap, lender_sign_in, lender, institution_a, operator_a, wg_officer
):
    long_line = "清退方案第三条兑付安排" * 12 + "https://www.example.org/" + "a" * 80
    docx = sample_docx("网贷机构A清退方案（Word 版）", [long_line, "第二段：分期兑付。"])
    event = make_event(institution_a, operator_a, title="是否同意 Word 版清退方案")
    authoring.attachment_add(
        event=event,
        user=event.created_by,
        upload=SimpleUploadedFile("清退方案.docx", docx),
        actor=ME,
    )
    open_now(event, wg_officer)
    phone = signed_in_phone(pages, lender_sign_in)
    phone.get_by_test_id("event-card").filter(has_text="Word 版清退方案").click()
    expect(phone.locator("#vote-button")).to_be_disabled()
    phone.get_by_test_id("attachment").click()
    viewer = phone.get_by_test_id("attachment-viewer")
    expect(viewer).to_contain_text("网贷机构A清退方案（Word 版）")
    expect(viewer.locator("table")).to_contain_text("第一期")
    expect(viewer.locator("img")).to_have_attribute("alt", "公司公章")
    expect(phone.get_by_text("下载 Word 原文件")).to_be_visible()
    snap(phone, "word-attachment")  # fits 360 px: long lines wrap, wide tables scroll inside
    phone.locator("#attachment-back").click()
    expect(phone.locator("#vote-button")).to_be_enabled()
