"""Receipt checks on the public page and the API (issue 15 item 14): answered from the
ballot table and the event's Merkle tree file in O(log n) reads, never by scanning the
bundle; the same answer, field for field, as the offline check of the bundle
(`python -m winddown.verify --receipt`); a tampered tree file or ballot row is shown as not
proved; and the anonymous lookups are rate-limited per address."""

from __future__ import annotations

import io

import pytest
from django.test import Client

from winddown.merkle.treefile import HEADER_SIZE
from winddown.verify import inclusion_proof_for_receipt
from winddown.voting import ratelimits, receipt_tree, results
from winddown.voting.bundle import bundle_path
from winddown.voting.models import Ballot
from winddown.voting.services import casting, lifecycle
from winddown.voting.tests.conftest import ME, PASSWORD, close_now, make_event, open_now

pytestmark = pytest.mark.django_db


def _cast(event, lender, choice):
    return casting.ballot_cast(
        event=event, lender=lender, choice=choice, password=PASSWORD, actor=ME
    ).ballot


@pytest.fixture
def published(institution_a, operator_a, wg_officer, lenders):
    """Five lenders vote; the first and the third change their minds (7 log entries)."""
    event = open_now(make_event(institution_a, operator_a), wg_officer)
    ballots = [_cast(event, lender, "yes") for lender in lenders]
    ballots.append(_cast(event, lenders[0], "no"))
    ballots.append(_cast(event, lenders[2], "no"))
    event = close_now(event)
    event = lifecycle.event_publish(event=event, user=wg_officer, actor=ME)
    return event, [b.receipt for b in ballots]


def _page(event, code):
    return Client().get(f"/events/{event.pk}/receipt/", {"code": code})


def _api(event, code):
    return Client().get(f"/api/results/{event.pk}/receipts/{code}")


def test_publishing_writes_the_tree_beside_the_bundle(published):
    event, _ = published
    path = receipt_tree.tree_path(event)
    assert path.exists() and path.parent == bundle_path(event).parent


def test_every_receipt_gets_the_answer_the_offline_bundle_check_gives(published):
    event, receipts = published
    for code in receipts:
        offline = inclusion_proof_for_receipt(bundle_path(event), code)
        check = results.check_receipt(event, code)
        assert check.proof == offline  # every field, the proof hashes included
        assert check.verified
        body = _api(event, code).json()
        assert body["verified"] and body["proof"] == offline["proof"]
        assert (body["line"], body["index"], body["seq"]) == (
            offline["line"],
            offline["index"],
            offline["seq"],
        )
        assert body["superseded"] == offline["superseded_by_later"]
        assert body["final"] == offline["final"]
    superseded = [results.check_receipt(event, c).superseded for c in receipts]
    assert superseded == [True, False, True, False, False, False, False]


def test_the_page_shows_a_real_receipt_as_before(published):
    event, receipts = published
    page = _page(event, receipts[1]).content.decode()
    assert "✓ 已核验" in page and "这是该出借人的最后一次投票，已计入结果。" in page
    assert "第 2 条（共 7 条）" in page
    old = _page(event, receipts[0]).content.decode()
    assert "✓ 已核验" in old and "之后的投票替换" in old
    body = _api(event, receipts[1]).json()
    assert body["choice"] == "yes" and body["choice_label"] == "同意"
    assert body["status_label"] == "这是您的最终选票，已计入结果，且包含在公布的 Merkle 根之下"


def test_a_lookup_never_opens_the_bundle(published, monkeypatch):
    event, receipts = published
    bundle_path(event).unlink()  # gone: a lookup cannot be reading it

    def scan(*args, **kwargs):
        raise AssertionError("the bundle was scanned")

    monkeypatch.setattr("winddown.verify.receipt.inclusion_proof_for_receipt", scan)
    monkeypatch.setattr("winddown.verify.bundle.open_bundle", scan)
    monkeypatch.setattr("zipfile.ZipFile.__init__", scan)
    assert "✓ 已核验" in _page(event, receipts[3]).content.decode()
    assert _api(event, receipts[4]).json()["verified"]


def test_an_event_published_before_the_index_gets_it_on_its_first_lookup(published):
    event, receipts = published
    path = receipt_tree.tree_path(event)
    path.unlink()
    assert _api(event, receipts[2]).json()["verified"]
    assert path.exists()


def test_a_tampered_tree_file_is_not_shown_as_proved(published):
    event, receipts = published
    path = receipt_tree.tree_path(event)
    data = bytearray(path.read_bytes())
    data[HEADER_SIZE + 32 * 1 + 3] ^= 0x40  # leaf 1: the sibling on the path of leaf 0
    path.write_bytes(bytes(data))
    assert "✗ 核验失败" in _page(event, receipts[0]).content.decode()
    body = _api(event, receipts[0]).json()
    assert not body["verified"] and "无法证明" in body["status_label"]


