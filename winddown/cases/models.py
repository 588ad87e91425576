"""Reports to the association (举报, 监督举报反馈处置办法, spec D), lenders' complaints to
their own institution (001 三、四, spec D.9) and disciplinary cases (惩戒办法, spec E).

Who reported lives only in :class:`ReporterIdentity` (encrypted; 举报办法 第二条、第十二条):
a :class:`Report` carries a pseudonym (a copy of the ID number's blind index) for the daily
limit and for linking repeats, never a name, phone or ID number.

About 750 lines, kept whole: the case kinds refer to each other (a complaint escalates to a
report, a report or an inspection opens a disciplinary case, a flag opens either); split into
models/ by topic when it grows.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from winddown.identity.models import Lender
from winddown.institutions.models import Institution
from winddown.pii import purposes
from winddown.pii.fields import EncryptedField, EncryptedFile
from winddown.pii.idnumbers import IdDocument, IdType
from winddown.pii.masking import mask_id_number, mask_name, mask_phone

#: Encryption purposes of a reporter's name and network address (a ciphertext of another
#: kind never decrypts as it).
REPORTER_NAME = "reporter_name"
REPORTER_ADDRESS = "reporter_address"


def _mask_ip(value: str) -> str:
    return value.rsplit(".", 1)[0] + ".*" if "." in value else "***"


class ReportCategory(models.TextChoices):
    """The reportable conduct of 举报办法 第四条 (L1448–1470), spec D.1."""

    R01 = "R01", "为自身或变相为自身融资"
    R02 = "R02", "直接或间接接受、归集出借人的资金"
    R03 = "R03", "直接或变相向出借人提供担保或者承诺保本保息"
    R04 = "R04", "在互联网、固定电话、移动电话等电子渠道以外的物理场所宣传或推介融资项目"
    R05 = "R05", "发放贷款（法律法规另有规定的除外）"
    R06 = "R06", "将融资项目的期限进行拆分"
    R07 = "R07", "自行发售理财等金融产品募集资金，代销金融产品"
    R08 = "R08", "开展类资产证券化业务或打包资产等形式的债权转让"
    R09 = "R09", "与其他机构投资、代理销售、经纪等业务混合、捆绑、代理"
    R10 = "R10", "虚假片面宣传或促销，捏造、散布虚假或不完整信息，误导出借人或借款人"
    R11 = "R11", "为投资股票、场外配资、期货合约、结构化产品等高风险融资提供信息中介服务"
    R12 = "R12", "从事股权众筹等业务"
    R13 = "R13", "未按信披指引开展信息披露工作"
    R14 = "R14", "法律法规、网络借贷有关监管规定禁止的其他活动"


class Channel(models.TextChoices):
    """举报方式 of the 《投诉举报信息处理单》 (第七条), plus 网上平台 (I‑38)."""

    ONLINE = "online", "网上平台"
    PHONE = "phone", "电话"
    EMAIL = "email", "电子邮件"
    LETTER = "letter", "信函"
    COMPLAINT = "complaint", "出借人投诉升级"


class ReporterType(models.TextChoices):
    LENDER = "lender", "出借人"
    BORROWER = "borrower", "借款人"
    EMPLOYEE = "employee", "从业人员"
    PUBLIC = "public", "社会公众"


class ReportStatus(models.TextChoices):
    """Spec D.8, folded: the institution's notice, feedback and escalations are fields."""

    RECEIVED = "received", "待受理"
    REJECTED = "rejected", "不予受理"
    ACCEPTED = "accepted", "已受理待调查"
    INVESTIGATING = "investigating", "调查中"
    INVESTIGATED = "investigated", "调查终结待决定"
    DECIDED = "decided", "已作出处理决定"
    ARCHIVED = "archived", "已归档"


OPEN_STATUSES = (
    ReportStatus.RECEIVED,
    ReportStatus.ACCEPTED,
    ReportStatus.INVESTIGATING,
    ReportStatus.INVESTIGATED,
    ReportStatus.DECIDED,
)


