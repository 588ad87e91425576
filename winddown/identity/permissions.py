"""Who may see a lender page: a signed-in lender who finished verification; others are
sent to their next onboarding step (STEP_URLS)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.shortcuts import redirect

from winddown.accounts.permissions import lender_required
from winddown.identity.selectors import lender_for_user

STEP_URLS = {
    "identity": "identity:lender-identity",
    "liveness": "identity:lender-liveness",
    "password": "identity:lender-password-set",
    "done": "web:lender-me",
}


def verified_lender_required(view: Callable) -> Callable:
    """A signed-in lender who finished identity verification; others go to their next
    onboarding step. The view receives the Lender as its second argument."""

    @lender_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        lender = lender_for_user(request.user)
        if not lender.is_verified:
            return redirect(STEP_URLS[lender.next_step])
        return view(request, lender, *args, **kwargs)

    return wrapper
