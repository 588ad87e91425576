"""``python -m winddown.verify BUNDLE [--receipt CODE] [--json] [--jobs N]``

Exit status: 0 everything checks; 1 a check failed (the first problem is
named); 2 the input cannot be read (not a ZIP, manifest not JSON, bad usage).
"""

from __future__ import annotations

import argparse
import json
import sys
import unicodedata
from typing import Any, TextIO

from .check import Report, verify_bundle
from .receipt import ReceiptNotFound, inclusion_proof_for_receipt
from .spec import BundleError, ManifestError, UnreadableBundle

OPTION_NAMES = {"yes": "同意", "no": "不同意", "abstain": "弃权"}  # as on the ballot


def yuan(fen: int) -> str:
    """``1234567`` -> ``"12,345.67 元"``."""
    return f"{fen // 100:,}.{fen % 100:02d} 元"


def _width(text: str) -> int:
    """Display width: CJK characters take two columns."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _pad(text: str, width: int) -> str:
    return text + " " * max(1, width - _width(text))


def _row(out: TextIO, label: str, value: str) -> None:
    out.write(f"{_pad(label, 28)}{value}\n")


def _event_lines(out: TextIO, manifest: dict[str, Any]) -> None:
    event = manifest.get("event") if isinstance(manifest.get("event"), dict) else {}
    kind = event.get("kind")
    kind_zh = {"resolution": "表决", "election": "选举"}.get(kind, "?")
    _row(
        out,
        "事项 / event",
        f"#{event.get('id')} {event.get('institution')}「{event.get('title')}」"
        f"（{kind_zh} / {kind}）",
    )
    rule = manifest.get("rule") if isinstance(manifest.get("rule"), dict) else {}
    _row(out, "规则 / rule", f"{rule.get('id')} {json.dumps(rule.get('params', {}))}")
    _row(out, "投票期 / voting period", f"{event.get('opens_at')} — {event.get('closes_at')}")


def _tally_lines(out: TextIO, report: Report) -> None:
    tally, manifest = report.tally or {}, report.manifest or {}
    out.write("计票 / tally (final ballots)\n")
    if "options" in tally:
        for key, c in tally["options"].items():
            label = f"{key} {OPTION_NAMES.get(key, '')}"
            out.write(_count_line(label, c["heads"], c["weight_fen"]))
    else:
        names = manifest.get("election", {}).get("candidates", {})
        for key, c in tally.get("candidates", {}).items():
            label = f"{key} {names.get(key, '')}"
            out.write(_count_line(label, c["heads"], c["weight_fen"]))
    p = tally.get("participation", {"heads": 0, "weight_fen": 0})
    out.write(_count_line("合计 / participation", p["heads"], p["weight_fen"]))
    e = manifest.get("electorate", {})
    out.write(_count_line("有表决权 / electorate", e.get("heads", 0), e.get("weight_fen", 0)))


def _count_line(label: str, heads: int, weight_fen: int) -> str:
    return f"  {_pad(label, 26)}{heads:>12,} 人 / heads {yuan(weight_fen):>24}\n"


def _verdict(result: dict[str, Any]) -> str:
    if result.get("kind") == "election":
        elected = "、".join(result.get("elected", [])) or "无 / none"
        text = f"当选 / elected: {elected}"
        if result.get("unresolved_tie"):
            text += f"；并列未决 / unresolved tie: {'、'.join(result['unresolved_tie'])}"
        return text
    return "通过 / PASSED" if result.get("passed") else "未通过 / NOT PASSED"


def print_report(report: Report, out: TextIO) -> None:
    out.write("Winddown 结果包核验 / ballot bundle verification\n")
    _row(out, "结果包 / bundle", report.path)
    if report.manifest:
        _event_lines(out, report.manifest)
    if report.merkle_size is not None:
        _row(
            out,
            "选票记录 / log entries",
            f"{report.entries:,}（最终选票 / final ballots {report.voters:,}，"
            f"被取代 / superseded {report.changes:,}）"
            if report.tally is not None
            else f"{report.entries:,}",
        )
        _row(out, "文件 SHA-256 / file", report.sha256 or "")
        alg = (report.manifest or {}).get("hash_alg", "")
        _row(
            out, f"Merkle 根 / root ({alg})", f"{report.merkle_root} (size {report.merkle_size:,})"
        )
    if report.tally is not None:
        _tally_lines(out, report)
    if report.result is not None:
        declared = (
            " — 与公布的结果不同 / differs from the declared result"
            if any(p.check == "result" for p in report.problems)
            else " — 与公布结果一致 / matches the declared result"
        )
        _row(out, "重新计算 / recomputed", _verdict(report.result) + declared)
        out.write(f"  {report.result.get('summary', '')}\n")
    if report.ok:
        procs = f", {report.jobs} 个进程 / processes" if report.jobs > 1 else ""
        _row(out, "结论 / conclusion", f"核验通过 / VERIFIED ({report.seconds:.1f} s{procs})")
        return
    _row(out, "结论 / conclusion", "核验未通过 / VERIFICATION FAILED")
    _row(out, "问题 / problem", report.problems[0].message)
    for p in report.problems[1:]:
        _row(out, "另见 / also", p.message)


def print_receipt(info: dict[str, Any], out: TextIO) -> None:
    out.write("Winddown 回执核验 / receipt check\n")
    _row(out, "回执 / receipt", info["receipt"])
    _row(
        out,
        "记录 / entry",
        f"seq {info['seq']}（第 {info['index'] + 2} 行 / line {info['index'] + 2}）",
    )
    out.write(f"  {info['line']}\n")
    _row(out, "出借人代号 / voter", info["voter"])
    _row(out, f"叶哈希 / leaf hash ({info['hash_alg']})", info["leaf_hash"])
    _row(out, "审计路径 / audit path", f"{len(info['proof'])} hashes (RFC 6962)")
    for i, h in enumerate(info["proof"], start=1):
        out.write(f"  {i:>2}. {h}\n")
    _row(out, "公布的树 / published tree", f"size {info['size']:,}, root {info['root']}")
    if info["verified"]:
        _row(
            out,
            "证明 / proof",
            "有效：该选票记录包含在公布的 Merkle 根之下 / VALID: the entry is included under the "
            "published root",
        )
    else:
        _row(
            out,
            "证明 / proof",
            "无效：无法证明该记录包含在公布的 Merkle 根之下 / INVALID: the entry cannot be proven "
            "to be under the published root",
        )
    if info["final"]:
        _row(out, "状态 / status", "最终选票，计入结果 / final ballot, counted")
    else:
        _row(
            out,
            "状态 / status",
            "已被同一出借人之后的选票取代，不计入结果 / superseded by a later ballot of the same "
            "voter; not counted",
        )
    if info["duplicate"]:
        _row(
            out, "警告 / warning", "另有记录使用同一回执码 / another entry carries the same receipt"
        )
    out.write("完整核验请运行 / to check the whole bundle run: python -m winddown.verify BUNDLE\n")


def main(argv: list[str] | None = None, out: TextIO | None = None) -> int:
    out = out or sys.stdout
    parser = argparse.ArgumentParser(
        prog="python -m winddown.verify",
        description="核验投票结果包 / verify a Winddown ballot bundle (exit 0 ok, 1 failed, "
        "2 unreadable)",
    )
    parser.add_argument("bundle", help="结果包 ZIP / the bundle ZIP file")
    parser.add_argument("--receipt", help="回执码：核验这张选票的包含证明 / check one receipt")
    parser.add_argument("--json", action="store_true", help="输出 JSON / print JSON")
    parser.add_argument(
        "--jobs",
        type=int,
        choices=(1, 2),
        default=None,
        help="进程数 / processes (default: 2 for a large log when a core is idle)",
    )
    args = parser.parse_args(argv)

    if args.receipt is not None:
        try:
            info = inclusion_proof_for_receipt(args.bundle, args.receipt)
        except ValueError as exc:
            if isinstance(exc, ManifestError):
                print(f"核验未通过 / FAILED: {exc}", file=sys.stderr)
                return 1
            print(f"error: {exc}", file=sys.stderr)
            return 2
        except ReceiptNotFound as exc:
            print(exc, file=out)
            return 1
        except BundleError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 2
        if args.json:
            out.write(json.dumps(info, ensure_ascii=False, indent=1) + "\n")
        else:
            print_receipt(info, out)
        return 0 if info["verified"] and info["final"] and not info["duplicate"] else 1

    try:
        report = verify_bundle(args.bundle, jobs=args.jobs)
    except UnreadableBundle as exc:
        print(f"error: 无法读取结果包 / cannot read the bundle: {exc}", file=sys.stderr)
        return 2
    if args.json:
        out.write(json.dumps(report.to_json(), ensure_ascii=False, indent=1) + "\n")
    else:
        print_report(report, out)
    return 0 if report.ok else 1