class RejectReason(models.TextChoices):
    """Why a report is not accepted (第六条, 第十三条1–2, 第五条2–3; spec D.3, D.8)."""

    NOT_REAL_NAME = "not_real_name", "非实名举报"
    OUT_OF_SCOPE = "out_of_scope", "不属于投诉举报范围"
    NO_INSTITUTION = "no_institution", "没有明确的被举报机构"
    NO_FACTS = "no_facts", "没有具体违法违规事实及证据或线索"
    NOT_VERIFIABLE = "not_verifiable", "事实不清、线索不明，不具备查实条件"
    BEFORE_AUTHORITY = "before_authority", "已由行政、司法或仲裁机构受理或处理"
    DUPLICATE = "duplicate", "重复举报"


class Outcome(models.TextChoices):
    """The handling decision (第十三条7–8, 11)."""

    NO_ACTION = "no_action", "经查不属实，不予处理"
    RECTIFY = "rectify", "责令被举报机构整改"
    DISCIPLINE = "discipline", "转入惩戒程序"
    REFER = "refer", "转送监管或执法机关"


class DueKind(models.TextChoices):
    """The deadline a case is waiting for (working days, spec D.6, I‑40, I‑44)."""

    ACCEPT = "accept", "受理决定（登记后5个工作日，I‑40）"
    START = "start", "开展调查（受理后10个工作日，第十三条3）"
    END = "end", "调查终结（开始后60个工作日，第十三条5）"
    DECIDE = "decide", "处理决定（调查终结后10个工作日，第十三条7）"
    ANSWER = "answer", "机构答复或整改"
    FEEDBACK = "feedback", "向举报人反馈（决定后10个工作日，I‑44）"


class Report(models.Model):
    """One report to the association, with the fields of the 《投诉举报信息处理单》 (D.7)."""

    number = models.CharField("编号", max_length=20, unique=True)
    institution = models.ForeignKey(
        Institution, on_delete=models.PROTECT, related_name="reports", verbose_name="被举报机构"
    )
    channel = models.CharField("举报方式", max_length=16, choices=Channel.choices)
    reporter_type = models.CharField(max_length=16, choices=ReporterType.choices)
    categories = models.JSONField("举报类别", default=list)
    facts = models.TextField("投诉举报的主要事实", max_length=5000)
    evidence_text = models.TextField("所能提供的证据", max_length=2000, blank=True)
    received_on = models.DateField("投诉举报收到时间")
    created_at = models.DateTimeField(auto_now_add=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    # A copy of the reporter's ID-number blind index ("" when anonymous): a pseudonym.
    reporter_index = models.CharField(max_length=32, blank=True, db_index=True)
    has_contact = models.BooleanField(default=False)  # feedback is owed (第十三条9)
    repeat_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="repeats"
    )
    status = models.CharField(max_length=16, choices=ReportStatus.choices, default="received")
    reject_reason = models.CharField(max_length=20, choices=RejectReason.choices, blank=True)
    rejected_on = models.DateField(null=True)
    handler_opinion = models.TextField("经办人处理意见", blank=True)
    sg_opinion = models.TextField("秘书长意见", blank=True)
    acceptance_due = models.DateField(null=True)
    accepted_on = models.DateField(null=True)
    start_due = models.DateField(null=True)
    started_on = models.DateField(null=True)
    end_due = models.DateField(null=True)
    extensions = models.PositiveSmallIntegerField(default=0)
    stage_report = models.TextField("阶段性调查报告", blank=True)
    ended_on = models.DateField(null=True)
    findings = models.TextField("调查结论", blank=True)
    decision_due = models.DateField(null=True)
    decided_on = models.DateField(null=True)
    outcome = models.CharField(max_length=16, choices=Outcome.choices, blank=True)
    decision_text = models.TextField("处理结果", blank=True)
    # The institution's side (第十三条11): only the masked notice ever reaches it.
    notified_on = models.DateField(null=True)
    notice_text = models.TextField("通知机构的内容（不含举报人信息）", blank=True)
    answer_days = models.PositiveSmallIntegerField(default=10)
    answer_due = models.DateField(null=True)
    answer_text = models.TextField("机构答复或整改情况", blank=True)
    answered_on = models.DateField(null=True)
    published_on = models.DateField("曝光日期", null=True)
    referred_on = models.DateField("通知执法机关日期", null=True)
    feedback_due = models.DateField(null=True)
    feedback_text = models.TextField("反馈情况", blank=True)
    feedback_on = models.DateField(null=True)
    archived_on = models.DateField(null=True)
    malicious_reason = models.TextField("恶意举报说明", blank=True)
    # What the queue and the daily task read: the deadline being waited for.
    is_open = models.BooleanField(default=True)
    next_due = models.DateField(null=True)
    next_due_kind = models.CharField(max_length=16, choices=DueKind.choices, blank=True)
    warned_kind = models.CharField(max_length=16, blank=True)  # warned for next_due_kind
    missed_kind = models.CharField(max_length=16, blank=True)  # marked missed for it
    missed_count = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            # Partial: SQLite cannot use a leading boolean column that Django renders bare.
            models.Index(fields=["next_due", "id"], condition=Q(is_open=True), name="report_queue"),
            models.Index(fields=["institution", "notified_on"], name="report_institution"),
            models.Index(fields=["reporter_index", "institution"], name="report_repeat"),
        ]

    def __str__(self) -> str:
        return f"举报 {self.number}"

    @property
    def category_labels(self) -> list[str]:
        return [f"{c} {ReportCategory(c).label}" for c in self.categories]

    @property
    def pseudonym(self) -> str:
        """The reporter as staff who are not handlers see them: the same for every report of
        one reporter (to see repeats), never their identity."""
        return f"举报人-{self.reporter_index[:6].upper()}" if self.reporter_index else "匿名"


