"""Command line: ``python -m winddown.rules evaluate|list``.

``evaluate`` reads one JSON document (motion or election) on stdin and
writes one JSON result on stdout; exit status 0 whatever the verdict, 2 for
invalid input (message on stderr naming the field). ``list`` prints the
rules with their Chinese names and sources (``--json`` for JSON).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from typing import Any, NoReturn

from .jsonio import evaluate_json
from .model import RulesInputError
from .registry import RULES

EXIT_INVALID = 2


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise RulesInputError(key, "JSON 对象中有重复的键 / duplicate key in a JSON object")
        out[key] = value
    return out


def _write(text: str) -> None:
    sys.stdout.buffer.write(text.encode("utf-8"))
    sys.stdout.buffer.flush()


def _fail(message: str) -> NoReturn:
    sys.stderr.buffer.write(f"error: {message}\n".encode())
    sys.stderr.buffer.flush()
    raise SystemExit(EXIT_INVALID)


def _evaluate(args: argparse.Namespace) -> int:
    raw = sys.stdin.buffer.read()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        _fail(f"stdin: 不是 UTF-8 文本 / not UTF-8 ({exc})")
    try:
        doc = json.loads(text, object_pairs_hook=_no_duplicates)
    except RulesInputError as exc:
        _fail(str(exc))
    except ValueError as exc:
        _fail(f"stdin: 不是合法的 JSON / invalid JSON ({exc})")
    try:
        result = evaluate_json(doc)
    except RulesInputError as exc:
        _fail(str(exc))
    indent = None if args.compact else 2
    _write(json.dumps(result, ensure_ascii=False, indent=indent) + "\n")
    return 0


def _list(args: argparse.Namespace) -> int:
    if args.json:
        rules = [
            {
                "id": r.id,
                "name": r.name,
                "citation": r.citation,
                "quote": r.quote,
                "description": r.description,
                "grouped": r.grouped,
                "weight_unit": r.weight_unit,
                "params": {
                    p.name: {"choices": list(p.choices), "default": p.default} for p in r.params
                },
                "conditions": [
                    {
                        "id": s.id,
                        "title": s.title,
                        "quantity": s.quantity,
                        "base": s.base,
                        "threshold": s.threshold,
                        "comparison": s.comparison,
                    }
                    for s in r.conditions()
                ],
            }
            for r in RULES.values()
        ]
        _write(json.dumps(rules, ensure_ascii=False, indent=2) + "\n")
        return 0
    lines = []
    for r in RULES.values():
        lines.append(f"{r.id}  {r.name}")
        lines.append(f"    来源 / source: {r.citation}")
        lines.append(f"    原文: {r.quote}")
        for s in r.conditions():
            lines.append(f"    - {s.id}: {s.quantity} / {s.base} {s.comparison} {s.threshold}")
        for p in r.params:
            lines.append(
                f"    param {p.name}: {' | '.join(p.choices)} (default {p.default}) — "
                f"{p.description}"
            )
        lines.append(f"    {r.description}")
        lines.append("")
    _write("\n".join(lines))
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point; returns the exit status (argparse usage errors exit with 2)."""
    parser = argparse.ArgumentParser(
        prog="python -m winddown.rules", description="Winddown counting-rules engine"
    )
    sub = parser.add_subparsers(dest="command", required=True)
    ev = sub.add_parser("evaluate", help="evaluate one JSON motion or election read on stdin")
    ev.add_argument("--compact", action="store_true", help="one-line JSON output")
    ev.set_defaults(func=_evaluate)
    ls = sub.add_parser("list", help="list the rules with their Chinese names and sources")
    ls.add_argument("--json", action="store_true", help="JSON output")
    ls.set_defaults(func=_list)
    args = parser.parse_args(argv)
    return args.func(args)
