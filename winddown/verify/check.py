"""The independent verifier: checks a bundle using nothing but the bundle. Over 500 lines
because an auditor reads one check after the other in the order they run.

``ballots.csv`` is streamed in blocks. Each batch of lines goes through a
fast path of whole-column operations (field counts per line, the seq column
against the expected numbers, alphabets of joined columns, timestamp
separators at fixed offsets, one ``dict.setdefault`` pass for "same weight
as before", one ``dict.update`` for the final ballots). When any check of a
batch fails, the batch is re-checked line by line (the slow path), which
finds the first bad entry and names it. The SHA-256 of the file and the
Merkle tree are computed from the same blocks, in a second process when a
core is free.
"""

from __future__ import annotations

import concurrent.futures
import hashlib
import json
import multiprocessing
import os
import re
import threading
import time
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from itertools import islice, repeat
from operator import itemgetter
from typing import Any

from winddown.merkle import MerkleLog, get_algorithm
from winddown.merkle.hashing import LEAF_PREFIX
from winddown.rules import RulesInputError, to_json

from .bundle import (
    describe_bad_line,
    iter_blocks,
    iter_segments,
    member_names,
    open_bundle,
    read_manifest_member,
)
from .spec import (
    BALLOTS_NAME,
    FIELD_PATTERNS,
    FIELD_RE,
    HEADER,
    LINE_RE,
    MANIFEST_NAME,
    EventSpec,
    ManifestError,
    check_commitments,
    parse_manifest,
    time_key,
    valid_date,
)
from .tally import TallyError, aggregate, evaluate_tally, sum_by_choice

#: Below this many entries the verifier does not start a second process.
PARALLEL_MIN_ENTRIES = 200_000

# Order in which problems are reported (the first is "the" problem).
_PRIORITY = {
    "members": 0,
    "manifest": 1,
    "sha256": 2,
    "header": 3,
    "entry": 4,
    "count": 5,
    "merkle": 6,
    "tally": 7,
    "result": 8,
}


@dataclass(frozen=True)
class Problem:
    """One failed check.

    ``check``: ``members``, ``manifest``, ``sha256``, ``header``, ``entry``
    (a ballot line: syntax, seq, cast_at, choice, weight, electorate),
    ``count``, ``merkle``, ``tally``, ``result``. ``field``: the manifest path
    (``merkle.root``, ``declared.result.passed`` ...) or the CSV field
    (``seq``, ``choice``, ``weight_fen`` ...). ``seq`` / ``line``: the ballot
    entry and its line number in ``ballots.csv`` (the header is line 1).
    ``message``: bilingual, Chinese first.
    """

    check: str
    message: str
    field: str | None = None
    seq: int | None = None
    line: int | None = None
    expected: str | None = None
    found: str | None = None

    def __str__(self) -> str:
        return self.message

    def to_json(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if v is not None}


@dataclass
class Report:
    """The outcome of :func:`verify_bundle`.

    ``entries``: ballot-log entries read; ``voters``: distinct voters (=
    final ballots counted); ``sha256``, ``merkle_size``, ``merkle_root``: as
    computed from ``ballots.csv``; ``tally``: the recount (None when an entry
    is invalid); ``result``: the rules engine's verdict on the recount
    (:func:`winddown.rules.to_json` form); ``problems``: every failed check,
    most fundamental first (at most one per kind of check).
    """

    path: str
    manifest: dict[str, Any] | None = None
    entries: int = 0
    voters: int = 0
    sha256: str | None = None
    merkle_size: int | None = None
    merkle_root: str | None = None
    tally: dict[str, Any] | None = None
    result: dict[str, Any] | None = None
    problems: list[Problem] = field(default_factory=list)
    seconds: float = 0.0
    jobs: int = 1

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def problem(self) -> Problem | None:
        """The first problem, or None."""
        return self.problems[0] if self.problems else None

    @property
    def changes(self) -> int:
        """Entries superseded by a later entry of the same voter."""
        return self.entries - self.voters

    @property
    def checked(self) -> dict[str, int]:
        return {"entries": self.entries, "voters": self.voters, "changes": self.changes}

    def to_json(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "path": self.path,
            "entries": self.entries,
            "voters": self.voters,
            "changes": self.changes,
            "sha256": self.sha256,
            "merkle": {"size": self.merkle_size, "root": self.merkle_root},
            "tally": self.tally,
            "result": self.result,
            "problems": [p.to_json() for p in self.problems],
        }


