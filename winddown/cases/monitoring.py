"""Off-site monitoring rules (检查办法 第九条 "进行分析，做出评价，并采取相应措施";
spec C.4 O5): pure, integer arithmetic on amounts in fen, no Django.

* ``overdue_jump``: the amount overdue rate (金额逾期率 = overdue principal / outstanding
  principal, AH‑05) rose by at least ``points`` percentage points from the previous period:
  ``cur_o/cur_b - prev_o/prev_b >= points/100``, compared as
  ``100·(cur_o·prev_b − prev_o·cur_b) >= points·cur_b·prev_b``.
* ``related_party``: a related-party loan balance above zero (AH‑03).
* ``own_funds_compensation``: 代偿 paid from the platform's own funds above zero (spec G.4).
"""

from __future__ import annotations

from dataclasses import dataclass

DEFAULT_JUMP_POINTS = 5


@dataclass(frozen=True, slots=True)
class Figures:
    """One institution's filed figures for one period (fen)."""

    period: str
    overdue_fen: int
    outstanding_fen: int
    related_party_fen: int = 0
    own_funds_compensation_fen: int = 0


@dataclass(frozen=True, slots=True)
class Flag:
    kind: str
    explanation: str  # Chinese, with the figures
    detail: dict


def _rate_text(overdue: int, balance: int) -> str:
    if balance <= 0:
        return "—"
    hundredths = (overdue * 10_000 * 2 + balance) // (2 * balance)  # half-up, 0.01 %
    return f"{hundredths // 100}.{hundredths % 100:02d}%"


def overdue_jump(previous: Figures, current: Figures, points: int = DEFAULT_JUMP_POINTS) -> bool:
    if previous.outstanding_fen <= 0 or current.outstanding_fen <= 0:
        return False
    left = 100 * (
        current.overdue_fen * previous.outstanding_fen
        - previous.overdue_fen * current.outstanding_fen
    )
    return left >= points * current.outstanding_fen * previous.outstanding_fen


def evaluate(
    current: Figures, previous: Figures | None = None, *, points: int = DEFAULT_JUMP_POINTS
) -> list[Flag]:
    flags = []
    if previous is not None and overdue_jump(previous, current, points):
        before = _rate_text(previous.overdue_fen, previous.outstanding_fen)
        after = _rate_text(current.overdue_fen, current.outstanding_fen)
        flags.append(
            Flag(
                "overdue_jump",
                f"金额逾期率由{previous.period}的{before}升至{current.period}的{after}，"
                f"上升不少于{points}个百分点",
                {"previous": previous.period, "points": points},
            )
        )
    if current.related_party_fen > 0:
        flags.append(
            Flag(
                "related_party",
                f"{current.period}关联方借款余额为{current.related_party_fen}分，大于零",
                {"related_party_fen": current.related_party_fen},
            )
        )
    if current.own_funds_compensation_fen > 0:
        flags.append(
            Flag(
                "own_funds_compensation",
                f"{current.period}以平台自有资金代偿{current.own_funds_compensation_fen}分",
                {"own_funds_compensation_fen": current.own_funds_compensation_fen},
            )
        )
    return flags
