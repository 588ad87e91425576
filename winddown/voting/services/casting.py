"""Casting and changing ballots (manual 2.2 选举, 2.3 决议).

Everything that can be refused without the password is checked first; the elector and the
unread attachments come with the event (`selectors.opened_event`), or in one query. Then one
transaction: the lender's row is locked and the password checked under that lock (Argon2 is
the slow part, and it holds only this lender's lock); a repeated request is answered from
the ballot it created; otherwise the previous ballot stops being current, the event's log
head is locked, the event's status and closing time are read again (on PostgreSQL these in
one statement) and the new ballot is appended to the log. Locks are always taken in that
order (lender, then log head; counting waits for the log head too). The partial unique index
`one_current_ballot` makes two current ballots for one lender impossible even if the code
were wrong. This is the hot path of a vote: every query here is counted, and the statements
themselves are written by hand in `voting.ballot_store`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from winddown.audit.services import Actor
from winddown.core.errors import DomainError
from winddown.identity.services import voting_password_failure
from winddown.voting import ballot_log, ballot_store
from winddown.voting.ballot_store import Place
from winddown.voting.errors import VotingErrorCode as E
from winddown.voting.models import (
    AttachmentOpen,
    Ballot,
    Elector,
    EventAttachment,
    EventKind,
    EventStatus,
    VotingEvent,
)
from winddown.voting.services import lifecycle
from winddown.voting.tally import RESOLUTION_OPTIONS

if TYPE_CHECKING:
    from winddown.identity.models import Lender


@dataclass(frozen=True)
class Cast:
    """A ballot as casting returned it: `replayed` when the same request (idempotency key)
    had already been accepted and this is the ballot it created (the API answers 200)."""

    ballot: Ballot
    replayed: bool


def _local(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")


def check_open(
    event: VotingEvent,
    *,
    status: str = "",
    closes_at: datetime | None = None,
    now: datetime | None = None,
) -> None:
    """Refuse unless the event is open now. `status`, `closes_at`: as just read under a
    lock, when `event` may be older."""
    status = status or event.status
    closes_at = closes_at or event.closes_at
    now = now or timezone.now()
    if status in (EventStatus.SCHEDULED, EventStatus.SUBMITTED) or now < event.opens_at:
        raise DomainError(E.NOT_OPEN_YET, opens_at=_local(event.opens_at))
    if status != EventStatus.OPEN:
        if status in (EventStatus.CLOSED, EventStatus.COUNTED, EventStatus.PUBLISHED):
            raise DomainError(E.ALREADY_CLOSED, closes_at=_local(closes_at))
        raise DomainError(E.NOT_OPEN, status=EventStatus(status).label)
    if now >= closes_at:
        raise DomainError(E.ALREADY_CLOSED, closes_at=_local(closes_at))


def place_for(event: VotingEvent, lender: Lender, place: Place | None = None) -> Place:
    """The lender's place in the frozen electorate: `place` when the caller read it with the
    event (selectors.opened_event), or in one query."""
    if not lender.is_verified:
        raise DomainError(E.NOT_VERIFIED)
    if place is None:
        place = ballot_store.place(event.pk, lender.id_index, lender.pk)
    if place is None:
        record_date = _local(event.record_version.activated_at) if event.record_version else ""
        raise DomainError(E.NOT_IN_ELECTORATE, record_date=record_date)
    return place


def attachment_open_record(*, attachment: EventAttachment, lender: Lender) -> None:
    AttachmentOpen.objects.get_or_create(attachment=attachment, lender=lender)


def normalize_choice(event: VotingEvent, choice: str | list[str]) -> str:
    """The canonical choice string: an option, or candidate keys joined with '+' in order."""
    if event.kind == EventKind.RESOLUTION:
        value = choice if isinstance(choice, str) else ""
        if value not in RESOLUTION_OPTIONS:
            raise DomainError(E.CHOICE_INVALID, field="choice", choice=str(choice)[:20])
        if value == "abstain" and not event.allow_abstain:
            raise DomainError(E.ABSTAIN_NOT_ALLOWED, field="choice")
        return value
    keys = [k for k in (choice.split("+") if isinstance(choice, str) else choice) if k]
    if not keys:
        raise DomainError(E.NO_CHOICE, field="choice")
    if len(set(keys)) != len(keys):
        raise DomainError(E.DUPLICATE_CHOICE, field="choice")
    known = set(event.candidates.values_list("key", flat=True))
    for key in keys:
        if key not in known:
            raise DomainError(E.CHOICE_INVALID, field="choice", choice=str(key)[:20])
    if len(keys) > event.max_choices:
        raise DomainError(
            E.TOO_MANY_CHOICES, field="choice", max_choices=event.max_choices, count=len(keys)
        )
    return "+".join(sorted(keys))


def ballot_precheck(
    event: VotingEvent, lender: Lender, choice: str | list[str], place: Place | None = None
) -> tuple[Elector, str]:
    """Everything a ballot is refused for before its password is asked: the event is a
    ballot event and open, the lender is verified, in its electorate, has a voting password,
    has opened every attachment, and the choice is valid. Returns the lender's elector and
    the canonical choice. `place`: as read with the event, if the caller did."""
    if not event.is_ballot_event:
        raise DomainError(E.NOT_A_BALLOT_EVENT)
    check_open(event)
    found = place_for(event, lender, place)
    if not lender.has_voting_password:
        raise DomainError(E.NO_PASSWORD)
    canonical = normalize_choice(event, choice)
    if found.unread:
        raise DomainError(E.ATTACHMENTS_UNREAD, count=found.unread)
    return found.elector, canonical


def ballot_cast(
    *,
    event: VotingEvent,
    lender: Lender,
    choice: str | list[str],
    password: str,
    actor: Actor,
    idempotency_key: str = "",
    place: Place | None = None,
) -> Cast:
    """Cast or change the lender's ballot; the latest one counts. Returns the ballot with
    its receipt. Submitting the same request again (same idempotency key) returns the
    ballot the first submission created (`replayed`). `event` and `lender` must be freshly
    read (the callers read them for the request; `place` with the event, if they did); the
    event's status is read again under the lock."""
    event = lifecycle.event_advance_if_due(event)
    elector, canonical = ballot_precheck(event, lender, choice, place)
    idempotency_key = (idempotency_key or "")[:64]
    with transaction.atomic():
        failure = voting_password_failure(lender=lender, password=password, actor=actor)
        cast = None if failure else _append_ballot(event, elector, canonical, idempotency_key)
    if failure is not None:
        raise failure
    return cast


