"""One presenter of results: the API, the public page, the staff console, the PDF and the
XLSX show the same row with the same percentages, each naming its base, and the bases are
the counting rule's (p2p-exit: yes heads of the attending lenders, yes principal of the
institution's outstanding principal). Receipts are checked once, with the published root
and size, for the page and the API."""

from __future__ import annotations

import io

import pytest
from django.test import Client
from openpyxl import load_workbook

from winddown.conftest import staff_signed_in
from winddown.voting import exports, results
from winddown.voting.models import VotingEvent
from winddown.voting.services import authoring, casting, lifecycle
from winddown.voting.tests.conftest import ME, PASSWORD, close_now, make_event, open_now
from winddown.voting.tests.test_exports import pdf_text, squeeze

pytestmark = pytest.mark.django_db


def _cast(event, lender, choice):
    return casting.ballot_cast(
        event=event, lender=lender, choice=choice, password=PASSWORD, actor=ME
    ).ballot


@pytest.fixture
def published(institution_a, operator_a, wg_officer, lenders):
    """11 lenders of 100 yuan each; 2 vote yes and 1 no: yes is 2 of 3 attending (66.67 %)
    and 200 of the institution's 1,100 yuan (18.18 %)."""
    event = open_now(make_event(institution_a, operator_a), wg_officer)
    receipts = [_cast(event, lenders[0], "yes").receipt, _cast(event, lenders[1], "yes").receipt]
    _cast(event, lenders[2], "no")
    event = close_now(event)
    event = lifecycle.event_publish(event=event, user=wg_officer, actor=ME)
    return event, receipts


def test_the_presenter_names_the_rules_bases(published):
    view = results.result_view(published[0])
    yes = view.rows[0]
    assert (yes.label, yes.heads, yes.weight_fen) == ("同意", 2, 20000)
    assert (yes.heads_share.text, yes.heads_share.label) == ("66.67%", "占出席人数")
    assert (yes.weight_share.text, yes.weight_share.label) == ("18.18%", "占机构待收本金")
    assert (view.participation_weight.text, view.participation_weight.label) == (
        "27.27%",
        "占机构待收本金",
    )
    assert "三分之二" in view.quorum  # the participation condition, stated once


def test_every_output_shows_the_same_row(published, wg_officer):
    event, _ = published
    api = Client().get(f"/api/results/{event.pk}").json()
    row = api["rows"][0]
    assert (row["heads_percentage"], row["heads_percentage_base"]) == ("66.67", "占出席人数")
    assert (row["weight_percentage"], row["weight_percentage_base"]) == ("18.18", "占机构待收本金")

    for page in (
        Client().get(f"/events/{event.pk}/result/").content.decode(),
        staff_signed_in(wg_officer).get(f"/staff/events/{event.pk}/").content.decode(),
    ):
        assert "66.67%" in page and "18.18%" in page
        assert "占出席人数" in page and "占机构待收本金" in page

    text = squeeze(pdf_text(exports.announcement_pdf(event)))
    assert squeeze("同意 2 66.67% 200.00 18.18%") in text
    assert "占出席人数" in text and "占机构待收本金" in text

    book = load_workbook(io.BytesIO(exports.roster_xlsx(event, full_identities=False)))
    rows = {r[0]: r for r in book["计票汇总"].iter_rows(values_only=True) if r and r[0]}
    assert rows["同意"][:5] == ("同意", 2, "66.67%", rows["同意"][3], "18.18%")
    assert rows["选项"][2] == "占出席人数" and rows["选项"][4] == "占机构待收本金"


def test_election_rows_come_in_ranking_order(
    institution_a, operator_a, wg_officer, lenders, register_rows_a
):
    election = make_event(institution_a, operator_a, kind="election", seats=2, max_choices=2)
    for name in ("王小进", "张小英", "李小明"):
        authoring.candidate_add(event=election, user=operator_a, name=name)
    election = open_now(election, wg_officer)
    from winddown.conftest import make_lender

    voters = [*lenders] + [
        make_lender(r[3], name=r[0], id_number=r[2], password=PASSWORD)
        for r in register_rows_a[5:11]
    ]
    for index, lender in enumerate(voters):  # c3 most, then c2, c1 least
        _cast(election, lender, ["c3", "c2"] if index % 3 else ["c3", "c1"])
    view = results.result_view(close_now(election))
    assert [row.label for row in view.rows] == ["李小明", "张小英", "王小进"]
    assert [row.rank for row in view.rows[:2]] == [1, 2]
    assert [c["name"] for c in view.candidates] == ["李小明", "张小英", "王小进"]


def test_a_receipt_checks_against_the_published_size_on_the_page_and_the_api(published):
    event, receipts = published
    page = Client().get(f"/events/{event.pk}/receipt/", {"code": receipts[0]})
    assert "✓ 已核验" in page.content.decode()
    assert Client().get(f"/api/results/{event.pk}/receipts/{receipts[0]}").json()["verified"]
    # A published size that does not match the bundle's: neither may call it verified.
    VotingEvent.objects.filter(pk=event.pk).update(merkle_size=event.merkle_size + 1)
    page = Client().get(f"/events/{event.pk}/receipt/", {"code": receipts[0]})
    assert "✗ 核验失败" in page.content.decode()
    assert not Client().get(f"/api/results/{event.pk}/receipts/{receipts[0]}").json()["verified"]


def test_an_unknown_receipt_is_answered_from_the_ballot_index(published):
    event, _ = published
    page = Client().get(f"/events/{event.pk}/receipt/", {"code": "A" * 16})
    assert "找不到该回执码" in page.content.decode()


def test_publication_takes_a_signed_checkpoint_shown_on_the_result_page(published, tmp_path):
    """The audit log's head at publication is signed, timestamped and published with the
    result; a copy downloaded from the page checks against the log."""
    import json

    from django.core.management import call_command

    from winddown.audit.models import AuditCheckpoint, AuditEntry

    event = published[0]
    checkpoint = AuditCheckpoint.objects.get(reason=f"voting.event_published:{event.pk}")
    from winddown.voting.audit_actions import VotingAction

    published_entry = AuditEntry.objects.filter(action=VotingAction.EVENT_PUBLISHED).latest("seq")
    assert checkpoint.seq >= published_entry.seq and checkpoint.timestamp_token
    page = Client().get(f"/events/{event.pk}/result/").content.decode()
    assert f"第 <b>{checkpoint.seq}</b> 条记录" in page and checkpoint.entry_hash in page
    download = Client().get(f"/audit/checkpoints/{checkpoint.pk}.json")
    assert download.status_code == 200
    copy = tmp_path / "checkpoint.json"
    copy.write_bytes(download.content)
    assert json.loads(copy.read_text())["statement"] == checkpoint.statement
    call_command("verify_audit", "--checkpoint", str(copy))
    listing = Client().get("/audit/checkpoints/").content.decode()
    assert checkpoint.entry_hash in listing and "签名公钥" in listing
