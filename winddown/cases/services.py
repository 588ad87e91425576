"""Writes for reports to the association (举报办法 第五条–第十三条; spec D): filing online,
recording phone/e-mail/letter reports, the daily limit, repeats, acceptance, investigation,
decision, the institution's notice and answer, escalations, feedback, archiving, and the
designation of complaint handlers. One transaction each; every step writes an audit row and
a timeline step. The reporter is never named in either: the audit log and the timeline say
"举报人-XXXXXX" (the pseudonym), and only :class:`ReporterIdentity` holds who it is.

About 900 lines, kept whole: one report's life (filing, the limit, repeats, every handling
step, the deadlines they set and the daily task that reads them) shares ``_create``,
``_refresh_due`` and ``_log``; complaints, discipline, the committee and inspections are
their own modules. Split by job (as voting/services/) when it grows further."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import IntegrityError, models, transaction
from django.utils import timezone

from winddown.accounts.roles import Role
from winddown.audit.services import Actor, record
from winddown.calendar import UnconfirmedYear
from winddown.cases import clock, policies
from winddown.cases.audit_actions import CasesAction
from winddown.cases.errors import CasesErrorCode as E
from winddown.cases.models import (
    CaseOfficer,
    CaseStep,
    Channel,
    ComplaintStatus,
    DueKind,
    LenderComplaint,
    Outcome,
    RejectReason,
    Report,
    ReportCategory,
    ReporterDay,
    ReporterIdentity,
    ReporterType,
    ReportEvidence,
    ReportStatus,
)
from winddown.core import private_files
from winddown.core.errors import DomainError
from winddown.core.providers import ProviderError
from winddown.core.providers.sms import sms_sender
from winddown.pii.idnumbers import IdNumberError, normalize_resident_id
from winddown.pii.normalize import clean_text
from winddown.pii.phones import PhoneError, normalize_mobile
from winddown.workdays.selectors import add_working_days

if TYPE_CHECKING:
    from winddown.accounts.models import User
    from winddown.identity.models import Lender
    from winddown.institutions.models import Institution

DAILY_LIMIT = 3  # 第五条2
FACTS_MIN, FACTS_MAX = 10, 5000
EVIDENCE_MAX_FILES = 10
REPEAT_LOOKBACK = 50  # earlier reports of the same reporter and institution compared


def today() -> date:
    """The natural day in Asia/Shanghai (TIME_ZONE), the day of the daily limit (I‑36)."""
    return timezone.localdate()


# --- Designated officers (第二条 "协会设立专人") ------------------------------------------------


@transaction.atomic
def officer_designate(*, user: User, designation: str, actor: Actor) -> CaseOfficer:
    if user.role != Role.ASSOCIATION_OFFICER:
        raise DomainError(E.USER_NOT_OFFICER, role=user.get_role_display())
    officer, created = CaseOfficer.objects.get_or_create(
        user=user, designation=designation, defaults={"designated_by": actor.label[:200]}
    )
    if created:
        record(
            actor=actor,
            action=CasesAction.HANDLER_DESIGNATED,
            obj=officer,
            after={"user": user.username, "designation": designation},
        )
    return officer


@transaction.atomic
def officer_revoke(*, user: User, designation: str, actor: Actor) -> None:
    deleted, _ = CaseOfficer.objects.filter(user=user, designation=designation).delete()
    if deleted:
        record(
            actor=actor,
            action=CasesAction.HANDLER_REVOKED,
            object_type="cases.caseofficer",
            object_id=user.pk,
            after={"user": user.username, "designation": designation},
        )


# --- Filing ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReporterIn:
    """Who reports. Empty name and ID number: anonymous (registered, not accepted: I‑37)."""

    name: str = ""
    id_number: str = ""
    phone: str = ""
    contact: str = ""
    lender: Lender | None = None


def _clean_reporter(reporter: ReporterIn, *, required: bool) -> ReporterIn:
    name = clean_text(reporter.name or "").strip()[:50]
    raw_id = (reporter.id_number or "").strip()
    raw_phone = (reporter.phone or "").strip()
    if required and not name:
        raise DomainError(E.NAME_REQUIRED, field="name")
    id_number = ""
    if raw_id or required:
        try:
            id_number = normalize_resident_id(raw_id)
        except IdNumberError as exc:
            raise DomainError(E.ID_NUMBER_INVALID, field="id_number", detail=str(exc)) from None
    phone = ""
    if raw_phone:
        try:
            phone = normalize_mobile(raw_phone)
        except PhoneError as exc:
            raise DomainError(E.PHONE_INVALID, field="phone", detail=str(exc)) from None
    if id_number and not name:
        raise DomainError(E.NAME_REQUIRED, field="name")
    return ReporterIn(
        name=name,
        id_number=id_number,
        phone=phone,
        contact=clean_text(reporter.contact or "")[:200],
        lender=reporter.lender,
    )


def _clean_categories(categories) -> list[str]:
    values = []
    for raw in categories or []:
        value = str(raw).strip().upper()
        if value not in ReportCategory.values:
            raise DomainError(E.CATEGORY_INVALID, field="categories", value=str(raw)[:20])
        if value not in values:
            values.append(value)
    if not values:
        raise DomainError(E.CATEGORY_REQUIRED, field="categories")
    return sorted(values)


def _clean_facts(facts: str) -> str:
    facts = clean_text(facts or "").strip()
    if not FACTS_MIN <= len(facts) <= FACTS_MAX:
        raise DomainError(E.FACTS_REQUIRED, field="facts", low=FACTS_MIN, high=FACTS_MAX)
    return facts


def _store_evidence(files) -> list[private_files.StoredUpload]:
    files = list(files or [])
    if len(files) > EVIDENCE_MAX_FILES:
        raise DomainError(E.EVIDENCE_TOO_MANY, field="evidence", limit=EVIDENCE_MAX_FILES)
    stored: list[private_files.StoredUpload] = []
    try:
        for position, upload in enumerate(files, start=1):
            try:
                stored.append(
                    ReportEvidence.file.store_upload(
                        upload, limit_bytes=settings.ATTACHMENT_MAX_BYTES, allow_word=True
                    )
                )
            except private_files.AttachmentError as exc:
                raise DomainError(
                    E.EVIDENCE_INVALID,
                    field="evidence",
                    position=position,
                    name=clean_text(upload.name or "附件")[:60],
                    detail=str(exc),
                ) from None
    except BaseException:
        for item in stored:
            private_files.delete(item.path)
        raise
    return stored


def _reporter_actor(report: Report) -> Actor:
    """The audit log's actor for the reporter's own acts: the pseudonym, not the account
    (whose label carries the phone number) nor the address (kept in ReporterIdentity)."""
    return Actor(user_id=None, label=report.pseudonym)


def _step(
    report: Report, *, action: CasesAction, actor_label: str, note: str = "", visible=False
) -> None:
    CaseStep.objects.create(
        report=report,
        actor_label=actor_label[:200],
        action=str(action),
        note=note,
        institution_visible=visible,
    )


def _log(
    report: Report,
    action: CasesAction,
    actor: Actor,
    *,
    note: str = "",
    visible: bool = False,
    after: dict | None = None,
) -> None:
    record(
        actor=actor,
        action=action,
        obj=report,
        institution_id=report.institution_id,
        after={"number": report.number, "status": report.status, **(after or {})},
    )
    _step(report, action=action, actor_label=actor.label, note=note, visible=visible)


def create_numbered(model, prefix: str, year: int, **fields):
    """Create a row numbered ``<prefix><year>-000001`` onwards (JB: reports, CJ: discipline,
    JC: inspections). Two writers may read the same last number; the unique constraint
    refuses the second, which takes the next one (in a savepoint, a few times)."""
    for _attempt in range(5):
        last = (
            model.objects.filter(number__startswith=f"{prefix}{year}-")
            .order_by("-number")
            .values_list("number", flat=True)
            .first()
        )
        seq = int(last.rsplit("-", 1)[1]) + 1 if last else 1
        try:
            with transaction.atomic():
                return model.objects.create(number=f"{prefix}{year}-{seq:06d}", **fields)
        except IntegrityError:
            continue
    raise IntegrityError(f"no free {prefix} number after 5 attempts")


def _count_today(reporter_index: str, day: date) -> None:
    """Count one report of this reporter today, refusing a fourth (第五条2; I‑36)."""
    counter, _ = ReporterDay.objects.select_for_update().get_or_create(
        reporter_index=reporter_index, day=day
    )
    if counter.count >= DAILY_LIMIT:
        raise DomainError(E.DAILY_LIMIT, limit=DAILY_LIMIT)
    counter.count += 1
    counter.save(update_fields=["count"])


def _original_of(institution_id: int, reporter_index: str, facts: str) -> Report | None:
    """The earlier report this one repeats: same reporter, same institution, similar facts
    (第五条3). The root of a chain of repeats."""
    earlier = Report.objects.filter(
        reporter_index=reporter_index, institution_id=institution_id
    ).order_by("-id")[:REPEAT_LOOKBACK]
    for candidate in earlier:
        if clock.similar(candidate.facts, facts):
            return candidate.repeat_of or candidate
    return None


def _create(
    *,
    institution: Institution | None,
    channel: str,
    reporter_type: str,
    categories,
    facts: str,
    evidence_text: str,
    evidence_files,
    reporter: ReporterIn,
    received_on: date,
    recorded_by: User | None,
    handler_opinion: str,
    actor: Actor,
) -> Report:
    if institution is None:
        raise DomainError(E.INSTITUTION_REQUIRED, field="institution")
    categories = _clean_categories(categories)
    facts = _clean_facts(facts)
    if reporter_type not in ReporterType.values:
        reporter_type = ReporterType.PUBLIC
    identity = ReporterIdentity()
    if reporter.id_number:
        identity.id_number = reporter.id_number
    reporter_index = identity.id_index or ""
    stored = _store_evidence(evidence_files)
    try:
        try:
            with transaction.atomic():
                day = today()
                if reporter_index:
                    _count_today(reporter_index, day)
                original = (
                    _original_of(institution.pk, reporter_index, facts) if reporter_index else None
                )
                report = create_numbered(
                    Report,
                    "JB",
                    received_on.year,
                    institution=institution,
                    channel=channel,
                    reporter_type=reporter_type,
                    categories=categories,
                    facts=facts,
                    evidence_text=clean_text(evidence_text or "")[:2000],
                    received_on=received_on,
                    recorded_by=recorded_by,
                    reporter_index=reporter_index,
                    has_contact=bool(reporter.phone or reporter.contact),
                    repeat_of=original,
                    handler_opinion=clean_text(handler_opinion or "")[:2000],
                )
                identity.report = report
                identity.lender = reporter.lender
                identity.name = reporter.name
                identity.phone = reporter.phone
                identity.contact = reporter.contact
                identity.source_ip = "" if recorded_by else actor.source_ip[:64]
                identity.save()
                ReportEvidence.objects.bulk_create(
                    ReportEvidence(
                        report=report, path=s.path, name=s.name, content_type=s.content_type
                    )
                    for s in stored
                )
                filer = actor if recorded_by else _reporter_actor(report)
                _log(
                    report,
                    CasesAction.REPORT_RECORDED if recorded_by else CasesAction.REPORT_FILED,
                    filer,
                    note=f"{report.get_channel_display()}；类别 {'、'.join(categories)}",
                    after={"channel": channel, "evidence": len(stored)},
                )
                system = Actor.system("投诉举报受理规则")
                if original is not None:
                    # A repeat cannot change the earlier outcome (第五条3): closed, linked.
                    _close_rejected(
                        report, RejectReason.DUPLICATE, system, f"重复 {original.number}"
                    )
                    _step(
                        original,
                        action=CasesAction.REPORT_REPEATED,
                        actor_label=system.label,
                        note=f"收到同一举报人的重复举报 {report.number}，不改变本案处理",
                    )
                elif not reporter_index:
                    _close_rejected(report, RejectReason.NOT_REAL_NAME, system, "非实名（I‑37）")
                else:
                    _refresh_due(report)
                    report.save()
        except DomainError as exc:
            if exc.error_code is E.DAILY_LIMIT:
                with transaction.atomic():
                    record(
                        actor=actor if recorded_by else Actor(None, "举报人"),
                        action=CasesAction.REPORT_REFUSED,
                        object_type="cases.report",
                        object_id=reporter_index[:12],
                        institution_id=institution.pk,
                        after={"reason": "daily_limit", "limit": DAILY_LIMIT},
                    )
            raise
    except BaseException:
        for item in stored:
            private_files.delete(item.path)
        raise
    return report


def _close_rejected(report: Report, reason: str, actor: Actor, note: str) -> None:
    report.status = ReportStatus.REJECTED
    report.reject_reason = reason
    report.rejected_on = today()
    _refresh_due(report)
    report.save()
    action = (
        CasesAction.REPORT_REPEATED
        if reason == RejectReason.DUPLICATE
        else (CasesAction.REPORT_REJECTED)
    )
    _log(report, action, actor, note=note, after={"reason": reason})


def report_file(
    *,
    lender: Lender,
    institution: Institution | None,
    categories,
    facts: str,
    evidence_text: str = "",
    evidence_files=(),
    reporter_type: str = ReporterType.LENDER,
    name: str = "",
    id_number: str = "",
    actor: Actor,
) -> Report:
    """A report filed online by a signed-in person (I‑38: handled like e-mail). A verified
    lender reports under their verified identity; anyone else gives name and ID number and
    is reached on the mobile number they signed in with."""
    if lender.is_verified:
        reporter = ReporterIn(
            name=lender.real_name,
            id_number=lender.id_number.value,
            phone=lender.phone.value,
            lender=lender,
        )
    else:
        reporter = _clean_reporter(
            ReporterIn(name=name, id_number=id_number, phone=lender.phone.value, lender=lender),
            required=True,
        )
        reporter_type = reporter_type if reporter_type != ReporterType.LENDER else "public"
    return _create(
        institution=institution,
        channel=Channel.ONLINE,
        reporter_type=reporter_type,
        categories=categories,
        facts=facts,
        evidence_text=evidence_text,
        evidence_files=evidence_files,
        reporter=reporter,
        received_on=today(),
        recorded_by=None,
        handler_opinion="",
        actor=actor,
    )


def report_record(
    *,
    user: User,
    channel: str,
    institution: Institution | None,
    categories,
    facts: str,
    received_on: date,
    reporter_type: str = ReporterType.PUBLIC,
    name: str = "",
    id_number: str = "",
    phone: str = "",
    contact: str = "",
    evidence_text: str = "",
    evidence_files=(),
    handler_opinion: str = "",
    actor: Actor,
) -> Report:
    """A handler records a report that came by phone, e-mail or letter, with the fields of
    the 《投诉举报信息处理单》 (第八条–第十条; spec D.7)."""
    if refusal := policies.handler_refusal(user):
        raise refusal
    if channel not in (Channel.PHONE, Channel.EMAIL, Channel.LETTER):
        raise DomainError(E.CHANNEL_INVALID, field="channel", value=str(channel)[:20])
    reporter = _clean_reporter(
        ReporterIn(name=name, id_number=id_number, phone=phone, contact=contact), required=False
    )
    return _create(
        institution=institution,
        channel=channel,
        reporter_type=reporter_type,
        categories=categories,
        facts=facts,
        evidence_text=evidence_text,
        evidence_files=evidence_files,
        reporter=reporter,
        received_on=received_on,
        recorded_by=user,
        handler_opinion=handler_opinion,
        actor=actor,
    )


# --- Handling -------------------------------------------------------------------------------


def _add(d: date | None, n: int) -> date | None:
    """The ``n``-th working day after ``d``, or None while the year it falls in is not
    confirmed (the calendar never guesses a year: workdays.selectors); the daily task
    computes it once the year is entered."""
    if d is None:
        return None
    try:
        return add_working_days(d, n)
    except UnconfirmedYear:
        return None


def _refresh_due(report: Report) -> None:
    """Compute the deadlines from their anchors (working days; spec D.6, I‑40–I‑44) and set
    the one the case now waits for; a new deadline clears its warning and its mark."""
    report.acceptance_due = _add(report.received_on, clock.ACCEPT_DAYS)
    report.start_due = _add(report.accepted_on, clock.START_DAYS)
    # Each continuation adds 60 working days to the last deadline (I‑42): from the start,
    # that is 60 × (1 + continuations).
    report.end_due = _add(report.started_on, clock.END_DAYS * (1 + report.extensions))
    report.decision_due = _add(report.ended_on, clock.DECIDE_DAYS)
    report.answer_due = _add(report.notified_on, report.answer_days)
    report.feedback_due = _add(report.decided_on or report.rejected_on, clock.FEEDBACK_DAYS)
    pending = clock.pending_deadline(
        status=report.status,
        acceptance_due=report.acceptance_due,
        start_due=report.start_due,
        end_due=report.end_due,
        decision_due=report.decision_due,
        answer_due=report.answer_due,
        answered=report.answered_on is not None,
        feedback_due=report.feedback_due,
        feedback_sent=report.feedback_on is not None,
    )
    kind, due = (pending.kind, pending.due) if pending else ("", None)
    if (kind, due) != (report.next_due_kind, report.next_due):
        report.warned_kind = report.missed_kind = ""
    report.next_due_kind, report.next_due = kind, due
    report.is_open = report.status != ReportStatus.ARCHIVED


def _locked(report: Report, step: str, user: User) -> Report:
    if step != "answer" and (refusal := policies.handler_refusal(user)):
        raise refusal
    locked = Report.objects.select_for_update().get(pk=report.pk)
    if step != "answer" and (refusal := policies.step_refusal(locked, step)):
        raise refusal
    return locked


def _text(value: str, label: str, *, required: bool = True, limit: int = 5000) -> str:
    value = clean_text(value or "").strip()
    if required and not value:
        raise DomainError(E.TEXT_REQUIRED, field="text", label=label)
    return value[:limit]


@transaction.atomic
def report_accept(*, report: Report, user: User, opinion: str = "", actor: Actor) -> Report:
    """受理 (第六条, 第十三条1–2): the 10-working-day clock to start begins (第十三条3)."""
    report = _locked(report, "accept", user)
    report.status = ReportStatus.ACCEPTED
    report.accepted_on = today()
    if opinion:
        report.handler_opinion = _text(opinion, "经办人处理意见")
    _refresh_due(report)
    report.save()
    _log(report, CasesAction.REPORT_ACCEPTED, actor, note=f"调查应于 {report.start_due} 前开展")
    return report


@transaction.atomic
def report_reject(*, report: Report, user: User, reason: str, opinion: str, actor: Actor) -> Report:
    if reason not in RejectReason.values or reason == RejectReason.DUPLICATE:
        raise DomainError(E.REASON_REQUIRED, field="reason")
    report = _locked(report, "reject", user)
    report.handler_opinion = _text(opinion, "经办人处理意见")
    _close_rejected(report, reason, actor, RejectReason(reason).label)
    return report


@transaction.atomic
def investigation_start(*, report: Report, user: User, actor: Actor) -> Report:
    report = _locked(report, "start", user)
    report.status = ReportStatus.INVESTIGATING
    report.started_on = today()
    _refresh_due(report)
    report.save()
    _log(report, CasesAction.INVESTIGATION_STARTED, actor, note=f"应于 {report.end_due} 前终结")
    return report


@transaction.atomic
def investigation_extend(*, report: Report, user: User, stage_report: str, actor: Actor) -> Report:
    """第十三条6: a stage report, then the secretary-general continues the investigation
    (+60 working days each time, I‑42)."""
    if not policies.is_secretary_general(user):
        raise DomainError(E.NOT_SECRETARY_GENERAL)
    stage_report = clean_text(stage_report or "").strip()
    if not stage_report:
        raise DomainError(E.STAGE_REPORT_REQUIRED, field="stage_report")
    report = Report.objects.select_for_update().get(pk=report.pk)
    if refusal := policies.step_refusal(report, "extend"):
        raise refusal
    report.stage_report = stage_report[:5000]
    report.extensions += 1
    _refresh_due(report)
    report.save()
    _log(
        report,
        CasesAction.INVESTIGATION_EXTENDED,
        actor,
        note=f"第{report.extensions}次继续调查，新的终结期限 {report.end_due}",
    )
    return report


@transaction.atomic
def investigation_end(*, report: Report, user: User, findings: str, actor: Actor) -> Report:
    report = _locked(report, "end", user)
    report.findings = _text(findings, "调查结论")
    report.status = ReportStatus.INVESTIGATED
    report.ended_on = today()
    _refresh_due(report)
    report.save()
    _log(report, CasesAction.INVESTIGATION_ENDED, actor, note=f"应于 {report.decision_due} 前决定")
    return report


@transaction.atomic
def report_decide(
    *, report: Report, user: User, outcome: str, decision_text: str, actor: Actor
) -> Report:
    """处理决定 (第十三条7–8): a sanction follows the 惩戒办法 procedure."""
    if outcome not in Outcome.values:
        raise DomainError(E.OUTCOME_INVALID, field="outcome")
    report = _locked(report, "decide", user)
    report.outcome = outcome
    report.decision_text = _text(decision_text, "处理结果")
    report.status = ReportStatus.DECIDED
    report.decided_on = today()
    _refresh_due(report)
    report.save()
    _log(report, CasesAction.REPORT_DECIDED, actor, note=Outcome(outcome).label, visible=True)
    return report


def masked_notice(report: Report) -> str:
    """The facts as the institution may read them: the reporter's name, phone and ID number
    taken out wherever they appear (第十二条, 第十三条11)."""
    identity = ReporterIdentity.objects.filter(report=report).first()
    secrets = []
    if identity is not None:
        secrets = [identity.name.value, identity.phone.value, identity.id_number.value]
    return clock.redact(report.facts, secrets)


@transaction.atomic
def institution_notify(
    *,
    report: Report,
    user: User,
    notice_text: str = "",
    answer_days: int = clock.ANSWER_DAYS,
    actor: Actor,
) -> Report:
    """Tell the institution what it is reported for, without any of the reporter's
    information (第十三条11), and by when it must answer or rectify."""
    if not 1 <= int(answer_days) <= 60:
        raise DomainError(E.ANSWER_DAYS_INVALID, field="answer_days")
    report = _locked(report, "notify", user)
    text = clean_text(notice_text or "").strip() or report.facts
    identity = ReporterIdentity.objects.filter(report=report).first()
    secrets = (
        [identity.name.value, identity.phone.value, identity.id_number.value] if identity else []
    )
    report.notice_text = clock.redact(text, secrets)[:5000]
    report.notified_on = today()
    report.answer_days = int(answer_days)
    report.answered_on = None
    _refresh_due(report)
    report.save()
    _log(
        report,
        CasesAction.INSTITUTION_NOTIFIED,
        actor,
        note=f"请于 {report.answer_due} 前答复或整改",
        visible=True,
    )
    return report


@transaction.atomic
def institution_answer(*, report: Report, user: User, answer: str, actor: Actor) -> Report:
    """The institution answers or reports its rectification (第十三条11). The caller has
    checked the institution boundary (cases.access)."""
    if user.role != Role.OPERATOR:
        raise DomainError(E.NOT_OPERATOR)
    report = Report.objects.select_for_update().get(pk=report.pk)
    if report.notified_on is None:
        raise DomainError(E.NOT_NOTIFIED, action="答复")
    if report.answered_on is not None:
        raise DomainError(E.ALREADY_ANSWERED)
    report.answer_text = _text(answer, "答复或整改情况")
    report.answered_on = today()
    _refresh_due(report)
    report.save()
    _log(report, CasesAction.INSTITUTION_ANSWERED, actor, note="机构已答复", visible=True)
    return report


@transaction.atomic
def report_publish(*, report: Report, user: User, note: str, actor: Actor) -> Report:
    """曝光 an institution that did not answer or rectify in time (第十三条11)."""
    report = _locked(report, "publish", user)
    report.published_on = today()
    report.save(update_fields=["published_on"])
    _log(report, CasesAction.REPORT_PUBLISHED, actor, note=_text(note, "曝光说明"), visible=True)
    return report


@transaction.atomic
def report_refer(*, report: Report, user: User, note: str, actor: Actor) -> Report:
    """通知执法机关依法查处 an institution that refuses to act (第十三条11)."""
    report = _locked(report, "refer", user)
    report.referred_on = today()
    report.save(update_fields=["referred_on"])
    _log(report, CasesAction.REPORT_REFERRED, actor, note=_text(note, "移送说明"), visible=True)
    return report


@transaction.atomic
def feedback_send(*, report: Report, user: User, text: str, actor: Actor) -> Report:
    """第十三条9: the result goes to a reporter who left contact details, whatever it is;
    the reporter reads it on their page and gets an SMS."""
    report = _locked(report, "feedback", user)
    report.feedback_text = _text(text, "反馈情况")
    report.feedback_on = today()
    _refresh_due(report)
    report.save()
    _log(report, CasesAction.FEEDBACK_SENT, actor)
    identity = ReporterIdentity.objects.filter(report=report).first()
    phone = identity.phone.value if identity else ""
    if phone:
        number = report.number
        transaction.on_commit(lambda: _sms_feedback(phone, number))
    return report


def _sms_feedback(phone: str, number: str) -> None:
    with contextlib.suppress(ProviderError):
        sms_sender().send_notice(
            phone=phone,
            template="【网贷退出平台】您的举报{number}已有处理结果，请登录查看。",
            params={"number": number},
        )


@transaction.atomic
def report_archive(*, report: Report, user: User, actor: Actor) -> Report:
    """第十三条10: all the materials are kept in the case file (retention I‑45)."""
    report = _locked(report, "archive", user)
    report.status = ReportStatus.ARCHIVED
    report.archived_on = today()
    _refresh_due(report)
    report.save()
    _log(report, CasesAction.REPORT_ARCHIVED, actor)
    return report


@transaction.atomic
def report_mark_malicious(*, report: Report, user: User, reason: str, actor: Actor) -> Report:
    """第五条4: a flag with a reason, kept for a possible referral."""
    if refusal := policies.handler_refusal(user):
        raise refusal
    report = Report.objects.select_for_update().get(pk=report.pk)
    report.malicious_reason = _text(reason, "恶意举报的理由", limit=2000)
    report.save(update_fields=["malicious_reason"])
    _log(report, CasesAction.REPORT_MARKED_MALICIOUS, actor)
    return report


def reporter_reveal(*, report: Report, user: User, actor: Actor) -> ReporterIdentity:
    """The reporter's identity for a designated handler, audited each time (D.5: "access to
    the identity is logged"); anyone else is refused, and the attempt audited."""
    if refusal := policies.handler_refusal(user):
        with transaction.atomic():
            record(
                actor=actor,
                action=CasesAction.REPORTER_REVEAL_REFUSED,
                obj=report,
                institution_id=report.institution_id,
            )
        raise refusal
    with transaction.atomic():
        record(
            actor=actor,
            action=CasesAction.REPORTER_REVEALED,
            obj=report,
            institution_id=report.institution_id,
        )
        return ReporterIdentity.objects.get(report=report)


