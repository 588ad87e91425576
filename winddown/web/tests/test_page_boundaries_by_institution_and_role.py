"""Boundaries of the web pages across institutions and roles (Django test client), each next to
a control that shows the same URL works for someone entitled to it, so a refusal is never an
accident.

They prove: an operator of institution A gets 404 for institution B's import record, dispute
(page, answer, attachment), register upload and pending-version discard, and for the photo
and résumé of a sign-up to B's recruitment; roles outside the working group cannot answer
disputes, create or edit institutions, or return an event for changes; a system
administrator does not see lenders' applications; a lender with no claim at an institution
gets 404 for its claim pages, and a lender of another institution cannot sign up for or
withdraw from a recruitment; the offline liveness stand-in is 404 once a real identity
provider is configured.
"""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from winddown.audit.actions import PlatformAction
from winddown.audit.models import AuditEntry
from winddown.claims import services as claims_services
from winddown.claims.models import Confirmation, Dispute, DisputeStatus, RegisterImport
from winddown.conftest import (
    SYSTEM,
    make_lender,
    register_file,
    staff_signed_in,
    upload_and_activate,
)
from winddown.demo.generators import register_rows
from winddown.institutions.models import Institution
from winddown.testing import sample_pdf, sample_png
from winddown.voting.audit_actions import VotingAction
from winddown.voting.models import SignUp, SignUpStatus, VotingEvent
from winddown.voting.services import authoring
from winddown.voting.tests.conftest import (
    ME,
    PASSWORD,
    make_event,
    open_now,
    sign_up,
)

pytestmark = pytest.mark.django_db

PDF = sample_pdf()
PNG = sample_png()


def lender_client(lender) -> Client:
    client = Client()
    client.force_login(lender.user)
    return client


class World:
    """Institution A and B with active registers and one verified lender each; at B a
    pending upload, a dispute with evidence, an open recruitment with the B lender's sign-up
    and a resolution waiting for review."""


@pytest.fixture
def world(tmp_path, institution_a, institution_b, operator_a, operator_b, wg_officer) -> World:
    rows = [list(r) for r in register_rows(4, seed=71)]
    for r in rows:
        r[4] = "1000.00"
    w = World()
    w.a, w.b = institution_a, institution_b
    upload_and_activate(institution_a, operator_a, register_file(tmp_path, rows[:2], "a.csv"))
    upload_and_activate(institution_b, operator_b, register_file(tmp_path, rows[2:], "b.csv"))
    w.lender_a = make_lender(rows[0][3], name=rows[0][0], id_number=rows[0][2], password=PASSWORD)
    w.lender_b = make_lender(rows[2][3], name=rows[2][0], id_number=rows[2][2], password=PASSWORD)
    w.import_b = claims_services.register_import_queue(
        institution=institution_b,
        upload=SimpleUploadedFile(
            "b2.csv", register_file(tmp_path, rows[2:3], "b2.csv").read_bytes()
        ),
        user=operator_b,
    )
    assert w.import_b.status == "succeeded", w.import_b.errors
    w.pending_b = w.import_b.version
    w.dispute_b = claims_services.dispute_raise(
        lender=w.lender_b,
        institution=institution_b,
        reason="本金应为 2000 元，不是 1000 元",
        attachment=SimpleUploadedFile("凭证.png", PNG, content_type="image/png"),
        actor=SYSTEM,
    )
    w.recruitment_b = open_now(
        make_event(institution_b, operator_b, kind="recruitment", title="征集出借人代表"),
        wg_officer,
    )
    w.signup_b = sign_up(w.recruitment_b, w.lender_b)
    w.submitted_b = authoring.event_submit(
        event=make_event(institution_b, operator_b), user=operator_b, actor=ME
    )
    return w


# --- Staff: institution boundary -------------------------------------------------------------

B_READS = {
    "import": lambda w: f"/staff/imports/{w.import_b.pk}/",
    "dispute": lambda w: f"/staff/disputes/{w.dispute_b.pk}/",
    "dispute-attachment": lambda w: f"/staff/disputes/{w.dispute_b.pk}/attachment/",
    "signup-photo": lambda w: f"/staff/signups/{w.signup_b.pk}/photo/",
    "signup-resume": lambda w: f"/staff/signups/{w.signup_b.pk}/resume/",
}


@pytest.mark.parametrize("url", B_READS.values(), ids=B_READS.keys())
def test_operator_of_a_gets_404_for_bs_pages(world, operator_a, operator_b, url):
    assert staff_signed_in(operator_b).get(url(world)).status_code == 200  # the owner's operator
    response = staff_signed_in(operator_a).get(url(world))
    assert response.status_code == 404, url(world)
    assert AuditEntry.objects.filter(
        action=PlatformAction.ACCESS_DENIED, actor_id=operator_a.pk
    ).exists()


@pytest.mark.parametrize("which", ["photo", "resume"])
def test_sysadmin_does_not_see_lenders_applications(world, sysadmin, which):
    response = staff_signed_in(sysadmin).get(f"/staff/signups/{world.signup_b.pk}/{which}/")
    assert response.status_code == 403


ANSWER = {"outcome": DisputeStatus.REJECTED, "answer": "经核对，登记表金额无误"}


def test_operator_of_a_cannot_answer_bs_dispute(world, operator_a):
    response = staff_signed_in(operator_a).post(f"/staff/disputes/{world.dispute_b.pk}/", ANSWER)
    assert response.status_code == 404
    assert Dispute.objects.get(pk=world.dispute_b.pk).status == DisputeStatus.OPEN


