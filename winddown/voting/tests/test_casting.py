from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from winddown.conftest import make_lender
from winddown.core.errors import DomainError
from winddown.identity.errors import IdentityErrorCode
from winddown.testing import sample_pdf
from winddown.voting.errors import VotingErrorCode as E
from winddown.voting.models import Ballot, BallotLog, VotingEvent
from winddown.voting.services import authoring, casting
from winddown.voting.tests.conftest import ME, PASSWORD, make_event, open_now

pytestmark = pytest.mark.django_db


def _error(**kwargs) -> DomainError:
    with pytest.raises(DomainError) as info:
        casting.ballot_cast(actor=ME, **kwargs)
    return info.value


@pytest.fixture
def event(institution_a, operator_a, wg_officer, lenders):
    return open_now(make_event(institution_a, operator_a), wg_officer)


def test_cast_change_and_history(event, lenders):
    first = casting.ballot_cast(
        event=event, lender=lenders[0], choice="no", password=PASSWORD, actor=ME
    ).ballot
    second = casting.ballot_cast(
        event=event, lender=lenders[0], choice="yes", password=PASSWORD, actor=ME
    ).ballot
    assert (first.seq, second.seq) == (1, 2) and first.receipt != second.receipt
    assert list(
        Ballot.objects.filter(event=event, is_current=True).values_list("choice", flat=True)
    ) == ["yes"]
    assert Ballot.objects.filter(event=event).count() == 2  # history kept
    assert first.voter == second.voter and len(first.voter) == 32
    log = BallotLog.objects.get(event=event)
    assert log.size == 2 and len(log.root) == 64


@pytest.mark.django_db(transaction=True)  # PostgreSQL checks the key when committing
def test_database_refuses_a_ballot_filed_under_another_event(
    institution_a, operator_a, wg_officer, lenders
):
    first = open_now(make_event(institution_a, operator_a), wg_officer)
    other = open_now(make_event(institution_a, operator_a, title="另一项议案"), wg_officer)
    ballot = casting.ballot_cast(
        event=first, lender=lenders[0], choice="yes", password=PASSWORD, actor=ME
    ).ballot
    # The same lender is an elector of both events, but this elector row is the first's.
    copy = {f.attname: getattr(ballot, f.attname) for f in Ballot._meta.concrete_fields}
    copy.update(id=None, event_id=other.pk, is_current=False, receipt="X" * 16)
    with pytest.raises(IntegrityError), transaction.atomic():
        Ballot.objects.create(**copy)
    with pytest.raises(IntegrityError), transaction.atomic():
        Ballot.objects.filter(pk=ballot.pk).update(event_id=other.pk)
    assert Ballot.objects.filter(event=other).count() == 0
    assert Ballot.objects.get(pk=ballot.pk).event_id == first.pk


def test_same_request_twice_counts_once(event, lenders):
    a = casting.ballot_cast(
        event=event,
        lender=lenders[0],
        choice="yes",
        password=PASSWORD,
        actor=ME,
        idempotency_key="k-1",
    )
    b = casting.ballot_cast(
        event=event,
        lender=lenders[0],
        choice="yes",
        password=PASSWORD,
        actor=ME,
        idempotency_key="k-1",
    )
    assert (a.replayed, b.replayed) == (False, True)
    assert a.ballot.pk == b.ballot.pk and Ballot.objects.filter(event=event).count() == 1


def test_same_key_with_another_choice_is_refused_and_the_first_ballot_stands(event, lenders):
    first = casting.ballot_cast(
        event=event,
        lender=lenders[0],
        choice="yes",
        password=PASSWORD,
        actor=ME,
        idempotency_key="k-1",
    ).ballot
    with pytest.raises(DomainError) as caught:
        casting.ballot_cast(
            event=event,
            lender=lenders[0],
            choice="no",
            password=PASSWORD,
            actor=ME,
            idempotency_key="k-1",
        )
    assert caught.value.error_code is E.IDEMPOTENCY_KEY_REUSED
    assert caught.value.http_status == 409 and "另一份选票" in caught.value.message
    ballots = Ballot.objects.filter(event=event)
    assert [(b.pk, b.choice, b.is_current) for b in ballots] == [(first.pk, "yes", True)]


