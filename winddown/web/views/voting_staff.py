"""Staff console pages of voting events: operators draft, the working group reviews, cancels
and publishes, the association oversees. Thin views: parse, call a service, render; a
DomainError's message is shown next to the field it names.

Choices stay sealed while an event is open: the pages show participation (selectors.progress)
and nothing per option or candidate until the event has been counted.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET, require_http_methods
from django_tasks.base import TaskResultStatus

from winddown.accounts.permissions import staff_required
from winddown.accounts.roles import PII_FULL_VIEW_ROLES, Role
from winddown.audit.actions import AuditAction
from winddown.audit.models import AuditEntry
from winddown.audit.services import actor_from_request
from winddown.core import private_files
from winddown.core.errors import DomainError
from winddown.institutions.selectors import access_institution_by_id, visible_institutions
from winddown.pii import keys
from winddown.pii.keys import keyring
from winddown.pii.masking import mask_id_number, mask_phone
from winddown.rules import RULES, get_rule
from winddown.rules.text import fraction_name, percent, threshold_percent
from winddown.voting import exports, selectors
from winddown.voting.errors import VotingErrorCode as E
from winddown.voting.event_audit import record_event
from winddown.voting.models import (
    EDITABLE_STATUSES,
    EventKind,
    EventStatus,
    SignUpStatus,
    VotingEvent,
)
from winddown.voting.services import authoring, casting, signups
from winddown.voting.tally import OPTION_LABELS, event_options
from winddown.web.views.attachment_files import attachment_response, word_html

SHANGHAI = ZoneInfo("Asia/Shanghai")
GET_OR_POST = require_http_methods(["GET", "POST"])
INPUT_FORMAT = "%Y-%m-%dT%H:%M"
PROGRESS_POLL_SECONDS = 10

BEFORE_OPENING = (
    EventStatus.DRAFT,
    EventStatus.SUBMITTED,
    EventStatus.RETURNED,
    EventStatus.SCHEDULED,
)
FINAL = (EventStatus.COUNTED, EventStatus.PUBLISHED, EventStatus.CANCELLED)
ROSTER_ROLES = (Role.OPERATOR, Role.WG_OFFICER, Role.ASSOCIATION_OFFICER)
SIGNUP_ROLES = (Role.OPERATOR, Role.WG_OFFICER, Role.ASSOCIATION_OFFICER)
TIMELINE_ACTIONS = (
    AuditAction.EVENT_CREATED,
    AuditAction.EVENT_SUBMITTED,
    AuditAction.EVENT_RETURNED,
    AuditAction.EVENT_APPROVED,
    AuditAction.EVENT_OPENED,
    AuditAction.EVENT_CLOSED,
    AuditAction.EVENT_COUNTED,
    AuditAction.EVENT_PUBLISHED,
    AuditAction.EVENT_CANCELLED,
    AuditAction.CANDIDATES_IMPORTED,
)
# Rule parameters in words (winddown.rules describes them in English for developers).
PARAM_CHOICES = {
    "basis": ("计票依据", {"heads": "按人数（每人一票）", "weight": "按未偿还本金（权重）"}),
}


# --- Helpers --------------------------------------------------------------------------------


def _rules(chosen: dict | None = None) -> list[dict]:
    """The rules an event may use (grouped rules cannot be voted online), with their
    parameters as Chinese choices (`chosen`: {"<rule>-<param>": value})."""
    chosen = chosen or {}
    rows = []
    for rule in RULES.values():
        if rule.grouped:
            continue
        params = []
        for spec in rule.params:
            label, words = PARAM_CHOICES.get(spec.name, (spec.name, {}))
            params.append(
                {
                    "name": spec.name,
                    "label": label,
                    "default": spec.default,
                    "key": f"{rule.id}-{spec.name}",
                    "selected": chosen.get(f"{rule.id}-{spec.name}", spec.default),
                    "choices": [(value, words.get(value, value)) for value in spec.choices],
                }
            )
        rows.append({"rule": rule, "params": params})
    return rows


def _local_input(value: datetime | None) -> str:
    return timezone.localtime(value, SHANGHAI).strftime(INPUT_FORMAT) if value else ""


def _parse_local(raw: str) -> datetime | None:
    """A datetime-local value ("2026-12-01T09:00"), read as Beijing time."""
    try:
        naive = datetime.strptime((raw or "").strip()[:16], INPUT_FORMAT)
    except ValueError:
        return None
    return timezone.make_aware(naive, SHANGHAI)


def _positive_int(raw: str) -> int | None:
    raw = (raw or "").strip()
    return int(raw) if raw.isdigit() and len(raw) < 7 else None


FORM_FIELDS = (
    "kind",
    "title",
    "content",
    "rule_id",
    "opens_at",
    "closes_at",
    "seats",
    "max_choices",
)


def _form_values(request) -> dict:
    values = {field: request.POST.get(field, "") for field in FORM_FIELDS}
    values["allow_abstain"] = request.POST.get("allow_abstain") == "on"
    values["params"] = {
        key.removeprefix("param-"): value
        for key, value in request.POST.items()
        if key.startswith("param-")
    }
    return values


def _event_values(event: VotingEvent) -> dict:
    values = {
        "kind": event.kind,
        "title": event.title,
        "content": event.content,
        "rule_id": event.rule_id or "p2p-exit",
        "opens_at": _local_input(event.opens_at),
        "closes_at": _local_input(event.closes_at),
        "seats": event.seats or "",
        "max_choices": event.max_choices or "",
        "allow_abstain": event.allow_abstain,
        "params": {f"{event.rule_id}-{k}": v for k, v in (event.rule_params or {}).items()},
    }
    return values


def _default_values() -> dict:
    start = timezone.localtime(timezone.now(), SHANGHAI).replace(
        hour=9, minute=0, second=0, microsecond=0
    ) + timedelta(days=1)
    return {
        "kind": EventKind.RESOLUTION,
        "title": "",
        "content": "",
        "rule_id": "p2p-exit",
        "opens_at": start.strftime(INPUT_FORMAT),
        "closes_at": (start + timedelta(days=7)).strftime(INPUT_FORMAT),
        "seats": "",
        "max_choices": "",
        "allow_abstain": False,
        "params": {},
    }


def _service_args(values: dict) -> tuple[dict, dict]:
    """Service keyword arguments from the form values, or the parsing errors."""
    errors = {}
    opens_at = _parse_local(values["opens_at"])
    closes_at = _parse_local(values["closes_at"])
    if opens_at is None:
        errors["opens_at"] = "请填写开始时间（北京时间，年-月-日 时:分）"
    if closes_at is None:
        errors["closes_at"] = "请填写截止时间（北京时间，年-月-日 时:分）"
    rule_id = values["rule_id"] if values["kind"] != EventKind.RECRUITMENT else ""
    params = {}
    if rule_id in RULES:
        for spec in get_rule(rule_id).params:
            params[spec.name] = values["params"].get(f"{rule_id}-{spec.name}", spec.default)
    args = {
        "kind": values["kind"],
        "title": values["title"],
        "content": values["content"],
        "rule_id": rule_id,
        "rule_params": params,
        "allow_abstain": values["allow_abstain"],
        "seats": _positive_int(values["seats"]),
        "max_choices": _positive_int(values["max_choices"]),
        "opens_at": opens_at,
        "closes_at": closes_at,
    }
    return args, errors


def _brought_up_to_date(event: VotingEvent) -> VotingEvent:
    """Apply an opening or closing that is due (as the worker would), so the page never
    shows a stale status."""
    try:
        return casting.ensure_current(event)
    except DomainError:  # e.g. no active register: the worker logs it; show what we have
        return event


def _timeline(event: VotingEvent) -> list[AuditEntry]:
    return list(
        AuditEntry.objects.filter(
            institution_id=event.institution_id,
            object_type=VotingEvent._meta.label_lower,
            object_id=str(event.pk),
            action__in=TIMELINE_ACTIONS,
        ).order_by("seq")
    )


def _progress_context(event: VotingEvent) -> dict:
    """Participation only — never a figure per option or candidate."""
    progress = selectors.progress(event)
    quorum = None
    weight_share = "—"
    if progress.electorate_weight_fen > 0:
        if progress.quorum_numerator:
            text, _ = threshold_percent(
                progress.voted_weight_fen,
                progress.electorate_weight_fen,
                progress.quorum_numerator,
                progress.quorum_denominator,
            )
            weight_share = f"{text}%"
        else:
            weight_share = f"{percent(progress.voted_weight_fen, progress.electorate_weight_fen)}%"
    if progress.quorum_numerator:
        quorum = {
            "fraction": fraction_name(progress.quorum_numerator, progress.quorum_denominator),
            "reached": progress.quorum_reached,
        }
    heads_share = (
        f"{percent(progress.voted_heads, progress.electorate_heads)}%"
        if progress.electorate_heads
        else "—"
    )
    return {
        "event": event,
        "progress": progress,
        "heads_share": heads_share,
        "weight_share": weight_share,
        "quorum": quorum,
        "polling": event.status == EventStatus.OPEN,
        "poll_seconds": PROGRESS_POLL_SECONDS,
        "now": timezone.now(),
    }


def _flags(user, event: VotingEvent) -> dict:
    operator = user.role == Role.OPERATOR
    officer = user.role == Role.WG_OFFICER
    exportable = event.is_ballot_event and event.status in exports.EXPORTABLE
    ready = EventStatus.COUNTED if event.is_ballot_event else EventStatus.CLOSED
    return {
        "is_operator": operator,
        "is_officer": officer,
        "can_edit": operator and event.status in EDITABLE_STATUSES,
        "can_review": officer and event.status == EventStatus.SUBMITTED,
        "can_cancel": (operator and event.status in BEFORE_OPENING)
        or (officer and event.status not in FINAL),
        "can_publish": officer and event.status == ready,
        "can_announce": exportable,
        "can_roster": exportable and user.role in ROSTER_ROLES,
        "can_see_signups": event.kind == EventKind.RECRUITMENT and user.role in SIGNUP_ROLES,
    }


def _result_context(event: VotingEvent) -> dict:
    if event.status not in exports.EXPORTABLE or not event.result:
        return {}
    tally = event.result.get("tally", {})
    return {
        "result": event.result.get("result", {}),
        "participation": tally.get("participation", {"heads": 0, "weight_fen": 0}),
        "tally_rows": exports.tally_rows(event),
    }


def _detail(request, event: VotingEvent, errors: dict | None = None, status: int = 200):
    context = {
        "event": event,
        "institution": event.institution,
        "rule": exports.rule_description(event),
        "options": [OPTION_LABELS[o] for o in event_options(event)]
        if event.kind == EventKind.RESOLUTION
        else [],
        "candidates": list(event.candidates.all()),
        "attachments": list(event.attachments.all()),
        "timeline": _timeline(event),
        "errors": errors or {},
        "signup_count": selectors.event_signups(event).count()
        if event.kind == EventKind.RECRUITMENT
        else 0,
        "result_url": f"/events/{event.pk}/result/",
        **_flags(request.user, event),
        **_result_context(event),
    }
    if event.status == EventStatus.OPEN:
        context.update(_progress_context(event))
    return render(request, "web/staff/voting/event_detail.html", context, status=status)


# --- Lists ----------------------------------------------------------------------------------


@staff_required()
def event_list(request):
    events = selectors.staff_events(request.user).order_by("-opens_at", "-pk")
    status = request.GET.get("status", "")
    if status in EventStatus.values:
        events = events.filter(status=status)
    else:
        status = ""
    institution = request.GET.get("institution", "")
    if institution.isdigit():
        events = events.filter(institution_id=int(institution))
    else:
        institution = ""
    queue = []
    if request.user.role == Role.WG_OFFICER:
        queue = list(
            selectors.staff_events(request.user)
            .filter(status=EventStatus.SUBMITTED)
            .order_by("submitted_at")
        )
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "web/staff/voting/event_list.html",
        {
            "page": page,
            "queue": queue,
            "status": status,
            "statuses": EventStatus.choices,
            "institution": institution,
            "institutions": visible_institutions(request.user),
        },
    )


@require_GET
@staff_required()
def institution_events(request, institution_id: int):
    """htmx: the events section of an institution's page."""
    institution = access_institution_by_id(request.user, institution_id)
    if not request.htmx:
        return redirect(f"{reverse('web:staff-events')}?institution={institution.pk}")
    events = selectors.staff_events(request.user).filter(institution=institution)
    return render(
        request,
        "web/staff/voting/_institution_events.html",
        {
            "institution": institution,
            "events": events.order_by("-opens_at", "-pk")[:20],
            "total": events.count(),
            "can_create": request.user.role == Role.OPERATOR,
        },
    )


