"""deploy/uwsgi.ini serves the platform as production runs it: the README's command starts it
and it answers, with the settings of WINDDOWN_ENV=production."""

import contextlib
import json
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from django.conf import settings

from winddown.core.tests.test_production_settings import production_env
from winddown.identity.ratelimits import LOGIN_PER_ADDRESS

ROOT = Path(__file__).resolve().parents[3]
UWSGI = Path(sys.executable).parent / "uwsgi"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _request(port: int, path: str, body: dict | None = None) -> tuple[int, bytes]:
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}{path}",
        data=None if body is None else json.dumps(body).encode(),
        # As nginx passes them (deploy/nginx.conf): the site's name, TLS ended at nginx.
        headers={
            "Host": "vote.example.cn",
            "X-Forwarded-Proto": "https",
            "Content-Type": "application/json",
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as refused:
        return refused.code, refused.read()


@contextlib.contextmanager
def _uwsgi(env: dict[str, str]) -> Iterator[int]:
    """The README's command, with an HTTP socket instead of the uwsgi one nginx speaks; yields
    the port once it answers, and checks it stops cleanly."""
    port = _free_port()
    server = subprocess.Popen(
        [str(UWSGI), "--ini", "deploy/uwsgi.ini", "--http-socket", f"127.0.0.1:{port}"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                status, body = _request(port, "/healthz")
                break
            except OSError:
                assert server.poll() is None, server.stdout.read().decode()
                assert time.monotonic() < deadline, "uWSGI did not answer within 60 s"
                time.sleep(0.2)
        assert status == 200, body
        yield port
    finally:
        server.send_signal(signal.SIGTERM)  # die-on-term: stops, as under systemd or docker
        output = server.communicate(timeout=30)[0].decode()
    assert server.returncode == 0, output


def test_uwsgi_ini_serves_the_platform(tmp_path):
    env = production_env(tmp_path, WINDDOWN_DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}")
    with _uwsgi(env) as port:
        status, body = _request(port, "/api/me")
        assert status == 401
        assert json.loads(body) == {"detail": "请先登录（缺少或无效的令牌）"}


@pytest.fixture
def own_redis(tmp_path) -> Iterator[str]:
    """A Redis server of this test's own (Debian's redis-server, which CI has)."""
    binary = shutil.which("redis-server")
    if binary is None:
        pytest.skip("redis-server is not installed (CI installs it); production requires Redis")
    port = _free_port()
    server = subprocess.Popen(
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--dir", str(tmp_path)],
        stdout=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 10
        while True:
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port)):
                break
            assert time.monotonic() < deadline, "redis-server did not start"
            time.sleep(0.05)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_uwsgi_workers_count_the_sign_in_limit_together(tmp_path, own_redis):
    """Three workers, one limit: 60 lender sign-in tries an hour from one address, not 60
    in each worker (the requests run in parallel, so every worker serves some)."""
    env = production_env(
        tmp_path,
        WINDDOWN_DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        WINDDOWN_REDIS_URL=own_redis,
    )
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "-v", "0"], cwd=ROOT, env=env, check=True
    )
    tries = 75
    with _uwsgi(env) as port, ThreadPoolExecutor(max_workers=6) as pool:
        answers = list(
            pool.map(
                lambda n: _request(
                    port, "/api/auth/lender/token", {"phone": f"1380013{n:04d}", "code": "000000"}
                ),
                range(tries),
            )
        )
    statuses = Counter(status for status, _ in answers)
    assert statuses == {400: int(LOGIN_PER_ADDRESS.split("/")[0]), 429: tries - 60}, statuses


NGINX_CONF = ROOT / "deploy" / "nginx.conf"
SIZE = re.compile(r"client_max_body_size\s+(\d+)([km]?);")
REGEX_LOCATION = re.compile(r"location\s+~\s+(\S+)\s*\{([^}]*)\}")


def _bytes(number: str, unit: str) -> int:
    return int(number) * {"": 1, "k": 1024, "m": 1024 * 1024}[unit]


def _nginx_body_limit(conf: str, path: str) -> int:
    """What nginx lets through to `path`: the first regex location that matches (nginx's
    order), else the server's limit."""
    https_server = conf[conf.index("listen 443") :]
    for regex, block in REGEX_LOCATION.findall(https_server):
        if re.search(regex, path):
            return _bytes(*SIZE.search(block).groups())
    outside = REGEX_LOCATION.sub("", https_server)
    return _bytes(*SIZE.search(outside).groups())


def test_nginx_takes_large_bodies_only_on_the_upload_paths():
    from winddown.core.upload_routes import upload_routes

    conf = NGINX_CONF.read_text()
    routes = upload_routes()
    assert len(routes) >= 8  # registers, attachments, evidence, sign-ups: page and API
    for route in routes:
        limit = route.limit()
        allowed = _nginx_body_limit(conf, route.example)
        # nginx lets through what the platform accepts, and not ten times more.
        assert limit <= allowed < limit + 2 * 1024 * 1024, (route.example, limit, allowed)
    small = settings.REQUEST_BODY_MAX_BYTES
    for path in ("/m/login/code/", "/api/auth/lender/sms-code", "/staff/login/", "/events/1/"):
        assert _nginx_body_limit(conf, path) == small
    # A path that merely resembles an upload path is small.
    assert _nginx_body_limit(conf, "/staff/institutions/1/upload/extra") == small


def test_a_body_over_its_paths_limit_is_refused_before_it_is_read(client, settings):
    settings.REQUEST_BODY_MAX_BYTES = 1024
    response = client.post(
        "/api/auth/lender/sms-code",
        data=b"{}",
        content_type="application/json",
        CONTENT_LENGTH=str(2 * 1024 * 1024),
    )
    assert response.status_code == 413 and response.json()["code"] == "request.too_large"
    # The same size to an attachment path is for the view to judge.
    response = client.post(
        "/api/me/claims/1/disputes",
        data=b"x",
        content_type="multipart/form-data; boundary=x",
        CONTENT_LENGTH=str(2 * 1024 * 1024),
    )
    assert response.status_code != 413
