"""Command line: ``python -m winddown.schedules [--compact]``.

Reads one JSON document on stdin and writes one schedule on stdout, exit status 0. Invalid
input: exit status 2, nothing on stdout, ``error: <field>: <中文> / <English>`` on stderr
(the convention of ``python -m winddown.rules``).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from typing import Any, NoReturn

from .jsonio import schedule_json
from .model import ScheduleInputError

EXIT_INVALID = 2


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise ScheduleInputError(key, "JSON 对象中有重复的键 / duplicate key in a JSON object")
        out[key] = value
    return out


def _fail(message: str) -> NoReturn:
    sys.stderr.buffer.write(f"error: {message}\n".encode())
    sys.stderr.buffer.flush()
    raise SystemExit(EXIT_INVALID)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point; returns the exit status (argparse usage errors exit with 2)."""
    parser = argparse.ArgumentParser(
        prog="python -m winddown.schedules",
        description="Repayment schedule of one loan: JSON on stdin, JSON on stdout.",
    )
    parser.add_argument("--compact", action="store_true", help="one-line JSON output")
    args = parser.parse_args(argv)
    raw = sys.stdin.buffer.read()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        _fail(f"stdin: 不是 UTF-8 文本 / not UTF-8 ({exc})")
    try:
        doc = json.loads(text, object_pairs_hook=_no_duplicates)
    except ScheduleInputError as exc:
        _fail(str(exc))
    except ValueError as exc:
        _fail(f"stdin: 不是合法的 JSON / invalid JSON ({exc})")
    try:
        result = schedule_json(doc)
    except ScheduleInputError as exc:
        _fail(str(exc))
    indent = None if args.compact else 2
    sys.stdout.buffer.write((json.dumps(result, ensure_ascii=False, indent=indent) + "\n").encode())
    sys.stdout.buffer.flush()
    return 0