@pytest.mark.parametrize("role", ["wg_officer", "association_officer", "sysadmin"])
def test_only_operators_answer_disputes(world, request, role):
    client = staff_signed_in(request.getfixturevalue(role))
    url = f"/staff/disputes/{world.dispute_b.pk}/"
    assert client.get(url).status_code == 200  # oversight roles may read it
    response = client.post(url, ANSWER)
    assert response.status_code == 403  # they may read it, so it is no secret that it exists
    assert "只有本机构的经办人员可以答复异议" in response.content.decode()
    assert Dispute.objects.get(pk=world.dispute_b.pk).status == DisputeStatus.OPEN


def test_operator_of_a_cannot_upload_to_or_discard_at_b(world, tmp_path, operator_a):
    client = staff_signed_in(operator_a)
    upload = SimpleUploadedFile(
        "x.csv",
        register_file(tmp_path, [list(next(register_rows(1, seed=5)))], "x.csv").read_bytes(),
    )
    assert (
        client.post(f"/staff/institutions/{world.b.pk}/upload/", {"file": upload}).status_code
        == 404
    )
    assert RegisterImport.objects.filter(institution=world.b).count() == 1
    assert client.post(f"/staff/registers/{world.pending_b.pk}/discard/").status_code == 404
    world.pending_b.refresh_from_db()
    assert world.pending_b.status == "pending"


# --- Staff: roles ----------------------------------------------------------------------------

INSTITUTION_FORM = {
    "full_name": "网贷机构C信息咨询有限公司",
    "short_name": "网贷机构C",
    "credit_code": "91310000MA1FL1234Q",
    "registered_address": "上海市黄浦区中山东一路 1 号",
    "business_address": "",
    "status": "operating",
}


@pytest.mark.parametrize("role", ["operator_a", "association_officer"])
@pytest.mark.parametrize("page", ["new", "edit"])
def test_institutions_are_managed_by_the_working_group_and_admins_only(
    request, institution_a, wg_officer, role, page
):
    url = (
        "/staff/institutions/new/"
        if page == "new"
        else f"/staff/institutions/{institution_a.pk}/edit/"
    )
    assert staff_signed_in(wg_officer).get(url).status_code == 200
    client = staff_signed_in(request.getfixturevalue(role))
    assert client.get(url).status_code == 403
    assert client.post(url, INSTITUTION_FORM).status_code == 403
    assert not Institution.objects.filter(short_name="网贷机构C").exists()
    assert Institution.objects.get(pk=institution_a.pk).short_name == "网贷机构A"


@pytest.mark.parametrize("role", ["operator_b", "association_officer"])
def test_only_the_working_group_returns_an_event(world, request, role):
    url = f"/staff/events/{world.submitted_b.pk}/"
    response = staff_signed_in(request.getfixturevalue(role)).post(
        url, {"action": "return", "comment": "请补充清退方案全文"}
    )
    assert response.status_code == 403
    assert VotingEvent.objects.get(pk=world.submitted_b.pk).status == "submitted"
    assert not AuditEntry.objects.filter(action=VotingAction.EVENT_RETURNED).exists()


# --- Lenders ---------------------------------------------------------------------------------

CLAIM_PAGES = [("get", ""), ("post", "confirm/"), ("get", "dispute/"), ("post", "dispute/")]


@pytest.mark.parametrize(("method", "suffix"), CLAIM_PAGES, ids=lambda v: v or "detail")
def test_lender_without_a_claim_gets_404_for_the_claim_pages(world, method, suffix):
    client = lender_client(world.lender_b)
    assert client.get(f"/m/claims/{world.b.pk}/").status_code == 200  # their own claim
    url = f"/m/claims/{world.a.pk}/{suffix}"
    response = getattr(client, method)(
        url, {"reason": "本金少算了一千元"} if method == "post" else {}
    )
    assert response.status_code == 404, url
    assert not Confirmation.objects.filter(lender=world.lender_b, institution=world.a).exists()
    assert not Dispute.objects.filter(lender=world.lender_b, institution=world.a).exists()


def test_lender_of_another_institution_cannot_sign_up_or_withdraw(world):
    assert (
        lender_client(world.lender_b).get(f"/m/events/{world.recruitment_b.pk}/").status_code == 200
    )
    client = lender_client(world.lender_a)
    response = client.post(
        f"/m/events/{world.recruitment_b.pk}/signup/",
        {
            "name": world.lender_a.real_name,
            "phone": "13712345679",
            "introduction": "愿意为出借人服务，熟悉法律。",
            "photo": SimpleUploadedFile("me.png", PNG),
            "resume": SimpleUploadedFile("简历.pdf", PDF),
            "password": PASSWORD,
        },
    )
    assert response.status_code == 404
    assert not SignUp.objects.filter(lender=world.lender_a).exists()
    response = client.post(f"/m/events/{world.recruitment_b.pk}/signup/withdraw/")
    assert response.status_code == 404
    assert SignUp.objects.get(pk=world.signup_b.pk).status == SignUpStatus.ACTIVE


@pytest.mark.parametrize("method", ["get", "post"])
def test_dev_liveness_page_is_gone_with_a_real_provider(client, settings, db, method):
    url = "/m/dev/liveness/tok123/"
    assert client.get(url).status_code == 200  # the offline provider's stand-in
    settings.IDENTITY_PROVIDER = "http"
    assert getattr(client, method)(url).status_code == 404
    assert cache.get("dev-liveness:tok123") is None
