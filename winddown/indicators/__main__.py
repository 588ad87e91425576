"""python -m winddown.indicators tables [--full] | validate TABLE < cells.json

``validate`` reads ``{"AH3001": "123.45", ...}`` (optionally ``{"cells": ..., "previous":
...}``) and prints the findings. Exit codes: 0 no blocking error, 1 blocking errors, 2
malformed input.
"""

from __future__ import annotations

import json
import sys

from . import TABLES, tables_json, validate


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in {"tables", "validate"}:
        print(__doc__, file=sys.stderr)
        return 2
    if argv[0] == "tables":
        json.dump(tables_json(full="--full" in argv), sys.stdout, ensure_ascii=False, indent=1)
        print()
        return 0
    if len(argv) < 2 or argv[1] not in TABLES:
        print(f"采集表应为 {'、'.join(TABLES)} 之一", file=sys.stderr)
        return 2
    try:
        data = json.load(sys.stdin)
    except ValueError:
        print("输入不是 JSON", file=sys.stderr)
        return 2
    cells = data.get("cells", data) if isinstance(data, dict) else None
    if not isinstance(cells, dict):
        print("输入应为 {指标编码: 填报内容} 的 JSON 对象", file=sys.stderr)
        return 2
    table = TABLES[argv[1]]
    previous = None
    if isinstance(data.get("previous"), dict):
        previous = validate(table, data["previous"]).values
    report = validate(table, cells, previous=previous)
    json.dump([f.as_dict() for f in report.findings], sys.stdout, ensure_ascii=False, indent=1)
    print()
    return 0 if report.ok else 1


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main(sys.argv[1:]))
