import itertools

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction

from winddown.audit.models import AuditChainHead, AuditEntry
from winddown.audit.services import Actor, record
from winddown.audit.verify import verify_chain
from winddown.claims.audit_actions import ClaimsAction

ACTOR = Actor(user_id=7, label="operator:alice", source_ip="10.0.0.1")


def _write(n: int) -> list[AuditEntry]:
    return [
        record(
            actor=ACTOR,
            action=ClaimsAction.REGISTER_UPLOADED,
            object_type="t",
            object_id=i,
            institution_id=1,
            before={"i": i},
            after={"i": i + 1, "名": "值"},
        )
        for i in range(n)
    ]


def _raw_update(sql: str, params: list) -> None:
    """Tamper with the table behind the triggers' back, as an attacker with DB access would."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE audit_auditentry DISABLE TRIGGER audit_entry_no_update")
            cursor.execute(sql, params)
            cursor.execute("ALTER TABLE audit_auditentry ENABLE TRIGGER audit_entry_no_update")
        else:
            cursor.execute("DROP TRIGGER audit_entry_no_update")
            cursor.execute(sql, params)
            cursor.execute(
                "CREATE TRIGGER audit_entry_no_update BEFORE UPDATE ON audit_auditentry "
                "BEGIN SELECT RAISE(ABORT, 'audit log is append-only (UPDATE refused)'); END;"
            )


@pytest.mark.django_db
def test_entries_are_chained_and_gapless():
    entries = _write(5)
    assert [e.seq for e in entries] == [1, 2, 3, 4, 5]
    assert entries[0].prev_hash == "0" * 64
    assert all(b.prev_hash == a.entry_hash for a, b in itertools.pairwise(entries))
    head = AuditChainHead.objects.get(pk=1)
    assert (head.last_seq, head.last_hash) == (5, entries[-1].entry_hash)
    assert verify_chain().ok


@pytest.mark.django_db
def test_entry_rolls_back_with_the_change_it_records():
    _write(1)
    with pytest.raises(RuntimeError), transaction.atomic():
        record(actor=ACTOR, action=ClaimsAction.CLAIM_CONFIRMED)
        raise RuntimeError("the change failed")
    assert AuditEntry.objects.count() == 1
    assert record(actor=ACTOR, action=ClaimsAction.CLAIM_CONFIRMED).seq == 2
    assert verify_chain().ok


@pytest.mark.django_db
def test_database_refuses_updates():
    (entry,) = _write(1)
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEntry.objects.filter(pk=entry.pk).update(actor_label="someone else")


@pytest.mark.django_db
def test_verify_names_the_first_edited_entry():
    entries = _write(6)
    _raw_update("UPDATE audit_auditentry SET after = %s WHERE seq = %s", ['{"i": 999}', 4])
    report = verify_chain()
    assert not report.ok and report.broken_seq == 4 and report.checked == 3
    with pytest.raises(CommandError, match="#4"):
        call_command("verify_audit")
    # The entries before the edited one are untouched and still link up.
    kept = AuditEntry.objects.filter(seq__lt=4).order_by("seq").values_list("entry_hash", flat=True)
    assert list(kept) == [entry.entry_hash for entry in entries[:3]]


@pytest.mark.django_db
def test_verify_detects_a_relinked_chain():
    _write(4)
    _raw_update("UPDATE audit_auditentry SET prev_hash = %s WHERE seq = %s", ["f" * 64, 3])
    report = verify_chain()
    assert not report.ok and report.broken_seq == 3


@pytest.mark.django_db
def test_verify_detects_removed_last_entries():
    _write(3)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE audit_auditentry DISABLE TRIGGER audit_entry_no_update")
            cursor.execute("DELETE FROM audit_auditentry WHERE seq = 3")
            cursor.execute("ALTER TABLE audit_auditentry ENABLE TRIGGER audit_entry_no_update")
        else:
            cursor.execute("DELETE FROM audit_auditentry WHERE seq = 3")
    report = verify_chain()
    assert not report.ok and report.broken_seq == 3


@pytest.mark.django_db
def test_verify_command_reports_success(capsys):
    _write(2)
    call_command("verify_audit")
    assert "2 entries verified" in capsys.readouterr().out
