"""Schema-driven tests: schemathesis generates requests for every operation of the served
OpenAPI document and sends them to the WSGI application, anonymously, as a lender and as an
operator. No request may end in a server error, every response must be documented (status,
content type, body schema) and money is integer fen everywhere."""

from __future__ import annotations

import functools
import itertools
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import Failure
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from winddown.api.tests.cases_fixtures import cases_known_ids
from winddown.api.tests.conftest import PHONE_1, ApiClient, World, lender_token, staff_token
from winddown.api.tests.voting_fixtures import voting_known_ids
from winddown.claims.models import Dispute
from winddown.wsgi import application

SCHEMA = schemathesis.openapi.from_wsgi("/api/openapi.json", application)
OPERATIONS = {result.ok().label: result.ok() for result in SCHEMA.get_all_operations()}
# Operations that end the session or wipe the identity run last, so the others run signed in.
LAST = ("POST /api/me/voting-password/forgot", "DELETE /api/auth/token")
ORDER = [label for label in OPERATIONS if label not in LAST] + list(LAST)
# Bounded so the whole module runs in about a minute; raise it to hunt for more.
PUBLIC = {
    "POST /api/auth/lender/sms-code",
    "POST /api/auth/lender/token",
    "POST /api/auth/staff/token",
    # Published voting results, their bundles and receipt proofs are for everyone.
    "GET /api/results",
    "GET /api/results/{event_id}",
    "GET /api/results/{event_id}/bundle",
    "GET /api/results/{event_id}/receipts/{code}",
    # The disclosure column is public (披露办法 第十五条).
    "GET /api/disclosure/institutions",
    "GET /api/disclosure/institutions/{institution_id}",
    "GET /api/disclosure/institutions/{institution_id}/{section}",
}
EXAMPLES_PER_OPERATION = int(os.environ.get("WINDDOWN_SCHEMA_EXAMPLES", "25"))


class MoneyNotInFen(Failure):
    def __init__(self, operation: str, message: str):
        super().__init__(operation=operation, title="Money not in integer fen", message=message)

    @property
    def _unique_key(self) -> str:
        return self.message


def money_in_integer_fen(ctx, response, case) -> bool | None:
    """Every `*_fen` field in a JSON response is an integer (never a bool, float or string)."""
    if "json" not in (response.headers.get("content-type") or [""])[0]:
        return None
    try:
        body = response.json()
    except ValueError:
        return None
    for key, value in _walk(body):
        if key.endswith("_fen") and value is not None and type(value) is not int:
            raise MoneyNotInFen(case.operation.label, f"{key} = {value!r}")
    return None


def _walk(value) -> Iterator[tuple[str, object]]:
    if isinstance(value, dict):
        for key, item in value.items():
            yield key, item
            yield from _walk(item)
    elif isinstance(value, list):
        for item in value:
            yield from _walk(item)


CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    money_in_integer_fen,
]


