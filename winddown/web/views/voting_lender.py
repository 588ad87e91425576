"""Voting pages for lenders (manual 2.1–2.3) and the public result pages.

Thin views: parse the request, call a voting service or selector, render. Every DomainError
is shown as its Chinese message on the page it came from, next to its field.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from functools import wraps
from pathlib import Path

from django.conf import settings
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from winddown.accounts.permissions import lender_required
from winddown.audit.services import actor_from_request
from winddown.claims import selectors as claims_selectors
from winddown.core import private_files
from winddown.core.errors import DomainError
from winddown.identity.models import Lender
from winddown.merkle import verify_inclusion
from winddown.rules import RulesInputError, get_rule
from winddown.verify import (
    BundleError,
    ReceiptNotFound,
    inclusion_proof_for_receipt,
    normalize_receipt,
)
from winddown.voting import selectors
from winddown.voting.errors import VotingErrorCode
from winddown.voting.models import (
    Ballot,
    Elector,
    EventKind,
    EventStatus,
    SignUpStatus,
    VotingEvent,
)
from winddown.voting.services import casting, notices, signups
from winddown.voting.tally import (
    OPTION_LABELS,
    candidate_names,
    choice_keys,
    choice_words,
    event_options,
    ordered_counts,
)
from winddown.web.views.attachment_files import attachment_response, word_html

# Errors about the voting password: shown on the password step, next to the field.
PASSWORD_ERRORS = {"PASSWORD_WRONG", "PASSWORD_LOCKED", "PASSWORD_NOT_SET"}
CANDIDATE_STATUS = {
    "elected": "当选",
    "tied": "得票相同，未决出",
    "not-elected": "未当选",
    "not-qualified": "未达当选条件",
}
ENDED = (EventStatus.CLOSED, EventStatus.COUNTED, EventStatus.PUBLISHED, EventStatus.CANCELLED)


# --- Helpers --------------------------------------------------------------------------------


def verified_lender_required(view: Callable) -> Callable:
    """A signed-in lender who finished identity verification; others go to their next
    onboarding step. The view receives the Lender as its second argument."""

    @lender_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        from winddown.web.views.lender import STEP_URLS

        lender = Lender.objects.get(user=request.user)
        if not lender.is_verified:
            return redirect(STEP_URLS[lender.next_step])
        return view(request, lender, *args, **kwargs)

    return wrapper


def percent(part: int, whole: int) -> str:
    """part / whole as a percentage with two decimals, rounded half-up, integers only
    (for display; verdicts come from the rules engine)."""
    if not whole or whole <= 0:
        return "—"
    hundredths = (2 * 10_000 * part + whole) // (2 * whole)
    return f"{hundredths // 100}.{hundredths % 100:02d}%"


def _current(event: VotingEvent) -> VotingEvent:
    """Apply a due opening or closing now (the worker may lag a little)."""
    try:
        return casting.ensure_current(event)
    except DomainError:
        return event  # cannot open (no active register): shown as scheduled


def _lender_event(lender: Lender, event_id: int) -> VotingEvent:
    event = selectors.lender_event(lender, event_id)
    live = (EventStatus.SCHEDULED, EventStatus.OPEN)
    if event.status in live and _current(event).status != event.status:
        # Opened (the electorate is now frozen: is the lender in it?) or closed: read again.
        event = selectors.lender_event(lender, event_id)
    return event


def _error_dict(exc: DomainError) -> dict[str, str]:
    return {exc.field or "form": exc.message}


def _rule_info(event: VotingEvent) -> dict | None:
    if not event.rule_id:
        return None
    try:
        rule = get_rule(event.rule_id)
        context = "election" if event.kind == EventKind.ELECTION else "motion"
        conditions = rule.conditions(event.rule_params, context)
    except RulesInputError:
        return None
    return {"rule": rule, "conditions": conditions}


def _window_state(event: VotingEvent) -> str:
    """upcoming / open / ended, for grouping and for the controls."""
    if event.status in ENDED:
        return "ended"
    if event.status == EventStatus.OPEN and timezone.now() < event.closes_at:
        return "open"
    if event.status == EventStatus.OPEN:
        return "ended"
    return "upcoming"


# --- 首页: the lender's events ----------------------------------------------------------------


def events_home(request, lender: Lender) -> HttpResponse:
    """The lender's events grouped 进行中 / 即将开始 / 已结束 (rendered by lender.home)."""
    groups: dict[str, list] = {"open": [], "upcoming": [], "ended": []}
    events = list(selectors.lender_events(lender))
    ballots, signups, names = selectors.lender_positions(lender, events)
    for event in events:
        if (event.status == EventStatus.SCHEDULED and timezone.now() >= event.opens_at) or (
            event.status == EventStatus.OPEN and timezone.now() >= event.closes_at
        ):
            event = _current(event)
        item = {"event": event, "ballot": None, "choice": "", "signup": None}
        if event.kind == EventKind.RECRUITMENT:
            item["signup"] = signups.get(event.pk)
        elif (ballot := ballots.get(event.pk)) is not None:
            item["ballot"] = ballot
            item["choice"] = choice_words(event, ballot.choice, names[event.pk])
        groups[_window_state(event)].append(item)
    groups["upcoming"].reverse()  # soonest first
    # The manual puts checking one's claims before voting: say which still wait for it.
    to_check = [
        claim
        for claim in claims_selectors.lender_claims(lender)
        if not claim.confirmed and claim.open_dispute is None
    ]
    context = {
        "lender": lender,
        "claims_to_check": to_check,
        "groups": [
            ("进行中", "open", groups["open"]),
            ("即将开始", "upcoming", groups["upcoming"]),
            ("已结束", "ended", groups["ended"]),
        ],
        "empty": not any(groups.values()),
    }
    return render(request, "web/lender/voting/home.html", context)


