"""Voting events over JSON, end to end: the operator drafts, the working group reviews, the
worker opens, lenders read, vote and change their minds, the worker counts, the working group
publishes, and anyone checks the result and their receipt. Every refusal answers with a code
and a Chinese message; boundaries between institutions and roles hold. Over 500 lines: the
API's whole voting journey, step after step."""

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

from winddown.api.tests.conftest import ApiClient, lender_token, staff_token
from winddown.api.tests.voting_fixtures import (  # noqa: F401 - fixtures
    ID_1,
    PASSWORD_1,
    PASSWORD_2,
    PASSWORD_5,
    PDF_BYTES,
    PHONE_1,
    PHONE_3,
    PHONE_4,
    PHONE_5,
    clients_fixture,
    close_now,
    event_payload,
    open_now,
    pdf_upload,
    png_upload,
    voting_world_fixture,
)
from winddown.audit.models import AuditEntry
from winddown.conftest import committed
from winddown.core.word_documents import DOCX_TYPE
from winddown.testing import sample_docx
from winddown.verify import verify_bundle
from winddown.voting.models import Ballot, EventStatus, Notice, SignUp, VotingEvent

pytestmark = pytest.mark.django_db

ERROR_KEYS = {"code", "message", "field"}
CHINESE = re.compile(r"[\u4e00-\u9fff]")


def assert_error(response, status: int, code: str, field: str | None = None) -> dict:
    """A domain error: {"code", "message", "field"} with a Chinese message."""
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == ERROR_KEYS, body
    assert body["code"] == code, body
    assert body["field"] == field, body
    assert CHINESE.search(body["message"]), body
    return body


def assert_detail(response, status: int) -> dict:
    assert response.status_code == status, response.content
    body = response.json()
    assert CHINESE.search(body["detail"]), body
    return body


def created(response) -> dict:
    assert response.status_code == 201, response.content
    return response.json()


def ok(response) -> dict:
    assert response.status_code == 200, response.content
    return response.json()


def vote(client: ApiClient, event_id: int, password: str, key: str | None = None, **choice):
    headers = {"Authorization": f"Bearer {client.token}"}
    if key is not None:
        headers["Idempotency-Key"] = key
    return client.client.post(
        f"/api/events/{event_id}/ballots",
        {"password": password, **choice},
        content_type="application/json",
        headers=headers,
    )


def approved_event(clients, **payload) -> dict:
    """Drafted by the operator, submitted and approved over the API (status scheduled)."""
    event = created(clients.operator.post("/api/staff/events", event_payload(**payload)))
    ok(clients.operator.post(f"/api/staff/events/{event['id']}/submit"))
    return ok(clients.officer.post(f"/api/staff/events/{event['id']}/approve"))


# --- Resolution: from draft to a checked receipt --------------------------------------------


