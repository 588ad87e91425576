"""Exports of a counted event: the result announcement (《表决结果公告》, PDF) and the roster of
who chose what (XLSX).

What they show of the result comes from the one presenter (`voting.results`), as the pages
and the API show it: nothing is recounted, re-decided or re-worded here.
"""

from __future__ import annotations

import io
from datetime import datetime
from typing import TYPE_CHECKING
from xml.sax.saxutils import escape

from django.db.models import Count
from django.utils import timezone

from winddown.audit.services import Actor
from winddown.claims import selectors as claims_selectors
from winddown.core.pdf import FONT_FILES, cjk_font
from winddown.core.pdf import styles as _styles
from winddown.core.spreadsheets import Cell, XlsxWorkbook
from winddown.money import fen_to_decimal, format_yuan
from winddown.pii.masking import mask_name
from winddown.voting import policies, results
from winddown.voting.audit_actions import VotingAction
from winddown.voting.event_audit import record_event
from winddown.voting.models import Ballot, EventKind, EventStatus, VotingEvent
from winddown.voting.tally import (
    candidate_names,
    choice_words,
)

if TYPE_CHECKING:
    from winddown.accounts.models import User


def local(value: datetime | None, fmt: str = "%Y-%m-%d %H:%M") -> str:
    return timezone.localtime(value).strftime(fmt) if value else "—"


# --- PDF announcement -----------------------------------------------------------------------