# --- Drafting (operators) -------------------------------------------------------------------


def _form_page(request, context: dict, status: int = 200):
    context.setdefault("rules", _rules(context["values"].get("params")))
    context.setdefault("kinds", EventKind.choices)
    return render(request, "web/staff/voting/event_form.html", context, status=status)


@GET_OR_POST
@staff_required(Role.OPERATOR)
def event_create(request, institution_id: int):
    institution = access_institution_by_id(request.user, institution_id)
    context = {"institution": institution, "values": _default_values(), "errors": {}}
    if request.method == "POST":
        values = _form_values(request)
        context["values"] = values
        args, errors = _service_args(values)
        context["errors"] = errors
        if not errors:
            try:
                event = authoring.event_create(
                    institution=institution,
                    user=request.user,
                    actor=actor_from_request(request),
                    **args,
                )
            except DomainError as exc:
                context["errors"] = {exc.field or "form": exc.message}
            else:
                messages.success(request, "草稿已保存。可继续添加附件和候选人，完成后提交审核。")
                return redirect("web:staff-event-edit", event_id=event.pk)
    return _form_page(request, context, status=400 if context["errors"] else 200)


def _save(request, event: VotingEvent) -> tuple[VotingEvent, dict]:
    values = _form_values(request)
    args, errors = _service_args(values)
    if errors:
        return event, errors
    return authoring.event_update(event=event, actor=actor_from_request(request), **args), {}


