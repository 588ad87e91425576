"""Demo voting events, so a newcomer sees the heart of the platform at once:

- 网贷机构A: an open resolution on the exit plan (with the plan attached as a PDF) and an
  open call for lender representatives;
- 网贷机构B: a committee election, voted, counted and published, with its result page and
  checkable bundle; the ready demo lender took part and can check their receipt.

Everything goes through the same services as real use; only the opening and closing times
are moved to "now" so nobody has to wait.
"""

from __future__ import annotations

import io
import random
from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import (
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from winddown.accounts.models import User
from winddown.audit.services import Actor
from winddown.demo.lenders import verified_lender
from winddown.identity import voting_password
from winddown.identity.models import Lender
from winddown.institutions.models import Institution
from winddown.money import format_yuan
from winddown.voting.models import VotingEvent
from winddown.voting.services import authoring, casting, lifecycle

PLAN_SECTIONS = [
    (
        "一、机构基本情况",
        "截至本方案公布之日，网贷机构A待收本金合计以债权登记系统生效版本为准。"
        "机构已停止新增业务，全部存量借款由专项工作组监督催收。",
    ),
    (
        "二、退出方式",
        "机构拟以良性退出方式清理存量业务：催收所得扣除必要费用后，"
        "按出借人待收本金比例分批兑付，每批兑付方案报专项工作组审核后公布。",
    ),
    (
        "三、兑付安排",
        "首批兑付拟于方案通过后九十日内进行，兑付比例不低于待收本金的百分之五；"
        "此后每季度公布一次催收进展和兑付安排。",
    ),
    (
        "四、监督机制",
        "出借人选举产生的监督委员会有权查阅催收台账和资金流水，并就重大事项向专项工作组反映意见。",
    ),
    (
        "五、表决规则",
        "本方案经参与表决出借人所持待收本金不低于机构待收本金的三分之二，"
        "且同意人数超过参与人数的一半、同意出借人所持待收本金超过机构待收本金的一半，方为通过。",
    ),
]
CANDIDATES = [
    ("陈立新", "会计师，出借人，愿意逐月核对兑付台账。"),
    ("刘美华", "律师，熟悉网贷清退程序。"),
    ("赵国强", "退休教师，出借金额较大，时间充裕。"),
    ("孙晓燕", "互联网行业从业者，可协助核对数据。"),
    ("周建平", "个体经营者，愿意为出借人发声。"),
]


DEMO_VOTING_PASSWORD = "135790"


def load_demo_events(
    *, users: dict[str, User], lenders_b: list[list[str]], ready_lender: Lender
) -> None:
    a = Institution.objects.get(short_name="网贷机构A")
    b = Institution.objects.get(short_name="网贷机构B")
    officer = users["wg_officer"]
    _exit_plan_vote(a, users["operator_a"], officer)
    _recruitment(a, users["operator_a"], officer)
    _published_election(b, users["operator_b"], officer, lenders_b, ready_lender)


def _actor(user: User) -> Actor:
    return Actor(user.pk, user.audit_label)


def _open_now(event: VotingEvent, officer: User) -> VotingEvent:
    authoring.event_submit(event=event, user=event.created_by, actor=_actor(officer))
    authoring.event_approve(event=event, user=officer, actor=_actor(officer))
    VotingEvent.objects.filter(pk=event.pk).update(opens_at=timezone.now())
    return lifecycle.event_open(event.pk)


def _draft(institution, operator, **values) -> VotingEvent:
    now = timezone.now()
    return authoring.event_create(
        institution=institution,
        user=operator,
        actor=_actor(operator),
        opens_at=now + timedelta(hours=1),
        closes_at=now + timedelta(days=14),
        **values,
    )


def _exit_plan_vote(institution, operator, officer) -> None:
    event = _draft(
        institution,
        operator,
        kind="resolution",
        title="关于网贷机构A良性退出方案的表决",
        content="请各位出借人阅读附件《良性退出方案》后，对是否同意该方案进行表决。",
        rule_id="p2p-exit",
    )
    plan = SimpleUploadedFile("网贷机构A良性退出方案.pdf", exit_plan_pdf(), "application/pdf")
    authoring.attachment_add(
        event=event, user=event.created_by, upload=plan, actor=_actor(operator)
    )
    _open_now(event, officer)


def _recruitment(institution, operator, officer) -> None:
    event = _draft(
        institution,
        operator,
        kind="recruitment",
        title="征集网贷机构A出借人代表",
        content="现征集出借人代表，参与监督委员会候选人推选。请填写个人介绍并上传照片和简历。",
    )
    _open_now(event, officer)


def _published_election(institution, operator, officer, lenders_b, ready_lender) -> None:
    event = _draft(
        institution,
        operator,
        kind="election",
        title="选举网贷机构B监督委员会成员",
        content="从以下候选人中选举 3 名监督委员会成员，每人最多选 3 人。",
        rule_id="p2p-exit",
        seats=3,
        max_choices=3,
    )
    for name, description in CANDIDATES:
        authoring.candidate_add(
            event=event, user=event.created_by, name=name, description=description
        )
    event = _open_now(event, officer)
    rng = random.Random(20201127)
    # How likely a voter names each candidate (c1 … c5); at most 3 names, the likeliest kept.
    popularity = [0.9, 0.85, 0.8, 0.25, 0.15]
    electorate = set(event.electors.values_list("id_index", flat=True))
    for lender in _lenders_with_accounts(lenders_b, electorate):
        if lender.pk != ready_lender.pk and rng.random() < 0.1:
            continue  # not everybody votes; the demo lender did, to check their receipt
        picks = [f"c{n}" for n, p in enumerate(popularity, start=1) if rng.random() < p][:3]
        casting.ballot_cast(
            event=event,
            lender=lender,
            choice=picks or ["c1"],
            password=DEMO_VOTING_PASSWORD,
            actor=_actor(lender.user),
        )
    VotingEvent.objects.filter(pk=event.pk).update(closes_at=timezone.now())
    event = lifecycle.event_count(event.pk)
    lifecycle.event_publish(event=event, user=officer, actor=_actor(officer))


def _lenders_with_accounts(rows: list[list[str]], electorate: set[str]) -> list[Lender]:
    """Verified lender accounts for the register rows in the electorate (the ready demo
    lender's own account already exists and is reused), all with the demo voting password."""
    password_hash = voting_password.hash_password(DEMO_VOTING_PASSWORD)
    lenders = []
    for name, _id_type, number, phone, *_ in rows:
        index = Lender.id_number.index(number)
        if index not in electorate:
            continue  # nothing outstanding (fully repaid): no vote
        lender = Lender.objects.filter(id_index=index).first() or verified_lender(
            username=f"lender-demo-{index[:12]}",
            name=name,
            id_number=number,
            phone=phone,
            voting_password_hash=password_hash,
        )
        lenders.append(lender)
    return lenders


def exit_plan_pdf() -> bytes:
    """The demo exit plan: its sections and an appendix table of monthly collections, a few
    pages long, as an institution would attach it."""
    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    title = ParagraphStyle("title", fontName="STSong-Light", fontSize=18, leading=28)
    heading = ParagraphStyle("heading", fontName="STSong-Light", fontSize=14, leading=24)
    body = ParagraphStyle("body", fontName="STSong-Light", fontSize=11, leading=20, wordWrap="CJK")
    story = [Paragraph("网贷机构A良性退出方案（表决稿）", title), Spacer(1, 12)]
    for section, text in PLAN_SECTIONS:
        story += [Paragraph(section, heading), Paragraph(text, body), Spacer(1, 8)]
    story += [PageBreak(), Paragraph("附表：历月催收回款（演示数据）", heading), Spacer(1, 8)]
    rng = random.Random(2019)
    rows, total_fen = [["月份", "催收回款（元）", "累计回款（元）"]], 0
    for month in range(48):
        collected_fen = rng.randrange(80_000_00, 2_500_000_00)
        total_fen += collected_fen
        label = f"{2020 + month // 12}年{month % 12 + 1}月"
        rows.append([label, format_yuan(collected_fen), format_yuan(total_fen)])
    table = Table(rows, colWidths=[120, 150, 150], repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), "STSong-Light", 10),
                ("ALIGN", (1, 0), (-1, -1), "RIGHT"),
                ("GRID", (0, 0), (-1, -1), 0.5, colors.grey),
                ("BACKGROUND", (0, 0), (-1, 0), colors.whitesmoke),
            ]
        )
    )
    story.append(table)
    out = io.BytesIO()
    SimpleDocTemplate(out, pagesize=A4, title="网贷机构A良性退出方案").build(story)
    return out.getvalue()
