"""The documents of a disciplinary case as PDFs, on the platform's PDF machinery
(core/pdf.py, shared with the voting result announcement): the 惩戒告知书 (惩戒办法 第十条
（一）: facts, reasons, basis, the right to state and defend) and the 惩戒决定书 (第十三条:
its five items), in the association's name with its seal (the latest image a system
administrator uploaded)."""

from __future__ import annotations

import io
from xml.sax.saxutils import escape

from django.conf import settings

from winddown.cases.models import (
    AssociationSeal,
    DisciplinaryCase,
    DisciplineOutcome,
)
from winddown.core.pdf import FONT_FILES, cjk_font, styles

ASSOCIATION_NAME = "安徽省互联网金融协会"


def association_name() -> str:
    return getattr(settings, "CASES_ASSOCIATION_NAME", ASSOCIATION_NAME)


def _cn_date(d) -> str:
    return f"{d.year}年{d.month}月{d.day}日" if d else "____年__月__日"


def _build(title: str, sections: list[tuple[str, str]], *, recipient: str, dated) -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.platypus import Image, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    font = cjk_font(FONT_FILES)
    st = styles(font)

    def p(text: str, style: str = "body") -> Paragraph:
        return Paragraph(escape(text).replace("\n", "<br/>"), st[style])

    story = [p(association_name(), "subtitle"), p(title, "title"), p(f"{recipient}：")]
    for heading, text in sections:
        story.append(p(heading, "heading"))
        story.append(p(text))
    story.append(Spacer(1, 12 * mm))
    sign = [p(association_name(), "sign"), p(_cn_date(dated), "sign")]
    seal = AssociationSeal.objects.first()
    if seal is not None:
        image = Image(io.BytesIO(bytes(seal.image)), width=40 * mm, height=40 * mm)
        # The seal over the signature, as on paper: right-aligned, the text under it.
        table = Table([["", image], ["", sign]], colWidths=[120 * mm, 50 * mm])
        table.setStyle(TableStyle([("ALIGN", (1, 0), (1, -1), "RIGHT")]))
        story.append(table)
    else:
        story.extend(sign)
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=20 * mm,
        rightMargin=20 * mm,
        topMargin=18 * mm,
        bottomMargin=18 * mm,
        title=title,
        author=association_name(),
    )

    def footer(canvas, document):
        canvas.saveState()
        canvas.setFont(font, 8)
        canvas.drawCentredString(A4[0] / 2, 10 * mm, f"第 {document.page} 页")
        canvas.restoreState()

    doc.build(story, onFirstPage=footer, onLaterPages=footer)
    return buffer.getvalue()


def notice_pdf(case: DisciplinaryCase) -> bytes:
    """惩戒告知书 (第十条（一）)."""
    due = _cn_date(case.defence_due) if case.defence_due else "收到本告知书后5个工作日"
    return _build(
        f"惩戒告知书（{case.number}）",
        [
            ("一、初步认定的违规事实", case.facts),
            ("二、理由", case.reasons),
            ("三、依据", case.basis),
            (
                "四、陈述和申辩的权利",
                f"你单位享有陈述和申辩的权利。你单位可在收到本告知书后5个工作日内（即{due}前）"
                "向本会提交书面的陈述、申辩理由及证明材料；逾期未提交的，视为放弃陈述与申辩"
                "权利，不影响作出惩戒决定。提交书面材料后，你单位可以要求向本会作口头陈述"
                "（《安徽省网络借贷从业机构惩戒办法》第十条）。",
            ),
        ],
        recipient=case.institution.full_name,
        dated=case.notice_served_on or case.opened_on,
    )


def decision_pdf(case: DisciplinaryCase) -> bytes:
    """惩戒决定书 with the five items of 第十三条."""
    if case.outcome == DisciplineOutcome.SANCTION:
        result = "决定给予：" + "、".join(case.sanction_labels) + "。"
    else:
        result = f"决定{case.get_outcome_display()}。"
    if case.mitigation_labels:
        result += "\n从轻情节（第八条）：" + "；".join(case.mitigation_labels) + "。"
    votes = ""
    if case.committee_members:
        votes = (
            f"\n本决定经专业委员会会议表决通过：委员{case.committee_members}人，赞成"
            f"{case.votes_yes}人，反对{case.votes_no}人，弃权{case.votes_abstain}人"
            "（第十二条：赞成人数超过委员会人员三分之二）。"
        )
    appeal_due = _cn_date(case.appeal_due) if case.appeal_due else "收到本决定书后5个工作日"
    return _build(
        f"惩戒决定书（{case.number}）",
        [
            (
                "一、被惩戒单位",
                f"机构名称：{case.institution.full_name}\n办公地址：{case.office_address}\n"
                f"负责人：{case.responsible_person}",
            ),
            ("二、违规事实和证据", case.facts),
            ("三、惩戒依据和结论", f"{case.basis}\n{case.conclusion}\n{result}{votes}"),
            (
                "四、申诉的权利和期限",
                f"你单位对本决定有异议的，可以在收到本决定书之日起5个工作日内（即{appeal_due}前）"
                "向本会提起申诉，提交书面申诉材料。申诉不影响本决定的执行（第十五条、第十六条）。"
                "本决定自送达之日起生效（第十四条）。",
            ),
            ("五、作出惩戒决定的日期", _cn_date(case.decided_on)),
        ],
        recipient=case.institution.full_name,
        dated=case.decided_on,
    )


