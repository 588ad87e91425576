from winddown.core.errors import ErrorCode


class VotingErrorCode(ErrorCode):
    """Every refusal of the voting domain, to the pages and the API alike ("voting.*")."""

    # Authoring and review
    TITLE_REQUIRED = (400, "请填写标题")
    CONTENT_REQUIRED = (400, "请填写活动内容")
    KIND_INVALID = (400, "活动类型无效")
    RULE_INVALID = (400, "计票规则无效：{detail}")
    RULE_GROUPED = (400, "分组表决规则（重整计划）暂不支持在线投票，请选择其他规则")
    TIME_ORDER = (400, "截止时间必须晚于开始时间")
    OPENS_IN_PAST = (400, "开始时间必须晚于当前时间")
    TOO_SHORT = (400, "投票时间至少应为 {hours} 小时")
    SEATS_INVALID = (400, "应选人数和每人最多票数应为正整数，且每人最多票数不超过应选人数")
    NO_CANDIDATES = (400, "选举至少需要一名候选人")
    CANDIDATE_NAME_REQUIRED = (400, "请填写候选人姓名")
    CANDIDATE_DUPLICATE = (
        409,
        "已有名为“{name}”的候选人；同名候选人请在姓名后加注以区分，如“{name}（财务）”",
    )
    NOT_EDITABLE = (409, "活动当前为“{status}”，只有草稿或被退回的活动可以修改")
    WRONG_STATUS = (409, "活动当前为“{status}”，不能{action}")
    NO_ACTIVE_REGISTER = (409, "本机构还没有生效的债权登记表，无法确定有表决权的出借人")
    COMMENT_REQUIRED = (400, "请填写退回意见，说明需要修改什么")
    REASON_REQUIRED = (400, "请填写取消原因（活动已开始，取消须说明理由并公告）")
    ATTACHMENT_INVALID = (400, "{detail}")
    ATTACHMENT_TOO_LARGE = (413, "附件超过 {limit_mb} MB，请压缩后上传")
    # Lenders
    NOT_VERIFIED = (403, "请先完成身份认证")
    NO_PASSWORD = (409, "请先设置投票密码")
    NOT_OPEN_YET = (409, "投票尚未开始，开始时间为 {opens_at}")
    ALREADY_CLOSED = (409, "投票已于 {closes_at} 截止，不能再投票或修改")
    NOT_OPEN = (409, "活动当前为“{status}”，不能投票")
    NOT_IN_ELECTORATE = (
        403,
        "您不在本次表决的出借人名单中"
        "（以 {record_date} 生效的债权登记表中待收本金大于零的出借人为准）",
    )
    ATTACHMENTS_UNREAD = (409, "请先点击阅读全部附件（还有 {count} 个未读）后再投票")
    CHOICE_INVALID = (400, "选项“{choice}”不存在，请重新选择")
    ABSTAIN_NOT_ALLOWED = (400, "本次表决不设弃权选项")
    TOO_MANY_CHOICES = (400, "每人最多选择 {max_choices} 名候选人，您选择了 {count} 名")
    NO_CHOICE = (400, "请至少选择一名候选人")
    DUPLICATE_CHOICE = (400, "同一候选人只能选择一次")
    NOT_A_BALLOT_EVENT = (409, "该活动不是投票活动")
    # Sign-ups
    NOT_RECRUITMENT = (409, "该活动不是出借人代表征集")
    SIGNUP_EXISTS = (409, "您已报名本次征集；如需修改，请先撤回后重新报名")
    SIGNUP_FIELD = (400, "{detail}")
    SIGNUP_IDENTITY_MISMATCH = (400, "报名信息须与您实名认证的姓名和身份证号码一致")
    SIGNUP_NOT_ACTIVE = (409, "该报名当前为“{status}”，不能{action}")
    REVIEW_REASON_REQUIRED = (400, "不通过时请填写理由")
    NO_INSTITUTION = (403, "您的账户尚未关联机构，不能创建投票活动")
    ROLE_FORBIDDEN = (403, "您的角色无权{action}")
    NOT_OWN_INSTITUTION = (403, "只有本机构的经办人员可以{action}")
    OPERATOR_CANNOT_CANCEL = (
        403,
        "活动已开始，机构经办人不能取消；如确需取消，请联系专项工作组（须说明理由并公告）",
    )
    RECRUITMENT_NOT_CLOSED = (409, "征集“{title}”尚未截止，截止并审核报名后才能生成候选人")
    PUBLISH_FAILED = (409, "公布失败：结果包未通过自检，请联系系统管理员")
    # Ballots over the API
    CHOICE_REQUIRED = (400, "请选择：决议请填写 choice（yes / no / abstain），选举请填写 choices")
    CHOICE_AMBIGUOUS = (400, "choice 和 choices 只能填写其中一个")
    IDEMPOTENCY_KEY_INVALID = (
        400,
        "幂等键（Idempotency-Key）应为 1 至 64 个可见 ASCII 字符；请求头与请求体中的值须一致",
    )
    IDEMPOTENCY_KEY_REUSED = (
        409,
        "该幂等键（Idempotency-Key）已用于另一份选票，本次选择未被记录；"
        "如要改投，请使用新的幂等键重新提交",
    )
    # Results
    RECEIPT_UNKNOWN = (404, "找不到该回执码，请核对后重试")
    RECEIPT_FORMAT = (400, "回执码应为 16 位，由字母 A-Z 和数字 2-7 组成，请核对后重试")
    RECEIPT_RATE_LIMITED = (429, "当前网络核验回执过于频繁，请一小时后再试")
