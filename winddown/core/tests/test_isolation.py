"""A child process with a memory and a time limit: the parent survives whatever the file
makes its parser do, and learns why it failed."""

from __future__ import annotations

import resource
import time

import pytest

from winddown.core.isolation import IsolationFailure, run_isolated

TARGETS = "winddown.core.tests.isolation_targets"
LIMITS = {"memory_bytes": 512 * 2**20, "seconds": 5, "max_output_bytes": 2**20}


def test_frames_come_back_as_they_were_yielded():
    assert run_isolated(f"{TARGETS}:echo", b"\x00ab", arguments=("3",), **LIMITS) == [
        b"\x00ab",
        b"\x00ab",
        b"\x00ab",
        b"",
    ]


def test_a_parser_that_asks_for_16_gb_fails_alone():
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.monotonic()
    with pytest.raises(IsolationFailure) as failure:
        run_isolated(f"{TARGETS}:allocate", b"", **LIMITS)
    assert failure.value.reason == "memory"
    assert time.monotonic() - started < 10
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before < 100 * 1024  # KB


def test_a_parser_that_never_ends_is_stopped_at_the_deadline():
    started = time.monotonic()
    with pytest.raises(IsolationFailure) as failure:
        run_isolated(f"{TARGETS}:spin", b"", **{**LIMITS, "seconds": 2})
    assert failure.value.reason == "time"
    assert time.monotonic() - started < 6


def test_a_refusal_reaches_the_parent_with_its_message():
    with pytest.raises(IsolationFailure) as failure:
        run_isolated(f"{TARGETS}:refuse", b"", **LIMITS)
    assert failure.value.reason == "error"
    assert failure.value.detail == "ValueError: 第 2 行：金额无效"


def test_too_much_output_is_refused():
    with pytest.raises(IsolationFailure) as failure:
        run_isolated(f"{TARGETS}:echo", b"x" * 4096, arguments=("1000",), **LIMITS)
    assert failure.value.reason == "memory"
