"""Lender voting pages and public result pages (Django test client): who may open what,
and every refusal of the voting core rendered as its Chinese message, never a 500. Over
500 lines: every lender page and refusal of a vote in one place."""

from __future__ import annotations

import io
import re
import zipfile
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from winddown.accounts.roles import Role
from winddown.claims import services as claims_services
from winddown.conftest import make_lender, make_staff, register_file, upload_and_activate
from winddown.core import private_files
from winddown.core.errors import DomainError
from winddown.demo.generators import register_rows
from winddown.testing import sample_docx, sample_pdf
from winddown.verify import verify_bundle
from winddown.voting.models import (
    AttachmentOpen,
    Ballot,
    EventAttachment,
    EventStatus,
    Notice,
    SignUp,
    SignUpStatus,
    VotingEvent,
)
from winddown.voting.results import Share
from winddown.voting.services import authoring, casting, lifecycle, notices, signups
from winddown.voting.tests.conftest import ME, PASSWORD, close_now, make_event, open_now

pytestmark = pytest.mark.django_db

PDF = sample_pdf()
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


@pytest.fixture
def rows():
    rows = list(register_rows(6, seed=21))
    for row in rows:
        row[4] = "100.00"
    rows[-1][4] = "0.00"  # registered, but owed nothing: never in an electorate
    return rows


@pytest.fixture
def register(tmp_path, institution_a, operator_a, rows):
    return upload_and_activate(institution_a, operator_a, register_file(tmp_path, rows))


@pytest.fixture
def lenders(register, rows):
    return [
        make_lender(row[3], name=row[0], id_number=row[2], password=PASSWORD) for row in rows[:3]
    ]


@pytest.fixture
def lender(lenders):
    return lenders[0]


@pytest.fixture
def signed_in(client, lender):
    client.force_login(lender.user)
    return client


def with_attachment(event: VotingEvent, name: str = "清退方案.pdf", data: bytes = PDF):
    return authoring.attachment_add(
        event=event, user=event.created_by, upload=SimpleUploadedFile(name, data), actor=ME
    )


