"""Ballots written at the same time: 1,000 concurrent changes by the same 100 lenders (never
two current ballots for one lender, a gapless log, a log root that matches the ballots), and
a ballot still being written when the count starts."""

import random
import threading
import time
from datetime import timedelta

import pytest
from django.db import IntegrityError, connections, transaction
from django.utils import timezone

from winddown.conftest import make_lender, register_file, upload_and_activate
from winddown.core.errors import DomainError
from winddown.demo.generators import register_rows
from winddown.merkle import MerkleLog, leaf_hash
from winddown.voting import ballot_log, ballot_store
from winddown.voting.errors import VotingErrorCode
from winddown.voting.models import Ballot, BallotLog, VotingEvent
from winddown.voting.services import lifecycle
from winddown.voting.tests.conftest import ME, PASSWORD, make_event, open_now

LENDERS = 100
CHANGES_EACH = 10
THREADS = 16


@pytest.mark.django_db(transaction=True)
def test_concurrent_changes_keep_one_current_ballot(
    tmp_path, institution_a, operator_a, wg_officer, settings
):
    # Cheap hashing: this test is about locking, not about Argon2's cost.
    settings.VOTING_PASSWORD_ARGON2 = {"time_cost": 1, "memory_cost": 64, "parallelism": 1}
    rows = list(register_rows(LENDERS, seed=77))
    for row in rows:
        row[4] = "10.00"
    upload_and_activate(institution_a, operator_a, register_file(tmp_path, rows))
    lenders = [make_lender(r[3], name=r[0], id_number=r[2], password=PASSWORD) for r in rows]
    event = open_now(make_event(institution_a, operator_a), wg_officer)

    jobs = [
        (lender, choice) for lender in lenders for choice in ("yes", "no") * (CHANGES_EACH // 2)
    ]
    random.Random(5).shuffle(jobs)
    errors: list[Exception] = []
    lock = threading.Lock()

    def worker(chunk):
        try:
            for lender, choice in chunk:
                casting_cast(event, lender, choice)
        except Exception as exc:
            with lock:
                errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(jobs[i::THREADS],)) for i in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors[:3]

    ballots = Ballot.objects.filter(event=event)
    assert ballots.count() == LENDERS * CHANGES_EACH
    assert ballots.filter(is_current=True).count() == LENDERS
    for elector_id in ballots.values_list("elector_id", flat=True).distinct():
        mine = ballots.filter(elector_id=elector_id).order_by("seq")
        assert [b.is_current for b in mine] == [False] * (CHANGES_EACH - 1) + [True]
    seqs = sorted(ballots.values_list("seq", flat=True))
    assert seqs == list(range(1, LENDERS * CHANGES_EACH + 1))
    log = BallotLog.objects.get(event=event)
    assert log.size == LENDERS * CHANGES_EACH
    # The running root the log head kept under contention is the root of the ballots' lines,
    # rebuilt here from the rows in sequence order (what the published bundle will hold).
    tree = MerkleLog(ballot_log.HASH_ALG)
    for ballot in ballots.order_by("seq"):
        line = ballot_log.ballot_line(
            seq=ballot.seq,
            voter=ballot.voter,
            receipt=ballot.receipt,
            choice=ballot.choice,
            weight_fen=ballot.weight_fen,
            cast_at=ballot.cast_at,
        )
        leaf = leaf_hash(line.encode(), ballot_log.HASH_ALG)
        assert ballot.leaf_hash == leaf.hex()
        tree.append(leaf)
    assert log.root == tree.root().hex()
    # The database itself refuses a second current ballot.
    current = ballots.filter(is_current=True).first()
    with pytest.raises(IntegrityError), transaction.atomic():
        Ballot.objects.filter(elector=current.elector, is_current=False).update(is_current=True)


def casting_cast(event, lender, choice):
    from winddown.voting.services.casting import ballot_cast

    return ballot_cast(
        event=event, lender=lender, choice=choice, password=PASSWORD, actor=ME
    ).ballot