def _show(value: Any) -> str:
    if value is _MISSING:
        return "(missing)"
    text = json.dumps(value, ensure_ascii=False) if not isinstance(value, str) else value
    return text if len(text) <= 200 else text[:197] + "..."


_MISSING = object()


# ---------------------------------------------------------------- ballot lines

_DATE = itemgetter(slice(0, 10))
_DIGITS = b"0123456789"
_DIGITS_COMMA = b"0123456789,"
_LEADING_ZERO = re.compile(rb",0[0-9]")
_BAD_HOUR = re.compile(rb"2[4-9]")
_HEX = b"0123456789abcdef"
_BASE32 = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
_WEIGHT_LENGTHS = frozenset(range(1, 19))
_TIME_SEPARATORS = ((4, b"-"), (7, b"-"), (10, b"T"), (13, b":"), (16, b":"), (19, b"Z"))
_TIME_RE = re.compile(FIELD_PATTERNS["cast_at"])
_SLICE = 4096


class _Scanner:
    """Line-level checks and the per-voter state for the recount."""

    def __init__(self, spec: EventSpec) -> None:
        self.spec = spec
        self.heads_limit = spec.electorate_heads
        self.weight_limit = spec.electorate_weight
        self.opens, self.closes = spec.opens, spec.closes
        self.open_s, self.close_s = spec.opens[:19], spec.closes[:19]
        self.next_seq = 1
        self.lines_read = 1  # lines of the file consumed, header included
        self.header_seen = False
        self.entries = 0
        # voter -> choice id of their latest entry; voter -> weight_fen (bytes).
        # Both get a voter at the voter's first entry, so they iterate in the
        # same order (finish() relies on it).
        self.final: dict[bytes, int] = {}
        self.weight_of: dict[bytes, bytes] = {}
        self.weight_total = 0
        self.choice_ids: dict[bytes, int] = {}
        self.choice_keys: list[tuple[str, ...]] = []
        self.dates_ok: set[bytes] = set()
        self.problem: Problem | None = None
        self.force_slow = False  # tests: exercise the line-by-line path on valid data

    # -- helpers
    def _fail(self, check: str, zh: str, en: str, **kw: Any) -> None:
        self.problem = Problem(check, f"{zh} / {en}", **kw)

    def _where(self, line_no: int, seq: int | None) -> tuple[str, str]:
        if seq is None:
            return f"第 {line_no} 行", f"line {line_no}"
        return f"第 {line_no} 行（seq {seq}）", f"line {line_no} (seq {seq})"

    def _register_choice(self, choice: bytes) -> int | str:
        keys = self.spec.choice_keys(choice)
        if isinstance(keys, str):
            return keys
        cid = self.choice_ids[choice] = len(self.choice_keys)
        self.choice_keys.append(keys)
        return cid

    # -- entry point
    def _header(self, header: bytes, terminated: bool) -> None:
        self.header_seen = True
        if header != HEADER or not terminated:
            shown = header[:80].decode("utf-8", "replace")
            self._fail(
                "header",
                f"第 1 行应为表头 {HEADER.decode()!r}（以 \\n 结尾），实为 {shown!r}",
                f"line 1 must be the header {HEADER.decode()!r} ending in \\n, found {shown!r}",
                field="header",
                line=1,
                expected=HEADER.decode(),
                found=shown,
            )

    def feed(self, segment: bytes, terminated: bool = True) -> list[bytes]:
        """Check a segment of whole lines (see :func:`iter_segments`); return
        its entry lines (the header left out)."""
        if not self.header_seen:
            header, newline, segment = segment.partition(b"\n")
            self._header(header, terminated or bool(newline))
            if not newline:
                return []
        lines = segment.split(b"\n")
        self.entries += len(lines)
        if self.problem is not None or (
            terminated and not self.force_slow and self._fast(segment, lines)
        ):
            self.lines_read += len(lines)
        else:
            self._slow(lines, terminated)
        return lines

    def finish(self) -> dict[str, Any] | None:
        """The recount of final ballots, or None after a problem."""
        if not self.header_seen and self.problem is None:
            self._fail(
                "header",
                f"{BALLOTS_NAME} 为空，缺少表头",
                f"{BALLOTS_NAME} is empty (no header line)",
                field="header",
                line=1,
            )
        if self.problem is not None:
            return None
        by_id = sum_by_choice(
            zip(self.final.values(), map(int, self.weight_of.values()), strict=True)
        )
        return aggregate(self.spec, {self.choice_keys[c]: hw for c, hw in by_id.items()})

    # -- the fast path: whole-batch checks; False sends the batch to _slow.
    # It must accept nothing that LINE_RE and the slow path refuse (a property
    # test checks this); refusing too much only costs time.
    def _fast(self, segment: bytes, lines: list[bytes]) -> bool:
        n = len(lines)
        # exactly six fields on every line
        if set(map(bytes.count, lines, repeat(b",", n))) != {5}:
            return False
        fields = segment.replace(b"\n", b",").split(b",")
        voters, receipts, choices = fields[1::6], fields[2::6], fields[3::6]
        weights, casts = fields[4::6], fields[5::6]
        # seq: canonical and gapless, compared as bytes
        start = self.next_seq
        if fields[0::6] != list(map(b"%d".__mod__, range(start, start + n))):
            return False
        # receipt: 16 base32 characters (column-wise: lengths, then the alphabet)
        if set(map(len, receipts)) != {16} or b"".join(receipts).translate(None, _BASE32):
            return False
        # cast_at: YYYY-MM-DDTHH:MM:SSZ inside the voting period
        if not self._times_ok(casts, n):
            return False
        # choice: each distinct choice is checked against the event once, then
        # stands for its small int id (stored per voter: small ints are shared
        # objects, so replacing a voter's final ballot touches no other memory)
        ids = list(map(self.choice_ids.get, choices))
        if None in ids:
            for c in set(choices) - self.choice_ids.keys():
                if isinstance(self._register_choice(c), str):
                    return False
            ids = list(map(self.choice_ids.get, choices))
        # one weight per voter: setdefault adds a voter at their first entry and
        # returns the weight of that entry for every later one. Done in slices
        # that stay in the CPU cache for the final-ballot update that follows.
        weight_of, final = self.weight_of, self.final
        before = len(weight_of)
        same = True
        for i in range(0, n, _SLICE):
            vs, ws = voters[i : i + _SLICE], weights[i : i + _SLICE]
            if list(map(weight_of.setdefault, vs, ws)) != ws:
                same = False
                break
            final.update(zip(vs, ids[i : i + _SLICE], strict=True))
        added = len(weight_of) - before
        if same and added:
            # every line's voter and weight now equal those of a voter's first
            # entry: check the syntax of the new ones only (32 lowercase hex;
            # 1-18 digits without a leading zero) and the electorate limits
            new_voters = list(islice(reversed(weight_of), added))
            new_weights = list(islice(reversed(weight_of.values()), added))
            joined = b"," + b",".join(new_weights)
            same = (
                set(map(len, new_voters)) == {32}
                and not b"".join(new_voters).translate(None, _HEX)
                and set(map(len, new_weights)) <= _WEIGHT_LENGTHS
                and not joined.translate(None, _DIGITS_COMMA)
                and not _LEADING_ZERO.search(joined)
            )
        total = self.weight_total + (sum(map(int, new_weights)) if same and added else 0)
        if not same or len(weight_of) > self.heads_limit or total > self.weight_limit:
            self._undo(before, added)
            return False
        self.weight_total = total
        self.next_seq = start + n
        return True

    def _undo(self, before: int, added: int) -> None:
        """Forget the voters a batch added before it failed the fast path (they
        are the last keys of both dicts). A failure this late is always a real
        problem, which the slow path reports, and then no recount is made: the
        final ballots already updated for earlier voters need no restoring."""
        for _ in range(added):
            self.weight_of.popitem()
        while len(self.final) > before:
            self.final.popitem()

    def _times_ok(self, casts: list[bytes], n: int) -> bool:
        if set(map(len, casts)) != {20}:
            if not all(map(_TIME_RE.fullmatch, casts)):
                return False
        else:
            joined = b"".join(casts)
            for position, char in _TIME_SEPARATORS:
                if joined[position::20] != char * n:
                    return False
            # every other position is a digit
            if len(joined.translate(None, _DIGITS)) != 6 * n:
                return False
            # minutes and seconds below 60, hours below 24 ("2" then 4-9 can
            # only match at an hour: tens of hours are at most "2")
            if max(joined[14::20]) > 0x35 or max(joined[17::20]) > 0x35:
                return False
            hours = bytearray(2 * n)
            hours[0::2], hours[1::2] = joined[11::20], joined[12::20]
            if max(hours[0::2]) > 0x32 or _BAD_HOUR.search(hours):
                return False
        # voting period: the true earliest / latest second is the lexical one;
        # entries in the very second of opening or closing go the slow way
        first, last = min(casts), max(casts)
        if not (first[:19] > self.open_s and last[:19] < self.close_s):
            return False
        # calendar dates: one date if the batch does not cross midnight
        dates = {first[:10]} if first[:10] == last[:10] else set(map(_DATE, casts))
        dates -= self.dates_ok
        if dates:
            if not all(map(valid_date, dates)):
                return False
            self.dates_ok |= dates
        return True

    # -- the slow path: line by line, stops at the first problem
    def _slow(self, lines: list[bytes], terminated: bool) -> None:
        spec = self.spec
        match = LINE_RE.fullmatch
        last = len(lines) - 1
        for i, line in enumerate(lines):
            self.lines_read += 1
            line_no = self.lines_read
            m = match(line)
            if m is None:
                head = line.split(b",", 1)[0]
                seq = int(head) if FIELD_RE["seq"].fullmatch(head) else None
                wzh, wen = self._where(line_no, seq)
                fld, zh, en = describe_bad_line(line)
                self._fail(
                    "entry", f"{wzh}：{zh}", f"{wen}: {en}", field=fld, seq=seq, line=line_no
                )
                return
            seq_b, voter, _receipt, choice, weight_b, cast = m.groups()
            seq = int(seq_b)
            wzh, wen = self._where(line_no, seq)
            if not terminated and i == last:
                self._fail(
                    "entry",
                    f"{wzh}：最后一行没有换行符（文件被截断？）",
                    f"{wen}: the last line has no newline (truncated file?)",
                    seq=seq,
                    line=line_no,
                )
                return
            if seq != self.next_seq:
                self._fail(
                    "entry",
                    f"{wzh}：seq 应为 {self.next_seq}，实为 {seq}（记录缺失、重复或顺序被打乱）",
                    f"{wen}: seq should be {self.next_seq}, found {seq} (an entry is missing, "
                    "duplicated or out of order)",
                    field="seq",
                    seq=seq,
                    line=line_no,
                    expected=str(self.next_seq),
                    found=str(seq),
                )
                return
            real_date = valid_date(cast[:10])
            if not real_date or not self.opens <= time_key(cast) < self.closes:
                what_zh, what_en = (
                    ("不在投票期内", "is outside the voting period")
                    if real_date
                    else ("不是有效日期", "is not a valid date")
                )
                period = f"[{spec.opens.decode()}, {spec.closes.decode()})"
                self._fail(
                    "entry",
                    f"{wzh}：投票时间 cast_at {cast.decode()} {what_zh}（投票期 {period}）",
                    f"{wen}: cast_at {cast.decode()} {what_en} (voting period {period})",
                    field="cast_at",
                    seq=seq,
                    line=line_no,
                    found=cast.decode(),
                )
                return
            cid = self.choice_ids.get(choice)
            if cid is None:
                cid = self._register_choice(choice)
                if isinstance(cid, str):
                    zh, _, en = cid.partition(" / ")
                    c = choice.decode("ascii", "replace")
                    self._fail(
                        "entry",
                        f"{wzh}：选择 choice {c!r} 无效：{zh}",
                        f"{wen}: choice {c!r} is not valid: {en}",
                        field="choice",
                        seq=seq,
                        line=line_no,
                        found=c,
                    )
                    return
            old = self.weight_of.get(voter)
            if old is None:
                voters = len(self.weight_of) + 1
                if voters > self.heads_limit:
                    self._fail(
                        "entry",
                        f"{wzh}：出借人 {voter.decode()} 是第 {voters} 位投票人，超过清单 "
                        f"electorate.heads（{self.heads_limit}）",
                        f"{wen}: voter {voter.decode()} is distinct voter number {voters}, more "
                        f"than electorate.heads ({self.heads_limit})",
                        field="electorate.heads",
                        seq=seq,
                        line=line_no,
                        expected=f"<= {self.heads_limit}",
                        found=str(voters),
                    )
                    return
                total = self.weight_total + int(weight_b)
                if total > self.weight_limit:
                    self._fail(
                        "entry",
                        f"{wzh}：计入出借人 {voter.decode()} 后投票人权重合计 {total} 分，超过清单 "
                        f"electorate.weight_fen（{self.weight_limit}）",
                        f"{wen}: with voter {voter.decode()} the voters' weight totals {total} "
                        f"fen, more than electorate.weight_fen ({self.weight_limit})",
                        field="electorate.weight_fen",
                        seq=seq,
                        line=line_no,
                        expected=f"<= {self.weight_limit}",
                        found=str(total),
                    )
                    return
                self.weight_of[voter] = weight_b
                self.weight_total = total
            elif old != weight_b:
                self._fail(
                    "entry",
                    f"{wzh}：出借人 {voter.decode()} 的 weight_fen 为 {weight_b.decode()}，与其之前"
                    f"记录中的 {old.decode()} 不同（同一出借人的权重不能改变）",
                    f"{wen}: weight_fen {weight_b.decode()} of voter {voter.decode()} differs "
                    f"from {old.decode()} on the voter's earlier entries (a voter's weight is "
                    "constant)",
                    field="weight_fen",
                    seq=seq,
                    line=line_no,
                    expected=old.decode(),
                    found=weight_b.decode(),
                )
                return
            self.final[voter] = cid
            self.next_seq = seq + 1


