"""The receipt index of a published event: its ballot log's Merkle tree on disk
(`winddown.merkle.treefile`), beside the bundle, so a receipt check reads O(log n) nodes
instead of the whole bundle (the check a lender runs with their receipt, as
`python -m winddown.verify --receipt` does offline on the bundle: winddown/verify/README.md;
issue 15 item 14: an anonymous lookup must not cost, or let anyone demand, a scan of a
million lines).

The tree is built from the ballot rows' stored `leaf_hash`, in log order (`seq` 1..n), when
the event is published (`bundle.write_event_bundle`) or, for an event published before the
index existed, on its first lookup under a file lock. The writer refuses rows that do not
give the published size and root (`ReceiptTreeRefused`); a refusal is remembered for a few
minutes so that a broken event cannot be made to rebuild on every request. Nothing read
from the tree is shown as proved: `results.check_receipt` checks every proof against the
root and size the event published.

The file name carries the published root, so a tree of another root (a database restored
over an old folder, a test reusing an event id) is never taken for this event's.
"""

from __future__ import annotations

import fcntl
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.core.cache import cache

from winddown.merkle.treefile import TreeFile, TreeFileMismatch, TreeFileWriter
from winddown.voting.ballot_log import HASH_ALG
from winddown.voting.models import Ballot, VotingEvent

logger = logging.getLogger(__name__)

TREE_FOLDER = "bundles"
REFUSAL_SECONDS = 600
_BATCH = 20_000


class ReceiptTreeRefused(RuntimeError):
    """The ballot rows do not reproduce the published log: no tree, nothing is proved."""


def tree_path(event: VotingEvent) -> Path:
    name = f"event-{event.pk}-{(event.merkle_root or 'none')[:16]}.tree"
    return Path(settings.PRIVATE_STORAGE_ROOT) / TREE_FOLDER / name


def _refusal_key(event: VotingEvent) -> str:
    return f"voting:receipt-tree-refused:{event.pk}:{event.merkle_root}:{event.merkle_size}"


@contextmanager
def _locked(path: Path) -> Iterator[None]:
    """One builder at a time across processes (the workers of every server share the
    private storage folder)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path.with_name(path.name + ".lock"), "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _leaves(event: VotingEvent) -> Iterator[list[bytes]]:
    """The stored leaf hashes in log order, in batches; refuses a gap in `seq` (the leaf
    index of a ballot is `seq - 1`, as in the bundle's ballots.csv)."""
    rows = (
        Ballot.objects.filter(event=event)
        .order_by("seq")
        .values_list("seq", "leaf_hash")
        .iterator(chunk_size=_BATCH)
    )
    batch: list[bytes] = []
    expected = 1
    for seq, leaf in rows:
        if seq != expected:
            raise ReceiptTreeRefused(f"event {event.pk}: ballot seq {seq} where {expected} was due")
        try:
            batch.append(bytes.fromhex(leaf))
        except ValueError:
            raise ReceiptTreeRefused(f"event {event.pk}: ballot {seq} has no leaf hash") from None
        expected += 1
        if len(batch) == _BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


def tree_write(event: VotingEvent) -> Path:
    """Build (or rebuild) the event's tree file from its ballot rows; ReceiptTreeRefused if
    they do not give the published size and root."""
    if not event.merkle_root or event.merkle_size is None:
        raise ReceiptTreeRefused(f"event {event.pk} has no published root")
    path = tree_path(event)
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with TreeFileWriter(
            path,
            size=event.merkle_size,
            expected_root=bytes.fromhex(event.merkle_root),
            alg=HASH_ALG,
        ) as writer:
            for batch in _leaves(event):
                writer.add(batch)
    except (TreeFileMismatch, ValueError) as exc:
        raise ReceiptTreeRefused(f"event {event.pk}: {exc}") from exc
    return path


def tree_open(event: VotingEvent) -> TreeFile:
    """The event's tree, built on first use (under a lock, once). Raises
    ReceiptTreeRefused (also for a refusal of the last few minutes) or
    `winddown.merkle.treefile.TreeFileError` for a damaged file."""
    path = tree_path(event)
    try:
        return TreeFile(path)
    except FileNotFoundError:
        pass
    refused = cache.get(_refusal_key(event))
    if refused:
        raise ReceiptTreeRefused(refused)
    with _locked(path):
        try:
            return TreeFile(path)  # another worker built it while this one waited
        except FileNotFoundError:
            pass
        try:
            tree_write(event)
        except ReceiptTreeRefused as exc:
            logger.error("receipt tree refused: %s", exc)
            cache.set(_refusal_key(event), str(exc), REFUSAL_SECONDS)
            raise
    return TreeFile(path)


def receipt_trees_build(*, force: bool = False) -> list[tuple[int, str]]:
    """Build the missing tree files of every published event (all of them with `force`),
    e.g. after a deployment, so that no lender's first lookup waits for the build.
    Returns (event id, "built" / "present" / refusal message) per event."""
    from winddown.voting.selectors import published_events

    done: list[tuple[int, str]] = []
    for event in published_events().exclude(bundle_path="").order_by("pk").iterator():
        path = tree_path(event)
        if path.exists() and not force:
            done.append((event.pk, "present"))
            continue
        with _locked(path):
            try:
                tree_write(event)
            except ReceiptTreeRefused as exc:
                logger.error("receipt tree refused: %s", exc)
                done.append((event.pk, f"refused: {exc}"))
                continue
        cache.delete(_refusal_key(event))
        done.append((event.pk, "built"))
    return done
