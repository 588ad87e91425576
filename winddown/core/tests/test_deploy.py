"""deploy/uwsgi.ini serves the platform as production runs it: the README's command starts it
and it answers, with the settings of WINDDOWN_ENV=production."""

import json
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from django.conf import settings

from winddown.core.tests.test_production_settings import production_env

ROOT = Path(__file__).resolve().parents[3]
UWSGI = Path(sys.executable).parent / "uwsgi"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _get(port: int, path: str) -> tuple[int, bytes]:
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}{path}",
        # As nginx passes them (deploy/nginx.conf): the site's name, TLS ended at nginx.
        headers={"Host": "vote.example.cn", "X-Forwarded-Proto": "https"},
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as refused:
        return refused.code, refused.read()


def test_uwsgi_ini_serves_the_platform(tmp_path):
    port = _free_port()
    env = production_env(tmp_path, WINDDOWN_DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}")
    # The README's command, with an HTTP socket instead of the uwsgi one nginx speaks.
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
                status, body = _get(port, "/healthz")
                break
            except OSError:
                assert server.poll() is None, server.stdout.read().decode()
                assert time.monotonic() < deadline, "uWSGI did not answer within 60 s"
                time.sleep(0.2)
        assert status == 200, body
        status, body = _get(port, "/api/me")
        assert status == 401
        assert json.loads(body) == {"detail": "请先登录（缺少或无效的令牌）"}
    finally:
        server.send_signal(signal.SIGTERM)  # die-on-term: stops, as under systemd or docker
        output = server.communicate(timeout=30)[0].decode()
    assert server.returncode == 0, output


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