def test_resolution_from_draft_to_checked_receipt(voting_world, clients, tmp_path):
    operator, officer = clients.operator, clients.officer
    lender_1, lender_2, anonymous = clients.lender_1, clients.lender_2, clients.anonymous

    # The operator drafts, edits and attaches the plan.
    # Like the manual's resolutions, an event offers 同意 / 不同意 unless 弃权 is asked for.
    binary = created(operator.post("/api/staff/events", event_payload()))
    assert [o["key"] for o in binary["options"]] == ["yes", "no"]
    draft = created(operator.post("/api/staff/events", event_payload(allow_abstain=True)))
    event_id = draft["id"]
    assert draft["status"] == "draft" and draft["status_label"] == "草稿"
    assert draft["institution_id"] == voting_world.institution_a.pk
    assert draft["rule_name"] and draft["rule_citation"]
    assert [o["key"] for o in draft["options"]] == ["yes", "no", "abstain"]
    assert draft["result"] is None
    patched = ok(
        operator.patch(f"/api/staff/events/{event_id}", {"title": "是否同意清退方案第二稿"})
    )
    assert patched["title"] == "是否同意清退方案第二稿"
    assert operator.patch(f"/api/staff/events/{event_id}", {"seats": False}).status_code == 422
    assert operator.patch(f"/api/staff/events/{event_id}", {"colour": "red"}).status_code == 422
    assert_error(
        operator.patch(f"/api/staff/events/{event_id}", {"rule_id": "no-such-rule"}),
        400,
        "voting.rule_invalid",
        "rule_id",
    )
    attachment = created(
        operator.multipart(
            f"/api/staff/events/{event_id}/attachments", {"attachment": pdf_upload()}
        )
    )
    assert attachment["content_type"] == "application/pdf"
    assert attachment["name"] == "清退方案.pdf" and len(attachment["sha256"]) == 64
    assert_error(
        operator.multipart(
            f"/api/staff/events/{event_id}/attachments",
            {"attachment": SimpleUploadedFile("x.txt", b"hello", "text/plain")},
        ),
        400,
        "voting.attachment_invalid",
        "attachment",
    )
    staff_copy = operator.get(f"/api/staff/events/{event_id}/attachments/{attachment['id']}")
    assert staff_copy.status_code == 200 and staff_copy["Content-Type"] == "application/pdf"
    # The pages lenders will see on their phones.
    assert attachment["page_count"] == 2 and len(attachment["page_urls"]) == 2
    staff_page = operator.get(attachment["page_urls"][1])
    assert staff_page.status_code == 200 and staff_page["Content-Type"] == "image/jpeg"
    assert_detail(operator.get(f"{attachment['url']}/pages/3"), 404)

    # Submitted, returned with a comment, corrected, approved.
    assert ok(operator.post(f"/api/staff/events/{event_id}/submit"))["status"] == "submitted"
    assert_detail(operator.post(f"/api/staff/events/{event_id}/approve"), 403)
    assert_error(
        officer.post(f"/api/staff/events/{event_id}/return", {"comment": "  "}),
        400,
        "voting.comment_required",
        "comment",
    )
    returned = ok(
        officer.post(f"/api/staff/events/{event_id}/return", {"comment": "请补充表决事项说明"})
    )
    assert returned["status"] == "returned" and returned["review_comment"] == "请补充表决事项说明"
    ok(
        operator.patch(
            f"/api/staff/events/{event_id}", {"content": "表决事项：清退方案全文见附件。"}
        )
    )
    ok(operator.post(f"/api/staff/events/{event_id}/submit"))
    scheduled = ok(officer.post(f"/api/staff/events/{event_id}/approve"))
    assert scheduled["status"] == "scheduled"
    assert_error(
        operator.patch(f"/api/staff/events/{event_id}", {"title": "再改"}),
        409,
        "voting.not_editable",
    )

    # Lenders see it coming, but cannot vote yet.
    mine = ok(lender_1.get("/api/events"))
    assert [e["id"] for e in mine] == [event_id]
    assert mine[0]["status"] == "scheduled" and mine[0]["voted"] is False
    assert_error(vote(lender_1, event_id, PASSWORD_1, choice="yes"), 409, "voting.not_open_yet")

    # The opening time comes: the electorate is frozen.
    event = open_now(event_id)
    assert event.status == EventStatus.OPEN and event.electorate_heads == 4
    detail = ok(lender_1.get(f"/api/events/{event_id}"))
    assert detail["status"] == "open" and detail["in_electorate"] is True
    assert detail["my_weight_fen"] == 1234567 and detail["my_weight"] == "12345.67"
    assert detail["electorate_weight_fen"] == 1234567 + 10000 + 1 + 90000
    assert detail["unread_attachments"] == 1 and detail["attachments"][0]["opened"] is False

    # Attachments first (手册：点击阅读附件后方可投票).
    assert_error(
        vote(lender_1, event_id, PASSWORD_1, choice="yes"), 409, "voting.attachments_unread"
    )
    # Fetching a page image (how a phone app shows a PDF) counts as reading it, like the file.
    page_url = detail["attachments"][0]["page_urls"][0]
    assert (
        page_url == f"/api/events/{event_id}/attachments/{detail['attachments'][0]['id']}/pages/1"
    )
    page = lender_1.get(page_url)
    assert page.status_code == 200 and page["Content-Type"] == "image/jpeg"
    assert b"".join(page.streaming_content).startswith(b"\xff\xd8\xff")
    assert ok(lender_1.get(f"/api/events/{event_id}"))["unread_attachments"] == 0
    opened = lender_1.get(detail["attachments"][0]["url"])
    assert opened.status_code == 200
    assert opened["Content-Type"] == "application/pdf"
    assert opened["Content-Disposition"].startswith("attachment")
    assert b"".join(opened.streaming_content) == PDF_BYTES
    assert ok(lender_1.get(f"/api/events/{event_id}"))["unread_attachments"] == 0

    # Vote, repeat the same request, change the vote.
    first = vote(lender_1, event_id, PASSWORD_1, key="tap-1", choice="no")
    first = created(first)
    assert first["choice"] == "no" and first["choice_label"] == "不同意"
    assert first["replayed"] is False and first["current"] is True
    assert re.fullmatch(r"[A-Z2-7]{16}", first["receipt"])
    again = ok(vote(lender_1, event_id, PASSWORD_1, key="tap-1", choice="no"))
    assert again["receipt"] == first["receipt"] and again["replayed"] is True
    assert_error(
        vote(lender_1, event_id, PASSWORD_1, key="tap-1", choice="yes"),
        409,
        "voting.idempotency_key_reused",
        "idempotency_key",
    )
    body_key = ok(vote(lender_1, event_id, PASSWORD_1, choice="no", idempotency_key="tap-1"))
    assert body_key["receipt"] == first["receipt"]
    assert_error(
        vote(lender_1, event_id, PASSWORD_1, key="tap-1", choice="no", idempotency_key="other"),
        400,
        "voting.idempotency_key_invalid",
        "idempotency_key",
    )
    changed = created(vote(lender_1, event_id, PASSWORD_1, key="tap-2", choice="yes"))
    assert changed["seq"] == first["seq"] + 1 and changed["receipt"] != first["receipt"]
    stale = ok(vote(lender_1, event_id, PASSWORD_1, key="tap-1", choice="no"))
    assert stale["replayed"] is True and stale["current"] is False  # replayed, since changed
    detail = ok(lender_1.get(f"/api/events/{event_id}"))
    assert detail["ballot"]["receipt"] == changed["receipt"]
    assert detail["ballot"]["choice_label"] == "同意"
    assert detail["my_choice"] == "yes" and detail["my_receipt"] == changed["receipt"]
    assert [(b["receipt"], b["superseded"]) for b in detail["history"]] == [
        (changed["receipt"], False),
        (first["receipt"], True),
    ]
    assert Ballot.objects.filter(event_id=event_id).count() == 2

    # Bad ballots, each with its reason.
    assert lender_2.get(f"/api/events/{event_id}/attachments/{attachment['id']}").status_code == 200
    assert_error(
        vote(lender_2, event_id, PASSWORD_2, choice="maybe"), 400, "voting.choice_invalid", "choice"
    )
    assert_error(
        vote(lender_2, event_id, PASSWORD_2, choices=["yes"]),
        400,
        "voting.choice_invalid",
        "choice",
    )
    assert_error(vote(lender_2, event_id, PASSWORD_2), 400, "voting.choice_required", "choice")
    assert_error(
        vote(lender_2, event_id, PASSWORD_2, choice="yes", choices=["c1"]),
        400,
        "voting.choice_ambiguous",
        "choice",
    )
    assert vote(lender_2, event_id, PASSWORD_2, choice=1).status_code == 422
    assert vote(lender_2, event_id, PASSWORD_2, choice="yes", extra=1).status_code == 422

    # Another lender sees only their own ballots.
    other = ok(lender_2.get(f"/api/events/{event_id}"))
    assert other["ballot"] is None and other["history"] == [] and other["my_receipt"] is None
    created(vote(lender_2, event_id, PASSWORD_2, choice="abstain"))
    created(vote(lender_2, event_id, PASSWORD_2, choice="yes"))
    other = ok(lender_2.get(f"/api/events/{event_id}"))
    receipts = {b["receipt"] for b in other["history"]}
    assert len(receipts) == 2 and receipts.isdisjoint({first["receipt"], changed["receipt"]})

    # Wrong password five times: locked (423), even with the right one afterwards.
    lender_5 = ApiClient(lender_token(PHONE_5))
    assert lender_5.get(f"/api/events/{event_id}/attachments/{attachment['id']}").status_code == 200
    for remaining in (4, 3, 2, 1):
        body = assert_error(
            vote(lender_5, event_id, "000000", choice="no"),
            400,
            "identity.password_wrong",
            "password",
        )
        assert str(remaining) in body["message"]
    assert_error(
        vote(lender_5, event_id, "000000", choice="no"), 423, "identity.password_locked", "password"
    )
    assert_error(
        vote(lender_5, event_id, PASSWORD_5, choice="no"),
        423,
        "identity.password_locked",
        "password",
    )

    # Outside the electorate, or not verified.
    outsider = ApiClient(lender_token(PHONE_3))
    assert ok(outsider.get("/api/events")) == []
    assert_detail(outsider.get(f"/api/events/{event_id}"), 404)
    # No claim at the institution: the event does not exist for them, on every call.
    assert_detail(vote(outsider, event_id, "468024", choice="yes"), 404)
    unverified = ApiClient(lender_token(PHONE_4))
    assert ok(unverified.get("/api/events")) == []
    assert_error(vote(unverified, event_id, "123456", choice="yes"), 403, "voting.not_verified")
    assert_error(unverified.get(f"/api/events/{event_id}"), 403, "voting.not_verified")

    # Progress while open: participation only, never the choices.
    progress = ok(operator.get(f"/api/staff/events/{event_id}/progress"))
    assert progress["voted_heads"] == 2
    assert progress["voted_weight_fen"] == 1234567 + 10000
    assert progress["electorate_heads"] == 4
    assert progress["heads_percentage"] == "50.00"
    assert progress["quorum_numerator"] == 2 and progress["quorum_denominator"] == 3
    assert progress["quorum_reached"] is True
    assert progress["changes"] == 2
    assert not {"options", "candidates", "tally", "result"} & set(progress), progress
    assert "yes" not in repr(progress) and "abstain" not in repr(progress)
    staff_view = ok(officer.get(f"/api/staff/events/{event_id}"))
    assert staff_view["result"] is None and staff_view["merkle_root"] == ""
    assert ok(operator.get("/api/staff/events", {"status": "open"}))[0]["id"] == event_id

    # The closing time comes: counted automatically; ballots refused from now on.
    event = close_now(event_id)
    assert event.status == EventStatus.COUNTED
    assert_error(vote(lender_2, event_id, PASSWORD_2, choice="yes"), 409, "voting.already_closed")
    counted = ok(officer.get(f"/api/staff/events/{event_id}"))
    assert counted["result"]["tally"]["options"]["yes"] == {"heads": 2, "weight_fen": 1244567}
    assert counted["merkle_size"] == 4

    # Published by the working group (not by the operator); lenders are told.
    assert_detail(operator.post(f"/api/staff/events/{event_id}/publish"), 403)
    assert_detail(anonymous.get(f"/api/results/{event_id}"), 404)
    with committed():  # the lenders are told once the publication has committed
        published = ok(officer.post(f"/api/staff/events/{event_id}/publish"))
    assert published["status"] == "published"
    assert ok(officer.post(f"/api/staff/events/{event_id}/publish"))["status"] == "published"
    notices = ok(lender_1.get("/api/notices"))
    assert [n["kind"] for n in notices][:1] == ["published"]
    assert CHINESE.search(notices[0]["title"])
    read = ok(lender_1.post(f"/api/notices/{notices[0]['id']}/read"))
    assert read["read_at"] is not None
    assert read["id"] not in {n["id"] for n in ok(lender_1.get("/api/notices", {"unread": "1"}))}
    ok(lender_1.post("/api/notices/read"))
    assert ok(lender_1.get("/api/notices", {"unread": "true"})) == []
    assert_detail(lender_2.post(f"/api/notices/{notices[0]['id']}/read"), 404)

    # The public result: figures, every criterion explained, the tree, the bundle.
    listed = ok(anonymous.get("/api/results"))
    assert [r["id"] for r in listed] == [event_id]
    result = ok(anonymous.get(f"/api/results/{event_id}"))
    assert result["passed"] is True and result["summary"].startswith("表决结果：通过")
    assert result["participation_heads"] == 2
    assert result["participation_weight_fen"] == 1234567 + 10000
    assert result["participation_heads_percentage"] == "50.00"
    # In ballot order on every database (PostgreSQL's jsonb stores "no" before "yes").
    assert [r["label"] for r in result["rows"]] == ["同意", "不同意", "弃权"]
    rows = {r["key"]: r for r in result["rows"]}
    assert rows["yes"]["label"] == "同意" and rows["yes"]["weight"] == "12445.67"
    assert rows["abstain"]["heads"] == 0 and rows["no"]["heads"] == 0
    assert rows["yes"]["heads_percentage"] == "100.00"
    assert rows["no"]["weight_percentage"] == "0.00"
    assert result["criteria"] and all(CHINESE.search(c["explanation"]) for c in result["criteria"])
    assert result["merkle_root"] == VotingEvent.objects.get(pk=event_id).merkle_root
    assert result["merkle_size"] == 4
    assert ok(lender_1.get(f"/api/events/{event_id}"))["result_url"] == f"/api/results/{event_id}"
    download = anonymous.get(result["bundle_url"])
    assert download.status_code == 200 and download["Content-Type"] == "application/zip"
    bundle_file = tmp_path / "bundle.zip"
    bundle_file.write_bytes(b"".join(download.streaming_content))
    assert zipfile.is_zipfile(io.BytesIO(bundle_file.read_bytes()))
    report = verify_bundle(bundle_file)
    assert report.ok and report.merkle_root == result["merkle_root"]

    # A lender checks their receipt: the final ballot is proven in the published tree...
    proof = ok(anonymous.get(f"/api/results/{event_id}/receipts/{changed['receipt']}"))
    assert proof["verified"] is True and proof["final"] is True and proof["superseded"] is False
    assert proof["choice"] == "yes" and proof["root"] == result["merkle_root"]
    assert proof["weight_fen"] == 1234567 and "计入结果" in proof["status_label"]
    lower = "-".join(changed["receipt"].lower()[i : i + 4] for i in range(0, 16, 4))
    assert ok(anonymous.get(f"/api/results/{event_id}/receipts/{lower}"))["seq"] == proof["seq"]
    # ...the earlier one is in the log too, but says it no longer counts.
    old = ok(anonymous.get(f"/api/results/{event_id}/receipts/{first['receipt']}"))
    assert old["verified"] is True and old["superseded"] is True and old["final"] is False
    assert "取代" in old["status_label"]
    assert_error(
        anonymous.get(f"/api/results/{event_id}/receipts/AAAAAAAAAAAAAAAA"),
        404,
        "voting.receipt_unknown",
        "code",
    )
    assert_error(
        anonymous.get(f"/api/results/{event_id}/receipts/not-a-receipt"),
        400,
        "voting.receipt_format",
        "code",
    )


