"""Reads for voting pages and the API."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Count, Q, QuerySet, Sum
from django.http import Http404
from django.utils import timezone

from winddown.claims import selectors as claims_selectors
from winddown.core import private_files
from winddown.institutions.access import access_by_id
from winddown.institutions.selectors import visible_institutions
from winddown.voting import ballot_store
from winddown.voting.audit_actions import VotingAction
from winddown.voting.models import (
    LENDER_VISIBLE,
    AttachmentOpen,
    Ballot,
    Candidate,
    Elector,
    EventAttachment,
    EventKind,
    EventStatus,
    Notice,
    SignUp,
    SignUpStatus,
    VotingEvent,
)
from winddown.voting.results import Share

if TYPE_CHECKING:
    from winddown.accounts.models import User
    from winddown.identity.models import Lender

ENDED = (EventStatus.CLOSED, EventStatus.COUNTED, EventStatus.PUBLISHED, EventStatus.CANCELLED)


def window_state(event: VotingEvent) -> str:
    """upcoming / open / ended, for grouping and for the controls."""
    if event.status in ENDED:
        return "ended"
    if event.status == EventStatus.OPEN and timezone.now() < event.closes_at:
        return "open"
    if event.status == EventStatus.OPEN:
        return "ended"
    return "upcoming"


# --- Lenders --------------------------------------------------------------------------------


def lender_events(lender: Lender) -> QuerySet[VotingEvent]:
    """Events of the institutions where the lender is (or, before opening, would be) in the
    electorate: the frozen electorate once open, the active register before."""
    if not lender.is_verified:
        return VotingEvent.objects.none()
    in_electorate = Elector.objects.filter(id_index=lender.id_index).values("event_id")
    institutions = claims_selectors.institutions_owing(lender.id_index)
    return (
        VotingEvent.objects.filter(status__in=LENDER_VISIBLE)
        .filter(
            Q(pk__in=in_electorate)
            | Q(
                opened_at__isnull=True,
                approved_at__isnull=False,
                institution_id__in=institutions,
            )
        )
        .select_related("institution")
        .order_by("-opens_at")
    )


def opened_event(
    event_id: int, lender: Lender
) -> tuple[VotingEvent, ballot_store.Place | None] | None:
    """An event that has opened (its electorate is frozen), read with the lender's place in
    it in one fixed statement: every ballot reads them (see `ballot_store.opened_event`)."""
    if not 0 < event_id < 2**63:  # no such row; the database would refuse the number
        return None
    return ballot_store.opened_event(event_id, lender.id_index, lender.pk)


def outside_electorate_but_known(lender: Lender, event: VotingEvent) -> bool:
    """Whether a lender not in an opened event's electorate still has a row in its
    record-date register or in the institution's active one (zero principal, or added after
    the record date): such a lender is told why; to anyone else the event does not exist."""
    if not lender.id_index:
        return False
    return claims_selectors.is_listed(
        lender.id_index, version_id=event.record_version_id, institution_id=event.institution_id
    )


def lender_event(lender: Lender, event_id: int) -> VotingEvent:
    event = lender_events(lender).filter(pk=event_id).first()
    if event is None:
        raise Http404("活动不存在")
    return event


def event_attachment(event: VotingEvent, attachment_id: int) -> EventAttachment:
    attachment = event.attachments.filter(pk=attachment_id).first()
    if attachment is None:
        raise Http404("附件不存在")
    return attachment


def word_html(attachment: EventAttachment) -> str | None:
    """A Word attachment's text as HTML, as sanitized when it was attached (only the platform
    writes private storage; cleaning up to ~10 MB again on every lender's read would not pay)."""
    if not attachment.html_path:
        return None
    with private_files.open_plain(attachment.html_path) as stored:
        return stored.read().decode()


def current_ballot(event: VotingEvent, lender: Lender) -> Ballot | None:
    if not lender.id_index:
        return None
    return Ballot.objects.filter(
        event=event, elector__id_index=lender.id_index, is_current=True
    ).first()


def ballot_history(event: VotingEvent, lender: Lender) -> QuerySet[Ballot]:
    return Ballot.objects.filter(event=event, elector__id_index=lender.id_index).order_by("-seq")


def opened_attachment_ids(event: VotingEvent, lender: Lender) -> set[int]:
    return set(
        AttachmentOpen.objects.filter(attachment__event=event, lender=lender).values_list(
            "attachment_id", flat=True
        )
    )


def lender_signup(event: VotingEvent, lender: Lender) -> SignUp | None:
    return SignUp.objects.filter(event=event, lender=lender).order_by("-created_at").first()


def lender_positions(
    lender: Lender, events: list[VotingEvent]
) -> tuple[dict[int, Ballot], dict[int, SignUp], dict[int, dict[str, str]]]:
    """For a list of events, in three queries whatever its length: the lender's current
    ballot and latest sign-up in each event (by event id), and each election's candidate
    names (key → name, for wording the choices)."""
    ids = [event.pk for event in events]
    ballots = {}
    if lender.id_index:
        current = Ballot.objects.filter(
            event_id__in=ids, elector__id_index=lender.id_index, is_current=True
        )
        ballots = {ballot.event_id: ballot for ballot in current}
    signups = {}
    for signup in SignUp.objects.filter(event_id__in=ids, lender=lender).order_by("created_at"):
        signups[signup.event_id] = signup  # the latest one stays
    names: dict[int, dict[str, str]] = {event_id: {} for event_id in ids}
    for event_id, key, name in Candidate.objects.filter(event_id__in=ids).values_list(
        "event_id", "key", "name"
    ):
        names[event_id][key] = name
    return ballots, signups, names


