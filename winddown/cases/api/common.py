"""What the cases routers share."""

from winddown.api.schemas import DetailOut, ErrorOut, ValidationErrorOut

ERRORS = {
    400: ErrorOut,
    401: DetailOut,
    403: DetailOut,
    404: DetailOut,
    409: ErrorOut,
    413: ErrorOut,
    422: ValidationErrorOut,
    429: ErrorOut,
}