# --- Recruitment, then an election from its sign-ups ----------------------------------------


def signup_form(**overrides) -> dict:
    values = {
        "name": "王小金",
        "id_number": ID_1,
        "phone": "13712345678",
        "introduction": "从事财务工作十年，愿意为出借人服务。",
        "password": PASSWORD_1,
        "photo": png_upload(),
        "resume": pdf_upload("简历.pdf"),
    }
    values.update(overrides)
    return values


def test_recruitment_then_election(voting_world, clients):
    operator, officer, lender_1, lender_2 = (
        clients.operator,
        clients.officer,
        clients.lender_1,
        clients.lender_2,
    )
    recruitment = approved_event(clients, kind="recruitment")
    rid = recruitment["id"]
    assert recruitment["rule_id"] == "" and recruitment["options"] == []
    assert_error(
        lender_1.multipart(f"/api/events/{rid}/signups", signup_form()),
        409,
        "voting.not_open_yet",
    )
    open_now(rid)

    # Sign up, see it, withdraw, sign up again.
    someone_else = voting_world.lender_3.id_number.value
    assert_error(
        lender_1.multipart(f"/api/events/{rid}/signups", signup_form(id_number=someone_else)),
        400,
        "voting.signup_identity_mismatch",
        "id_number",
    )
    assert_error(
        lender_1.multipart(f"/api/events/{rid}/signups", signup_form(photo=pdf_upload())),
        400,
        "voting.signup_field",
        "photo",
    )
    form = signup_form()
    del form["resume"]
    assert_error(
        lender_1.multipart(f"/api/events/{rid}/signups", form), 400, "voting.signup_field", "resume"
    )
    first = created(lender_1.multipart(f"/api/events/{rid}/signups", signup_form()))
    assert first["status"] == "active" and first["masked_phone"] == "137****5678"
    assert_error(
        lender_1.multipart(f"/api/events/{rid}/signups", signup_form()),
        409,
        "voting.signup_exists",
    )
    mine = ok(lender_1.get(f"/api/events/{rid}"))
    assert mine["signup"]["id"] == first["id"] and mine["signup_status"] == "active"
    assert ok(lender_1.delete(f"/api/events/{rid}/signups/mine"))["status"] == "withdrawn"
    assert_error(
        lender_1.delete(f"/api/events/{rid}/signups/mine"), 409, "voting.signup_not_active"
    )
    again = created(lender_1.multipart(f"/api/events/{rid}/signups", signup_form()))
    other = created(
        lender_2.multipart(
            f"/api/events/{rid}/signups",
            signup_form(
                name="李小银",
                id_number=voting_world.lender_2.id_number.value,
                password=PASSWORD_2,
                phone="13912345678",
            ),
        )
    )

    # The operator sees masked identities; the working group full ones (audited).
    masked = ok(operator.get(f"/api/staff/events/{rid}/signups"))
    assert {s["id"] for s in masked} == {again["id"], other["id"]}
    row = next(s for s in masked if s["id"] == again["id"])
    assert row["masked"] is True and "*" in row["id_number"] and row["phone"] == "137****5678"
    photo = operator.get(row["photo_url"])
    assert photo.status_code == 200 and photo["Content-Type"] == "image/png"
    full = ok(officer.get(f"/api/staff/events/{rid}/signups"))
    assert next(s for s in full if s["id"] == again["id"])["id_number"] == ID_1
    assert AuditEntry.objects.filter(action="pii.revealed", object_id=str(rid)).exists()

    # Review after closing only; a rejection needs a reason.
    review = f"/api/staff/signups/{again['id']}/review"
    assert_error(officer.post(review, {"approve": True}), 409, "voting.wrong_status")
    close_now(rid)
    assert_detail(operator.post(review, {"approve": True}), 403)
    assert officer.post(review, {"approve": 1}).status_code == 422
    assert ok(officer.post(review, {"approve": True}))["status"] == "approved"
    reject = f"/api/staff/signups/{other['id']}/review"
    assert_error(
        officer.post(reject, {"approve": False}), 400, "voting.review_reason_required", "reason"
    )
    assert ok(officer.post(reject, {"approve": False, "reason": "材料不全"}))["status"] == (
        "rejected"
    )
    assert ok(lender_2.get(f"/api/events/{rid}"))["signup"]["review_reason"] == "材料不全"

    # An election whose candidates come from the approved sign-ups, plus two more.
    election = created(operator.post("/api/staff/events", event_payload("election")))
    eid = election["id"]
    imported = ok(
        operator.post(f"/api/staff/events/{eid}/candidates-from-signups", {"recruitment_id": rid})
    )
    assert imported["added"] == 1
    assert [(c["key"], c["name"]) for c in imported["event"]["candidates"]] == [("c1", "王小金")]
    assert imported["event"]["candidates"][0]["signup_id"] == again["id"]
    assert (
        ok(
            operator.post(
                f"/api/staff/events/{eid}/candidates-from-signups", {"recruitment_id": rid}
            )
        )["added"]
        == 0
    )
    assert_error(
        operator.post(f"/api/staff/events/{eid}/candidates-from-signups", {"recruitment_id": eid}),
        409,
        "voting.not_recruitment",
        "recruitment_id",
    )
    c2 = created(operator.post(f"/api/staff/events/{eid}/candidates", {"name": "张小英"}))
    c3 = created(
        operator.post(
            f"/api/staff/events/{eid}/candidates", {"name": "陈小刚", "description": "律师"}
        )
    )
    assert (c2["key"], c3["key"]) == ("c2", "c3")
    assert_error(
        operator.post(f"/api/staff/events/{eid}/candidates", {"name": "张小英"}),
        409,
        "voting.candidate_duplicate",
        "name",
    )
    extra = created(operator.post(f"/api/staff/events/{eid}/candidates", {"name": "多余"}))
    after = ok(operator.delete(f"/api/staff/events/{eid}/candidates/{extra['key']}"))
    assert [c["key"] for c in after["candidates"]] == ["c1", "c2", "c3"]
    assert_detail(operator.delete(f"/api/staff/events/{eid}/candidates/c9"), 404)
    assert_detail(operator.delete(f"/api/staff/events/{eid}/candidates/x1"), 404)
    ok(operator.post(f"/api/staff/events/{eid}/submit"))
    ok(officer.post(f"/api/staff/events/{eid}/approve"))
    open_now(eid)

    # Choices: at most K, existing, once each.
    detail = ok(lender_1.get(f"/api/events/{eid}"))
    assert [c["name"] for c in detail["candidates"]] == ["王小金", "张小英", "陈小刚"]
    assert detail["max_choices"] == 2 and detail["seats"] == 2 and detail["options"] == []
    body = assert_error(
        vote(lender_1, eid, PASSWORD_1, choices=["c1", "c2", "c3"]),
        400,
        "voting.too_many_choices",
        "choice",
    )
    assert "2" in body["message"] and "3" in body["message"]
    assert_error(
        vote(lender_1, eid, PASSWORD_1, choices=["c1", "c9"]),
        400,
        "voting.choice_invalid",
        "choice",
    )
    assert_error(
        vote(lender_1, eid, PASSWORD_1, choices=["c1", "c1"]),
        400,
        "voting.duplicate_choice",
        "choice",
    )
    assert_error(vote(lender_1, eid, PASSWORD_1, choices=[]), 400, "voting.no_choice", "choice")
    ballot = created(vote(lender_1, eid, PASSWORD_1, choices=["c3", "c1"]))
    assert ballot["choice"] == "c1+c3" and ballot["choices"] == ["c1", "c3"]
    assert ballot["choice_label"] == "王小金、陈小刚"
    created(vote(lender_2, eid, PASSWORD_2, choices=["c2"]))
    assert ok(lender_1.get("/api/events"))[0]["my_choice_label"] == "王小金、陈小刚"

    close_now(eid)
    ok(officer.post(f"/api/staff/events/{eid}/publish"))
    result = ok(clients.anonymous.get(f"/api/results/{eid}"))
    assert result["kind"] == "election" and result["seats"] == 2
    assert [r["label"] for r in result["rows"]] == ["王小金", "张小英", "陈小刚"]
    assert {r["key"]: r["heads"] for r in result["rows"]} == {"c1": 1, "c2": 1, "c3": 1}
    assert result["summary"].startswith("选举结果")
    assert isinstance(result["elected"], list)
    assert all(r["status"] for r in result["rows"])

    # The recruitment publishes its approved representatives (no ballots, no bundle).
    published = ok(officer.post(f"/api/staff/events/{rid}/publish"))
    assert published["status"] == "published"
    recruited = ok(clients.anonymous.get(f"/api/results/{rid}"))
    assert recruited["representatives"] == ["王小金"] and recruited["bundle_url"] is None
    assert_error(
        clients.anonymous.get(f"/api/results/{rid}/receipts/AAAAAAAAAAAAAAAA"),
        404,
        "voting.receipt_unknown",
        "code",
    )


