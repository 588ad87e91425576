"""Who may open a page: staff who passed both factors and have an allowed role; lenders; a
refusal is audited, a missing sign-in goes to the right sign-in page."""

from __future__ import annotations

import pytest
from django.test import Client

from winddown.audit.actions import PlatformAction
from winddown.audit.models import AuditEntry
from winddown.conftest import STAFF_PASSWORD, make_lender, staff_signed_in

pytestmark = pytest.mark.django_db


def test_staff_pages_need_both_factors(wg_officer):
    half = Client()
    half.post("/staff/login/", {"username": "wg_officer", "password": STAFF_PASSWORD})
    response = half.get("/staff/audit/")
    assert response.status_code == 302 and response["Location"].startswith("/staff/login/")
    assert staff_signed_in(wg_officer).get("/staff/audit/").status_code == 200


def test_a_role_outside_a_page_is_refused_and_audited(operator_a):
    response = staff_signed_in(operator_a).get("/staff/audit/")
    assert response.status_code == 403 and "您的角色无权访问此页面" in response.content.decode()
    denied = AuditEntry.objects.get(action=PlatformAction.ACCESS_DENIED)
    assert (denied.actor_id, denied.object_id) == (operator_a.pk, "/staff/audit/")


def test_lenders_are_sent_to_the_lender_sign_in_and_staff_never_pass_as_lenders(wg_officer):
    response = Client().get("/m/me/")
    assert response.status_code == 302 and response["Location"].startswith("/m/login/")
    response = staff_signed_in(wg_officer).get("/m/me/")
    assert response.status_code == 302 and response["Location"].startswith("/m/login/")
    lender = make_lender("13800138000")
    client = Client()
    client.force_login(lender.user)
    assert client.get("/m/me/").status_code == 200
    assert client.get("/staff/").status_code == 302
