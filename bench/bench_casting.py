"""Casting ballots over HTTP on PostgreSQL: voting password check and ballot log included.

Sets up (untimed) a resolution event whose electorate is a generated register of `--lenders`
lenders, each verified with a voting password and an API token. Serves the platform with
gunicorn on 127.0.0.1 (loopback only) and drives `POST /api/events/<id>/ballots` with wrk
from `--connections` concurrent lenders for `--seconds` seconds (bounded in time and count):
each request casts or changes a ballot with the password and a fresh idempotency key.
Prints throughput, latency percentiles and the status codes, checks the database afterwards
(one current ballot per lender, a gapless log), then profiles single requests in-process to
show where the time goes (Argon2, database, the rest).
Target (issue 4): >= 300 ballots/s sustained for 60 s, p99 <= 250 ms, 200 concurrent lenders.

Usage: .venv/bin/python bench/bench_casting.py [--lenders 2000] [--connections 200]
       [--seconds 60] [--workers 4]
Installs Debian's wrk if it is missing (root only).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import subprocess
import time
import urllib.request
from pathlib import Path

from _setup import OUT, PYTHON, ROOT, fresh_database, manage, register_file

PORT = 8765
PASSWORD = "135790"

SETUP = r"""
import json, tempfile
from datetime import timedelta
from pathlib import Path
from django.utils import timezone
from winddown.accounts.models import ApiToken, User
from winddown.audit.services import Actor
from winddown.claims.models import ClaimEntry
from winddown.claims.services import activate_version, import_register
from winddown.identity import voting_password
from winddown.identity.models import Lender
from winddown.institutions.models import Institution
from winddown.pii import keys
from winddown.pii.keys import keyring
from winddown.voting.models import VotingEvent
from winddown.voting.services import authoring, lifecycle

institution = Institution.objects.get(short_name="基准机构")
operator = User.objects.get(username="bench_operator")
officer = User.objects.create_user("bench_officer", "x" * 12, role="wg_officer")
actor = Actor(operator.pk, "bench")
result = import_register(institution=institution, open_source=lambda: open(REGISTER, "rb"),
                         source_name="bench.csv", user=operator, actor=actor)
activate_version(version=result.version, user=operator, actor=actor)
ring = keyring()
password_hash = voting_password.hash_password(PASSWORD)  # one hash, salted, valid for all
now = timezone.now()
tokens = []
entries = ClaimEntry.objects.filter(version=result.version, principal_fen__gt=0)
for i, entry in enumerate(entries.iterator()):
    user = User.objects.create_user(f"bench-lender-{i}", role="lender")
    phone = f"139{i:08d}"
    Lender.objects.create(
        user=user, phone_enc=ring.encrypt(phone, purpose=keys.PHONE),
        phone_index=ring.blind_index(phone, purpose=keys.PHONE), real_name=entry.name,
        id_number_enc=entry.id_number_enc, id_index=entry.id_index,
        identity_checked_at=now, agreement_accepted_at=now, liveness_passed_at=now,
        voting_password_hash=password_hash, voting_password_set_at=now,
    )
    key = ApiToken.new_key()
    ApiToken.objects.create(user=user, key_hash=ApiToken.hash_key(key),
                            expires_at=now + timedelta(hours=6))
    tokens.append(key)
event = authoring.event_create(
    institution=institution, user=operator, actor=actor, kind="resolution",
    title="基准表决", content="基准", rule_id="p2p-exit",
    opens_at=now + timedelta(minutes=5), closes_at=now + timedelta(days=1),
)
authoring.event_submit(event=event, actor=actor)
authoring.event_approve(event=event, user=officer, actor=actor)
VotingEvent.objects.filter(pk=event.pk).update(opens_at=now - timedelta(seconds=1))
lifecycle.open_event(event.pk)
Path(OUTFILE).write_text(json.dumps({"event": event.pk, "tokens": tokens}))
print(f"event {event.pk}: {len(tokens)} lenders with tokens")
"""

WRK_SCRIPT = r"""
local tokens = {}
local event = EVENT_ID
local choices = {"yes", "no", "abstain"}
local counter = 0
statuses = {}
local thread_id = 0
local threads = {}

function setup(thread)
  thread_id = thread_id + 1
  thread:set("id", thread_id)
  table.insert(threads, thread)
end

function init(args)
  for line in io.lines(TOKENS_FILE) do table.insert(tokens, line) end
  math.randomseed(id * 7919)
  counter = id * 100000000
end

