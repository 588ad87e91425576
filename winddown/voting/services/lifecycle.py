"""Opening (freezing the electorate), closing, counting and publishing events.

Every step locks the event row and checks its status first, so running one twice — a task
delivered again, the catch-up command racing the worker, a crash and a re-run — changes
nothing the second time. Counting writes its whole result in one transaction: a process
killed half-way leaves the event "closed", and the re-run produces the same result.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import TYPE_CHECKING

from django.db import connection, transaction
from django.db.models import Count, Sum
from django.utils import timezone
from django_tasks import default_task_backend

from winddown.audit.selectors import publication_checkpoint_reason
from winddown.audit.services import Actor, checkpoint_create
from winddown.claims.selectors import active_register, positive_entries
from winddown.core.errors import DomainError
from winddown.voting import ballot_log, policies, tally
from winddown.voting.audit_actions import VotingAction
from winddown.voting.errors import VotingErrorCode as E
from winddown.voting.event_audit import record_event
from winddown.voting.models import BallotLog, Elector, EventStatus, VotingEvent

if TYPE_CHECKING:
    from winddown.accounts.models import User

logger = logging.getLogger(__name__)
SYSTEM = Actor.system("系统定时任务")  # shown in the event timeline
REMIND_BEFORE_CLOSE = timedelta(hours=24)


def event_schedule(event: VotingEvent) -> None:
    """Queue the event's timed steps. Backends that cannot defer (tests, immediate) rely on
    `manage.py events_run_due` (cron, every minute) — which is also the safety net."""
    from winddown.voting import tasks

    if not default_task_backend.supports_defer:
        return
    tasks.open_event_task.using(run_after=event.opens_at).enqueue(event.pk)
    tasks.close_event_task.using(run_after=event.closes_at).enqueue(event.pk)
    remind_at = event.closes_at - REMIND_BEFORE_CLOSE
    if remind_at > event.opens_at:
        tasks.remind_task.using(run_after=remind_at).enqueue(event.pk)


def event_open(event_id: int) -> VotingEvent:
    """Open a due event: freeze the electorate from the active register (the record date)."""
    from winddown.voting.services.notices import notices_queue

    with transaction.atomic():
        event = VotingEvent.lock(event_id)
        now = timezone.now()
        if event.status != EventStatus.SCHEDULED or now < event.opens_at:
            return event
        version = active_register(event.institution)
        if version is None:
            raise DomainError(E.NO_ACTIVE_REGISTER)
        _freeze_electorate(event, version)
        totals = Elector.objects.filter(event=event).aggregate(
            heads=Count("id"), weight=Sum("weight_fen")
        )
        event.record_version = version
        event.electorate_heads = totals["heads"]
        event.electorate_weight_fen = int(totals["weight"] or 0)
        event.opened_at = now
        event.status = EventStatus.OPEN
        event.save()
        BallotLog.objects.get_or_create(event=event)
        record_event(
            actor=SYSTEM,
            action=VotingAction.EVENT_OPENED,
            event=event,
            after={
                "record_version": version.number,
                "electorate_heads": event.electorate_heads,
                "electorate_weight_fen": event.electorate_weight_fen,
            },
        )
        transaction.on_commit(lambda: notices_queue(event.pk, "opened"))
    return event


def _freeze_electorate(event: VotingEvent, version) -> None:
    """Copy every lender with principal above zero into the electorate, in one statement."""
    source = positive_entries(version).values("id_index", "principal_fen")
    sql, params = source.query.sql_with_params()
    table = connection.ops.quote_name(Elector._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (event_id, id_index, weight_fen) "  # noqa: S608 - model names
            f"SELECT %s, src.id_index, src.principal_fen FROM ({sql}) AS src",
            (event.pk, *params),
        )


def event_close(event_id: int) -> VotingEvent:
    with transaction.atomic():
        event = VotingEvent.lock(event_id)
        if event.status != EventStatus.OPEN or timezone.now() < event.closes_at:
            return event
        event.status = EventStatus.CLOSED
        event.closed_at = timezone.now()
        event.save(update_fields=["status", "closed_at"])
        record_event(
            actor=SYSTEM,
            action=VotingAction.EVENT_CLOSED,
            event=event,
        )
    return event


def event_count(event_id: int) -> VotingEvent:
    """Tally the final ballots with the rules engine and store the result, once."""
    event_close(event_id)
    with transaction.atomic():
        event = VotingEvent.lock(event_id)
        if event.status != EventStatus.CLOSED or not event.is_ballot_event:
            return event
        # A ballot checked against the closing time just before it is committed under this
        # lock: waiting for it here keeps it out of neither the tally nor the stored root.
        log = BallotLog.objects.select_for_update().get(event=event)
        result = tally.result_document(event)
        event.result = result
        event.merkle_size = log.size
        event.merkle_root = log.root or ballot_log.EMPTY_ROOT  # nobody voted
        event.counted_at = timezone.now()
        event.status = EventStatus.COUNTED
        event.save(update_fields=["result", "merkle_size", "merkle_root", "counted_at", "status"])
        record_event(
            actor=SYSTEM,
            action=VotingAction.EVENT_COUNTED,
            event=event,
            after={
                "tally": result["tally"],
                "passed": result["result"].get("passed"),
                "elected": result["result"].get("elected"),
                "merkle_size": log.size,
                "merkle_root": event.merkle_root,
            },
        )
    return event


def event_publish_request(*, event: VotingEvent, user: User):
    """Queue the publication of a ready event (policies.publish_refusal) for the worker
    (`publish_task` writes and checks the bundle, which takes a while for a large vote);
    returns the task's result: with a backend that runs tasks at once it has finished."""
    from winddown.voting.tasks import publish_task

    policies.require(policies.publish_refusal(user, event))
    return publish_task.enqueue(event.pk, user.pk)


