"""Voting pages for lenders (manual 2.1–2.3): an event, its attachments, casting and
changing ballots, receipts, representative sign-ups, 消息.

Thin views: parse the request, call a voting service or selector, render. Every DomainError
is shown as its Chinese message on the page it came from, next to its field.
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from winddown.audit.services import actor_from_request
from winddown.core.errors import DomainError
from winddown.identity.permissions import verified_lender_required
from winddown.voting import files, selectors
from winddown.voting.models import (
    Ballot,
    Elector,
    EventKind,
    EventStatus,
    SignUpStatus,
    VotingEvent,
)
from winddown.voting.services import casting, lifecycle, notices, signups
from winddown.voting.tally import (
    OPTION_LABELS,
    candidate_names,
    choice_keys,
    choice_words,
    event_options,
)
from winddown.voting.views.attachments import word_html
from winddown.voting.views.common import rule_info

if TYPE_CHECKING:
    from winddown.identity.models import Lender

# Errors about the voting password: shown on the password step, next to the field.
PASSWORD_ERRORS = {"PASSWORD_WRONG", "PASSWORD_LOCKED", "PASSWORD_NOT_SET"}


def _lender_event(lender: Lender, event_id: int) -> VotingEvent:
    event = selectors.lender_event(lender, event_id)
    live = (EventStatus.SCHEDULED, EventStatus.OPEN)
    if (
        event.status in live
        and lifecycle.event_advance_if_due(event, quiet=True).status != event.status
    ):
        # Opened (the electorate is now frozen: is the lender in it?) or closed: read again.
        event = selectors.lender_event(lender, event_id)
    return event


def _error_dict(exc: DomainError) -> dict[str, str]:
    return {exc.field or "form": exc.message}


def _event_context(lender: Lender, event: VotingEvent, **extra) -> dict:
    attachments = list(event.attachments.all())
    opened = selectors.opened_attachment_ids(event, lender)
    unread = sum(1 for a in attachments if a.pk not in opened)
    state = selectors.window_state(event)
    names = candidate_names(event)
    elector = Elector.objects.filter(event=event, id_index=lender.id_index).first()
    context = {
        "lender": lender,
        "event": event,
        "state": state,
        "rule_info": rule_info(event),
        "attachments": [(a, a.pk in opened) for a in attachments],
        "unread": unread,
        "elector": elector,
        "not_in_electorate": event.opened_at is not None and elector is None,
        "errors": {},
        "values": {},
    }
    if event.is_ballot_event:
        ballot = selectors.current_ballot(event, lender)
        history = [
            {"ballot": b, "words": choice_words(event, b.choice, names)}
            for b in selectors.ballot_history(event, lender)
            if not b.is_current
        ]
        chosen = set(ballot.choice.split("+")) if ballot else set()
        context.update(
            ballot=ballot,
            ballot_words=choice_words(event, ballot.choice, names) if ballot else "",
            history=history,
            can_vote=state == "open" and not unread and elector is not None,
        )
        if event.kind == EventKind.RESOLUTION:
            context["options"] = [
                (value, OPTION_LABELS[value], value in chosen) for value in event_options(event)
            ]
        else:
            context["candidates"] = [(c, c.key in chosen) for c in event.candidates.all()]
    else:
        signup = selectors.lender_signup(event, lender)
        live = signup if signup and signup.status != SignUpStatus.WITHDRAWN else None
        context.update(
            signup=live,
            withdrawn=signup is not None and live is None,
            can_sign_up=state == "open" and not unread and elector is not None and live is None,
            masked_id_number=lender.id_number.masked,
            masked_phone=lender.phone.masked,
        )
    context.update(extra)
    return context


def _render_event(request, lender: Lender, event: VotingEvent, **extra) -> HttpResponse:
    return render(request, "voting/lender/event.html", _event_context(lender, event, **extra))


@verified_lender_required
def event_detail(request, lender: Lender, event_id: int):
    event = _lender_event(lender, event_id)
    return _render_event(request, lender, event)


def _attachment(lender: Lender, event_id: int, attachment_id: int):
    event = _lender_event(lender, event_id)
    attachment = selectors.event_attachment(event, attachment_id)
    return event, attachment


@verified_lender_required
def attachment_view(request, lender: Lender, event_id: int, attachment_id: int):
    """The in-page viewer (a PDF as its page images, a Word document as its text): opening it
    records that the lender read the attachment."""
    event, attachment = _attachment(lender, event_id, attachment_id)
    casting.attachment_open_record(attachment=attachment, lender=lender)
    context = {
        "event": event,
        "attachment": attachment,
        "pages": range(1, len(attachment.page_images) + 1),
        "document_html": word_html(attachment),
    }
    return render(request, "voting/lender/attachment.html", context)


@verified_lender_required
def attachment_page(request, lender: Lender, event_id: int, attachment_id: int, page: int):
    """One page of a PDF attachment as an image (numbered from 1)."""
    _event, attachment = _attachment(lender, event_id, attachment_id)
    return files.attachment_page(attachment, page)


@verified_lender_required
def attachment_file(request, lender: Lender, event_id: int, attachment_id: int):
    """The attachment itself: an image shown in the viewer; a PDF or Word document
    downloaded (the viewer shows a PDF as the platform's page images)."""
    _event, attachment = _attachment(lender, event_id, attachment_id)
    return files.attachment_original(attachment)


def _choice_from(request, event: VotingEvent) -> str | list[str]:
    if event.kind == EventKind.ELECTION:
        return [key for key in request.POST.getlist("choice") if key][:50]
    return request.POST.get("choice", "")


def _confirm_page(request, lender, event, canonical: str, key: str, errors: dict | None = None):
    context = {
        "event": event,
        "choice_keys": choice_keys(canonical),
        "choice_words": choice_words(event, canonical),
        "idempotency_key": key,
        "errors": errors or {},
        "changing": selectors.current_ballot(event, lender) is not None,
    }
    return render(request, "voting/lender/confirm.html", context)


@require_POST
@verified_lender_required
def event_vote(request, lender: Lender, event_id: int):
    """Step 1 (choice) shows the password step; step 2 (password) casts the ballot."""
    event = _lender_event(lender, event_id)
    if not event.is_ballot_event:
        raise Http404("该活动不是投票活动")
    choice = _choice_from(request, event)
    if request.POST.get("step") != "confirm":
        try:
            _elector, canonical = casting.ballot_precheck(event, lender, choice)
        except DomainError as exc:
            return _render_event(request, lender, event, errors=_error_dict(exc))
        return _confirm_page(request, lender, event, canonical, uuid.uuid4().hex)
    key = request.POST.get("idempotency_key", "")[:64]
    try:
        cast = casting.ballot_cast(
            event=event,
            lender=lender,
            choice=choice,
            password=request.POST.get("password", ""),
            actor=actor_from_request(request),
            idempotency_key=key,
        )
    except DomainError as exc:
        if exc.error_code.name in PASSWORD_ERRORS:
            canonical = "+".join(choice) if isinstance(choice, list) else choice
            return _confirm_page(
                request,
                lender,
                event,
                canonical,
                key or uuid.uuid4().hex,
                {"password": exc.message},
            )
        event = VotingEvent.objects.select_related("institution").get(pk=event.pk)
        return _render_event(request, lender, event, errors=_error_dict(exc))
    return redirect("voting:lender-ballot", event_id=event.pk, receipt=cast.ballot.receipt)


@verified_lender_required
def ballot_receipt(request, lender: Lender, event_id: int, receipt: str):
    event = _lender_event(lender, event_id)
    ballot: Ballot | None = selectors.ballot_history(event, lender).filter(receipt=receipt).first()
    if ballot is None:
        raise Http404("回执不存在")
    context = {
        "event": event,
        "ballot": ballot,
        "words": choice_words(event, ballot.choice),
    }
    return render(request, "voting/lender/receipt.html", context)


@require_POST
@verified_lender_required
def signup_create(request, lender: Lender, event_id: int):
    event = _lender_event(lender, event_id)
    if event.kind != EventKind.RECRUITMENT:
        raise Http404("该活动不是出借人代表征集")
    values = {
        "phone": request.POST.get("phone", "").strip(),
        "introduction": request.POST.get("introduction", ""),
    }
    try:
        signups.signup_create(
            event=event,
            lender=lender,
            name=request.POST.get("name", ""),
            id_number=lender.id_number.value,
            phone=values["phone"] or lender.phone.value,
            introduction=values["introduction"],
            photo=request.FILES.get("photo"),
            resume=request.FILES.get("resume"),
            password=request.POST.get("password", ""),
            actor=actor_from_request(request),
        )
    except DomainError as exc:
        return _render_event(request, lender, event, errors=_error_dict(exc), values=values)
    return redirect("voting:lender-event", event_id=event.pk)


@require_POST
@verified_lender_required
def signup_withdraw(request, lender: Lender, event_id: int):
    event = _lender_event(lender, event_id)
    signup = selectors.lender_signup(event, lender)
    if signup is None:
        raise Http404("没有报名")
    try:
        signups.signup_withdraw(signup=signup, actor=actor_from_request(request))
    except DomainError as exc:
        return _render_event(request, lender, event, errors={"withdraw": exc.message})
    return redirect("voting:lender-event", event_id=event.pk)


@verified_lender_required
def notice_list(request, lender: Lender):
    items = list(selectors.lender_notices(lender)[:200])
    unread = {n.pk for n in items if n.read_at is None}
    notices.notices_mark_read(lender)
    return render(request, "voting/lender/notices.html", {"notices": items, "unread": unread})