def _resident_index(_identity, number: str) -> str:
    return IdDocument(IdType.RESIDENT_ID, number).index_value


class ReporterIdentity(models.Model):
    """Who filed a report: the separate, encrypted store only designated handlers read
    (举报办法 第二条、第十二条; spec D.5). Every read through the pages is audited."""

    report = models.OneToOneField(Report, on_delete=models.CASCADE, related_name="identity")
    lender = models.ForeignKey(Lender, null=True, on_delete=models.SET_NULL, related_name="+")
    name_enc = models.TextField(blank=True)
    id_number_enc = models.TextField(blank=True)
    id_index = models.CharField(max_length=32, blank=True)
    phone_enc = models.TextField(blank=True)
    phone_index = models.CharField(max_length=32, blank=True)
    contact = models.CharField("其他联系方式", max_length=200, blank=True)  # e-mail, address
    # The address an online report came from: kept here, not in the audit log, which every
    # association officer reads (the log names the reporter by pseudonym only).
    source_ip_enc = models.TextField(blank=True)

    name = EncryptedField(purpose=REPORTER_NAME, column="name_enc", mask=mask_name)
    source_ip = EncryptedField(purpose=REPORTER_ADDRESS, column="source_ip_enc", mask=_mask_ip)
    id_number = EncryptedField(
        purpose=purposes.ID_NUMBER,
        column="id_number_enc",
        index="id_index",
        mask=mask_id_number,
        index_value=_resident_index,
    )
    phone = EncryptedField(
        purpose=purposes.PHONE, column="phone_enc", index="phone_index", mask=mask_phone
    )

    def __str__(self) -> str:
        return f"{self.report} 的举报人"


class ReporterDay(models.Model):
    """Reports filed by one reporter on one natural day in Asia/Shanghai, all channels
    together (第五条2: "同一举报人每天最多提交三件举报"; I‑36). The row is locked while counting."""

    reporter_index = models.CharField(max_length=32)
    day = models.DateField()
    count = models.PositiveSmallIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["reporter_index", "day"], name="reporter_day_unique")
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.count}"