def event_publish(*, event: VotingEvent, user: User, actor: Actor) -> VotingEvent:
    """Write and self-check the public bundle, then publish the result and tell lenders."""
    from winddown.voting.bundle import write_event_bundle
    from winddown.voting.services.notices import notices_queue

    event = VotingEvent.objects.get(pk=event.pk)
    if event.status == EventStatus.PUBLISHED:
        return event
    policies.require(policies.publish_refusal(user, event))
    # Outside the transaction: writing the bundle of a huge event takes a while.
    path = write_event_bundle(event) if event.is_ballot_event else ""
    with transaction.atomic():
        event = VotingEvent.lock(event.pk)
        if not policies.ready_to_publish(event):
            return event
        event.bundle_path = path
        event.status = EventStatus.PUBLISHED
        event.published_by = user
        event.published_at = timezone.now()
        event.save(update_fields=["bundle_path", "status", "published_by", "published_at"])
        record_event(
            actor=actor,
            action=VotingAction.EVENT_PUBLISHED,
            event=event,
            after={"merkle_root": event.merkle_root, "merkle_size": event.merkle_size},
        )
        transaction.on_commit(lambda: notices_queue(event.pk, "published"))
    # The audit log's head, with this publication in it, signed, timestamped and shown on
    # the public result page: a later rewrite of the history before it cannot go unseen.
    checkpoint_create(reason=publication_checkpoint_reason(event.pk))
    return event


def event_advance_if_due(event: VotingEvent, *, quiet: bool = False) -> VotingEvent:
    """Open or close the event now if its time has come, rather than wait for the worker
    (it may lag): this writes. Returns the event as it now is. An event due to open that
    cannot (no active register) raises DomainError, or with `quiet` (pages and answers that
    only show the event) is returned as it is; the worker logs it."""
    now = timezone.now()
    try:
        if event.status == EventStatus.SCHEDULED and now >= event.opens_at:
            event = event_open(event.pk)
        if event.status == EventStatus.OPEN and now >= event.closes_at:
            event = event_close(event.pk)
    except DomainError:
        if not quiet:
            raise
    return event


def events_run_due() -> dict[str, int]:
    """Open, close and count whatever is due (cron safety net, and for non-deferring backends)."""
    now = timezone.now()
    done = {"opened": 0, "closed": 0, "counted": 0}
    for event_id in VotingEvent.objects.filter(
        status=EventStatus.SCHEDULED, opens_at__lte=now
    ).values_list("pk", flat=True):
        try:
            if event_open(event_id).status == EventStatus.OPEN:
                done["opened"] += 1
        except DomainError as exc:
            logger.error("event %s cannot open: %s", event_id, exc.message)
    for event_id in VotingEvent.objects.filter(
        status__in=[EventStatus.OPEN, EventStatus.CLOSED], closes_at__lte=now
    ).values_list("pk", flat=True):
        event = event_count(event_id)
        done["closed"] += 1
        done["counted"] += event.status == EventStatus.COUNTED
    return done
