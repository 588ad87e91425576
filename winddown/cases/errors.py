from winddown.core.errors import ErrorCode


class CasesErrorCode(ErrorCode):
    DAILY_LIMIT = (
        429,
        "您今天已提交{limit}件举报，已达上限（《监督举报反馈处置办法》第五条：同一举报人每天最多"
        "提交三件）；请明天再提交，相同内容无需重复举报",
    )
    TOO_MANY_ATTEMPTS = (429, "提交过于频繁，请一小时后再试")
    INSTITUTION_REQUIRED = (400, "请选择被举报的机构（第六条：须有明确的被举报从业机构）")
    FACTS_REQUIRED = (
        400,
        "请填写违法违规行为的具体事实（{low}至{high}字）：时间、经过、涉及金额，以及证据或线索",
    )
    CATEGORY_REQUIRED = (400, "请至少选择一项举报类别（第四条所列行为）")
    CATEGORY_INVALID = (400, "举报类别“{value}”不在第四条所列范围内，请从列表中选择")
    CHANNEL_INVALID = (400, "举报方式应为电话、电子邮件或信函，收到“{value}”")
    NAME_REQUIRED = (400, "请填写举报人真实姓名（实名举报，第五条）")
    ID_NUMBER_INVALID = (400, "身份证号码有误：{detail}")
    PHONE_INVALID = (400, "手机号码有误：{detail}")
    EVIDENCE_INVALID = (400, "第{position}个证据文件“{name}”：{detail}")
    EVIDENCE_TOO_MANY = (400, "证据文件最多{limit}个，请合并后上传")
    NOT_HANDLER = (403, "只有协会指定的投诉举报专人可以查看举报人身份或办理举报")
    NOT_SECRETARY_GENERAL = (403, "继续调查须由秘书长决定（第十三条6）")
    WRONG_STATE = (409, "该举报当前为“{status}”，不能{action}")
    REASON_REQUIRED = (400, "请选择不予受理的理由")
    TEXT_REQUIRED = (400, "请填写{label}")
    OUTCOME_INVALID = (400, "请选择处理决定：不予处理、责令整改、转入惩戒程序或转送监管执法机关")
    DATE_INVALID = (400, "{label}应为“年-月-日”格式的日期，收到“{value}”")
    ANSWER_DAYS_INVALID = (400, "答复期限应为1至60个工作日")
    NOT_NOTIFIED = (409, "尚未通知被举报机构，不能{action}")
    ALREADY_ANSWERED = (409, "机构已经答复，不能重复答复")
    STAGE_REPORT_REQUIRED = (400, "继续调查须先提交阶段性调查报告（第十三条6）")
    NOT_OPERATOR = (403, "只有本机构的经办人（或接管已退出、立案侦查机构的专班）可以答复")
    USER_NOT_OFFICER = (400, "只能指定协会工作人员（当前为“{role}”）")
    # Lenders' complaints (001 三、四)
    NOT_VERIFIED = (403, "请先完成实名认证后再提交投诉或举报")
    COMPLAINT_TEXT_REQUIRED = (400, "请填写投诉内容（{low}至{high}字）")
    COMPLAINT_NOT_LENDER = (403, "只有在该机构有登记债权的出借人可以向机构投诉")
    COMPLAINT_STATE = (409, "该投诉当前为“{status}”，不能{action}")
    COMPLAINT_NOT_YET = (409, "机构答复期限（{due}）未到且尚未答复，暂不能升级；请等待机构答复")
    # Discipline (惩戒办法)
    DEFENCE_LATE = (
        409,
        "陈述申辩期限已于{due}届满（收到惩戒告知书后5个工作日，《惩戒办法》第十条（二）），"
        "逾期视为放弃陈述与申辩权利",
    )
    APPEAL_LATE = (409, "申诉期限已于{due}届满（收到惩戒决定书后5个工作日，第十五条），不予受理")
    APPEAL_FINAL = (409, "申诉审议决定是最终决定，不能再提起申诉（第二十一条）")
    SANCTION_REQUIRED = (400, "请至少选择一项惩戒措施，或选择撤销、免于惩戒或不予惩戒")
    SANCTION_INVALID = (400, "惩戒措施“{value}”无效")
    SANCTION_MEMBERS_ONLY = (400, "“{label}”只适用于会员单位（第五条；I‑35），该机构不是会员")
    VOTE_SHORT = (
        400,
        "赞成{yes}人，未超过委员会{members}人的三分之二（须至少{needed}人，《惩戒办法》第十二条）",
    )
    VOTE_COUNTS_INVALID = (400, "表决人数有误：赞成、反对、弃权之和不能超过委员会人数{members}")
    APPEAL_OUTCOME_INVALID = (400, "申诉审议结论应为维持、修正、重新作出或撤销（第十七条）")
    DISCIPLINE_STATE = (409, "该惩戒案件当前为“{status}”，不能{action}")
    SEAL_INVALID = (400, "印章图片只支持 PNG 或 JPG：{detail}")
    NOT_COMMITTEE_MEMBER = (403, "您不是本次表决的专业委员会委员，不能投票")
    ALREADY_VOTED = (409, "您已对本案投过票（{choice}），每位委员只能投一次")
    VOTE_CLOSED = (409, "本次表决已于{closed}结束，不能再投票")
    VOTE_ALREADY_OPEN = (409, "本案已有一场进行中的委员会表决")
    NO_COMMITTEE = (400, "尚未指定专业委员会委员（或全部回避），不能发起表决")
    CHOICE_INVALID = (400, "请选择赞成、反对或弃权")
    VOTE_HOURS_INVALID = (400, "表决时长应为1至168小时")
    TEAM_TOO_SMALL = (400, "现场检查小组至少需要{minimum}名检查人员（I‑30），目前{count}名")
    TEAM_MEMBER_INVALID = (400, "检查人员须为协会工作人员")
    INSPECTION_STATE = (409, "该检查当前为“{status}”，不能{action}")
    FIELDWORK_TOO_EARLY = (409, "须在通知后5个工作日开始现场检查，最早{earliest}（I‑31）")
    DOCUMENTS_REQUIRED = (400, "请上传至少一个资料文件（PDF、Word、JPG 或 PNG）")
    REQUEST_ANSWERED = (409, "该资料要求已于{day}答复")
    RECTIFICATION_STATE = (409, "该整改要求{state}")
    FLAG_INPUT_INVALID = (400, "监测数据第{row}项有误：{detail}")
