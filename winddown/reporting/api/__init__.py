"""Reporting and disclosure over the API: ``staff`` (/api/reporting, institutions' own
systems file directly) and ``public`` (/api/disclosure, anyone)."""

from winddown.reporting.api.public import public_router
from winddown.reporting.api.staff import staff_router

__all__ = ["public_router", "staff_router"]