function request()
  counter = counter + 1
  local token = tokens[(counter % #tokens) + 1]
  local body = string.format('{"choice":"%s","password":"%s","idempotency_key":"k%d"}',
    choices[math.random(3)], PASSWORD, counter)
  return wrk.format("POST", "/api/events/" .. event .. "/ballots",
    {["Authorization"] = "Bearer " .. token, ["Content-Type"] = "application/json"}, body)
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
  for _, thread in ipairs(threads) do
    local s = thread:get("statuses")
    for code, n in pairs(s) do io.write(string.format("status %d: %d\n", code, n)) end
  end
end
"""

PROFILE = r"""
import cProfile, io, json, pstats, time
from django.db import connection
from django.test import Client
from winddown.identity import voting_password

data = json.loads(open(OUTFILE).read())
db_seconds = [0.0]
argon_seconds = [0.0]

def timed_db(execute, sql, params, many, context):
    started = time.perf_counter()
    try:
        return execute(sql, params, many, context)
    finally:
        db_seconds[0] += time.perf_counter() - started

real_verify = voting_password.verify_password
def timed_verify(password, encoded):
    started = time.perf_counter()
    try:
        return real_verify(password, encoded)
    finally:
        argon_seconds[0] += time.perf_counter() - started
voting_password.verify_password = timed_verify

client = Client()
N = 300
started = time.perf_counter()
with connection.execute_wrapper(timed_db):
    for i in range(N):
        token = data["tokens"][i % len(data["tokens"])]
        response = client.post(f"/api/events/{data['event']}/ballots",
            data=json.dumps({"choice": "yes", "password": PASSWORD, "idempotency_key": f"p{i}"}),
            content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {token}",
            REMOTE_ADDR="127.0.0.1")
        assert response.status_code == 201, response.content
total = time.perf_counter() - started
per = total / N * 1000
db = db_seconds[0] / N * 1000
argon = argon_seconds[0] / N * 1000
print(f"in-process, one request at a time ({N} ballots): {per:.1f} ms per ballot = "
      f"Argon2 {argon:.1f} ms + database {db:.1f} ms + Django/ninja/services {per - argon - db:.1f} ms")
"""


def ensure_wrk() -> str:
    path = shutil.which("wrk")
    if path:
        return path
    if os.geteuid() != 0:
        raise SystemExit("wrk is needed: sudo apt-get install -y wrk")
    subprocess.run(
        ["apt-get", "install", "-y", "-qq", "wrk"],
        check=True,
        env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"},
    )
    return shutil.which("wrk")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lenders", type=int, default=2000)
    parser.add_argument("--connections", type=int, default=200)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--workers", type=int, default=4)
    args = parser.parse_args()
    wrk = ensure_wrk()
    env = fresh_database("postgres")
    register = register_file(args.lenders)
    outfile = OUT / "casting.json"
    manage(
        env,
        "shell",
        "-v",
        "0",
        "-c",
        f"REGISTER = {str(register)!r}\nPASSWORD = {PASSWORD!r}\nOUTFILE = {str(outfile)!r}\n"
        + SETUP,
    )
    data = json.loads(outfile.read_text())
    tokens_file = OUT / "casting-tokens.txt"
    tokens_file.write_text("\n".join(data["tokens"]) + "\n")
    script = OUT / "casting.lua"
    script.write_text(
        WRK_SCRIPT.replace("EVENT_ID", str(data["event"]))
        .replace("TOKENS_FILE", json.dumps(str(tokens_file)))
        .replace("PASSWORD", json.dumps(PASSWORD))
    )
    server_env = {**env, "WINDDOWN_ALLOWED_HOSTS": "127.0.0.1,localhost"}
    server = subprocess.Popen(
        [
            str(Path(PYTHON).parent / "gunicorn"),
            "winddown.wsgi",
            "--workers",
            str(args.workers),
            "--bind",
            f"127.0.0.1:{PORT}",
            "--log-level",
            "warning",
            "--backlog",
            "2048",
        ],
        cwd=ROOT,
        env=server_env,
    )
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{PORT}/healthz", timeout=2)
                break
            except OSError:
                time.sleep(0.2)
        print(
            f"gunicorn: {args.workers} sync workers; wrk: {args.connections} connections, "
            f"{args.seconds} s, {args.lenders} lenders"
        )
        done = subprocess.run(
            [
                wrk,
                "-t",
                "2",
                "-c",
                str(args.connections),
                "-d",
                f"{args.seconds}s",
                "--latency",
                "--timeout",
                "10s",
                "-s",
                str(script),
                f"http://127.0.0.1:{PORT}",
            ],
            capture_output=True,
            text=True,
            check=True,
        )
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
    report = done.stdout
    print(report)
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", report).group(1))
    p99 = re.search(r"99%\s+([\d.]+)(us|ms|s)", report)
    p99_ms = float(p99.group(1)) * {"us": 0.001, "ms": 1, "s": 1000}[p99.group(2)]
    check = (
        "from winddown.voting.models import Ballot, BallotLog\n"
        f"b = Ballot.objects.filter(event_id={data['event']})\n"
        "from django.db.models import Count\n"
        "dupes = b.filter(is_current=True).values('elector').annotate(n=Count('id')).filter(n__gt=1).count()\n"
        "seqs = b.count(); log = BallotLog.objects.get(event_id=" + str(data["event"]) + ")\n"
        "print(seqs, dupes, log.size, b.filter(is_current=True).count())"
    )
    ballots, dupes, log_size, current = manage(
        env, "shell", "-v", "0", "-c", check, capture=True
    ).stdout.split()[-4:]
    print(
        f"database: {ballots} ballots in the log (log size {log_size}), {current} current, "
        f"{dupes} lenders with two current ballots"
    )
    verdict = "OK" if rate >= 300 and p99_ms <= 250 and dupes == "0" else "OVER TARGET"
    print(
        f"throughput {rate:.0f} ballots/s, p99 {p99_ms:.0f} ms  [{verdict}: >= 300/s, p99 <= 250 ms]"
    )
    manage(
        env,
        "shell",
        "-v",
        "0",
        "-c",
        f"OUTFILE = {str(outfile)!r}\nPASSWORD = {PASSWORD!r}\n" + PROFILE,
    )


if __name__ == "__main__":
    main()
