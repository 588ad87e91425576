"""Lenders' identity over the API: signing in by SMS code (`sign_in`, /api/auth) and the
identity steps (`lender`, /api/me)."""

from winddown.identity.api.lender import router
from winddown.identity.api.sign_in import router as sign_in_router

__all__ = ["router", "sign_in_router"]
