"""The statements of the hot path of a vote, written by hand.

Casting a ballot is the one request hundreds of thousands of lenders send within hours, and
on a small server its cost is mostly the ORM building SQL (about 0.5 ms of CPU per query
here against 0.15 ms for a prepared string). These few statements are therefore fixed
strings; everything else about casting (the rules for refusing a ballot, the locks' order,
the log's content) stays in `services.casting`. They run unchanged on PostgreSQL and SQLite;
row locks are taken only where the database has them (SQLite's IMMEDIATE transactions hold
the whole database's write lock instead; see `core.rawsql`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from django.db import connection

from winddown.core.rawsql import ModelRows, aware, execute, fetchall, fetchone, for_update
from winddown.voting.models import LENDER_VISIBLE, Ballot, Elector, VotingEvent

ELECTOR_FIELDS = ["id", "event_id", "id_index", "weight_fen"]
BALLOT_FIELDS = [
    "event_id",
    "elector_id",
    "seq",
    "voter",
    "receipt",
    "choice",
    "weight_fen",
    "cast_at",
    "leaf_hash",
    "is_current",
    "idempotency_key",
]
INSERT_BALLOT = (
    f"INSERT INTO voting_ballot ({', '.join(BALLOT_FIELDS)})"  # noqa: S608 (fixed names)
    f" VALUES ({', '.join(['%s'] * len(BALLOT_FIELDS))}) RETURNING id"
)


UNREAD = (  # the event's attachments the lender has not opened
    "SELECT COUNT(*) FROM voting_eventattachment a WHERE a.event_id = {event}"
    " AND NOT EXISTS (SELECT 1 FROM voting_attachmentopen o"
    " WHERE o.attachment_id = a.id AND o.lender_id = %s)"
)
ELECTOR = (
    f"SELECT el.id, el.weight_fen, ({UNREAD.format(event='el.event_id')})"  # noqa: S608
    " FROM voting_elector el WHERE el.event_id = %s AND el.id_index = %s"
)
_EVENT = ModelRows(VotingEvent, alias="e")
OPENED_EVENT = (
    f"SELECT {_EVENT.columns}, el.id, el.weight_fen, ({UNREAD.format(event='e.id')})"  # noqa: S608
    " FROM voting_votingevent e"
    " LEFT JOIN voting_elector el ON el.event_id = e.id AND el.id_index = %s"
    " WHERE e.id = %s AND e.opened_at IS NOT NULL"
    f" AND e.status IN ({', '.join(['%s'] * len(LENDER_VISIBLE))})"
)


@dataclass(frozen=True)
class Place:
    """A lender's place in an opened event's frozen electorate."""

    elector: Elector
    unread: int  # the event's attachments the lender has not opened yet


def _place(event_id: int, id_index: str, id_: int, weight_fen: int, unread: int) -> Place:
    found = Elector.from_db(connection.alias, ELECTOR_FIELDS, (id_, event_id, id_index, weight_fen))
    return Place(found, unread)


def place(event_id: int, id_index: str, lender_id: int) -> Place | None:
    """The lender's place in the event's frozen electorate, or None."""
    row = fetchone(ELECTOR, [lender_id, event_id, id_index])
    return None if row is None else _place(event_id, id_index, *row)


def opened_event(
    event_id: int, id_index: str, lender_id: int
) -> tuple[VotingEvent, Place | None] | None:
    """An event visible to lenders that has opened (its electorate is frozen), read together
    with the lender's place in it (None when the lender is not in the electorate)."""
    row = fetchone(OPENED_EVENT, [lender_id, id_index, event_id, *LENDER_VISIBLE])
    if row is None:
        return None
    event = _EVENT.instance(row)
    id_, weight_fen, unread = row[len(_EVENT) :]
    found = None if id_ is None else _place(event_id, id_index, id_, weight_fen, unread)
    return event, found


@dataclass
class LockedLog:
    id: int
    size: int
    frontier: list[str]
    event_status: str
    event_closes_at: datetime


