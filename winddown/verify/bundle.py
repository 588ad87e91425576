"""Writing and opening result bundles (one ZIP: ``manifest.json`` + ``ballots.csv``)."""

from __future__ import annotations

import copy
import hashlib
import json
import os
import tempfile
import zipfile
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from winddown.merkle import MerkleLog, get_algorithm
from winddown.merkle.hashing import LEAF_PREFIX

from .spec import (
    BALLOTS_NAME,
    FIELD_RE,
    FIELD_RULES,
    FIELDS,
    HEADER,
    LINE_RE,
    MANIFEST_KEYS,
    MANIFEST_NAME,
    MAX_MANIFEST_BYTES,
    ManifestError,
    UnreadableBundle,
    loads_json,
    parse_manifest,
    with_defaults,
)

#: Bytes read from ``ballots.csv`` at a time when streaming it.
READ_BLOCK = 4 * 2**20
#: Ballot lines buffered by ``write_bundle`` before hashing and compressing.
WRITE_BATCH = 65536
#: Deflate level of ``write_bundle``: 1 compresses the hex-heavy CSV almost as
#: well as 6 at several times the speed.
COMPRESS_LEVEL = 1


@dataclass(frozen=True, slots=True)
class BallotLine:
    """One entry of the ballot log, one line of ``ballots.csv``.

    ``choice``: a resolution option (``yes`` / ``no`` / ``abstain``) or
    candidate keys joined with ``+`` in ascending order. ``weight_fen``: the
    voter's weight in fen, the same on all of their entries. ``cast_at``: UTC,
    e.g. ``2026-12-01T01:00:00Z`` (see :func:`winddown.verify.iso_utc`).
    """

    seq: int
    voter: str
    receipt: str
    choice: str
    weight_fen: int
    cast_at: str

    def to_line(self) -> str:
        """The CSV line, without its newline."""
        return (
            f"{self.seq},{self.voter},{self.receipt},{self.choice},{self.weight_fen},{self.cast_at}"
        )

    @classmethod
    def from_line(cls, line: bytes | str) -> BallotLine:
        """Parse one CSV line (no newline). Raises ValueError naming the field."""
        raw = line.encode() if isinstance(line, str) else line
        m = LINE_RE.fullmatch(raw)
        if m is None:
            _field, zh, en = describe_bad_line(raw)
            raise ValueError(f"{zh} / {en}")
        seq, voter, receipt, choice, weight, cast_at = (g.decode() for g in m.groups())
        return cls(int(seq), voter, receipt, choice, int(weight), cast_at)


def describe_bad_line(line: bytes) -> tuple[str | None, str, str]:
    """Why ``line`` does not match the line syntax: ``(field or None, 中文, English)``
    for the first bad field."""
    if line.endswith(b"\r"):
        return None, "行尾有回车符（应为 \\n 换行）", "line ends with \\r (use \\n line endings)"
    parts = line.split(b",")
    if len(parts) != len(FIELDS):
        return (
            None,
            f"应有 {len(FIELDS)} 个逗号分隔的字段，实有 {len(parts)} 个",
            f"expected {len(FIELDS)} comma-separated fields, found {len(parts)}",
        )
    for name, value in zip(FIELDS, parts, strict=True):
        if not FIELD_RE[name].fullmatch(value):
            shown = value[:48].decode("utf-8", "replace")
            zh, en = FIELD_RULES[name]
            return (
                name,
                f"字段 {name} 为 {shown!r}，应为{zh}",
                f"field {name} is {shown!r}, expected {en}",
            )
    return None, "格式错误", "malformed"  # pragma: no cover - every field matched


