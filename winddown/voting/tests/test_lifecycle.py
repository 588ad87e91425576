from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from winddown.audit.models import AuditEntry
from winddown.conftest import committed
from winddown.core.errors import DomainError
from winddown.core.providers.sms import OUTBOX
from winddown.testing import sample_pdf
from winddown.verify import verify_bundle
from winddown.voting.audit_actions import VotingAction
from winddown.voting.ballot_log import EMPTY_ROOT
from winddown.voting.bundle import bundle_path
from winddown.voting.errors import VotingErrorCode as E
from winddown.voting.models import Elector, EventStatus, Notice, VotingEvent
from winddown.voting.services import authoring, casting, lifecycle
from winddown.voting.tests.conftest import ME, PASSWORD, close_now, make_event, open_now

pytestmark = pytest.mark.django_db


def test_draft_validation(institution_a, operator_a):
    now = timezone.now()
    with pytest.raises(DomainError) as info:
        make_event(institution_a, operator_a, closes_at=now + timedelta(minutes=30))
    assert info.value.error_code in (E.TIME_ORDER, E.TOO_SHORT)
    with pytest.raises(DomainError) as info:
        make_event(institution_a, operator_a, rule_id="no-such-rule")
    assert info.value.error_code is E.RULE_INVALID and info.value.field == "rule_id"
    with pytest.raises(DomainError) as info:
        make_event(institution_a, operator_a, rule_id="bankruptcy-reorganization")
    assert info.value.error_code is E.RULE_GROUPED
    with pytest.raises(DomainError) as info:
        make_event(institution_a, operator_a, kind="election", seats=1, max_choices=2)
    assert info.value.error_code is E.SEATS_INVALID


def test_review_cycle_and_changes_only_before_approval(
    institution_a, operator_a, wg_officer, active_register
):
    event = make_event(institution_a, operator_a)
    authoring.event_submit(event=event, user=event.created_by, actor=ME)
    with pytest.raises(DomainError) as info:
        authoring.event_update(event=event, user=event.created_by, actor=ME, title="改标题")
    assert info.value.error_code is E.NOT_EDITABLE
    with pytest.raises(DomainError):
        authoring.event_return(event=event, user=wg_officer, comment="", actor=ME)
    authoring.event_return(event=event, user=wg_officer, comment="请补充清退方案附件", actor=ME)
    event = authoring.event_update(
        event=VotingEvent.objects.get(pk=event.pk),
        user=event.created_by,
        actor=ME,
        title="是否同意清退方案（修订）",
    )
    authoring.event_submit(event=event, user=event.created_by, actor=ME)
    event = authoring.event_approve(
        event=VotingEvent.objects.get(pk=event.pk), user=wg_officer, actor=ME
    )
    assert event.status == EventStatus.SCHEDULED
    actions = list(
        AuditEntry.objects.filter(object_type="voting.votingevent").values_list("action", flat=True)
    )
    assert actions == [
        VotingAction.EVENT_CREATED,
        VotingAction.EVENT_SUBMITTED,
        VotingAction.EVENT_RETURNED,
        VotingAction.EVENT_UPDATED,
        VotingAction.EVENT_SUBMITTED,
        VotingAction.EVENT_APPROVED,
    ]


def test_submit_needs_an_active_register_and_candidates(institution_a, operator_a):
    event = make_event(institution_a, operator_a)
    with pytest.raises(DomainError) as info:
        authoring.event_submit(event=event, user=event.created_by, actor=ME)
    assert info.value.error_code is E.NO_ACTIVE_REGISTER
    election = make_event(institution_a, operator_a, kind="election")
    with pytest.raises(DomainError) as info:
        authoring.event_submit(event=election, user=election.created_by, actor=ME)
    assert info.value.error_code is E.NO_CANDIDATES


def test_opening_freezes_the_electorate(
    institution_a, operator_a, wg_officer, lenders, tmp_path, register_rows_a
):
    from winddown.conftest import register_file, upload_and_activate

    event = open_now(make_event(institution_a, operator_a), wg_officer)
    assert event.status == EventStatus.OPEN
    # 12 rows, one with zero principal: 11 electors of 100.00 yuan each.
    assert (event.electorate_heads, event.electorate_weight_fen) == (11, 110000)
    assert Elector.objects.filter(event=event).count() == 11
    assert event.record_version.number == 1
    # A new register version after opening changes nothing for this event.
    changed = [list(r) for r in register_rows_a]
    changed[0][4] = "5000.00"
    upload_and_activate(institution_a, operator_a, register_file(tmp_path, changed, "v2.csv"))
    event.refresh_from_db()
    assert (event.electorate_heads, event.electorate_weight_fen) == (11, 110000)
    # Running it again does nothing.
    assert lifecycle.event_open(event.pk).electorate_heads == 11
    assert Elector.objects.filter(event=event).count() == 11
    # The lenders who have accounts were told, once.
    assert Notice.objects.filter(event=event, kind="opened").count() == 5
    assert sum("已开始" in m.text for m in OUTBOX) == 5