def _candidate_add(request, event):
    authoring.candidate_add(
        event=event,
        name=request.POST.get("name", ""),
        description=request.POST.get("description", ""),
    )
    return "已添加候选人。"


def _candidate_remove(request, event):
    candidate = event.candidates.filter(pk=_positive_int(request.POST.get("candidate"))).first()
    if candidate is None:
        raise Http404("候选人不存在")
    authoring.candidate_remove(candidate=candidate)
    return f"已删除候选人“{candidate.name}”。"


def _attachment_add(request, event):
    upload = request.FILES.get("attachment")
    if upload is None:
        raise DomainError(E.ATTACHMENT_INVALID, field="attachment", detail="请选择要上传的附件")
    authoring.attachment_add(event=event, upload=upload, actor=actor_from_request(request))
    return f"已上传附件“{upload.name}”。"


def _attachment_remove(request, event):
    attachment = event.attachments.filter(pk=_positive_int(request.POST.get("attachment"))).first()
    if attachment is None:
        raise Http404("附件不存在")
    authoring.attachment_remove(attachment=attachment, actor=actor_from_request(request))
    return f"已删除附件“{attachment.name}”。"


def _import_candidates(request, event):
    recruitment = (
        _recruitments(event).filter(pk=_positive_int(request.POST.get("recruitment"))).first()
    )
    if recruitment is None:
        raise DomainError(E.NOT_RECRUITMENT)
    added = signups.candidates_from_signups(
        election=event, recruitment=recruitment, actor=actor_from_request(request)
    )
    if not added:
        return "没有新的审核通过的报名人，候选人未变化。"
    return f"已由“{recruitment.title}”的报名生成 {added} 名候选人。"


