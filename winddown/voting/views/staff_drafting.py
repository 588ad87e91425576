"""Staff console: operators draft events (fields, rule, candidates, attachments) and
submit them for review."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.contrib import messages
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from winddown.accounts.permissions import staff_required
from winddown.accounts.roles import Role
from winddown.audit.services import actor_from_request
from winddown.core.errors import DomainError
from winddown.core.params import id_param
from winddown.institutions.selectors import access_institution_by_id
from winddown.rules import RULES, get_rule
from winddown.voting import files, policies, selectors
from winddown.voting.errors import VotingErrorCode as E
from winddown.voting.models import (
    EDITABLE_STATUSES,
    EventKind,
    EventStatus,
    SignUpStatus,
    VotingEvent,
)
from winddown.voting.services import authoring, signups
from winddown.voting.views.attachments import word_html
from winddown.voting.views.staff_common import (
    GET_OR_POST,
    SHANGHAI,
    positive_int,
)

INPUT_FORMAT = "%Y-%m-%dT%H:%M"


# Rule parameters in words (winddown.rules describes them in English for developers).
PARAM_CHOICES = {
    "basis": ("计票依据", {"heads": "按人数（每人一票）", "weight": "按未偿还本金（权重）"}),
}


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
        "seats": positive_int(values["seats"]),
        "max_choices": positive_int(values["max_choices"]),
        "opens_at": opens_at,
        "closes_at": closes_at,
    }
    return args, errors


def _form_page(request, context: dict, status: int = 200):
    context.setdefault("rules", _rules(context["values"].get("params")))
    context.setdefault("kinds", EventKind.choices)
    return render(request, "voting/staff/event_form.html", context, status=status)


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
                return redirect("voting:staff-event-edit", event_id=event.pk)
    return _form_page(request, context, status=400 if context["errors"] else 200)


def _save(request, event: VotingEvent) -> tuple[VotingEvent, dict]:
    values = _form_values(request)
    args, errors = _service_args(values)
    if errors:
        return event, errors
    updated = authoring.event_update(
        event=event, user=request.user, actor=actor_from_request(request), **args
    )
    return updated, {}


def _candidate_add(request, event):
    authoring.candidate_add(
        event=event,
        user=request.user,
        name=request.POST.get("name", ""),
        description=request.POST.get("description", ""),
    )
    return "已添加候选人。"


def _candidate_remove(request, event):
    candidate = event.candidates.filter(
        pk=id_param(request.POST.get("candidate"), label="候选人")
    ).first()
    if candidate is None:
        raise Http404("候选人不存在")
    authoring.candidate_remove(candidate=candidate, user=request.user)
    return f"已删除候选人“{candidate.name}”。"


def _attachment_add(request, event):
    upload = request.FILES.get("attachment")
    if upload is None:
        raise DomainError(E.ATTACHMENT_INVALID, field="attachment", detail="请选择要上传的附件")
    authoring.attachment_add(
        event=event, user=request.user, upload=upload, actor=actor_from_request(request)
    )
    return f"已上传附件“{upload.name}”。"


def _attachment_remove(request, event):
    attachment = event.attachments.filter(
        pk=id_param(request.POST.get("attachment"), label="附件")
    ).first()
    if attachment is None:
        raise Http404("附件不存在")
    authoring.attachment_remove(
        attachment=attachment, user=request.user, actor=actor_from_request(request)
    )
    return f"已删除附件“{attachment.name}”。"


def _import_candidates(request, event):
    recruitment = (
        _recruitments(event)
        .filter(pk=id_param(request.POST.get("recruitment"), label="征集活动"))
        .first()
    )
    if recruitment is None:
        raise DomainError(E.NOT_RECRUITMENT)
    added = signups.candidates_from_signups(
        election=event,
        recruitment=recruitment,
        user=request.user,
        actor=actor_from_request(request),
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
        return redirect("voting:staff-event", event_id=event.pk)
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
                    event = authoring.event_submit(
                        event=event, user=request.user, actor=actor_from_request(request)
                    )
            except DomainError as exc:
                errors = {exc.field or "form": exc.message}
            if not errors:
                if action == "submit":
                    messages.success(request, "已提交审核，等待专项工作组批准。")
                    return redirect("voting:staff-event", event_id=event.pk)
                messages.success(request, "已保存。")
                return redirect("voting:staff-event-edit", event_id=event.pk)
        elif action in SECTION_ACTIONS:
            section, handler = SECTION_ACTIONS[action]
            try:
                done = handler(request, event)
            except DomainError as exc:
                errors = {section: exc.message}
                anchor = section
            else:
                messages.success(request, done)
                url = reverse("voting:staff-event-edit", args=[event.pk])
                return redirect(f"{url}#{section}")
        else:
            raise Http404("未知操作")
    event.refresh_from_db()
    recruitments = []
    if event.kind == EventKind.ELECTION:
        approved = Count("signups", filter=Q(signups__status=SignUpStatus.APPROVED))
        recruitments = list(_recruitments(event).annotate(approved_count=approved))
    context = {
        "event": event,
        "institution": event.institution,
        "values": values,
        "errors": errors,
        "anchor": anchor,
        "editable": policies.can_edit(request.user, event),
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
    return files.attachment_original(attachment)


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
    return render(request, "voting/staff/attachment_text.html", context)
