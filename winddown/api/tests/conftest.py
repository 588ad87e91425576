"""Helpers for the API tests: a JSON client with a bearer token, sign-in the real way (SMS
code for lenders, password + TOTP for staff) and a small world of two institutions."""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from winddown.accounts.models import User
from winddown.audit.services import Actor
from winddown.claims import services as claims_services
from winddown.claims.models import Dispute, RegisterImport, RegisterVersion
from winddown.conftest import (
    STAFF_PASSWORD,
    SYSTEM,
    current_totp,
    make_lender,
    register_file,
    upload_and_activate,
)
from winddown.core.providers import sms as dev_providers
from winddown.demo.generators import resident_id
from winddown.identity.models import Lender
from winddown.institutions.models import Institution

JSON = "application/json"
# A valid 1x1 PNG: what a lender's phone sends as evidence.
PNG_BYTES = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)


def id_number(seed: int, area: str = "110101", birth=datetime.date(1985, 5, 17)) -> str:
    """A valid resident ID number (GB 11643 check digit), the same for the same seed."""
    return resident_id(random.Random(seed), area=area, birth=birth)


class ApiClient:
    """Django's test client speaking JSON to /api, with `Authorization: Bearer` if a token."""

    def __init__(self, token: str | None = None, client: Client | None = None):
        self.token = token
        self.client = client or Client()

    def _headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"} if self.token else {}

    def get(self, path: str, params: dict | None = None):
        return self.client.get(path, params or {}, headers=self._headers())

    def post(self, path: str, payload=None):
        if payload is None:
            return self.client.post(path, headers=self._headers())
        return self.client.post(path, payload, content_type=JSON, headers=self._headers())

    def put(self, path: str, payload):
        return self.client.put(path, payload, content_type=JSON, headers=self._headers())

    def patch(self, path: str, payload):
        return self.client.patch(path, payload, content_type=JSON, headers=self._headers())

    def delete(self, path: str):
        return self.client.delete(path, headers=self._headers())

    def multipart(self, path: str, data: dict):
        """POST multipart/form-data (files as SimpleUploadedFile or open files)."""
        return self.client.post(path, data, headers=self._headers())

    def call(self, method: str, path: str, payload=None):
        method = method.lower()
        if method == "get":
            return self.get(path)
        if method == "delete":
            return self.delete(path)
        if method == "post":
            return self.post(path, payload)
        return getattr(self, method)(path, payload if payload is not None else {})


def request_sms_code(phone: str):
    return ApiClient().post("/api/auth/lender/sms-code", {"phone": phone})


def lender_token(phone: str) -> str:
    """Sign a lender in over the API: ask for a code, read it from the dev outbox, swap it."""
    sent = request_sms_code(phone)
    assert sent.status_code == 200, sent.content
    code = dev_providers.last_code_for(phone)
    assert code is not None
    response = ApiClient().post("/api/auth/lender/token", {"phone": phone, "code": code})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["role"] == "lender"
    return body["token"]


def staff_token(user: User) -> str:
    """Sign a staff member in over the API with password and the current TOTP code.
    A TOTP code is accepted once, so call this at most once per user and test."""
    response = ApiClient().post(
        "/api/auth/staff/token",
        {"username": user.username, "password": STAFF_PASSWORD, "otp": current_totp(user)},
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["role"] == user.role
    return body["token"]


@pytest.fixture
def api():
    """`api()` is an anonymous client, `api(token)` one with a bearer token."""
    return ApiClient


# --- A world of two institutions ------------------------------------------------------------

PHONE_1 = "13800138000"  # holds claims at A and B
PHONE_2 = "13900139000"  # holds a claim at A
PHONE_3 = "13700137000"  # verified, no claim anywhere
ID_1 = id_number(1)
ID_2 = id_number(2, area="310104", birth=datetime.date(1979, 11, 2))
ID_3 = id_number(3, area="440305", birth=datetime.date(1992, 3, 15))
ID_4 = id_number(4, area="330106", birth=datetime.date(1990, 1, 1))


def row(name: str, number: str, phone: str, principal: str, interest: str, loans: str = "1"):
    return [name, "身份证", number, phone, principal, interest, loans]


def upload_file(tmp_path: Path, rows: list[list[str]], name: str) -> SimpleUploadedFile:
    path = register_file(tmp_path, rows, name=name)
    return SimpleUploadedFile(name, path.read_bytes(), content_type="text/csv")


@dataclass
class World:
    institution_a: Institution
    institution_b: Institution
    operator_a: User
    operator_b: User
    lender_1: Lender
    lender_2: Lender
    lender_3: Lender
    version_a: RegisterVersion  # active at A
    version_b: RegisterVersion  # active at B
    pending_b: RegisterVersion  # uploaded at B, not activated
    import_b: RegisterImport  # the upload record of pending_b
    dispute_a: Dispute  # lender 2 at A
    dispute_b: Dispute  # lender 1 at B


@pytest.fixture
def world(institution_a, institution_b, operator_a, operator_b, tmp_path) -> World:
    lender_1 = make_lender(PHONE_1, name="王小金", id_number=ID_1, password="135790")
    lender_2 = make_lender(PHONE_2, name="李小银", id_number=ID_2, password="246801")
    lender_3 = make_lender(PHONE_3, name="赵小铜", id_number=ID_3)
    version_a = upload_and_activate(
        institution_a,
        operator_a,
        register_file(
            tmp_path,
            [
                row("王小金", ID_1, PHONE_1, "12345.67", "0.05", "3"),
                row("李小银", ID_2, PHONE_2, "100.00", "1.00"),
                row("孙小锡", ID_4, "13600136000", "0.01", "0.00"),
            ],
            name="a-v1.csv",
        ),
    )
    version_b = upload_and_activate(
        institution_b,
        operator_b,
        register_file(tmp_path, [row("王小金", ID_1, PHONE_1, "500.00", "20.00", "2")], "b-v1.csv"),
    )
    import_b = claims_services.register_import_queue(
        institution=institution_b,
        upload=upload_file(
            tmp_path, [row("王小金", ID_1, PHONE_1, "520.00", "20.00", "2")], "b-v2.csv"
        ),
        user=operator_b,
    )
    assert import_b.status == "succeeded", import_b.errors
    dispute_a = claims_services.dispute_raise(
        lender=lender_2,
        institution=institution_a,
        reason="本金应为 200 元，不是 100 元",
        actor=Actor(lender_2.user_id, lender_2.user.audit_label),
    )
    dispute_b = claims_services.dispute_raise(
        lender=lender_1,
        institution=institution_b,
        reason="利息少算了 5 元，应为 25 元",
        actor=SYSTEM,
    )
    return World(
        institution_a=institution_a,
        institution_b=institution_b,
        operator_a=operator_a,
        operator_b=operator_b,
        lender_1=lender_1,
        lender_2=lender_2,
        lender_3=lender_3,
        version_a=version_a,
        version_b=version_b,
        pending_b=import_b.version,
        import_b=import_b,
        dispute_a=dispute_a,
        dispute_b=dispute_b,
    )
