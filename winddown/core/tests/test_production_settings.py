"""Settings under WINDDOWN_ENV=production: nothing meant for a laptop slips through because
a variable was forgotten."""

import base64
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
KEY = base64.urlsafe_b64encode(b"k" * 32).decode()
PRODUCTION = {
    "WINDDOWN_ENV": "production",
    "WINDDOWN_SECRET_KEY": "production-test-secret-key-" + "x" * 40,
    "WINDDOWN_PII_KEYS": f"p1:{KEY}",
    "WINDDOWN_PII_INDEX_KEY": KEY,
    "WINDDOWN_PASSWORD_PEPPER": KEY,
    "WINDDOWN_AUDIT_KEYS": f"a1:{KEY}",
    "WINDDOWN_AUDIT_SIGNING_KEY": KEY,
    "WINDDOWN_ALLOWED_HOSTS": "vote.example.cn",
    # Only named here: settings do not connect to it (test_deploy.py starts a real one).
    "WINDDOWN_REDIS_URL": "redis://127.0.0.1:6379/13",
}
SHOW = "from django.conf import settings; print(settings.SMS_PROVIDER, settings.IDENTITY_PROVIDER)"


def production_env(tmp_path, **extra: str) -> dict[str, str]:
    """This process's environment without its WINDDOWN_ settings, plus production's."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("WINDDOWN_")}
    env.update(
        PRODUCTION, WINDDOWN_VAR_DIR=str(tmp_path), DJANGO_SETTINGS_MODULE="winddown.settings"
    )
    env.update(extra)
    return env


def settings_with(tmp_path, show: str = SHOW, **extra: str) -> subprocess.CompletedProcess:
    env = production_env(tmp_path, **extra)
    return subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {show}"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_uses_the_real_providers_by_default(tmp_path):
    done = settings_with(tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["http", "http"]


@pytest.mark.parametrize("variable", ["WINDDOWN_SMS_PROVIDER", "WINDDOWN_IDENTITY_PROVIDER"])
def test_production_refuses_the_development_providers(tmp_path, variable):
    done = settings_with(tmp_path, **{variable: "dev"})
    assert done.returncode != 0
    assert "cannot be 'dev' in production" in done.stderr


def test_production_refuses_to_start_without_a_shared_cache(tmp_path):
    """Rate limits counted in each worker's own memory would multiply by the workers."""
    env = production_env(tmp_path)
    del env["WINDDOWN_REDIS_URL"]
    done = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {SHOW}"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode != 0
    assert "WINDDOWN_REDIS_URL is required in production" in done.stderr


def test_database_options_from_the_url_are_kept(tmp_path):
    show = (
        "from django.conf import settings; "
        "print(sorted(settings.DATABASES['default']['OPTIONS'].items()))"
    )
    url = "postgres://winddown@db.internal:5432/winddown?sslmode=require"
    done = settings_with(tmp_path, show, WINDDOWN_DATABASE_URL=url)
    assert done.returncode == 0, done.stderr
    options = done.stdout.strip()
    assert "('sslmode', 'require')" in options and "('server_side_binding', True)" in options
