"""Claims registers over the API: `lender` (/api/me/claims) and `staff` (/api/...)."""

from winddown.claims.api.lender import lender_router
from winddown.claims.api.staff import staff_router

__all__ = ["lender_router", "staff_router"]