# ---------------------------------------------------------------- digests


class _Digest:
    """SHA-256 of the file and the Merkle tree over its entry lines."""

    def __init__(self, alg: str) -> None:
        self.sha = hashlib.sha256()
        self.log = MerkleLog(alg)
        self.new = get_algorithm(alg).new
        self.header_pending = True

    def tee(self, blocks: Iterable[bytes]) -> Iterator[bytes]:
        update = self.sha.update
        for block in blocks:
            update(block)
            yield block

    def feed_lines(self, lines: list[bytes]) -> None:
        """Entry lines, the header left out."""
        new = self.new
        self.log.extend([new(LEAF_PREFIX + line).digest() for line in lines])

    def feed(self, segment: bytes) -> None:
        if self.header_pending:
            self.header_pending = False
            _header, newline, segment = segment.partition(b"\n")
            if not newline:
                return
        self.feed_lines(segment.split(b"\n"))

    def result(self) -> tuple[str, int, str]:
        return self.sha.hexdigest(), self.log.size, self.log.root().hex()


def _digest_job(path: str, alg: str) -> tuple[str, int, str]:
    """Worker: SHA-256, entry count and Merkle root of the bundle's ballots.csv."""
    digest = _Digest(alg)
    with open_bundle(path) as zf, zf.open(BALLOTS_NAME) as fp:
        for segment, _terminated in iter_segments(digest.tee(iter_blocks(fp))):
            digest.feed(segment)
    return digest.result()


