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
class PreparedChunk:
    """A run of rows, checked and encrypted. Valid rows come either as PostgreSQL COPY text
    (`copy_text`, one line per row, the version id already in front) or as tuples of the
    entry's columns after `version_id` (`rows`, for batched inserts)."""

    size: int  # records in the chunk
    identities: list[tuple[int, object, str]]  # (row, identity key, name) for duplicates
    errors: list[RowError]  # in row order
    rows: list[tuple]
    copy_text: bytes
    count: int  # valid rows
    principal_fen: int
    interest_fen: int


@dataclass(frozen=True)
class KeySpecs:
    encryption_keys: str
    index_key: str


_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _copy_field(value) -> str:
    if value is None:
        return "\\N"
    if isinstance(value, str):
        return value.translate(_COPY_ESCAPES)
    return str(value)


class _Preparer:
    """Checks and encrypts rows; one per process."""

    def __init__(self, specs: KeySpecs, columns: list[str], version_id: int, copy_text: bool):
        self.ring = ring = Keyring.from_specs(specs.encryption_keys, specs.index_key)
        self.version_prefix = f"{version_id}\t"
        self.copy_text = copy_text

        def index_of(id_type, number) -> str:
            return ring.blind_index(f"{id_type.value}:{number}", purpose=purposes.ID_NUMBER)

        self.validator = RowValidator(Header(columns), index_of)

    def chunk(self, records: list[tuple[int, list[str]]]) -> PreparedChunk:
        ring, check = self.ring, self.validator.check
        identities, errors, rows = [], [], []
        principal = interest = 0
        for number, record in records:
            checked = check(number, record)
            if checked.key is not None:
                identities.append((number, checked.key, checked.name))
            row = checked.value
            if row is None:
                errors.extend(checked.errors)
                continue
            principal += row.principal_fen
            interest += row.interest_fen
            rows.append(
                (
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
            )
        copy_text = b""
        if self.copy_text and not errors:
            prefix = self.version_prefix
            copy_text = "".join(
                prefix + "\t".join(map(_copy_field, values)) + "\n" for values in rows
            ).encode()
        return PreparedChunk(
            len(records),
            identities,
            errors,
            [] if self.copy_text else rows,
            copy_text,
            len(rows),
            principal,
            interest,
        )


_worker: _Preparer | None = None


def _init_worker(specs: KeySpecs, columns: list[str], version_id: int, copy_text: bool) -> None:
    global _worker
    _worker = _Preparer(specs, columns, version_id, copy_text)


def _prepare_in_worker(records: list[tuple[int, list[str]]]) -> PreparedChunk:
    return _worker.chunk(records)


def _chunks(records: Iterable, size: int) -> Iterator[list]:
    iterator = iter(records)
    while chunk := list(islice(iterator, size)):
        yield chunk


def _in_order_parallel(chunks: Iterator[list], workers: int, initargs: tuple):
    context = multiprocessing.get_context("spawn")
    with context.Pool(workers, initializer=_init_worker, initargs=initargs) as pool:
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


def prepared_chunks(
    open_source: Opener,
    specs: KeySpecs,
    *,
    version_id: int,
    copy_text: bool,
    workers: int = 1,
) -> tuple[Header, Iterator[PreparedChunk]]:
    """Parse the header (RegisterFileError if wrong) and stream prepared chunks in file
    order, with duplicates across the whole file added to each chunk's errors."""
    header, records = read_header(open_source)
    chunks = _chunks(records, CHUNK_ROWS)
    initargs = (specs, header.columns, version_id, copy_text)
    if workers > 1:
        results = _in_order_parallel(chunks, workers, initargs)
    else:
        preparer = _Preparer(*initargs)
        results = (preparer.chunk(chunk) for chunk in chunks)

    def checked() -> Iterator[PreparedChunk]:
        duplicates = DuplicateFinder()
        for result in results:
            found = [
                error
                for number, key, name in result.identities
                if (error := duplicates.check(number, key, name)) is not None
            ]
            if found:
                merged = sorted([*result.errors, *found], key=lambda error: error.row)
                result = PreparedChunk(result.size, result.identities, merged, [], b"", 0, 0, 0)
            yield result

    return header, checked()
