"""Helpers for the few statements written by hand (hot paths), so they run unchanged on
PostgreSQL and SQLite."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

from django.db import connection
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


def fetchone(sql: str, params: list) -> tuple | None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()


def fetchall(sql: str, params: list) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def execute(sql: str, params: list) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


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
