"""The deadlines of a report, in working days (举报办法 第十三条; spec D.6, I‑40–I‑44).

Pure: no Django, no calendar of its own. The caller passes ``add(d, n)``, the ``n``-th
working day after ``d`` (``workdays.selectors.add_working_days``: the start day is not
counted, 民法典 第二百零一条).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

AddWorkingDays = Callable[[date, int], date]

ACCEPT_DAYS = 5  # I‑40: from registration (an SLA, not a legal deadline)
START_DAYS = 10  # 第十三条3: from the decision to accept
END_DAYS = 60  # 第十三条5, from the investigation start (I‑41)
EXTENSION_DAYS = 60  # I‑42: each continuation by the secretary-general
DECIDE_DAYS = 10  # 第十三条7: from the end of the investigation
FEEDBACK_DAYS = 10  # I‑44: from the handling decision
ANSWER_DAYS = 10  # default for the institution's answer or rectification (configurable)
WARN_DAYS = 2  # the daily task warns this many working days before a deadline
DEFENCE_DAYS = 5  # 惩戒办法 第十条（二）: from receipt of the 惩戒告知书
APPEAL_DAYS = 5  # 惩戒办法 第十五条（一）: from receipt of the 惩戒决定书
APPEAL_DECISION_DAYS = 20  # 惩戒办法 第二十条: from acceptance of the appeal (I‑48)
RECTIFICATION_REPORT_DAYS = 5  # 检查办法 第十九条


def acceptance_due(add: AddWorkingDays, received_on: date) -> date:
    return add(received_on, ACCEPT_DAYS)


def start_due(add: AddWorkingDays, accepted_on: date) -> date:
    return add(accepted_on, START_DAYS)


def end_due(add: AddWorkingDays, started_on: date) -> date:
    return add(started_on, END_DAYS)


def extended_end_due(add: AddWorkingDays, current_end_due: date) -> date:
    """A continuation (第十三条6) sets a new deadline, +60 working days (I‑42)."""
    return add(current_end_due, EXTENSION_DAYS)


def decision_due(add: AddWorkingDays, ended_on: date) -> date:
    return add(ended_on, DECIDE_DAYS)


def feedback_due(add: AddWorkingDays, decided_on: date) -> date:
    return add(decided_on, FEEDBACK_DAYS)


@dataclass(frozen=True, slots=True)
class Pending:
    kind: str  # a DueKind value
    due: date


def pending_deadline(
    *,
    status: str,
    acceptance_due: date | None,
    start_due: date | None,
    end_due: date | None,
    decision_due: date | None,
    answer_due: date | None,
    answered: bool,
    feedback_due: date | None,
    feedback_sent: bool,
) -> Pending | None:
    """The deadline the case waits for now: the earliest of the step of its state and, once
    the institution has been notified, its answer; once decided or rejected, the feedback
    to the reporter."""
    waiting = []
    step = {
        "received": ("accept", acceptance_due),
        "accepted": ("start", start_due),
        "investigating": ("end", end_due),
        "investigated": ("decide", decision_due),
    }.get(status)
    if step is not None and step[1]:
        waiting.append(Pending(step[0], step[1]))
    if status in ("decided", "rejected") and feedback_due and not feedback_sent:
        waiting.append(Pending("feedback", feedback_due))  # 第十三条9: "无论调查处理结果如何"
    if status != "archived" and answer_due and not answered:
        waiting.append(Pending("answer", answer_due))
    return min(waiting, key=lambda p: (p.due, p.kind)) if waiting else None


def similar(a: str, b: str, *, threshold_percent: int = 80) -> bool:
    """Two reports' facts say the same thing (第五条3 重复举报): the ratio of matching
    characters, compared as integers (``ratio * 100 >= threshold``), after dropping
    whitespace and punctuation."""
    from difflib import SequenceMatcher

    def fold(text: str) -> str:
        return "".join(ch for ch in text.lower() if ch.isalnum())

    x, y = fold(a), fold(b)
    if not x or not y:
        return False
    if x == y:
        return True
    matcher = SequenceMatcher(None, x, y, autojunk=False)
    matched = sum(block.size for block in matcher.get_matching_blocks())
    return matched * 2 * 100 >= threshold_percent * (len(x) + len(y))


def redact(text: str, secrets: list[str]) -> str:
    """``text`` with every occurrence of each secret (the reporter's name, phone and ID
    number) replaced by ``***`` (第十二条 技术处理; 第十三条11 "不包括举报人的任何信息")."""
    for secret in sorted((s for s in secrets if s and len(s) >= 2), key=len, reverse=True):
        text = text.replace(secret, "***")
    return text
