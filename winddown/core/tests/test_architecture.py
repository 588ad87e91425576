"""The architecture contracts CI checks (import-linter) are the ones `dev.py contracts`
writes from its list of apps and cores: a new app or core added to the lists, and only
then, is protected like the others."""

import importlib.util
from pathlib import Path

REPO = Path(__file__).resolve().parents[3]


def _dev():
    spec = importlib.util.spec_from_file_location("dev", REPO / "dev.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_pyproject_holds_the_generated_contracts():
    dev = _dev()
    written = (REPO / "pyproject.toml").read_text().split(dev.CONTRACTS_MARK)
    assert len(written) == 2, "run: python3 dev.py contracts"
    assert dev.CONTRACTS_MARK + written[1] == dev.contracts_toml(), "run: python3 dev.py contracts"


def test_every_app_and_core_is_listed():
    dev = _dev()
    packages = {
        path.name
        for path in (REPO / "winddown").iterdir()
        if (path / "__init__.py").exists() and path.name not in {"demo"}
    }
    listed = set(dev.APPS) | set(dev.EDGES) | {c.split(".")[0] for c in dev.CORES} | {"core"}
    assert packages == listed, "add the package to APPS or CORES in dev.py"