class ReportEvidence(models.Model):
    """An evidence file (第五条1), recognised by its content: PDF, Word, JPG or PNG."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="evidence")
    path = models.CharField(max_length=500)
    name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    file = EncryptedFile(purpose=purposes.ATTACHMENT_FILE, column="path", folder="report-evidence")

    def __str__(self) -> str:
        return self.name


class CaseStep(models.Model):
    """One step of a case's timeline: what, who (as the institution may see it) and when.
    Written by the services next to the audit row."""

    report = models.ForeignKey(Report, null=True, on_delete=models.CASCADE, related_name="steps")
    at = models.DateTimeField(auto_now_add=True)
    actor_label = models.CharField(max_length=200)
    action = models.CharField(max_length=64)
    note = models.TextField(blank=True)
    # Shown on the institution's page: never steps that would reveal the reporter.
    institution_visible = models.BooleanField(default=False)

    class Meta:
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["report", "at"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action}"

    @property
    def action_label(self) -> str:
        from winddown.cases.audit_actions import CasesAction

        try:
            return CasesAction(self.action).label
        except ValueError:
            return self.action


class Designation(models.TextChoices):
    HANDLER = "handler", "投诉举报专人"
    SECRETARY_GENERAL = "secretary_general", "秘书长"
    COMMITTEE = "committee", "专业委员会委员"


class CaseOfficer(models.Model):
    """An association officer designated for cases (举报办法 第二条 "协会设立专人"): only
    handlers see who reported; the secretary-general also decides continuations (第十三条6)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    designation = models.CharField(max_length=20, choices=Designation.choices)
    designated_at = models.DateTimeField(auto_now_add=True)
    designated_by = models.CharField(max_length=200)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "designation"], name="case_officer_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.get_designation_display()}"


class ComplaintStatus(models.TextChoices):
    OPEN = "open", "待机构答复"
    ANSWERED = "answered", "机构已答复"
    CLOSED = "closed", "已办结（出借人满意）"
    ESCALATED = "escalated", "已升级至协会"


class LenderComplaint(models.Model):
    """A lender's complaint to their own institution, "出借人投诉处理…的第一责任人"
    (001 三), answered by a deadline in working days and escalated to the association as a
    report (举报) when unanswered or when the lender is not satisfied (001 四; spec D.9).

    Unlike a report, the institution knows who complains: the complaint is addressed to it."""

    lender = models.ForeignKey(Lender, on_delete=models.CASCADE, related_name="complaints")
    institution = models.ForeignKey(
        Institution, on_delete=models.PROTECT, related_name="complaints"
    )
    text = models.TextField("投诉内容", max_length=5000)
    status = models.CharField(max_length=16, choices=ComplaintStatus.choices, default="open")
    filed_on = models.DateField()
    created_at = models.DateTimeField(auto_now_add=True)
    answer_due = models.DateField(null=True)
    overdue = models.BooleanField(default=False)  # marked by the daily task
    answer = models.TextField("机构答复", blank=True)
    answered_on = models.DateField(null=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    closed_on = models.DateField(null=True)
    escalated_on = models.DateField(null=True)
    escalation_reason = models.CharField(max_length=200, blank=True)
    report = models.OneToOneField(
        Report, null=True, on_delete=models.SET_NULL, related_name="complaint"
    )

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["institution", "status", "answer_due"])]

    def __str__(self) -> str:
        return f"{self.lender} 对 {self.institution} 的投诉"


class Sanction(models.TextChoices):
    """The union catalogue of sanctions (spec E.2.2, I‑62): 惩戒办法 第五条 S1–S5, 第六条 S6,
    and those written into the other 办法."""

    S1 = "S1", "警示约谈"
    S2 = "S2", "发警示函"
    S3 = "S3", "官网公示"
    S4 = "S4", "取消评比资格"
    S5 = "S5", "取消会员资格"
    S6 = "S6", "移交执法机构"
    S7 = "S7", "警告"
    S8 = "S8", "通报批评"
    S9 = "S9", "责令限期整改"
    S10 = "S10", "追究会员违约责任"
    S11 = "S11", "劝其退出协会"
    S12 = "S12", "一定时期内不予入会"


#: Sanctions only a member can receive (第五条 "会员单位"; I‑35).
MEMBERS_ONLY = frozenset({Sanction.S5, Sanction.S7, Sanction.S10, Sanction.S11})


class Mitigation(models.TextChoices):
    """可从轻或免于惩戒 (惩戒办法 第八条)."""

    M1 = "M1", "造成不良影响但已及时弥补"
    M2 = "M2", "主动报告其违规行为"
    M3 = "M3", "主动配合查处其违规行为"
    M4 = "M4", "自觉纠正违规行为，及时采取有效措施，防止不良后果"


