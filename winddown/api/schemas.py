"""Schemas shared by several routers."""

from datetime import datetime
from typing import Annotated, Any

from ninja import Schema
from pydantic import AfterValidator, ConfigDict, field_validator


def refuse_nul(value: Any) -> Any:
    """NUL characters never belong in text, and PostgreSQL cannot store or even compare them
    (a query with one is a server error): refuse them at the edge."""
    if isinstance(value, str) and "\x00" in value:
        raise ValueError("不能包含空字符（\\x00）")
    return value


# For text parameters outside a schema (form fields).
Text = Annotated[str, AfterValidator(refuse_nul)]


class StrictSchema(Schema):
    """Inputs refuse what they do not know and never coerce (no `false` for 0)."""

    model_config = ConfigDict(extra="forbid", strict=True)

    @field_validator("*")
    @classmethod
    def _no_nul(cls, value: Any) -> Any:
        return refuse_nul(value)


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


class TokenOut(Schema):
    """A bearer token for `Authorization: Bearer <token>`."""

    token: str
    expires_at: datetime
    role: str