class BallotHeldAtLogHead:
    """Casts the lender's ballot in a thread that stops while it holds the event's log head
    (the log and the ballot written, not yet committed) until `release()`. `start` runs
    other jobs in threads meanwhile; their results or exceptions land in `outcome`."""

    def __init__(self, monkeypatch, event: VotingEvent, lender) -> None:
        self.holding, self.released = threading.Event(), threading.Event()
        self.outcome: dict[str, object] = {}
        self.threads: list[threading.Thread] = []
        append_ballot = ballot_store.append_ballot

        def append_and_wait(*args, **kwargs):
            ballot = append_ballot(*args, **kwargs)
            self.holding.set()
            self.released.wait(10)
            return ballot

        monkeypatch.setattr(ballot_store, "append_ballot", append_and_wait)
        self.start("ballot", lambda: casting_cast(event, lender, "yes"))
        assert self.holding.wait(10)

    def start(self, name: str, job) -> threading.Thread:
        def run():
            try:
                self.outcome[name] = job()
            except Exception as exc:
                self.outcome[name] = exc
            finally:
                connections.close_all()

        thread = threading.Thread(target=run)
        thread.start()
        self.threads.append(thread)
        return thread

    def release(self) -> None:
        self.released.set()
        for thread in self.threads:
            thread.join(10)


@pytest.mark.django_db(transaction=True)
def test_ballot_being_written_at_the_closing_time_is_counted(
    institution_a, operator_a, wg_officer, lenders, settings, monkeypatch
):
    """A ballot accepted just before the closing time and still being written when the count
    starts is in the tally and in the stored root: the count waits for the log head."""
    settings.VOTING_PASSWORD_ARGON2 = {"time_cost": 1, "memory_cost": 64, "parallelism": 1}
    event = open_now(make_event(institution_a, operator_a), wg_officer)
    closes_at = timezone.now() + timedelta(seconds=1)
    VotingEvent.objects.filter(pk=event.pk).update(closes_at=closes_at)
    event = VotingEvent.objects.get(pk=event.pk)

    held = BallotHeldAtLogHead(monkeypatch, event, lenders[0])
    time.sleep(max(0.0, (closes_at - timezone.now()).total_seconds()) + 0.05)
    counter = held.start("count", lambda: lifecycle.event_count(event.pk))
    counter.join(0.5)
    assert counter.is_alive(), "the count must wait for the ballot being written"
    held.release()

    assert isinstance(held.outcome["ballot"], Ballot), held.outcome
    assert isinstance(held.outcome["count"], VotingEvent), held.outcome
    counted = VotingEvent.objects.get(pk=event.pk)
    assert counted.status == "counted"
    assert counted.result["tally"]["options"]["yes"]["heads"] == 1
    assert counted.merkle_size == 1 == BallotLog.objects.get(event=event).size


@pytest.mark.django_db(transaction=True)
def test_cancelling_waits_for_a_ballot_being_written(
    institution_a, operator_a, wg_officer, lenders, settings, monkeypatch
):
    """A ballot being written when an open event is cancelled lands in the log before the
    cancellation; no ballot is accepted after it."""
    from winddown.voting.services import authoring

    settings.VOTING_PASSWORD_ARGON2 = {"time_cost": 1, "memory_cost": 64, "parallelism": 1}
    event = open_now(make_event(institution_a, operator_a), wg_officer)
    # The lenders' notices are written after the cancellation has committed, as in
    # production (written inside it, they would wait for the ballot's lock on its lender):
    # this test commits for real.

    def cancel():
        reason = "监管要求暂停本次表决"
        return authoring.event_cancel(event=event, user=wg_officer, reason=reason, actor=ME)

    held = BallotHeldAtLogHead(monkeypatch, event, lenders[0])
    held.start("cancel", cancel).join(0.5)
    assert VotingEvent.objects.get(pk=event.pk).status == "open", (
        "the cancellation must wait for the ballot being written"
    )
    held.release()

    outcome = held.outcome
    assert isinstance(outcome["ballot"], Ballot), outcome
    cancelled = outcome["cancel"]
    assert isinstance(cancelled, VotingEvent) and cancelled.status == "cancelled", outcome
    assert outcome["ballot"].cast_at < cancelled.cancelled_at
    with pytest.raises(DomainError) as refused:
        casting_cast(VotingEvent.objects.get(pk=event.pk), lenders[1], "no")
    assert refused.value.error_code is VotingErrorCode.NOT_OPEN
    assert "已取消" in refused.value.message
    assert (
        BallotLog.objects.get(event=event).size == 1 == Ballot.objects.filter(event=event).count()
    )
