"""Pro-rata repayment rounds (先本金后收益): pure Python, integer fen, no Django.

>>> from winddown.distribution import Claim, allocate
>>> a = allocate(100000, [Claim("a", 60000, 10000), Claim("b", 50000, 5000)])
>>> a.payments["a"].principal_fen, a.payments["b"].principal_fen, a.left_fen
(54545, 45455, 0)

See README.md in this directory for the semantics, the API and the JSON contract.
"""

from .engine import allocate, largest_remainder
from .jsonio import (
    MAX_FEN,
    METHOD,
    RoundInput,
    allocate_json,
    format_amount,
    from_json,
    parse_amount,
    policy_from_dict,
    policy_to_dict,
    to_json,
)
from .model import (
    STATUSES,
    Allocation,
    Claim,
    DistributionInputError,
    Payment,
    Payments,
    Policy,
    Status,
)

__all__ = [
    "MAX_FEN",
    "METHOD",
    "STATUSES",
    "Allocation",
    "Claim",
    "DistributionInputError",
    "Payment",
    "Payments",
    "Policy",
    "RoundInput",
    "Status",
    "allocate",
    "allocate_json",
    "format_amount",
    "from_json",
    "largest_remainder",
    "parse_amount",
    "policy_from_dict",
    "policy_to_dict",
    "to_json",
]