def report_form_pdf(report) -> bytes:
    """《投诉举报信息处理单》 (举报办法 L1520–1535; spec D.7). The form has no reporter fields,
    and none are printed: a case file any association officer may hold."""
    evidence = report.evidence_text or "—"
    count = report.evidence.count()
    if count:
        evidence += f"\n附证据文件 {count} 个（由投诉举报专人保管）"
    result = "—"
    if report.outcome:
        decided = _cn_date(report.decided_on)
        result = f"{report.get_outcome_display()}：{report.decision_text}（{decided}）"
    elif report.reject_reason:
        result = f"不予受理：{report.get_reject_reason_display()}"
    feedback = (
        f"{report.feedback_text}（{_cn_date(report.feedback_on)}）" if report.feedback_on else "—"
    )
    return _build(
        f"投诉举报信息处理单（{report.number}）",
        [
            ("举报方式", report.get_channel_display()),
            ("投诉举报收到时间", _cn_date(report.received_on)),
            ("被举报机构", report.institution.full_name),
            ("举报类别（第四条）", "；".join(report.category_labels)),
            ("投诉举报的主要事实", report.notice_text or report.facts),
            ("所能提供的证据", evidence),
            ("经办人处理意见", report.handler_opinion or "—"),
            ("秘书长意见", report.sg_opinion or report.stage_report or "—"),
            ("处理结果", result),
            ("反馈情况", feedback),
        ],
        recipient="存档",
        dated=report.decided_on or report.received_on,
    )


def appeal_decision_pdf(case: DisciplinaryCase) -> bytes:
    """申诉审议决定书 with the five items of 惩戒办法 第十九条; final (第二十一条)."""
    return _build(
        f"申诉审议决定书（{case.number}）",
        [
            (
                "一、申诉人",
                f"机构名称：{case.institution.full_name}\n办公地址：{case.office_address}\n"
                f"负责人：{case.responsible_person}",
            ),
            ("二、申诉请求和理由", case.appeal_text),
            ("三、认定的事实和依据", f"{case.facts}\n{case.basis}"),
            (
                "四、申诉审议依据和结论",
                f"{case.get_appeal_outcome_display()}。{case.appeal_decision_text}\n"
                "本决定为最终惩戒决定，不得再提起申诉（第二十一条）。",
            ),
            ("五、作出申诉审议决定的日期", _cn_date(case.appeal_decided_on)),
        ],
        recipient=case.institution.full_name,
        dated=case.appeal_decided_on,
    )


def inspection_notice_pdf(inspection) -> bytes:
    """检查通知书 (I‑31: type, scope, dates, team and the duty to cooperate, 检查办法 第七条)."""
    return _build(
        f"{inspection.get_kind_display()}通知书（{inspection.number}）",
        [
            ("一、检查类型和范围", f"{inspection.get_kind_display()}：{inspection.scope}"),
            ("二、检查小组", "、".join(inspection.team_names) or "—"),
            (
                "三、时间",
                f"现场检查最早于{_cn_date(inspection.fieldwork_from)}开始"
                if inspection.onsite
                else "非现场检查",
            ),
            (
                "四、被检查机构的义务",
                "被检查机构应当配合，保证提供的有关文件资料真实、准确、完整、及时；检查期间应为"
                "现场检查工作提供必要的办公条件和工作保障。拒绝检查的，协会可在官网进行事实公示"
                "（《现场检查和非现场检查办法》第七条）。",
            ),
        ],
        recipient=inspection.institution.full_name,
        dated=inspection.notified_on or inspection.planned_on,
    )


def inspection_report_pdf(inspection) -> bytes:
    """检查报告 with its rectification orders and their deadlines."""
    orders = "\n".join(
        f"{n}. {o.requirement}（{_cn_date(o.due)}前提交整改报告）"
        for n, o in enumerate(inspection.rectifications.all(), start=1)
    )
    return _build(
        f"检查报告（{inspection.number}）",
        [
            ("一、检查类型和范围", f"{inspection.get_kind_display()}：{inspection.scope}"),
            ("二、检查小组", "、".join(inspection.team_names) or "—"),
            ("三、检查发现", inspection.findings or "—"),
            ("四、检查结论", inspection.report_text or "—"),
            ("五、整改要求", orders or "无"),
        ],
        recipient=inspection.institution.full_name,
        dated=inspection.reported_on,
    )
