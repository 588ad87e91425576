"""Sign-in over the API (/api/auth): see `sign_in`."""

from winddown.accounts.api.sign_in import router

__all__ = ["router"]
