"""Ids that arrive as text: query strings, form fields, JSON bodies.

A page or form carries ids it put there itself, so anything else (letters, a 20-digit
number, "²") was typed or forged: it is answered with 400 and a Chinese message naming the
parameter, never passed to the database (SQLite refuses integers beyond 64 bits, PostgreSQL
columns beyond their type) and never silently ignored.
"""

from __future__ import annotations

from typing import Annotated

from django.core.exceptions import BadRequest
from pydantic import Field

MAX_ID = 2**63 - 1  # the largest primary key any column holds (BigAutoField)

# For django-ninja: an id in a path, query or body, validated before the view runs (422).
ApiId = Annotated[int, Field(ge=1, le=MAX_ID)]


class BadParameter(BadRequest):
    """A parameter that cannot be what the page sent; its message is shown to the user."""


def id_param(raw: str | None, *, label: str) -> int | None:
    """`raw` as an id; '' (or absent) → None. `label` names the parameter in Chinese
    ("机构", "更正后的版本") for the message."""
    raw = (raw or "").strip()
    if not raw:
        return None
    if raw.isascii() and raw.isdigit() and len(raw) <= 19 and 0 < int(raw) <= MAX_ID:
        return int(raw)
    raise BadParameter(f"参数“{label}”无效：应为页面上列出的编号。请返回上一页，从列表中重新选择。")


def page_param(raw: str | None) -> int:
    """A page number from a query string, as lenient as Django's Paginator.get_page: anything
    unreadable is page 1, and it is bounded so an offset never overflows a database integer."""
    raw = (raw or "").strip()
    if raw.isascii() and raw.isdigit() and len(raw) <= 9:
        return max(int(raw), 1)
    return 1
