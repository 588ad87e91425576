"""The bundle format: constants, line syntax and the manifest's event definition.

Everything the verifier believes about an event comes from
:func:`parse_manifest`, which checks the manifest field by field and raises
:class:`ManifestError` naming the dotted path of the first bad field.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from winddown.merkle import ALGORITHMS
from winddown.rules import RulesInputError, get_rule

FORMAT = "winddown-ballot-bundle/1"
MANIFEST_NAME = "manifest.json"
BALLOTS_NAME = "ballots.csv"
HEADER = b"seq,voter,receipt,choice,weight_fen,cast_at"
FIELDS = ("seq", "voter", "receipt", "choice", "weight_fen", "cast_at")
MAX_MANIFEST_BYTES = 16 * 2**20
RESOLUTION_OPTIONS = ("yes", "no", "abstain")

# One pattern per field; LINE is their concatenation. Integers are canonical
# (no sign, no leading zero) so equal numbers are equal bytes.
FIELD_PATTERNS: dict[str, bytes] = {
    "seq": rb"[1-9][0-9]{0,17}",
    "voter": rb"[0-9a-f]{32}",
    "receipt": rb"[A-Z2-7]{16}",
    "choice": rb"[A-Za-z0-9_+\-]+",
    "weight_fen": rb"0|[1-9][0-9]{0,17}",
    "cast_at": (
        rb"[0-9]{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12][0-9]|3[01])"
        rb"T(?:[01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](?:\.[0-9]{1,6})?Z"
    ),
}
FIELD_RULES: dict[str, tuple[str, str]] = {  # (中文, English)
    "seq": ("正整数，无前导零", "a positive integer without leading zeros"),
    "voter": ("32 位小写十六进制", "32 lowercase hex characters"),
    "receipt": ("16 位大写 base32（A-Z、2-7）", "16 uppercase base32 characters (A-Z, 2-7)"),
    "choice": ("选项或以 + 连接的候选人代码", "an option, or candidate keys joined with +"),
    "weight_fen": ("非负整数（分），无前导零", "a non-negative integer (fen), no leading zeros"),
    "cast_at": ("UTC 时间，如 2026-12-01T01:00:00Z", "a UTC time like 2026-12-01T01:00:00Z"),
}
FIELD_RE = {name: re.compile(p) for name, p in FIELD_PATTERNS.items()}
LINE_RE = re.compile(b",".join(b"(" + FIELD_PATTERNS[f] + b")" for f in FIELDS))
CANDIDATE_KEY_RE = re.compile(r"[A-Za-z0-9_\-]{1,64}")
HEX_RE = re.compile(r"[0-9a-f]+")
_TIME_RE = re.compile(FIELD_PATTERNS["cast_at"].decode())

# The manifest's top-level keys, in the order the writer puts them.
MANIFEST_KEYS = (
    "format",
    "event",
    "rule",
    "electorate",
    "resolution",
    "election",
    "hash_alg",
    "ballots",
    "merkle",
    "declared",
)


class BundleError(Exception):
    """A bundle that cannot be checked at all."""


class UnreadableBundle(BundleError):
    """Not a readable ZIP, or a member that is not UTF-8 JSON (CLI exit 2)."""


class ManifestError(BundleError, ValueError):
    """An invalid manifest field. ``field`` is its dotted path."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


def time_key(value: bytes | str) -> bytes:
    """A byte string that sorts like the instant: ``YYYY-MM-DDTHH:MM:SS.ffffff``."""
    v = value.encode() if isinstance(value, str) else value
    seconds, frac = v[:19], v[20:-1] if len(v) > 20 else b""
    return seconds + b"." + frac.ljust(6, b"0")


def valid_date(value: bytes) -> bool:
    """``YYYY-MM-DD`` is a real calendar date."""
    try:
        dt.date.fromisoformat(value.decode())
    except ValueError:
        return False
    return True