# --- The daily deadline task ----------------------------------------------------------------


@dataclass(frozen=True)
class Sweep:
    day: date
    recomputed: int
    warned: int
    missed: int


SWEEP_CHUNK = 5000


def _chunks(items: list, size: int = SWEEP_CHUNK):
    for start in range(0, len(items), size):
        yield items[start : start + size]


def deadlines_sweep(*, day: date | None = None, actor: Actor | None = None) -> Sweep:
    """The daily task (``manage.py cases_deadlines``, ``tasks.cases_deadlines_task``):

    * computes the deadlines that waited for a year of the calendar to be confirmed;
    * warns every open case whose deadline falls within ``clock.WARN_DAYS`` working days
      (once per deadline);
    * marks missed every open case whose deadline has passed (once per deadline).

    Idempotent: run twice the same day it changes nothing the second time. Set-based (one
    UPDATE per chunk of 5,000 cases and the timeline rows in bulk) so that 100,000 open
    cases take seconds; one audit row records the run with its counts and the cases."""
    day = day or today()
    actor = actor or Actor.system("每日期限检查")
    recomputed = 0
    with transaction.atomic():
        waiting = (
            Report.objects.select_for_update()
            .filter(is_open=True, next_due__isnull=True)
            .exclude(status=ReportStatus.ARCHIVED)
        )
        for report in waiting.iterator(chunk_size=1000):
            before = (report.next_due_kind, report.next_due)
            _refresh_due(report)
            if (report.next_due_kind, report.next_due) != before:
                report.save()
                recomputed += 1
    try:
        horizon = add_working_days(day, clock.WARN_DAYS)
    except UnconfirmedYear:
        horizon = day
    warned = _mark(
        Report.objects.filter(is_open=True, next_due__gte=day, next_due__lte=horizon).exclude(
            warned_kind=models.F("next_due_kind")
        ),
        field="warned_kind",
        action=CasesAction.DEADLINE_WARNED,
        actor=actor,
        note="期限 {due} 临近（{kind}）",
    )
    missed = _mark(
        Report.objects.filter(is_open=True, next_due__lt=day).exclude(
            missed_kind=models.F("next_due_kind")
        ),
        field="missed_kind",
        action=CasesAction.DEADLINE_MISSED,
        actor=actor,
        note="期限 {due} 已过（{kind}），已标记逾期",
    )
    from winddown.cases.discipline import discipline_sweep
    from winddown.cases.inspections import rectifications_sweep

    defences_waived, decisions_closed = discipline_sweep(day=day, actor=actor)
    rectifications_overdue = rectifications_sweep(day=day)
    complaints_overdue = LenderComplaint.objects.filter(
        status=ComplaintStatus.OPEN, answer_due__lt=day, overdue=False
    ).update(overdue=True)
    with transaction.atomic():
        record(
            actor=actor,
            action=CasesAction.DEADLINES_SWEPT,
            object_type="cases.report",
            object_id=day.isoformat(),
            after={
                "day": day.isoformat(),
                "recomputed": recomputed,
                "warned": len(warned),
                "missed": len(missed),
                "complaints_overdue": complaints_overdue,
                "defences_waived": defences_waived,
                "discipline_closed": decisions_closed,
                "rectifications_overdue": rectifications_overdue,
                # The cases themselves (first 10,000 of each; every one has a timeline row).
                "warned_ids": warned[:10_000],
                "missed_ids": missed[:10_000],
            },
        )
    return Sweep(day=day, recomputed=recomputed, warned=len(warned), missed=len(missed))


def _mark(rows, *, field: str, action: CasesAction, actor: Actor, note: str) -> list[int]:
    found = list(rows.values_list("id", "next_due_kind", "next_due"))
    labels = dict(DueKind.choices)
    for chunk in _chunks(found):
        with transaction.atomic():
            ids = [row[0] for row in chunk]
            update = {field: models.F("next_due_kind")}
            if field == "missed_kind":
                update["missed_count"] = models.F("missed_count") + 1
            Report.objects.filter(pk__in=ids).update(**update)
            CaseStep.objects.bulk_create(
                CaseStep(
                    report_id=report_id,
                    actor_label=actor.label,
                    action=str(action),
                    note=note.format(due=due, kind=labels.get(kind, kind)),
                    institution_visible=kind == DueKind.ANSWER,
                )
                for report_id, kind, due in chunk
            )
    return [row[0] for row in found]
