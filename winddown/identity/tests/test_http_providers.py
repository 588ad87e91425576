"""The production HTTP providers against a local fake gateway (over 500 lines: the fake
gateway and every way a real one fails).

The fake is a real HTTP server on 127.0.0.1 (a thread per connection) that checks every
request's signature the way the vendor's gateway must (its own implementation of the
protocol in ``core/providers/gateway.py``'s docstring, not the client's helpers), records what it
received and can be scripted per test: fail with 503 or 429, hang past the client's timeout,
answer 400 or garbage, or drop the connection.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import socket
import threading
import time
from collections import defaultdict, deque
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import quote, unquote, urlsplit

import pytest
from django.core.exceptions import ImproperlyConfigured

from winddown.audit.services import Actor
from winddown.conftest import make_lender
from winddown.core import providers
from winddown.core.errors import DomainError
from winddown.core.providers import ProviderError
from winddown.core.providers import gateway as gateway_http
from winddown.core.providers.gateway import AUTH_REJECTED, Gateway, gateway_from_settings
from winddown.core.providers.sms import HttpSmsSender, sms_sender
from winddown.identity import services as identity_services
from winddown.identity.errors import IdentityErrorCode
from winddown.identity.models import SmsCode
from winddown.identity.providers import identity_verifier
from winddown.identity.providers.http import PENDING_REASON, HttpIdentityVerifier
from winddown.pii.masking import mask_id_number

APP_ID = "winddown-test"
SECRET = "s3cret-for-tests-only"
PREFIX = "/gw/v1"
PHONE = "13800138000"
NAME = "张小英"
ID_NUMBER = "440305199203150027"
SYSTEM = Actor.system("tests")

SMS = "POST /sms/send"
VERIFY = "POST /identity/verify"
LIVENESS_START = "POST /liveness/sessions"
LIVENESS_RESULT = "GET /liveness/sessions/{token}"


# --- The fake gateway ----------------------------------------------------------------------


@dataclass
class Reply:
    status: int = 200
    body: Any = None  # dict/list -> JSON; bytes as they are
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class Hang:
    seconds: float
    process: bool = False  # carry the request out first, then stall (a lost reply)


@dataclass
class Close:
    """Read the request, then close the connection without a reply."""


@dataclass
class Received:
    method: str
    target: str  # the request target as on the request line, prefix and query included
    route: str
    headers: dict[str, str]
    body: bytes
    verdict: str  # "ok" or why the signature check failed

    @property
    def json(self) -> Any:
        return json.loads(self.body) if self.body else None


class FakeGateway:
    def __init__(self, app_id: str = APP_ID, secret: str = SECRET):
        self.app_id = app_id
        self.secret = secret
        self.received: list[Received] = []
        self.scripts: dict[str, deque] = defaultdict(deque)
        self.sent_sms: list[dict[str, Any]] = []
        self.mismatches: dict[str, str] = {}  # id_number -> reason
        self.sessions: dict[str, tuple[str, str]] = {}  # token -> (status, reason)
        self._nonces: set[str] = set()
        self._replies_by_request_id: dict[str, tuple[int, bytes]] = {}
        self._lock = threading.Lock()
        self.stopping = threading.Event()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}{PREFIX}"
        self._thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )

    def start(self) -> FakeGateway:
        self._thread.start()
        return self

    def stop(self) -> None:
        self.stopping.set()
        self.server.shutdown()
        self.server.server_close()

    def script(self, route: str, *steps: Reply | Hang | Close) -> None:
        self.scripts[route].extend(steps)

    def requests(self, route: str | None = None) -> list[Received]:
        return [r for r in self.received if route is None or r.route == route]

    # Gateway side ----------------------------------------------------------------------

    def check_signature(self, method: str, target: str, headers, body: bytes) -> str:
        if headers.get("X-App-Id") != self.app_id:
            return "unknown app id"
        timestamp = headers.get("X-Timestamp", "")
        if not timestamp.isdigit() or abs(time.time() - int(timestamp)) > 300:
            return "stale timestamp"
        nonce = headers.get("X-Nonce", "")
        with self._lock:
            if not nonce or nonce in self._nonces:
                return "replayed nonce"
            self._nonces.add(nonce)
        canonical = "\n".join(
            [method, target, timestamp, nonce, hashlib.sha256(body).hexdigest()]
        ).encode()
        expected = hmac.new(self.secret.encode(), canonical, hashlib.sha256).hexdigest()
        if not hmac.compare_digest(expected, headers.get("X-Signature", "")):
            return "bad signature"
        return "ok"

    def process(self, received: Received) -> tuple[int, Any]:
        """The default behaviour of each endpoint."""
        data = received.json if received.method == "POST" else None
        if received.route == SMS:
            request_id = received.headers.get("X-Request-Id", "")
            with self._lock:
                if request_id in self._replies_by_request_id:  # a retry: no second SMS
                    return self._replies_by_request_id[request_id]
                if not (
                    isinstance(data.get("phone"), str)
                    and isinstance(data.get("template"), str)
                    and isinstance(data.get("params"), dict)
                ):
                    return 400, {"error": "bad request"}
                self.sent_sms.append(data)
                reply = (200, {"ok": True, "message_id": f"m{len(self.sent_sms)}"})
                self._replies_by_request_id[request_id] = reply
                return reply
        if received.route == VERIFY:
            reason = self.mismatches.get(data["id_number"])
            return 200, {"matched": reason is None, "reason": reason or ""}
        if received.route == LIVENESS_START:
            with self._lock:
                token = f"lv-{len(self.sessions) + 1}"
                self.sessions[token] = ("pending", "")
            redirect = f"https://liveness.example/record/{token}?back={quote(data['return_url'])}"
            return 200, {"token": token, "redirect_url": redirect}
        if received.route == LIVENESS_RESULT:
            token = unquote(urlsplit(received.target).path.rsplit("/", 1)[1])
            if token not in self.sessions:
                return 404, {"error": "no such session"}
            status, reason = self.sessions[token]
            return 200, {"status": status, "reason": reason}
        return 404, {"error": "no such endpoint"}


def _route(method: str, target: str) -> str:
    path = urlsplit(target).path.removeprefix(PREFIX)
    if method == "GET" and path.startswith("/liveness/sessions/"):
        return LIVENESS_RESULT
    return f"{method} {path}"


def _encode(body: Any) -> bytes:
    if isinstance(body, bytes):
        return body
    return json.dumps(body, ensure_ascii=False).encode()


def _handler_for(fake: FakeGateway):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        wbufsize = -1  # one write per reply (headers and body), flushed after each request

        def do_GET(self) -> None:
            self._handle()

        def do_POST(self) -> None:
            self._handle()

        def _handle(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            verdict = fake.check_signature(self.command, self.path, self.headers, body)
            received = Received(
                method=self.command,
                target=self.path,
                route=_route(self.command, self.path),
                headers=dict(self.headers.items()),
                body=body,
                verdict=verdict,
            )
            fake.received.append(received)
            if verdict != "ok":
                self._reply(401, {"error": verdict})
                return
            script = fake.scripts[received.route]
            step = script.popleft() if script else None
            if isinstance(step, Close):
                self.close_connection = True
                return
            if isinstance(step, Hang):
                outcome = fake.process(received) if step.process else (503, {"error": "late"})
                fake.stopping.wait(step.seconds)
                self._reply(*outcome)
                return
            if isinstance(step, Reply):
                self._reply(step.status, step.body, step.headers)
                return
            self._reply(*fake.process(received))

        def _reply(self, status: int, body: Any, headers: dict[str, str] | None = None) -> None:
            content = _encode(body) if body is not None else b""
            self.send_response(status)
            headers = {"Content-Type": "application/json; charset=utf-8", **(headers or {})}
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(content)))
            self.end_headers()
            self.wfile.write(content)

        def log_message(self, format: str, *args: Any) -> None:  # keep test output quiet
            pass

    return Handler


@pytest.fixture
def fake():
    gateway = FakeGateway().start()
    # Replies written after a client gave up fail with a broken pipe: not a test failure.
    gateway.server.handle_error = lambda request, client_address: None
    yield gateway
    gateway.stop()


@pytest.fixture
def sleeps() -> list[float]:
    return []


@pytest.fixture
def make_gateway(fake, sleeps):
    """A client for the fake with short timeouts; waits are recorded instead of slept."""
    made: list[Gateway] = []

    def make(**overrides) -> Gateway:
        options = {
            "app_id": APP_ID,
            "app_secret": SECRET,
            "timeout": 0.25,
            "retries": 2,
            "backoff_initial": 0.1,
            "backoff_max": 1.0,
            "retry_after_max": 2.0,
            "sleep": sleeps.append,
        }
        options.update(overrides)
        gateway = Gateway(options.pop("base_url", fake.url), **options)
        made.append(gateway)
        return gateway

    yield make
    for gateway in made:
        gateway.close()


@pytest.fixture
def sms(make_gateway) -> HttpSmsSender:
    return HttpSmsSender(make_gateway())


@pytest.fixture
def verifier(make_gateway) -> HttpIdentityVerifier:
    return HttpIdentityVerifier(make_gateway())


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# --- Signing -------------------------------------------------------------------------------


def test_requests_are_signed_and_verified_by_the_gateway(fake, sms):
    before = int(time.time())
    sms.send_code(phone=PHONE, code="482913", ttl_minutes=5)

    [received] = fake.requests(SMS)
    assert received.verdict == "ok"
    assert received.target == f"{PREFIX}/sms/send"
    headers = received.headers
    assert headers["X-App-Id"] == APP_ID
    assert before <= int(headers["X-Timestamp"]) <= time.time() + 1
    assert len(headers["X-Nonce"]) == 32
    assert len(headers["X-Request-Id"]) == 32
    assert len(headers["X-Signature"]) == 64
    assert headers["Content-Type"].startswith("application/json")
    assert received.json == {
        "phone": PHONE,
        "template": "login_code",
        "params": {"code": "482913", "ttl_minutes": "5"},
    }
    assert fake.sent_sms == [received.json]


def test_signature_covers_an_encoded_path_and_query(fake, make_gateway):
    gateway = make_gateway()
    with pytest.raises(ProviderError):  # the fake knows neither route: 404
        gateway.get("/lookup/a%2Fb", {"q": "中文 & more", "n": "1"})
    with pytest.raises(ProviderError):
        HttpIdentityVerifier(gateway).liveness_result(token="tok/with space+é")
    first, second = fake.received
    assert first.target == f"{PREFIX}/lookup/a%2Fb?q=%E4%B8%AD%E6%96%87+%26+more&n=1"
    assert second.target == f"{PREFIX}/liveness/sessions/tok%2Fwith%20space%2B%C3%A9"
    assert first.verdict == second.verdict == "ok"


def test_a_wrong_secret_is_rejected_and_not_retried(fake, make_gateway):
    sender = HttpSmsSender(make_gateway(app_secret="not-the-secret"))
    with pytest.raises(ProviderError) as caught:
        sender.send_code(phone=PHONE, code="482913", ttl_minutes=5)
    assert caught.value.message == AUTH_REJECTED
    assert caught.value.message == "服务商拒绝了请求（签名或配置错误），请联系平台管理员"
    assert not caught.value.retryable
    assert "HTTP 401" in caught.value.detail
    assert [r.verdict for r in fake.received] == ["bad signature"]
    assert fake.sent_sms == []


def test_a_wrong_app_id_is_rejected(fake, make_gateway):
    with pytest.raises(ProviderError) as caught:
        HttpIdentityVerifier(make_gateway(app_id="someone-else")).check_identity(
            real_name=NAME, id_number=ID_NUMBER
        )
    assert caught.value.message == AUTH_REJECTED
    assert [r.verdict for r in fake.received] == ["unknown app id"]


# --- Retries -------------------------------------------------------------------------------


def test_5xx_is_retried_with_the_same_request_id(fake, sms, sleeps):
    fake.script(SMS, Reply(503, {"error": "busy"}), Reply(502, b"Bad Gateway"))
    sms.send_code(phone=PHONE, code="482913", ttl_minutes=5)

    attempts = fake.requests(SMS)
    assert len(attempts) == 3
    assert {r.verdict for r in attempts} == {"ok"}
    assert len({r.headers["X-Request-Id"] for r in attempts}) == 1
    assert len({r.headers["X-Nonce"] for r in attempts}) == 3
    assert len(fake.sent_sms) == 1
    # Exponential backoff with jitter: 0.1 * 2**n plus up to 0.1.
    assert len(sleeps) == 2
    assert 0.1 <= sleeps[0] <= 0.2
    assert 0.2 <= sleeps[1] <= 0.3


def test_5xx_gives_up_after_the_retries(fake, sms, sleeps):
    fake.script(SMS, *[Reply(503, {"error": "down for 13800138000"})] * 5)
    with pytest.raises(ProviderError) as caught:
        sms.send_code(phone=PHONE, code="482913", ttl_minutes=5)
    error = caught.value
    assert error.message == "短信服务暂时不可用，请稍后重试"
    assert error.retryable
    assert "3 attempt(s)" in error.detail
    assert "HTTP 503" in error.detail
    assert "138****8000" in error.detail
    assert PHONE not in error.detail
    assert len(fake.requests(SMS)) == 3
    assert len(sleeps) == 2


@pytest.mark.parametrize(
    ("retry_after", "expected_wait"),
    [
        ("1", 1.0),
        ("0", 0.0),
        ("120", 2.0),  # capped at retry_after_max
        ("http-date", 2.0),  # an HTTP date 30 s ahead, capped
    ],
)
def test_429_is_retried_honouring_retry_after(fake, sms, sleeps, retry_after, expected_wait):
    if retry_after == "http-date":
        retry_after = format_datetime(datetime.now(UTC) + timedelta(seconds=30), usegmt=True)
    fake.script(SMS, Reply(429, {"error": "slow down"}, {"Retry-After": retry_after}))
    sms.send_code(phone=PHONE, code="482913", ttl_minutes=5)
    assert len(fake.requests(SMS)) == 2
    assert sleeps == [expected_wait]
    assert len(fake.sent_sms) == 1


def test_429_without_retry_after_backs_off_and_finally_says_busy(fake, sms, sleeps):
    fake.script(SMS, *[Reply(429, {"error": "slow down"})] * 3)
    with pytest.raises(ProviderError) as caught:
        sms.send_code(phone=PHONE, code="482913", ttl_minutes=5)
    assert caught.value.message == "短信服务当前繁忙，请稍后重试"
    assert len(fake.requests(SMS)) == 3
    assert len(sleeps) == 2 and all(0.1 <= s <= 1.0 for s in sleeps)


def test_real_backoff_sleeps(fake, make_gateway):
    """With the real clock: two retries after 503 take at least the two backoff waits."""
    sender = HttpSmsSender(make_gateway(sleep=time.sleep, backoff_initial=0.05))
    fake.script(SMS, Reply(503), Reply(503))
    started = time.monotonic()
    sender.send_code(phone=PHONE, code="482913", ttl_minutes=5)
    assert time.monotonic() - started >= 0.05 + 0.1
    assert len(fake.requests(SMS)) == 3


def test_a_timeout_is_retried(fake, sms, sleeps):
    fake.script(SMS, Hang(2.0))
    started = time.monotonic()
    sms.send_code(phone=PHONE, code="482913", ttl_minutes=5)
    assert time.monotonic() - started < 1.5
    assert len(fake.requests(SMS)) == 2
    assert len(sleeps) == 1


def test_a_retry_after_a_lost_reply_sends_one_sms(fake, sms):
    """The gateway sent the SMS but its reply came too late: the retry carries the same
    X-Request-Id, so the gateway answers from its record instead of sending again."""
    fake.script(SMS, Hang(2.0, process=True))
    sms.send_code(phone=PHONE, code="482913", ttl_minutes=5)
    first, second = fake.requests(SMS)
    assert first.headers["X-Request-Id"] == second.headers["X-Request-Id"]
    assert len(fake.sent_sms) == 1


def test_repeated_timeouts_fail_in_chinese(fake, verifier):
    fake.script(VERIFY, Hang(2.0), Hang(2.0), Hang(2.0))
    with pytest.raises(ProviderError) as caught:
        verifier.check_identity(real_name=NAME, id_number=ID_NUMBER)
    assert caught.value.message == "实名核验服务响应超时，请稍后重试"
    assert caught.value.retryable
    assert "3 attempt(s)" in caught.value.detail
    assert "ReadTimeout" in caught.value.detail
    assert len(fake.requests(VERIFY)) == 3


def test_a_dropped_connection_is_retried(fake, sms):
    fake.script(SMS, Close())
    sms.send_code(phone=PHONE, code="482913", ttl_minutes=5)
    assert len(fake.requests(SMS)) == 2
    assert len(fake.sent_sms) == 1


def test_dropped_connections_fail_as_unreachable(fake, sms):
    fake.script(SMS, Close(), Close(), Close())
    with pytest.raises(ProviderError) as caught:
        sms.send_code(phone=PHONE, code="482913", ttl_minutes=5)
    assert caught.value.message == "短信服务暂时无法连接，请稍后重试"
    assert "RemoteProtocolError" in caught.value.detail
    assert len(fake.requests(SMS)) == 3


def test_nothing_listening_fails_as_unreachable(make_gateway, sleeps):
    gateway = make_gateway(base_url=f"http://127.0.0.1:{closed_port()}{PREFIX}")
    with pytest.raises(ProviderError) as caught:
        HttpSmsSender(gateway).send_code(phone=PHONE, code="482913", ttl_minutes=5)
    assert caught.value.message == "短信服务暂时无法连接，请稍后重试"
    assert "ConnectError" in caught.value.detail
    assert "3 attempt(s)" in caught.value.detail
    assert len(sleeps) == 2


def test_no_retry_starts_after_the_deadline(fake, make_gateway, sleeps):
    gateway = make_gateway(backoff_initial=0.5, deadline=0.4)
    fake.script(SMS, Reply(503), Reply(503))
    with pytest.raises(ProviderError) as caught:
        HttpSmsSender(gateway).send_code(phone=PHONE, code="482913", ttl_minutes=5)
    assert "1 attempt(s)" in caught.value.detail
    assert sleeps == []


def test_retries_zero_means_one_attempt(fake, make_gateway):
    fake.script(SMS, Reply(503))
    with pytest.raises(ProviderError):
        HttpSmsSender(make_gateway(retries=0)).send_code(phone=PHONE, code="1", ttl_minutes=5)
    assert len(fake.requests(SMS)) == 1


# --- Final answers and bad replies ---------------------------------------------------------


@pytest.mark.parametrize("status", [400, 404, 409, 422])
def test_other_4xx_are_final(fake, sms, sleeps, status):
    body = {"error": f"invalid phone {PHONE}", "id": ID_NUMBER}
    fake.script(SMS, Reply(status, body))
    with pytest.raises(ProviderError) as caught:
        sms.send_code(phone=PHONE, code="482913", ttl_minutes=5)
    error = caught.value
    assert error.message == "短信服务未能受理该请求，请联系平台管理员"
    assert not error.retryable
    assert f"HTTP {status}" in error.detail
    assert "1 attempt(s)" in error.detail
    assert PHONE not in error.detail and ID_NUMBER not in error.detail
    assert "138****8000" in error.detail
    assert len(fake.requests(SMS)) == 1
    assert sleeps == []


def test_a_refused_sms_shows_the_gateways_reason(fake, sms):
    fake.script(SMS, Reply(200, {"ok": False, "reason": "该号码已停机"}))
    with pytest.raises(ProviderError) as caught:
        sms.send_code(phone=PHONE, code="482913", ttl_minutes=5)
    assert caught.value.message == "该号码已停机"
    assert not caught.value.retryable
    assert len(fake.requests(SMS)) == 1


@pytest.mark.parametrize(
    "body",
    [
        b"<html><body>502 from the proxy</body></html>",
        b"",
        b"\xff\xfe not utf-8",
        b'{"ok": true, "message_id": ',
    ],
    ids=["html", "empty", "bytes", "truncated"],
)
def test_a_reply_that_is_not_json_is_an_error(fake, sms, body):
    fake.script(SMS, Reply(200, body, {"Content-Type": "text/html"}))
    with pytest.raises(ProviderError) as caught:
        sms.send_code(phone=PHONE, code="482913", ttl_minutes=5)
    assert caught.value.message == "短信服务返回了无法识别的结果，请稍后重试"
    assert "not JSON" in caught.value.detail
    assert len(fake.requests(SMS)) == 1


@pytest.mark.parametrize(
    ("route", "body", "service"),
    [
        (SMS, {"ok": True}, "短信服务"),
        (SMS, {"ok": "yes", "message_id": "m1"}, "短信服务"),
        (SMS, [], "短信服务"),
        (VERIFY, {"reason": ""}, "实名核验服务"),
        (VERIFY, {"matched": "true"}, "实名核验服务"),
        (VERIFY, {"matched": False, "reason": 3}, "实名核验服务"),
        (LIVENESS_START, {"token": "", "redirect_url": "https://l.example/"}, "活体检测服务"),
        (
            LIVENESS_START,
            {"token": "t" * 129, "redirect_url": "https://l.example/"},
            "活体检测服务",
        ),
        (LIVENESS_START, {"token": "t1", "redirect_url": "javascript:alert(1)"}, "活体检测服务"),
        (LIVENESS_START, {"token": "t1"}, "活体检测服务"),
        (LIVENESS_RESULT, {"status": "done"}, "活体检测服务"),
        (LIVENESS_RESULT, {}, "活体检测服务"),
    ],
)
def test_a_reply_without_the_fields_is_an_error(fake, make_gateway, route, body, service):
    gateway = make_gateway()
    fake.script(route, Reply(200, body))
    calls = {
        SMS: lambda: HttpSmsSender(gateway).send_code(phone=PHONE, code="1", ttl_minutes=5),
        VERIFY: lambda: HttpIdentityVerifier(gateway).check_identity(
            real_name=NAME, id_number=ID_NUMBER
        ),
        LIVENESS_START: lambda: HttpIdentityVerifier(gateway).liveness_start(
            real_name=NAME, id_number=ID_NUMBER, return_url="https://w.example/back"
        ),
        LIVENESS_RESULT: lambda: HttpIdentityVerifier(gateway).liveness_result(token="t1"),
    }
    with pytest.raises(ProviderError) as caught:
        calls[route]()
    assert caught.value.message == f"{service}返回了无法识别的结果，请稍后重试"
    assert not caught.value.retryable
    assert len(fake.requests(route)) == 1


# --- Each endpoint -------------------------------------------------------------------------


def test_notice_sends_the_template_text(fake, sms):
    template = "【网贷退出投票】您对{institution}的债权异议已有答复，请登录查看。"
    sms.send_notice(phone=PHONE, template=template, params={"institution": "网贷机构A"})
    assert fake.sent_sms == [
        {"phone": PHONE, "template": template, "params": {"institution": "网贷机构A"}}
    ]


def test_notice_with_a_missing_param_is_refused_locally(fake, sms):
    with pytest.raises(ProviderError) as caught:
        sms.send_notice(phone=PHONE, template="您好{name}", params={})
    assert caught.value.message == "短信内容模板有误，请联系平台管理员"
    assert fake.received == []


def test_identity_check(fake, verifier):
    assert verifier.check_identity(real_name=NAME, id_number=ID_NUMBER).matched
    fake.mismatches[ID_NUMBER] = "姓名与身份证号码不一致"
    check = verifier.check_identity(real_name=NAME, id_number=ID_NUMBER)
    assert not check.matched
    assert check.reason == "姓名与身份证号码不一致"
    assert fake.requests(VERIFY)[0].json == {"name": NAME, "id_number": ID_NUMBER}


def test_liveness_session_and_results(fake, verifier):
    session = verifier.liveness_start(
        real_name=NAME, id_number=ID_NUMBER, return_url="https://w.example/m/liveness/done"
    )
    assert session.token == "lv-1"
    assert session.redirect_url.startswith("https://liveness.example/record/lv-1?back=")
    assert fake.requests(LIVENESS_START)[0].json == {
        "name": NAME,
        "id_number": ID_NUMBER,
        "return_url": "https://w.example/m/liveness/done",
    }

    pending = verifier.liveness_result(token=session.token)
    assert not pending.passed
    assert pending.reason == PENDING_REASON == "检测尚未完成，请完成录制后再试"

    fake.sessions[session.token] = ("failed", "未检测到眨眼动作")
    failed = verifier.liveness_result(token=session.token)
    assert (failed.passed, failed.reason) == (False, "未检测到眨眼动作")

    fake.sessions[session.token] = ("passed", "")
    assert verifier.liveness_result(token=session.token).passed
    assert {r.target for r in fake.requests(LIVENESS_RESULT)} == {
        f"{PREFIX}/liveness/sessions/lv-1"
    }


def test_an_unknown_liveness_session_is_a_final_error(fake, verifier):
    with pytest.raises(ProviderError) as caught:
        verifier.liveness_result(token="nope")
    assert caught.value.message == "活体检测服务未能受理该请求，请联系平台管理员"
    assert "HTTP 404" in caught.value.detail


# --- Logs ----------------------------------------------------------------------------------


def test_logs_and_details_never_hold_full_numbers(fake, sms, verifier, caplog):
    caplog.set_level(logging.DEBUG)
    details = []
    sms.send_code(phone=PHONE, code="482913", ttl_minutes=5)
    verifier.check_identity(real_name=NAME, id_number=ID_NUMBER)
    sms_echo = {"error": f"to {PHONE} code 482913"}
    fake.script(SMS, Reply(503, sms_echo), Reply(400, sms_echo))
    id_echo = {"error": f"{NAME} {ID_NUMBER}"}
    fake.script(VERIFY, Reply(500, id_echo), Hang(2.0), Reply(200, b"oops " + ID_NUMBER.encode()))
    fake.mismatches[ID_NUMBER] = f"号码{ID_NUMBER}与姓名不符"
    with pytest.raises(ProviderError) as caught:
        sms.send_code(phone=PHONE, code="482913", ttl_minutes=5)
    details.append(caught.value.detail)
    with pytest.raises(ProviderError) as caught:
        verifier.check_identity(real_name=NAME, id_number=ID_NUMBER)
    details.append(caught.value.detail)
    check = verifier.check_identity(real_name=NAME, id_number=ID_NUMBER)
    assert ID_NUMBER not in check.reason
    verifier.liveness_start(real_name=NAME, id_number=ID_NUMBER, return_url="https://w.example/")

    lines = [record.getMessage() for record in caplog.records]
    provider_lines = [
        record.getMessage() for record in caplog.records if record.name == "winddown.providers"
    ]
    assert any("138****8000" in line for line in provider_lines)
    assert any(mask_id_number(ID_NUMBER) in line for line in provider_lines)
    assert any("attempt(s)" in line and " ms" in line for line in provider_lines)
    assert any("retrying in" in line for line in provider_lines)
    for text in lines + details:
        assert PHONE not in text
        assert ID_NUMBER not in text
        assert NAME not in text
        assert "482913" not in text


# --- Settings ------------------------------------------------------------------------------


def test_gateway_from_settings(settings):
    settings.PROVIDER_BASE_URL = "https://gw.example.com/v1"
    settings.PROVIDER_APP_ID = APP_ID
    settings.PROVIDER_APP_SECRET = SECRET
    settings.PROVIDER_TIMEOUT_SECONDS = 2.5
    settings.PROVIDER_RETRIES = 4
    with gateway_from_settings() as gateway:
        assert gateway.base_url == "https://gw.example.com/v1"
        assert gateway.retries == 4
        assert gateway._client.timeout.read == 2.5
        assert gateway._client.timeout.connect == 2.5
        assert SECRET not in repr(gateway)


@pytest.mark.parametrize(
    ("name", "value", "complaint"),
    [
        ("PROVIDER_BASE_URL", "", "PROVIDER_BASE_URL"),
        ("PROVIDER_APP_ID", "", "PROVIDER_APP_ID"),
        ("PROVIDER_APP_SECRET", "", "PROVIDER_APP_SECRET"),
        ("PROVIDER_BASE_URL", "gw.example.com", "http(s) URL"),
        ("PROVIDER_TIMEOUT_SECONDS", 0, "positive"),
        ("PROVIDER_RETRIES", -1, "0 or more"),
    ],
)
def test_gateway_from_settings_refuses_a_bad_configuration(settings, name, value, complaint):
    settings.PROVIDER_BASE_URL = "https://gw.example.com/v1"
    settings.PROVIDER_APP_ID = APP_ID
    settings.PROVIDER_APP_SECRET = SECRET
    setattr(settings, name, value)
    with pytest.raises(
        ImproperlyConfigured, match=complaint.replace("(", r"\(").replace(")", r"\)")
    ):
        gateway_from_settings()


def test_the_selector_builds_http_providers(settings, fake):
    settings.PROVIDER_BASE_URL = fake.url
    settings.PROVIDER_APP_ID = APP_ID
    settings.PROVIDER_APP_SECRET = SECRET
    settings.SMS_PROVIDER = "http"
    settings.IDENTITY_PROVIDER = "http"
    try:
        assert isinstance(sms_sender(), HttpSmsSender)
        assert isinstance(identity_verifier(), HttpIdentityVerifier)
    finally:
        sms_sender().gateway.close()
        identity_verifier().gateway.close()


# --- The identity services end to end ------------------------------------------------------


@pytest.fixture
def http_settings(settings, fake, monkeypatch):
    """Point the selectors at the fake with short timeouts and backoff (real sleeps)."""
    monkeypatch.setattr(gateway_http, "BACKOFF_INITIAL_SECONDS", 0.02)
    monkeypatch.setattr(gateway_http, "BACKOFF_MAX_SECONDS", 0.1)
    settings.PROVIDER_BASE_URL = fake.url
    settings.PROVIDER_APP_ID = APP_ID
    settings.PROVIDER_APP_SECRET = SECRET
    settings.PROVIDER_TIMEOUT_SECONDS = 0.25
    settings.PROVIDER_RETRIES = 1
    settings.SMS_PROVIDER = "http"
    settings.IDENTITY_PROVIDER = "http"
    yield settings
    for kind in ("sms", "identity"):
        if (provider := providers.built(kind)) is not None:
            provider.gateway.close()


@pytest.mark.django_db
def test_login_code_goes_through_the_gateway(fake, http_settings):
    sent = identity_services.login_code_send(phone_raw=PHONE, actor=SYSTEM)
    assert sent.masked_phone == "138****8000"
    [message] = fake.sent_sms
    assert message["phone"] == PHONE
    assert message["template"] == "login_code"
    assert message["params"]["ttl_minutes"] == "5"
    code = message["params"]["code"]
    user = identity_services.lender_login(phone_raw=PHONE, code_raw=code, actor=SYSTEM)
    assert user.lender.phone.value == PHONE
    assert {r.verdict for r in fake.received} == {"ok"}


@pytest.mark.django_db
@pytest.mark.parametrize("outage", ["503", "down"])
def test_a_gateway_outage_fails_the_code_and_lets_the_lender_ask_again(
    fake, http_settings, caplog, outage
):
    if outage == "down":
        http_settings.PROVIDER_BASE_URL = f"http://127.0.0.1:{closed_port()}{PREFIX}"
        expected = "短信发送失败：短信服务暂时无法连接，请稍后重试"
    else:
        fake.script(SMS, Reply(503), Reply(503))
        expected = "短信发送失败：短信服务暂时不可用，请稍后重试"
    with pytest.raises(DomainError) as caught:
        identity_services.login_code_send(phone_raw=PHONE, actor=SYSTEM)
    assert caught.value.error_code is IdentityErrorCode.SMS_SEND_FAILED
    assert caught.value.message == expected
    assert caught.value.http_status == 502
    assert not SmsCode.objects.exists()
    if outage == "503":
        assert len(fake.requests(SMS)) == 2  # PROVIDER_RETRIES = 1

    http_settings.PROVIDER_BASE_URL = fake.url  # the gateway is back
    identity_services.login_code_send(phone_raw=PHONE, actor=SYSTEM)  # not SMS_TOO_SOON
    assert len(fake.sent_sms) == 1
    assert SmsCode.objects.count() == 1
    assert all(PHONE not in record.getMessage() for record in caplog.records)


@pytest.mark.django_db
def test_identity_and_liveness_through_the_gateway(fake, http_settings, caplog):
    caplog.set_level(logging.INFO)
    lender = make_lender("13900139000")
    lender = identity_services.identity_submit(
        lender=lender, real_name=NAME, id_number_raw=ID_NUMBER, agreed=True, actor=SYSTEM
    )
    assert lender.identity_checked_at is not None
    assert fake.requests(VERIFY)[0].json == {"name": NAME, "id_number": ID_NUMBER}

    url = identity_services.liveness_start(lender=lender, return_url="https://w.example/back")
    assert url.startswith("https://liveness.example/record/lv-1")
    lender.refresh_from_db()
    assert lender.liveness_token == "lv-1"

    with pytest.raises(DomainError) as caught:
        identity_services.liveness_complete(lender=lender, token="lv-1", actor=SYSTEM)
    assert caught.value.error_code is IdentityErrorCode.LIVENESS_FAILED
    assert caught.value.message == "活体检测未通过：检测尚未完成，请完成录制后再试"

    fake.sessions["lv-1"] = ("passed", "")
    lender = identity_services.liveness_complete(lender=lender, token="lv-1", actor=SYSTEM)
    assert lender.liveness_passed_at is not None
    for record in caplog.records:
        assert ID_NUMBER not in record.getMessage()
        assert NAME not in record.getMessage()


@pytest.mark.django_db
def test_identity_mismatch_and_outage_through_the_gateway(fake, http_settings):
    lender = make_lender("13900139000")
    fake.mismatches[ID_NUMBER] = "姓名与身份证号码不一致"
    with pytest.raises(DomainError) as caught:
        identity_services.identity_submit(
            lender=lender, real_name=NAME, id_number_raw=ID_NUMBER, agreed=True, actor=SYSTEM
        )
    assert caught.value.error_code is IdentityErrorCode.IDENTITY_MISMATCH
    assert caught.value.message == "姓名与身份证号码核验不一致：姓名与身份证号码不一致"

    fake.mismatches.clear()
    fake.script(VERIFY, Hang(2.0), Hang(2.0))
    with pytest.raises(DomainError) as caught:
        identity_services.identity_submit(
            lender=lender, real_name=NAME, id_number_raw=ID_NUMBER, agreed=True, actor=SYSTEM
        )
    assert caught.value.error_code is IdentityErrorCode.IDENTITY_UNAVAILABLE
    assert "实名核验服务响应超时，请稍后重试" in caught.value.message
    lender.refresh_from_db()
    assert lender.identity_checked_at is None


@pytest.mark.django_db
def test_a_dispute_answer_notice_goes_through_the_gateway(fake, http_settings):
    from winddown.claims.services import _notify_answer

    lender = make_lender(PHONE)
    _notify_answer(lender, "网贷机构A")
    [message] = fake.sent_sms
    assert message["params"] == {"institution": "网贷机构A"}
    assert "{institution}" in message["template"]

    fake.script(SMS, Reply(503), Reply(503))
    _notify_answer(lender, "网贷机构A")  # a failed notice is swallowed, not raised
    assert len(fake.sent_sms) == 1