LOG_HEAD = (
    "SELECT l.id, l.size, l.frontier, e.status, e.closes_at FROM voting_ballotlog l"
    " JOIN voting_votingevent e ON e.id = l.event_id WHERE l.event_id = %s"
)
# An earlier ballot of the lender's sent with this idempotency key.
REPLAY = (
    "SELECT id FROM voting_ballot WHERE elector_id = %s AND idempotency_key = %s"
    " AND idempotency_key <> '' LIMIT 1"
)
# SQLite: the lender's current ballot and one sent earlier with this key, in one query.
MINE = (
    "SELECT id, idempotency_key, is_current FROM voting_ballot WHERE elector_id = %s"
    " AND (is_current OR (idempotency_key = %s AND idempotency_key <> ''))"
)
RETIRE = "UPDATE voting_ballot SET is_current = %s WHERE elector_id = %s AND is_current"
# PostgreSQL: the three in one statement. The UPDATE runs to its end whether or not the
# SELECT reads it (here, after the log head is locked) and only when there is no replay.
SETTLE_AND_LOCK = (
    f"WITH replay AS ({REPLAY}), retired AS ({RETIRE}"  # noqa: S608 (fixed strings)
    " AND NOT EXISTS (SELECT 1 FROM replay))"
    f" {LOG_HEAD.replace('SELECT ', 'SELECT (SELECT id FROM replay), ', 1)}"
)


def settle_and_lock_log(
    event_id: int, elector_id: int, idempotency_key: str
) -> tuple[int | None, LockedLog | None]:
    """Under the lender's lock: find a ballot sent earlier with this idempotency key; if
    there is none, the lender's current ballot stops being current (it stays in the
    history), and the event's log head is locked (only it) and read with the event's
    status. Returns (the replayed ballot's id, None) or (None, the locked log head).
    PostgreSQL does it in one statement, a round trip fewer for every ballot and two for a
    change; SQLite, which has no data-modifying WITH, in two, three for a change."""
    if connection.vendor == "postgresql":
        row = fetchone(
            SETTLE_AND_LOCK + for_update(of="l"),
            [elector_id, idempotency_key, False, elector_id, event_id],
        )
        if row[0] is not None:
            return row[0], None
        row = row[1:]
    else:
        mine = fetchall(MINE, [elector_id, idempotency_key])
        replay = next(
            (id_ for id_, key, _ in mine if idempotency_key and key == idempotency_key), None
        )
        if replay is not None:
            return replay, None
        current = next((id_ for id_, _, is_current in mine if is_current), None)
        if current is not None:
            execute("UPDATE voting_ballot SET is_current = %s WHERE id = %s", [False, current])
        row = fetchone(LOG_HEAD + for_update(of="l"), [event_id])
    id_, size, frontier, status, closes_at = row
    return None, LockedLog(
        id=id_,
        size=size,
        frontier=frontier if isinstance(frontier, list) else json.loads(frontier),
        event_status=status,
        event_closes_at=aware(closes_at),
    )


SAVE_LOG = "UPDATE voting_ballotlog SET size = %s, frontier = %s, root = %s WHERE id = %s"


def append_ballot(log_id: int, *, size: int, frontier: list[str], root: str, **values) -> Ballot:
    """Save the log head and insert the lender's new current ballot (`values`: every field in
    BALLOT_FIELDS except `is_current`); returns the ballot as a model instance. PostgreSQL
    does both in one statement (a data-modifying WITH), which saves a round trip made under
    the log head's lock; SQLite, which has no such WITH, runs the two in turn."""
    values = {**values, "is_current": True}
    params = [values[name] for name in BALLOT_FIELDS]
    params[BALLOT_FIELDS.index("cast_at")] = connection.ops.adapt_datetimefield_value(
        values["cast_at"]
    )
    head = [size, json.dumps(frontier), root, log_id]
    if connection.vendor == "postgresql":
        (ballot_id,) = fetchone(f"WITH head AS ({SAVE_LOG}) {INSERT_BALLOT}", head + params)
    else:
        execute(SAVE_LOG, head)
        (ballot_id,) = fetchone(INSERT_BALLOT, params)
    return Ballot.from_db(
        connection.alias, ["id", *BALLOT_FIELDS], [ballot_id, *(values[n] for n in BALLOT_FIELDS)]
    )
