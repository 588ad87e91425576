"""Pages that compose several domains: the lender's home and 我的, the staff dashboard
and an institution's page."""

from __future__ import annotations

from django.shortcuts import redirect, render

from winddown.accounts.permissions import lender_required, staff_required
from winddown.accounts.roles import INSTITUTION_ADMIN_ROLES, Role
from winddown.claims import selectors as claims_selectors
from winddown.identity.permissions import STEP_URLS
from winddown.identity.selectors import lender_for_user
from winddown.institutions.selectors import access_institution_by_id, visible_institutions
from winddown.voting import selectors as voting_selectors
from winddown.voting.services import lifecycle


@lender_required
def home(request):
    """首页: the lender's voting events grouped 进行中 / 即将开始 / 已结束 once onboarding is
    done (the next onboarding step before), and the claims still waiting to be checked."""
    lender = lender_for_user(request.user)
    if lender.next_step != "done":
        return redirect(STEP_URLS[lender.next_step])
    events = [
        lifecycle.event_advance_if_due(event, quiet=True)
        for event in voting_selectors.lender_events(lender)
    ]
    groups = voting_selectors.lender_event_groups(lender, events)
    # The manual puts checking one's claims before voting: say which still wait for it.
    to_check = [
        claim
        for claim in claims_selectors.lender_claims(lender)
        if not claim.confirmed and claim.open_dispute is None
    ]
    context = {
        "lender": lender,
        "claims_to_check": to_check,
        "groups": [
            ("进行中", "open", groups["open"]),
            ("即将开始", "upcoming", groups["upcoming"]),
            ("已结束", "ended", groups["ended"]),
        ],
        "empty": not any(groups.values()),
    }
    return render(request, "web/lender/home.html", context)


@lender_required
def me(request):
    lender = lender_for_user(request.user)
    context = {
        "lender": lender,
        "claims": claims_selectors.lender_claims(lender),
        "disputes": claims_selectors.lender_disputes(lender)[:20],
    }
    return render(request, "web/lender/me.html", context)


@staff_required()
def dashboard(request):
    institutions = visible_institutions(request.user)
    rows = []
    for institution in institutions:
        rows.append(
            {
                "institution": institution,
                "active": claims_selectors.active_register(institution),
                "open_disputes": claims_selectors.dispute_queue(institution).count(),
            }
        )
    return render(request, "web/staff/dashboard.html", {"rows": rows})


@staff_required()
def institution_detail(request, institution_id: int):
    institution = access_institution_by_id(request.user, institution_id)
    required_columns, optional_columns = claims_selectors.register_columns()
    context = {
        "institution": institution,
        "versions": claims_selectors.institution_versions(institution),
        "imports": claims_selectors.institution_imports(institution),
        "open_disputes": claims_selectors.dispute_queue(institution).count(),
        "can_upload": request.user.role == Role.OPERATOR,
        "can_edit": request.user.role in INSTITUTION_ADMIN_ROLES,
        "required_columns": required_columns,
        "optional_columns": optional_columns,
    }
    return render(request, "web/staff/institution.html", context)
