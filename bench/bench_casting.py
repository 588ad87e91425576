"""Casting ballots over HTTP on PostgreSQL: voting password check and ballot log included.

One file, over 500 lines: the set-up, the servers, the load and the analysis read in
the order the run happens.

Sets up (untimed) a resolution event whose electorate is a generated register of `--lenders`
lenders, each verified with a voting password and an API token. Serves the platform as in
production, nginx in front of uWSGI's workers (deploy/uwsgi.ini), on 127.0.0.1 (loopback
only), and drives `POST /api/events/<id>/ballots` with wrk from `--connections` concurrent
lenders for `--seconds` seconds (bounded in time and count): each request casts or changes a
ballot with the password and a fresh idempotency key. The same load runs `--warmup` seconds
first and is reported apart, not counted: the figure is that of a server that has been up,
as when a vote opens, not of workers still loading the application and filling their caches.

Each connection is one lender at a phone, with one request at a time. Ballots start at the
offered `--rate` per second, as independent lenders' do (Poisson arrivals: each wrk thread
draws exponential gaps on the clock and hands the next start time to whichever of its
connections is free), so the latency measured is the server's, not the load tool's pauses;
when the server falls behind, no connection waits and the load is the 200 lenders flat out.
`--rate 0` drops the schedule and finds the ceiling (then every connection queues, and by
Little's law the latency is connections / throughput, mostly waiting for a worker).

Prints throughput, latency percentiles and the status codes; the CPU each part of the system
used per ballot while the load ran (uWSGI workers, PostgreSQL, nginx, wrk, all); checks the
database afterwards (one current ballot per lender, a gapless log); the floor any request
pays on this stack (GET /healthz flat out for 10 s, CPU per request); then times single
requests in-process to show where a worker's time goes.
Target (issue 4): >= 300 ballots/s sustained for 60 s, p99 <= 250 ms, 200 concurrent lenders.

Usage: .venv/bin/python bench/bench_casting.py [--lenders 2000] [--connections 200]
       [--rate 300] [--seconds 60] [--workers 3] [--warmup 10]
Installs Debian's wrk and nginx if they are missing (root only).
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

PORT = 8765  # nginx
APP_PORT = 8766  # uWSGI, behind it
PASSWORD = "135790"

SETUP = r"""
import json, tempfile
from datetime import timedelta
from pathlib import Path
from django.utils import timezone
from winddown.accounts.models import ApiToken, User
from winddown.audit.services import Actor
from winddown.claims.models import ClaimEntry
from winddown.claims.services import version_activate, register_import
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
result = register_import(institution=institution, open_source=lambda: open(REGISTER, "rb"),
                         source_name="bench.csv", user=operator, actor=actor)
version_activate(version=result.version, user=operator, actor=actor)
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
    title="基准表决", content="基准", rule_id="p2p-exit", allow_abstain=True,
    opens_at=now + timedelta(minutes=5), closes_at=now + timedelta(days=1),
)
authoring.event_submit(event=event, user=event.created_by, actor=actor)
authoring.event_approve(event=event, user=officer, actor=actor)
VotingEvent.objects.filter(pk=event.pk).update(opens_at=now - timedelta(seconds=1))
lifecycle.event_open(event.pk)
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

local run = "run"
function init(args)
  for line in io.lines(TOKENS_FILE) do table.insert(tokens, line) end
  math.randomseed(id * 7919)
  counter = id * 100000000
  run = args[1] or run  -- the warm-up's idempotency keys are not the run's
end

