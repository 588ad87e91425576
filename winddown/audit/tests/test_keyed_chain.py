"""The probe's attack: edit a row and recompute the hashes. Without the chain key the
recomputed chain does not verify; with the key (the whole platform taken over) the signed,
timestamped checkpoints published before the edit still give it away, and so does a cut
tail."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from winddown.audit import services, timestamps
from winddown.audit.chain import HASHED_FIELDS, entry_hash
from winddown.audit.keys import chain_keys
from winddown.audit.models import AuditChainHead, AuditCheckpoint, AuditEntry
from winddown.audit.tests.test_chain import _write
from winddown.audit.tests.tsa_chain import TSA_CHAIN_PEM
from winddown.audit.verify import verify_chain

pytestmark = pytest.mark.django_db
FIXTURES = Path(__file__).parent / "fixtures"


def _unguarded(sql: str, params: list) -> None:
    """Write behind the append-only triggers' back, as the database's owner can."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE audit_auditentry DISABLE TRIGGER USER")
            cursor.execute(sql, params)
            cursor.execute("ALTER TABLE audit_auditentry ENABLE TRIGGER USER")
        else:
            cursor.execute("DROP TRIGGER IF EXISTS audit_entry_no_update")
            cursor.execute("DROP TRIGGER IF EXISTS audit_entry_no_delete")
            cursor.execute(sql, params)


def _rewrite(seq: int, after: dict, *, key: bytes | None, scheme: str) -> None:
    """Edit entry `seq` and recompute every hash from it on, with `key` (None: plain
    SHA-256, the probe's recomputation), then move the head along."""
    _unguarded("UPDATE audit_auditentry SET after = %s WHERE seq = %s", [json.dumps(after), seq])
    prev = AuditEntry.objects.get(seq=seq - 1).entry_hash if seq > 1 else "0" * 64
    for row in AuditEntry.objects.filter(seq__gte=seq).order_by("seq").values(*HASHED_FIELDS):
        digest = entry_hash(prev, row, key)
        _unguarded(
            "UPDATE audit_auditentry SET prev_hash = %s, entry_hash = %s, hash_scheme = %s "
            "WHERE seq = %s",
            [prev, digest, scheme, row["seq"]],
        )
        prev = digest
    AuditChainHead.objects.filter(pk=1).update(last_hash=prev)


def test_entries_are_keyed_and_verify():
    _write(3)
    assert set(AuditEntry.objects.values_list("hash_scheme", flat=True)) == {
        "hmac-sha256:dev1"
    } or (len(set(AuditEntry.objects.values_list("hash_scheme", flat=True))) == 1)
    assert verify_chain().ok


def test_recomputing_the_hashes_without_the_key_is_detected():
    _write(6)
    _rewrite(4, {"i": 999}, key=None, scheme="")
    report = verify_chain()
    assert not report.ok and report.broken_seq == 4
    assert report.reason == "an unkeyed entry after keyed ones"
    _rewrite(4, {"i": 999}, key=b"k" * 32, scheme=chain_keys().scheme())  # a guessed key
    report = verify_chain()
    assert not report.ok and report.broken_seq == 4
    with pytest.raises(CommandError, match="#4"):
        call_command("verify_audit")


def test_a_rewrite_with_the_key_breaks_the_checkpoints_taken_before_it(capsys):
    _write(3)
    services.checkpoint_create(reason="daily")
    _write(3)
    checkpoint = services.checkpoint_create(reason="publication of event 1")
    assert checkpoint.timestamp_provider == "dev" and checkpoint.timestamp_token
    call_command("verify_audit")
    assert "6 entries verified, 2 checkpoints agree" in capsys.readouterr().out

    keys = chain_keys()
    _rewrite(5, {"i": 999}, key=keys.keys[keys.primary_id], scheme=keys.scheme())
    report = verify_chain()
    assert not report.ok and report.broken_seq == 4  # after the last checkpoint that holds
    assert "entries from #4 to #6 have been rewritten" in report.reason


def test_a_cut_tail_is_detected_by_a_kept_copy_of_a_checkpoint(tmp_path):
    _write(5)
    checkpoint = services.checkpoint_create(reason="publication of event 1")
    copy = tmp_path / "checkpoint.json"
    copy.write_text(
        json.dumps(
            {
                "statement": checkpoint.statement,
                "signature": checkpoint.signature,
                "public_key": checkpoint.public_key,
            }
        )
    )
    # The owner removes the last two entries, moves the head back and the checkpoint too.
    _unguarded("DELETE FROM audit_auditentry WHERE seq > %s", [3])
    AuditChainHead.objects.filter(pk=1).update(
        last_seq=3, last_hash=AuditEntry.objects.get(seq=3).entry_hash
    )
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE audit_auditcheckpoint DISABLE TRIGGER USER")
            cursor.execute("DELETE FROM audit_auditcheckpoint")
            cursor.execute("ALTER TABLE audit_auditcheckpoint ENABLE TRIGGER USER")
        else:
            cursor.execute("DROP TRIGGER IF EXISTS audit_checkpoint_no_delete")
            cursor.execute("DELETE FROM audit_auditcheckpoint")
    assert verify_chain().ok  # alone, the shortened log is consistent
    with pytest.raises(CommandError, match="entries have been removed"):
        call_command("verify_audit", "--checkpoint", str(copy))
    forged = json.loads(copy.read_text())
    forged["statement"] = forged["statement"].replace('"seq":5', '"seq":3')
    copy.write_text(json.dumps(forged))
    with pytest.raises(CommandError, match="not a valid checkpoint") as refused:
        call_command("verify_audit", "--checkpoint", str(copy))
    assert refused.value.returncode == 2


def test_a_checkpoint_whose_timestamp_was_replaced_is_refused():
    _write(2)
    checkpoint = services.checkpoint_create(reason="daily")
    other = timestamps.DevTimestamper().stamp(b"another statement").token
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE audit_auditcheckpoint DISABLE TRIGGER USER")
        else:
            cursor.execute("DROP TRIGGER audit_checkpoint_no_update")
        AuditCheckpoint.objects.filter(pk=checkpoint.pk).update(
            timestamp_token=timestamps.encode(other)
        )
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE audit_auditcheckpoint ENABLE TRIGGER USER")
    report = verify_chain()
    assert not report.ok and "its timestamp does not hold" in report.reason


def test_an_rfc3161_token_of_a_real_authority_verifies_and_binds_its_message(settings, tmp_path):
    chain = tmp_path / "tsa-chain.pem"
    chain.write_text(TSA_CHAIN_PEM)
    settings.TSA_CERTIFICATES = str(chain)
    token = (FIXTURES / "tsa-response.tsr").read_bytes()
    stamper = timestamps.Rfc3161Timestamper()
    at = stamper.verify(token, b"hello")
    assert at.year >= 2024
    with pytest.raises(timestamps.TimestampInvalid):
        stamper.verify(token, b"hello, rewritten")
    with pytest.raises(timestamps.TimestampInvalid):
        stamper.verify(token[:-8] + bytes(8), b"hello")