# --- Boundaries -----------------------------------------------------------------------------


def test_roles_and_institution_boundaries(voting_world, clients):
    operator, officer, lender_1 = clients.operator, clients.officer, clients.lender_1
    event = created(operator.post("/api/staff/events", event_payload()))
    eid = event["id"]
    operator_b = ApiClient(staff_token(voting_world.operator_b))
    association = ApiClient(staff_token(voting_world.association_officer))

    # Operator of B: A's events do not exist for them.
    assert ok(operator_b.get("/api/staff/events")) == []
    for response in (
        operator_b.get(f"/api/staff/events/{eid}"),
        operator_b.patch(f"/api/staff/events/{eid}", {"title": "改"}),
        operator_b.post(f"/api/staff/events/{eid}/submit"),
        operator_b.post(f"/api/staff/events/{eid}/candidates", {"name": "某人"}),
        operator_b.get(f"/api/staff/events/{eid}/progress"),
        operator_b.get(f"/api/staff/events/{eid}/attachments/1/pages/1"),
        operator_b.post(f"/api/staff/events/{eid}/cancel", {"reason": ""}),
    ):
        assert_detail(response, 404)
    assert AuditEntry.objects.filter(
        action="access.denied", object_type="voting.votingevent", object_id=str(eid)
    ).exists()
    assert_detail(
        operator_b.post(
            "/api/staff/events", event_payload(institution_id=voting_world.institution_a.pk)
        ),
        404,
    )
    assert VotingEvent.objects.count() == 1

    # Lenders and anonymous callers stay out of the console.
    assert_detail(lender_1.get("/api/staff/events"), 403)
    assert_detail(lender_1.post("/api/staff/events", event_payload()), 403)
    assert_detail(clients.anonymous.get("/api/staff/events"), 401)
    assert_detail(clients.anonymous.get("/api/events"), 401)
    assert_detail(operator.get("/api/events"), 403)
    assert_detail(operator.get("/api/notices"), 403)

    # The association officer reads, never writes.
    assert [e["id"] for e in ok(association.get("/api/staff/events"))] == [eid]
    assert ok(association.get(f"/api/staff/events/{eid}"))["id"] == eid
    assert ok(association.get(f"/api/staff/events/{eid}/progress"))["voted_heads"] == 0
    for response in (
        association.post("/api/staff/events", event_payload()),
        association.patch(f"/api/staff/events/{eid}", {"title": "改"}),
        association.post(f"/api/staff/events/{eid}/submit"),
        association.post(f"/api/staff/events/{eid}/approve"),
        association.post(f"/api/staff/events/{eid}/return", {"comment": "改"}),
        association.post(f"/api/staff/events/{eid}/cancel", {"reason": "不需要了"}),
        association.post(f"/api/staff/events/{eid}/publish"),
        association.post(f"/api/staff/events/{eid}/candidates", {"name": "某人"}),
    ):
        assert_detail(response, 403)

    # The working group reviews but does not draft.
    assert_detail(officer.post("/api/staff/events", event_payload()), 403)
    assert_detail(officer.patch(f"/api/staff/events/{eid}", {"title": "改"}), 403)

    # Once open, only the working group cancels, with a reason; lenders are told.
    ok(operator.post(f"/api/staff/events/{eid}/submit"))
    ok(officer.post(f"/api/staff/events/{eid}/approve"))
    open_now(eid)
    assert_error(
        operator.post(f"/api/staff/events/{eid}/cancel", {"reason": "机构要求撤回本次表决"}),
        403,
        "voting.operator_cannot_cancel",
    )
    assert_error(
        officer.post(f"/api/staff/events/{eid}/cancel", {"reason": ""}),
        400,
        "voting.reason_required",
        "reason",
    )
    with committed():  # the lenders are told once the cancellation has committed
        cancelled = ok(
            officer.post(
                f"/api/staff/events/{eid}/cancel", {"reason": "清退方案需重新评估，另行表决"}
            )
        )
    assert cancelled["status"] == "cancelled"
    assert cancelled["cancel_reason"] == "清退方案需重新评估，另行表决"
    assert Notice.objects.filter(event_id=eid, kind="cancelled").count() == 3  # registered
    assert_error(vote(lender_1, eid, PASSWORD_1, choice="yes"), 409, "voting.not_open")
    assert ok(lender_1.get(f"/api/events/{eid}"))["cancel_reason"].startswith("清退方案")