def announcement_pdf(event: VotingEvent) -> bytes:
    """《表决结果公告》: A4, Chinese text embedded, long lines wrapped (CJK rules)."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

    policies.require(policies.export_refusal(event, "导出结果公告"))
    font = cjk_font(FONT_FILES)
    st = _styles(font)

    def p(text: str, style: str = "body") -> Paragraph:
        return Paragraph(escape(text).replace("\n", "<br/>"), st[style])

    view = results.result_view(event)
    result = view.decision
    rule = view.rule
    institution = event.institution
    story = [
        p(f"{institution.full_name}", "subtitle"),
        p("表决结果公告", "title"),
        p(f"“{event.title}”", "subtitle"),
    ]
    if event.status != EventStatus.PUBLISHED:
        story.append(p("（草稿：结果尚未公布，仅供专项工作组核对）", "draft"))

    story.append(p("一、表决事项", "heading"))
    facts = [
        ("机构", f"{institution.full_name}（{institution.short_name}）"),
        ("活动", event.title),
        ("类型", event.get_kind_display()),
        ("投票时间", f"{local(event.opens_at)} 至 {local(event.closes_at)}（北京时间）"),
        (
            "表决权登记",
            f"{local(event.opened_at)} 投票开始时生效的债权登记表"
            + (f"（第{event.record_version.number}版）" if event.record_version else "")
            + "中待收本金大于零的出借人",
        ),
        (
            "有表决权出借人",
            f"{event.electorate_heads or 0} 人，未偿还本金合计 "
            f"{format_yuan(event.electorate_weight_fen or 0)} 元",
        ),
        (
            "计票规则",
            f"{rule['name']}（{rule['citation']}）"
            + (f"；{rule['params']}" if rule["params"] else ""),
        ),
    ]
    if event.kind == EventKind.ELECTION:
        facts.append(("应选人数", f"{event.seats} 名，每人最多选 {event.max_choices} 名"))
    table = Table(
        [[p(label, "cell"), p(value, "cell")] for label, value in facts],
        colWidths=[32 * mm, None],
    )
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.5, colors.HexColor("#9aa0a6")),
                ("BACKGROUND", (0, 0), (0, -1), colors.HexColor("#f0f1f2")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    story.append(table)
    if rule["quote"]:
        story.append(p(f"规则原文：{rule['quote']}"))

    story.append(p("二、计票结果", "heading"))
    story.append(
        p(
            f"参与表决 {view.participation_heads.quantity} 人（{view.participation_heads.label} "
            f"{view.participation_heads.text}），所持未偿还本金 "
            f"{format_yuan(view.participation_weight.quantity)} 元"
            f"（{view.participation_weight.label} {view.participation_weight.text}）。"
        )
    )
    first = "候选人" if event.kind == EventKind.ELECTION else "选项"
    header = [first, "人数", view.heads_base_label, "未偿还本金（元）", view.weight_base_label]
    if event.kind == EventKind.ELECTION:
        header.append("结果")
    rows = [[p(h, "cell") for h in header]]
    for row in view.rows:
        cells = [
            p(row.label, "cell"),
            p(str(row.heads), "cell_num"),
            p(row.heads_share.text, "cell_num"),
            p(format_yuan(row.weight_fen), "cell_num"),
            p(row.weight_share.text, "cell_num"),
        ]
        if event.kind == EventKind.ELECTION:
            cells.append(p(row.status_label, "cell"))
        rows.append(cells)
    widths = [None, 16 * mm, 22 * mm, 34 * mm, 22 * mm]
    if event.kind == EventKind.ELECTION:
        widths.append(34 * mm)
    tally_table = Table(rows, colWidths=widths, repeatRows=1)
    tally_table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.5, colors.HexColor("#9aa0a6")),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#f0f1f2")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    story.append(tally_table)

    story.append(p("三、表决结论及依据", "heading"))
    story.append(p(result.get("summary", "")))
    if result.get("reason"):
        story.append(p(result["reason"]))
    if event.kind == EventKind.RESOLUTION:
        for number, criterion in enumerate(result.get("criteria", []), start=1):
            story.append(p(f"{number}. {criterion['explanation']}"))
    else:
        for candidate in view.candidates:
            story.append(p(candidate.get("summary", "")))
            for criterion in candidate.get("criteria", []):
                story.append(p(f"　　· {criterion['explanation']}"))

    story.append(p("四、如何核验", "heading"))
    story.append(
        p(
            f"本次投票的全部选票（含每一次修改）按顺序记入投票日志，日志构成 RFC 6962 默克尔树："
            f"共 {event.merkle_size or 0} 条记录，树根（SHA-256）为："
        )
    )
    story.append(p(event.merkle_root or "—", "mono"))
    story.append(
        p(
            f"任何人可在结果页面（/events/{event.pk}/result/）下载结果包，"
            "用平台公开的校验程序独立核对：python -m winddown.verify 结果包.zip ——"
            "程序重新计算默克尔树根、重新计票并按上述规则重新判定，与本公告逐项比对。"
            "出借人可凭投票回执码核对本人最终选票已被计入："
            "python -m winddown.verify 结果包.zip --receipt 回执码。"
        )
    )

    issued = event.published_at or timezone.now()
    story.append(p(f"网贷机构退出平台\n{local(issued, '%Y年%m月%d日')}", "sign"))

    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=20 * mm,
        rightMargin=20 * mm,
        topMargin=18 * mm,
        bottomMargin=18 * mm,
        title=f"{event.title} 表决结果公告",
        author=institution.full_name,
        subject="表决结果公告",
    )

    def footer(canvas, document):
        canvas.saveState()
        canvas.setFont(font, 8)
        canvas.drawCentredString(A4[0] / 2, 10 * mm, f"第 {document.page} 页")
        canvas.restoreState()

    doc.build(story, onFirstPage=footer, onLaterPages=footer)
    return buffer.getvalue()


# --- XLSX roster ----------------------------------------------------------------------------

ROSTER_HEADER = (
    "序号",
    "姓名",
    "证件号码",
    "手机号码",
    "表决权本金（元）",
    "最终选择",
    "投票时间（北京时间）",
    "回执码",
    "修改次数",
)
CHUNK = 2000


def _excel_time(value: datetime) -> datetime:
    return timezone.localtime(value).replace(tzinfo=None, microsecond=0)


def roster_xlsx(event: VotingEvent, *, full_identities: bool, exported_by: str = "") -> bytes:
    """Summary sheet with the tally, then one row per lender who voted: identity (masked
    unless `full_identities`), weight, final choice, time, receipt and number of changes.

    Written through `core.spreadsheets`: titles, candidates' and lenders' names and the
    exporter's name are text cells, never formulas, and ID and mobile numbers stay text
    (issue 15, item 6)."""
    policies.require(policies.export_refusal(event, "导出投票名册"))
    workbook = XlsxWorkbook()
    money = "#,##0.00"

    def strong(value) -> Cell:
        return Cell(value, bold=True)

    # Summary
    summary = workbook.sheet("计票汇总")
    summary.widths((22, 18, 14, 20, 14, 22))
    view = results.result_view(event)
    result = view.decision
    rule = view.rule
    info = [
        ("机构", event.institution.full_name),
        ("活动", event.title),
        ("类型", event.get_kind_display()),
        ("计票规则", f"{rule['name']}（{rule['citation']}）"),
        ("投票时间", f"{local(event.opens_at)} 至 {local(event.closes_at)}"),
        ("表决权登记", local(event.opened_at)),
        ("有表决权出借人（人）", event.electorate_heads or 0),
        ("有表决权本金（元）", fen_to_decimal(event.electorate_weight_fen or 0)),
        ("参与表决（人）", view.participation_heads.quantity),
        ("参与表决本金（元）", fen_to_decimal(view.participation_weight.quantity)),
        ("结论", result.get("summary", "")),
        ("默克尔树大小", event.merkle_size or 0),
        ("默克尔树根", event.merkle_root),
        ("身份信息", "完整" if full_identities else "已脱敏"),
        ("导出时间", local(timezone.now(), "%Y-%m-%d %H:%M:%S")),
        ("导出人", exported_by),
    ]
    summary.append([strong("表决结果汇总")])
    for label, value in info:
        fmt = money if label.endswith("（元）") else None
        summary.append([strong(label), Cell(value, number_format=fmt)])
    summary.append([])
    head = ["候选人" if event.kind == EventKind.ELECTION else "选项", "人数"]
    head += [view.heads_base_label, "未偿还本金（元）", view.weight_base_label, "结果"]
    summary.append([strong(h) for h in head])
    for row in view.rows:
        summary.append(
            [
                row.label,
                row.heads,
                row.heads_share.text,
                Cell(fen_to_decimal(row.weight_fen), number_format=money),
                row.weight_share.text,
                row.status_label,
            ]
        )

    # Roster
    sheet = workbook.sheet("投票名册")
    sheet.widths((7, 12, 22, 15, 18, 24, 21, 22, 9))
    sheet.freeze("A2")
    sheet.append([strong(h) for h in ROSTER_HEADER])
    names = candidate_names(event)
    changes = dict(
        Ballot.objects.filter(event=event)
        .values("elector_id")
        .annotate(n=Count("id"))
        .order_by()
        .values_list("elector_id", "n")
    )
    ballots = (
        Ballot.objects.filter(event=event, is_current=True)
        .select_related("elector")
        .order_by("seq")
    )
    number = 0
    batch: list[Ballot] = []

    def flush():
        nonlocal number
        entries = claims_selectors.entries_by_identity(
            event.record_version_id, [b.elector.id_index for b in batch]
        )
        for ballot in batch:
            number += 1
            entry = entries.get(ballot.elector.id_index)
            if entry is None:
                name = id_number = phone = "（登记表中未找到）"
            elif full_identities:
                name, id_number, phone = entry.name, entry.id_number.value, entry.phone.value
            else:
                name = mask_name(entry.name)
                id_number = entry.id_number.masked
                phone = entry.phone.masked
            sheet.append(
                [
                    number,
                    name,
                    id_number,
                    phone,
                    Cell(fen_to_decimal(ballot.weight_fen), number_format=money),
                    Cell(choice_words(event, ballot.choice, names), wrap=True),
                    Cell(_excel_time(ballot.cast_at), number_format="yyyy-mm-dd hh:mm:ss"),
                    ballot.receipt,
                    changes.get(ballot.elector_id, 1) - 1,
                ]
            )
        batch.clear()

    for ballot in ballots.iterator(chunk_size=CHUNK):
        batch.append(ballot)
        if len(batch) >= CHUNK:
            flush()
    if batch:
        flush()

    return workbook.to_bytes()


def export_roster(*, event: VotingEvent, user: User, actor: Actor) -> bytes:
    """The roster for a staff member: full identities for the working group, masked for every
    other role; each export is audited."""
    policies.require(policies.roster_refusal(user, event))
    full = policies.sees_full_identities(user)
    data = roster_xlsx(event, full_identities=full, exported_by=user.display_name or user.username)
    record_event(
        actor=actor,
        action=VotingAction.ROSTER_EXPORTED,
        event=event,
        after={"full_identities": full, "bytes": len(data)},
    )
    return data