SECTION_ACTIONS = {
    "candidate_add": ("candidate", _candidate_add),
    "candidate_remove": ("candidate", _candidate_remove),
    "attachment_add": ("attachment", _attachment_add),
    "attachment_remove": ("attachment", _attachment_remove),
    "import_candidates": ("import", _import_candidates),
}


def _recruitments(event: VotingEvent):
    """Recruitments of the same institution whose sign-ups can become candidates."""
    return VotingEvent.objects.filter(
        institution_id=event.institution_id,
        kind=EventKind.RECRUITMENT,
        status__in=[EventStatus.CLOSED, EventStatus.PUBLISHED],
    ).order_by("-closes_at")


@GET_OR_POST
@staff_required(Role.OPERATOR)
def event_edit(request, event_id: int):
    event = selectors.access_event_by_id(request.user, event_id)
    if request.method == "GET" and event.status not in EDITABLE_STATUSES:
        messages.error(
            request, DomainError(E.NOT_EDITABLE, status=event.get_status_display()).message
        )
        return redirect("web:staff-event", event_id=event.pk)
    values = _event_values(event)
    errors: dict = {}
    anchor = ""
    if request.method == "POST":
        action = request.POST.get("action", "save")
        if action in ("save", "submit"):
            values = _form_values(request)
            try:
                event, errors = _save(request, event)
                if not errors and action == "submit":
                    event = authoring.event_submit(event=event, actor=actor_from_request(request))
            except DomainError as exc:
                errors = {exc.field or "form": exc.message}
            if not errors:
                if action == "submit":
                    messages.success(request, "已提交审核，等待专项工作组批准。")
                    return redirect("web:staff-event", event_id=event.pk)
                messages.success(request, "已保存。")
                return redirect("web:staff-event-edit", event_id=event.pk)
        elif action in SECTION_ACTIONS:
            section, handler = SECTION_ACTIONS[action]
            try:
                done = handler(request, event)
            except DomainError as exc:
                errors = {section: exc.message}
                anchor = section
            else:
                messages.success(request, done)
                url = reverse("web:staff-event-edit", args=[event.pk])
                return redirect(f"{url}#{section}")
        else:
            raise Http404("未知操作")
    event.refresh_from_db()
    recruitments = []
    if event.kind == EventKind.ELECTION:
        for recruitment in _recruitments(event):
            recruitment.approved = recruitment.signups.filter(status=SignUpStatus.APPROVED).count()
            recruitments.append(recruitment)
    context = {
        "event": event,
        "institution": event.institution,
        "values": values,
        "errors": errors,
        "anchor": anchor,
        "editable": event.status in EDITABLE_STATUSES,
        "candidates": list(event.candidates.all()),
        "attachments": list(event.attachments.all()),
        "recruitments": recruitments,
    }
    return _form_page(request, context, status=400 if errors else 200)