def _cpus() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def _idle_cpus(window: float = 0.2) -> float | None:
    """Cores idle right now (Linux ``/proc/stat`` sampled over ``window``
    seconds), or None where that cannot be read."""

    def sample() -> tuple[int, int]:
        with open("/proc/stat", "rb") as f:
            values = [int(v) for v in f.readline().split()[1:]]
        return values[3] + values[4], sum(values[:8])  # idle + iowait, total

    try:
        idle0, total0 = sample()
        time.sleep(window)
        idle1, total1 = sample()
    except (OSError, ValueError, IndexError):
        return None
    if total1 <= total0:
        return None
    return (idle1 - idle0) / (total1 - total0) * (os.cpu_count() or 1)


def _default_jobs(entries: int) -> int:
    """Two processes for a large log when a second core is idle. On a busy
    machine the two would share one core and do more work in total."""
    if entries < PARALLEL_MIN_ENTRIES or _cpus() < 2:
        return 1
    idle = _idle_cpus()
    if idle is None:  # pragma: no cover - not Linux
        try:
            idle = _cpus() - os.getloadavg()[0]
        except (AttributeError, OSError):
            return 2
    return 2 if idle >= 0.75 else 1


# ---------------------------------------------------------------- comparisons


def _first_difference(expected: Any, found: Any, path: str) -> tuple[str, Any, Any] | None:
    if isinstance(expected, dict):
        if not isinstance(found, dict):
            return path, expected, found
        for key, value in expected.items():
            if key not in found:
                return f"{path}.{key}", value, _MISSING
            diff = _first_difference(value, found[key], f"{path}.{key}")
            if diff:
                return diff
        for key in found:
            if key not in expected:
                return f"{path}.{key}", _MISSING, found[key]
        return None
    if type(expected) is not type(found) or expected != found:
        return path, expected, found
    return None