class _BundleWriter:
    """Streams ``ballots.csv`` into an open ZIP member while hashing it."""

    def __init__(self, out: IO[bytes], alg: str) -> None:
        self.out = out
        self.sha = hashlib.sha256()
        self.log = MerkleLog(alg)
        self.new = get_algorithm(alg).new
        self.count = 0
        self._write(HEADER + b"\n")

    def _write(self, data: bytes) -> None:
        self.sha.update(data)
        self.out.write(data)

    def add(self, lines: list[bytes]) -> None:
        first = self.count + 1
        ok = all(map(LINE_RE.fullmatch, lines))
        if ok:  # six fields per line, so the seq column is every sixth field
            seqs = b",".join(lines).split(b",")[0::6]
            ok = seqs == list(map(b"%d".__mod__, range(first, first + len(lines))))
        if not ok:
            for seq, line in enumerate(lines, start=first):
                m = LINE_RE.fullmatch(line)
                if m is None:
                    _field, zh, en = describe_bad_line(line)
                    raise ValueError(f"seq {seq}: {zh} / {en}")
                if m.group(1) != b"%d" % seq:
                    found = m.group(1).decode()
                    raise ValueError(
                        f"seq 须从 1 开始连续递增：应为 {seq}，实为 {found} / seq must be 1, 2, "
                        f"3, ... without gaps: expected {seq}, got {found}"
                    )
        new = self.new
        self.log.extend([new(LEAF_PREFIX + line).digest() for line in lines])
        self._write(b"\n".join(lines) + b"\n")
        self.count += len(lines)


