"""deploy/uwsgi.ini serves the platform as production runs it: the README's command starts it
and it answers, with the settings of WINDDOWN_ENV=production."""

import json
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

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