def page(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def vote(client, event, choice, *, password=PASSWORD, key="key-1"):
    """Step 2 of casting: the password form, as the browser posts it."""
    return client.post(
        f"/m/events/{event.pk}/vote/",
        {"step": "confirm", "choice": choice, "password": password, "idempotency_key": key},
    )


def test_percent_is_integer_arithmetic():
    def percent(part: int, whole: int) -> str:
        return Share(part, whole, "attending_heads").text

    assert percent(2, 3) == "66.67%"
    assert percent(1, 8) == "12.50%"
    assert percent(1, 200_000) == "0.00%" and percent(1, 20_000) == "0.01%"  # half-up
    assert percent(5, 0) == "—"
    assert percent(10**14, 3 * 10**14) == "33.33%"


# --- Boundaries -----------------------------------------------------------------------------


def test_home_groups_the_lenders_events(
    signed_in, institution_a, institution_b, operator_a, operator_b, wg_officer, tmp_path
):
    other_rows = list(register_rows(2, seed=5))
    upload_and_activate(institution_b, operator_b, register_file(tmp_path, other_rows, "b.csv"))
    event_open = open_now(make_event(institution_a, operator_a, title="清退方案表决"), wg_officer)
    soon = make_event(institution_a, operator_a, title="监委会选举", kind="election")
    authoring.candidate_add(event=soon, user=soon.created_by, name="王小进")
    authoring.event_submit(event=soon, user=soon.created_by, actor=ME)
    authoring.event_approve(event=VotingEvent.objects.get(pk=soon.pk), user=wg_officer, actor=ME)
    make_event(institution_a, operator_a, title="草稿不显示")
    elsewhere = make_event(institution_b, operator_b, title="别家机构的表决")
    authoring.event_submit(event=elsewhere, user=elsewhere.created_by, actor=ME)

    html = page(signed_in.get("/m/"))
    assert "进行中" in html and "即将开始" in html and "已结束" not in html
    assert "清退方案表决" in html and "尚未投票" in html
    assert "监委会选举" in html
    assert "草稿不显示" not in html and "别家机构的表决" not in html
    assert f"/m/events/{event_open.pk}/" in html


def test_home_asks_to_check_claims_not_yet_confirmed(
    signed_in, lender, institution_a, institution_b, operator_b, tmp_path, rows
):
    # The lender is owed money at B too.
    own = [lender.real_name, "身份证", lender.id_number.value, rows[0][3], "50.00", "0.00", "1"]
    upload_and_activate(institution_b, operator_b, register_file(tmp_path, [own], "b.csv"))
    box = re.search(r'data-testid="claims-to-check">(.*?)</div>', page(signed_in.get("/m/")))
    assert box and "网贷机构A" in box[1] and "网贷机构B" in box[1]
    assert f'href="/m/claims/{institution_a.pk}/"' in box[1]

    claims_services.claim_confirm(lender=lender, institution=institution_a, actor=ME)
    box = re.search(r'data-testid="claims-to-check">(.*?)</div>', page(signed_in.get("/m/")))
    assert box and "网贷机构A" not in box[1] and "网贷机构B" in box[1]
    claims_services.dispute_raise(
        lender=lender, institution=institution_b, reason="本金应为 80 元", actor=ME
    )
    assert "claims-to-check" not in page(signed_in.get("/m/"))


def test_home_and_events_api_cost_the_same_queries_for_many_events(
    signed_in, lender, institution_a, operator_a, wg_officer
):
    """The lender's list reads ballots, sign-ups and candidate names for all events at
    once: more events, no more queries."""

    def queries(url: str) -> int:
        with CaptureQueriesContext(connection) as captured:
            assert signed_in.get(url).status_code == 200
        return len(captured)

    def voted_election(title: str) -> None:
        election = make_event(institution_a, operator_a, kind="election", title=title)
        for name in ("王小进", "李小华"):
            authoring.candidate_add(event=election, user=election.created_by, name=name)
        election = open_now(election, wg_officer)
        casting.ballot_cast(
            event=election, lender=lender, choice=["c1"], password=PASSWORD, actor=ME
        )

    voted_election("第一次选举")
    one = (queries("/m/"), queries("/api/events"))
    for n in range(3):
        voted_election(f"选举 {n}")
        open_now(make_event(institution_a, operator_a, kind="recruitment"), wg_officer)
    assert "王小进" in page(signed_in.get("/m/"))
    assert (queries("/m/"), queries("/api/events")) == one


def test_other_institutions_events_are_404(
    signed_in, institution_b, operator_b, wg_officer, tmp_path
):
    other_rows = list(register_rows(2, seed=5))
    upload_and_activate(institution_b, operator_b, register_file(tmp_path, other_rows, "b.csv"))
    event = make_event(institution_b, operator_b)
    attachment = with_attachment(event)
    event = open_now(event, wg_officer)
    for url in (
        f"/m/events/{event.pk}/",
        f"/m/events/{event.pk}/attachments/{attachment.pk}/",
        f"/m/events/{event.pk}/attachments/{attachment.pk}/file/",
        f"/m/events/{event.pk}/attachments/{attachment.pk}/pages/1/",
        f"/m/events/{event.pk}/ballots/AAAAAAAAAAAAAAAA/",
    ):
        assert signed_in.get(url).status_code == 404, url
    assert signed_in.post(f"/m/events/{event.pk}/vote/", {"choice": "yes"}).status_code == 404
    assert not AttachmentOpen.objects.exists()


def test_lender_outside_the_electorate_gets_404(
    client, institution_a, operator_a, wg_officer, rows, register
):
    nobody = make_lender(rows[-1][3], name=rows[-1][0], id_number=rows[-1][2], password=PASSWORD)
    event = open_now(make_event(institution_a, operator_a), wg_officer)
    client.force_login(nobody.user)
    assert client.get(f"/m/events/{event.pk}/").status_code == 404
    assert "暂无投票活动" in page(client.get("/m/"))


def test_unverified_lender_is_sent_to_onboarding(
    client, institution_a, operator_a, wg_officer, lenders
):
    event = open_now(make_event(institution_a, operator_a), wg_officer)
    newcomer = make_lender("13900139000")
    client.force_login(newcomer.user)
    for url in ("/m/", f"/m/events/{event.pk}/"):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"] == "/m/identity/", url
    response = client.post(f"/m/events/{event.pk}/vote/", {"choice": "yes"})
    assert response.status_code == 302 and response["Location"] == "/m/identity/"


def test_staff_are_not_lenders(client, institution_a, operator_a, wg_officer, lenders):
    event = open_now(make_event(institution_a, operator_a), wg_officer)
    client.force_login(wg_officer)
    for url in ("/m/", f"/m/events/{event.pk}/", "/m/notices/"):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/m/login/"), url


def test_results_and_bundle_only_when_published(
    client, signed_in, institution_a, operator_a, wg_officer, lenders
):
    event = open_now(make_event(institution_a, operator_a, allow_abstain=True), wg_officer)
    urls = (
        f"/events/{event.pk}/result/",
        f"/events/{event.pk}/bundle.zip",
        f"/events/{event.pk}/receipt/?code=AAAAAAAAAAAAAAAA",
    )
    for url in urls:
        assert client.get(url).status_code == 404, url
    ballot = casting.ballot_cast(
        event=event, lender=lenders[0], choice="yes", password=PASSWORD, actor=ME
    ).ballot
    event = close_now(event)
    assert event.status == EventStatus.COUNTED
    for url in urls:
        assert client.get(url).status_code == 404, url  # counted, not yet published
    assert f"/events/{event.pk}/" not in page(client.get("/events/"))

    lifecycle.event_publish(event=event, user=wg_officer, actor=ME)
    client.logout()  # public pages: no sign-in
    html = page(client.get(f"/events/{event.pk}/result/"))
    event.refresh_from_db()
    assert (
        event.merkle_root in html and "下载后运行" in html and "python -m winddown.verify" in html
    )
    # In ballot order on every database (PostgreSQL's jsonb stores "no" before "yes").
    assert re.findall(r"<tr><td>(同意|不同意|弃权)", html) == ["同意", "不同意", "弃权"]
    response = client.get(f"/events/{event.pk}/bundle.zip")
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"].startswith("attachment;")
    data = b"".join(response.streaming_content)
    assert sorted(zipfile.ZipFile(io.BytesIO(data)).namelist()) == ["ballots.csv", "manifest.json"]
    assert f"/events/{event.pk}/result/" in page(client.get("/events/"))
    html = page(client.get(f"/events/{event.pk}/receipt/", {"code": ballot.receipt.lower()}))
    assert "已核验" in html and "已计入结果" in html


# --- Attachments ----------------------------------------------------------------------------


def test_attachments_must_be_opened_before_voting(
    signed_in, lender, institution_a, operator_a, wg_officer
):
    event = make_event(institution_a, operator_a)
    pdf = with_attachment(event)
    image = with_attachment(event, "公告.png", PNG)
    event = open_now(event, wg_officer)
    url = f"/m/events/{event.pk}/"

    html = page(signed_in.get(url))
    assert "活动附件（共2个，点击阅读附件后方可投票）" in html
    assert "点击阅读附件后方可投票（还有2个未读）" in html
    assert 'id="vote-button" disabled' in html
    html = page(signed_in.post(f"{url}vote/", {"choice": "yes"}))
    assert "请先点击阅读全部附件（还有 2 个未读）后再投票" in html
    html = page(vote(signed_in, event, "yes"))
    assert "请先点击阅读全部附件（还有 2 个未读）后再投票" in html
    assert not Ballot.objects.exists()

    # A PDF is shown in the page as its pages' images (phones do not show PDFs in a page).
    html = page(signed_in.get(f"{url}attachments/{pdf.pk}/"))
    assert "清退方案.pdf（共 2 页）" in html and "第 2 / 2 页" in html
    assert html.count('data-testid="attachment-page"') == 2
    assert f"{url}attachments/{pdf.pk}/file/" in html  # the original, to open or save
    assert AttachmentOpen.objects.filter(attachment=pdf, lender=lender).count() == 1
    for number in (1, 2):
        jpeg = signed_in.get(f"{url}attachments/{pdf.pk}/pages/{number}/")
        assert jpeg["Content-Type"] == "image/jpeg"
        assert b"".join(jpeg.streaming_content).startswith(b"\xff\xd8\xff")
    for missing in (0, 3):
        assert signed_in.get(f"{url}attachments/{pdf.pk}/pages/{missing}/").status_code == 404
    response = signed_in.get(f"{url}attachments/{pdf.pk}/file/")
    assert response["Content-Type"] == "application/pdf"
    # Downloaded, never shown inline: a PDF can carry scripts (the pages above are ours).
    assert response["Content-Disposition"].startswith("attachment")
    assert "sandbox" in response["Content-Security-Policy"]
    assert b"".join(response.streaming_content) == PDF
    assert "还有1个未读" in page(signed_in.get(url))

    html = page(signed_in.get(f"{url}attachments/{image.pk}/"))
    assert "<img" in html and f"{url}attachments/{image.pk}/file/" in html
    html = page(signed_in.get(url))
    assert "个未读" not in html and 'id="vote-button" disabled' not in html
    assert signed_in.get(f"{url}attachments/999999/").status_code == 404


def test_a_word_attachment_reads_as_text_in_the_page(
    signed_in, lender, institution_a, operator_a, wg_officer
):
    """Exit plans are often written in Word, which phones cannot open inside a page."""
    event = make_event(institution_a, operator_a)
    word = with_attachment(event, "清退方案.docx", sample_docx("清退方案（第二稿）"))
    assert word.content_type == private_files.word_documents.DOCX_TYPE and word.is_word
    event = open_now(event, wg_officer)
    url = f"/m/events/{event.pk}/"
    assert "还有1个未读" in page(signed_in.get(url))

    html = page(signed_in.get(f"{url}attachments/{word.pk}/"))
    viewer = re.search(r'<article class="doc-html"[^>]*>(.*?)</article>', html, re.S).group(1)
    assert "<strong>清退方案（第二稿）</strong>" in viewer
    assert "<td><p>第一期</p></td><td><p>10%</p></td>" in viewer
    assert '<img alt="公司公章" src="data:image/png;base64,' in viewer
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in viewer and "javascript:" not in viewer
    assert "下载 Word 原文件" in html
    assert AttachmentOpen.objects.filter(attachment=word, lender=lender).count() == 1
    assert "个未读" not in page(signed_in.get(url))

    response = signed_in.get(f"{url}attachments/{word.pk}/file/")
    assert response["Content-Type"] == private_files.word_documents.DOCX_TYPE
    assert response["Content-Disposition"].startswith("attachment")
    assert "%E6%B8%85%E9%80%80%E6%96%B9%E6%A1%88.docx" in response["Content-Disposition"]
    assert b"".join(response.streaming_content) == sample_docx("清退方案（第二稿）")


def test_word_files_that_cannot_be_shown_are_refused_and_removal_leaves_no_file(
    institution_a, operator_a, django_capture_on_commit_callbacks
):
    event = make_event(institution_a, operator_a)
    old_word = SimpleUploadedFile("方案.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504))
    with pytest.raises(DomainError) as refused:
        authoring.attachment_add(event=event, user=event.created_by, upload=old_word, actor=ME)
    assert refused.value.field == "attachment"
    assert "不支持旧版 Word 文档（.doc）" in refused.value.message
    assert "另存为 .docx 或 PDF" in refused.value.message
    assert not EventAttachment.objects.exists()

    word = with_attachment(event, "方案.docx", sample_docx())
    with private_files.open_plain(word.html_path) as stored:
        assert "兑付安排" in stored.read().decode()
    with django_capture_on_commit_callbacks(execute=True):
        authoring.attachment_remove(attachment=word, user=word.event.created_by, actor=ME)
    for path in (word.html_path, word.path):
        with pytest.raises(FileNotFoundError):
            private_files.open_plain(path)


# --- Casting --------------------------------------------------------------------------------


@pytest.fixture
def resolution(institution_a, operator_a, wg_officer, lenders):
    return open_now(make_event(institution_a, operator_a, allow_abstain=False), wg_officer)


def test_event_page_reads_like_the_manual(signed_in, institution_a, operator_a, wg_officer):
    """Sections as in the lender manual, the exact closing second, and the one-vote hint."""
    closes = timezone.localtime().replace(hour=23, minute=59, second=59, microsecond=0)
    event = make_event(institution_a, operator_a, closes_at=closes + timedelta(days=2))
    event = open_now(event, wg_officer)
    html = page(signed_in.get(f"/m/events/{event.pk}/"))
    assert "活动内容" in html and "请各位出借人表决清退方案。" in html and "计票规则" in html
    assert re.search(r"截止时间</span><b>\d{4}-\d\d-\d\d 23:59:59</b>", html)
    assert "每人一票，投票后可以更改，以最后一次投票为准，请慎重投票。" in html
    assert "23:59:59" in page(signed_in.get("/m/"))


def test_vote_receipt_change_and_history(signed_in, lender, lenders, resolution):
    url = f"/m/events/{resolution.pk}/"
    html = page(signed_in.get(url))
    assert "同意" in html and "不同意" in html and "弃权" not in html
    assert "2/3 + 双过半" in html and "深圳网贷机构退出网络投票系统" in html  # the rule

    # Step 1: the choice; the password step carries a fresh idempotency key.
    html = page(signed_in.post(f"{url}vote/", {"step": "choose", "choice": "no"}))
    assert "请确认您的选择" in html and 'inputmode="numeric"' in html and "不同意" in html
    assert 'name="idempotency_key" value="' in html

    response = vote(signed_in, resolution, "no", key="first")
    first = Ballot.objects.get(event=resolution)
    assert response.status_code == 302
    assert response["Location"] == f"{url}ballots/{first.receipt}/"
    html = page(signed_in.get(response["Location"]))
    assert "投票成功" in html and first.receipt in html and "不同意" in html
    assert "以最后一次投票为准" in html

    vote(signed_in, resolution, "yes", key="second")
    second = Ballot.objects.get(event=resolution, is_current=True)
    html = page(signed_in.get(url))
    assert "修改投票" in html
    assert second.receipt in html and first.receipt in html  # current, and the history
    assert "已被之后的投票替换" in html
    html = page(signed_in.get(f"{url}ballots/{first.receipt}/"))
    assert "已被替换的投票" in html

    # Another lender cannot open this lender's receipt.
    signed_in.force_login(lenders[1].user)
    assert signed_in.get(f"{url}ballots/{first.receipt}/").status_code == 404
    html = page(signed_in.get("/m/"))
    assert "尚未投票" in html


def test_same_submission_twice_counts_once(signed_in, resolution):
    one = vote(signed_in, resolution, "yes", key="same-key")
    two = vote(signed_in, resolution, "yes", key="same-key")
    assert one.status_code == two.status_code == 302
    assert one["Location"] == two["Location"]
    assert Ballot.objects.filter(event=resolution).count() == 1


def test_wrong_password_then_locked(signed_in, lender, resolution):
    html = page(vote(signed_in, resolution, "yes", password="000000", key="k"))
    assert "投票密码错误，还可尝试 4 次" in html
    assert "请确认您的选择" in html and 'value="k"' in html  # still the password step
    for _ in range(4):
        html = page(vote(signed_in, resolution, "yes", password="000000"))
    assert "投票密码错误次数过多，已锁定至" in html
    html = page(vote(signed_in, resolution, "yes"))  # even the right one, while locked
    assert "已锁定至" in html
    assert not Ballot.objects.exists()


@pytest.mark.parametrize(
    ("choice", "message"),
    [
        ("maybe", "选项“maybe”不存在，请重新选择"),
        ("abstain", "本次表决不设弃权选项"),
        ("", "选项“”不存在，请重新选择"),
    ],
)
def test_invalid_resolution_choices(signed_in, resolution, choice, message):
    assert message in page(signed_in.post(f"/m/events/{resolution.pk}/vote/", {"choice": choice}))
    assert message in page(vote(signed_in, resolution, choice))
    assert not Ballot.objects.exists()


def test_election_choices(signed_in, lender, institution_a, operator_a, wg_officer, lenders):
    election = make_event(institution_a, operator_a, kind="election", seats=2, max_choices=2)
    for name in ("王小进", "张小英", "陈小刚"):
        authoring.candidate_add(
            event=election, user=election.created_by, name=name, description=f"{name}的介绍"
        )
    election = open_now(election, wg_officer)
    url = f"/m/events/{election.pk}/vote/"
    html = page(signed_in.get(f"/m/events/{election.pk}/"))
    assert "每人最多2票，每项只能投一票，投票后可以更改，请慎重投票" in html
    assert "张小英的介绍" in html and 'type="checkbox"' in html

    assert "每人最多选择 2 名候选人，您选择了 3 名" in page(
        signed_in.post(url, {"choice": ["c1", "c2", "c3"]})
    )
    assert "每人最多选择 2 名候选人，您选择了 3 名" in page(
        vote(signed_in, election, ["c1", "c2", "c3"])
    )
    assert "请至少选择一名候选人" in page(signed_in.post(url, {"choice": []}))
    assert "同一候选人只能选择一次" in page(signed_in.post(url, {"choice": ["c1", "c1"]}))
    assert "选项“c9”不存在" in page(signed_in.post(url, {"choice": ["c9"]}))
    html = page(signed_in.post(url, {"choice": ["c3", "c1"]}))
    assert "王小进、陈小刚" in html
    assert vote(signed_in, election, ["c3", "c1"]).status_code == 302
    assert Ballot.objects.get(event=election).choice == "c1+c3"
    html = page(signed_in.get(f"/m/events/{election.pk}/"))
    assert "王小进、陈小刚" in html
    html = page(signed_in.get("/m/"))
    assert "已投票：王小进、陈小刚" in html


def test_not_open_yet_and_closed(signed_in, institution_a, operator_a, wg_officer, lenders):
    event = make_event(institution_a, operator_a)
    authoring.event_submit(event=event, user=event.created_by, actor=ME)
    event = authoring.event_approve(
        event=VotingEvent.objects.get(pk=event.pk), user=wg_officer, actor=ME
    )
    html = page(signed_in.get(f"/m/events/{event.pk}/"))
    assert "投票尚未开始" in html and 'id="ballot-form"' not in html
    assert "投票尚未开始，开始时间为" in page(
        signed_in.post(f"/m/events/{event.pk}/vote/", {"choice": "yes"})
    )
    assert "投票尚未开始，开始时间为" in page(vote(signed_in, event, "yes"))

    event = open_now(event, wg_officer)
    VotingEvent.objects.filter(pk=event.pk).update(closes_at=timezone.now() - timedelta(seconds=1))
    # Closing is applied when the page is opened, as the worker would.
    assert "投票已于" in page(vote(signed_in, event, "yes"))
    assert VotingEvent.objects.get(pk=event.pk).status == EventStatus.CLOSED
    html = page(signed_in.get(f"/m/events/{event.pk}/"))
    assert "投票已于" in html and 'id="ballot-form"' not in html
    assert "已结束" in page(signed_in.get("/m/"))
    assert not Ballot.objects.exists()


def test_without_voting_password(client, institution_a, operator_a, wg_officer, rows, register):
    lender = make_lender(rows[1][3], name=rows[1][0], id_number=rows[1][2])
    event = open_now(make_event(institution_a, operator_a), wg_officer)
    client.force_login(lender.user)
    assert client.get("/m/")["Location"] == "/m/password/set/"  # onboarding first
    html = page(client.post(f"/m/events/{event.pk}/vote/", {"choice": "yes"}))
    assert "请先设置投票密码" in html


def test_cancelled_event(signed_in, institution_a, operator_a, wg_officer, resolution):
    authoring.event_cancel(event=resolution, user=wg_officer, reason="方案需要重新公示", actor=ME)
    html = page(signed_in.get(f"/m/events/{resolution.pk}/"))
    assert "已取消" in html and "方案需要重新公示" in html and 'id="ballot-form"' not in html
    assert "活动当前为“已取消”，不能投票" in page(vote(signed_in, resolution, "yes"))


def test_a_draft_cancelled_before_approval_stays_hidden(
    signed_in, institution_a, operator_a, wg_officer, lenders
):
    """Only what the working group approved reaches lenders, also once it is cancelled."""
    never_approved = []
    for title, steps in (("草稿：拟定中", 0), ("已提交：待审核", 1), ("被退回：需修改", 2)):
        draft = make_event(institution_a, operator_a, title=title)
        with_attachment(draft, name="内部草稿.pdf")
        if steps >= 1:
            authoring.event_submit(event=draft, user=draft.created_by, actor=ME)
        if steps == 2:
            authoring.event_return(event=draft, user=wg_officer, comment="补充方案", actor=ME)
        authoring.event_cancel(event=draft, user=operator_a, reason="", actor=ME)
        never_approved.append(draft)
    approved = make_event(institution_a, operator_a, title="已批准后取消")
    with_attachment(approved)
    authoring.event_submit(event=approved, user=approved.created_by, actor=ME)
    authoring.event_approve(event=approved, user=wg_officer, actor=ME)
    authoring.event_cancel(event=approved, user=operator_a, reason="", actor=ME)

    home = page(signed_in.get("/m/"))
    listed = signed_in.get("/api/events").json()
    assert "已批准后取消" in home and [e["title"] for e in listed] == ["已批准后取消"]

    def urls(event):
        attachment = event.attachments.get()
        return (
            f"/m/events/{event.pk}/",
            f"/m/events/{event.pk}/attachments/{attachment.pk}/",
            f"/m/events/{event.pk}/attachments/{attachment.pk}/file/",
            f"/api/events/{event.pk}",
        )

    for url in urls(approved):  # the announced cancellation, and what was announced
        assert signed_in.get(url).status_code == 200, url
    assert "已取消" in page(signed_in.get(f"/m/events/{approved.pk}/"))
    for draft in never_approved:
        assert draft.title not in home
        for url in urls(draft):
            assert signed_in.get(url).status_code == 404, url


# --- Sign-ups -------------------------------------------------------------------------------


@pytest.fixture
def recruitment(institution_a, operator_a, wg_officer, lenders):
    return open_now(
        make_event(institution_a, operator_a, kind="recruitment", title="征集出借人代表"),
        wg_officer,
    )


def signup_post(client, event, **overrides):
    data = {
        "name": overrides.pop("name", None),
        "phone": "13712345678",
        "introduction": "愿意为出借人服务，熟悉财务。",
        "photo": SimpleUploadedFile("me.png", PNG, content_type="image/png"),
        "resume": SimpleUploadedFile("简历.pdf", PDF, content_type="application/pdf"),
        "password": PASSWORD,
    }
    data.update(overrides)
    return client.post(
        f"/m/events/{event.pk}/signup/", {k: v for k, v in data.items() if v is not None}
    )


def test_signup_withdraw_and_again(signed_in, lender, recruitment):
    url = f"/m/events/{recruitment.pk}/"
    html = page(signed_in.get(url))
    assert lender.id_number.masked in html and lender.id_number.value not in html
    assert f'value="{lender.real_name}" readonly' in html and 'accept="image/*"' in html

    response = signup_post(signed_in, recruitment, name=lender.real_name)
    assert response.status_code == 302 and response["Location"] == url
    html = page(signed_in.get(url))
    assert "已报名" in html and "撤回报名" in html
    assert "已报名" in page(signed_in.get("/m/"))

    assert signed_in.post(f"{url}signup/withdraw/").status_code == 302
    html = page(signed_in.get(url))
    assert "您已撤回报名" in html and "确认报名" in html

    assert signup_post(signed_in, recruitment, name=lender.real_name, phone="").status_code == 302
    signup = SignUp.objects.get(event=recruitment, status=SignUpStatus.ACTIVE)
    assert signup.lender == lender
    assert SignUp.objects.filter(event=recruitment).count() == 2


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"password": "000000"}, "投票密码错误，还可尝试 4 次"),
        ({"photo": ""}, "请上传本人照片（JPG 或 PNG）"),
        ({"resume": ""}, "请上传简历（PDF、Word、JPG 或 PNG）"),
        ({"photo": SimpleUploadedFile("p.pdf", PDF)}, "照片请上传 JPG 或 PNG 图片"),
        (
            {"resume": SimpleUploadedFile("r.txt", b"hello")},
            "附件只支持 PDF、Word（.docx）、JPG 或 PNG 格式",
        ),
        ({"introduction": "短"}, "请填写个人介绍（5至2000字）"),
        ({"phone": "12345"}, "手机号"),
        ({"name": "别人"}, "报名信息须与您实名认证的姓名和身份证号码一致"),
    ],
)
def test_signup_errors(signed_in, lender, recruitment, overrides, message):
    overrides.setdefault("name", lender.real_name)
    html = page(signup_post(signed_in, recruitment, **overrides))
    assert message in html
    assert "愿意为出借人服务" in html or "introduction" in overrides  # what was typed stays
    assert not SignUp.objects.exists()