class DisciplineSource(models.TextChoices):
    REPORT = "report", "投诉举报调查"
    INSPECTION = "inspection", "检查"
    OFFSITE = "offsite", "非现场监测"
    REFERRAL = "referral", "转办"


class DisciplineStatus(models.TextChoices):
    """Spec E.6, folded."""

    OPENED = "opened", "已立案"
    NOTICE_SERVED = "notice_served", "已送达告知书（陈述申辩期）"
    REVIEW = "review", "待专业委员会审议"
    DECIDED = "decided", "已决定待送达"
    SERVED = "served", "决定已送达（申诉期）"
    APPEALED = "appealed", "申诉审议中"
    CLOSED = "closed", "已结案"


class DisciplineOutcome(models.TextChoices):
    """惩戒办法 第十一条."""

    SANCTION = "sanction", "给予惩戒"
    REVOKED = "revoked", "撤销"
    EXEMPT = "exempt", "免于惩戒"
    NONE = "none", "不予惩戒"


class AppealOutcome(models.TextChoices):
    """惩戒办法 第十七条."""

    UPHOLD = "uphold", "维持原惩戒决定"
    AMEND = "amend", "修正原惩戒决定"
    REDO = "redo", "重新作出惩戒决定"
    QUASH = "quash", "撤销原惩戒决定，不予惩戒"


class ServiceMethod(models.TextChoices):
    """第十四条."""

    DIRECT = "direct", "直接送达"
    LEFT = "left", "留置送达"
    ELECTRONIC = "electronic", "电子送达"
    POST = "post", "邮寄"
    NOTICE = "notice", "公告"


class DisciplinaryCase(models.Model):
    """A disciplinary case (惩戒办法 第九条–第二十二条; spec E.3, E.4)."""

    number = models.CharField("编号", max_length=20, unique=True)
    institution = models.ForeignKey(
        Institution, on_delete=models.PROTECT, related_name="disciplinary_cases"
    )
    source = models.CharField(max_length=16, choices=DisciplineSource.choices)
    report = models.ForeignKey(
        Report, null=True, blank=True, on_delete=models.PROTECT, related_name="discipline"
    )
    source_summary = models.TextField("调查或检查报告")
    is_member = models.BooleanField("会员单位", default=True)
    office_address = models.CharField("办公地址", max_length=300)
    responsible_person = models.CharField("负责人姓名", max_length=50)
    facts = models.TextField("违规事实和证据")
    reasons = models.TextField("理由")
    basis = models.TextField("依据")
    status = models.CharField(max_length=16, choices=DisciplineStatus.choices, default="opened")
    opened_on = models.DateField()
    notice_served_on = models.DateField(null=True)
    notice_method = models.CharField(max_length=16, choices=ServiceMethod.choices, blank=True)
    defence_due = models.DateField(null=True)
    defence_text = models.TextField("陈述申辩", blank=True)
    defence_on = models.DateField(null=True)
    hearing_requested = models.BooleanField("要求口头陈述", default=False)
    defence_waived = models.BooleanField(default=False)
    review_due = models.DateField(null=True)  # 复核 within 10 WD of the defence (I‑33)
    committee_members = models.PositiveSmallIntegerField(null=True)
    votes_yes = models.PositiveSmallIntegerField(null=True)
    votes_no = models.PositiveSmallIntegerField(null=True)
    votes_abstain = models.PositiveSmallIntegerField(null=True)
    outcome = models.CharField(max_length=16, choices=DisciplineOutcome.choices, blank=True)
    sanctions = models.JSONField(default=list)
    mitigations = models.JSONField(default=list)
    mitigation_note = models.TextField("从轻情节说明", blank=True)
    conclusion = models.TextField("惩戒依据和结论", blank=True)
    decided_on = models.DateField(null=True)
    decision_served_on = models.DateField("送达（生效）日期", null=True)
    decision_method = models.CharField(max_length=16, choices=ServiceMethod.choices, blank=True)
    appeal_due = models.DateField(null=True)
    appeal_text = models.TextField("申诉请求和理由", blank=True)
    appealed_on = models.DateField(null=True)
    appeal_decision_due = models.DateField(null=True)
    appeal_outcome = models.CharField(max_length=16, choices=AppealOutcome.choices, blank=True)
    appeal_decision_text = models.TextField("申诉审议依据和结论", blank=True)
    appeal_decided_on = models.DateField(null=True)
    referred_on = models.DateField("移交执法机构日期", null=True)
    referral_note = models.TextField(blank=True)
    closed_on = models.DateField(null=True)

    class Meta:
        ordering = ["-opened_on", "-id"]
        indexes = [models.Index(fields=["institution", "status"])]

    def __str__(self) -> str:
        return f"惩戒案件 {self.number}"

    @property
    def sanction_labels(self) -> list[str]:
        return [Sanction(s).label for s in self.sanctions]

    @property
    def mitigation_labels(self) -> list[str]:
        return [Mitigation(m).label for m in self.mitigations]

    @property
    def published(self) -> bool:
        """官网公示 (S3) in force, or a quashing to announce (第十七条)."""
        return self.decision_served_on is not None and (
            Sanction.S3 in self.sanctions or self.appeal_outcome == AppealOutcome.QUASH
        )