@contextmanager
def _same_connection() -> Iterator[None]:
    """Like Django's test client: requests run inside the test's transaction, so the
    handler must not close the connection at the start and end of each request."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def _known_ids(world: World) -> dict[str, list[int]]:
    """Ids that exist, so that generated requests also reach past the 404s."""
    return {
        "institution_id": [world.institution_a.pk, world.institution_b.pk],
        "version_id": [world.version_a.pk, world.version_b.pk, world.pending_b.pk],
        "dispute_id": [world.dispute_a.pk, world.dispute_b.pk],
        "import_id": [world.import_b.pk],
    }


def _reporting_known_ids(world: World) -> dict[str, list]:
    from winddown.reporting.models import Filing, FilingVersion

    filing = Filing.objects.create(institution=world.institution_a, table="AH-05", period="2026-09")
    FilingVersion.objects.create(filing=filing, number=1, definitions_version="test")
    return {"filing_id": [filing.pk], "section": ["complaints", "exit"]}


def _strategy(operation, known: dict[str, list[int]]):
    names = {p.name for p in operation.path_parameters}
    strategies = [
        operation.as_strategy(GenerationMode.POSITIVE),
        operation.as_strategy(GenerationMode.NEGATIVE),
    ]
    if names:
        fixed = st.fixed_dictionaries({name: st.sampled_from(known[name]) for name in names})
        strategies.append(
            fixed.flatmap(
                lambda ids: operation.as_strategy(GenerationMode.POSITIVE, path_parameters=ids)
            )
        )
    return st.one_of(strategies)


def _exercise(operation, headers: dict[str, str], known) -> set[int]:
    """Run the generated cases of one operation, then one valid case for every combination
    of known objects (so the objects are reached every run, not by chance); return the
    statuses seen."""
    statuses: set[int] = set()

    def check(case):
        # Every WSGI server sets REMOTE_ADDR (the rate limits key on it); Werkzeug does not.
        response = case.call(headers=headers, environ_base={"REMOTE_ADDR": "127.0.0.1"})
        statuses.add(response.status_code)
        case.validate_response(response, checks=CHECKS, headers=headers)

    def run(strategy, examples: int) -> None:
        options = settings(
            max_examples=examples,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        options(given(case=strategy)(check))()

    run(_strategy(operation, known), EXAMPLES_PER_OPERATION)
    names = sorted(p.name for p in operation.path_parameters)
    for values in itertools.product(*(known[name] for name in names)):
        ids = dict(zip(names, values, strict=True))
        run(operation.as_strategy(GenerationMode.POSITIVE, path_parameters=ids), 1)
    return statuses


def _is_staff_operation(label: str) -> bool:
    return not label.split(" ", 1)[1].startswith(("/api/me", "/api/auth"))


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["anonymous", "lender", "new_lender", "operator", "officer"])
def test_no_server_errors_and_documented_responses(world, wg_officer, who):
    tokens = {
        "anonymous": None,
        "lender": lambda: lender_token(PHONE_1),
        # Signed in for the first time: not verified yet.
        "new_lender": lambda: lender_token("13912345678"),
        "operator": lambda: staff_token(world.operator_a),
        # The working group also maintains the register of institutions.
        "officer": lambda: staff_token(wg_officer),
    }
    token = tokens[who]() if tokens[who] else None
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    known = {
        **_known_ids(world),
        **voting_known_ids(world, wg_officer),
        **_reporting_known_ids(world),
        **cases_known_ids(world),
    }
    labels = [
        label
        for label in ORDER
        if (who != "officer" or _is_staff_operation(label))
        and (who != "new_lender" or label.split(" ", 1)[1].startswith("/api/me"))
    ]
    failures = []
    seen: dict[str, set[int]] = {}
    with _same_connection():
        for label in labels:
            try:
                seen[label] = _exercise(OPERATIONS[label], headers, known)
            except (Exception, BaseExceptionGroup) as exc:  # collect all, then report
                failures.append(f"{label}:\n{exc}")
    assert not failures, "\n\n".join(failures)

    # The run went where it should: anonymous requests stop at authentication (or, for a
    # write whose body is not JSON, before it: 415), signed-in ones get past it (until the
    # token is revoked by the very last operation).
    for label, statuses in seen.items():
        if label in PUBLIC or label == "DELETE /api/auth/token":
            continue
        if who == "anonymous":
            assert 401 in statuses and statuses <= {401, 415}, (label, statuses)
        else:
            assert 401 not in statuses, (label, statuses)
    reached = {
        "anonymous": ["GET /api/results", "GET /api/results/{event_id}"],
        "lender": [
            "GET /api/me",
            "GET /api/me/claims",
            "GET /api/me/claims/disputes",
            "GET /api/events",
            "GET /api/events/{event_id}",
        ],
        "operator": [
            "GET /api/institutions",
            "GET /api/institutions/{institution_id}/disputes",
            "GET /api/staff/events/{event_id}",
        ],
        "officer": [
            "GET /api/institutions",
            "GET /api/registers/{version_id}/diff",
            "GET /api/staff/events/{event_id}/progress",
        ],
    }
    for label in reached.get(who, []):
        assert 200 in seen[label], (label, seen[label])


# --- Guards ---------------------------------------------------------------------------------


@functools.cache
def _schema() -> dict:
    from winddown.api.routers import api

    return api.get_openapi_schema()


def _properties(schema: dict) -> Iterator[tuple[str, str, dict]]:
    for name, component in schema["components"]["schemas"].items():
        for prop, spec in component.get("properties", {}).items():
            yield name, prop, spec


def test_money_fields_are_integers_in_the_schema():
    money = [(n, p, s) for n, p, s in _properties(_schema()) if p.endswith("_fen")]
    assert len(money) >= 10
    for name, prop, spec in money:
        types = {spec.get("type")} | {option.get("type") for option in spec.get("anyOf", [])}
        assert types - {None, "null"} == {"integer"}, (name, prop, spec)
        # Each amount in fen comes with its yuan string next to it.
        yuan = prop.removesuffix("_fen")
        if name in ("ClaimOut", "VersionOut"):
            assert _schema()["components"]["schemas"][name]["properties"][yuan]["type"] == "string"


def test_input_schemas_forbid_unknown_fields():
    for name, component in _schema()["components"]["schemas"].items():
        if name.endswith(("In", "Patch")):
            assert component.get("additionalProperties") is False, name


@pytest.mark.django_db
@pytest.mark.parametrize("value", [False, True, "1", 1.0, 1.5, None, [1]])
def test_integers_are_strict(world, value):
    """`false` is not 0 and "1" is not 1: where an integer is expected only an integer goes."""
    operator = ApiClient(staff_token(world.operator_a))
    response = operator.post(
        f"/api/disputes/{world.dispute_a.pk}/answer",
        {"outcome": "corrected", "answer": "已更正", "corrected_version_id": value},
    )
    if value is None:  # the field is optional: null means "no corrected version"
        assert response.status_code == 200, response.content
    else:
        assert response.status_code == 422, (value, response.content)
        world.dispute_a.refresh_from_db()
        assert world.dispute_a.status == "open"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("path", "params"),
    [
        ("/api/registers/{version}/diff", {"offset": "false"}),
        ("/api/registers/{version}/diff", {"limit": "1.5"}),
        ("/api/registers/{version}/diff", {"kind": "everything"}),
        ("/api/registers/false", {}),
        ("/api/institutions/1e3", {}),
    ],
)
def test_query_and_path_integers_are_strict(world, path, params):
    operator = ApiClient(staff_token(world.operator_a))
    response = operator.get(path.format(version=world.version_a.pk), params)
    assert response.status_code in (404, 422), response.content
    assert response.status_code != 200


@pytest.mark.django_db
@pytest.mark.parametrize("value", [1, 0, "true", None])
def test_booleans_are_strict(db, value):
    from winddown.conftest import make_lender

    make_lender("13800138000")
    lender = ApiClient(lender_token("13800138000"))
    response = lender.post(
        "/api/me/identity",
        {"real_name": "王小金", "id_number": "110101198505171379", "agreed": value},
    )
    assert response.status_code == 422, response.content


def test_openapi_document_is_served(client):
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    document = response.json()
    assert document["info"]["title"] == "网贷机构退出平台 API"
    assert re.match(r"3\.", document["openapi"])
    assert set(document["components"]["securitySchemes"]) == {"BearerToken", "VerifiedSession"}


@pytest.mark.django_db
def test_huge_numbers_are_refused_or_empty_never_a_server_error(world):
    """Integers beyond 64 bits reach the database as ids, offsets and limits."""
    operator = ApiClient(staff_token(world.operator_a))
    diff = f"/api/registers/{world.version_a.pk}/diff"
    for params in (
        {"kind": "added", "offset": str(10**20)},
        {"kind": "added", "offset": str(2**63)},
        {"kind": "added", "offset": str(2**63 - 1)},
        {"kind": "added", "offset": "-5", "limit": str(10**30)},
    ):
        response = operator.get(diff, params)
        assert response.status_code == 200, (params, response.content)
    assert operator.get(diff, {"kind": "added", "offset": str(10**20)}).json() == []
    assert len(operator.get(diff, {"kind": "added", "limit": str(10**30)}).json()) == 3
    for path in ("/api/institutions/{}", "/api/registers/{}", "/api/disputes/{}"):
        assert operator.get(path.format(10**30)).status_code == 404
    answer = operator.post(
        f"/api/disputes/{world.dispute_a.pk}/answer",
        {"outcome": "corrected", "answer": "已更正", "corrected_version_id": 10**30},
    )
    assert answer.status_code == 400
    assert answer.json()["code"] == "claims.corrected_version_invalid"


@pytest.mark.django_db
def test_nul_characters_are_refused_at_the_edge(world, wg_officer):
    """PostgreSQL cannot store or even compare text with NUL: every text input refuses it
    with a 422 instead of a server error (or, on SQLite, storing it)."""
    anonymous = ApiClient()
    lender = ApiClient(lender_token(PHONE_1))
    operator = ApiClient(staff_token(world.operator_a))
    officer = ApiClient(staff_token(wg_officer))
    a = world.institution_a.pk
    calls = [
        anonymous.post("/api/auth/lender/sms-code", {"phone": "1380013800\x00"}),
        anonymous.post("/api/auth/lender/token", {"phone": PHONE_1, "code": "\x00"}),
        anonymous.post(
            "/api/auth/staff/token", {"username": "a\x00", "password": "x", "otp": "123456"}
        ),
        lender.post("/api/me/identity", {"real_name": "王\x00", "id_number": "1", "agreed": True}),
        lender.post("/api/me/liveness/start", {"return_url": "/m/\x00"}),
        lender.post("/api/me/liveness/complete", {"token": "\x00"}),
        lender.put(
            "/api/me/voting-password",
            {"old_password": "135790", "password": "24680\x00", "password_confirm": "x"},
        ),
        lender.multipart(f"/api/me/claims/{a}/disputes", {"reason": "本金不对\x00应为 200 元"}),
        operator.post(
            f"/api/disputes/{world.dispute_a.pk}/answer",
            {"outcome": "rejected", "answer": "不予\x00更正"},
        ),
        officer.patch(f"/api/institutions/{a}", {"business_address": "地址\x00"}),
    ]
    assert [response.status_code for response in calls] == [422] * len(calls)
    assert Dispute.objects.filter(lender=world.lender_1).count() == 1  # the world's, at B


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("field", "limit"),
    [
        ("full_name", 200),
        ("short_name", 50),
        ("registered_address", 300),
        ("business_address", 300),
    ],
)
def test_institution_texts_longer_than_the_column_are_refused(world, wg_officer, field, limit):
    officer = ApiClient(staff_token(wg_officer))
    created = officer.post(
        "/api/institutions",
        {
            "full_name": "网贷机构C信息咨询有限公司",
            "short_name": "网贷机构C",
            "credit_code": "91310000MA1FL1234Q",
            "registered_address": "上海市黄浦区中山东一路 1 号",
            field: "长" * (limit + 1),
        },
    )
    assert created.status_code == 400, created.content
    assert created.json()["code"] == "institutions.too_long"
    assert created.json()["field"] == field
    assert str(limit) in created.json()["message"]
    patched = officer.patch(
        f"/api/institutions/{world.institution_a.pk}", {field: "长" * (limit + 1)}
    )
    assert patched.status_code == 400
    exact = officer.patch(f"/api/institutions/{world.institution_a.pk}", {field: "长" * limit})
    assert exact.status_code == 200, exact.content
