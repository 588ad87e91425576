"""Fast insertion of ledger rows inside the caller's transaction (as claims/bulk.py):
PostgreSQL COPY (psycopg 3), batched executemany elsewhere. Both go through Django's
connection, so they join the surrounding `transaction.atomic()` and roll back with it.
The ORM's bulk_create spent half an import building statements."""

from __future__ import annotations

import contextlib
from collections.abc import Sequence

from django.db import connection

BATCH_ROWS = 5000


class RowWriter:
    """Buffer rows of one table and write them; `close()` flushes the rest."""

    def __init__(self, model, columns: Sequence[str]) -> None:
        quote = connection.ops.quote_name
        self._table = quote(model._meta.db_table)
        self._columns = ", ".join(quote(c) for c in columns)
        self._buffer: list[Sequence] = []
        self._cursor = connection.cursor()
        self._copy_cm = self._copy = None
        self.count = 0
        if connection.vendor == "postgresql":
            self._copy_cm = self._cursor.cursor.copy(
                f"COPY {self._table} ({self._columns}) FROM STDIN"
            )
            self._copy = self._copy_cm.__enter__()
        else:
            placeholders = ", ".join(["%s"] * len(columns))
            # Table and column names come from model metadata, never from input.
            self._insert = f"INSERT INTO {self._table} ({self._columns}) VALUES ({placeholders})"  # noqa: S608

    def add(self, values: Sequence) -> None:
        self.count += 1
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
        if self._copy_cm is not None:
            with contextlib.suppress(Exception):
                self._copy_cm.__exit__(RuntimeError, RuntimeError("aborted"), None)
        self._buffer.clear()
        self._cursor.close()


def next_ids(model, count: int) -> range:
    """`count` primary keys for rows written by a RowWriter, whose ids the caller needs
    (loans, for their holdings and repayments): the table is locked by the import's
    institution lock only logically, so the ids are taken past the current maximum under a
    table lock on PostgreSQL."""
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"LOCK TABLE {table} IN SHARE ROW EXCLUSIVE MODE")
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {table}")  # noqa: S608
        start = cursor.fetchone()[0] + 1
    return range(start, start + count)


def reset_sequence(model) -> None:
    """After writing explicit ids on PostgreSQL, move the id sequence past them."""
    if connection.vendor != "postgresql":
        return
    table = model._meta.db_table
    quoted = connection.ops.quote_name(table)
    # The table name comes from model metadata, never from input.
    statement = f"SELECT setval(pg_get_serial_sequence(%s, 'id'), (SELECT COALESCE(MAX(id), 1) FROM {quoted}))"  # noqa: S608, E501
    with connection.cursor() as cursor:
        cursor.execute(statement, [table])