@dataclass(frozen=True)
class LenderEventItem:
    """One event on the lender's home page, with the lender's part in it."""

    event: VotingEvent
    ballot: Ballot | None
    choice: str  # the current ballot's choice in words
    signup: SignUp | None


def lender_event_groups(lender: Lender, events: list[VotingEvent]) -> dict[str, list]:
    """The lender's events grouped by window_state (open, upcoming soonest first, ended)."""
    from winddown.voting.tally import choice_words

    groups: dict[str, list[LenderEventItem]] = {"open": [], "upcoming": [], "ended": []}
    ballots, signups, names = lender_positions(lender, events)
    for event in events:
        ballot = ballots.get(event.pk) if event.kind != EventKind.RECRUITMENT else None
        groups[window_state(event)].append(
            LenderEventItem(
                event=event,
                ballot=ballot,
                choice=choice_words(event, ballot.choice, names[event.pk]) if ballot else "",
                signup=signups.get(event.pk) if event.kind == EventKind.RECRUITMENT else None,
            )
        )
    groups["upcoming"].reverse()  # soonest first
    return groups


def lender_notices(lender: Lender) -> QuerySet[Notice]:
    return Notice.objects.filter(lender=lender).select_related("event")


# --- Staff ----------------------------------------------------------------------------------


def staff_events(user: User) -> QuerySet[VotingEvent]:
    return VotingEvent.objects.filter(
        institution__in=visible_institutions(user).values("pk")
    ).select_related("institution")


def access_event_by_id(user: User, event_id: int) -> VotingEvent:
    return access_by_id(
        user,
        VotingEvent.objects.select_related("institution"),
        event_id,
        institution_path="institution",
        not_found="活动不存在或无权访问",
    )


def access_signup_by_id(user: User, signup_id: int) -> SignUp:
    return access_by_id(
        user,
        SignUp.objects.select_related("event", "lender"),
        signup_id,
        institution_path="event__institution",
        not_found="报名不存在或无权访问",
    )


@dataclass(frozen=True)
class Progress:
    """Participation while open — never the choices (ballots stay sealed until closing)."""

    voted_heads: int
    voted_weight_fen: int
    electorate_heads: int
    electorate_weight_fen: int
    quorum_numerator: int | None  # e.g. 2/3 of the weight for p2p-exit
    quorum_denominator: int | None
    changes: int

    @property
    def heads_share(self) -> Share:
        return Share(self.voted_heads, self.electorate_heads, "electorate_heads")

    @property
    def weight_share(self) -> Share:
        return Share(self.voted_weight_fen, self.electorate_weight_fen, "electorate_weight")

    @property
    def quorum_reached(self) -> bool | None:
        if not self.quorum_numerator:
            return None
        return (
            self.quorum_denominator * self.voted_weight_fen
            >= self.quorum_numerator * self.electorate_weight_fen
        )


def progress(event: VotingEvent) -> Progress:
    current = Ballot.objects.filter(event=event, is_current=True).aggregate(
        heads=Count("id"), weight=Sum("weight_fen")
    )
    total = Ballot.objects.filter(event=event).count()
    quorum = _participation_quorum(event.rule_id)
    return Progress(
        voted_heads=current["heads"],
        voted_weight_fen=int(current["weight"] or 0),
        electorate_heads=event.electorate_heads or 0,
        electorate_weight_fen=event.electorate_weight_fen or 0,
        quorum_numerator=quorum[0] if quorum else None,
        quorum_denominator=quorum[1] if quorum else None,
        changes=total - current["heads"],
    )


def _participation_quorum(rule_id: str) -> tuple[int, int] | None:
    """The weight-participation condition of the rule, if it has one (p2p-exit: 2/3)."""
    if not rule_id:
        return None
    from winddown.rules import get_rule

    for spec in get_rule(rule_id).conditions():
        if spec.quantity == "attending_weight" and spec.base == "electorate_weight":
            return spec.numerator, spec.denominator
    return None


def event_signups(event: VotingEvent) -> QuerySet[SignUp]:
    return event.signups.exclude(status=SignUpStatus.WITHDRAWN).select_related("lender")


def published_events() -> QuerySet[VotingEvent]:
    return VotingEvent.objects.filter(status=EventStatus.PUBLISHED).select_related("institution")


def index_key_change_refusal() -> str | None:
    """Why the blind-index key may not change now: an open event's ballots name their voter
    by a pseudonym of the elector's index, and a new index mid-vote would split one lender
    into two voters in the published log."""
    open_events = VotingEvent.objects.filter(status=EventStatus.OPEN).count()
    if open_events:
        return (
            f"{open_events} 个投票活动正在进行，投票期间不能更换盲索引密钥"
            "（WINDDOWN_PII_INDEX_KEY）；请在投票截止后再轮换。"
        )
    return None


# What an event's timeline in the staff console shows (its audit entries of these actions).
TIMELINE_ACTIONS = (
    VotingAction.EVENT_CREATED,
    VotingAction.EVENT_SUBMITTED,
    VotingAction.EVENT_RETURNED,
    VotingAction.EVENT_APPROVED,
    VotingAction.EVENT_OPENED,
    VotingAction.EVENT_CLOSED,
    VotingAction.EVENT_COUNTED,
    VotingAction.EVENT_PUBLISHED,
    VotingAction.EVENT_CANCELLED,
    VotingAction.CANDIDATES_IMPORTED,
)


def event_timeline(event: VotingEvent) -> list:
    """The event's steps as the audit log recorded them, oldest first."""
    from winddown.audit.selectors import object_history

    return object_history(
        object_type=VotingEvent._meta.label_lower,
        object_id=event.pk,
        institution_id=event.institution_id,
        actions=TIMELINE_ACTIONS,
    )
