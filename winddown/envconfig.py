"""Small helpers for reading settings from the environment."""

import base64
import json
import os
import secrets
from pathlib import Path


def env_bool(name: str, *, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value else default


def env_list(name: str, *, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if not value:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def _random_key() -> str:
    return base64.urlsafe_b64encode(secrets.token_bytes(32)).decode()


def load_dev_secrets(path: Path) -> dict[str, str]:
    """Development-only secrets, generated once so the demo database stays readable (and
    any added later are generated into the existing file).

    Production never calls this: there every secret must come from the environment.
    """
    values = json.loads(path.read_text()) if path.exists() else {}
    wanted = {
        "WINDDOWN_SECRET_KEY": lambda: secrets.token_urlsafe(50),
        "WINDDOWN_PII_KEYS": lambda: f"dev1:{_random_key()}",
        "WINDDOWN_PII_INDEX_KEY": _random_key,
        "WINDDOWN_PASSWORD_PEPPER": _random_key,
        "WINDDOWN_AUDIT_KEYS": lambda: f"dev1:{_random_key()}",
        "WINDDOWN_AUDIT_SIGNING_KEY": _random_key,
    }
    missing = {name: make() for name, make in wanted.items() if name not in values}
    if missing:
        values.update(missing)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(values, indent=2))
        path.chmod(0o600)
    return values
