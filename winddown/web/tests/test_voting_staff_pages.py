"""Staff console pages of voting events (Django test client): drafting, review, boundaries,
sealed progress while open, cancellation, sign-up review, publication and exports. Over
500 lines: one event's life in the console, scenario after scenario."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from openpyxl import load_workbook

from winddown.audit.actions import PlatformAction
from winddown.audit.models import AuditEntry
from winddown.conftest import (
    committed,
    make_lender,
    register_file,
    staff_signed_in,
    upload_and_activate,
)
from winddown.demo.generators import register_rows
from winddown.testing import sample_docx, sample_pdf
from winddown.voting.audit_actions import VotingAction
from winddown.voting.models import (
    Candidate,
    EventAttachment,
    EventStatus,
    Notice,
    SignUpStatus,
    VotingEvent,
)
from winddown.voting.services import casting, lifecycle
from winddown.voting.tests.conftest import ME, close_now, make_event, open_now, sign_up

pytestmark = pytest.mark.django_db

PASSWORD = "258036"
PDF = sample_pdf()
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
# Distinct weights (yuan), so a per-option sum can never be mistaken for a participation total.
WEIGHTS = ["1000.00", "2000.00", "4000.00", "8000.00", "16000.00", "32000.00"]


@pytest.fixture
def rows():
    rows = [list(r) for r in register_rows(len(WEIGHTS), seed=31)]
    for row, weight in zip(rows, WEIGHTS, strict=True):
        row[4] = weight
    return rows


@pytest.fixture
def register_a(tmp_path, institution_a, operator_a, rows):
    return upload_and_activate(institution_a, operator_a, register_file(tmp_path, rows))


@pytest.fixture
def lenders(register_a, rows):
    return [make_lender(r[3], name=r[0], id_number=r[2], password=PASSWORD) for r in rows[:5]]


def local_input(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%dT%H:%M")


def form(**overrides) -> dict:
    now = timezone.now()
    values = {
        "kind": "resolution",
        "title": "是否同意清退方案",
        "content": "请各位出借人表决清退方案。",
        "rule_id": "p2p-exit",
        "allow_abstain": "on",
        "opens_at": local_input(now + timedelta(days=1)),
        "closes_at": local_input(now + timedelta(days=8)),
        "seats": "",
        "max_choices": "",
    }
    values.update(overrides)
    return values


def text(response) -> str:
    return response.content.decode()


def cast(event, lender, choice):
    return casting.ballot_cast(
        event=event, lender=lender, choice=choice, password=PASSWORD, actor=ME
    ).ballot


# --- Drafting and review --------------------------------------------------------------------


def test_operator_checks_a_word_attachment_as_lenders_will_read_it(
    institution_a, operator_a, operator_b
):
    event = make_event(institution_a, operator_a)
    operator = staff_signed_in(operator_a)
    url = f"/staff/events/{event.pk}/edit/"
    docx = SimpleUploadedFile("清退方案.docx", sample_docx("清退方案（第三稿）"))
    assert operator.post(url, {"action": "attachment_add", "attachment": docx}).status_code == 302
    operator.post(url, {"action": "attachment_add", "attachment": SimpleUploadedFile("a.pdf", PDF)})
    word, pdf = EventAttachment.objects.filter(event=event).order_by("pk")
    text_url = f"/staff/events/{event.pk}/attachments/{word.pk}/text/"
    form_page = text(operator.get(url))
    assert "出借人看到的正文" in form_page and text_url in form_page
    page = text(operator.get(text_url))
    assert "<strong>清退方案（第三稿）</strong>" in page and "<td><p>第一期</p></td>" in page
    assert "javascript:" not in page and "&lt;script&gt;" in page
    download = operator.get(f"/staff/events/{event.pk}/attachments/{word.pk}/")
    assert download["Content-Disposition"].startswith("attachment")
    assert operator.get(f"/staff/events/{event.pk}/attachments/{pdf.pk}/text/").status_code == 404
    # Another institution's operator learns nothing of it.
    assert staff_signed_in(operator_b).get(text_url).status_code == 404


def test_operator_drafts_submits_and_the_officer_reviews(
    institution_a, operator_a, wg_officer, register_a
):
    operator = staff_signed_in(operator_a)
    page = operator.get(f"/staff/institutions/{institution_a.pk}/events/new/")
    assert page.status_code == 200
    body = text(page)
    # Every ungrouped rule with its Chinese name and citation; grouped rules are not offered.
    assert "2/3 + 双过半" in body and "《企业破产法》第六十四条" in body
    assert "bankruptcy-reorganization" not in body
    assert "按人数（每人一票）" in body  # simple-majority's basis parameter, in words
    assert 'name="allow_abstain" >' in body  # 同意 / 不同意 as in the manual, unless ticked

    response = operator.post(
        f"/staff/institutions/{institution_a.pk}/events/new/",
        form(opens_at="2026-13-01T09:00"),
    )
    assert response.status_code == 400 and "请填写开始时间" in text(response)
    response = operator.post(f"/staff/institutions/{institution_a.pk}/events/new/", form())
    assert response.status_code == 302
    event = VotingEvent.objects.get()
    assert response["Location"] == f"/staff/events/{event.pk}/edit/"
    assert (event.status, event.kind, event.allow_abstain) == ("draft", "resolution", True)
    # The datetime-local value is Beijing time.
    assert local_input(event.opens_at) == form()["opens_at"]

    # Attachments: PDF accepted, anything else refused with a Chinese message next to it.
    url = f"/staff/events/{event.pk}/edit/"
    response = operator.post(
        url,
        {"action": "attachment_add", "attachment": SimpleUploadedFile("plan.txt", b"hello")},
    )
    assert response.status_code == 400 and "附件只支持 PDF、Word（.docx）、JPG 或 PNG 格式" in text(
        response
    )
    operator.post(
        url, {"action": "attachment_add", "attachment": SimpleUploadedFile("方案.pdf", PDF)}
    )
    attachment = EventAttachment.objects.get(event=event)
    download = operator.get(f"/staff/events/{event.pk}/attachments/{attachment.pk}/")
    assert b"".join(download.streaming_content) == PDF

    # simple-majority with its parameter, then back to p2p-exit.
    response = operator.post(
        url,
        {**form(rule_id="simple-majority"), "param-simple-majority-basis": "weight"},
    )
    assert response.status_code == 302
    event.refresh_from_db()
    assert (event.rule_id, event.rule_params) == ("simple-majority", {"basis": "weight"})
    operator.post(url, {**form(), "action": "submit"})
    event.refresh_from_db()
    assert (event.status, event.rule_id, event.rule_params) == ("submitted", "p2p-exit", {})

    # Editing after submission: the page says why.
    response = operator.get(url, follow=True)
    assert "只有草稿或被退回的活动可以修改" in text(response)
    response = operator.post(url, {**form(title="改标题"), "action": "save"})
    assert "活动当前为“待审核”，只有草稿或被退回的活动可以修改" in text(response)
    # An operator cannot approve.
    response = operator.post(f"/staff/events/{event.pk}/", {"action": "approve"})
    assert response.status_code == 403
    assert VotingEvent.objects.get(pk=event.pk).status == "submitted"

    officer = staff_signed_in(wg_officer)
    queue = text(officer.get("/staff/events/"))
    assert "待审核（1）" in queue and event.title in queue
    # The officer cannot edit drafts.
    assert officer.get(url).status_code == 403
    response = officer.post(f"/staff/events/{event.pk}/", {"action": "return", "comment": " "})
    assert "请填写退回意见" in text(response)
    officer.post(
        f"/staff/events/{event.pk}/", {"action": "return", "comment": "请补充清退方案全文附件"}
    )
    assert VotingEvent.objects.get(pk=event.pk).status == "returned"

    # The returned comment is shown prominently to the operator, who fixes and resubmits.
    edit = text(operator.get(url))
    assert 'data-testid="review-comment"' in edit and "请补充清退方案全文附件" in edit
    operator.post(url, {**form(title="是否同意清退方案（修订）"), "action": "submit"})
    assert VotingEvent.objects.get(pk=event.pk).status == "submitted"

    response = officer.post(f"/staff/events/{event.pk}/", {"action": "approve"})
    assert response.status_code == 302
    assert VotingEvent.objects.get(pk=event.pk).status == "scheduled"
    response = officer.post(f"/staff/events/{event.pk}/", {"action": "approve"})
    assert response.status_code == 409
    assert "活动当前为“已批准，待开始”，不能批准" in text(response)

    detail = text(officer.get(f"/staff/events/{event.pk}/"))
    for step in ("创建投票活动", "提交审核", "退回投票活动", "批准投票活动"):
        assert step in detail
    assert "请补充清退方案全文附件" in detail  # the timeline keeps the comment


def test_form_errors_are_shown_next_to_the_fields(institution_a, operator_a):
    operator = staff_signed_in(operator_a)
    url = f"/staff/institutions/{institution_a.pk}/events/new/"
    now = timezone.now()
    response = operator.post(
        url,
        form(
            opens_at=local_input(now + timedelta(days=2)),
            closes_at=local_input(now + timedelta(days=1)),
        ),
    )
    assert response.status_code == 400 and "截止时间必须晚于开始时间" in text(response)
    response = operator.post(url, form(kind="election", seats="1", max_choices="2"))
    assert "每人最多票数不超过应选人数" in text(response)
    response = operator.post(url, form(title=""))
    assert "请填写标题" in text(response)
    assert not VotingEvent.objects.exists()


def test_submitting_an_election_needs_candidates(institution_a, operator_a, register_a, wg_officer):
    operator = staff_signed_in(operator_a)
    event = make_event(institution_a, operator_a, kind="election")
    url = f"/staff/events/{event.pk}/edit/"
    values = form(kind="election", seats="2", max_choices="2", title="选举监委会成员")
    response = operator.post(url, {**values, "action": "submit"})
    assert "选举至少需要一名候选人" in text(response)
    operator.post(url, {"action": "candidate_add", "name": "王小进", "description": "会计师"})
    response = operator.post(url, {"action": "candidate_add", "name": "王小进"})
    assert "已有名为“王小进”的候选人" in text(response)
    operator.post(url, {"action": "candidate_add", "name": "张小英"})
    zhang = Candidate.objects.get(event=event, name="张小英")
    operator.post(url, {"action": "candidate_remove", "candidate": zhang.pk})
    assert list(event.candidates.values_list("name", flat=True)) == ["王小进"]
    response = operator.post(url, {**values, "action": "submit"})
    assert response.status_code == 302
    assert VotingEvent.objects.get(pk=event.pk).status == "submitted"


# --- Boundaries -----------------------------------------------------------------------------


def test_boundaries(
    institution_a,
    institution_b,
    operator_a,
    operator_b,
    wg_officer,
    association_officer,
    sysadmin,
    lenders,
):
    event = open_now(make_event(institution_a, operator_a), wg_officer)
    cast(event, lenders[0], "yes")
    event = close_now(event)
    draft = make_event(institution_a, operator_a, title="机构A的活动草稿")
    attachment = EventAttachment.objects.create(
        event=draft, name="a.pdf", content_type="application/pdf", size=1, sha256="0", path="x"
    )

    other = staff_signed_in(operator_b)
    for path in (
        f"/staff/events/{event.pk}/",
        f"/staff/events/{draft.pk}/edit/",
        f"/staff/events/{event.pk}/progress/",
        f"/staff/events/{draft.pk}/cancel/",
        f"/staff/events/{event.pk}/announcement.pdf",
        f"/staff/events/{event.pk}/roster.xlsx",
        f"/staff/events/{event.pk}/signups/",
        f"/staff/events/{draft.pk}/attachments/{attachment.pk}/",
    ):
        assert other.get(path).status_code == 404, path
    assert other.post(f"/staff/events/{draft.pk}/cancel/").status_code == 404
    assert other.post(f"/staff/events/{draft.pk}/edit/", form()).status_code == 404
    assert (
        other.get(
            f"/staff/institutions/{institution_a.pk}/events/", HTTP_HX_REQUEST="true"
        ).status_code
        == 404
    )
    listing = text(other.get("/staff/events/"))
    assert "机构A的活动草稿" not in listing and event.title not in listing
    assert AuditEntry.objects.filter(
        action=PlatformAction.ACCESS_DENIED, object_type="voting.votingevent"
    ).exists()
    assert VotingEvent.objects.get(pk=draft.pk).status == "draft"

    # The association officer reads everything and changes nothing.
    association = staff_signed_in(association_officer)
    page = text(association.get(f"/staff/events/{draft.pk}/"))
    assert "event-approve" not in page and "event-cancel" not in page and "event-edit" not in page
    assert association.get(f"/staff/events/{draft.pk}/edit/").status_code == 403
    assert association.post(f"/staff/events/{draft.pk}/cancel/").status_code == 403
    assert association.post(f"/staff/events/{event.pk}/", {"action": "publish"}).status_code == 403
    assert association.get(f"/staff/events/{event.pk}/roster.xlsx").status_code == 200
    assert VotingEvent.objects.get(pk=event.pk).status == "counted"

    # The administrator gets neither the drafting pages nor the roster.
    admin = staff_signed_in(sysadmin)
    assert admin.get(f"/staff/events/{event.pk}/roster.xlsx").status_code == 403
    assert admin.get(f"/staff/institutions/{institution_a.pk}/events/new/").status_code == 403
    assert admin.get(f"/staff/events/{event.pk}/announcement.pdf").status_code == 200

    # An operator creates events only for their own institution.
    own = staff_signed_in(operator_a)
    assert own.get(f"/staff/institutions/{institution_b.pk}/events/new/").status_code == 404
    assert own.post(f"/staff/institutions/{institution_b.pk}/events/new/", form()).status_code == (
        404
    )


def test_institution_page_lists_its_events(institution_a, operator_a, register_a):
    make_event(institution_a, operator_a, title="清退方案表决")
    operator = staff_signed_in(operator_a)
    page = text(operator.get(f"/staff/institutions/{institution_a.pk}/"))
    assert f"/staff/institutions/{institution_a.pk}/events/" in page
    partial = operator.get(
        f"/staff/institutions/{institution_a.pk}/events/", HTTP_HX_REQUEST="true"
    )
    assert "清退方案表决" in text(partial) and "新建活动" in text(partial)
    # Without htmx: the filtered list.
    response = operator.get(f"/staff/institutions/{institution_a.pk}/events/")
    assert response["Location"] == f"/staff/events/?institution={institution_a.pk}"
    listing = text(operator.get(response["Location"] + "&status=draft"))
    assert "清退方案表决" in listing
    assert "清退方案表决" not in text(operator.get("/staff/events/?status=open"))


# --- Sealed while open ----------------------------------------------------------------------


def test_progress_shows_participation_and_never_the_choices(
    institution_a, operator_a, wg_officer, association_officer, lenders
):
    event = open_now(make_event(institution_a, operator_a), wg_officer)
    # Yes: 1,000 + 2,000 + 4,000 = 7,000.00; no: 8,000.00; participation 15,000.00 of 63,000.00.
    cast(event, lenders[0], "no")
    cast(event, lenders[0], "yes")  # a change: the latest ballot counts
    cast(event, lenders[1], "yes")
    cast(event, lenders[2], "yes")
    cast(event, lenders[3], "no")

    officer = staff_signed_in(wg_officer)
    for client in (officer, staff_signed_in(operator_a), staff_signed_in(association_officer)):
        for path in (f"/staff/events/{event.pk}/", f"/staff/events/{event.pk}/progress/"):
            body = text(client.get(path))
            assert "4 / 6" in body
            assert "15,000.00 / 63,000.00" in body
            assert "参与表决本金需不低于三分之二" in body and "尚未达到" in body
            assert 'data-testid="changes">1<' in body
            # Nothing per option: neither the yes nor the no sum, nor a tally table.
            assert "7,000.00" not in body and "8,000.00" not in body
            assert 'data-testid="tally"' not in body and "判定依据" not in body
    page = text(officer.get(f"/staff/events/{event.pk}/"))
    assert 'hx-trigger="every 10s"' in page
    assert "63,000.00 元" in page  # the frozen electorate weight

    # Exports are refused while open, with the reason.
    response = officer.get(f"/staff/events/{event.pk}/announcement.pdf", follow=True)
    assert "活动当前为“进行中”，不能导出结果公告" in text(response)
    response = officer.get(f"/staff/events/{event.pk}/roster.xlsx", follow=True)
    assert "不能导出投票名册" in text(response)

    # Closed but not yet counted: still sealed.
    VotingEvent.objects.filter(pk=event.pk).update(closes_at=timezone.now())
    lifecycle.event_close(event.pk)
    body = text(officer.get(f"/staff/events/{event.pk}/"))
    assert 'data-testid="awaiting-count"' in body
    assert "7,000.00" not in body and 'data-testid="tally"' not in body
    progress = text(officer.get(f"/staff/events/{event.pk}/progress/"))
    assert "投票已截止" in progress and "hx-trigger" not in progress

    # Counted: the tally, each criterion's explanation, the Merkle root.
    lifecycle.event_count(event.pk)
    event.refresh_from_db()
    body = text(officer.get(f"/staff/events/{event.pk}/"))
    assert 'data-testid="tally"' in body
    assert "7,000.00" in body and "8,000.00" in body
    assert "未通过" in body
    for criterion in event.result["result"]["criteria"]:
        assert criterion["explanation"] in body
    assert event.merkle_root in body and f"{event.merkle_size} 条记录" in body
    assert "event-publish" in body


# --- Cancellation ---------------------------------------------------------------------------


def test_cancellation(institution_a, operator_a, wg_officer, lenders):
    operator = staff_signed_in(operator_a)
    officer = staff_signed_in(wg_officer)
    draft = make_event(institution_a, operator_a)
    page = text(operator.get(f"/staff/events/{draft.pk}/cancel/"))
    assert "取消原因（选填）" in page
    response = operator.post(f"/staff/events/{draft.pk}/cancel/", {"reason": ""})
    assert response.status_code == 302
    assert VotingEvent.objects.get(pk=draft.pk).status == "cancelled"
    response = operator.get(f"/staff/events/{draft.pk}/cancel/", follow=True)
    assert "活动当前为“已取消”，不能取消" in text(response)

    event = open_now(make_event(institution_a, operator_a), wg_officer)
    # After opening the operator can no longer cancel.
    response = operator.post(f"/staff/events/{event.pk}/cancel/", {"reason": "机构要求取消"})
    assert response.status_code == 302
    assert VotingEvent.objects.get(pk=event.pk).status == "open"
    assert "机构经办人不能取消；如确需取消，请联系专项工作组" in text(
        operator.get(response["Location"])
    )
    # The officer confirms, with a reason; the page says lenders will be told.
    page = text(officer.get(f"/staff/events/{event.pk}/cancel/"))
    assert "全部有表决权的出借人将收到短信和站内消息通知" in page
    response = officer.post(f"/staff/events/{event.pk}/cancel/", {"reason": ""})
    assert response.status_code == 400
    assert "请填写取消原因（活动已开始，取消须说明理由并公告）" in text(response)
    assert VotingEvent.objects.get(pk=event.pk).status == "open"
    with committed():  # the lenders are told once the cancellation has committed
        officer.post(
            f"/staff/events/{event.pk}/cancel/", {"reason": "清退方案需重新评估，另行通知"}
        )
    event.refresh_from_db()
    assert event.status == "cancelled" and event.cancel_reason.startswith("清退方案需重新评估")
    assert Notice.objects.filter(event=event, kind="cancelled").count() == len(lenders)
    page = text(officer.get(f"/staff/events/{event.pk}/"))
    assert 'data-testid="cancel-reason"' in page and "清退方案需重新评估" in page
    # The timeline names who did what in Chinese, the scheduler included.
    timeline = page[page.index('data-testid="timeline"') :]
    assert "投票开始（冻结表决权名单）" in timeline and "系统定时任务" in timeline


# --- Sign-ups -------------------------------------------------------------------------------


def test_signup_review_and_candidates_from_signups(
    institution_a, operator_a, wg_officer, association_officer, lenders
):
    recruitment = open_now(
        make_event(institution_a, operator_a, kind="recruitment", title="征集出借人代表"),
        wg_officer,
    )
    applied = [
        sign_up(recruitment, lender, resume=SimpleUploadedFile("简历.pdf", PDF))
        for lender in lenders[:2]
    ]
    officer = staff_signed_in(wg_officer)
    url = f"/staff/events/{recruitment.pk}/signups/"
    # While open: the list, but no review.
    page = text(officer.get(url))
    assert lenders[0].real_name in page and "征集截止后方可审核" in page
    response = officer.post(url, {"signup": applied[0].pk, "decision": "approve"}, follow=True)
    assert "审核报名（须在征集截止后）" in text(response)

    recruitment = close_now(recruitment)
    assert recruitment.status == EventStatus.CLOSED
    page = text(officer.get(url))
    assert (
        lenders[0].id_number.value in page and "13712345678" in page
    )  # full for the working group
    assert AuditEntry.objects.filter(action=PlatformAction.PII_REVEALED).exists()
    operator = staff_signed_in(operator_a)
    masked = text(operator.get(url))
    assert lenders[0].id_number.value not in masked and "137****5678" in masked
    assert "通过</button>" not in masked
    assert operator.post(url, {"signup": applied[0].pk, "decision": "approve"}).status_code == 403
    # Photo and résumé are decrypted for those who may see the event.
    photo = operator.get(f"/staff/signups/{applied[0].pk}/photo/")
    assert b"".join(photo.streaming_content) == PNG and photo["Content-Type"] == "image/png"
    resume = staff_signed_in(association_officer).get(f"/staff/signups/{applied[0].pk}/resume/")
    assert b"".join(resume.streaming_content) == PDF

    reveals = AuditEntry.objects.filter(action=PlatformAction.PII_REVEALED)
    before = reveals.count()
    response = officer.post(url, {"signup": applied[1].pk, "decision": "reject", "reason": ""})
    assert response.status_code == 400 and "不通过时请填写理由" in text(response)
    assert lenders[0].id_number.value in text(response) and reveals.count() == before + 1
    officer.post(url, {"signup": applied[1].pk, "decision": "reject", "reason": "材料不全"})
    officer.post(url, {"signup": applied[0].pk, "decision": "approve"})
    statuses = [s.__class__.objects.get(pk=s.pk).status for s in applied]
    assert statuses == [SignUpStatus.APPROVED, SignUpStatus.REJECTED]

    # The officer publishes the recruitment; the operator turns approved sign-ups into candidates.
    officer.post(f"/staff/events/{recruitment.pk}/", {"action": "publish"})
    assert VotingEvent.objects.get(pk=recruitment.pk).status == "published"
    election = make_event(institution_a, operator_a, kind="election", seats=1, max_choices=1)
    edit = f"/staff/events/{election.pk}/edit/"
    assert "征集出借人代表（已公布，审核通过 1 人）" in text(operator.get(edit))
    operator.post(edit, {"action": "import_candidates", "recruitment": recruitment.pk})
    operator.post(edit, {"action": "import_candidates", "recruitment": recruitment.pk})
    assert list(election.candidates.values_list("name", flat=True)) == [lenders[0].real_name]
    assert "没有新的审核通过的报名人" in text(operator.get(edit))


# --- Publication and exports ----------------------------------------------------------------


def test_publish_and_exports(institution_a, operator_a, wg_officer, association_officer, lenders):
    event = open_now(make_event(institution_a, operator_a, allow_abstain=True), wg_officer)
    for lender in lenders[:4]:
        cast(event, lender, "yes")
    cast(event, lenders[4], "no")
    cast(event, lenders[4], "abstain")
    event = close_now(event)
    assert event.status == "counted"

    officer = staff_signed_in(wg_officer)
    pdf = officer.get(f"/staff/events/{event.pk}/announcement.pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    assert "attachment;" in pdf["Content-Disposition"]

    with committed():  # the lenders are told once the publication has committed
        response = officer.post(f"/staff/events/{event.pk}/", {"action": "publish"}, follow=True)
    event.refresh_from_db()
    assert event.status == "published" and event.bundle_path
    page = text(response)
    assert "结果已公布" in page and f"/events/{event.pk}/result/" in page
    assert "export-pdf" in page and "export-xlsx" in page
    assert Notice.objects.filter(event=event, kind="published").count() == len(lenders)
    # Publishing twice: a clear refusal.
    response = officer.post(f"/staff/events/{event.pk}/", {"action": "publish"})
    assert "活动当前为“已公布”，不能公布结果" in text(response)

    # Roster: full identities for the working group, masked for the other roles; audited.
    def roster(client):
        response = client.get(f"/staff/events/{event.pk}/roster.xlsx")
        assert response.status_code == 200
        return load_workbook(io.BytesIO(response.content))["投票名册"]

    full = roster(officer)
    names_full = {row[1] for row in full.iter_rows(min_row=2, values_only=True)}
    assert lenders[0].real_name in names_full
    ids_full = {row[2] for row in full.iter_rows(min_row=2, values_only=True)}
    assert lenders[0].id_number.value in ids_full
    for client in (staff_signed_in(operator_a), staff_signed_in(association_officer)):
        sheet = roster(client)
        values = [row for row in sheet.iter_rows(min_row=2, values_only=True)]
        assert len(values) == 5
        assert lenders[0].id_number.value not in {row[2] for row in values}
        assert all("*" in row[2] and "*" in row[3] for row in values)
    exported = AuditEntry.objects.filter(action=VotingAction.ROSTER_EXPORTED).order_by("seq")
    assert [e.after["full_identities"] for e in exported] == [True, False, False]