class DisciplineStep(models.Model):
    """One step of a disciplinary case's timeline, written next to its audit row."""

    case = models.ForeignKey(DisciplinaryCase, on_delete=models.CASCADE, related_name="steps")
    at = models.DateTimeField(auto_now_add=True)
    actor_label = models.CharField(max_length=200)
    action = models.CharField(max_length=64)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action}"

    @property
    def action_label(self) -> str:
        from winddown.cases.audit_actions import CasesAction

        try:
            return CasesAction(self.action).label
        except ValueError:
            return self.action


class AssociationSeal(models.Model):
    """The association's seal, an image a system administrator uploads; the latest one is
    printed on the cases' PDF documents."""

    image = models.BinaryField()
    content_type = models.CharField(max_length=32)
    uploaded_at = models.DateTimeField(auto_now_add=True)
    uploaded_by = models.CharField(max_length=200)

    class Meta:
        ordering = ["-uploaded_at", "-id"]

    def __str__(self) -> str:
        return f"协会印章 {self.uploaded_at:%Y-%m-%d}"


class CommitteeChoice(models.TextChoices):
    YES = "yes", "赞成"
    NO = "no", "反对"
    ABSTAIN = "abstain", "弃权"


class CommitteeVote(models.Model):
    """The professional committee's vote on a disciplinary case (惩戒办法 第十二条), online:
    the members are frozen when it opens (recused members left out, I‑46/I‑47), each votes
    once, and it is counted with the rules engine's ``committee-supermajority``."""

    case = models.ForeignKey(DisciplinaryCase, on_delete=models.CASCADE, related_name="votes")
    members = models.JSONField(default=list)  # user ids of the electorate, frozen at opening
    recused = models.JSONField(default=list)
    opened_at = models.DateTimeField(auto_now_add=True)
    opened_by = models.CharField(max_length=200)
    closes_at = models.DateTimeField()
    closed_at = models.DateTimeField(null=True)
    result = models.JSONField(null=True)  # counts and the rules engine's decision

    class Meta:
        ordering = ["-opened_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["case"], condition=Q(closed_at__isnull=True), name="one_open_vote"
            )
        ]

    def __str__(self) -> str:
        return f"{self.case} 委员会表决"

    @property
    def is_open(self) -> bool:
        return self.closed_at is None


class CommitteeBallot(models.Model):
    vote = models.ForeignKey(CommitteeVote, on_delete=models.CASCADE, related_name="ballots")
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    choice = models.CharField(max_length=8, choices=CommitteeChoice.choices)
    cast_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["vote", "member"], name="one_ballot_per_member")
        ]

    def __str__(self) -> str:
        return f"{self.vote} {self.member_id}"


class InspectionKind(models.TextChoices):
    """检查办法 第八条、第九条 (spec C.2)."""

    FULL = "full", "全面检查"
    THEMATIC = "thematic", "专项检查"
    FOLLOWUP = "followup", "后续检查"
    ADHOC = "adhoc", "临时检查"
    OFFSITE = "offsite", "非现场检查"