def test_word_documents_as_attachments_and_resumes(voting_world, clients):
    """A Word attachment's text comes as sanitized HTML for the phone (reading it counts as
    opening it); a Word résumé is accepted and downloads under its name for the reviewers."""
    operator, lender_1 = clients.operator, clients.lender_1
    event = created(operator.post("/api/staff/events", event_payload()))
    base = f"/api/staff/events/{event['id']}/attachments"
    docx = SimpleUploadedFile("清退方案.docx", sample_docx("清退方案（第二稿）"))
    word = created(operator.multipart(base, {"attachment": docx}))
    assert word["content_type"] == DOCX_TYPE and word["page_urls"] == []
    assert word["html_url"] == f"{base}/{word['id']}/html"
    preview = operator.get(word["html_url"])
    assert preview.status_code == 200 and "清退方案（第二稿）" in preview.content.decode()
    pdf = created(operator.multipart(base, {"attachment": pdf_upload()}))
    assert pdf["html_url"] is None
    assert_detail(operator.get(f"{base}/{pdf['id']}/html"), 404)
    old_word = SimpleUploadedFile("方案.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504))
    body = assert_error(
        operator.multipart(base, {"attachment": old_word}), 400, "voting.attachment_invalid",
        "attachment",
    )  # fmt: skip
    assert "另存为 .docx 或 PDF" in body["message"]
    ok(operator.post(f"/api/staff/events/{event['id']}/submit"))
    ok(clients.officer.post(f"/api/staff/events/{event['id']}/approve"))
    open_now(event["id"])

    detail = ok(lender_1.get(f"/api/events/{event['id']}"))
    attachment = next(a for a in detail["attachments"] if a["id"] == word["id"])
    assert attachment["html_url"] == f"/api/events/{event['id']}/attachments/{word['id']}/html"
    assert detail["unread_attachments"] == 2
    response = lender_1.get(attachment["html_url"])
    assert response.status_code == 200
    assert response["Content-Type"] == "text/html; charset=utf-8"
    assert response["Content-Security-Policy"].startswith("default-src 'none'")
    html = response.content.decode()
    assert "<td><p>第一期</p></td>" in html and "data:image/png;base64," in html
    assert "<script" not in html and "javascript:" not in html
    assert ok(lender_1.get(f"/api/events/{event['id']}"))["unread_attachments"] == 1
    original = lender_1.get(attachment["url"])
    assert original["Content-Disposition"].startswith("attachment")

    recruitment = approved_event(clients, kind="recruitment")
    open_now(recruitment["id"])
    resume = SimpleUploadedFile("简历.docx", sample_docx("王小金的简历"))
    signup = created(
        lender_1.multipart(f"/api/events/{recruitment['id']}/signups", signup_form(resume=resume))
    )
    download = operator.get(f"/api/staff/signups/{signup['id']}/resume")
    assert download.status_code == 200 and download["Content-Type"] == DOCX_TYPE
    assert download["Content-Disposition"].startswith("attachment")
    assert b"".join(download.streaming_content) == sample_docx("王小金的简历")
    broken = SimpleUploadedFile("简历.docx", sample_docx()[:300])
    lender_2 = voting_world.lender_2
    form = signup_form(
        resume=broken, name="李小银", id_number=lender_2.id_number.value, password=PASSWORD_2
    )
    body = assert_error(
        clients.lender_2.multipart(f"/api/events/{recruitment['id']}/signups", form),
        400,
        "voting.attachment_invalid",
        "resume",
    )
    assert "文件已损坏" in body["message"]


def test_operator_cancels_before_opening_and_drafts_are_checked(voting_world, clients):
    operator = clients.operator
    eid = created(operator.post("/api/staff/events", event_payload()))["id"]
    assert ok(operator.post(f"/api/staff/events/{eid}/cancel", {}))["status"] == "cancelled"
    assert_error(operator.post(f"/api/staff/events/{eid}/cancel", {}), 409, "voting.wrong_status")

    now = timezone.now()
    assert_error(
        operator.post(
            "/api/staff/events",
            event_payload(
                opens_at=(now + timedelta(days=2)).isoformat(),
                closes_at=(now + timedelta(days=1)).isoformat(),
            ),
        ),
        400,
        "voting.time_order",
        "closes_at",
    )
    assert_error(
        operator.post("/api/staff/events", event_payload("election", seats=1, max_choices=2)),
        400,
        "voting.seats_invalid",
        "seats",
    )
    assert_error(
        operator.post("/api/staff/events", event_payload(title=" ")),
        400,
        "voting.title_required",
        "title",
    )
    # Strict types: no numbers for times, no false for integers, no unknown fields.
    for bad in (
        {"opens_at": 1767225600},
        {"seats": False},
        {"seats": "2"},
        {"allow_abstain": "yes"},
        {"kind": "poll"},
        {"opens_at": "next monday"},
        {"opens_at": "9999-12-31T23:59:59-23:59"},
        {"title": "含\x00空字符"},
        {"unknown": 1},
    ):
        assert operator.post("/api/staff/events", event_payload(**bad)).status_code == 422, bad
    # A time without an offset is Beijing time.
    naive = created(
        operator.post(
            "/api/staff/events",
            event_payload(opens_at="2030-01-01T09:00:00", closes_at="2030-01-04T09:00:00"),
        )
    )
    assert naive["opens_at"].startswith("2030-01-01T01:00:00")  # UTC
    # An election with no candidate cannot be submitted.
    election = created(operator.post("/api/staff/events", event_payload("election")))
    assert_error(
        operator.post(f"/api/staff/events/{election['id']}/submit"), 400, "voting.no_candidates"
    )
    assert SignUp.objects.count() == 0


# --- The hot path stays lean ----------------------------------------------------------------


def test_a_ballot_costs_a_fixed_handful_of_statements(voting_world, clients):
    """Casting is the request every lender sends at once: its statements are written by hand
    (voting.ballot_store) and counted here, so no ORM query creeps back in unnoticed. On
    PostgreSQL: the token with its user and lender, the event with the lender's elector, the
    lender's lock, the lender's ballot with this key or else the current one retired and the
    log head locked, then the log and the ballot: 5, for a change too. SQLite, without
    data-modifying WITH, reads the lender's ballots, retires the current one (a change),
    locks the log head, saves it and inserts the ballot in turn: 7, and 8 for a change."""
    event = approved_event(clients)
    open_now(event["id"])
    ok(clients.lender_1.get(f"/api/events/{event['id']}"))  # the token's last use is noted

    def statements(response_status: int, **choice) -> list[str]:
        with CaptureQueriesContext(connection) as captured:
            response = vote(clients.lender_1, event["id"], PASSWORD_1, **choice)
        assert response.status_code == response_status, response.content
        # Transaction control is not a statement of the path (the test's transaction turns
        # the ballot's into a savepoint; SQLite's BEGIN shows up here).
        control = ("BEGIN", "SAVEPOINT", "RELEASE SAVEPOINT")
        return [q["sql"] for q in captured.captured_queries if not q["sql"].startswith(control)]

    postgresql = connection.vendor == "postgresql"
    assert len(statements(201, choice="yes")) == (5 if postgresql else 7)
    assert len(statements(201, choice="no")) == (5 if postgresql else 8)
    current = Ballot.objects.filter(elector__event_id=event["id"], is_current=True)
    assert list(current.values_list("choice", flat=True)) == ["no"]