@require_GET
@staff_required()
def event_attachment(request, event_id: int, attachment_id: int):
    event = selectors.access_event_by_id(request.user, event_id)
    attachment = selectors.event_attachment(event, attachment_id)
    return attachment_response(attachment)


@require_GET
@staff_required()
def event_attachment_text(request, event_id: int, attachment_id: int):
    """A Word attachment as lenders read it on their phones, to check before submitting."""
    event = selectors.access_event_by_id(request.user, event_id)
    attachment = selectors.event_attachment(event, attachment_id)
    document_html = word_html(attachment)
    if document_html is None:
        raise Http404("该附件不是 Word 文档")
    context = {"event": event, "attachment": attachment, "document_html": document_html}
    return render(request, "web/staff/voting/attachment_text.html", context)


# --- Detail, review, publication ------------------------------------------------------------


@GET_OR_POST
@staff_required()
def event_detail(request, event_id: int):
    event = _brought_up_to_date(selectors.access_event_by_id(request.user, event_id))
    if request.method != "POST":
        return _detail(request, event)
    action = request.POST.get("action", "")
    if request.user.role != Role.WG_OFFICER or action not in ("approve", "return", "publish"):
        raise PermissionDenied("您的角色无权执行此操作")
    actor = actor_from_request(request)
    try:
        if action == "approve":
            authoring.event_approve(event=event, user=request.user, actor=actor)
            messages.success(request, "已批准。活动将在开始时间自动开始。")
        elif action == "return":
            authoring.event_return(
                event=event,
                user=request.user,
                comment=request.POST.get("comment", ""),
                actor=actor,
            )
            messages.success(request, "已退回经办人修改。")
        else:
            _publish(request, event)
    except DomainError as exc:
        event.refresh_from_db()
        field = exc.field if exc.field in ("comment",) else action
        return _detail(request, event, errors={field: exc.message}, status=exc.http_status)
    return redirect("web:staff-event", event_id=event.pk)


