"""The pure cores run without Django: each can be imported (with its command line) in a
fresh interpreter without loading Django or any app, so a court, an auditor or a lender's
own machine can run them from the published code alone. (`lint-imports` checks the same
statically; this checks what importing actually loads, the packages' own dependencies
included.)"""

import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[3]
CORES = {
    "rules": ["winddown.rules", "winddown.rules.cli"],
    "merkle": ["winddown.merkle"],
    "verify": ["winddown.verify", "winddown.verify.cli"],
    "money": ["winddown.money"],
    "pii": [
        "winddown.pii.crypto",
        "winddown.pii.idnumbers",
        "winddown.pii.phones",
        "winddown.pii.masking",
    ],
    "calendar": ["winddown.calendar"],
    "schedules": ["winddown.schedules", "winddown.schedules.cli"],
    "distribution": ["winddown.distribution", "winddown.distribution.cli"],
    "indicators": ["winddown.indicators", "winddown.indicators.__main__"],
}


@pytest.mark.parametrize("core", sorted(CORES))
def test_the_core_imports_no_django_and_no_app(core):
    modules = CORES[core]
    code = (
        f"import sys; import {', '.join(modules)}; "
        "bad = sorted(m for m in sys.modules if m.split('.')[0] == 'django' or "
        "(m.startswith('winddown.') and m.split('.')[1] not in "
        "{'rules', 'merkle', 'verify', 'money', 'pii', 'calendar', 'schedules', 'distribution',"
        " 'indicators'})"
        " or m in {'winddown.pii.keys', 'winddown.pii.fields', 'winddown.pii.registry'}); "
        "assert not bad, bad"
    )
    run = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, capture_output=True, timeout=60, check=False
    )
    assert run.returncode == 0, run.stderr.decode()
