"""The register of institutions over the API (/api/institutions): see `staff`."""

from winddown.institutions.api.staff import router

__all__ = ["router"]
