"""Helpers for the few statements written by hand (hot paths), so they run unchanged on
PostgreSQL and SQLite."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.db.models import Model
from django.db.models.expressions import Col


def for_update(of: str = "") -> str:
    """The row-lock clause, or nothing where the database has no row locks (SQLite: its
    IMMEDIATE transactions hold the whole database's write lock instead). `of`: the one
    table alias to lock in a join."""
    features = connection.features
    if not features.has_select_for_update:
        return ""
    return f" FOR UPDATE OF {of}" if of and features.has_select_for_update_of else " FOR UPDATE"


def _run(sql: str, params: list, fetch: Callable[[Any], Any]) -> Any:
    """Run one statement and `fetch` its rows.

    On PostgreSQL the statements run on one psycopg cursor kept with the connection: Django
    makes and wraps a new cursor for every statement, which here costs about as much CPU as
    the round trip to the database itself (50 of ~130 µs, bench_casting.py's machine). What
    Django's wrapper does for a statement is kept: the connection is opened if needed, a
    broken transaction is refused and errors become Django's (IntegrityError and the rest).
    While queries are logged or wrapped (DEBUG, tests that count statements, execute
    wrappers), and on SQLite, whose placeholders Django's cursor translates, statements go
    through Django's cursor."""
    db = connections[DEFAULT_DB_ALIAS]
    if db.vendor != "postgresql" or db.queries_logged or db.execute_wrappers:
        with db.cursor() as cursor:
            cursor.execute(sql, params)
            return fetch(cursor)
    db.close_if_health_check_failed()
    db.ensure_connection()
    db.validate_no_broken_transaction()
    with db.wrap_database_errors:
        cursor = getattr(db, "_rawsql_cursor", None)
        if cursor is None or cursor.connection is not db.connection:  # new connection
            cursor = db._rawsql_cursor = db.create_cursor()
        cursor.execute(sql, params)
        return fetch(cursor)


def fetchone(sql: str, params: list) -> tuple | None:
    return _run(sql, params, lambda cursor: cursor.fetchone())


def fetchall(sql: str, params: list) -> list[tuple]:
    return _run(sql, params, lambda cursor: cursor.fetchall())


def execute(sql: str, params: list) -> None:
    _run(sql, params, lambda cursor: None)


def aware(value: datetime | None) -> datetime | None:
    """A datetime column as read by a bare cursor: SQLite gives naive UTC."""
    if value is None or value.tzinfo is not None:
        return value
    return value.replace(tzinfo=UTC)


class ModelRows:
    """Model instances from the rows of a fixed statement, with the ORM's conversions of the
    column values. `Model.objects.raw()` does the same but works out the columns' order and
    converters again for every query, which cost more than the query itself on the hot path;
    here they are worked out once. The statement selects `columns` (`fields` or all concrete
    fields, in the model's order; several models may follow one another in a row, see
    `instance(row, start)`)."""

    def __init__(self, model: type[Model], fields: Sequence[str] = (), alias: str = "") -> None:
        meta = model._meta
        self.model = model
        wanted = {meta.get_field(name) for name in fields}
        # In the model's order: Model.from_db takes a subset of the fields only in that order.
        self.fields = [f for f in meta.concrete_fields if not wanted or f in wanted]
        if len(self.fields) != len(wanted or self.fields):
            raise ValueError(f"not concrete fields of {model.__name__}: {fields}")
        self.attnames = [field.attname for field in self.fields]
        self.alias = alias
        prefix = f"{alias}." if alias else ""
        self.columns = ", ".join(prefix + field.column for field in self.fields)
        self._converters: dict[str, list[tuple[int, Col, list]]] = {}

    def __len__(self) -> int:
        return len(self.fields)

    def _converters_here(self) -> list[tuple[int, Col, list]]:
        found = self._converters.get(connection.vendor)
        if found is None:  # as SQLCompiler.get_converters does
            found = []
            for index, field in enumerate(self.fields):
                column = field.get_col(self.model._meta.db_table)
                converters = connection.ops.get_db_converters(column) + column.get_db_converters(
                    connection
                )
                if converters:
                    found.append((index, column, converters))
            self._converters[connection.vendor] = found
        return found

    def instance(self, row: Sequence, start: int = 0) -> Model:
        """The model instance in `row` from column `start` on."""
        values = list(row[start : start + len(self.fields)])
        for index, column, converters in self._converters_here():
            for converter in converters:
                values[index] = converter(values[index], column, connection)
        return self.model.from_db(connection.alias, self.attnames, values)
