"""Parse or render a hostile file in a child process with a memory and a time limit.

A 1.3 KB PDF made a web worker allocate 9.1 GB for 19 s; a 1.5 KB spreadsheet asked for
512 GB and aborted the background worker. Whatever a file makes its parser do, it happens
in a fresh interpreter (`python -m winddown.core.isolation`) whose address space and CPU
time are capped with setrlimit, and which is killed at the deadline: the web or task
worker only ever sees the child's output or an `IsolationFailure` it can turn into a
Chinese message.

The child (no user site, the project on PYTHONPATH, nothing else of the parent's
environment: no secrets) runs one pure function `module:function(data, *arguments)` that
yields bytes, given the file on stdin; each piece it yields reaches the parent as a
length-prefixed frame on stdout. Frames are plain bytes (no pickle): a child that a file
took over cannot make the parent run anything.
"""

from __future__ import annotations

import importlib
import os
import resource
import signal
import struct
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

ROOT = Path(__file__).resolve().parents[2]
FRAME_HEADER = struct.Struct(">Q")
FAILED_EXIT = 3  # the target raised: its message follows on stderr's last line


class IsolationFailure(Exception):
    """The child did not finish: `reason` is "memory", "time" or "error" (`detail` says
    what the target raised)."""

    def __init__(self, reason: str, detail: str = ""):
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason
        self.detail = detail


def run_isolated(
    target: str,
    data: bytes,
    *,
    arguments: tuple[str, ...] = (),
    memory_bytes: int,
    seconds: int,
    max_output_bytes: int,
) -> list[bytes]:
    """The frames `target` ("winddown.voting.attachment_pages:render_isolated") yields for
    `data` (and `arguments`, as strings), computed in a child limited to `memory_bytes` of
    address space and `seconds` of time. Raises IsolationFailure."""
    return list(
        stream_isolated(
            target,
            data,
            arguments=arguments,
            memory_bytes=memory_bytes,
            seconds=seconds,
            max_output_bytes=max_output_bytes,
        )
    )


def stream_isolated(
    target: str,
    data: bytes,
    *,
    arguments: tuple[str, ...] = (),
    memory_bytes: int,
    seconds: int,
    max_output_bytes: int,
) -> Iterator[bytes]:
    """As run_isolated, but the frames are read one at a time from the child's output on
    disk (for millions of rows); the child has finished, successfully, before the first."""

    def limit() -> None:  # in the child, before it runs Python
        resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
        resource.setrlimit(resource.RLIMIT_CPU, (seconds, seconds + 1))
        resource.setrlimit(resource.RLIMIT_FSIZE, (max_output_bytes, max_output_bytes))
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))

    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "PYTHONPATH": str(ROOT),
        "PYTHONDONTWRITEBYTECODE": "1",
        "OPENBLAS_NUM_THREADS": "1",
    }
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        child = subprocess.Popen(  # noqa: S603 (our own module, and targets we name)
            [sys.executable, "-s", "-m", "winddown.core.isolation", target, *arguments],
            stdin=subprocess.PIPE,
            stdout=out,
            stderr=err,
            cwd=ROOT,
            env=env,
            preexec_fn=limit,  # only setrlimit between fork and exec
        )
        try:
            child.communicate(data, timeout=seconds)
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()
            raise IsolationFailure("time") from None
        err.seek(0)
        stderr = err.read()[-4000:].decode("utf-8", "replace")
        size = out.tell()
        if child.returncode == FAILED_EXIT:
            raise IsolationFailure("error", stderr.strip().splitlines()[-1] if stderr else "")
        if child.returncode == -signal.SIGXCPU:
            raise IsolationFailure("time")
        if child.returncode == -signal.SIGXFSZ or size > max_output_bytes:
            raise IsolationFailure("memory", f"output of {size} bytes or more")
        if child.returncode != 0:
            # Out of memory: a MemoryError, or an abort of a library that could not allocate.
            raise IsolationFailure("memory", stderr.strip()[-300:])
        out.seek(0)
        yield from _frames(out, size)


def _frames(out: BinaryIO, size: int) -> Iterator[bytes]:
    at = 0
    while at < size:
        header = out.read(FRAME_HEADER.size)
        (length,) = FRAME_HEADER.unpack(header)
        at += FRAME_HEADER.size + length
        if at > size:
            raise IsolationFailure("error", "truncated output")
        yield out.read(length)


def _child(target: str, arguments: list[str]) -> int:
    module_name, _, function_name = target.partition(":")
    function = getattr(importlib.import_module(module_name), function_name)
    data = sys.stdin.buffer.read()
    out = sys.stdout.buffer
    try:
        for piece in function(data, *arguments):
            out.write(FRAME_HEADER.pack(len(piece)))
            out.write(piece)
    except MemoryError:
        return 1
    except Exception as exc:  # the target's refusal, reported to the parent
        print(f"{type(exc).__name__}: {exc}".replace("\n", " "), file=sys.stderr)
        return FAILED_EXIT
    out.flush()
    return 0


if __name__ == "__main__":
    sys.exit(_child(sys.argv[1], sys.argv[2:]))
