"""Voting events over the API (manual 2.1–2.3), one module per audience; the routers are
mounted in winddown/api/routers.py:

- `lender` (/api/events): my events, reading attachments, casting and changing ballots,
  representative sign-ups;
- `notices` (/api/notices): in-app messages;
- `public` (/api/results, no authentication): published results, receipt proofs and the
  downloadable bundle that `python -m winddown.verify` checks;
- `staff_events`, `staff_signups` (/api/staff): drafting, review, progress (participation
  only), sign-up review and publication.

Handlers stay thin: parse, check the role, call a service or a selector, shape the answer.
"""

from ninja import Router

from winddown.api.auth import AUTH
from winddown.voting.api import staff_events, staff_signups
from winddown.voting.api.lender import lender_router
from winddown.voting.api.notices import notices_router
from winddown.voting.api.public import public_router

staff_router = Router(auth=AUTH)
staff_router.add_router("", staff_events.router)
staff_router.add_router("", staff_signups.router)

__all__ = ["lender_router", "notices_router", "public_router", "staff_router"]
