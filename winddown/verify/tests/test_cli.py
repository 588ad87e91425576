"""The command as a user runs it: a subprocess, exit statuses 0 / 1 / 2."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from .helpers import (
    ELECTION_ENTRIES,
    build,
    election_manifest,
    make_log,
    receipt,
    replace_field,
    tamper,
)

REPO = Path(__file__).resolve().parents[3]


def cli(*args) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "winddown.verify", *map(str, args)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_exit_statuses(tmp_path):
    good = build(tmp_path / "e.zip", election_manifest(), make_log(ELECTION_ENTRIES))
    p = cli(good)
    assert p.returncode == 0, p.stderr
    assert "核验通过 / VERIFIED" in p.stdout and "王小进、张小英" in p.stdout

    def c9(lines):
        lines[3] = replace_field(lines[3], 3, "c9")
        return lines

    bad = tamper(good, tmp_path / "bad.zip", c9)
    p = cli(bad)
    assert p.returncode == 1
    assert "line 5 (seq 4): choice 'c9' is not valid: unknown candidate c9" in p.stdout

    junk = tmp_path / "junk.zip"
    junk.write_bytes(b"PK\x03\x04 truncated")
    p = cli(junk)
    assert p.returncode == 2 and "cannot read the bundle" in p.stderr
    assert cli(tmp_path / "absent.zip").returncode == 2
    assert cli().returncode == 2

    assert cli(good, "--receipt", receipt(3)).returncode == 0
    assert cli(good, "--receipt", receipt(1)).returncode == 1  # superseded
    p = cli(good, "--json")
    assert p.returncode == 0 and '"ok": true' in p.stdout
