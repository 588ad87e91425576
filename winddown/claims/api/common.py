"""What the claims routers share."""

from __future__ import annotations

from winddown.api.schemas import DetailOut, ErrorOut, ValidationErrorOut
from winddown.money import fen_to_decimal

ERRORS = {
    400: ErrorOut,
    401: DetailOut,
    403: DetailOut,
    404: DetailOut,
    409: ErrorOut,
    413: ErrorOut,
    422: ValidationErrorOut,
}


def _yuan(fen: int) -> str:
    return str(fen_to_decimal(fen))
