"""Cases over the API: `lender` (/api/me/reports), `staff` (/api/cases: the association)
and `institution` (/api/cases/reported: the reported institution)."""

from winddown.cases.api.institution import institution_router
from winddown.cases.api.lender import lender_router
from winddown.cases.api.staff import staff_router

__all__ = ["institution_router", "lender_router", "staff_router"]
