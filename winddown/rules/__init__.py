"""Counting rules for lender votes: pure Python, integer arithmetic, no Django.

Quantities are ``int``: heads, and weights in hundredths (fen, or 0.01 m²).
Decimal strings exist only at the JSON edge (:mod:`winddown.rules.jsonio`).

>>> from winddown.rules import Motion, Options, Tally, evaluate
>>> d = evaluate(Motion("p2p-exit", Tally(20, 90000),
...                     Options(yes=Tally(6, 45001), no=Tally(4, 14998))))
>>> d.passed
False
>>> [c.id for c in d.criteria if not c.holds]
['participation-weight']

See README.md in this directory for the rules, the API and the JSON schema.
"""

from .engine import evaluate, evaluate_election, validate_ballots, validate_election
from .jsonio import evaluate_json, from_json, parse_weight, to_json
from .model import (
    Candidate,
    CandidateResult,
    Criterion,
    CriterionSpec,
    Decision,
    Election,
    ElectionResult,
    Group,
    GroupDecision,
    Motion,
    Options,
    RulesInputError,
    Tally,
)
from .registry import RULES, ParamSpec, Rule, get_rule

__all__ = [
    "RULES",
    "Candidate",
    "CandidateResult",
    "Criterion",
    "CriterionSpec",
    "Decision",
    "Election",
    "ElectionResult",
    "Group",
    "GroupDecision",
    "Motion",
    "Options",
    "ParamSpec",
    "Rule",
    "RulesInputError",
    "Tally",
    "evaluate",
    "evaluate_election",
    "evaluate_json",
    "from_json",
    "get_rule",
    "parse_weight",
    "to_json",
    "validate_ballots",
    "validate_election",
]