def test_counting_is_idempotent_and_matches_the_rule(
    institution_a, operator_a, wg_officer, lenders
):
    event = open_now(make_event(institution_a, operator_a, allow_abstain=True), wg_officer)
    for lender, choice in zip(lenders, ["yes", "yes", "yes", "no", "abstain"], strict=True):
        casting.ballot_cast(event=event, lender=lender, choice=choice, password=PASSWORD, actor=ME)
    event = close_now(event)
    assert event.status == EventStatus.COUNTED
    tally = event.result["tally"]
    assert tally["participation"] == {"heads": 5, "weight_fen": 50000}
    assert tally["options"] == {
        "yes": {"heads": 3, "weight_fen": 30000},
        "no": {"heads": 1, "weight_fen": 10000},
        "abstain": {"heads": 1, "weight_fen": 10000},
    }
    decision = event.result["result"]
    # 5 of 11 lenders hold 500 of 1100 yuan: below 2/3 participation -> not passed.
    assert decision["passed"] is False
    assert [c["holds"] for c in decision["criteria"]] == [False, True, False]
    first = (event.result, event.merkle_root, event.merkle_size)
    again = lifecycle.event_count(event.pk)
    assert (again.result, again.merkle_root, again.merkle_size) == first
    assert AuditEntry.objects.filter(action=VotingAction.EVENT_COUNTED).count() == 1


def test_cancel_before_and_after_opening(institution_a, operator_a, wg_officer, lenders):
    quiet = make_event(institution_a, operator_a)
    authoring.event_cancel(event=quiet, user=operator_a, reason="", actor=ME)
    assert VotingEvent.objects.get(pk=quiet.pk).status == EventStatus.CANCELLED
    event = open_now(make_event(institution_a, operator_a), wg_officer)
    with pytest.raises(DomainError) as info:
        authoring.event_cancel(event=event, user=wg_officer, reason="", actor=ME)
    assert info.value.error_code is E.REASON_REQUIRED
    with committed():  # the lenders are told once the cancellation has committed
        authoring.event_cancel(
            event=event, user=wg_officer, reason="方案需重新论证，另行通知", actor=ME
        )
    assert Notice.objects.filter(event=event, kind="cancelled").count() == 5
    with pytest.raises(DomainError) as info:
        casting.ballot_cast(
            event=event, lender=lenders[0], choice="yes", password=PASSWORD, actor=ME
        )
    assert info.value.error_code is E.NOT_OPEN


def test_run_due_events_opens_closes_and_counts(institution_a, operator_a, wg_officer, lenders):
    event = make_event(institution_a, operator_a)
    authoring.event_submit(event=event, user=event.created_by, actor=ME)
    authoring.event_approve(event=event, user=wg_officer, actor=ME)
    VotingEvent.objects.filter(pk=event.pk).update(opens_at=timezone.now() - timedelta(minutes=1))
    assert lifecycle.events_run_due()["opened"] == 1
    VotingEvent.objects.filter(pk=event.pk).update(closes_at=timezone.now() - timedelta(seconds=1))
    assert lifecycle.events_run_due() == {"opened": 0, "closed": 1, "counted": 1}
    assert VotingEvent.objects.get(pk=event.pk).status == EventStatus.COUNTED


def test_attachments_are_checked_and_hashed(institution_a, operator_a):
    event = make_event(institution_a, operator_a)
    with pytest.raises(DomainError):
        authoring.attachment_add(
            event=event,
            user=event.created_by,
            upload=SimpleUploadedFile("a.exe", b"MZ\x90"),
            actor=ME,
        )
    pdf = sample_pdf()
    attachment = authoring.attachment_add(
        event=event, user=event.created_by, upload=SimpleUploadedFile("清退方案.pdf", pdf), actor=ME
    )
    assert attachment.content_type == "application/pdf" and len(attachment.sha256) == 64


def test_counting_killed_midway_leaves_nothing_and_the_rerun_matches(
    institution_a, operator_a, wg_officer, lenders, monkeypatch
):
    from winddown.voting.services import lifecycle as lifecycle_module

    event = open_now(make_event(institution_a, operator_a), wg_officer)
    for lender, choice in zip(lenders, ["yes", "no", "yes", "yes", "no"], strict=True):
        casting.ballot_cast(event=event, lender=lender, choice=choice, password=PASSWORD, actor=ME)
    VotingEvent.objects.filter(pk=event.pk).update(closes_at=timezone.now())

    def die(**kwargs):
        raise SystemExit("worker killed while writing the result")

    real_record = lifecycle_module.record_event

    def record_or_die(**kwargs):
        if kwargs["action"] == VotingAction.EVENT_COUNTED:
            die(**kwargs)
        return real_record(**kwargs)

    # The process dies after the tally, while the result and its audit row are being written.
    with monkeypatch.context() as patched:
        patched.setattr(lifecycle_module, "record_event", record_or_die)
        with pytest.raises(SystemExit):
            lifecycle.event_count(event.pk)
    event.refresh_from_db()
    assert event.status == EventStatus.CLOSED and event.result is None and event.counted_at is None
    counted = lifecycle.event_count(event.pk)
    assert counted.status == EventStatus.COUNTED
    assert counted.result["tally"]["options"]["yes"] == {"heads": 3, "weight_fen": 30000}
    assert AuditEntry.objects.filter(action=VotingAction.EVENT_COUNTED).count() == 1


def test_an_event_nobody_voted_in_is_counted_and_published(
    institution_a, operator_a, wg_officer, lenders
):
    """Its log is empty: the stored root is the empty log's, which the bundle's verifier
    computes too (it stored "" before, and the bundle never matched)."""
    counted = close_now(open_now(make_event(institution_a, operator_a), wg_officer))
    assert (counted.merkle_size, counted.merkle_root) == (0, EMPTY_ROOT)
    published = lifecycle.event_publish(event=counted, user=wg_officer, actor=ME)
    assert published.status == EventStatus.PUBLISHED
    assert verify_bundle(bundle_path(published)).ok