_CRITERION_KEYS = ("measure", "quantity", "base", "threshold", "comparison", "holds")


def _criteria(items: Any) -> Any:
    if not isinstance(items, list):
        return items
    out: dict[str, Any] = {}
    for i, c in enumerate(items):
        if isinstance(c, dict) and isinstance(c.get("id"), str):
            out[c["id"]] = {k: c.get(k) for k in _CRITERION_KEYS}
        else:
            out[f"#{i}"] = c
    return out


def project_result(result: Any) -> Any:
    """The parts of a :func:`winddown.rules.to_json` result that carry the
    decision: verdict, elected and tied candidates, and each condition's
    quantities and outcome. The Chinese sentences are left out."""
    if not isinstance(result, Mapping):
        return result
    if result.get("kind") == "election":
        candidates: dict[str, Any] = {}
        items = result.get("candidates")
        for i, c in enumerate(items if isinstance(items, list) else []):
            if isinstance(c, dict) and isinstance(c.get("name"), str):
                candidates[c["name"]] = {
                    **{k: c.get(k) for k in ("status", "passed", "rank", "heads", "weight")},
                    "criteria": _criteria(c.get("criteria")),
                }
            else:
                candidates[f"#{i}"] = c
        out = {k: result.get(k) for k in ("kind", "rule", "elected", "unresolved_tie")}
        out.update({k: result.get(k) for k in ("vacant_seats", "reason_code", "seats")})
        out.update(max_choices=result.get("max_choices"), candidates=candidates)
        return out
    return {
        **{k: result.get(k) for k in ("kind", "rule", "passed", "reason_code")},
        "criteria": _criteria(result.get("criteria")),
    }


