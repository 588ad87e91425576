"""When something fails, a lender reads Chinese and learns whether to try again: a busy
database (503, try again in a moment) is told apart from a fault (500); the API answers in
its JSON error shape."""

import sqlite3

import psycopg.errors
import pytest
from django.db import IntegrityError, OperationalError
from django.test import Client

from winddown.core.db_errors import is_busy
from winddown.identity import services as identity_services

pytestmark = pytest.mark.django_db

PAGE = "/m/login/code/"
API = "/api/auth/lender/sms-code"


@pytest.fixture
def browser():
    # As a real server does: answer with the error page instead of raising into the test.
    return Client(raise_request_exception=False)


def failing_with(monkeypatch, exc: Exception) -> None:
    def fail(**kwargs):
        raise exc

    monkeypatch.setattr(identity_services, "login_code_send", fail)


def django_error_from(driver_error: Exception) -> OperationalError:
    try:
        try:
            raise driver_error
        except Exception as exc:
            raise OperationalError(str(exc)) from exc
    except OperationalError as wrapped:
        return wrapped


def test_a_busy_database_asks_the_lender_to_try_again(browser, monkeypatch):
    failing_with(monkeypatch, OperationalError("database is locked"))
    response = browser.post(PAGE, {"phone": "13800138000"})
    body = response.content.decode()
    assert response.status_code == 503 and response["Retry-After"] == "5"
    assert "系统繁忙" in body and "稍等几秒后重试" in body and 'lang="zh-CN"' in body


def test_a_busy_database_gets_a_json_answer_from_the_api(browser, monkeypatch):
    failing_with(monkeypatch, django_error_from(psycopg.errors.LockNotAvailable("lock timeout")))
    response = browser.post(API, {"phone": "13800138000"}, content_type="application/json")
    assert response.status_code == 503 and response["Retry-After"] == "5"
    assert response.json()["code"] == "system.busy" and "重试" in response.json()["message"]


def test_a_fault_shows_a_chinese_page_without_details(browser, monkeypatch):
    failing_with(monkeypatch, RuntimeError("secret internals"))
    response = browser.post(PAGE, {"phone": "13800138000"})
    body = response.content.decode()
    assert response.status_code == 500 and "Retry-After" not in response
    assert "系统出错" in body and "联系平台客服" in body and "secret internals" not in body


def test_a_fault_in_the_api_is_answered_in_its_error_shape(browser, monkeypatch):
    failing_with(monkeypatch, RuntimeError("secret internals"))
    response = browser.post(API, {"phone": "13800138000"}, content_type="application/json")
    assert response.status_code == 500
    assert response.json()["code"] == "system.error" and "secret" not in response.content.decode()


def test_which_database_errors_mean_busy():
    # Another writer held SQLite's lock past the busy timeout (Django wraps the driver's error
    # as django_error_from does, whichever database the suite runs on).
    assert is_busy(django_error_from(sqlite3.OperationalError("database is locked")))
    for driver_error in (
        psycopg.errors.DeadlockDetected("deadlock detected"),
        psycopg.errors.SerializationFailure("could not serialize access"),
        psycopg.errors.LockNotAvailable("canceling statement due to lock timeout"),
        psycopg.errors.QueryCanceled("canceling statement due to statement timeout"),
    ):
        assert is_busy(django_error_from(driver_error)), driver_error
    assert not is_busy(OperationalError("no such table: voting_ballot"))
    assert not is_busy(django_error_from(psycopg.errors.UndefinedTable("no such table")))
    assert not is_busy(IntegrityError("UNIQUE constraint failed"))
    assert not is_busy(None)
