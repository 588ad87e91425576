"""Domain errors: one enum of codes per domain, each mapped once to an HTTP status and a
Chinese message template. Views show the message next to the field; the API returns
``{"code", "message", "field"}`` with the status.
"""

from __future__ import annotations

import enum
from typing import Any


class ErrorCode(enum.Enum):
    """Members are ``(http_status, message_template)``; subclass per domain."""

    def __new__(cls, http_status: int, template: str):
        # Two codes may share status and template (e.g. two "{detail}" codes): give each its
        # own value, or Enum would make the second an alias reporting the first one's code.
        member = object.__new__(cls)
        member._value_ = (http_status, template, len(cls.__members__))
        return member

    def __init__(self, http_status: int, template: str):
        self.http_status = http_status
        self.template = template

    @property
    def code(self) -> str:
        return f"{type(self).__name__.removesuffix('ErrorCode').lower()}.{self.name.lower()}"


class DomainError(Exception):
    def __init__(self, code: ErrorCode, *, field: str | None = None, **params: Any):
        self.error_code = code
        self.field = field
        self.params = params
        self.message = code.template.format(**params)
        super().__init__(self.message)

    @property
    def http_status(self) -> int:
        return self.error_code.http_status

    def as_dict(self) -> dict[str, Any]:
        return {"code": self.error_code.code, "message": self.message, "field": self.field}