# --- Event page -----------------------------------------------------------------------------


def _event_context(lender: Lender, event: VotingEvent, **extra) -> dict:
    attachments = list(event.attachments.all())
    opened = selectors.opened_attachment_ids(event, lender)
    unread = sum(1 for a in attachments if a.pk not in opened)
    state = _window_state(event)
    names = candidate_names(event)
    elector = Elector.objects.filter(event=event, id_index=lender.id_index).first()
    context = {
        "lender": lender,
        "event": event,
        "state": state,
        "rule_info": _rule_info(event),
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
            masked_id_number=lender.masked_id_number,
            masked_phone=lender.masked_phone,
        )
    context.update(extra)
    return context


def _render_event(request, lender: Lender, event: VotingEvent, **extra) -> HttpResponse:
    return render(request, "web/lender/voting/event.html", _event_context(lender, event, **extra))


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
    casting.record_attachment_open(attachment=attachment, lender=lender)
    context = {
        "event": event,
        "attachment": attachment,
        "pages": range(1, len(attachment.page_images) + 1),
        "document_html": word_html(attachment),
    }
    return render(request, "web/lender/voting/attachment.html", context)


@verified_lender_required
def attachment_page(request, lender: Lender, event_id: int, attachment_id: int, page: int):
    """One page of a PDF attachment as an image (numbered from 1)."""
    _event, attachment = _attachment(lender, event_id, attachment_id)
    if not 1 <= page <= len(attachment.page_images):
        raise Http404("没有这一页")
    response = FileResponse(
        private_files.open_plain(attachment.page_images[page - 1]), content_type="image/jpeg"
    )
    response["Cache-Control"] = "private, max-age=3600"
    return response


@verified_lender_required
def attachment_file(request, lender: Lender, event_id: int, attachment_id: int):
    """The attachment itself: inline (an image in the viewer; a PDF in its own tab), or a Word
    document downloaded."""
    _event, attachment = _attachment(lender, event_id, attachment_id)
    return attachment_response(attachment)


# --- Casting --------------------------------------------------------------------------------


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
    return render(request, "web/lender/voting/confirm.html", context)


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
            _elector, canonical = casting.precheck(event, lender, choice)
        except DomainError as exc:
            return _render_event(request, lender, event, errors=_error_dict(exc))
        return _confirm_page(request, lender, event, canonical, uuid.uuid4().hex)
    key = request.POST.get("idempotency_key", "")[:64]
    try:
        ballot = casting.cast_ballot(
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
    return redirect("web:lender-ballot", event_id=event.pk, receipt=ballot.receipt)


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
    return render(request, "web/lender/voting/receipt.html", context)


# --- Recruitment sign-ups -------------------------------------------------------------------


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
            id_number=lender.id_number,
            phone=values["phone"] or lender.phone,
            introduction=values["introduction"],
            photo=request.FILES.get("photo"),
            resume=request.FILES.get("resume"),
            password=request.POST.get("password", ""),
            actor=actor_from_request(request),
        )
    except DomainError as exc:
        return _render_event(request, lender, event, errors=_error_dict(exc), values=values)
    return redirect("web:lender-event", event_id=event.pk)


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
    return redirect("web:lender-event", event_id=event.pk)


# --- 消息 -------------------------------------------------------------------------------------


