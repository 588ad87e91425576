"""Per-address limit on the anonymous receipt checks (the public page and /api/results).

A check costs a few O(log n) reads (`receipt_tree`), so the limit is not what keeps the
platform up; it keeps anyone from trying receipt codes in bulk. It is generous because
many lenders share one address behind a carrier's NAT."""

from winddown.core.ratelimits import check_rate
from winddown.voting.errors import VotingErrorCode

RECEIPT_PER_ADDRESS = "300/h"


def check_receipt_rate(request) -> None:
    check_rate(
        request,
        group="voting-receipt",
        rate=RECEIPT_PER_ADDRESS,
        error=VotingErrorCode.RECEIPT_RATE_LIMITED,
    )
