"""The public result bundle of an event (format: winddown/verify/README.md), written from
the ballot log and checked with the independent verifier before anything is published."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from django.conf import settings

from winddown.verify import BallotLine, iso_utc, verify_bundle, write_bundle
from winddown.voting import receipt_tree
from winddown.voting.ballot_log import HASH_ALG
from winddown.voting.models import Ballot, EventKind, VotingEvent
from winddown.voting.tally import event_options

BUNDLE_FOLDER = "bundles"


class BundleMismatch(RuntimeError):
    """The bundle written from the database does not verify: never publish it."""


def manifest(event: VotingEvent) -> dict:
    doc = {
        "format": "winddown-ballot-bundle/1",
        "event": {
            "id": event.pk,
            "institution": event.institution.short_name,
            "title": event.title,
            "kind": event.kind,
            "opens_at": iso_utc(event.opens_at),
            "closes_at": iso_utc(event.closes_at),
        },
        "rule": {"id": event.rule_id, "params": event.rule_params},
        "electorate": {"heads": event.electorate_heads, "weight_fen": event.electorate_weight_fen},
        "hash_alg": HASH_ALG,
        "declared": event.result,
    }
    if event.kind == EventKind.RESOLUTION:
        doc["resolution"] = {"options": list(event_options(event))}
    else:
        doc["election"] = {
            "seats": event.seats,
            "max_choices": event.max_choices,
            "candidates": dict(event.candidates.order_by("order", "pk").values_list("key", "name")),
        }
    return doc


def ballot_lines(event: VotingEvent) -> Iterator[BallotLine]:
    rows = (
        Ballot.objects.filter(event=event)
        .order_by("seq")
        .values_list("seq", "voter", "receipt", "choice", "weight_fen", "cast_at")
    )
    for seq, voter, receipt, choice, weight, cast_at in rows.iterator(chunk_size=20_000):
        yield BallotLine(seq, voter, receipt, choice, weight, iso_utc(cast_at))


def bundle_path(event: VotingEvent) -> Path:
    return Path(settings.PRIVATE_STORAGE_ROOT) / BUNDLE_FOLDER / f"event-{event.pk}.zip"


def write_event_bundle(event: VotingEvent) -> str:
    """Write the bundle, verify it independently, check its root against the log's, and
    write the receipt index beside it (`receipt_tree`)."""
    path = bundle_path(event)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".part")
    write_bundle(partial, manifest(event), ballot_lines(event))
    report = verify_bundle(partial)
    if not report.ok or (report.merkle_root, report.merkle_size) != (
        event.merkle_root,
        event.merkle_size,
    ):
        partial.unlink(missing_ok=True)
        raise BundleMismatch(f"bundle of event {event.pk} does not verify: {report.problem}")
    # The receipt index (O(log n) lookups): from the rows' stored leaf hashes, which must
    # give the same root as the lines just verified.
    try:
        receipt_tree.tree_write(event)
    except receipt_tree.ReceiptTreeRefused as exc:
        partial.unlink(missing_ok=True)
        raise BundleMismatch(f"receipt index of event {event.pk} refused: {exc}") from exc
    partial.replace(path)
    return str(path.relative_to(settings.PRIVATE_STORAGE_ROOT))