function request()
  counter = counter + 1
  local token = tokens[(counter % #tokens) + 1]
  local body = string.format('{"choice":"%s","password":"%s","idempotency_key":"%s%d"}',
    choices[math.random(3)], PASSWORD, run, counter)
  return wrk.format("POST", "/api/events/" .. event .. "/ballots",
    {["Authorization"] = "Bearer " .. token, ["Content-Type"] = "application/json"}, body)
end

-- The clock (LuaJIT's FFI; wrk's Lua has no wall clock of its own), in milliseconds.
local ffi = require("ffi")
ffi.cdef[[ typedef struct { long tv_sec; long tv_nsec; } bench_timespec;
           int clock_gettime(int clock, bench_timespec *now); ]]
local timespec = ffi.new("bench_timespec")
local function now_ms()
  ffi.C.clock_gettime(1, timespec)  -- CLOCK_MONOTONIC
  return tonumber(timespec.tv_sec) * 1000 + tonumber(timespec.tv_nsec) / 1e6
end

-- This thread's share of the offered rate: the next ballot starts an exponential gap (mean
-- GAP_MS) after the previous start, or now if the schedule has fallen behind.
local next_start = nil
function delay()
  if GAP_MS == 0 then return 0 end
  local now = now_ms()
  next_start = math.max((next_start or now) - math.log(1 - math.random()) * GAP_MS, now)
  return math.floor(next_start - now)
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
import collections, json, time
from django.test import Client
import winddown.api.auth as api_auth
import winddown.voting.api.lender as voting_api
import winddown.voting.services.casting as casting
from winddown.identity import voting_password

data = json.loads(open(OUTFILE).read())
spent = collections.Counter()

def timed(module, name, label):
    real = getattr(module, name)
    def wrapper(*args, **kwargs):
        started = time.process_time()
        try:
            return real(*args, **kwargs)
        finally:
            spent[label] += time.process_time() - started
    setattr(module, name, wrapper)

timed(api_auth, "api_token_user", "token, user and lender")
timed(voting_api, "_event_to_take_part", "event, elector, unread attachments")
timed(casting, "ballot_precheck", "checks before the password")
timed(voting_password, "verify_password", "Argon2")
timed(casting, "voting_password_failure", "lender lock")
timed(casting, "_append_ballot", "ballot log and ballot")

client = Client()
def cast(n, prefix):
    for i in range(n):
        token = data["tokens"][i % len(data["tokens"])]
        response = client.post(f"/api/events/{data['event']}/ballots",
            data=json.dumps({"choice": "yes", "password": PASSWORD,
                             "idempotency_key": f"{prefix}{i}"}),
            content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {token}",
            REMOTE_ADDR="127.0.0.1")
        assert response.status_code == 201, response.content

cast(20, "warm")
spent.clear()
N = 300
started = time.process_time()
cast(N, "profile")
total = (time.process_time() - started) / N * 1000
spent["lender lock"] -= spent["Argon2"]
print(f"in-process, one request at a time ({N} ballots): {total:.1f} ms CPU per ballot")
for label, seconds in spent.most_common():
    print(f"  {label:30s} {seconds / N * 1000:5.2f} ms")
rest = total - sum(spent.values()) / N * 1000
print(f"  {'HTTP, middleware, ninja':30s} {rest:5.2f} ms")
"""

GROUPS = {
    "uwsgi": "uWSGI workers",
    "postgres": "PostgreSQL",
    "nginx": "nginx",
    "wrk": "wrk",
}


def cpu_seconds() -> tuple[dict[str, float], float]:
    """CPU seconds used so far by each group of processes, and by the whole machine."""
    tick = os.sysconf("SC_CLK_TCK")
    used = dict.fromkeys(GROUPS, 0.0)
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:  # the process ended
            continue
        name = text[text.index("(") + 1 : text.rindex(")")]
        fields = text[text.rindex(")") + 2 :].split()
        for prefix in GROUPS:
            if name.startswith(prefix):
                # The process's own time and that of its children that ended (PostgreSQL's
                # backends of closed connections, replaced uWSGI workers).
                used[prefix] += sum(int(value) for value in fields[11:15]) / tick
    with open("/proc/stat") as machine:
        ticks = [int(v) for v in machine.readline().split()[1:]]
    # Busy is everything but idle and iowait; steal (time the hypervisor gave to other
    # guests) is counted apart: it says how far a figure is this machine's own.
    used["steal"] = ticks[7] / tick
    busy = sum(v for i, v in enumerate(ticks) if i not in (3, 4, 7))
    return used, busy / tick


def cpu_per_ballot(before, after, ballots: int) -> str:
    (groups_before, all_before), (groups_after, all_after) = before, after
    parts = [
        f"{GROUPS[g]} {(groups_after[g] - groups_before[g]) / ballots * 1000:.1f} ms"
        for g in GROUPS
    ]
    total = (all_after - all_before) / ballots * 1000
    stolen = (groups_after["steal"] - groups_before["steal"]) / ballots * 1000
    return (
        f"CPU per ballot under load: {', '.join(parts)}; whole machine {total:.1f} ms "
        f"(and {stolen:.1f} ms stolen by the hypervisor for other guests)"
    )


def request_floor(wrk: str, connections: int) -> str:
    """The same stack answering GET /healthz (one SELECT 1) flat out: what any request costs
    before a ballot's own work, the floor under the CPU per ballot."""
    before = cpu_seconds()
    done = subprocess.run(
        [wrk, "-t", "2", "-c", str(connections), "-d", "10s", f"http://127.0.0.1:{PORT}/healthz"],
        capture_output=True,
        text=True,
        check=True,
    )
    (_, all_before), (_, all_after) = before, cpu_seconds()
    requests = int(re.search(r"(\d+) requests in", done.stdout).group(1))
    return (
        f"floor: GET /healthz (Django, middleware, one SELECT 1) through the same stack: "
        f"{requests / 10:.0f} requests/s, whole machine {(all_after - all_before) / requests * 1000:.2f} ms CPU per request"
    )


def ensure_tool(command: str, package: str) -> str:
    """A Debian tool the bench drives (wrk, nginx), installed if missing (root only)."""
    path = shutil.which(command) or shutil.which(command, path="/usr/sbin")
    if path:
        return path
    if os.geteuid() != 0:
        raise SystemExit(f"{command} is needed: sudo apt-get install -y {package}")
    subprocess.run(
        ["apt-get", "install", "-y", "-qq", package],
        check=True,
        env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"},
    )
    return shutil.which(command) or shutil.which(command, path="/usr/sbin")


NGINX_CONF = """
{user}
worker_processes 1;
daemon off;
pid {out}/nginx.pid;
error_log {out}/nginx-error.log warn;
events {{ worker_connections 4096; }}
http {{
  log_format timing '$msec $request_method $status $request_time';
  access_log {out}/nginx-access.log timing;
  client_body_temp_path {out}/nginx-body;
  proxy_temp_path {out}/nginx-proxy;
  fastcgi_temp_path {out}/nginx-fastcgi;
  uwsgi_temp_path {out}/nginx-uwsgi;
  scgi_temp_path {out}/nginx-scgi;
  keepalive_timeout 75s;
  keepalive_requests 1000000;
  server {{
    listen 127.0.0.1:{port};
    location / {{
      include /etc/nginx/uwsgi_params;  # as deploy/nginx.conf
      uwsgi_pass 127.0.0.1:{app_port};
      uwsgi_param HTTP_X_FORWARDED_FOR $proxy_add_x_forwarded_for;
    }}
  }}
}}
"""


def access_log() -> list[str]:
    return (OUT / "nginx-access.log").read_text().splitlines()


def run_wrk(
    wrk: str, script: Path, connections: int, seconds: int, run: str
) -> subprocess.CompletedProcess:
    command = [wrk, "-t", "2", "-c", str(connections), "-d", f"{seconds}s", "--latency"]
    command += ["--timeout", "10s", "-s", str(script), f"http://127.0.0.1:{PORT}", "--", run]
    return subprocess.run(command, capture_output=True, text=True, check=True)


def ballot_timings(lines: list[str]) -> tuple[float, list[float]]:
    """From lines of nginx's log: ballots per second between the first and the last ballot,
    and each ballot's time at the proxy in ms (waiting for a worker included)."""
    times, durations = [], []
    for line in lines:
        at, method, status, seconds = line.split()
        if method == "POST" and status in ("200", "201"):
            times.append(float(at))
            durations.append(float(seconds) * 1000)
    return len(times) / (max(times) - min(times)), sorted(durations)


def percentile(ordered: list[float], fraction: float) -> float:
    return ordered[min(len(ordered) - 1, int(len(ordered) * fraction))]


def start_nginx(nginx: str) -> subprocess.Popen:
    """The buffering proxy production puts in front of uWSGI's workers: it holds
    the slow and pausing connections of phones, the workers only see whole requests."""
    conf = OUT / "nginx.conf"
    (OUT / "nginx-access.log").unlink(missing_ok=True)
    conf.write_text(
        NGINX_CONF.format(
            user="user root;" if os.geteuid() == 0 else "",
            out=OUT,
            port=PORT,
            app_port=APP_PORT,
        )
    )
    return subprocess.Popen([nginx, "-c", str(conf)])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lenders", type=int, default=2000)
    parser.add_argument("--connections", type=int, default=200)
    parser.add_argument("--rate", type=int, default=300, help="offered ballots/s; 0: flat out")
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument(
        "--warmup", type=int, default=10, help="seconds of the same load first, not counted"
    )
    args = parser.parse_args()
    wrk = ensure_tool("wrk", "wrk")
    nginx = ensure_tool("nginx", "nginx")
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
        # two wrk threads, each with half the offered rate
        .replace("GAP_MS", f"{2000 / args.rate:.3f}" if args.rate else "0")
    )
    server_env = {
        **env,
        "WINDDOWN_ALLOWED_HOSTS": "127.0.0.1,localhost",
    }
    server = subprocess.Popen(
        [
            str(Path(PYTHON).parent / "uwsgi"),
            "--ini",
            str(ROOT / "deploy" / "uwsgi.ini"),
            "--socket",
            f"127.0.0.1:{APP_PORT}",
            "--processes",
            str(args.workers),
        ],
        cwd=ROOT,
        env=server_env,
    )
    proxy = start_nginx(nginx)
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{PORT}/healthz", timeout=2)
                break
            except OSError:
                time.sleep(0.2)
        offered = f"offered {args.rate}/s" if args.rate else "no pauses"
        print(
            f"nginx -> uWSGI: {args.workers} workers; wrk: {args.connections} connections "
            f"({offered}), {args.seconds} s, {args.lenders} lenders"
        )
        warmed = 0
        if args.warmup:
            run_wrk(wrk, script, args.connections, args.warmup, run="warm")
            time.sleep(5)  # the ballots wrk left queued at the workers are cast meanwhile
            warmed = len(access_log())
        before = cpu_seconds()
        done = run_wrk(wrk, script, args.connections, args.seconds, run="run")
        after = cpu_seconds()
        floor = request_floor(wrk, args.connections)
    finally:
        proxy.send_signal(signal.SIGTERM)
        server.send_signal(signal.SIGTERM)
        proxy.wait(timeout=30)
        server.wait(timeout=30)
    report = done.stdout
    print(report)
    if warmed:
        rate, durations = ballot_timings(access_log()[:warmed])
        print(
            f"warm-up, not counted: {len(durations):,} ballots in {args.warmup} s; "
            f"p50 {percentile(durations, 0.5):.0f} ms, p99 {percentile(durations, 0.99):.0f} ms"
        )
    rate, durations = ballot_timings(access_log()[warmed:])
    p50_ms, p99_ms = percentile(durations, 0.50), percentile(durations, 0.99)
    print(
        f"ballots at the proxy: {len(durations):,} in {len(durations) / rate:.0f} s = "
        f"{rate:.0f}/s; p50 {p50_ms:.0f} ms, p90 {percentile(durations, 0.9):.0f} ms, "
        f"p99 {p99_ms:.0f} ms, max {durations[-1]:.0f} ms"
    )
    print(cpu_per_ballot(before, after, len(durations)))
    print(floor)
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
        {**env, "WINDDOWN_ALLOWED_HOSTS": "testserver"},
        "shell",
        "-v",
        "0",
        "-c",
        f"OUTFILE = {str(outfile)!r}\nPASSWORD = {PASSWORD!r}\n" + PROFILE,
    )


if __name__ == "__main__":
    main()
