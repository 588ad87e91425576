"""Fixtures shared by every app's tests."""

from __future__ import annotations

import base64
import os
import random
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache
from django.db import connection
from django.test import Client, override_settings
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from winddown.accounts.models import User
from winddown.accounts.roles import Role
from winddown.audit.services import Actor
from winddown.claims.services import register_import, version_activate
from winddown.core.providers import sms as dev_providers
from winddown.demo.generators import write_register_csv
from winddown.identity import services as identity_services
from winddown.identity.models import Lender
from winddown.institutions.services import institution_create, membership_set

STAFF_PASSWORD = "Correct-horse-42"
TOTP_SECRET_HEX = base64.b32decode("JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP").hex()
SYSTEM = Actor.system("tests")


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """SQLite cannot tell a test flush from tampering: let flushes delete audit rows there.
    (PostgreSQL flushes with TRUNCATE, which the row trigger does not see.)"""
    with django_db_blocker.unblock():
        if connection.vendor == "sqlite":
            with connection.cursor() as cursor:
                cursor.execute("DROP TRIGGER IF EXISTS audit_entry_no_delete")
                cursor.execute("DROP TRIGGER IF EXISTS audit_checkpoint_no_delete")


@pytest.fixture(scope="session", autouse=True)
def _own_redis_database():
    """Parallel workers (pytest -n) each get their own Redis database: clearing the cache
    between tests flushes the whole database, which must not wipe another worker's
    rate-limit counters mid-test."""
    cache_settings = django_settings.CACHES["default"]
    location = str(cache_settings.get("LOCATION", ""))
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    if not (location.startswith("redis") and worker.startswith("gw")):
        yield
        return
    base, _, number = location.rpartition("/")
    if not number.isdigit():  # no database named: Redis's default 0
        base, number = location.rstrip("/"), "0"
    database = (int(number) - int(worker[2:])) % 16
    with override_settings(
        CACHES={"default": {**cache_settings, "LOCATION": f"{base}/{database}"}}
    ):
        yield


@pytest.fixture(autouse=True)
def _isolated(settings, tmp_path):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.PRIVATE_STORAGE_ROOT = tmp_path / "private"
    settings.SMS_PROVIDER = "dev"
    settings.IDENTITY_PROVIDER = "dev"
    cache.clear()
    dev_providers.OUTBOX.clear()
    yield


def make_staff(username: str, role: Role, institution=None) -> User:
    user = User.objects.create_user(username, STAFF_PASSWORD, role=role, display_name=username)
    TOTPDevice.objects.create(user=user, name="test", key=TOTP_SECRET_HEX, confirmed=True)
    if institution is not None:
        membership_set(actor=SYSTEM, user=user, institution=institution)
    return user


def current_totp(user: User) -> str:
    device = TOTPDevice.objects.get(user=user, confirmed=True)
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():06d}"


def staff_signed_in(user: User) -> Client:
    """A browser session of a staff member signed in the real way: password, then TOTP."""
    client = Client()
    response = client.post("/staff/login/", {"username": user.username, "password": STAFF_PASSWORD})
    assert response.status_code == 302
    response = client.post("/staff/login/otp/", {"otp": current_totp(user)})
    assert response.status_code == 302
    return client


def make_institution(short_name: str, credit_code: str, **extra):
    return institution_create(
        actor=SYSTEM,
        full_name=extra.pop("full_name", f"{short_name}信息咨询有限公司"),
        short_name=short_name,
        credit_code=credit_code,
        registered_address=extra.pop("registered_address", "深圳市南山区科苑路 1 号"),
        **extra,
    )


def make_lender(
    phone: str,
    *,
    name: str | None = None,
    id_number: str | None = None,
    password: str | None = None,
) -> Lender:
    """A lender account; verified when `id_number` is given, with a voting password if asked."""
    user = User.objects.create_user(f"lender-{phone}", role=Role.LENDER)
    lender = Lender(user=user)
    lender.phone = phone
    lender.save()
    if id_number:
        from django.utils import timezone

        now = timezone.now()
        lender.real_name = name or "测试"
        lender.id_number = id_number
        lender.identity_checked_at = lender.agreement_accepted_at = lender.liveness_passed_at = now
        lender.agreement_version = "test"
        lender.save()
    if password:
        identity_services.voting_password_set(
            lender=lender, password=password, confirm=password, actor=SYSTEM
        )
        lender.refresh_from_db()
    return lender


def register_file(tmp_path: Path, rows: list[list[str]], name: str = "register.csv", **kw) -> Path:
    return write_register_csv(tmp_path / name, rows, **kw)


def upload_and_activate(institution, operator, path: Path):
    result = register_import(
        institution=institution,
        open_source=lambda: open(path, "rb"),  # noqa: SIM115 - the importer closes it
        source_name=path.name,
        user=operator,
        actor=Actor(operator.pk, operator.audit_label),
    )
    assert result.ok, [str(e) for e in result.errors]
    return version_activate(version=result.version, user=operator, actor=SYSTEM)


@pytest.fixture
def rng():
    return random.Random(20261123)


@pytest.fixture
def institution_a(db):
    return make_institution("网贷机构A", "91440300MA5DC6QX0G")


@pytest.fixture
def institution_b(db):
    return make_institution("网贷机构B", "91440101MA59Q1WXXK")


@pytest.fixture
def operator_a(institution_a):
    return make_staff("operator_a", Role.OPERATOR, institution_a)


@pytest.fixture
def operator_b(institution_b):
    return make_staff("operator_b", Role.OPERATOR, institution_b)


@pytest.fixture
def wg_officer(db):
    return make_staff("wg_officer", Role.WG_OFFICER)


@pytest.fixture
def association_officer(db):
    return make_staff("association", Role.ASSOCIATION_OFFICER)


@pytest.fixture
def sysadmin(db):
    return make_staff("admin", Role.SYSADMIN)


def committed():
    """A block whose after-commit work (notices, scheduling, file clean-up) runs when it
    ends, as a real commit would run it: tests run inside a transaction that never commits,
    so without this that work would never run (pytest-django's
    django_capture_on_commit_callbacks, usable outside fixtures)."""
    from django.test import TestCase

    return TestCase.captureOnCommitCallbacks(execute=True)
