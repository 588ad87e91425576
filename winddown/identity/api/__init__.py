"""Lenders' identity over the API (/api/me): see `lender`."""

from winddown.identity.api.lender import router

__all__ = ["router"]
