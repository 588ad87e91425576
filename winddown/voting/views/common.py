"""What the lender, public and staff pages of voting events share."""

from __future__ import annotations

from winddown.rules import RulesInputError, get_rule
from winddown.voting.models import (
    EventKind,
    VotingEvent,
)


def rule_info(event: VotingEvent) -> dict | None:
    if not event.rule_id:
        return None
    try:
        rule = get_rule(event.rule_id)
        context = "election" if event.kind == EventKind.ELECTION else "motion"
        conditions = rule.conditions(event.rule_params, context)
    except RulesInputError:
        return None
    return {"rule": rule, "conditions": conditions}