# ---------------------------------------------------------------- the verifier


def verify_bundle(path: str | os.PathLike[str], *, jobs: int | None = None) -> Report:
    """Check a result bundle; return a :class:`Report` (``report.ok``).

    Checks, in order: the ZIP holds exactly ``manifest.json`` and
    ``ballots.csv``; the manifest's format and fields; the file's SHA-256;
    the header; every entry (syntax, gapless seq, cast_at inside the voting
    period, a choice valid for the event, one weight per voter, no more
    voters or weight than the electorate); the entry count; the Merkle size
    and root; the recount of final ballots against ``declared.tally``; the
    rules engine's verdict on the recount against ``declared.result``.

    ``jobs``: processes to use (None: 2 for a log of 200,000 entries or more
    when the machine has a core idle, else 1). Raises
    :class:`~winddown.verify.UnreadableBundle` when the file is not a
    readable ZIP or its manifest is not UTF-8 JSON.
    """
    started = time.perf_counter()
    report = Report(path=os.fspath(path))

    def done() -> Report:
        report.problems.sort(key=lambda p: _PRIORITY[p.check])
        report.seconds = time.perf_counter() - started
        return report

    with open_bundle(path) as zf:
        names = member_names(zf)
        if sorted(names) != sorted([MANIFEST_NAME, BALLOTS_NAME]):
            report.problems.append(
                Problem(
                    "members",
                    f"ZIP 应恰好包含 {MANIFEST_NAME} 和 {BALLOTS_NAME}，实为 {names} / the ZIP "
                    f"must hold exactly {MANIFEST_NAME} and {BALLOTS_NAME}, found {names}",
                    field="(zip)",
                    expected=f"{MANIFEST_NAME}, {BALLOTS_NAME}",
                    found=", ".join(names),
                )
            )
            return done()
        doc = read_manifest_member(zf)
        report.manifest = doc if isinstance(doc, dict) else None
        try:
            spec = parse_manifest(doc)
            check_commitments(doc, spec)
        except ManifestError as exc:
            report.problems.append(Problem("manifest", _manifest_message(exc), field=exc.field))
            return done()

        declared_count = doc["ballots"]["count"]
        if jobs is None:
            jobs = _default_jobs(declared_count)
        report.jobs = max(1, min(jobs, 2))
        scanner = _Scanner(spec)
        scanner.force_slow = jobs < 0  # private: tests of the slow path
        digest = _Digest(spec.hash_alg)
        pool = None
        future = None
        if jobs >= 2:
            # fork is quick, but only safe while this process has one thread
            fork = "fork" in multiprocessing.get_all_start_methods()
            ctx = multiprocessing.get_context(
                "fork" if fork and threading.active_count() == 1 else "spawn"
            )
            pool = concurrent.futures.ProcessPoolExecutor(max_workers=1, mp_context=ctx)
            future = pool.submit(_digest_job, os.fspath(path), spec.hash_alg)
        try:
            with zf.open(BALLOTS_NAME) as fp:
                blocks = iter_blocks(fp)
                if future is None:
                    blocks = digest.tee(blocks)
                for segment, terminated in iter_segments(blocks):
                    lines = scanner.feed(segment, terminated)
                    if future is None:
                        digest.feed_lines(lines)
                    elif scanner.problem is not None:
                        break  # the worker counts and hashes the rest
            sha, size, root = future.result() if future is not None else digest.result()
        finally:
            if pool is not None:
                pool.shutdown(wait=True, cancel_futures=True)

    tally = scanner.finish()
    report.entries = size
    report.voters = len(scanner.weight_of) if tally is not None else 0
    report.sha256, report.merkle_size, report.merkle_root = sha, size, root
    add = report.problems.append

    claimed = doc["ballots"]["sha256"]
    if sha != claimed:
        add(
            Problem(
                "sha256",
                f"{BALLOTS_NAME} 的 SHA-256 与清单 ballots.sha256 不符：清单为 {claimed}，文件为 "
                f"{sha} / the SHA-256 of {BALLOTS_NAME} does not match ballots.sha256: manifest "
                f"{claimed}, file {sha}",
                field="ballots.sha256",
                expected=claimed,
                found=sha,
            )
        )
    if scanner.problem is not None:
        add(scanner.problem)
    if size != declared_count:
        add(
            Problem(
                "count",
                f"清单 ballots.count 为 {declared_count}，{BALLOTS_NAME} 实有 {size} 条记录 / "
                f"ballots.count is {declared_count}, {BALLOTS_NAME} has {size} entries",
                field="ballots.count",
                expected=str(declared_count),
                found=str(size),
            )
        )
    merkle = doc["merkle"]
    if merkle["size"] != size:
        add(
            Problem(
                "merkle",
                f"Merkle 树大小不符：清单 merkle.size 为 {merkle['size']}，{BALLOTS_NAME} 有 "
                f"{size} 条记录 / Merkle tree size mismatch: merkle.size is {merkle['size']}, "
                f"{BALLOTS_NAME} has {size} entries",
                field="merkle.size",
                expected=str(merkle["size"]),
                found=str(size),
            )
        )
    elif merkle["root"] != root:
        add(
            Problem(
                "merkle",
                f"Merkle 根不符：清单 merkle.root 为 {merkle['root']}，由 {BALLOTS_NAME} 计算得 "
                f"{root}（某条记录被改动、删除、插入或调换了顺序） / Merkle root mismatch: "
                f"merkle.root is {merkle['root']}, {BALLOTS_NAME} gives {root} (an entry was "
                "changed, removed, added or moved)",
                field="merkle.root",
                expected=merkle["root"],
                found=root,
            )
        )
    if tally is None:
        return done()
    report.tally = tally
    declared = doc["declared"]
    diff = _first_difference(tally, declared["tally"], "declared.tally")
    if diff:
        where, exp, got = diff
        add(
            Problem(
                "tally",
                f"公布的计票与重新计票不符：{where} 公布为 {_show(got)}，重新计票为 {_show(exp)} / "
                f"the declared tally differs from the recount: {where} is {_show(got)}, the "
                f"recount gives {_show(exp)}",
                field=where,
                expected=_show(exp),
                found=_show(got),
            )
        )
    try:
        result = to_json(evaluate_tally(spec, tally))
    except (RulesInputError, TallyError) as exc:
        add(
            Problem(
                "result",
                f"计票规则引擎拒绝了重新计票的数字：{exc} / the rules engine refused the recount: "
                f"{exc}",
                field="rule",
            )
        )
        return done()
    report.result = result
    diff = _first_difference(
        project_result(result), project_result(declared["result"]), "declared.result"
    )
    if diff:
        where, exp, got = diff
        add(
            Problem(
                "result",
                f"公布的结果与按规则重新计算的结果不符：{where} 公布为 {_show(got)}，重新计算为 "
                f"{_show(exp)} / the declared result differs from the rules engine's: {where} is "
                f"{_show(got)}, recomputed {_show(exp)}",
                field=where,
                expected=_show(exp),
                found=_show(got),
            )
        )
    return done()


def _manifest_message(exc: ManifestError) -> str:
    zh, sep, en = exc.message.partition(" / ")
    if not sep:
        return f"清单 {MANIFEST_NAME} 的 {exc.field}：{exc.message}"
    return f"清单 {MANIFEST_NAME} 的 {exc.field} 有误：{zh} / {MANIFEST_NAME}: {exc.field}: {en}"