def iso_utc(moment: dt.datetime) -> str:
    """An aware datetime as the bundle writes times: UTC, ``Z``, microseconds if any."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("须为带时区的时间 / the datetime must be timezone-aware")
    u = moment.astimezone(dt.UTC)
    text = u.strftime("%Y-%m-%dT%H:%M:%S")
    if u.microsecond:
        text += f".{u.microsecond:06d}"
    return text + "Z"


def loads_json(data: bytes, what: str) -> Any:
    """Strict JSON: UTF-8, no duplicate keys, no NaN/Infinity."""

    def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for k, v in items:
            if k in out:
                raise ValueError(f"duplicate key {k!r}")
            out[k] = v
        return out

    def constant(name: str) -> Any:
        raise ValueError(f"{name} is not JSON")

    try:
        text = data.decode("utf-8")
        return json.loads(text, object_pairs_hook=pairs, parse_constant=constant)
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise UnreadableBundle(
            f"{what} 不是合法的 UTF-8 JSON / {what} is not valid UTF-8 JSON: {exc}"
        ) from None


# ------------------------------------------------------------------- manifest


def _obj(value: Any, path: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise ManifestError(path, "须为 JSON 对象 / must be a JSON object")
    return value


def _get(obj: Mapping[str, Any], key: str, path: str) -> Any:
    if key not in obj:
        raise ManifestError(f"{path}.{key}" if path else key, "缺少此字段 / missing")
    return obj[key]


def _only(obj: Mapping[str, Any], allowed: tuple[str, ...], path: str) -> None:
    for key in obj:
        if key not in allowed:
            where = f"{path}.{key}" if path else key
            raise ManifestError(where, f"未知字段 / unknown field (allowed: {', '.join(allowed)})")


def _int(value: Any, path: str, minimum: int = 0) -> int:
    if type(value) is not int:
        raise ManifestError(path, "须为整数 / must be an integer")
    if value < minimum:
        raise ManifestError(path, f"不能小于 {minimum} / must be at least {minimum}")
    return value


def _text(value: Any, path: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ManifestError(path, "须为非空字符串 / must be a non-empty string")
    return value


def _time(value: Any, path: str) -> bytes:
    if (
        not isinstance(value, str)
        or not _TIME_RE.fullmatch(value)
        or not valid_date(value[:10].encode())
    ):
        zh, en = FIELD_RULES["cast_at"]
        raise ManifestError(path, f"须为{zh} / must be {en}")
    return time_key(value)


@dataclass(frozen=True)
class EventSpec:
    """What the manifest says about the event, checked.

    ``options`` (resolutions) and ``candidates`` (elections, key -> display
    name, manifest order) define the valid choices; ``opens``/``closes`` are
    :func:`time_key` values (ballots must satisfy ``opens <= cast_at < closes``).
    """

    kind: str
    rule: str
    params: Mapping[str, str]
    electorate_heads: int
    electorate_weight: int
    hash_alg: str
    opens: bytes
    closes: bytes
    options: tuple[str, ...] = ()
    seats: int = 0
    max_choices: int = 0
    candidates: Mapping[str, str] = field(default_factory=dict)

    def choice_keys(self, choice: bytes) -> tuple[str, ...] | str:
        """The option / candidate keys a ``choice`` field names, or a bilingual
        reason why it is not valid for this event."""
        try:
            text = choice.decode("ascii")
        except UnicodeDecodeError:
            return "含非 ASCII 字符 / contains non-ASCII characters"
        if self.kind == "resolution":
            if text in self.options:
                return (text,)
            return (
                f"不是本事项的选项（可选：{'、'.join(self.options)}） / not an option of this "
                f"resolution (options: {', '.join(self.options)})"
            )
        keys = tuple(text.split("+"))
        for key in keys:
            if key == "":
                return "候选人代码为空（多余的 +） / empty candidate key (stray +)"
            if key not in self.candidates:
                return f"未知候选人 {key} / unknown candidate {key}"
        if len(set(keys)) != len(keys):
            repeated = next(k for k in keys if keys.count(k) > 1)
            return f"候选人 {repeated} 重复 / candidate {repeated} is repeated"
        if len(keys) > self.max_choices:
            return (
                f"选了 {len(keys)} 名候选人，超过每票最多 {self.max_choices} 名 / "
                f"{len(keys)} candidates, more than max_choices ({self.max_choices})"
            )
        if list(keys) != sorted(keys):
            return (
                f"候选人代码须按升序排列（应为 {'+'.join(sorted(keys))}） / candidate keys must be "
                f"in ascending order ({'+'.join(sorted(keys))})"
            )
        return keys


def with_defaults(manifest: Mapping[str, Any]) -> dict[str, Any]:
    """A shallow copy with ``format`` and ``hash_alg`` (``sha256``) filled in
    when absent: what the platform may leave out when it builds a manifest."""
    doc = dict(manifest)
    doc.setdefault("format", FORMAT)
    doc.setdefault("hash_alg", "sha256")
    return doc


def parse_manifest(doc: Any) -> EventSpec:
    """Check the event definition of a manifest (everything except
    ``ballots``, ``merkle`` and ``declared``, see :func:`check_commitments`)."""
    obj = _obj(doc, "(manifest)")
    _only(obj, MANIFEST_KEYS, "")
    fmt = _get(obj, "format", "")
    if fmt != FORMAT:
        raise ManifestError(
            "format",
            f"不支持的格式 {fmt!r}，应为 {FORMAT!r} / unsupported format, expected {FORMAT!r}",
        )

    event = _obj(_get(obj, "event", ""), "event")
    _int(_get(event, "id", "event"), "event.id")
    _text(_get(event, "institution", "event"), "event.institution")
    _text(_get(event, "title", "event"), "event.title")
    kind = _get(event, "kind", "event")
    if kind not in ("resolution", "election"):
        raise ManifestError(
            "event.kind", "须为 resolution 或 election / must be resolution or election"
        )
    opens = _time(_get(event, "opens_at", "event"), "event.opens_at")
    closes = _time(_get(event, "closes_at", "event"), "event.closes_at")
    if not opens < closes:
        raise ManifestError("event.closes_at", "须晚于 opens_at / must be later than opens_at")

    rule_obj = _obj(_get(obj, "rule", ""), "rule")
    _only(rule_obj, ("id", "params"), "rule")
    rule_id = _get(rule_obj, "id", "rule")
    if not isinstance(rule_id, str):
        raise ManifestError("rule.id", "须为字符串 / must be a string")
    try:
        rule = get_rule(rule_id)
        params = rule.normalize_params(
            _obj(rule_obj.get("params", {}), "rule.params"), "rule.params"
        )
    except RulesInputError as exc:
        raise ManifestError("rule.id" if exc.field == "rule" else exc.field, exc.message) from None
    if rule.grouped:
        raise ManifestError(
            "rule.id",
            f"分组规则 {rule.id} 不能用于结果包 / grouped rule {rule.id} is not supported in a "
            "ballot bundle",
        )

    electorate = _obj(_get(obj, "electorate", ""), "electorate")
    _only(electorate, ("heads", "weight_fen"), "electorate")
    heads = _int(_get(electorate, "heads", "electorate"), "electorate.heads")
    weight = _int(_get(electorate, "weight_fen", "electorate"), "electorate.weight_fen")

    alg = _get(obj, "hash_alg", "")
    if alg not in ALGORITHMS:
        raise ManifestError(
            "hash_alg",
            f"须为 {' / '.join(ALGORITHMS)} 之一 / must be one of {', '.join(ALGORITHMS)}",
        )

    common = dict(
        kind=kind,
        rule=rule.id,
        params=params,
        electorate_heads=heads,
        electorate_weight=weight,
        hash_alg=alg,
        opens=opens,
        closes=closes,
    )
    other = "election" if kind == "resolution" else "resolution"
    if other in obj:
        raise ManifestError(other, f"{kind} 事项不应有此字段 / not allowed when kind is {kind}")
    if kind == "resolution":
        res = _obj(_get(obj, "resolution", ""), "resolution")
        _only(res, ("options",), "resolution")
        options = _get(res, "options", "resolution")
        if (
            not isinstance(options, list)
            or not all(isinstance(o, str) for o in options)
            or len(set(options)) != len(options)
            or not {"yes", "no"} <= set(options) <= set(RESOLUTION_OPTIONS)
        ):
            raise ManifestError(
                "resolution.options",
                '须为 ["yes", "no"] 或 ["yes", "no", "abstain"] / must be ["yes", "no"] or '
                '["yes", "no", "abstain"]',
            )
        return EventSpec(**common, options=tuple(options))

    el = _obj(_get(obj, "election", ""), "election")
    _only(el, ("seats", "max_choices", "candidates"), "election")
    seats = _int(_get(el, "seats", "election"), "election.seats", 1)
    max_choices = _int(_get(el, "max_choices", "election"), "election.max_choices", 1)
    cands = _obj(_get(el, "candidates", "election"), "election.candidates")
    if not cands:
        raise ManifestError("election.candidates", "至少一名候选人 / at least one candidate")
    names: set[str] = set()
    for key, name in cands.items():
        path = f"election.candidates.{key}"
        if not CANDIDATE_KEY_RE.fullmatch(key):
            raise ManifestError(
                path,
                "候选人代码须为 1-64 位字母、数字、_ 或 - / key must be 1-64 of A-Z a-z 0-9 _ -",
            )
        _text(name, path)
        if name in names:
            raise ManifestError(path, f"候选人姓名 {name} 重复 / duplicate candidate name {name}")
        names.add(name)
    return EventSpec(**common, seats=seats, max_choices=max_choices, candidates=dict(cands))


def check_commitments(doc: Mapping[str, Any], spec: EventSpec) -> None:
    """Check the shape of ``ballots``, ``merkle`` and ``declared``."""
    ballots = _obj(_get(doc, "ballots", ""), "ballots")
    _only(ballots, ("file", "count", "sha256"), "ballots")
    if _get(ballots, "file", "ballots") != BALLOTS_NAME:
        raise ManifestError("ballots.file", f"须为 {BALLOTS_NAME} / must be {BALLOTS_NAME}")
    _int(_get(ballots, "count", "ballots"), "ballots.count")
    digest = _get(ballots, "sha256", "ballots")
    if not isinstance(digest, str) or len(digest) != 64 or not HEX_RE.fullmatch(digest):
        raise ManifestError(
            "ballots.sha256", "须为 64 位小写十六进制 / must be 64 lowercase hex characters"
        )
    merkle = _obj(_get(doc, "merkle", ""), "merkle")
    _only(merkle, ("size", "root"), "merkle")
    _int(_get(merkle, "size", "merkle"), "merkle.size")
    root = _get(merkle, "root", "merkle")
    width = 2 * ALGORITHMS[spec.hash_alg].digest_size
    if not isinstance(root, str) or len(root) != width or not HEX_RE.fullmatch(root):
        raise ManifestError(
            "merkle.root",
            f"须为 {width} 位小写十六进制 / must be {width} lowercase hex characters",
        )
    declared = _obj(_get(doc, "declared", ""), "declared")
    _only(declared, ("tally", "result"), "declared")
    _obj(_get(declared, "tally", "declared"), "declared.tally")
    _obj(_get(declared, "result", "declared"), "declared.result")
