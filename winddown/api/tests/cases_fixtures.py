"""Cases objects for the schema-driven API test (test_schema.py)."""

from __future__ import annotations


def cases_known_ids(world) -> dict[str, list]:
    """A report by lender 1 against institution A, notified to it (so that its operator
    reaches it), and a second one not yet notified."""
    from winddown.accounts.roles import Role
    from winddown.cases import services
    from winddown.cases.models import Designation
    from winddown.conftest import SYSTEM, make_staff

    handler = make_staff("cases_handler", Role.ASSOCIATION_OFFICER)
    services.officer_designate(user=handler, designation=Designation.HANDLER, actor=SYSTEM)
    notified = services.report_file(
        lender=world.lender_1,
        institution=world.institution_a,
        categories=["R03"],
        facts="平台客服承诺到期保本保息，并要求追加出借。",
        actor=SYSTEM,
    )
    services.report_accept(report=notified, user=handler, actor=SYSTEM)
    services.investigation_start(report=notified, user=handler, actor=SYSTEM)
    services.institution_notify(report=notified, user=handler, actor=SYSTEM)
    waiting = services.report_file(
        lender=world.lender_1,
        institution=world.institution_b,
        categories=["R13"],
        facts="机构半年未披露任何兑付进展，客服无人接听。",
        actor=SYSTEM,
    )
    return {"report_id": [notified.pk, waiting.pk]}