def _publish(request, event: VotingEvent) -> None:
    from winddown.voting.tasks import publish_task

    ready = EventStatus.COUNTED if event.is_ballot_event else EventStatus.CLOSED
    if event.status != ready:
        raise DomainError(E.WRONG_STATUS, status=event.get_status_display(), action="公布结果")
    result = publish_task.enqueue(event.pk, request.user.pk)
    if result.status == TaskResultStatus.FAILED:
        messages.error(request, "公布失败：结果包未通过自检，请联系系统管理员。")
    elif result.status == TaskResultStatus.SUCCESSFUL:
        messages.success(request, "结果已公布，并已通知出借人。")
    else:
        messages.success(request, "正在生成结果包并公布，完成后本页显示“已公布”。")


@require_GET
@staff_required()
def event_progress(request, event_id: int):
    """htmx: the live participation panel (every 10 s while the event is open)."""
    event = _brought_up_to_date(selectors.access_event_by_id(request.user, event_id))
    if event.status != EventStatus.OPEN:
        return render(request, "web/staff/voting/_progress_closed.html", {"event": event})
    return render(request, "web/staff/voting/_progress.html", _progress_context(event))


@GET_OR_POST
@staff_required()
def event_cancel(request, event_id: int):
    event = _brought_up_to_date(selectors.access_event_by_id(request.user, event_id))
    flags = _flags(request.user, event)
    if request.user.role not in (Role.OPERATOR, Role.WG_OFFICER):
        raise PermissionDenied("您的角色无权取消活动")
    if not flags["can_cancel"]:
        if event.status in FINAL:
            message = DomainError(
                E.WRONG_STATUS, status=event.get_status_display(), action="取消"
            ).message
        else:
            message = "活动已开始，只有专项工作组可以取消；请联系专项工作组。"
        messages.error(request, message)
        return redirect("web:staff-event", event_id=event.pk)
    was_open = event.status not in BEFORE_OPENING
    context = {"event": event, "institution": event.institution, "was_open": was_open}
    context["errors"], context["reason"] = {}, ""
    if request.method == "POST":
        context["reason"] = request.POST.get("reason", "")
        try:
            authoring.event_cancel(
                event=event,
                user=request.user,
                reason=context["reason"],
                actor=actor_from_request(request),
            )
        except DomainError as exc:
            context["errors"] = {exc.field or "form": exc.message}
        else:
            note = "，已通知全部有表决权的出借人" if was_open else ""
            messages.success(request, f"活动已取消{note}。")
            return redirect("web:staff-event", event_id=event.pk)
    status = 400 if context["errors"] else 200
    return render(request, "web/staff/voting/event_cancel.html", context, status=status)


# --- Sign-ups (recruitments) ----------------------------------------------------------------


