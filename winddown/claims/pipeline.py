"""Turning register records into database rows: checking, encrypting and blind-indexing.

This is the CPU-bound part of an import (about 30 µs a row). Large files are spread over
worker processes, one per core, in chunks of rows kept in file order, with only a few chunks
in flight so memory stays flat however long the file is. The duplicate check needs every
earlier row, so it runs here in the parent, in order. Plain Python: workers never touch the
database or Django, they only get the key specifications.
"""

from __future__ import annotations

import multiprocessing
import os
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import islice

from winddown.claims.importers import (
    DuplicateFinder,
    Header,
    Opener,
    RowError,
    RowValidator,
    read_header,
)
from winddown.pii import purposes
from winddown.pii.crypto import Keyring

CHUNK_ROWS = 2000
CHUNKS_IN_FLIGHT_PER_WORKER = 3
# Below this size a worker pool costs more to start than it saves.
PARALLEL_MIN_BYTES = 4 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class PreparedRow:
    row: int
    errors: list[RowError]  # empty when the row is valid
    values: tuple | None  # the entry's columns after `version_id` (bulk.COLUMNS[1:])
    principal_fen: int
    interest_fen: int


@dataclass(frozen=True)
class KeySpecs:
    encryption_keys: str
    index_key: str


class _Preparer:
    """Checks and encrypts rows; one per process."""

    def __init__(self, specs: KeySpecs, columns: list[str]):
        self.ring = ring = Keyring.from_specs(specs.encryption_keys, specs.index_key)

        def index_of(id_type, number) -> str:
            return ring.blind_index(f"{id_type.value}:{number}", purpose=purposes.ID_NUMBER)

        self.validator = RowValidator(Header(columns), index_of)

    def chunk(self, records: list[tuple[int, list[str]]]) -> list[tuple]:
        ring, out = self.ring, []
        for number, record in records:
            checked = self.validator.check(number, record)
            row = checked.value
            if row is None:
                out.append((number, checked.errors, None, checked.key, checked.name))
                continue
            values = (
                number,
                row.name,
                row.id_type.value,
                ring.encrypt(row.id_number, purpose=purposes.ID_NUMBER),
                row.key,
                ring.encrypt(row.phone, purpose=purposes.PHONE),
                ring.blind_index(row.phone, purpose=purposes.PHONE),
                row.principal_fen,
                row.interest_fen,
                row.loan_count,
            )
            out.append((number, [], values, row.key, row.name))
        return out


_worker: _Preparer | None = None


def _init_worker(specs: KeySpecs, columns: list[str]) -> None:
    global _worker
    _worker = _Preparer(specs, columns)


def _prepare_in_worker(records: list[tuple[int, list[str]]]) -> list[tuple]:
    return _worker.chunk(records)


def _chunks(records: Iterable, size: int) -> Iterator[list]:
    iterator = iter(records)
    while chunk := list(islice(iterator, size)):
        yield chunk


def _in_order_parallel(chunks: Iterator[list], specs: KeySpecs, columns: list[str], workers: int):
    context = multiprocessing.get_context("spawn")
    with context.Pool(workers, initializer=_init_worker, initargs=(specs, columns)) as pool:
        pending: deque = deque()
        for chunk in chunks:
            pending.append(pool.apply_async(_prepare_in_worker, (chunk,)))
            if len(pending) >= workers * CHUNKS_IN_FLIGHT_PER_WORKER:
                yield pending.popleft().get()
        while pending:
            yield pending.popleft().get()


def default_workers(size_bytes: int) -> int:
    if size_bytes < PARALLEL_MIN_BYTES:
        return 1
    return max(1, min(os.cpu_count() or 1, 8))


def prepared_rows(
    open_source: Opener, specs: KeySpecs, *, workers: int = 1
) -> tuple[Header, Iterator[PreparedRow]]:
    """Parse the header (RegisterFileError if wrong) and stream prepared rows in file order."""
    header, records = read_header(open_source)
    chunks = _chunks(records, CHUNK_ROWS)
    if workers > 1:
        results = _in_order_parallel(chunks, specs, header.columns, workers)
    else:
        preparer = _Preparer(specs, header.columns)
        results = (preparer.chunk(chunk) for chunk in chunks)

    def rows() -> Iterator[PreparedRow]:
        duplicates = DuplicateFinder()
        for result in results:
            for number, errors, values, key, name in result:
                duplicate = duplicates.check(number, key, name)
                if duplicate is not None:
                    errors, values = [*errors, duplicate], None
                if values is None:
                    yield PreparedRow(number, errors, None, 0, 0)
                else:
                    yield PreparedRow(number, errors, values, values[7], values[8])

    return header, rows()
