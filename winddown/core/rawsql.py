"""Helpers for the few statements written by hand (hot paths), so they run unchanged on
PostgreSQL and SQLite."""

from __future__ import annotations

from datetime import UTC, datetime

from django.db import connection


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