def _append_ballot(
    event: VotingEvent, elector: Elector, canonical: str, idempotency_key: str
) -> Cast:
    """Under the lender's lock: answer a repeat, or append the ballot to the log."""
    voter = ballot_log.voter_pseudonym(event, elector.id_index)
    receipt = ballot_log.new_receipt()
    # A repeat is answered with the ballot it created, if it asks for the same choice; the
    # same key with another choice is refused (the first ballot would otherwise be returned
    # as if the new choice had been recorded). Otherwise the lender's current ballot
    # stops counting (it stays in the history; rolled back with the rest if the event turns
    # out to be closed), and the log head is locked (only it) with the event's status read
    # again; the time is read after the lock is held, so no ballot lands after the closing
    # time.
    replay, log = ballot_store.settle_and_lock_log(event.pk, elector.pk, idempotency_key)
    if replay is not None:
        first = Ballot.objects.get(pk=replay)
        if first.choice != canonical:
            raise DomainError(E.IDEMPOTENCY_KEY_REUSED, field="idempotency_key")
        return Cast(first, replayed=True)
    now = timezone.now()
    check_open(event, status=log.event_status, closes_at=log.event_closes_at, now=now)
    # The log line holds exactly what the ballot row stores (the published bundle's data).
    entry = {
        "seq": log.size + 1,
        "voter": voter,
        "receipt": receipt,
        "choice": canonical,
        "weight_fen": elector.weight_fen,
        "cast_at": now,  # under the lock: times rise with the sequence numbers
    }
    merkle = ballot_log.append(log.size, log.frontier, ballot_log.ballot_line(**entry))
    ballot = ballot_store.append_ballot(
        log.id,
        size=merkle.size,
        frontier=merkle.frontier,
        root=merkle.root,
        event_id=event.pk,
        elector_id=elector.pk,
        **entry,
        leaf_hash=merkle.leaf,
        idempotency_key=idempotency_key,
    )
    return Cast(ballot, replayed=False)
