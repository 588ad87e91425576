"""Fast insertion of register rows inside the caller's transaction.

PostgreSQL gets COPY (psycopg 3); other databases get batched executemany. Both go through
Django's connection, so they join the surrounding `transaction.atomic()` and vanish with it.
"""

from __future__ import annotations

import contextlib
from collections.abc import Sequence

from django.db import connection

from winddown.claims.models import ClaimEntry

COLUMNS = (
    "version_id",
    "row_number",
    "name",
    "id_type",
    "id_number_enc",
    "id_index",
    "phone_enc",
    "phone_index",
    "principal_fen",
    "interest_fen",
    "loan_count",
)
BATCH_ROWS = 5000
SQLITE_CACHE_KIB = 256 * 1024


class EntryWriter:
    """Buffer rows and flush them in batches; `close()` flushes the rest."""

    def __init__(self) -> None:
        self._table = connection.ops.quote_name(ClaimEntry._meta.db_table)
        self._buffer: list[Sequence] = []
        self._cursor = connection.cursor()
        self._copy_cm = None
        self._copy = None
        if connection.vendor == "postgresql":
            columns = ", ".join(COLUMNS)
            self._copy_cm = self._cursor.cursor.copy(f"COPY {self._table} ({columns}) FROM STDIN")
            self._copy = self._copy_cm.__enter__()
        else:
            if connection.vendor == "sqlite":
                # The (id_index, version) index takes random inserts: give it a page cache
                # big enough for a million-row version (the default is 2 MB).
                self._cursor.execute(f"PRAGMA cache_size = -{SQLITE_CACHE_KIB}")
            placeholders = ", ".join(["%s"] * len(COLUMNS))
            # Table and column names come from model metadata, never from input.
            self._insert = (
                f"INSERT INTO {self._table} ({', '.join(COLUMNS)}) VALUES ({placeholders})"  # noqa: S608
            )

    @property
    def uses_copy(self) -> bool:
        return self._copy is not None

    def write_copy_text(self, data: bytes) -> None:
        """Rows already in COPY text format (prepared in the worker processes)."""
        self._copy.write(data)

    def add_rows(self, version_id: int, rows: Sequence[Sequence]) -> None:
        for values in rows:
            self.add((version_id, *values))

    def add(self, values: Sequence) -> None:
        if self._copy is not None:
            self._copy.write_row(values)
            return
        self._buffer.append(values)
        if len(self._buffer) >= BATCH_ROWS:
            self._flush()

    def _flush(self) -> None:
        if self._buffer:
            self._cursor.executemany(self._insert, self._buffer)
            self._buffer.clear()

    def close(self) -> None:
        if self._copy_cm is not None:
            self._copy_cm.__exit__(None, None, None)
        else:
            self._flush()
        self._cursor.close()

    def abort(self) -> None:
        """Stop writing; the surrounding transaction is about to roll back."""
        if self._copy_cm is not None:
            # The transaction is being rolled back anyway; psycopg may complain on the way out.
            with contextlib.suppress(Exception):
                self._copy_cm.__exit__(RuntimeError, RuntimeError("aborted"), None)
        self._buffer.clear()
        self._cursor.close()