def test_window(institution_a, operator_a, wg_officer, lenders):
    event = make_event(institution_a, operator_a)
    authoring.event_submit(event=event, user=event.created_by, actor=ME)
    authoring.event_approve(event=event, user=wg_officer, actor=ME)
    assert (
        _error(event=event, lender=lenders[0], choice="yes", password=PASSWORD).error_code
        is E.NOT_OPEN_YET
    )
    event = open_now(VotingEvent.objects.get(pk=event.pk), wg_officer)
    VotingEvent.objects.filter(pk=event.pk).update(closes_at=timezone.now() - timedelta(seconds=1))
    error = _error(event=event, lender=lenders[0], choice="yes", password=PASSWORD)
    assert error.error_code is E.ALREADY_CLOSED and "截止" in error.message


def test_who_may_vote(event, lenders, register_rows_a):
    outsider = make_lender(
        "13712345678", name="外人", id_number="110101199003070011", password=PASSWORD
    )
    assert (
        _error(event=event, lender=outsider, choice="yes", password=PASSWORD).error_code
        is E.NOT_IN_ELECTORATE
    )
    zero = register_rows_a[-1]  # zero principal: not in the electorate
    nobody = make_lender(zero[3], name=zero[0], id_number=zero[2], password=PASSWORD)
    assert (
        _error(event=event, lender=nobody, choice="yes", password=PASSWORD).error_code
        is E.NOT_IN_ELECTORATE
    )
    unverified = make_lender("13600000000")
    assert (
        _error(event=event, lender=unverified, choice="yes", password=PASSWORD).error_code
        is E.NOT_VERIFIED
    )


def test_bad_choices_and_password(event, lenders):
    assert (
        _error(event=event, lender=lenders[0], choice="maybe", password=PASSWORD).error_code
        is E.CHOICE_INVALID
    )
    for _ in range(4):
        error = _error(event=event, lender=lenders[0], choice="yes", password="111112")
        assert error.error_code is IdentityErrorCode.PASSWORD_WRONG
    assert (
        _error(event=event, lender=lenders[0], choice="yes", password="111112").error_code
        is IdentityErrorCode.PASSWORD_LOCKED
    )
    assert (
        _error(event=event, lender=lenders[0], choice="yes", password=PASSWORD).error_code
        is IdentityErrorCode.PASSWORD_LOCKED
    )
    assert not Ballot.objects.exists()


def test_abstain_only_when_allowed(institution_a, operator_a, wg_officer, lenders):
    event = open_now(make_event(institution_a, operator_a, allow_abstain=False), wg_officer)
    assert (
        _error(event=event, lender=lenders[0], choice="abstain", password=PASSWORD).error_code
        is E.ABSTAIN_NOT_ALLOWED
    )


def test_attachments_must_be_opened_first(institution_a, operator_a, wg_officer, lenders):
    draft = make_event(institution_a, operator_a)
    attachment = authoring.attachment_add(
        event=draft,
        user=draft.created_by,
        upload=SimpleUploadedFile("方案.pdf", sample_pdf()),
        actor=ME,
    )
    event = open_now(draft, wg_officer)
    error = _error(event=event, lender=lenders[0], choice="yes", password=PASSWORD)
    assert error.error_code is E.ATTACHMENTS_UNREAD and "1 个未读" in error.message
    casting.attachment_open_record(attachment=attachment, lender=lenders[0])
    casting.attachment_open_record(attachment=attachment, lender=lenders[0])
    assert (
        casting.ballot_cast(
            event=event, lender=lenders[0], choice="yes", password=PASSWORD, actor=ME
        ).ballot.seq
        == 1
    )


def test_election_choices(institution_a, operator_a, wg_officer, lenders):
    draft = make_event(institution_a, operator_a, kind="election", seats=2, max_choices=2)
    keys = [
        authoring.candidate_add(event=draft, user=draft.created_by, name=name).key
        for name in ("王小进", "张小英", "陈小刚")
    ]
    event = open_now(draft, wg_officer)
    assert (
        _error(event=event, lender=lenders[0], choice=[], password=PASSWORD).error_code
        is E.NO_CHOICE
    )
    assert (
        _error(event=event, lender=lenders[0], choice=keys, password=PASSWORD).error_code
        is E.TOO_MANY_CHOICES
    )
    assert (
        _error(
            event=event, lender=lenders[0], choice=[keys[0], keys[0]], password=PASSWORD
        ).error_code
        is E.DUPLICATE_CHOICE
    )
    assert (
        _error(event=event, lender=lenders[0], choice=["c9"], password=PASSWORD).error_code
        is E.CHOICE_INVALID
    )
    ballot = casting.ballot_cast(
        event=event, lender=lenders[0], choice=[keys[2], keys[0]], password=PASSWORD, actor=ME
    ).ballot
    assert ballot.choice == "c1+c3"