@verified_lender_required
def notice_list(request, lender: Lender):
    items = list(selectors.lender_notices(lender)[:200])
    unread = {n.pk for n in items if n.read_at is None}
    notices.mark_read(lender)
    return render(request, "web/lender/voting/notices.html", {"notices": items, "unread": unread})


# --- Public results -------------------------------------------------------------------------


def _published(event_id: int) -> VotingEvent:
    event = selectors.published_events().filter(pk=event_id).first()
    if event is None:
        raise Http404("结果尚未公布")
    return event


def public_list(request):
    events = selectors.published_events().order_by("-published_at")[:200]
    return render(request, "web/public/voting/list.html", {"events": events})


def _tally_rows(event: VotingEvent, result: dict) -> dict:
    """Rows of the tally table: heads and weight of each option or candidate, with their
    share of the electorate (display only)."""
    tally = (event.result or {}).get("tally", {})
    heads_total = event.electorate_heads or 0
    weight_total = event.electorate_weight_fen or 0

    def row(label: str, count: dict, **extra) -> dict:
        heads, weight = int(count.get("heads", 0)), int(count.get("weight_fen", 0))
        return {
            "label": label,
            "heads": heads,
            "weight_fen": weight,
            "heads_pct": percent(heads, heads_total),
            "weight_pct": percent(weight, weight_total),
            **extra,
        }

    participation = row("参与表决", tally.get("participation", {}))
    rows = []
    if event.kind == EventKind.RESOLUTION:
        for option, count in ordered_counts(event, tally):
            rows.append(row(OPTION_LABELS.get(option, option), count))
    else:
        names = candidate_names(event)
        statuses = {c["name"]: c for c in result.get("candidates", [])}
        for key, count in ordered_counts(event, tally):
            name = names.get(key, key)
            judged = statuses.get(name, {})
            rows.append(
                row(
                    name,
                    count,
                    status=CANDIDATE_STATUS.get(judged.get("status", ""), ""),
                    elected=judged.get("status") == "elected",
                )
            )
    return {"participation": participation, "rows": rows}


def public_result(request, event_id: int):
    event = _published(event_id)
    context: dict = {"event": event, "rule_info": _rule_info(event)}
    if event.is_ballot_event:
        result = (event.result or {}).get("result", {})
        context.update(result=result, tally=_tally_rows(event, result))
    else:
        context["approved"] = list(
            selectors.event_signups(event)
            .filter(status=SignUpStatus.APPROVED)
            .order_by("created_at")
            .values_list("name", flat=True)
        )
    return render(request, "web/public/voting/result.html", context)


def public_bundle(request, event_id: int):
    event = _published(event_id)
    if not event.bundle_path:
        raise Http404("该活动没有结果包")
    try:
        stream = private_files.open_plain(event.bundle_path)
    except FileNotFoundError:
        raise Http404("结果包文件不存在，请联系专项工作组") from None
    response = FileResponse(
        stream,
        as_attachment=True,
        filename=f"winddown-event-{event.pk}-bundle.zip",
        content_type="application/zip",
    )
    response["Cache-Control"] = "public, max-age=300"
    return response


def public_receipt(request, event_id: int):
    """Look a receipt up in the published bundle and check its inclusion proof."""
    event = _published(event_id)
    if not event.bundle_path:
        raise Http404("该活动没有结果包")
    code = request.GET.get("code", "").strip()[:64]
    context: dict = {"event": event, "code": code, "error": "", "proof": None}
    if not code:
        return render(request, "web/public/voting/receipt.html", context)
    try:
        code = context["code"] = normalize_receipt(code)
    except ValueError:
        context["error"] = "回执码应为16位字母（A-Z）和数字（2-7），请核对后重试"
        return render(request, "web/public/voting/receipt.html", context)
    try:
        proof = inclusion_proof_for_receipt(
            Path(settings.PRIVATE_STORAGE_ROOT) / event.bundle_path, code
        )
    except ReceiptNotFound:
        context["error"] = VotingErrorCode.RECEIPT_UNKNOWN.template
    except BundleError:
        context["error"] = "结果包无法读取，请联系专项工作组"
    else:
        checked = verify_inclusion(
            bytes.fromhex(proof["leaf_hash"]),
            proof["index"],
            proof["size"],
            [bytes.fromhex(p) for p in proof["proof"]],
            bytes.fromhex(proof["root"]),
            proof["hash_alg"],
        )
        context["proof"] = proof
        # The proof must check, and against the root this page publishes.
        context["verified"] = checked and proof["root"] == event.merkle_root
    return render(request, "web/public/voting/receipt.html", context)
