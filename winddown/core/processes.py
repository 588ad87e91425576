"""Which process is running a job, and whether it still is.

A background job records its runner (host, process id and the process's start time, so a
reused pid is not mistaken for it). When the worker is killed mid-job, whoever looks next
(the next task, the page showing the job) sees at once that the runner is gone, instead of
waiting hours for a timeout; a runner on another host is judged by the timeout alone.
"""

from __future__ import annotations

import os
import socket
from pathlib import Path


def _start_ticks(pid: int) -> str | None:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    # Field 22 (starttime); the command name (field 2) may hold spaces, so count from ")".
    return stat.rpartition(")")[2].split()[19]


def this_runner() -> str:
    pid = os.getpid()
    return f"{socket.gethostname()}:{pid}:{_start_ticks(pid) or ''}"[:100]


def runner_gone(runner: str) -> bool:
    """True only when `runner` ran on this host and that process no longer exists."""
    parts = runner.rsplit(":", 2)
    if len(parts) != 3 or parts[0] != socket.gethostname() or not parts[1].isdigit():
        return False
    ticks = _start_ticks(int(parts[1]))
    return ticks is None or (parts[2] != "" and ticks != parts[2])