def test_signup_needs_attachments_read_and_shows_review(
    signed_in, lender, institution_a, operator_a, wg_officer, lenders
):
    event = make_event(institution_a, operator_a, kind="recruitment", title="征集出借人代表")
    attachment = with_attachment(event, "征集公告.pdf")
    event = open_now(event, wg_officer)
    url = f"/m/events/{event.pk}/"
    html = page(signed_in.get(url))
    assert "点击阅读附件后方可报名（还有1个未读）" in html and 'id="signup-button" disabled' in html
    html = page(signup_post(signed_in, event, name=lender.real_name))
    assert "请先点击阅读全部附件（还有 1 个未读）" in html
    signed_in.get(f"{url}attachments/{attachment.pk}/")
    assert signup_post(signed_in, event, name=lender.real_name).status_code == 302

    signup = SignUp.objects.get(event=event)
    close_now(event)
    signups.signup_review(
        signup=signup, approve=False, reason="材料不全", user=wg_officer, actor=ME
    )
    html = page(signed_in.get(url))
    assert "未通过（材料不全）" in html and "撤回报名" not in html
    signups.signup_review(signup=signup, approve=True, reason="", user=wg_officer, actor=ME)
    assert "审核通过" in page(signed_in.get(url))
    assert "撤回报名" not in page(signed_in.get(url))
    # Withdrawing after the closing time is refused with a message.
    SignUp.objects.filter(pk=signup.pk).update(status=SignUpStatus.ACTIVE)
    assert "投票已于" in page(signed_in.post(f"{url}signup/withdraw/"))

    lifecycle.event_publish(event=VotingEvent.objects.get(pk=event.pk), user=wg_officer, actor=ME)
    SignUp.objects.filter(pk=signup.pk).update(status=SignUpStatus.APPROVED)
    html = page(signed_in.get(f"/events/{event.pk}/result/"))
    assert "审核通过 1 名" in html and lender.real_name in html
    assert signed_in.get(f"/events/{event.pk}/bundle.zip").status_code == 404


