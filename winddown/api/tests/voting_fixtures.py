"""Fixtures for the voting API tests: institution A with an active register, lenders in and
out of its electorate, signed-in clients, and helpers that play the clock (the background
worker's opening and closing). Import the `*_fixture` functions into a test module; pytest
finds them under their names (voting_world, clients)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from winddown.accounts.models import User
from winddown.api.tests.conftest import ApiClient, id_number, lender_token, row, staff_token
from winddown.conftest import make_lender, register_file, upload_and_activate
from winddown.identity.models import Lender
from winddown.institutions.models import Institution
from winddown.testing import sample_pdf
from winddown.voting.models import VotingEvent
from winddown.voting.services import lifecycle

PDF_BYTES = sample_pdf()
PNG_BYTES = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)

PHONE_1, PASSWORD_1 = "13800138000", "135790"  # 12,345.67 yuan at A
PHONE_2, PASSWORD_2 = "13900139000", "246801"  # 100.00 yuan at A
PHONE_5, PASSWORD_5 = "13600136000", "357913"  # 0.01 yuan at A (locks themselves out)
PHONE_3, PASSWORD_3 = "13700137000", "468024"  # verified, no claim at A
PHONE_4 = "13500135000"  # signed in, never verified
ID_1 = id_number(1)
ID_2 = id_number(2, area="310104", birth=datetime.date(1979, 11, 2))
ID_3 = id_number(3, area="440305", birth=datetime.date(1992, 3, 15))
ID_5 = id_number(5, area="330106", birth=datetime.date(1990, 1, 1))
ID_6 = id_number(6, area="320102", birth=datetime.date(1970, 6, 6))  # register only


@dataclass
class VotingWorld:
    institution_a: Institution
    institution_b: Institution
    operator_a: User
    operator_b: User
    wg_officer: User
    association_officer: User
    lender_1: Lender
    lender_2: Lender
    lender_3: Lender
    lender_4: Lender
    lender_5: Lender


@pytest.fixture(name="voting_world")
def voting_world_fixture(
    institution_a,
    institution_b,
    operator_a,
    operator_b,
    wg_officer,
    association_officer,
    tmp_path,
) -> VotingWorld:
    lender_1 = make_lender(PHONE_1, name="王小金", id_number=ID_1, password=PASSWORD_1)
    lender_2 = make_lender(PHONE_2, name="李小银", id_number=ID_2, password=PASSWORD_2)
    lender_3 = make_lender(PHONE_3, name="赵小铜", id_number=ID_3, password=PASSWORD_3)
    lender_4 = make_lender(PHONE_4)
    lender_5 = make_lender(PHONE_5, name="孙小锡", id_number=ID_5, password=PASSWORD_5)
    upload_and_activate(
        institution_a,
        operator_a,
        register_file(
            tmp_path,
            [
                row("王小金", ID_1, PHONE_1, "12345.67", "0.05", "3"),
                row("李小银", ID_2, PHONE_2, "100.00", "1.00"),
                row("孙小锡", ID_5, PHONE_5, "0.01", "0.00"),
                row("钱多多", ID_6, "13312345678", "900.00", "0.00"),  # never signs up
            ],
            name="a-v1.csv",
        ),
    )
    return VotingWorld(
        institution_a=institution_a,
        institution_b=institution_b,
        operator_a=operator_a,
        operator_b=operator_b,
        wg_officer=wg_officer,
        association_officer=association_officer,
        lender_1=lender_1,
        lender_2=lender_2,
        lender_3=lender_3,
        lender_4=lender_4,
        lender_5=lender_5,
    )


@dataclass
class Clients:
    operator: ApiClient
    officer: ApiClient
    lender_1: ApiClient
    lender_2: ApiClient
    anonymous: ApiClient


@pytest.fixture(name="clients")
def clients_fixture(voting_world) -> Clients:
    """Signed in the real way: staff with password and TOTP, lenders with an SMS code."""
    return Clients(
        operator=ApiClient(staff_token(voting_world.operator_a)),
        officer=ApiClient(staff_token(voting_world.wg_officer)),
        lender_1=ApiClient(lender_token(PHONE_1)),
        lender_2=ApiClient(lender_token(PHONE_2)),
        anonymous=ApiClient(),
    )


def event_payload(kind: str = "resolution", **overrides) -> dict:
    now = timezone.now()
    values = {
        "kind": kind,
        "title": "是否同意网贷机构A的清退方案",
        "content": "请各位出借人阅读附件中的清退方案后表决。",
        "rule_id": "" if kind == "recruitment" else "p2p-exit",
        "opens_at": (now + timedelta(hours=2)).isoformat(),
        "closes_at": (now + timedelta(days=3)).isoformat(),
    }
    if kind == "election":
        values.update(title="选举监委会成员", seats=2, max_choices=2)
    if kind == "recruitment":
        values.update(title="征集出借人代表", content="欢迎有意愿的出借人报名。")
    values.update(overrides)
    return values


def pdf_upload(name: str = "清退方案.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF_BYTES, content_type="application/pdf")


def png_upload(name: str = "me.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PNG_BYTES, content_type="image/png")


def open_now(event_id: int) -> VotingEvent:
    """The opening time has come: what the worker's event_open task does."""
    VotingEvent.objects.filter(pk=event_id).update(opens_at=timezone.now() - timedelta(seconds=1))
    return lifecycle.event_open(event_id)


