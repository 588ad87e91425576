"""Boundaries of the voting API across institutions and roles, with tokens obtained the real
way. Each refusal sits next to a control in which someone entitled makes the same call and
succeeds, so a 404 or 403 is never an accident of the data.

They prove: an operator of institution B gets 404 for institution A's sign-up list, sign-up
photo and résumé, and event attachments, and can neither add nor remove A's attachments and
candidates nor turn A's approved sign-ups into candidates of B's election; an operator
cannot return an event for changes (working group only); a lender holding claims only at B
cannot read A's attachments or their pages, sign up for A's recruitment, vote in A's events
(a bare 404 until A's register lists them), or withdraw someone else's sign-up there.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from winddown.api.tests.conftest import ApiClient, lender_token, row, staff_token
from winddown.api.tests.voting_fixtures import (  # noqa: F401 - fixtures
    ID_1,
    ID_2,
    ID_3,
    PASSWORD_1,
    PASSWORD_2,
    PASSWORD_3,
    PDF_BYTES,
    PHONE_1,
    PHONE_2,
    PHONE_3,
    PNG_BYTES,
    pdf_upload,
    png_upload,
    voting_world_fixture,
)
from winddown.conftest import register_file, upload_and_activate
from winddown.voting.models import (
    AttachmentOpen,
    Candidate,
    EventAttachment,
    SignUp,
    SignUpStatus,
    VotingEvent,
)
from winddown.voting.services import authoring, signups
from winddown.voting.tests.conftest import ME, close_now, make_event, open_now

pytestmark = pytest.mark.django_db


@dataclass
class Events:
    resolution: VotingEvent  # open at A, with a PDF attachment lender 1 may read
    recruitment: VotingEvent  # open at A, lender 1 signed up
    signup: SignUp
    draft: VotingEvent  # election draft at A: candidate c1 and an attachment
    draft_attachment: EventAttachment
    submitted: VotingEvent  # resolution at A waiting for review
    election_b: VotingEvent  # election draft at B


@pytest.fixture
def events(voting_world, tmp_path) -> Events:
    """Voting objects at institution A; lender 3 holds a claim at B only."""
    w = voting_world
    upload_and_activate(
        w.institution_b,
        w.operator_b,
        register_file(tmp_path, [row("赵小铜", ID_3, PHONE_3, "500.00", "0.00")], "b-v1.csv"),
    )
    a, op = w.institution_a, w.operator_a
    resolution = make_event(a, op)
    authoring.attachment_add(
        event=resolution, user=resolution.created_by, upload=pdf_upload(), actor=ME
    )
    resolution = open_now(resolution, w.wg_officer)
    recruitment = open_now(make_event(a, op, kind="recruitment"), w.wg_officer)
    signup = signups.signup_create(
        event=recruitment,
        lender=w.lender_1,
        name=w.lender_1.real_name,
        id_number=ID_1,
        phone=PHONE_1,
        introduction="愿意为出借人服务。",
        photo=png_upload(),
        resume=pdf_upload("简历.pdf"),
        password=PASSWORD_1,
        actor=ME,
    )
    draft = make_event(a, op, kind="election")
    authoring.candidate_add(event=draft, user=draft.created_by, name="张小英")
    draft_attachment = authoring.attachment_add(
        event=draft, user=draft.created_by, upload=pdf_upload(), actor=ME
    )
    submitted = authoring.event_submit(
        event=make_event(a, op, title="待审核的表决"), user=op, actor=ME
    )
    election_b = make_event(w.institution_b, w.operator_b, kind="election")
    return Events(resolution, recruitment, signup, draft, draft_attachment, submitted, election_b)


# --- Staff: the institution boundary ---------------------------------------------------------

STAFF_READS = {
    "signups": lambda e: f"/api/staff/events/{e.recruitment.pk}/signups",
    "photo": lambda e: f"/api/staff/signups/{e.signup.pk}/photo",
    "resume": lambda e: f"/api/staff/signups/{e.signup.pk}/resume",
    "attachment": lambda e: f"/api/staff/events/{e.draft.pk}/attachments/{e.draft_attachment.pk}",
}


@pytest.mark.parametrize("url", STAFF_READS.values(), ids=STAFF_READS.keys())
def test_operator_of_b_gets_404_for_as_files_and_signups(voting_world, events, url):
    assert ApiClient(staff_token(voting_world.operator_a)).get(url(events)).status_code == 200
    response = ApiClient(staff_token(voting_world.operator_b)).get(url(events))
    assert response.status_code == 404, (url(events), response.content)


def _attachment_add(client: ApiClient, e: Events):
    return client.multipart(
        f"/api/staff/events/{e.draft.pk}/attachments",
        {"attachment": SimpleUploadedFile("方案.pdf", PDF_BYTES, "application/pdf")},
    )


STAFF_WRITES = {
    "attachment-add": (_attachment_add, 201),
    "attachment-remove": (
        lambda c, e: c.delete(
            f"/api/staff/events/{e.draft.pk}/attachments/{e.draft_attachment.pk}"
        ),
        200,
    ),
    "candidate-remove": (
        lambda c, e: c.delete(f"/api/staff/events/{e.draft.pk}/candidates/c1"),
        200,
    ),
}


@pytest.mark.parametrize(("call", "allowed"), STAFF_WRITES.values(), ids=STAFF_WRITES.keys())
def test_operator_of_b_cannot_change_as_draft(voting_world, events, call, allowed):
    def state():
        return (
            list(EventAttachment.objects.filter(event=events.draft).values_list("pk", flat=True)),
            list(Candidate.objects.filter(event=events.draft).values_list("key", flat=True)),
        )

    before = state()
    assert before[1] == ["c1"]
    response = call(ApiClient(staff_token(voting_world.operator_b)), events)
    assert response.status_code == 404, response.content
    assert state() == before
    # The same call by A's operator goes through.
    assert call(ApiClient(staff_token(voting_world.operator_a)), events).status_code == allowed


def test_candidates_from_another_institutions_recruitment_are_refused(voting_world, events):
    recruitment = close_now(events.recruitment)
    signups.signup_review(
        signup=events.signup, approve=True, reason="", user=voting_world.wg_officer, actor=ME
    )
    payload = {"recruitment_id": recruitment.pk}
    operator_b = ApiClient(staff_token(voting_world.operator_b))
    response = operator_b.post(
        f"/api/staff/events/{events.election_b.pk}/candidates-from-signups", payload
    )
    assert response.status_code == 404, response.content
    assert not events.election_b.candidates.exists()
    # A's own election takes them.
    operator_a = ApiClient(staff_token(voting_world.operator_a))
    response = operator_a.post(
        f"/api/staff/events/{events.draft.pk}/candidates-from-signups", payload
    )
    assert response.status_code == 200 and response.json()["added"] == 1, response.content


def test_operator_cannot_return_an_event(voting_world, events):
    url = f"/api/staff/events/{events.submitted.pk}/return"
    comment = {"comment": "请补充清退方案全文"}
    response = ApiClient(staff_token(voting_world.operator_a)).post(url, comment)
    assert response.status_code == 403, response.content
    assert VotingEvent.objects.get(pk=events.submitted.pk).status == "submitted"
    officer = ApiClient(staff_token(voting_world.wg_officer))
    assert officer.post(url, comment).status_code == 200


# --- Lenders of another institution ----------------------------------------------------------


@pytest.mark.parametrize("suffix", ["", "/pages/1"], ids=["file", "page"])
def test_lender_of_b_cannot_read_as_attachments(voting_world, events, suffix):
    attachment = events.resolution.attachments.get()
    url = f"/api/events/{events.resolution.pk}/attachments/{attachment.pk}{suffix}"
    assert ApiClient(lender_token(PHONE_1)).get(url).status_code == 200
    response = ApiClient(lender_token(PHONE_3)).get(url)
    assert response.status_code == 404, response.content
    assert not AttachmentOpen.objects.filter(lender=voting_world.lender_3).exists()


def _signup_form(name: str, id_number: str, phone: str, password: str) -> dict:
    return {
        "name": name,
        "id_number": id_number,
        "phone": phone,
        "introduction": "愿意为出借人服务，熟悉财务。",
        "password": password,
        "photo": SimpleUploadedFile("me.png", PNG_BYTES, "image/png"),
        "resume": SimpleUploadedFile("简历.pdf", PDF_BYTES, "application/pdf"),
    }


def test_lender_of_b_cannot_sign_up_for_as_recruitment(voting_world, events):
    url = f"/api/events/{events.recruitment.pk}/signups"
    lender_3 = ApiClient(lender_token(PHONE_3))
    response = lender_3.multipart(url, _signup_form("赵小铜", ID_3, PHONE_3, PASSWORD_3))
    # No claim at A: the call tells nothing of the event (not its kind, state or record date).
    assert response.status_code == 404, response.content
    assert not SignUp.objects.filter(lender=voting_world.lender_3).exists()
    # Lender 2, in A's electorate, signs up with the same kind of form.
    lender_2 = ApiClient(lender_token(PHONE_2))
    response = lender_2.multipart(url, _signup_form("李小银", ID_2, PHONE_2, PASSWORD_2))
    assert response.status_code == 201, response.content


def _ballot(client: ApiClient, event: VotingEvent, password: str, choice: str):
    return client.post(f"/api/events/{event.pk}/ballots", {"password": password, "choice": choice})


def test_lender_of_b_gets_404_for_as_ballots_until_a_lists_them(voting_world, events, tmp_path):
    w = voting_world
    closed = close_now(open_now(make_event(w.institution_a, w.operator_a), w.wg_officer))
    lender_3 = ApiClient(lender_token(PHONE_3))
    # Open, closed, recruitment: the same bare 404, so nothing tells the events apart.
    for event in (events.resolution, closed, events.recruitment):
        response = _ballot(lender_3, event, PASSWORD_3, "yes")
        assert response.status_code == 404, response.content
        assert set(response.json()) == {"detail"}
    # A adds lender 3 to its register after the record date: now lender 3 is told why.
    upload_and_activate(
        w.institution_a,
        w.operator_a,
        register_file(
            tmp_path,
            [
                row("王小金", ID_1, PHONE_1, "12345.67", "0.05"),
                row("赵小铜", ID_3, PHONE_3, "9.00", "0"),
            ],
            "a-v2.csv",
        ),
    )
    response = _ballot(lender_3, events.resolution, PASSWORD_3, "yes")
    assert response.status_code == 403, response.content
    assert response.json()["code"] == "voting.not_in_electorate"
    assert "出借人名单" in response.json()["message"]
    # Control: lender 2, in the electorate, gets past the boundary (to the unread attachment).
    response = _ballot(ApiClient(lender_token(PHONE_2)), events.resolution, PASSWORD_2, "yes")
    assert response.status_code == 409 and response.json()["code"] == "voting.attachments_unread"


def test_lender_of_b_cannot_withdraw_a_signup_at_a(voting_world, events):
    url = f"/api/events/{events.recruitment.pk}/signups/mine"
    response = ApiClient(lender_token(PHONE_3)).delete(url)
    assert response.status_code == 404, response.content
    assert SignUp.objects.get(pk=events.signup.pk).status == SignUpStatus.ACTIVE
    assert ApiClient(lender_token(PHONE_1)).delete(url).status_code == 200
