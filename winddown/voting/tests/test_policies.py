"""Every rule of who may do what to an event lives in the services: calling them directly
is refused exactly as the pages and the API refuse, and the buttons a page offers are the
services' own answers (voting.policies)."""

from __future__ import annotations

import pytest
from django.db.models import QuerySet

from winddown.accounts.roles import Role
from winddown.audit.actions import PlatformAction
from winddown.audit.models import AuditEntry
from winddown.conftest import make_staff
from winddown.core.errors import DomainError
from winddown.voting import exports, policies
from winddown.voting.errors import VotingErrorCode as E
from winddown.voting.models import EventStatus, VotingEvent
from winddown.voting.services import authoring, lifecycle, signups
from winddown.voting.tests.conftest import ME, close_now, make_event, open_now, sign_up

pytestmark = pytest.mark.django_db


def refused(call) -> E | None:
    try:
        call()
    except DomainError as exc:
        return exc.error_code
    return None


def test_an_operator_cannot_cancel_an_open_event_through_the_service(
    institution_a, operator_a, wg_officer, lenders
):
    event = open_now(make_event(institution_a, operator_a), wg_officer)
    assert (
        refused(
            lambda: authoring.event_cancel(
                event=event, user=operator_a, reason="想取消这次", actor=ME
            )
        )
        is E.OPERATOR_CANNOT_CANCEL
    )
    assert VotingEvent.objects.get(pk=event.pk).status == EventStatus.OPEN
    authoring.event_cancel(event=event, user=wg_officer, reason="方案需要重新公示", actor=ME)
    assert VotingEvent.objects.get(pk=event.pk).status == EventStatus.CANCELLED


def test_another_institutions_operator_cannot_touch_a_draft_through_the_services(
    institution_a, operator_a, operator_b, lenders
):
    draft = make_event(institution_a, operator_a)
    for call in (
        lambda: authoring.event_update(event=draft, user=operator_b, actor=ME, title="改"),
        lambda: authoring.candidate_add(event=draft, user=operator_b, name="张三"),
        lambda: authoring.event_submit(event=draft, user=operator_b, actor=ME),
        lambda: authoring.event_cancel(event=draft, user=operator_b, reason="", actor=ME),
    ):
        assert refused(call) is E.NOT_OWN_INSTITUTION
    assert (
        refused(
            lambda: authoring.event_create(
                institution=institution_a,
                user=operator_b,
                actor=ME,
                kind="recruitment",
                title="征集",
                content="内容",
                opens_at=draft.opens_at,
                closes_at=draft.closes_at,
            )
        )
        is E.NOT_OWN_INSTITUTION
    )


def test_only_the_working_group_reviews_and_publishes(
    institution_a, operator_a, wg_officer, association_officer, lenders
):
    event = make_event(institution_a, operator_a)
    event = authoring.event_submit(event=event, user=operator_a, actor=ME)
    for user in (operator_a, association_officer):
        assert (
            refused(lambda user=user: authoring.event_approve(event=event, user=user, actor=ME))
            is E.ROLE_FORBIDDEN
        )
    event = open_now(event, wg_officer)
    assert (
        refused(lambda: lifecycle.event_publish(event=event, user=wg_officer, actor=ME))
        is E.WRONG_STATUS
    )  # not counted yet
    counted = close_now(event)
    assert (
        refused(lambda: lifecycle.event_publish(event=counted, user=operator_a, actor=ME))
        is E.ROLE_FORBIDDEN
    )
    assert lifecycle.event_publish(event=counted, user=wg_officer, actor=ME).status == "published"


def test_candidates_come_only_from_a_recruitment_that_has_closed(
    institution_a, operator_a, wg_officer, lenders
):
    recruitment = open_now(make_event(institution_a, operator_a, kind="recruitment"), wg_officer)
    sign_up(recruitment, lenders[0])
    election = make_event(institution_a, operator_a, kind="election")
    assert (
        refused(
            lambda: signups.candidates_from_signups(
                election=election, recruitment=recruitment, user=operator_a, actor=ME
            )
        )
        is E.RECRUITMENT_NOT_CLOSED
    )
    assert not election.candidates.exists()


def test_a_full_identity_reveal_is_audited_with_the_sign_ups_shown(
    institution_a, operator_a, wg_officer, lenders
):
    recruitment = open_now(make_event(institution_a, operator_a, kind="recruitment"), wg_officer)
    shown = [sign_up(recruitment, lenders[0]), sign_up(recruitment, lenders[1])]
    assert not signups.signups_reveal(user=operator_a, event=recruitment, signups=shown, actor=ME)
    assert not AuditEntry.objects.filter(action=PlatformAction.PII_REVEALED).exists()
    assert signups.signups_reveal(user=wg_officer, event=recruitment, signups=shown, actor=ME)
    reveal = AuditEntry.objects.get(action=PlatformAction.PII_REVEALED)
    assert reveal.after == {"signups": [s.pk for s in shown]}


def test_the_roster_is_refused_to_roles_that_do_not_need_it(
    institution_a, operator_a, wg_officer, sysadmin, lenders
):
    counted = close_now(open_now(make_event(institution_a, operator_a), wg_officer))
    assert (
        refused(lambda: exports.export_roster(event=counted, user=sysadmin, actor=ME))
        is E.ROLE_FORBIDDEN
    )
    assert exports.export_roster(event=counted, user=operator_a, actor=ME)[:2] == b"PK"


STATUSES = [s for s in EventStatus.values]


@pytest.mark.parametrize("status", STATUSES)
def test_the_page_offers_cancel_exactly_when_the_service_would_accept_it(
    status, institution_a, operator_a, wg_officer, lenders
):
    officers = {
        "operator": operator_a,
        "wg": wg_officer,
        "association": make_staff("assoc_policy", Role.ASSOCIATION_OFFICER),
    }
    for label, user in officers.items():
        event = make_event(institution_a, operator_a, title=f"{status}-{label}")
        _set_status(VotingEvent.objects.filter(pk=event.pk), status)
        event.refresh_from_db()
        offered = policies.staff_actions(user, event)["can_cancel"]
        outcome = refused(
            lambda user=user, event=event: authoring.event_cancel(
                event=event, user=user, reason="理由写得足够长", actor=ME
            )
        )
        assert offered == (outcome is None), (status, label, outcome)


def _set_status(events: QuerySet, status: str) -> None:
    events.update(status=status)