class InspectionStatus(models.TextChoices):
    PLANNED = "planned", "计划中"
    NOTIFIED = "notified", "已通知"
    FIELDWORK = "fieldwork", "检查中"
    REPORTED = "reported", "已出具检查报告"
    CLOSED = "closed", "已结案"


class FlagKind(models.TextChoices):
    """Off-site monitoring flags (检查办法 第九条, 第十一条; spec C.4 O5)."""

    OVERDUE_JUMP = "overdue_jump", "逾期率大幅上升"
    RELATED_PARTY = "related_party", "关联方借款余额大于零"
    OWN_FUNDS_COMPENSATION = "own_funds_compensation", "以平台自有资金代偿"


class MonitoringFlag(models.Model):
    institution = models.ForeignKey(Institution, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=32, choices=FlagKind.choices)
    period = models.CharField("报送期", max_length=10)
    detail = models.JSONField(default=dict)
    explanation = models.TextField()
    raised_on = models.DateField()
    dismissed_on = models.DateField(null=True)
    dismiss_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-raised_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["institution", "kind", "period"], name="one_flag_per_period"
            )
        ]

    def __str__(self) -> str:
        return f"{self.institution} {self.get_kind_display()} {self.period}"


class Inspection(models.Model):
    """An on-site or off-site inspection (检查办法; spec C.3), with the defaults of I‑30–I‑32:
    a team of at least two, notice 5 working days before fieldwork (0 for 临时), the report
    10 working days after fieldwork, rectification 20 working days by default."""

    number = models.CharField("编号", max_length=20, unique=True)
    institution = models.ForeignKey(Institution, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=16, choices=InspectionKind.choices)
    scope = models.TextField("检查范围")
    team = models.JSONField(default=list)  # user ids of the inspectors
    team_names = models.JSONField(default=list)
    status = models.CharField(max_length=16, choices=InspectionStatus.choices, default="planned")
    planned_on = models.DateField()
    notified_on = models.DateField(null=True)
    fieldwork_from = models.DateField(null=True)  # the earliest day fieldwork may start
    fieldwork_started_on = models.DateField(null=True)
    fieldwork_ended_on = models.DateField(null=True)
    findings = models.TextField("检查发现", blank=True)
    report_due = models.DateField(null=True)
    report_text = models.TextField("检查报告", blank=True)
    reported_on = models.DateField(null=True)
    refused_on = models.DateField("拒绝检查日期", null=True)
    flag = models.ForeignKey(
        MonitoringFlag, null=True, blank=True, on_delete=models.SET_NULL, related_name="inspections"
    )
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="followups"
    )
    closed_on = models.DateField(null=True)

    class Meta:
        ordering = ["-planned_on", "-id"]

    def __str__(self) -> str:
        return f"检查 {self.number}"

    @property
    def onsite(self) -> bool:
        return self.kind != InspectionKind.OFFSITE


class DocumentRequest(models.Model):
    """A request for documents the institution answers with uploads (检查办法 第七条)."""

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="requests")
    description = models.TextField("所需资料")
    due = models.DateField(null=True)
    requested_on = models.DateField()
    answered_on = models.DateField(null=True)
    answer_note = models.TextField(blank=True)

    def __str__(self) -> str:
        return f"{self.inspection} 资料 {self.pk}"


class DocumentFile(models.Model):
    request = models.ForeignKey(DocumentRequest, on_delete=models.CASCADE, related_name="files")
    path = models.CharField(max_length=500)
    name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    file = EncryptedFile(
        purpose=purposes.ATTACHMENT_FILE, column="path", folder="inspection-documents"
    )

    def __str__(self) -> str:
        return self.name


class RectificationOrder(models.Model):
    """A rectification order with a deadline and its follow-up (检查办法 第十九条; I‑32)."""

    inspection = models.ForeignKey(
        Inspection, on_delete=models.CASCADE, related_name="rectifications"
    )
    requirement = models.TextField("整改要求")
    due = models.DateField(null=True)
    report_text = models.TextField("整改报告", blank=True)
    reported_on = models.DateField(null=True)
    accepted_on = models.DateField("整改验收日期", null=True)
    overdue = models.BooleanField(default=False)

    def __str__(self) -> str:
        return f"{self.inspection} 整改 {self.pk}"
