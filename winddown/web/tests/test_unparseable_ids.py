"""Ids the pages could not have sent are refused with 400 and a Chinese message, never a 500.

Every staff page (each route under /staff/, its path ids filled from a world with one of each
object) is sent unparseable ids (letters, 20-digit numbers, zero, negative numbers, Unicode
digits such as "²") in every query parameter and form field that carries an id, by GET and
by POST, as a user entitled to the page; the staff API's filters likewise.
"""

from __future__ import annotations

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from winddown.conftest import staff_signed_in
from winddown.core.params import MAX_ID
from winddown.web.tests import test_page_boundaries_by_institution_and_role as boundaries

pytestmark = pytest.mark.django_db

world = boundaries.world  # institutions A and B with one object of each kind at B

# Every parameter a staff page or form reads as an id (or a page number).
ID_PARAMETERS = (
    "institution",
    "corrected_version",
    "candidate",
    "attachment",
    "recruitment",
    "signup",
    "page",
)


def _is_an_id(text: str) -> bool:
    return text.isascii() and text.isdigit() and 0 < int(text) <= MAX_ID


unparseable = st.one_of(
    st.sampled_from(["abc", "²", "１２", "1e3", "0x10", "-1", "0", " 12 3", "1.0"]),
    st.integers(min_value=MAX_ID + 1, max_value=10**40).map(str),
    st.text(min_size=1, max_size=24).filter(lambda t: "\x00" not in t),
).filter(lambda t: not _is_an_id(t.strip()))


def _staff_routes(patterns=None, prefix: str = "") -> list[str]:
    routes = []
    for entry in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(entry, URLResolver):
            routes += _staff_routes(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            route = prefix + str(entry.pattern)
            if route.startswith("staff/") and not route.startswith(("staff/login", "staff/logout")):
                routes.append(route)
    return routes


def _fill(route: str, w) -> str:
    ids = {
        "institution_id": w.b.pk,
        "import_id": w.import_b.pk,
        "version_id": w.pending_b.pk,
        "dispute_id": w.dispute_b.pk,
        "signup_id": w.signup_b.pk,
        "event_id": w.submitted_b.pk,
        "entry_id": w.pending_b.entries.values_list("pk", flat=True).first(),
    }

    def value(match: re.Match) -> str:
        name = match.group(2)
        if name in ids:
            return str(ids[name])
        if match.group(1) == "int":
            return "1"
        return {"year": "2026"}.get(name, "x")

    return "/" + re.sub(r"<(?:(\w+):)?(\w+)>", value, route)


@pytest.fixture
def pages(world, operator_b, wg_officer, association_officer, sysadmin):
    """Each staff page with a client entitled to open it (the first of B's operator, the
    working group, the association, the administrator that gets 200)."""
    clients = [staff_signed_in(u) for u in (operator_b, wg_officer, association_officer, sysadmin)]
    found = []
    for route in _staff_routes():
        url = _fill(route, world)
        for client in clients:
            if client.get(url).status_code == 200:
                found.append((url, client))
                break
    assert len(found) >= 20, [url for url, _ in found]  # the sweep reaches the console
    return found


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(garbage=unparseable)
def test_no_staff_page_or_form_fails_on_an_unparseable_id(pages, garbage):
    data = dict.fromkeys(ID_PARAMETERS, garbage)
    for url, client in pages:
        for response in (client.get(url, data), client.post(url, data)):
            assert response.status_code < 500, (url, garbage, response.status_code)


@pytest.fixture
def working_group(wg_officer):
    return staff_signed_in(wg_officer)


@settings(
    max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(garbage=unparseable)
def test_staff_api_filters_refuse_unparseable_ids(working_group, garbage):
    # Pydantic reads "1.0" and " 7 " as integers, which is harmless; the rest must be refused.
    plain = re.fullmatch(r"\s*(\d+)(\.0*)?\s*", garbage)
    assume(not (plain and plain.group(1).isascii() and 0 < int(plain.group(1)) <= MAX_ID))
    response = working_group.get("/api/staff/events", {"institution_id": garbage})
    assert response.status_code in (400, 422), (garbage, response.status_code)


def test_twenty_digit_institution_on_the_event_list_is_a_400_naming_it(wg_officer):
    response = staff_signed_in(wg_officer).get("/staff/events/", {"institution": "9" * 20})
    assert response.status_code == 400
    assert "参数“机构”无效" in response.content.decode()


def test_letters_as_the_corrected_version_of_a_dispute_answer_are_a_400(world, operator_b):
    url = f"/staff/disputes/{world.dispute_b.pk}/"
    response = staff_signed_in(operator_b).post(
        url, {"outcome": "corrected", "answer": "已更正", "corrected_version": "abc"}
    )
    assert response.status_code == 400
    assert "参数“更正后的版本”无效" in response.content.decode()
    world.dispute_b.refresh_from_db()
    assert world.dispute_b.status == "open"  # nothing was answered