@GET_OR_POST
@staff_required(*SIGNUP_ROLES)
def signup_list(request, event_id: int):
    event = _brought_up_to_date(selectors.access_event_by_id(request.user, event_id))
    if event.kind != EventKind.RECRUITMENT:
        raise Http404("该活动不是出借人代表征集")
    full = request.user.role in PII_FULL_VIEW_ROLES
    can_review = request.user.role == Role.WG_OFFICER and event.status in (
        EventStatus.CLOSED,
        EventStatus.PUBLISHED,
    )
    errors: dict = {}
    values: dict = {}
    if request.method == "POST":
        if not can_review:
            if request.user.role != Role.WG_OFFICER:
                raise PermissionDenied("只有专项工作组可以审核报名")
            messages.error(
                request,
                DomainError(
                    E.WRONG_STATUS,
                    status=event.get_status_display(),
                    action="审核报名（须在征集截止后）",
                ).message,
            )
            return redirect("web:staff-event-signups", event_id=event.pk)
        signup = selectors.access_signup_by_id(
            request.user, _positive_int(request.POST.get("signup")) or 0
        )
        if signup.event_id != event.pk:
            raise Http404("报名不存在")
        decision = request.POST.get("decision", "")
        try:
            if decision not in ("approve", "reject"):
                raise DomainError(E.SIGNUP_FIELD, field="decision", detail="请选择通过或不通过")
            signups.signup_review(
                signup=signup,
                approve=decision == "approve",
                reason=request.POST.get("reason", ""),
                user=request.user,
                actor=actor_from_request(request),
            )
        except DomainError as exc:
            errors[signup.pk] = exc.message
            values[signup.pk] = request.POST.get("reason", "")
        else:
            word = "通过" if decision == "approve" else "不通过"
            messages.success(request, f"已将“{signup.name}”的报名审核为{word}。")
            url = reverse("web:staff-event-signups", args=[event.pk])
            return redirect(f"{url}#signup-{signup.pk}")
    ring = keyring()
    rows = []
    for signup in selectors.event_signups(event).order_by("created_at"):
        id_number = ring.decrypt(signup.id_number_enc, purpose=keys.ID_NUMBER)
        phone = ring.decrypt(signup.phone_enc, purpose=keys.PHONE)
        rows.append(
            {
                "signup": signup,
                "id_number": id_number if full else mask_id_number(id_number),
                "phone": phone if full else mask_phone(phone),
                "error": errors.get(signup.pk, ""),
                "reason": values.get(signup.pk, signup.review_reason),
            }
        )
    if full and rows:  # shown in full: on a GET, and again with a refused review's errors
        record_event(
            actor=actor_from_request(request),
            action=AuditAction.PII_REVEALED,
            event=event,
            after={"signups": len(rows)},
        )
    return render(
        request,
        "web/staff/voting/signups.html",
        {
            "event": event,
            "institution": event.institution,
            "rows": rows,
            "can_review": can_review,
            "full": full,
        },
        status=400 if errors else 200,
    )


def _signup_file(request, signup_id: int, which: str):
    signup = selectors.access_signup_by_id(request.user, signup_id)
    path, content_type, name = signup.stored_file(which)
    if not path:
        raise Http404("没有文件")
    response = StreamingHttpResponse(
        private_files.read_decrypted(path, purpose=keys.ATTACHMENT_FILE),
        content_type=content_type,
    )
    inline = private_files.shows_inline(content_type)
    response["Content-Disposition"] = content_disposition_header(not inline, name)
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_GET
@staff_required(*SIGNUP_ROLES)
def signup_photo(request, signup_id: int):
    return _signup_file(request, signup_id, "photo")


@require_GET
@staff_required(*SIGNUP_ROLES)
def signup_resume(request, signup_id: int):
    return _signup_file(request, signup_id, "resume")


# --- Exports --------------------------------------------------------------------------------


def _export_refused(request, event: VotingEvent, exc: DomainError):
    messages.error(request, exc.message)
    return redirect("web:staff-event", event_id=event.pk)


def _download(data: bytes, content_type: str, filename: str, ascii_name: str) -> HttpResponse:
    from urllib.parse import quote

    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = (
        f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}"
    )
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
@staff_required()
def event_announcement(request, event_id: int):
    event = selectors.access_event_by_id(request.user, event_id)
    try:
        data = exports.announcement_pdf(event)
    except DomainError as exc:
        return _export_refused(request, event, exc)
    return _download(
        data,
        "application/pdf",
        f"{event.institution.short_name}-{event.pk}-表决结果公告.pdf",
        f"event-{event.pk}-announcement.pdf",
    )


@require_GET
@staff_required(*ROSTER_ROLES)
def event_roster(request, event_id: int):
    event = selectors.access_event_by_id(request.user, event_id)
    try:
        data = exports.export_roster(
            event=event, user=request.user, actor=actor_from_request(request)
        )
    except DomainError as exc:
        return _export_refused(request, event, exc)
    return _download(
        data,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        f"{event.institution.short_name}-{event.pk}-投票名册.xlsx",
        f"event-{event.pk}-roster.xlsx",
    )