# --- 消息 ------------------------------------------------------------------------------------


def test_notices_badge_and_read(signed_in, lender, institution_a, operator_a, wg_officer):
    event = open_now(make_event(institution_a, operator_a, title="清退方案表决"), wg_officer)
    notices.notices_send(event.pk, "opened")
    notices.notices_send(event.pk, "reminder")
    assert Notice.objects.filter(lender=lender).count() == 2
    html = page(signed_in.get("/m/me/"))
    assert 'data-testid="unread-badge"' in html and "2条未读" in html
    html = page(signed_in.get("/m/notices/"))
    assert "清退方案表决 已开始" in html and "即将截止" in html
    assert html.index("即将截止") < html.index("已开始")  # newest first
    assert not Notice.objects.filter(lender=lender, read_at__isnull=True).exists()
    assert 'data-testid="unread-badge"' not in page(signed_in.get("/m/me/"))


# --- Public results -------------------------------------------------------------------------


@pytest.fixture
def published_election(institution_a, operator_a, wg_officer, lenders):
    election = make_event(institution_a, operator_a, kind="election", seats=1, max_choices=1)
    authoring.candidate_add(event=election, user=election.created_by, name="王小进")
    authoring.candidate_add(event=election, user=election.created_by, name="张小英")
    election = open_now(election, wg_officer)
    ballots = [
        casting.ballot_cast(
            event=election, lender=lenders[0], choice=["c2"], password=PASSWORD, actor=ME
        ).ballot,
        casting.ballot_cast(
            event=election, lender=lenders[0], choice=["c1"], password=PASSWORD, actor=ME
        ).ballot,
        casting.ballot_cast(
            event=election, lender=lenders[1], choice=["c1"], password=PASSWORD, actor=ME
        ).ballot,
        casting.ballot_cast(
            event=election, lender=lenders[2], choice=["c1"], password=PASSWORD, actor=ME
        ).ballot,
    ]
    election = close_now(election)
    return lifecycle.event_publish(event=election, user=wg_officer, actor=ME), ballots