def close_now(event_id: int) -> VotingEvent:
    """The closing time has come: close and count, as the worker's close task does."""
    VotingEvent.objects.filter(pk=event_id).update(closes_at=timezone.now())
    return lifecycle.event_count(event_id)


def voting_known_ids(world, officer: User) -> dict[str, list]:
    """For the schema-driven test (test_schema.py): voting objects in every state a path
    can name, built through the services on the API tests' `world` (institution A): a
    published resolution with lender 1's ballot, a read attachment and a notice; an open
    recruitment with lender 1's sign-up; a draft election with two candidates."""
    from winddown.conftest import SYSTEM
    from winddown.voting.models import Notice
    from winddown.voting.services import authoring, casting, notices, signups

    def draft(kind: str, **extra) -> VotingEvent:
        now = timezone.now()
        values = {
            "kind": kind,
            "title": f"{kind} 测试",
            "content": "测试内容",
            "opens_at": now + timedelta(hours=2),
            "closes_at": now + timedelta(days=3),
            "rule_id": "" if kind == "recruitment" else "p2p-exit",
            **extra,
        }
        return authoring.event_create(
            institution=world.institution_a, user=world.operator_a, actor=SYSTEM, **values
        )

    def opened(event: VotingEvent) -> VotingEvent:
        authoring.event_submit(event=event, user=event.created_by, actor=SYSTEM)
        authoring.event_approve(event=event, user=officer, actor=SYSTEM)
        return open_now(event.pk)

    lender = world.lender_1
    resolution = draft("resolution")
    attachment = authoring.attachment_add(
        event=resolution, user=resolution.created_by, upload=pdf_upload(), actor=SYSTEM
    )
    resolution = opened(resolution)
    casting.attachment_open_record(attachment=attachment, lender=lender)
    ballot = casting.ballot_cast(
        event=resolution, lender=lender, choice="yes", password="135790", actor=SYSTEM
    ).ballot
    close_now(resolution.pk)
    resolution = lifecycle.event_publish(
        event=VotingEvent.objects.get(pk=resolution.pk), user=officer, actor=SYSTEM
    )
    notices.notices_send(resolution.pk, "published")

    recruitment = opened(draft("recruitment"))
    signup = signups.signup_create(
        event=recruitment,
        lender=lender,
        name=lender.real_name,
        id_number=lender.id_number.value,
        phone=PHONE_1,
        introduction="愿意为出借人服务。",
        photo=png_upload(),
        resume=pdf_upload("简历.pdf"),
        password="135790",
        actor=SYSTEM,
    )

    election = draft("election", seats=1, max_choices=1)
    for name in ("张小英", "陈小刚"):
        authoring.candidate_add(event=election, user=election.created_by, name=name)
    return {
        "event_id": [resolution.pk, recruitment.pk, election.pk],
        "attachment_id": [attachment.pk],
        "page": [1, 2],
        "notice_id": list(Notice.objects.filter(lender=lender).values_list("pk", flat=True)),
        "signup_id": [signup.pk],
        "key": ["c1", "c2"],
        "code": [ballot.receipt],
    }
