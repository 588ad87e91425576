"""Schemas shared by several routers."""

from ninja import Schema
from pydantic import ConfigDict


class StrictSchema(Schema):
    """Inputs refuse what they do not know and never coerce (no `false` for 0)."""

    model_config = ConfigDict(extra="forbid", strict=True)


class ErrorOut(Schema):
    code: str
    message: str
    field: str | None = None


class DetailOut(Schema):
    detail: str


class ValidationErrorOut(Schema):
    """422: the request does not match the operation's schema (types, required fields)."""

    detail: str
    errors: list[dict]
