"""Fixtures for voting tests: an institution with an active register and verified lenders."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from winddown.audit.services import Actor
from winddown.conftest import committed, make_lender, register_file, upload_and_activate
from winddown.demo.generators import register_rows
from winddown.voting.models import VotingEvent
from winddown.voting.services import authoring, lifecycle, signups

PASSWORD = "258036"
ME = Actor(None, "tests")
SIGNUP_PHOTO = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
SIGNUP_RESUME = b"%PDF-1.4\n%resume\n"


@pytest.fixture
def register_rows_a():
    rows = list(register_rows(12, seed=9))
    # Weights chosen to make the arithmetic easy to check: 100 yuan each, one zero row.
    for row in rows:
        row[4] = "100.00"
    rows[-1][4] = "0.00"  # not in the electorate
    return rows


@pytest.fixture
def active_register(tmp_path, institution_a, operator_a, register_rows_a):
    return upload_and_activate(institution_a, operator_a, register_file(tmp_path, register_rows_a))


@pytest.fixture
def lenders(active_register, register_rows_a):
    """Verified lenders with voting passwords for the first five rows."""
    return [
        make_lender(row[3], name=row[0], id_number=row[2], password=PASSWORD)
        for row in register_rows_a[:5]
    ]


def make_event(institution, operator, kind="resolution", **overrides) -> VotingEvent:
    now = timezone.now()
    values = {
        "kind": kind,
        "title": "是否同意此清退方案",
        "content": "请各位出借人表决清退方案。",
        "opens_at": now + timedelta(hours=1),
        "closes_at": now + timedelta(days=3),
        "rule_id": "" if kind == "recruitment" else "p2p-exit",
    }
    if kind == "election":
        values.update(seats=2, max_choices=2, title="选举监委会成员")
    values.update(overrides)
    return authoring.event_create(institution=institution, user=operator, actor=ME, **values)


def open_now(event: VotingEvent, officer) -> VotingEvent:
    """Submit, approve and open an event as if its opening time had come."""
    if event.status in ("draft", "returned"):
        authoring.event_submit(event=event, user=event.created_by, actor=ME)
    if event.status != "scheduled":
        authoring.event_approve(event=VotingEvent.objects.get(pk=event.pk), user=officer, actor=ME)
    now = timezone.now()
    VotingEvent.objects.filter(pk=event.pk).update(opens_at=now - timedelta(seconds=1))
    with committed():  # the "opened" notices go out once the opening has committed
        return lifecycle.event_open(event.pk)


def sign_up(event: VotingEvent, lender, **overrides):
    """The lender signs up for a recruitment with a complete form (overrides replace fields)."""
    values = dict(
        event=event,
        lender=lender,
        name=lender.real_name,
        id_number=lender.id_number.value,
        phone="13712345678",
        introduction="愿意为出借人服务，熟悉财务。",
        photo=SimpleUploadedFile("me.png", SIGNUP_PHOTO),
        resume=SimpleUploadedFile("简历.pdf", SIGNUP_RESUME),
        password=PASSWORD,
        actor=ME,
    )
    values.update(overrides)
    return signups.signup_create(**values)


def close_now(event: VotingEvent) -> VotingEvent:
    """Bring the closing time forward to now (after every ballot cast so far) and count."""
    VotingEvent.objects.filter(pk=event.pk).update(closes_at=timezone.now())
    return lifecycle.event_count(event.pk)