def write_bundle(
    path: str | os.PathLike[str],
    manifest: Mapping[str, Any],
    ballot_lines: Iterable[BallotLine],
) -> dict[str, Any]:
    """Write a result bundle; return the manifest as written.

    ``manifest`` holds everything but ``ballots`` and ``merkle`` (``format``
    may be omitted; ``hash_alg`` defaults to ``"sha256"``): the event, rule,
    electorate, resolution or election, and the platform's ``declared``
    tally and result. ``ballot_lines`` is the whole ballot log in ``seq``
    order (1, 2, 3, ...). While writing, the file's SHA-256, the entry count
    and the Merkle tree size and root are computed and put in the manifest.

    Each line is checked against the line syntax and the seq order (a
    ValueError names the seq); choices, weights and the declared result are
    not: run :func:`winddown.verify.verify_bundle` on the result before
    publishing it. The file appears atomically (written next to ``path``,
    then renamed).
    """
    doc = copy.deepcopy(with_defaults(manifest))
    doc.pop("ballots", None)
    doc.pop("merkle", None)
    spec = parse_manifest(doc)
    if "declared" not in doc:
        raise ManifestError("declared", "缺少此字段 / missing (see winddown.verify.declare)")

    target = Path(path)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent or ".")
    os.close(fd)
    try:
        with zipfile.ZipFile(
            tmp_name, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=COMPRESS_LEVEL
        ) as zf:
            info = zipfile.ZipInfo(BALLOTS_NAME, date_time=(2000, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            with zf.open(info, "w", force_zip64=True) as member:
                writer = _BundleWriter(member, spec.hash_alg)
                batch: list[bytes] = []
                for item in ballot_lines:
                    batch.append(item.to_line().encode())
                    if len(batch) >= WRITE_BATCH:
                        writer.add(batch)
                        batch = []
                if batch:
                    writer.add(batch)
            doc["ballots"] = {
                "file": BALLOTS_NAME,
                "count": writer.count,
                "sha256": writer.sha.hexdigest(),
            }
            doc["merkle"] = {"size": writer.log.size, "root": writer.log.root().hex()}
            ordered = {k: doc[k] for k in MANIFEST_KEYS if k in doc}
            ordered.update((k, v) for k, v in doc.items() if k not in ordered)
            text = json.dumps(ordered, ensure_ascii=False, indent=1) + "\n"
            minfo = zipfile.ZipInfo(MANIFEST_NAME, date_time=(2000, 1, 1, 0, 0, 0))
            minfo.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(minfo, text.encode("utf-8"))
        os.replace(tmp_name, target)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise
    return ordered


# ---------------------------------------------------------------- reading


def open_bundle(path: str | os.PathLike[str]) -> zipfile.ZipFile:
    """Open the ZIP; :class:`UnreadableBundle` if it is not one."""
    try:
        zf = zipfile.ZipFile(path)
    except FileNotFoundError:
        raise UnreadableBundle(f"文件不存在 / no such file: {path}") from None
    except (OSError, zipfile.BadZipFile, ValueError) as exc:
        raise UnreadableBundle(f"不是可读的 ZIP 文件 / not a readable ZIP file: {exc}") from None
    for info in zf.infolist():
        if info.flag_bits & 0x1:
            zf.close()
            raise UnreadableBundle(f"{info.filename}: 加密的 ZIP 成员 / encrypted ZIP member")
    return zf


def member_names(zf: zipfile.ZipFile) -> list[str]:
    return [i.filename for i in zf.infolist()]


def read_manifest_member(zf: zipfile.ZipFile) -> Any:
    info = zf.getinfo(MANIFEST_NAME)
    if info.file_size > MAX_MANIFEST_BYTES:
        raise UnreadableBundle(
            f"{MANIFEST_NAME} 过大（{info.file_size} 字节） / {MANIFEST_NAME} is too large "
            f"({info.file_size} bytes, limit {MAX_MANIFEST_BYTES})"
        )
    try:
        with zf.open(info) as fp:
            data = fp.read(MAX_MANIFEST_BYTES + 1)
    except (OSError, zipfile.BadZipFile, EOFError, ValueError) as exc:
        raise UnreadableBundle(f"{MANIFEST_NAME}: 无法读取 / cannot be read: {exc}") from None
    return loads_json(data, MANIFEST_NAME)


def read_manifest(path: str | os.PathLike[str]) -> dict[str, Any]:
    """The parsed ``manifest.json`` of a bundle (not checked; see
    :func:`winddown.verify.verify_bundle`)."""
    with open_bundle(path) as zf:
        if MANIFEST_NAME not in member_names(zf):
            raise UnreadableBundle(f"缺少 {MANIFEST_NAME} / no {MANIFEST_NAME} in the bundle")
        doc = read_manifest_member(zf)
    if not isinstance(doc, dict):
        raise UnreadableBundle(f"{MANIFEST_NAME} 须为 JSON 对象 / must be a JSON object")
    return doc


def iter_blocks(fp: IO[bytes], size: int = READ_BLOCK) -> Iterator[bytes]:
    """Raw blocks of a ZIP member; read errors become :class:`UnreadableBundle`."""
    while True:
        try:
            block = fp.read(size)
        except (OSError, zipfile.BadZipFile, EOFError, ValueError) as exc:
            raise UnreadableBundle(
                f"{BALLOTS_NAME}: 读取失败（文件损坏？） / read error (corrupt file?): {exc}"
            ) from None
        if not block:
            return
        yield block


#: Longest line accepted while streaming (a ballot line is about 100 bytes).
MAX_LINE = 2**20


def iter_segments(blocks: Iterable[bytes]) -> Iterator[tuple[bytes, bool]]:
    """Cut a byte stream at line ends.

    Yields ``(segment, terminated)``: ``segment`` is one or more whole lines
    joined by ``\n``, without the newline of its last line; ``terminated`` is
    False only for a last fragment that has no final newline. A line longer
    than :data:`MAX_LINE` raises :class:`UnreadableBundle`.
    """
    carry = b""
    for block in blocks:
        data = carry + block if carry else block
        cut = data.rfind(b"\n")
        if cut < 0:
            carry = data
            if len(carry) > MAX_LINE:
                raise UnreadableBundle(
                    f"{BALLOTS_NAME}: 有超过 {MAX_LINE} 字节的行 / a line is longer than "
                    f"{MAX_LINE} bytes: not a ballot log"
                )
            continue
        carry = data[cut + 1 :]
        yield data[:cut], True
    if carry:
        yield carry, False


def iter_line_batches(blocks: Iterable[bytes]) -> Iterator[tuple[list[bytes], bool]]:
    """:func:`iter_segments`, split into lists of lines (without ``\n``)."""
    for segment, terminated in iter_segments(blocks):
        yield segment.split(b"\n"), terminated
