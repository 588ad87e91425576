"""What the voting routers share: error responses, the schemas of attachments,
candidates, options and ballots, and the file answers."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from ninja import Schema
from pydantic import Field

from winddown.accounts.roles import Role
from winddown.api.auth import require_staff
from winddown.api.schemas import (
    DetailOut,
    ErrorOut,
    ValidationErrorOut,
)
from winddown.core import word_documents
from winddown.money import fen_to_decimal
from winddown.rules import RulesInputError, get_rule
from winddown.voting import selectors
from winddown.voting.models import (
    Ballot,
    Candidate,
    EventAttachment,
    EventKind,
    VotingEvent,
)
from winddown.voting.tally import (
    OPTION_LABELS,
    choice_keys,
    choice_words,
    event_options,
)

if TYPE_CHECKING:
    from winddown.accounts.models import User

ERRORS = {
    400: ErrorOut,
    401: DetailOut,
    403: ErrorOut | DetailOut,  # a domain refusal (not verified...) or the wrong role / CSRF
    404: DetailOut | ErrorOut,
    409: ErrorOut,
    413: ErrorOut,
    422: ValidationErrorOut,
    423: ErrorOut,
}


PUBLIC_ERRORS = {400: ErrorOut, 404: DetailOut | ErrorOut, 422: ValidationErrorOut}


BINARY = {"schema": {"type": "string", "format": "binary"}}


ATTACHMENT_CONTENT = {
    "application/pdf": BINARY,
    word_documents.DOCX_TYPE: BINARY,
    "image/jpeg": BINARY,
    "image/png": BINARY,
}


PAGE_CONTENT = {"image/jpeg": BINARY}


HTML_CONTENT = {"text/html": {"schema": {"type": "string"}}}


MAX_LIST = 500


def _yuan(fen: int | None) -> str | None:
    return None if fen is None else str(fen_to_decimal(fen))


def _rule(event: VotingEvent) -> dict:
    if not event.rule_id:
        return {"rule_id": "", "rule_name": "", "rule_citation": ""}
    try:
        rule = get_rule(event.rule_id)
    except RulesInputError:
        return {"rule_id": event.rule_id, "rule_name": "", "rule_citation": ""}
    return {"rule_id": rule.id, "rule_name": rule.name, "rule_citation": rule.citation}


class AttachmentOut(Schema):
    id: int
    name: str
    content_type: str
    size: int
    sha256: str
    url: str
    page_count: int = Field(description="PDF 的页数（图片为 0）")
    page_urls: list[str] = Field(
        description="PDF 各页的图片（JPEG，宽 1080 像素，供手机在页面内显示）；"
        "页数很多时只有前若干页，其余请打开原文件"
    )
    html_url: str | None = Field(
        None,
        description="Word 文档（.docx）的正文（已净化的 HTML 片段，图片内嵌，供手机在页面内显示）；"
        "其他格式为 null",
    )
    opened: bool | None = Field(None, description="出借人是否已阅读（仅出借人接口）")


class CandidateOut(Schema):
    key: str
    name: str
    description: str
    signup_id: int | None


class OptionOut(Schema):
    key: str
    label: str


class BallotOut(Schema):
    seq: int
    receipt: str
    choice: str = Field(description="yes / no / abstain，或候选人编号以 + 连接，如 c1+c3")
    choices: list[str]
    choice_label: str
    weight_fen: int
    weight: str
    cast_at: datetime
    current: bool = Field(description="是否为计入结果的最新选票")
    superseded: bool


def _attachment_out(attachment: EventAttachment, url: str, opened: bool | None = None) -> dict:
    return {
        "id": attachment.pk,
        "name": attachment.name,
        "content_type": attachment.content_type,
        "size": attachment.size,
        "sha256": attachment.sha256,
        "url": url,
        "page_count": attachment.page_count,
        "page_urls": [f"{url}/pages/{n}" for n in range(1, len(attachment.page_images) + 1)],
        "html_url": f"{url}/html" if attachment.html_path else None,
        "opened": opened,
    }


def _candidate_out(candidate: Candidate) -> dict:
    return {
        "key": candidate.key,
        "name": candidate.name,
        "description": candidate.description,
        "signup_id": candidate.signup_id,
    }


def _ballot_out(event: VotingEvent, ballot: Ballot, names: dict[str, str] | None = None) -> dict:
    return {
        "seq": ballot.seq,
        "receipt": ballot.receipt,
        "choice": ballot.choice,
        "choices": choice_keys(ballot.choice),
        "choice_label": choice_words(event, ballot.choice, names),
        "weight_fen": ballot.weight_fen,
        "weight": _yuan(ballot.weight_fen),
        "cast_at": ballot.cast_at,
        "current": ballot.is_current,
        "superseded": not ballot.is_current,
    }


def _options(event: VotingEvent) -> list[dict]:
    if event.kind != EventKind.RESOLUTION:
        return []
    return [{"key": key, "label": OPTION_LABELS[key]} for key in event_options(event)]


def _event_heading(event: VotingEvent) -> dict:
    """What every list of events shows of one, to lenders and staff alike."""
    return {
        "id": event.pk,
        "institution_id": event.institution_id,
        "institution_name": event.institution.short_name,
        "kind": event.kind,
        "kind_label": event.get_kind_display(),
        "title": event.title,
        "status": event.status,
        "status_label": event.get_status_display(),
        "opens_at": event.opens_at,
        "closes_at": event.closes_at,
    }


# --- Staff -----------------------------------------------------------------------------------


def _event_for(request, event_id: int, *roles: Role) -> tuple[User, VotingEvent]:
    """The event if the staff member has one of `roles` (403 otherwise) and may see it
    (404 otherwise: operators see only their institution's events)."""
    user = require_staff(request, *roles)
    return user, selectors.access_event_by_id(user, event_id)