def test_public_election_result(client, published_election, tmp_path):
    election, ballots = published_election
    html = page(client.get(f"/events/{election.pk}/result/"))
    assert "选举结果：应选 1 名" in html
    # 5 lenders hold 500.00 yuan; 3 of them took part.
    assert "5 人" in html and "500.00 元" in html
    assert "60.00%" in html  # 3 of 5 heads and 300 of 500 yuan, both 60.00%
    decision = election.result["result"]
    for candidate in decision["candidates"]:
        for criterion in candidate["criteria"]:
            assert criterion["explanation"] in html
    assert ("不满足" in html) == any(
        not c["holds"] for cand in decision["candidates"] for c in cand["criteria"]
    )
    assert election.merkle_root in html and f">{election.merkle_size}<" in html

    bundle = tmp_path / "bundle.zip"
    bundle.write_bytes(b"".join(client.get(f"/events/{election.pk}/bundle.zip").streaming_content))
    assert verify_bundle(bundle).ok

    superseded, final = ballots[0], ballots[1]
    html = page(client.get(f"/events/{election.pk}/receipt/", {"code": superseded.receipt}))
    assert "该回执已被同一出借人之后的投票替换" in html and "已核验" in html
    html = page(client.get(f"/events/{election.pk}/receipt/", {"code": final.receipt}))
    assert "已计入结果" in html and final.leaf_hash in html and election.merkle_root in html
    html = page(client.get(f"/events/{election.pk}/receipt/", {"code": "A" * 16}))
    assert "找不到该回执码，请核对后重试" in html
    html = page(client.get(f"/events/{election.pk}/receipt/", {"code": "not-a-code"}))
    assert "回执码应为16位字母" in html
    html = page(client.get(f"/events/{election.pk}/receipt/"))
    assert "receipt-error" not in html


def test_lender_event_page_links_to_result(signed_in, published_election, lenders):
    election, _ = published_election
    html = page(signed_in.get(f"/m/events/{election.pk}/"))
    assert f"/events/{election.pk}/result/" in html and "查看公布的结果" in html
    assert "投票已于" in html


def test_public_pages_need_no_sign_in_and_hide_staff_only_data(client, published_election):
    election, _ = published_election
    html = page(client.get(f"/events/{election.pk}/result/"))
    assert "tabbar" not in html  # no lender tab bar for visitors
    staff = make_staff("op-x", Role.OPERATOR)
    client.force_login(staff)
    assert client.get(f"/events/{election.pk}/result/").status_code == 200
