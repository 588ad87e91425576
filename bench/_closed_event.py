"""Django shell code for the benches that need a vote with a large ballot log (counting,
receipt lookups): VOTERS electors at 基准机构 and VOTERS + CHANGES ballots (each voter's
earlier ballots interleaved with the final ones; the last entry of a voter is their current
ballot), written with COPY on PostgreSQL, with the log's Merkle tree; the event is left open
past its closing time, ready for `lifecycle.event_count`.

The code before it defines VOTERS, CHANGES and three hooks: `receipt_for(seq)`,
`choice_for(rng)` and `cast_at_for(seq, now)`. Afterwards `event`, `entries`,
`merkle`, `started` (a perf_counter) and `rng` are defined (a hook that wants to keep
what it made, such as the receipts, keeps it itself).
"""

BUILD_CLOSED_EVENT = r"""
import random, time
from datetime import timedelta
from django.db import connection, transaction
from django.utils import timezone
from winddown.accounts.models import User
from winddown.institutions.models import Institution
from winddown.merkle import MerkleLog, leaf_hash
from winddown.voting import ballot_log
from winddown.voting.models import Ballot, BallotLog, Elector, VotingEvent
from winddown.voting.services import lifecycle

rng = random.Random(7)
user = User.objects.get(username="bench_operator")
institution = Institution.objects.get(short_name="基准机构")
now = timezone.now()
event = VotingEvent.objects.create(
    institution=institution, kind="resolution", title="基准表决", content="基准",
    rule_id="p2p-exit", rule_params={}, allow_abstain=True, opens_at=now - timedelta(days=14),
    closes_at=now - timedelta(seconds=1), status="open", created_by=user,
    voter_key="00" * 32, opened_at=now - timedelta(days=14),
)
started = time.perf_counter()
weights = [rng.randrange(100, 50_000_000) for _ in range(VOTERS)]
cursor = connection.cursor()
def bulk(table, columns, rows):
    if connection.vendor == "postgresql":
        with cursor.cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
    else:
        marks = ", ".join(["%s"] * len(columns))
        sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})"
        batch = []
        for row in rows:
            batch.append(row)
            if len(batch) == 10000:
                cursor.executemany(sql, batch)
                batch.clear()
        if batch:
            cursor.executemany(sql, batch)
with transaction.atomic():
    bulk("voting_elector", ["event_id", "id_index", "weight_fen"],
         ((event.pk, f"{i:032x}", weights[i]) for i in range(VOTERS)))
first_elector = Elector.objects.filter(event=event).order_by("pk").values_list("pk", flat=True).first()
entries = [i % VOTERS for i in range(VOTERS + CHANGES)]
rng.shuffle(entries)
last = {}
for position, voter in enumerate(entries):
    last[voter] = position
merkle = MerkleLog("sha256")
def ballots():
    for position, voter in enumerate(entries):
        seq = position + 1
        receipt = receipt_for(seq)
        pseudonym = f"{voter:032x}"
        choice = choice_for(rng)
        cast_at = cast_at_for(seq, now)
        line = ballot_log.ballot_line(seq=seq, voter=pseudonym, receipt=receipt, choice=choice,
                                      weight_fen=weights[voter], cast_at=cast_at)
        leaf = leaf_hash(line.encode())
        merkle.append(leaf)
        yield (event.pk, first_elector + voter, seq, pseudonym, receipt, choice, weights[voter],
               cast_at, leaf.hex(), last[voter] == position, "")
with transaction.atomic():
    bulk("voting_ballot", ["event_id", "elector_id", "seq", "voter", "receipt", "choice",
                           "weight_fen", "cast_at", "leaf_hash", "is_current", "idempotency_key"],
         ballots())
    BallotLog.objects.create(event=event, size=merkle.size,
                             frontier=[h.hex() for h in merkle.frontier], root=merkle.root().hex())
event.electorate_heads = VOTERS
event.electorate_weight_fen = sum(weights)
event.save()
if connection.vendor == "postgresql":
    cursor.execute("ANALYZE voting_ballot")
"""
