"""Command line: ``python -m winddown.distribution [--compact]``.

Reads one JSON round on stdin, writes the allocation as JSON on stdout; exit status 0.
Invalid input: exit status 2, nothing on stdout, ``error: <field>: <中文> / <English>`` on
stderr (e.g. ``error: claims[3].principal: 至多两位小数（精确到分） / at most two decimals
(fen)``). README.md has the schema.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from typing import Any, NoReturn

from .jsonio import allocate_json
from .model import DistributionInputError

EXIT_INVALID = 2


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise DistributionInputError(
                key, "JSON 对象中有重复的键 / duplicate key in a JSON object"
            )
        out[key] = value
    return out


def _reject_constant(name: str) -> NoReturn:
    raise DistributionInputError("stdin", f"不是合法的 JSON：{name} / invalid JSON: {name}")


def _fail(message: str) -> NoReturn:
    sys.stderr.buffer.write(f"error: {message}\n".encode())
    sys.stderr.buffer.flush()
    raise SystemExit(EXIT_INVALID)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point; returns the exit status (argparse usage errors exit with 2)."""
    parser = argparse.ArgumentParser(
        prog="python -m winddown.distribution",
        description="Pro-rata repayment round: JSON round on stdin, allocation on stdout",
    )
    parser.add_argument("--compact", action="store_true", help="one-line JSON output")
    args = parser.parse_args(argv)
    raw = sys.stdin.buffer.read()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        _fail(f"stdin: 不是 UTF-8 文本 / not UTF-8 ({exc})")
    try:
        doc = json.loads(text, object_pairs_hook=_no_duplicates, parse_constant=_reject_constant)
        result = allocate_json(doc)
    except DistributionInputError as exc:
        _fail(str(exc))
    except ValueError as exc:
        _fail(f"stdin: 不是合法的 JSON / invalid JSON ({exc})")
    indent = None if args.compact else 2
    sys.stdout.buffer.write((json.dumps(result, ensure_ascii=False, indent=indent) + "\n").encode())
    sys.stdout.buffer.flush()
    return 0