def test_a_truncated_tree_file_is_not_shown_as_proved(published):
    event, receipts = published
    path = receipt_tree.tree_path(event)
    path.write_bytes(path.read_bytes()[:-5])
    assert not _api(event, receipts[0]).json()["verified"]


def test_a_tampered_ballot_row_is_not_shown_as_proved(published):
    event, receipts = published
    Ballot.objects.filter(event=event, receipt=receipts[1]).update(choice="no")
    body = _api(event, receipts[1]).json()
    assert not body["verified"] and body["choice"] == "no"
    assert "✗ 核验失败" in _page(event, receipts[1]).content.decode()


def test_tampered_leaf_hashes_refuse_the_tree_once_and_prove_nothing(published, monkeypatch):
    event, receipts = published
    receipt_tree.tree_path(event).unlink()
    Ballot.objects.filter(event=event, receipt=receipts[3]).update(leaf_hash="00" * 32)
    assert not _api(event, receipts[1]).json()["verified"]
    assert not receipt_tree.tree_path(event).exists()
    # The refusal is remembered: the next lookups do not rebuild (no scan of the table
    # on demand either).
    calls = []
    monkeypatch.setattr(receipt_tree, "tree_write", lambda event: calls.append(event))
    assert "✗ 核验失败" in _page(event, receipts[2]).content.decode()
    assert calls == []


def test_a_published_size_the_tree_does_not_have_is_not_proved(published):
    event, receipts = published
    event.merkle_size += 1
    event.save(update_fields=["merkle_size"])
    assert not results.check_receipt(event, receipts[0]).verified


def test_the_publication_refuses_rows_whose_leaves_do_not_give_the_root(
    institution_a, operator_a, wg_officer, lenders
):
    from winddown.voting.bundle import BundleMismatch, write_event_bundle

    event = open_now(make_event(institution_a, operator_a), wg_officer)
    _cast(event, lenders[0], "yes")
    _cast(event, lenders[1], "no")
    event = close_now(event)
    Ballot.objects.filter(event=event, seq=2).update(leaf_hash="11" * 32)
    with pytest.raises(BundleMismatch):
        write_event_bundle(event)
    assert not bundle_path(event).exists() and not receipt_tree.tree_path(event).exists()


def test_receipt_lookups_are_rate_limited_per_address(published, monkeypatch):
    event, receipts = published
    monkeypatch.setattr(ratelimits, "RECEIPT_PER_ADDRESS", "3/h")
    for code in receipts[:2]:
        assert _page(event, code).status_code == 200
    assert _api(event, receipts[2]).status_code == 200
    page = _page(event, receipts[3])
    assert page.status_code == 429 and "核验回执过于频繁" in page.content.decode()
    api = _api(event, receipts[3])
    assert api.status_code == 429 and api.json()["code"] == "voting.receipt_rate_limited"
    # Another address is not affected; the empty form does not count.
    other = Client(REMOTE_ADDR="10.0.0.9").get(
        f"/events/{event.pk}/receipt/", {"code": receipts[3]}
    )
    assert other.status_code == 200 and "✓ 已核验" in other.content.decode()
    assert Client().get(f"/events/{event.pk}/receipt/").status_code == 200


def test_a_lookup_costs_the_same_few_queries_whatever_the_log_size(
    published, django_assert_max_num_queries
):
    event, receipts = published
    results.check_receipt(event, receipts[0])  # nothing to warm: no cache is involved
    with django_assert_max_num_queries(2):  # the ballot by its receipt; a later ballot?
        assert results.check_receipt(event, receipts[5]).verified


def test_the_command_builds_missing_trees_and_exits_1_on_a_refusal(published):
    from django.core.management import call_command
    from django.core.management.base import CommandError

    event, _ = published
    path = receipt_tree.tree_path(event)
    path.unlink()
    out = io.StringIO()
    call_command("build_receipt_trees", stdout=out)
    assert f"event {event.pk}: built" in out.getvalue() and path.exists()
    call_command("build_receipt_trees", stdout=out)
    assert f"event {event.pk}: present" in out.getvalue()
    Ballot.objects.filter(event=event, seq=3).update(leaf_hash="22" * 32)
    with pytest.raises(CommandError) as refused:
        call_command("build_receipt_trees", "--force", stdout=out)
    assert refused.value.returncode == 1
    assert "refused" in out.getvalue()


def test_concurrent_first_lookups_build_the_tree_once(published, monkeypatch):
    import shutil
    import threading
    import time

    event, _ = published
    path = receipt_tree.tree_path(event)
    built = path.with_name("built.copy")
    path.replace(built)
    calls = []

    def slow_write(event):  # the real build, slowed down, without the database
        calls.append(event.pk)
        time.sleep(0.3)
        shutil.copy(built, path)
        return path

    monkeypatch.setattr(receipt_tree, "tree_write", slow_write)
    sizes = []

    def lookup():
        with receipt_tree.tree_open(event) as tree:
            sizes.append(tree.size)

    threads = [threading.Thread(target=lookup) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert calls == [event.pk] and sizes == [event.merkle_size] * 4
